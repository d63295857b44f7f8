"""Reading reports to extract from: .txt (a paragraph a line) and .jsonl (objects with "text")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INPUT_SUFFIXES = (".txt", ".jsonl")
BINARY_SNIFF_BYTES = 8192


class InputError(ValueError):
    """A file (or one line of it) that cannot be read as a report; the message says where and why."""


@dataclass
class Paragraph:
    """One paragraph to process, with where it came from."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def input_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The .txt / .jsonl files named or found below folders, and a problem line for each bad path."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file())
            if not found:
                problems.append(f"{path}: no .txt or .jsonl files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(f"{path}: not a regular file")
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def check_readable(path: Path) -> None:
    """Raise InputError unless ``path`` is a readable UTF-8 text file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(BINARY_SNIFF_BYTES)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    if b"\x00" in head:
        raise InputError(f"{path}: looks like a binary file (it holds NUL bytes), not a text report")
    if path.suffix.lower() not in INPUT_SUFFIXES:
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; give .txt (a paragraph a line) or .jsonl")


def read_paragraphs(path: Path, problems: list[str] | None = None) -> Iterator[Paragraph]:
    """Paragraphs of one input file, lazily.

    A file that cannot be read raises InputError naming it; a bad line of a
    .jsonl file is added to ``problems`` as "file:line: why" (or raises when
    no list is given) and the rest of the file is still read.
    """
    check_readable(path)
    doc_id = path.stem
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line_number, line in enumerate(handle, start=1):
                line = line.rstrip("\r\n")
                if path.suffix.lower() == ".jsonl":
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
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text (tried utf-8: byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start} of a read block); convert it first, e.g. `iconv -f WINDOWS-1258 -t UTF-8`"
        ) from None
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
