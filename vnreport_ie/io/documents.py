"""Paragraphs of Word (.docx) and PDF reports, as the text a paragraph-a-line file would hold.

DOCX (python-docx): the body's paragraphs in order, each table row as one
paragraph (its cells joined with " | "), and each footnote as paragraphs of its
own right after the paragraph that refers to it, its mark first ("¹⁴ A; B; …");
the reference in the body becomes the same superscript mark ("07 dự án¹⁴").

PDF with a text layer (pdfplumber, on pdfminer.six): characters are grouped into
lines, raised small characters become superscript marks, running headers and
footers and page numbers are dropped, wrapped lines are joined into paragraphs
(end-of-line hyphenation undone only where the document also writes the word
whole), footnotes (smaller type starting with a mark) are their own paragraphs,
and table rows found by their ruling lines are paragraphs with " | " between
cells. A PDF without a text layer raises DocumentError: it needs OCR first.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

DOCUMENT_SUFFIXES = (".pdf", ".docx")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPERSCRIPT_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# a footnote's first line: its mark, e.g. "¹⁴ Dự án A; Dự án B" or "⁴Trong đó:"
FOOTNOTE_START = re.compile(f"^[{SUPERSCRIPT_CHARS}]+")
# a line that is only a page number: "3", "- 3 -", "Trang 3", "Trang 3/12", "Page 3 of 12"
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:trang|page)?\s*[-–—]?\s*\d{1,4}\s*(?:[-–—]|(?:/|of|trên)\s*\d{1,4})?\s*$", re.I)
LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u00a0": " "})
# the last word of a line that ends in a hyphen: "hyphen-" (no space before the hyphen)
HYPHENATED_END = re.compile(r"(\w+)-$")
WORD = re.compile(r"\w+")


class DocumentError(ValueError):
    """A .docx or .pdf that cannot be read as a report; the message names the file (and page) and why."""


@dataclass(frozen=True)
class DocumentParagraph:
    """A paragraph of a document: its text, the page it starts on (PDF) and its number there.

    ``number`` counts the paragraphs that start on ``page`` (PDF) or the
    paragraphs of the whole document (DOCX, which has no pages of its own);
    ``kind`` is "body", "table-row", "footnote" or "endnote" (DOCX).
    """

    text: str
    number: int
    page: int | None = None
    kind: str = "body"


@dataclass
class DocumentContent:
    """The paragraphs of a document and what could not be read from it (each "file: page N: why")."""

    paragraphs: list[DocumentParagraph]
    problems: list[str] = field(default_factory=list)


def read_document(path: Path, data: bytes | None = None) -> DocumentContent:
    """The paragraphs of a .docx or .pdf file (its bytes may be given as ``data``); DocumentError if unreadable."""
    suffix = path.suffix.lower()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise DocumentError(f"{path}: cannot read ({error.strerror or error})") from None
    if suffix == ".pdf":
        if not data.startswith(PDF_MAGIC):
            raise DocumentError(f"{path}: not a PDF file (it does not start with %PDF-)")
        return read_pdf(BytesIO(data), str(path))
    if suffix == ".docx":
        if not data.startswith(ZIP_MAGIC):
            raise DocumentError(f"{path}: not a .docx file (not a zip package; an old binary .doc must be saved as .docx)")
        return read_docx(BytesIO(data), str(path))
    raise DocumentError(f"{path}: not a document type this reader knows ({', '.join(DOCUMENT_SUFFIXES)})")


def _missing(package: str, extra: str, name: str) -> DocumentError:
    return DocumentError(f"{name}: reading this file needs {package}: pip install 'vnreport-ie[{extra}]'")


# ------------------------------------------------------------------ DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def read_docx(source: BinaryIO, name: str) -> DocumentContent:
    """Paragraphs, table rows and footnotes of a Word document, in reading order."""
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE
    except ImportError:
        raise _missing("python-docx", "docx", name) from None
    from lxml import etree

    try:
        document = docx.Document(source)
    except Exception as error:  # python-docx raises zip, XML and package errors of many kinds: name the file
        raise DocumentError(f"{name}: cannot open as a Word document ({type(error).__name__}: {error})") from None
    notes: dict[tuple[str, str], list] = {}  # ("footnote" | "endnote", w:id) -> the note's paragraphs
    for rel in document.part.rels.values():
        kind = {RELATIONSHIP_TYPE.FOOTNOTES: "footnote", RELATIONSHIP_TYPE.ENDNOTES: "endnote"}.get(rel.reltype)
        if kind and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(_w(kind)):
                if note.get(_w("type")) in (None, "normal"):
                    notes[(kind, note.get(_w("id")))] = list(note.iter(_w("p")))
    reader = _DocxText(_footnote_start(document))
    paragraphs: list[DocumentParagraph] = []
    used: set[tuple[str, str]] = set()
    endnotes: list[tuple[tuple[str, str], str]] = []  # Word prints endnotes at the end of the document

    def emit(text: str, kind: str) -> None:
        text = _clean(text)
        if text:
            paragraphs.append(DocumentParagraph(text, len(paragraphs) + 1, None, kind))

    def emit_notes(references: list[tuple[tuple[str, str], str]]) -> None:
        for key, mark in references:
            if key[0] == "endnote" and key not in used and references is not endnotes:
                endnotes.append((key, mark))
                continue
            if key in notes and key not in used:
                used.add(key)
                for index, paragraph in enumerate(notes[key]):
                    text = reader.text(paragraph, note_mark=mark)[0]
                    emit(text if index or text.startswith(mark) else mark + " " + text, key[0])

    for block in _body_blocks(document.element.body):
        if block.tag == _w("p"):
            text, references = reader.text(block)
            emit(text, "body")
            emit_notes(references)
        else:  # a table: a paragraph per row, cells joined with " | "
            for row in block.iter(_w("tr")):
                cells, references = [], []
                for cell in row.findall(_w("tc")):
                    parts = [reader.text(p) for p in cell.iter(_w("p"))]
                    cells.append(" ".join(_clean(t) for t, _ in parts if _clean(t)))
                    references.extend(r for _, refs in parts for r in refs)
                if any(cells):
                    emit(" | ".join(cells), "table-row")
                emit_notes(references)
    emit_notes(endnotes)
    # notes no paragraph refers to (their mark lost in an edit) are still kept, at the end
    emit_notes([(key, "") for key in notes if key not in used])
    return DocumentContent(paragraphs)


def _footnote_start(document) -> int:
    """The number of the first footnote (w:footnotePr/w:numStart in the settings or the body's section), 1 if unset."""
    for root in (document.element.body, document.settings.element):
        for start in root.iter(_w("numStart")):
            if start.getparent().tag == _w("footnotePr") and start.get(_w("val"), "").isdigit():
                return int(start.get(_w("val")))
    return 1


def _body_blocks(body) -> Iterable:
    """The body's paragraphs and tables in order (content controls opened)."""
    for child in body:
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _body_blocks(content)


ROMAN = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
SUPERSCRIPT_ROMAN = str.maketrans("ivx", "ⁱᵛˣ")


def _roman(number: int) -> str:
    """Lower-case Roman numerals, Word's default for endnote marks (1 -> "i", 14 -> "xiv")."""
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


class _DocxText:
    """The text of w:p elements, note references numbered in the order the body makes them."""

    def __init__(self, first_footnote: int) -> None:
        self.next_number = {"footnote": first_footnote, "endnote": 1}

    def text(self, paragraph, note_mark: str | None = None) -> tuple[str, list[tuple[tuple[str, str], str]]]:
        parts: list[str] = []
        references: list[tuple[tuple[str, str], str]] = []
        self._walk(paragraph, parts, references, note_mark, superscript=False)
        return "".join(parts), references

    def _walk(self, element, parts, references, note_mark, superscript: bool) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in (_w("del"), _w("moveFrom"), _w("rPr"), _w("pPr"), _w("instrText")):
                continue  # deleted revisions, formatting, field codes
            if tag == f"{{{MC_NS}}}Fallback":
                continue  # the same text box again for old readers
            if tag == _w("r"):
                align = child.find(f"{_w('rPr')}/{_w('vertAlign')}")
                self._walk(child, parts, references, note_mark, align is not None and align.get(_w("val")) == "superscript")
            elif tag == _w("t"):
                text = child.text or ""
                parts.append(text.translate(SUPERSCRIPT_DIGITS) if superscript and text.strip().isdigit() else text)
            elif tag in (_w("tab"), _w("br"), _w("cr")):
                parts.append(" ")
            elif tag == _w("noBreakHyphen"):
                parts.append("-")
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                kind = "footnote" if tag == _w("footnoteReference") else "endnote"
                if child.get(_w("customMarkFollows")) in ("1", "true", "on"):
                    references.append(((kind, child.get(_w("id"))), ""))  # the mark is the run's own text that follows
                else:
                    number = self.next_number[kind]
                    self.next_number[kind] += 1
                    mark = str(number).translate(SUPERSCRIPT_DIGITS) if kind == "footnote" else _roman(number).translate(SUPERSCRIPT_ROMAN)
                    parts.append(mark)
                    references.append(((kind, child.get(_w("id"))), mark))
            elif tag in (_w("footnoteRef"), _w("endnoteRef")):
                parts.append(note_mark or "")
            else:
                self._walk(child, parts, references, note_mark, superscript)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text.translate(LIGATURES))).strip()


