"""The notebooks in notebooks/ run from top to bottom on small inputs, and show what they promise.

Each notebook is executed with nbclient in a kernel of this very Python (a kernelspec written to a
temporary folder points to ``sys.executable``), from the notebooks/ folder, with
VNREPORT_NOTEBOOK_SMALL=1 (small inputs: a few paragraphs, a few training steps) and
VNREPORT_NOTEBOOK_OUTPUT set to a temporary folder, so nothing is written into the repository.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_spec = importlib.util.spec_from_file_location(
    "execute_notebooks", Path(__file__).resolve().parent.parent / "scripts" / "execute_notebooks.py"
)
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)
NOTEBOOK_NAMES = ("quickstart", "retraining", "evaluation", "panel")
KERNEL_NAME = "vnreport-notebook-tests"
CELL_TIMEOUT = 240  # seconds per cell; the longest (a few training steps) takes about 15


@pytest.fixture(scope="module")
def notebook_environment(tmp_path_factory):
    """Environment for the kernels: small inputs, a temporary output folder, a kernelspec for sys.executable."""
    jupyter_path = tmp_path_factory.mktemp("jupyter")
    kernel_dir = jupyter_path / "kernels" / KERNEL_NAME
    kernel_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "vnreport-ie notebook tests",
        "language": "python",
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    output = tmp_path_factory.mktemp("notebook-output")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(jupyter_path))
        patch.setenv("VNREPORT_NOTEBOOK_SMALL", "1")
        patch.setenv("VNREPORT_NOTEBOOK_OUTPUT", str(output))
        yield output


def run_notebook(name: str) -> nbformat.NotebookNode:
    """Execute notebooks/NAME.ipynb from the notebooks/ folder; returns the executed notebook."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def cell_tagged(notebook: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [cell for cell in notebook.cells if tag in cell.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def printed(cell: nbformat.NotebookNode) -> str:
    """Everything the cell printed (stdout and stderr)."""
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def shown(cell: nbformat.NotebookNode, mime: str) -> str:
    """The cell's displayed or returned data of one MIME type, concatenated ("" when none)."""
    return "".join(
        output["data"][mime]
        for output in cell.outputs
        if output.output_type in ("display_data", "execute_result") and mime in output.get("data", {})
    )


def errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{cell.id}: {output.get('ename')}: {output.get('evalue')}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_is_saved_with_its_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells and all(cell.execution_count is not None for cell in code_cells), (
        f"{name}.ipynb is stored unexecuted: run `python scripts/execute_notebooks.py {name}`"
    )
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)
    assert (NOTEBOOKS / f"{name}.ipynb").stat().st_size < 400_000, "outputs kept small"


def assert_outputs_current(name: str, executed: nbformat.NotebookNode) -> None:
    """What the notebook shows when run now is what it shows as stored (else its outputs are stale)."""
    stored = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    now, before = execute_notebooks.shown_text(executed), execute_notebooks.shown_text(stored)
    stale = [i for i, (a, b) in enumerate(zip(now, before)) if a != b]
    assert len(now) == len(before) and not stale, (
        f"{name}.ipynb: the stored outputs of code cells {stale} differ from a run now: "
        f"run `python scripts/execute_notebooks.py {name}`"
    )


def test_quickstart_shows_the_figure_table_view_and_chart(notebook_environment):
    notebook = run_notebook("quickstart")
    assert errors(notebook) == []
    assert_outputs_current("quickstart", notebook)
    table = cell_tagged(notebook, "figure-table")
    count = int(printed(table).split(" figures")[0])
    assert count > 0
    assert "<table" in shown(table, "text/html") and "caoloc-2023-02:" in shown(table, "text/html")
    csv_path = notebook_environment / "caoloc-2023-02-figures.csv"
    assert len(csv_path.read_text(encoding="utf-8").splitlines()) == count + 1  # header + one row a figure
    assert (notebook_environment / "caoloc-2023-02-figures.parquet").stat().st_size > 0
    assert "<mark" in shown(cell_tagged(notebook, "view"), "text/html")
    assert shown(cell_tagged(notebook, "chart"), "image/png")
    assert (notebook_environment / "caoloc-2023-02-indicators.png").stat().st_size > 0


def test_retraining_goes_from_label_studio_to_a_scored_model(notebook_environment):
    notebook = run_notebook("retraining")
    assert errors(notebook) == []
    assert_outputs_current("retraining", notebook)
    folder = notebook_environment / "retraining"
    imported_tasks = json.loads((folder / "label-studio-import.json").read_text(encoding="utf-8"))
    assert imported_tasks and all(task["predictions"] for task in imported_tasks)
    exported_tasks = json.loads((folder / "label-studio-export.json").read_text(encoding="utf-8"))
    assert len(exported_tasks) == len(imported_tasks) and all(task["annotations"] for task in exported_tasks)
    assert f"{len(imported_tasks)} paragraphs imported, 0 problems" in printed(cell_tagged(notebook, "import"))
    assert ", 0 problems" in printed(cell_tagged(notebook, "validate"))
    assert "<mark" in shown(cell_tagged(notebook, "validate"), "text/html")
    assert (folder / "model" / "config.cfg").exists()
    assert "trained on 30 paragraphs" in printed(cell_tagged(notebook, "train"))
    scores = shown(cell_tagged(notebook, "evaluate"), "text/markdown")
    assert "| score |" in scores and "patterns" in scores


def test_evaluation_shows_scores_baselines_and_mistakes(notebook_environment):
    notebook = run_notebook("evaluation")
    assert errors(notebook) == []
    assert_outputs_current("evaluation", notebook)
    scores = shown(cell_tagged(notebook, "scores"), "text/markdown")
    assert "| score |" in scores and "patterns" in scores and "underthesea-ner" in scores
    assert shown(cell_tagged(notebook, "chart"), "image/png")
    folder = notebook_environment / "evaluation"
    assert set(json.loads((folder / "scores.json").read_text(encoding="utf-8"))) == {
        "model",
        "patterns",
        "underthesea-ner",
    }
    assert "<table" in shown(cell_tagged(notebook, "errors"), "text/html")
    assert len((folder / "mistakes.csv").read_text(encoding="utf-8").splitlines()) > 1
    assert "<mark" in shown(cell_tagged(notebook, "error-view"), "text/html")
    assert "fold chilang-2024-07" in printed(cell_tagged(notebook, "cross-validation"))
    assert "| score |" in shown(cell_tagged(notebook, "cross-validation-scores"), "text/markdown")


def test_panel_builds_the_panel_of_the_five_reports_and_plots_a_series(notebook_environment):
    import pandas as pd

    notebook = run_notebook("panel")
    assert errors(notebook) == []
    assert_outputs_current("panel", notebook)
    assert "panel rows" in printed(cell_tagged(notebook, "panel"))
    folder = notebook_environment / "panel"
    panel = pd.read_parquet(folder / "panel.parquet")
    assert set(panel.report) == {"bacson-2024", "binhgia-2024-04", "caoloc-2023-02", "chilang-2024-07", "langson-city-2024-q1"}
    assert len(pd.read_csv(folder / "panel.csv")) == len(panel)
    revenue = panel[(panel.indicator_id == "thu_nsnn") & (panel.kind == "level") & panel.period_start.notna()]
    assert revenue.report.nunique() >= 3
    assert shown(cell_tagged(notebook, "series-chart"), "image/png")
    assert (folder / "thu_nsnn.png").stat().st_size > 0
    assert "unreadable: figure cannot be read: malformed number '10,6,0'" in printed(cell_tagged(notebook, "audit"))
