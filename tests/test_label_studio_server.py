"""The retraining round trip through a real Label Studio started on 127.0.0.1.

``preannotate --format label-studio`` → imported into Label Studio → predictions saved as
annotations through its API (and one annotation edited, as an annotator would) → Label
Studio's own JSON export → ``convert --to doccano`` gives back exactly what was
pre-annotated (with the edit). Label Studio pins many dependencies, so it lives in its own
virtual environment: ``scripts/run-tests.sh`` makes it in ``.cache/label-studio-venv``
(or set ``VNREPORT_LABEL_STUDIO`` to a ``label-studio`` executable). Without it the test
skips, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, require_in_ci
from vnreport_ie.cli import app
from vnreport_ie.io.formats import label_studio_config

LABEL_STUDIO = Path(os.environ.get("VNREPORT_LABEL_STUDIO", REPO / ".cache" / "label-studio-venv" / "bin" / "label-studio"))
SAMPLE = REPO / "samples" / "caoloc-2023-02.txt"
TOKEN = "vnreport-test-token-0123456789"  # the throwaway organisation's legacy API token
START_TIMEOUT_S = 300  # the first start migrates a fresh SQLite database: about a minute on 2 cores
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LabelStudio:
    """A Label Studio server in a temporary data folder, driven through its HTTP API with a token."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body=None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                data = response.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: HTTP {error.code}: {error.read()[:2000]!r}") from None
        return json.loads(data) if data else None


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    if not LABEL_STUDIO.exists():
        require_in_ci(f"no Label Studio at {LABEL_STUDIO} (bash scripts/run-tests.sh installs it there)")
    data = tmp_path_factory.mktemp("label-studio-data")
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LATEST_VERSION_CHECK": "false",  # no request to pypi.org
        "COLLECT_ANALYTICS": "false",
        "HOME": str(data),
    }
    command = [
        str(LABEL_STUDIO), "start", "--no-browser", "--data-dir", str(data), "--internal-host", "127.0.0.1",
        "--port", str(port), "--username", "test@example.com", "--password", "vnreport-test-pw",
        # 1.23 makes organisations with legacy tokens off; this throwaway one has them on
        "--user-token", TOKEN, "--enable-legacy-api-token",
    ]  # fmt: skip
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"label-studio exited with {server.returncode}: {(data / 'server.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"label-studio did not answer in {START_TIMEOUT_S} s: {(data / 'server.log').read_text()[-3000:]}")
            time.sleep(2)
        yield LabelStudio(base)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # its own session: the server and its workers
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_preannotate_import_save_export_convert_is_exact(label_studio, tmp_path):
    """The sample's predictions come back from Label Studio's own export exactly, with an annotator's edit."""
    for fmt, name in (("label-studio", "pre.json"), ("doccano", "pre.jsonl")):
        result = runner.invoke(app, ["preannotate", str(SAMPLE), "--format", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    tasks = json.loads((tmp_path / "pre.json").read_text(encoding="utf-8"))
    expected = {example["id"]: example for example in _jsonl(tmp_path / "pre.jsonl")}
    assert len(tasks) == len(expected) == 71

    project = label_studio.call("POST", "/api/projects", {"title": "vnreport round trip", "label_config": label_studio_config()})
    imported = label_studio.call("POST", f"/api/projects/{project['id']}/import", tasks)
    assert (imported["task_count"], imported["prediction_count"]) == (71, 71)
    saved = label_studio.call(
        "POST",
        f"/api/dm/actions?id=predictions_to_annotations&project={project['id']}",
        {"selectedItems": {"all": True, "excluded": []}},
    )
    assert "71" in saved["detail"], saved

    # an annotator removes the last relation of the first task that has one, and saves
    exported = label_studio.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    edited = next(t for t in exported if any(r["type"] == "relation" for r in t["annotations"][0]["result"]))
    annotation = edited["annotations"][0]
    result = list(annotation["result"])
    dropped = max(i for i, item in enumerate(result) if item["type"] == "relation")
    del result[dropped]
    label_studio.call("PATCH", f"/api/annotations/{annotation['id']}/", {"result": result})
    export_path = tmp_path / "export.json"
    export_path.write_bytes(
        urllib.request.urlopen(
            urllib.request.Request(
                f"{label_studio.base}/api/projects/{project['id']}/export?exportType=JSON",
                headers={"Authorization": f"Token {TOKEN}"},
            ),
            timeout=120,
        ).read()
    )

    # what the real tool writes: predictions listed by id, annotations with Label Studio's own fields
    exported = json.loads(export_path.read_text(encoding="utf-8"))
    assert len(exported) == 71
    assert all(all(isinstance(p, int) for p in task["predictions"]) and task["predictions"] for task in exported)
    assert all(len(task["annotations"]) == 1 and not task["annotations"][0]["was_cancelled"] for task in exported)

    result = runner.invoke(app, ["convert", str(export_path), "--to", "doccano", "-o", str(tmp_path / "back.jsonl")])
    assert result.exit_code == 0, result.output
    back = {example["id"]: example for example in _jsonl(tmp_path / "back.jsonl")}
    edited_id = edited["data"]["id"]
    want = expected[edited_id]
    assert len(back[edited_id]["relations"]) == len(want["relations"]) - 1
    assert {k: v for k, v in back.items() if k != edited_id} == {k: v for k, v in expected.items() if k != edited_id}
    assert sum(len(e["entities"]) for e in back.values()) == sum(len(e["entities"]) for e in expected.values()) > 100
    assert back[edited_id]["entities"] == want["entities"] and back[edited_id]["text"] == want["text"]

    # and back into training: the converted file validates against the guide
    result = runner.invoke(app, ["validate", str(tmp_path / "back.jsonl")])
    assert result.exit_code == 0 and "71 examples, 0 problems" in result.output, result.output