# ------------------------------------------------------------------- PDF


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_word_width: float
    kind: str = "body"  # body / table-row
    page: int = 0


def read_pdf(source: BinaryIO, name: str) -> DocumentContent:
    """Paragraphs of a PDF's text layer (see the module's docstring); DocumentError when it has none."""
    try:
        import pdfplumber
    except ImportError:
        raise _missing("pdfplumber", "pdf", name) from None
    try:
        pdf = pdfplumber.open(source)
    except Exception as error:  # pdfminer raises its own syntax errors and more: name the file
        raise DocumentError(f"{name}: cannot open as a PDF ({type(error).__name__}: {error})") from None
    pages: list[tuple[list[_Line], float]] = []
    problems: list[str] = []
    with pdf:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                lines = _page_lines(page)
                for line in lines:
                    line.page = number
                if not lines and page.images:
                    problems.append(f"{name}: page {number}: no text layer (a scanned image): it needs OCR; nothing read there")
                pages.append((lines, float(page.height)))
                page.close()  # its parsed objects are not needed again: memory stays that of one page
        except DocumentError:
            raise
        except Exception as error:
            raise DocumentError(f"{name}: page {len(pages) + 1}: cannot read ({type(error).__name__}: {error})") from None
    if not any(lines for lines, _ in pages):
        raise DocumentError(
            f"{name}: no text layer in this PDF ({len(pages)} page(s) of images, a scan): it needs OCR first "
            "(e.g. `ocrmypdf -l vie in.pdf out.pdf`), then extract from the OCRed file"
        )
    _drop_running_lines(pages)
    return DocumentContent(_paragraphs(pages), problems)


