"""Extraction on a Dask cluster (``dask.distributed``): many reports over many machines.

:func:`extract_files_on_cluster` is ``vnreport-ie extract --scheduler``: the client
reads each file and sends its bytes to the cluster (the workers need no shared
folder), a task per file; results come back and are written in the order of the
files, so the output is the one-process output row for row, and the same
``OUT.progress`` log makes ``--resume`` work as without a cluster. A worker that
dies takes its tasks with it; the scheduler runs them again on another worker and
nothing is written twice (rows are written by the client only, once per file).

:func:`extract_bag` and :func:`to_dask_dataframe` are for graphs of one's own:
the workers read the files by path (they must see them, e.g. on a shared folder).

Each worker process loads the model once (a per-process cache), not once per task.
Needs ``pip install 'vnreport-ie[dask]'``.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vnreport_ie.io.batch import (
    BATCH_PARAGRAPHS,
    CSV_COLUMNS,
    BatchSummary,
    OutputFormat,
    _batches,
    _cut_back,
    check_output,
    _report_location,
    _run_batch,
    _written_size,
    file_project_footnotes,
    file_report_date,
    load_model,
    record_row,
)
from vnreport_ie.io.reports import InputError, check_readable, read_paragraphs
from vnreport_ie.records.tables import COLUMNS


class ClusterError(RuntimeError):
    """The Dask cluster cannot be reached or cannot run the work; the message says which and why."""


_MODELS: dict[str | None, object] = {}
_MODELS_LOCK = threading.Lock()
MODEL_LOADS = {"count": 0}  # models this process has loaded (read by the tests through Client.run)


def worker_model(model: str | None):
    """The pipeline at ``model`` (the shipped one when None), loaded once per process and kept."""
    with _MODELS_LOCK:  # a worker with several threads loads it once too
        if model not in _MODELS:
            _MODELS[model] = load_model(model)
            MODEL_LOADS["count"] += 1
        return _MODELS[model]


@dataclass
class FileResult:
    """What extracting one file gave: its output lines, counts, and its problems (or the error that voided it)."""

    path: str
    lines: list[str] = field(default_factory=list)
    paragraphs: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def extract_file(path: str, data: bytes | None, fmt: OutputFormat = "jsonl", model: str | None = None) -> FileResult:
    """The output lines of one report (its bytes ``data``, or read from ``path`` when None), as extract_files writes them.

    A file that is unreadable (or turns out so half-way) gives no lines and its ``error``."""
    nlp = worker_model(model)
    name = Path(path)
    result = FileResult(path)
    try:
        check_readable(name, data)
        line_problems: list[str] = []
        paragraphs = read_paragraphs(name, line_problems, data)
        location = _report_location(name, data)
        footnotes = file_project_footnotes(name, data)
        date = file_report_date(name, data)
        for batch in _batches(paragraphs, BATCH_PARAGRAPHS):
            result.paragraphs += len(batch)
            lines, records = _run_batch(nlp, batch, fmt, location, footnotes, date)
            result.lines.extend(lines)
            result.records += records
        result.problems = line_problems
    except InputError as error:
        return FileResult(path, error=str(error))
    return result


def connect(scheduler, timeout: str = "20s"):
    """A ``distributed.Client`` for ``scheduler`` (an address like tcp://HOST:PORT, a cluster or a Client)."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("running on a Dask cluster needs dask.distributed: pip install 'vnreport-ie[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({type(error).__name__}: {error})") from None


def extract_files_on_cluster(
    files: list[Path],
    output: Path,
    fmt: OutputFormat = "jsonl",
    model: str | None = None,
    scheduler="tcp://127.0.0.1:8786",
    resume: bool = False,
    progress: bool = True,
) -> BatchSummary:
    """:func:`vnreport_ie.io.batch.extract_files` with the files run on a Dask cluster; the same output and log.

    ``model`` must be a folder every worker can read (None: the model shipped with
    the package each worker has installed). Raises ClusterError when the scheduler
    cannot be reached and ModelLoadError when a worker cannot load the model.
    """
    from tqdm import tqdm

    summary = BatchSummary()
    progress_path, done, size = check_output(output, fmt, resume)
    if model is not None and Path(model).exists():
        model = str(Path(model).resolve())  # the workers run in other folders
    client = connect(scheduler)
    owned = client is not scheduler
    threads = sum(client.nthreads().values()) or 1
    window = max(4, 2 * threads)  # files in flight: enough to keep every worker busy, not the whole archive
    output.parent.mkdir(parents=True, exist_ok=True)
    pending: deque = deque()
    try:
        with output.open("a", encoding="utf-8", newline="") as out, progress_path.open("a", encoding="utf-8") as log:
            _cut_back(out, size)
            if not done:
                log.truncate(0)
            if fmt == "csv" and _written_size(out) == 0:
                out.write(",".join(CSV_COLUMNS) + "\n")
            bar = tqdm(total=len(files), unit="file", disable=not progress)
            todo = iter(files)

            def submit_next() -> bool:
                for path in todo:
                    key = str(path.resolve())
                    if key in done:
                        summary.files_skipped_done += 1
                        bar.update(1)
                        continue
                    try:
                        data = path.read_bytes()
                    except OSError as error:
                        pending.append((path, key, FileResult(str(path), error=f"{path}: cannot read ({error.strerror or error})")))
                        return True
                    future = client.submit(extract_file, str(path), data, fmt, model, pure=False)
                    pending.append((path, key, future))
                    return True
                return False

            while len(pending) < window and submit_next():
                pass
            while pending:
                path, key, job = pending.popleft()
                result: FileResult = job if isinstance(job, FileResult) else _result(job, path)
                submit_next()
                bar.update(1)
                if result.error is not None:
                    summary.problems.append(result.error)
                    continue
                for line in result.lines:
                    out.write(line + "\n")
                summary.paragraphs += result.paragraphs
                summary.records += result.records
                summary.problems.extend(result.problems)
                if not result.paragraphs and not result.problems:
                    summary.empty_files.append(str(path))
                out.flush()
                os.fsync(out.fileno())
                log.write(f"{key}\t{_written_size(out)}\n")
                log.flush()
                summary.files_done += 1
            bar.close()
    finally:
        for _, _, job in pending:
            if not isinstance(job, FileResult):
                job.cancel()
        if owned:
            client.close()
    if summary.problems and not summary.files_done and not summary.files_skipped_done:
        # as extract_files: a run that read nothing leaves no output
        output.unlink(missing_ok=True)
        progress_path.unlink(missing_ok=True)
    return summary


def _result(future, path: Path) -> FileResult:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:
        raise ClusterError(f"{path}: the workers running it died again and again, so it was given up ({error})") from None


def _file_rows(path: str, model: str | None) -> list[dict]:
    """The figure-table rows of one report file (read on the worker), in order; InputError if it is unreadable."""
    nlp = worker_model(model)
    name = Path(path)
    rows: list[dict] = []
    problems: list[str] = []
    paragraphs = read_paragraphs(name, problems)
    location = _report_location(name)
    footnotes = file_project_footnotes(name)
    date = file_report_date(name)
    from vnreport_ie.pipeline.runner import pipe
    from vnreport_ie.records.figures import doc_to_records

    for batch in _batches(paragraphs, BATCH_PARAGRAPHS):
        for paragraph, doc in zip(batch, pipe(nlp, (p.text for p in batch), project_footnotes=footnotes)):
            rows.extend(record_row(r, paragraph) for r in doc_to_records(doc, paragraph.id, location, date))
    if problems:
        raise InputError("; ".join(problems))
    return rows


def extract_bag(paths: Iterable[str | Path], model: str | None = None):
    """A ``dask.bag`` of figure records (the figure table's rows as dicts, COLUMNS), a partition per file, in order.

    The workers read the files by path; each loads the model once. Computing it
    raises InputError (naming the file and line or page) if a file cannot be read.
    """
    try:
        import dask.bag as db
    except ImportError:
        raise ClusterError("extract_bag needs dask: pip install 'vnreport-ie[dask]'") from None
    names = [str(path) for path in paths]
    if not names:
        raise ValueError("extract_bag: no files given")
    return db.from_sequence(names, npartitions=len(names)).map(_file_rows, model).flatten()


def to_dask_dataframe(records, model: str | None = None):
    """A Dask DataFrame of the figure table (COLUMNS, object columns: money stays exact ints) from a bag of
    :func:`extract_bag` or from report paths."""
    import dask.bag as db
    import pandas as pd

    bag = records if isinstance(records, db.Bag) else extract_bag(records, model)
    meta = pd.DataFrame({column: pd.Series([], dtype=object) for column in COLUMNS})
    return bag.to_dataframe(meta=meta)
