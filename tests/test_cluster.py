"""Extraction on a real Dask cluster: a LocalCluster of two worker processes started by the tests."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import cloudpickle
import pytest
from report_documents import build_docx, build_pdf, report_lines
from typer.testing import CliRunner

from conftest import REPO

SAMPLE = REPO / "samples" / "caoloc-2023-02.txt"
runner = CliRunner()
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import the tests' modules


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        with Client(local) as client:
            yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """Reports of every kind: the sample, its DOCX and PDF, two shorter texts, a binary file, a .jsonl with a bad line."""
    folder = tmp_path_factory.mktemp("inputs")
    lines = report_lines(SAMPLE)
    (folder / "short-a.txt").write_text("\n".join(lines[20:40]) + "\n", encoding="utf-8")
    (folder / "short-b.txt").write_text("\n".join(lines[40:60]) + "\n", encoding="utf-8")
    (folder / "junk.txt").write_bytes(b"\x00\x01binary")
    (folder / "lines.jsonl").write_text(
        json.dumps({"text": lines[30]}, ensure_ascii=False) + "\n{not json\n" + json.dumps({"text": lines[31]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return [
        SAMPLE,
        build_docx(lines, folder / "caoloc-docx.docx"),
        folder / "short-a.txt",
        folder / "junk.txt",
        build_pdf(lines[:50], folder / "caoloc-pdf.pdf"),
        folder / "lines.jsonl",
        folder / "short-b.txt",
    ]


@pytest.fixture(scope="module")
def one_process(tmp_path_factory, inputs):
    """The one-process output (jsonl and csv) and summaries of the inputs."""
    from vnreport_ie.io.batch import extract_files

    folder = tmp_path_factory.mktemp("one")
    result = {}
    for fmt in ("jsonl", "csv"):
        out = folder / f"out.{fmt}"
        summary = extract_files(inputs, out, fmt, progress=False)
        result[fmt] = (out.read_bytes(), summary)
    return result


def _model_loads() -> int:
    from vnreport_ie.io.cluster import MODEL_LOADS

    return MODEL_LOADS["count"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cluster_output_is_the_one_process_output_row_for_row(tmp_path, cluster, inputs, one_process, fmt):
    from vnreport_ie.io.cluster import extract_files_on_cluster

    out = tmp_path / f"out.{fmt}"
    summary = extract_files_on_cluster(inputs, out, fmt, scheduler=cluster, progress=False)
    expected, reference = one_process[fmt]
    assert out.read_bytes() == expected
    assert len(expected.splitlines()) > 100
    assert (summary.files_done, summary.paragraphs, summary.records) == (reference.files_done, reference.paragraphs, reference.records)
    assert summary.problems == reference.problems and len(summary.problems) == 2  # the binary file, the bad JSON line
    assert summary.empty_files == reference.empty_files


def test_each_worker_process_loads_the_model_once(cluster, inputs, tmp_path):
    from vnreport_ie.io.cluster import extract_files_on_cluster

    extract_files_on_cluster(inputs, tmp_path / "again.jsonl", scheduler=cluster, progress=False)
    loads = cluster.run(_model_loads)
    pids = cluster.run(os.getpid)
    assert len(set(pids.values())) == 2  # two processes, not threads of one
    assert sorted(loads.values()) == [1, 1], loads  # both ran files (14 tasks), each loaded the model once


def test_extract_bag_and_dask_dataframe_give_the_jsonl_rows(cluster, inputs, one_process):
    import vnreport_ie
    from vnreport_ie.records.tables import COLUMNS

    readable = [p for p in inputs if p.name not in ("junk.txt", "lines.jsonl")]
    bag = vnreport_ie.extract_bag(readable)
    rows = [json.loads(json.dumps(row, ensure_ascii=False)) for row in bag.compute()]
    expected = [json.loads(line) for line in one_process["jsonl"][0].decode("utf-8").splitlines()]
    expected = [row for row in expected if row["report"] != "lines"]
    assert rows == expected
    frame = vnreport_ie.to_dask_dataframe(bag)
    assert list(frame.columns) == list(COLUMNS)
    computed = frame.compute()
    assert len(computed) == len(expected)
    assert computed["value"].tolist() == [row["value"] for row in expected]  # money stays exact ints


def test_extract_bag_names_the_file_it_cannot_read(cluster, inputs):
    import vnreport_ie
    from vnreport_ie.io.reports import InputError

    junk = next(p for p in inputs if p.name == "junk.txt")
    with pytest.raises(InputError, match="junk.txt: looks like a binary file"):
        vnreport_ie.extract_bag([junk]).compute()


def test_resume_on_the_cluster_finishes_an_interrupted_run(tmp_path, cluster, inputs, one_process):
    from vnreport_ie.io.cluster import extract_files_on_cluster

    out = tmp_path / "out.jsonl"
    extract_files_on_cluster(inputs[:3], out, scheduler=cluster, progress=False)
    with out.open("a", encoding="utf-8") as torn:  # a file half-written when the run stopped
        torn.write('{"report": "short-b", "half a row')
    summary = extract_files_on_cluster(inputs, out, scheduler=cluster, resume=True, progress=False)
    assert summary.files_skipped_done == 3
    assert out.read_bytes() == one_process["jsonl"][0]


def test_cli_extract_with_scheduler_writes_the_one_process_output(tmp_path, cluster, inputs, one_process):
    from vnreport_ie.cli import app

    out = tmp_path / "cli.csv"
    address = cluster.scheduler.address
    result = runner.invoke(app, ["extract", *map(str, inputs), "--scheduler", address, "-o", str(out), "--no-progress"])
    assert result.exit_code == 1  # the binary file and the bad JSON line are listed
    assert out.read_bytes() == one_process["csv"][0]
    assert "junk.txt: looks like a binary file" in result.output


def test_cli_scheduler_and_processes_together_is_one_error(tmp_path):
    from vnreport_ie.cli import app

    result = runner.invoke(app, ["extract", str(SAMPLE), "--scheduler", "tcp://127.0.0.1:1", "-p", "2", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "give --scheduler (a Dask cluster) or --processes (local workers), not both" in result.output


def test_unreachable_scheduler_is_one_clear_error():
    from vnreport_ie.io.cluster import ClusterError, connect

    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        connect("tcp://127.0.0.1:9", timeout="2s")


def test_a_worker_killed_mid_run_loses_and_duplicates_no_row(tmp_path, cluster, inputs):
    from vnreport_ie.io.batch import extract_files
    from vnreport_ie.io.cluster import extract_files_on_cluster

    files = []
    for copy in range(6):  # enough files that some are still running when a worker dies
        path = tmp_path / f"copy-{copy}.txt"
        path.write_bytes(SAMPLE.read_bytes())
        files.append(path)
    files += [p for p in inputs if p.suffix == ".docx"]
    expected = tmp_path / "one.jsonl"
    extract_files(files, expected, "jsonl", progress=False)

    out = tmp_path / "killed.jsonl"
    log = tmp_path / "killed.jsonl.progress"
    pids = cluster.run(os.getpid)
    killed: list[int] = []

    def kill_when_one_file_is_done() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if log.exists() and log.read_text(encoding="utf-8").count("\n") >= 1:
                processing = cluster.processing()
                busy = [address for address, keys in processing.items() if keys] or list(pids)
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_one_file_is_done)
    killer.start()
    summary = extract_files_on_cluster(files, out, scheduler=cluster, progress=False)
    killer.join()
    assert killed, "no worker was killed: the run ended before a file was done?"
    assert summary.files_done == len(files) and not summary.problems
    assert out.read_bytes() == expected.read_bytes()
    cluster.wait_for_workers(2, timeout=120)  # the nanny started a new worker process
    assert killed[0] not in cluster.run(os.getpid).values()


def test_a_model_the_workers_cannot_load_is_one_error(tmp_path, cluster):
    from vnreport_ie.cli import app

    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \n", encoding="utf-8")
    result = runner.invoke(
        app, ["extract", str(SAMPLE), "-m", str(broken), "--scheduler", cluster.scheduler.address, "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1
    assert f"error: {broken.resolve()}: cannot load the model" in result.output