def _page_lines(page) -> list[_Line]:
    """The text lines of a page, top to bottom, with table rows as lines of their own."""
    chars, ruled = _layout_chars(page)
    # pdfplumber's table finder builds an object for every character and line of the page (most of the
    # reading time): only pages that draw lines or rectangles can hold a ruled table
    tables = page.find_tables() if ruled else []
    boxes = [table.bbox for table in tables]

    def outside(char) -> bool:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    chars = [c for c in chars if c["upright"] and outside(c)]
    lines = _group_lines(chars)
    for table in tables:
        for row, cells in zip(table.rows, table.extract()):
            texts = [_clean(cell or "") for cell in cells]
            if any(texts):
                top, bottom = row.bbox[1], row.bbox[3]
                lines.append(_Line(" | ".join(texts), row.bbox[0], row.bbox[2], top, bottom, 0.0, 0.0, "table-row"))
    lines.sort(key=lambda line: line.top)
    return lines


def _layout_chars(page) -> tuple[list[dict], bool]:
    """The characters of a page from pdfminer's layout (text, x0, x1, top, bottom, size, upright; top measured from
    the page's top edge as pdfplumber does), and whether the page draws lines, rectangles or curves."""
    from pdfminer.layout import LTChar, LTCurve, LTFigure

    top_edge = float(page.mediabox[3])
    chars: list[dict] = []
    ruled = False
    stack = list(page.layout)
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            chars.append(
                {
                    "text": item.get_text(),
                    "x0": item.x0,
                    "x1": item.x1,
                    "top": top_edge - item.y1,
                    "bottom": top_edge - item.y0,
                    "size": item.size,
                    "upright": item.upright,
                }
            )
        elif isinstance(item, LTFigure):  # a form XObject: its characters are inside
            stack.extend(item)
        elif isinstance(item, LTCurve):  # LTLine and LTRect are curves too
            ruled = True
    chars.reverse()  # back to the order of the content stream (kept among characters at the same place)
    return chars, ruled


