"""Execute the notebooks and store them with their outputs, as the tests run them.

    python scripts/execute_notebooks.py [NAME ...]

Each notebook in notebooks/ runs from the notebooks/ folder with VNREPORT_NOTEBOOK_SMALL=1 (small
inputs: a few paragraphs, a few training steps, so the stored outputs stay small) and
VNREPORT_NOTEBOOK_OUTPUT in a temporary folder (nothing is written into the repository), and is
saved with its outputs, so that a code host shows its tables and charts. tests/test_notebooks.py
executes them the same way and fails when what they show differs from what is stored
(``shown_text``: the text of every output, with temporary paths and timings blanked).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK_NAMES = ("quickstart", "retraining", "evaluation", "panel")
KERNEL_NAME = "vnreport-notebook"
CELL_TIMEOUT = 240  # seconds per cell; the longest (a few training steps) takes about 15

# what changes from run to run without the notebook changing: temporary folders, times, object addresses
VOLATILE = [
    (re.compile(r"/tmp/[^\s'\"<>)]*"), "<tmp>"),
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|seconds?)\b"), "<time>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<address>"),
    (re.compile(r"vnr-[0-9a-f]{12}"), "vnr-<id>"),  # the HTML view's element id
    (re.compile(r"\[38;5;\d+m|\[0m|\x1b\[[0-9;]*m"), ""),
]


def kernel_environment(folder: Path) -> dict[str, str]:
    """Environment variables for a kernel of this very Python, with small inputs and outputs in ``folder``."""
    kernel_dir = folder / "jupyter" / "kernels" / KERNEL_NAME
    kernel_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "vnreport-ie notebooks",
        "language": "python",
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return {
        "JUPYTER_PATH": str(folder / "jupyter"),
        "VNREPORT_NOTEBOOK_SMALL": "1",
        "VNREPORT_NOTEBOOK_OUTPUT": str(folder / "output"),
        "PYTHONHASHSEED": "0",
    }


def execute(name: str, environment: dict[str, str]) -> nbformat.NotebookNode:
    """notebooks/NAME.ipynb executed from the notebooks/ folder in ``environment``."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        client = NotebookClient(
            notebook, timeout=CELL_TIMEOUT, kernel_name=KERNEL_NAME, resources={"metadata": {"path": str(NOTEBOOKS)}}
        )
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def shown_text(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """Per code cell, the text of each output (stream text, text/plain, text/html, text/markdown, and that an
    image was shown), with the volatile parts blanked."""
    result = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            if output.output_type == "stream":
                texts.append(output.get("text", ""))
            elif output.output_type in ("display_data", "execute_result"):
                data = output.get("data", {})
                for mime in ("text/markdown", "text/html", "text/plain"):
                    if mime in data:
                        texts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
                        break
                texts.extend(f"<{mime}>" for mime in data if mime.startswith("image/"))
            elif output.output_type == "error":
                texts.append(f"error: {output.get('ename')}: {output.get('evalue')}")
        joined = "".join(texts)
        for pattern, replacement in VOLATILE:
            joined = pattern.sub(replacement, joined)
        result.append(joined.splitlines())
    return result


def main(names: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        environment = kernel_environment(Path(folder))
        for name in names or NOTEBOOK_NAMES:
            notebook = execute(name, environment)
            nbformat.write(notebook, NOTEBOOKS / f"{name}.ipynb")
            size = (NOTEBOOKS / f"{name}.ipynb").stat().st_size
            print(f"notebooks/{name}.ipynb executed and saved ({size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
