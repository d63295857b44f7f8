"""Streaming extraction over many files: constant memory, output written as it goes, resumable.

Paragraphs are read lazily and processed in batches; with ``processes > 1``
the batches go to worker processes (each loads the model once) and come
back in order. After each finished input file its name and the output's
size are appended to ``OUT.progress``; ``resume=True`` truncates the output
to the last finished file and skips the files already done.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Literal

from vnreport_ie.io.annotations import json_line
from vnreport_ie.io.reports import InputError, Paragraph, check_readable, read_paragraphs, report_text
from vnreport_ie.records.figures import FigureRecord
from vnreport_ie.records.tables import COLUMNS as TABLE_COLUMNS
from vnreport_ie.records.tables import csv_cell, table_row

OutputFormat = Literal["doccano", "csv", "jsonl"]
OUTPUT_FORMATS = ("doccano", "csv", "jsonl")
# the CSV output is the same figure table as vnreport_ie.records.tables (same columns, same order)
CSV_COLUMNS = TABLE_COLUMNS
BATCH_PARAGRAPHS = 32


@dataclass
class BatchSummary:
    """What a batch run did."""

    files_done: int = 0
    files_skipped_done: int = 0
    paragraphs: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)
    empty_files: list[str] = field(default_factory=list)  # read without error but holding no paragraph


def output_lines(paragraph: Paragraph, doc, fmt: OutputFormat, location=None, report_date=None) -> list[str]:
    """The output lines (without newline) of one processed paragraph."""
    from vnreport_ie.records.figures import doc_to_records

    if fmt == "doccano":
        return [json_line(doc_to_doccano(paragraph, doc))]
    records = doc_to_records(doc, paragraph.id, location, report_date)
    if fmt == "jsonl":
        return [json_line(record_row(r, paragraph)) for r in records]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for record in records:
        row = record_row(record, paragraph)
        writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue().splitlines()


def record_row(record: FigureRecord, paragraph: Paragraph) -> dict:
    """A record as a flat dict with its paragraph's provenance (the report from meta.doc when given)."""
    return table_row(record, paragraph.meta.get("doc"))


def doc_to_doccano(paragraph: Paragraph, doc) -> dict:
    """A processed paragraph in the annotation guide's JSONL shape (id and meta kept)."""
    from vnreport_ie.pipeline.relations import get_relations

    entities = []
    index = {}
    for i, ent in enumerate(doc.ents):
        entities.append({"id": i, "start_offset": ent.start_char, "end_offset": ent.end_char, "label": ent.label_})
        index[(ent.start_char, ent.end_char)] = i
    relations = []
    for relation in get_relations(doc):
        head = index.get((relation.head_start, relation.head_end))
        tail = index.get((relation.tail_start, relation.tail_end))
        if head is not None and tail is not None:
            relations.append({"id": len(relations), "from_id": head, "to_id": tail, "type": relation.type})
    return {"id": paragraph.id, "text": paragraph.text, "entities": entities, "relations": relations, "meta": paragraph.meta}


# ------------------------------------------------------------ worker processes

_WORKER_NLP = None
_WORKER_LOAD_ERROR: str | None = None


class ModelLoadError(RuntimeError):
    """The model could not be loaded (in this process or a worker); the message says which and why."""


def load_model(model: str | Path | None):
    """The pipeline at ``model`` (the shipped one when None); any failure becomes a one-line ModelLoadError."""
    from vnreport_ie.pipeline.runner import load

    try:
        return load(model)
    except Exception as error:  # spaCy raises many kinds (OSError, ValueError, registry errors...): name it, re-raise
        where = model if model is not None else "the shipped model"
        raise ModelLoadError(f"{where}: cannot load the model ({type(error).__name__}: {error})") from error