def _group_lines(chars: list[dict]) -> list[_Line]:
    """Characters grouped by baseline; a raised run of smaller characters joins the line it sits on as superscript."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: (c["bottom"], c["x0"]))
    rows: list[list[dict]] = [[chars[0]]]
    for char in chars[1:]:
        if abs(char["bottom"] - rows[-1][-1]["bottom"]) <= 0.2 * max(char["size"], 1.0):
            rows[-1].append(char)
        else:
            rows.append([char])
    # a row of smaller characters whose bottom lies inside the next (or previous) row's height is raised text of it
    merged: list[list[dict]] = []
    superscript: set[int] = set()
    index = 0
    while index < len(rows):
        row = rows[index]
        size = max(c["size"] for c in row)
        host = None
        for neighbour in (rows[index + 1] if index + 1 < len(rows) else None, merged[-1] if merged else None):
            if neighbour is None:
                continue
            host_size = statistics.median(c["size"] for c in neighbour)
            top = min(c["top"] for c in neighbour)
            bottom = max(c["bottom"] for c in neighbour)
            if size < 0.85 * host_size and top - 0.1 * host_size <= max(c["bottom"] for c in row) < bottom:
                host = neighbour
                break
        if host is None:
            merged.append(row)
        else:
            superscript.update(id(c) for c in row)
            host.extend(row)
        index += 1
    return [_line_of(row, superscript) for row in merged if any(c["text"].strip() for c in row)]


def _line_of(row: list[dict], superscript: set[int]) -> _Line:
    row = sorted(row, key=lambda c: c["x0"])
    normal = [c for c in row if id(c) not in superscript] or row
    size = Counter(round(c["size"], 1) for c in normal).most_common(1)[0][0]
    parts: list[str] = []
    previous = None
    first_word_end = None  # where the line's first word ends (the width a line above needed to hold it)
    for char in row:
        text = char["text"]
        if previous is not None and text != " " and previous["text"] != " ":
            if char["x0"] - previous["x1"] > 0.2 * min(char["size"], previous["size"]):
                parts.append(" ")
        if first_word_end is None and previous is not None and (text == " " or parts[-1] == " "):
            first_word_end = previous["x1"]
        if id(char) in superscript and text.isdigit():
            text = text.translate(SUPERSCRIPT_DIGITS)
        parts.append(text)
        previous = char
    x0, x1 = row[0]["x0"], max(c["x1"] for c in row)
    top, bottom = min(c["top"] for c in normal), max(c["bottom"] for c in normal)
    return _Line(_clean("".join(parts)), x0, x1, top, bottom, size, (first_word_end or x1) - x0)


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _drop_running_lines(pages: list[tuple[list[_Line], float]]) -> None:
    """Drop page numbers and the headers / footers repeated at the top or bottom of the pages (digits aside)."""
    bands: list[tuple[list[_Line], list[_Line]]] = []
    for lines, height in pages:
        body = [line for line in lines if line.kind == "body"]
        bands.append(
            (
                [line for line in body[:3] if line.bottom < 0.12 * height],
                [line for line in body[-3:] if line.top > 0.88 * height],
            )
        )
    counts = Counter(_running_key(line.text) for top, bottom in bands for line in {id(x): x for x in top + bottom}.values())
    repeated = {key for key, count in counts.items() if len(pages) > 1 and count >= max(2, len(pages) // 2)}
    for (lines, _), (top, bottom) in zip(pages, bands):
        drop = {
            id(line)
            for line in top + bottom
            if _running_key(line.text) in repeated or PAGE_NUMBER_LINE.match(line.text)
        }
        lines[:] = [line for line in lines if id(line) not in drop]


def _paragraphs(pages: list[tuple[list[_Line], float]]) -> list[DocumentParagraph]:
    """Lines joined into paragraphs across pages; footnotes and table rows as their own."""
    body_lines = [line for lines, _ in pages for line in lines if line.kind == "body"]
    body_size = Counter(line.size for line in body_lines).most_common(1)[0][0] if body_lines else 0.0
    normal = [line for line in body_lines if abs(line.size - body_size) < 0.5]
    left = min((line.x0 for line in normal), default=0.0)
    right = max((line.x1 for line in normal), default=0.0)
    gaps = []
    for lines, _ in pages:
        ordered = [line for line in lines if line.kind == "body" and abs(line.size - body_size) < 0.5]
        gaps += [b.top - a.bottom for a, b in zip(ordered, ordered[1:]) if 0 <= b.top - a.bottom < 3 * body_size]
    usual_gap = statistics.median(gaps) if gaps else 0.2 * body_size
    words = Counter(w.lower() for line in body_lines for w in WORD.findall(line.text))

    result: list[DocumentParagraph] = []
    per_page: Counter = Counter()
    held: list[tuple[int, list[_Line]]] = []  # footnotes waiting for the body paragraph around them to end

    def emit(page: int, lines: list[_Line], kind: str) -> None:
        text = _join_lines([line.text for line in lines], words)
        if text:
            per_page[page] += 1
            result.append(DocumentParagraph(text, per_page[page], page, kind))

    current: tuple[int, list[_Line]] | None = None  # the body paragraph being built: start page, lines
    note: tuple[int, list[_Line]] | None = None  # the footnote being built

    def close_body() -> None:
        nonlocal current
        if current is not None:
            emit(current[0], current[1], "body")
            current = None
        for page, lines in held:
            emit(page, lines, "footnote")
        held.clear()

    def close_note() -> None:
        nonlocal note
        if note is not None:
            held.append(note)
            note = None

    for page_number, (lines, _) in enumerate(pages, start=1):
        previous_on_page: _Line | None = None
        for line in lines:
            if line.kind == "table-row":
                close_note()
                close_body()
                emit(page_number, [line], "table-row")
                previous_on_page = None
                continue
            small = line.size < 0.9 * body_size
            if small and (FOOTNOTE_START.match(line.text) or note is not None):
                last = note[1][-1] if note is not None else None
                if last is None or FOOTNOTE_START.match(line.text) or _starts_paragraph(
                    last, line, left, right, usual_gap, last.page == line.page
                ):
                    close_note()
                    note = (page_number, [line])
                else:
                    note[1].append(line)
                continue
            close_note()
            if current is None:
                current = (page_number, [line])
            else:
                last = current[1][-1]
                same_page = previous_on_page is not None and previous_on_page is last
                if abs(line.size - last.size) >= 0.5 or _starts_paragraph(last, line, left, right, usual_gap, same_page):
                    close_body()
                    current = (page_number, [line])
                else:
                    current[1].append(line)
            previous_on_page = line
    close_note()
    close_body()
    return result


def _starts_paragraph(last: _Line, line: _Line, left: float, right: float, usual_gap: float, same_page: bool) -> bool:
    """Whether ``line`` starts a new paragraph after ``last`` (a gap, an indent, or a last line that stopped short)."""
    size = max(line.size, 1.0)
    if same_page and line.top - last.bottom > usual_gap + 0.3 * size:
        return True
    if line.x0 > last.x0 + 0.8 * size and line.x0 > left + 0.8 * size:
        return True  # a first-line indent (or a centred line)
    # the last line ended with room for the next line's first word: it ended the paragraph
    return right - last.x1 > line.first_word_width + 0.5 * size


def _join_lines(texts: list[str], words: Counter) -> str:
    """Wrapped lines joined; a hyphen at a line's end is dropped only when the document also writes the word whole."""
    text = ""
    for line in texts:
        if not text:
            text = line
        elif text.endswith("\u00ad"):
            text = text[:-1] + line
        elif (match := HYPHENATED_END.search(text)) and line[:1].islower():
            first = WORD.match(line)
            whole = (match.group(1) + first.group(0)).lower() if first else ""
            text = (text[:-1] if whole and words[whole] else text) + line
        else:
            text += " " + line
    return text.replace("\u00ad", "")
