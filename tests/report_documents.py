"""Word and PDF reports made from a paragraph-a-line report, the way the portals' documents are made.

DOCX (python-docx): a paragraph per line, markdown ``*`` / ``**`` as italic / bold
runs, footnotes as real Word footnotes (the body's mark becomes a footnote
reference, the footnote's line its text), other superscript digits as
superscript runs. PDF (reportlab, DejaVu Sans from matplotlib): justified
paragraphs with a first-line indent that wrap over lines, a running header on
every page after the first, a page number at the foot of every page, footnote
lines in smaller type with raised marks, raised digits for superscripts.
Used by the tests and by benchmarks/pdf_libraries.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
PLAIN_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
FOOTNOTE_LINE = re.compile(f"^([{SUPERSCRIPTS}]+)\\s*")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*")  # **bold**, *italic*


def report_lines(path: Path) -> list[str]:
    """The non-empty lines of a paragraph-a-line report."""
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def footnote_plan(lines: list[str]) -> tuple[dict[int, str], dict[tuple[int, int], int]]:
    """Which lines are footnotes (line index -> mark) and where each is referred to ((line, char) -> footnote line).

    Footnote n is made a real footnote only when its mark, as a whole run of
    superscripts glued to a word, is found in an earlier body line after footnote
    n-1's reference: Word numbers footnotes by the order of their references.
    """
    notes: dict[int, str] = {}
    references: dict[tuple[int, int], int] = {}
    last = (-1, -1)
    expected = 1
    for index, line in enumerate(lines):
        match = FOOTNOTE_LINE.match(line)
        if not match or int(match.group(1).translate(PLAIN_DIGITS)) != expected:
            continue
        mark = match.group(1)
        found = None
        for body in range(last[0] if last[0] >= 0 else 0, index):
            if body in notes or FOOTNOTE_LINE.match(lines[body]):
                continue
            for run in SUPERSCRIPT_RUN.finditer(lines[body]):
                if run.group(0) == mark and run.start() > 0 and not lines[body][run.start() - 1].isspace():
                    if (body, run.start()) > last:
                        found = (body, run.start())
                        break
            if found:
                break
        if found:
            notes[index] = mark
            references[found] = index
            last = found
            expected += 1
    return notes, references


def _segments(text: str) -> list[tuple[str, str, int]]:
    """(style, text, where the text starts in the line) pieces: style "", "b" or "i" from markdown emphasis."""
    pieces, position = [], 0
    for match in EMPHASIS.finditer(text):
        if match.start() > position:
            pieces.append(("", text[position : match.start()], position))
        group = 1 if match.group(1) is not None else 2
        pieces.append(("b" if group == 1 else "i", match.group(group), match.start(group)))
        position = match.end()
    if position < len(text):
        pieces.append(("", text[position:], position))
    return pieces


# ------------------------------------------------------------------ DOCX

FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def build_docx(lines: list[str], path: Path, table: list[list[str]] | None = None) -> Path:
    """A Word document of the report's lines (see the module docstring); ``table`` rows go after the first line."""
    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    notes, references = footnote_plan(lines)
    footnotes = parse_xml(FOOTNOTES_XML)
    note_ids: dict[int, int] = {}

    def add_runs(paragraph, text: str, line_index: int | None) -> None:
        for style, piece, offset in _segments(text):
            position = 0
            for run in SUPERSCRIPT_RUN.finditer(piece):
                _add_run(paragraph, piece[position : run.start()], style)
                key = (line_index, offset + run.start()) if line_index is not None else None
                if key in references:
                    note_ids[references[key]] = len(note_ids) + 1
                    reference = paragraph.add_run()
                    reference.font.superscript = True
                    element = reference._r.makeelement(qn("w:footnoteReference"), {qn("w:id"): str(note_ids[references[key]])})
                    reference._r.append(element)
                else:
                    _add_run(paragraph, run.group(0).translate(PLAIN_DIGITS), style).font.superscript = True
                position = run.end()
            _add_run(paragraph, piece[position:], style)

    for index, line in enumerate(lines):
        if index in notes:
            continue
        add_runs(document.add_paragraph(), line, index)
        if index == 0 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, cells in zip(grid.rows, table):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
    for index, mark in notes.items():
        if index not in note_ids:
            continue
        note = footnotes.makeelement(qn("w:footnote"), {qn("w:id"): str(note_ids[index])})
        footnotes.append(note)
        holder = docx.Document()  # build the footnote's paragraph with python-docx, then move its XML
        paragraph = holder.add_paragraph()
        mark_run = paragraph.add_run()
        mark_run.font.superscript = True
        mark_run._r.append(mark_run._r.makeelement(qn("w:footnoteRef"), {}))
        body = FOOTNOTE_LINE.sub("", lines[index], count=1)
        add_runs(paragraph, " " + body, None)
        note.append(paragraph._p)
    for index in notes:
        if index not in note_ids:  # no reference found: the footnote stays a plain paragraph
            add_runs(document.add_paragraph(), lines[index], None)
    part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, footnotes, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(path)
    return path


def _add_run(paragraph, text: str, style: str):
    run = paragraph.add_run(text)
    run.bold = style == "b" or None
    run.italic = style == "i" or None
    return run


# ------------------------------------------------------------------- PDF


def dejavu_fonts() -> str:
    """Register DejaVu Sans (matplotlib's copy) with reportlab; its family name."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file, bold, italic in (
        ("DejaVu", "DejaVuSans.ttf", 0, 0),
        ("DejaVu-Bold", "DejaVuSans-Bold.ttf", 1, 0),
        ("DejaVu-Oblique", "DejaVuSans-Oblique.ttf", 0, 1),
        ("DejaVu-BoldOblique", "DejaVuSans-BoldOblique.ttf", 1, 1),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping("DejaVu", bold, italic, name)
    return "DejaVu"


def _markup(text: str) -> str:
    """reportlab paragraph markup: emphasis as <b>/<i>, superscript digits raised."""
    out = []
    for style, piece, _ in _segments(text):
        piece = SUPERSCRIPT_RUN.sub(lambda m: f"<super>{m.group(0).translate(PLAIN_DIGITS)}</super>", escape(piece))
        out.append(f"<{style}>{piece}</{style}>" if style else piece)
    return "".join(out)


def build_pdf(
    lines: list[str],
    path: Path,
    header: str | None = None,
    page_label: str = "- {page} -",
    table: list[list[str]] | None = None,
) -> Path:
    """A PDF of the report's lines (see the module docstring); ``table`` (ruled) goes after the first line."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = dejavu_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=14, alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=5)
    note = ParagraphStyle("note", parent=body, fontSize=8, leading=10, firstLineIndent=0, spaceAfter=2)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=12)
    notes, _ = footnote_plan(lines)
    header = header if header is not None else "Báo cáo " + lines[0][:60]

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        page = canvas.getPageNumber()
        if page > 1:
            canvas.drawString(document.leftMargin, A4[1] - 1.2 * cm, header)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, page_label.format(page=page))
        canvas.restoreState()

    flow = []
    for index, line in enumerate(lines):
        flow.append(Paragraph(_markup(line), note if index in notes else body))
        if index == 0 and table:
            grid = Table([[Paragraph(escape(text), cell) for text in row] for row in table])
            grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
            flow.append(grid)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm).build(
        flow, onFirstPage=decorate, onLaterPages=decorate
    )
    return path