def _init_worker(model: str | None) -> None:
    # a failing initializer would make the pool restart workers forever: keep the error for the first batch
    global _WORKER_NLP, _WORKER_LOAD_ERROR
    try:
        _WORKER_NLP = load_model(model)
    except ModelLoadError as error:
        _WORKER_LOAD_ERROR = str(error)


def _process_batch(args: tuple) -> tuple[list[str], int]:
    if _WORKER_NLP is None:
        raise ModelLoadError(_WORKER_LOAD_ERROR or "the worker has no model")
    return _run_batch(_WORKER_NLP, *args)


def _run_batch(
    nlp, paragraphs: list[Paragraph], fmt: OutputFormat, location=None, project_footnotes=frozenset(), report_date=None
) -> tuple[list[str], int]:
    lines: list[str] = []
    records = 0
    from vnreport_ie.pipeline.runner import pipe

    texts = (p.text for p in paragraphs)
    for paragraph, doc in zip(paragraphs, pipe(nlp, texts, project_footnotes=project_footnotes)):
        produced = output_lines(paragraph, doc, fmt, location, report_date)
        records += len(produced) if fmt != "doccano" else sum(1 for e in doc.ents if e.label_ in ("MONEY", "PERCENT"))
        lines.extend(produced)
    return lines, records


LOCATION_PREFIX_CHARS = 200_000  # enough of a report for its header and the districts its body names


def _report_location(path: Path, data: bytes | None = None):
    """The district and province a report file states (header, place-and-date line or body), if any."""
    from vnreport_ie.text.communes import report_location

    return report_location(report_text(path, LOCATION_PREFIX_CHARS, data))


def file_report_date(path: Path, data: bytes | None = None):
    """The date a report file states in its first paragraphs (place-and-date line or title), if any."""
    from vnreport_ie.records.periods import HEADER_LINES, report_date

    return report_date("\n".join(p.text for p in islice(read_paragraphs(path, [], data), HEADER_LINES)))


def file_project_footnotes(path: Path, data: bytes | None = None) -> frozenset[str]:
    """The marks of the footnotes of a report file that list projects (a first pass over its paragraphs:
    a footnote comes after the paragraph that counts the projects, maybe in a later batch)."""
    from vnreport_ie.pipeline.project import project_footnote_marks

    marks: set[str] = set()
    for paragraph in read_paragraphs(path, [], data):
        marks |= project_footnote_marks(paragraph.text)
    return frozenset(marks)


def _batches(paragraphs: Iterable[Paragraph], size: int) -> Iterator[list[Paragraph]]:
    iterator = iter(paragraphs)
    while batch := list(islice(iterator, size)):
        yield batch


def _read_progress(progress_path: Path) -> tuple[set[str], int]:
    done: set[str] = set()
    size = 0
    if progress_path.exists():
        for line in progress_path.read_text(encoding="utf-8").splitlines():
            name, _, offset = line.rpartition("\t")
            if name and offset.isdigit():  # a line torn by a crash while it was written is ignored
                done.add(name)
                size = int(offset)
    return done, size


def _written_size(out: IO[str]) -> int:
    """Bytes of the output file so far (everything written is flushed first)."""
    out.flush()
    return os.fstat(out.fileno()).st_size


def _cut_back(out: IO[str], size: int) -> None:
    """Drop what was written after ``size`` bytes (the output is opened for appending, so writes follow)."""
    out.flush()
    os.ftruncate(out.fileno(), size)


def check_output(output: Path, fmt: str, resume: bool) -> tuple[Path, set[str], int]:
    """The progress log of ``output``, the files it lists as done and the output size it logged (nothing when
    not resuming); ValueError when the format is unknown, the output is a folder or a resume cannot continue."""
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(OUTPUT_FORMATS)})")
    if output.is_dir():
        raise ValueError(f"{output}: is a folder; give the output file's name")
    progress_path = output.with_name(output.name + ".progress")
    done, size = _read_progress(progress_path) if resume else (set(), 0)
    if done:
        written = output.stat().st_size if output.is_file() else None
        if written is None or written < size:
            raise ValueError(
                f"{output}: cannot resume: {progress_path.name} lists {len(done)} finished file(s) "
                f"({size} bytes) but the output {'is missing' if written is None else f'has {written} bytes'}; "
                "run again without --resume"
            )
    return progress_path, done, size


