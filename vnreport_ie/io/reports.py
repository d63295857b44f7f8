"""Reading reports to extract from: .txt (a paragraph a line), .jsonl (objects with "text"), .docx and .pdf.

Every command and library entry reads its input through :func:`read_paragraphs`
(or :func:`read_report`), so each accepts the same file types; Word and PDF
files are turned into paragraphs by :mod:`vnreport_ie.io.documents`.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from io import BytesIO, TextIOWrapper
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnreport_ie.io.documents import DOCUMENT_SUFFIXES, DocumentContent, DocumentError, read_document

TEXT_SUFFIXES = (".txt", ".jsonl")
INPUT_SUFFIXES = TEXT_SUFFIXES + DOCUMENT_SUFFIXES
BINARY_SNIFF_BYTES = 8192
UTF8_BOM = b"\xef\xbb\xbf"
# byte-order marks of other Unicode encodings, longest first (UTF-32 LE starts like UTF-16 LE)
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


class InputError(ValueError):
    """A file (or one line of it) that cannot be read as a report; the message says where and why."""


@dataclass
class Paragraph:
    """One paragraph to process, with where it came from."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def input_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The .txt / .jsonl files named or found below folders (each once), and a problem line for each bad path."""
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        key = file.resolve()
        if key not in seen:  # a file named twice (or inside a folder also named) is read once
            seen.add(key)
            files.append(file)

    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES)
            found = [p for p in candidates if p.is_file()]
            if not found:
                problems.append(f"{path}: no .txt, .jsonl, .docx or .pdf files in this folder")
            for candidate in candidates:
                if candidate.is_file():
                    add(candidate)
                elif candidate.is_symlink() and not candidate.exists():
                    problems.append(f"{candidate}: broken symbolic link (to {os.readlink(candidate)}): skipped")
                elif candidate.is_dir():
                    if not any(p.is_file() and p.suffix.lower() in INPUT_SUFFIXES for p in candidate.rglob("*")):
                        problems.append(f"{candidate}: a folder named like a report, not a file: skipped")
                else:
                    problems.append(f"{candidate}: not a regular file: skipped")
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append(f"{path}: not a regular file")
        elif path.is_symlink():
            problems.append(f"{path}: broken symbolic link (to {os.readlink(path)})")
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


PROGRESS_SUFFIX = ".progress"  # `extract -o OUT` logs its finished files in OUT.progress
# keys of a figure-record line (`extract --format jsonl`): such a file is a result, not a report
RECORD_KEYS = frozenset({"paragraph_id", "label", "value", "value_high", "unit", "indicator", "value_error"})


def tool_output_reason(path: Path) -> str | None:
    """Why ``path`` is an output of ``vnreport-ie extract`` rather than a report (None when it is no output).

    An output is a file with an ``OUT.progress`` log beside it (every ``-o`` run writes one) or a
    .jsonl file whose first line is a figure record (``--format jsonl`` sent to standard output).
    """
    progress = path.with_name(path.name + PROGRESS_SUFFIX)
    if progress.is_file():
        return f"an output of `vnreport-ie extract` (its log {progress.name} is beside it)"
    if path.suffix.lower() == ".jsonl":
        try:
            with path.open("rb") as handle:
                first = handle.readline(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
            data = json.loads(first)
        except (OSError, ValueError):
            return None
        if isinstance(data, dict) and RECORD_KEYS <= data.keys():
            return "figure records (the output of `vnreport-ie extract --format jsonl`), not paragraphs"
    return None


def check_readable(path: Path, data: bytes | None = None) -> None:
    """Raise InputError unless ``path`` (or its bytes ``data``) is a readable report: UTF-8 text or a .docx / .pdf.

    Text is judged by its first bytes; a .docx or .pdf by its signature (its
    content is checked when it is read)."""
    try:
        if data is not None:
            head = data[:BINARY_SNIFF_BYTES]
        else:
            with path.open("rb") as handle:
                head = handle.read(BINARY_SNIFF_BYTES)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return
    encoding = _other_unicode_encoding(head)
    if encoding:
        raise InputError(
            f"{path}: {encoding} text, not UTF-8 (tried utf-8); convert it first, "
            f"e.g. `iconv -f {encoding} -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}`"
        )
    if b"\x00" in head:
        raise InputError(f"{path}: looks like a binary file (it holds NUL bytes), not a text report (tried utf-8)")
    if path.suffix.lower() not in INPUT_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {path.suffix!r}; give .txt (a paragraph a line), .jsonl, .docx or .pdf"
        )


def _other_unicode_encoding(head: bytes) -> str | None:
    """"UTF-16" / "UTF-32" when the first bytes show that encoding (a byte-order mark, or NUL every other byte)."""
    for bom, name in UNICODE_BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        # mostly-Latin UTF-16 without a byte-order mark: one byte of each pair is NUL, the other is not
        for nuls, others in ((even.count(0), odd.count(0)), (odd.count(0), even.count(0))):
            if nuls > 0.4 * len(even) and others < 0.05 * len(even):
                return "UTF-16"
    return None