def extract_files(
    files: list[Path],
    output: Path,
    fmt: OutputFormat = "jsonl",
    model: str | None = None,
    processes: int = 1,
    resume: bool = False,
    progress: bool = True,
) -> BatchSummary:
    """Extract from every file into ``output``, streaming; unreadable files are listed, not fatal.

    A file that turns out unreadable half-way leaves nothing in the output.
    Raises ValueError when ``resume`` cannot continue this output, ModelLoadError
    when the model cannot be loaded and OSError when the output cannot be written.
    """
    from tqdm import tqdm

    summary = BatchSummary()
    progress_path, done, size = check_output(output, fmt, resume)
    nlp = load_model(model) if processes <= 1 else None
    output.parent.mkdir(parents=True, exist_ok=True)
    # always appending: a write after _cut_back goes to the new end, leaving no hole
    with output.open("a", encoding="utf-8", newline="") as out:
        _cut_back(out, size)  # without resume: empties the file; with it: drops an unfinished file's part
        if not done:
            progress_path.unlink(missing_ok=True)
        pool = None
        if processes > 1:
            import multiprocessing

            pool = multiprocessing.get_context("spawn").Pool(processes, initializer=_init_worker, initargs=(model,))
        try:
            with progress_path.open("a", encoding="utf-8") as log:
                if fmt == "csv" and _written_size(out) == 0:
                    out.write(",".join(CSV_COLUMNS) + "\n")
                bar = tqdm(total=len(files), unit="file", disable=not progress)
                for path in files:
                    key = str(path.resolve())
                    if key in done:
                        summary.files_skipped_done += 1
                        bar.update(1)
                        continue
                    start, counts = _written_size(out), (summary.paragraphs, summary.records)
                    try:
                        check_readable(path)
                        line_problems: list[str] = []
                        paragraphs = read_paragraphs(path, line_problems)
                        location = _report_location(path)
                        footnotes = file_project_footnotes(path)
                        date = file_report_date(path)
                        batches = (
                            (batch, fmt, location, footnotes, date)
                            for batch in _batches(_counted(paragraphs, summary), BATCH_PARAGRAPHS)
                        )
                        results = pool.imap(_process_batch, batches) if pool else (_run_batch(nlp, *args) for args in batches)
                        for lines, records in results:
                            for line in lines:
                                out.write(line + "\n")
                            summary.records += records
                        summary.problems.extend(line_problems)
                    except InputError as error:  # e.g. a line that is not UTF-8, found half-way through
                        _cut_back(out, start)
                        summary.paragraphs, summary.records = counts
                        summary.problems.append(str(error))
                        bar.update(1)
                        continue
                    if summary.paragraphs == counts[0] and not line_problems:
                        summary.empty_files.append(str(path))
                    out.flush()
                    os.fsync(out.fileno())
                    log.write(f"{key}\t{_written_size(out)}\n")
                    log.flush()
                    summary.files_done += 1
                    bar.update(1)
                bar.close()
        except BaseException:
            if pool is not None:
                pool.terminate()  # close() + join() would wait for the queued batches
                pool = None
            raise
        finally:
            if pool is not None:
                pool.close()
                pool.join()
    if summary.problems and not summary.files_done and not summary.files_skipped_done:
        # a run that read nothing leaves no output (not a header-only CSV that looks like a result)
        output.unlink(missing_ok=True)
        progress_path.unlink(missing_ok=True)
    return summary


def _counted(paragraphs: Iterable[Paragraph], summary: BatchSummary) -> Iterator[Paragraph]:
    for paragraph in paragraphs:
        summary.paragraphs += 1
        yield paragraph