def read_report(path: str | Path) -> list[Paragraph]:
    """The paragraphs of a report file (.txt, .jsonl, .docx or .pdf) with their ids; InputError if any part is unreadable.

    Ids are "REPORT:LINE" for .txt / .jsonl, "REPORT:N" (the N-th paragraph) for
    .docx and "REPORT:pPAGE:N" (the N-th paragraph that starts on that page) for
    .pdf; every record's offsets are offsets into its paragraph's text.
    """
    return list(read_paragraphs(Path(path)))


def read_paragraphs(path: Path, problems: list[str] | None = None, data: bytes | None = None) -> Iterator[Paragraph]:
    """Paragraphs of one input file, lazily (in a text file a paragraph is a line: the text between two "\\n").

    A file that cannot be read raises InputError naming it (and the line
    that is not UTF-8, or the PDF page); a bad line of a .jsonl file or a PDF
    page without a text layer is added to ``problems`` as "file:line: why" (or
    raises when no list is given) and the rest of the file is still read. A
    UTF-8 byte-order mark is dropped. ``data``: the file's bytes, when they
    were read elsewhere (``path`` then only names the file).
    """
    check_readable(path, data)
    doc_id = path.stem
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        yield from _document_paragraphs(path, doc_id, problems, data)
        return
    is_jsonl = path.suffix.lower() == ".jsonl"
    try:
        with (BytesIO(data) if data is not None else path.open("rb")) as handle:
            for line_number, raw in enumerate(handle, start=1):
                if line_number == 1 and raw.startswith(UTF8_BOM):
                    raw = raw[len(UTF8_BOM) :]
                try:
                    line = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as error:
                    raise InputError(
                        f"{path}:{line_number}: not UTF-8 text (tried utf-8: byte 0x{raw[error.start]:02x} at byte "
                        f"{error.start + 1} of the line); convert the file first, e.g. "
                        f"`iconv -f WINDOWS-1258 -t UTF-8` for Windows Vietnamese"
                    ) from None
                if is_jsonl:
                    try:
                        paragraph = _jsonl_paragraph(path, line_number, line, doc_id)
                    except InputError as error:
                        if problems is None:
                            raise
                        problems.append(str(error))
                        continue
                    if paragraph is not None:
                        yield paragraph
                elif line.strip():
                    yield Paragraph(f"{doc_id}:{line_number}", line, {"doc": doc_id, "paragraph": line_number})
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None


def _jsonl_paragraph(path: Path, line_number: int, line: str, doc_id: str) -> Paragraph | None:
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{line_number}: bad JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError(f'{path}:{line_number}: expected a JSON object with a string "text"')
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    paragraph_id = str(data["id"]) if data.get("id") is not None else f"{doc_id}:{line_number}"
    return Paragraph(paragraph_id, data["text"], dict(meta))


_DOCUMENTS: dict[tuple, DocumentContent] = {}  # the last documents read: a run reads a file's paragraphs more than once
_DOCUMENTS_KEPT = 4
_DOCUMENTS_LOCK = threading.Lock()


def _read_document_once(path: Path, data: bytes | None) -> DocumentContent:
    if data is None:
        try:
            stat = path.stat()
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
        key: tuple = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    else:
        key = (str(path), hashlib.sha1(data).hexdigest())
    with _DOCUMENTS_LOCK:  # a Dask worker may run several files in threads
        if key in _DOCUMENTS:
            return _DOCUMENTS[key]
    try:
        content = read_document(path, data)
    except DocumentError as error:
        raise InputError(str(error)) from None
    with _DOCUMENTS_LOCK:
        while len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
            _DOCUMENTS.pop(next(iter(_DOCUMENTS)))
        _DOCUMENTS[key] = content
    return content


def _document_paragraphs(path: Path, doc_id: str, problems: list[str] | None, data: bytes | None) -> Iterator[Paragraph]:
    content = _read_document_once(path, data)
    if content.problems:
        if problems is None:
            raise InputError(content.problems[0])
        problems.extend(content.problems)
    for paragraph in content.paragraphs:
        meta: dict[str, Any] = {"doc": doc_id, "paragraph": paragraph.number}
        if paragraph.page is not None:
            meta["page"] = paragraph.page
            paragraph_id = f"{doc_id}:p{paragraph.page}:{paragraph.number}"
        else:
            paragraph_id = f"{doc_id}:{paragraph.number}"
        if paragraph.kind != "body":
            meta["kind"] = paragraph.kind
        yield Paragraph(paragraph_id, paragraph.text, meta)


def report_text(path: Path, limit: int | None = None, data: bytes | None = None) -> str:
    """The text of a report file as one string (its first ``limit`` characters), for what reads the whole report.

    A text file's own characters (undecodable bytes replaced); a document's
    paragraphs joined with newlines."""
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        text = "\n".join(p.text for p in read_paragraphs(path, [], data))
    else:
        source = BytesIO(data) if data is not None else path.open("rb")
        with TextIOWrapper(source, encoding="utf-8", errors="replace") as handle:
            return handle.read(limit) if limit is not None else handle.read()
    return text[:limit] if limit is not None else text
