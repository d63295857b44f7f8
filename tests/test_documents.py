"""Word and PDF reports in: documents made by python-docx and reportlab from the reports' text give its figures."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from report_documents import build_docx, build_pdf, dejavu_fonts, report_lines
from typer.testing import CliRunner

from conftest import CORPUS, REPO

SAMPLE = REPO / "samples" / "caoloc-2023-02.txt"
runner = CliRunner()

FOOTNOTE_REPORT = [
    "UBND HUYỆN CAO LỘC",
    "Năm 2024, huyện thực hiện 03 dự án¹ với tổng vốn 12.500 triệu đồng, giải ngân đạt 85,5% kế hoạch.",
    "¹ Dự án Đường Tân Thanh - Bản Hẻ; Dự án Trụ sở UBND xã Hợp Thành; Dự án Cầu Nà Ké.",
    "Thu ngân sách đạt 58.829 triệu đồng, bằng 26,15% dự toán tỉnh giao.",
]
TABLE = [["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Thu ngân sách", "225.000 triệu đồng", "58.829 triệu đồng"]]
# what both readers give for FOOTNOTE_REPORT with TABLE after its first line
FOOTNOTE_REPORT_PARAGRAPHS = [
    ("UBND HUYỆN CAO LỘC", None),
    ("Chỉ tiêu | Kế hoạch | Thực hiện", "table-row"),
    ("Thu ngân sách | 225.000 triệu đồng | 58.829 triệu đồng", "table-row"),
    (FOOTNOTE_REPORT[1], None),
    (FOOTNOTE_REPORT[2], "footnote"),
    (FOOTNOTE_REPORT[3], None),
]


def figures(nlp, texts: list[str]) -> Counter:
    """(text, value, unit) of every figure record of the texts, counted."""
    import vnreport_ie

    found: Counter = Counter()
    for records in vnreport_ie.extract_many(((None, t) for t in texts), nlp):
        found.update((r.text, r.value, r.unit) for r in records)
    return found


def assert_same_figures(nlp, lines: list[str], document: Path) -> None:
    from vnreport_ie import read_report

    expected = figures(nlp, lines)
    got = figures(nlp, [p.text for p in read_report(document)])
    found = sum((expected & got).values())
    assert expected and found >= 0.98 * sum(expected.values()), (found, sum(expected.values()), expected - got)
    assert not got - expected, f"figures the document does not have: {got - expected}"


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    lines = report_lines(SAMPLE)
    return {
        "docx": build_docx(lines, folder / "caoloc-2023-02.docx"),
        "pdf": build_pdf(lines, folder / "caoloc-2023-02.pdf", header="UBND huyện Cao Lộc - Báo cáo số 124/BC-UBND"),
    }


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_document_of_the_sample_gives_the_txt_figures(shipped_nlp, sample_documents, kind):
    assert_same_figures(shipped_nlp, report_lines(SAMPLE), sample_documents[kind])


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_record_offset_slices_its_paragraph(shipped_nlp, sample_documents, kind):
    import vnreport_ie

    paragraphs = vnreport_ie.read_report(sample_documents[kind])
    pairs = [(p.id, p.text) for p in paragraphs]
    records = [r for recs in vnreport_ie.extract_many(pairs, shipped_nlp) for r in recs]
    texts = {p.id: p.text for p in paragraphs}
    assert records
    for record in records:
        assert texts[record.paragraph_id][record.start : record.end] == record.text
    assert set(vnreport_ie.to_dataframe(records)["report"]) == {"caoloc-2023-02"}  # "caoloc-2023-02:p3:12": the report


def test_pdf_paragraph_ids_name_the_page_and_the_paragraph_on_it(sample_documents):
    from vnreport_ie import read_report

    paragraphs = read_report(sample_documents["pdf"])
    assert all(re.fullmatch(r"caoloc-2023-02:p\d+:\d+", p.id) for p in paragraphs)
    pages = [p.meta["page"] for p in paragraphs]
    assert pages == sorted(pages) and pages[-1] > 3
    for page in set(pages):  # numbered from 1 on each page
        assert [p.meta["paragraph"] for p in paragraphs if p.meta["page"] == page] == list(range(1, pages.count(page) + 1))
    assert len({p.id for p in paragraphs}) == len(paragraphs)


def test_pdf_running_header_and_page_numbers_are_dropped_and_the_first_page_kept(sample_documents):
    from vnreport_ie import read_report

    texts = [p.text for p in read_report(sample_documents["pdf"])]
    assert texts[0] == "Số: 124/BC-UBND"
    assert not any("UBND huyện Cao Lộc - Báo cáo" in t for t in texts)
    assert not any(re.fullmatch(r"- \d+ -", t) for t in texts)
    assert texts == [re.sub(r"\*+(?=\S)|(?<=\S)\*+", "", line) for line in report_lines(SAMPLE)]  # markdown aside


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_footnotes_and_table_rows_are_paragraphs_with_their_marks(tmp_path, kind):
    from vnreport_ie import read_report
    from vnreport_ie.io.batch import file_project_footnotes

    build = build_docx if kind == "docx" else build_pdf
    path = build(FOOTNOTE_REPORT, tmp_path / f"report.{kind}", table=TABLE)
    paragraphs = read_report(path)
    assert [(p.text, p.meta.get("kind")) for p in paragraphs] == FOOTNOTE_REPORT_PARAGRAPHS
    assert file_project_footnotes(path) == {"¹"}  # "03 dự án¹": the footnote lists the projects


def test_docx_footnote_is_a_real_word_footnote(tmp_path):
    import zipfile

    path = build_docx(FOOTNOTE_REPORT, tmp_path / "report.docx")
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        notes = package.read("word/footnotes.xml").decode()
    assert "footnoteReference" in body and "Dự án Cầu Nà Ké" in notes and "Dự án Cầu Nà Ké" not in body


def _justified(canvas, words: list[str], x: float, y: float, width: float, size: float, last: bool) -> None:
    """Draw a line of words spread to ``width`` (not the last line of a paragraph), each word placed on its own;
    a word "án^14" is "án" followed by a raised footnote reference "14"."""
    pieces = [(w.split("^")[0], w.split("^")[1] if "^" in w else "") for w in words]
    widths = [canvas.stringWidth(t, "DejaVu", size) + canvas.stringWidth(m, "DejaVu", size * 0.6) for t, m in pieces]
    space = canvas.stringWidth(" ", "DejaVu", size)
    gap = space if last or len(words) < 2 else (width - sum(widths)) / (len(words) - 1)
    assert gap >= space and x + sum(widths) + gap * (len(words) - 1) <= 72 + 451 + 0.01, f"overfull test line {words}"
    for (text, mark), word_width in zip(pieces, widths):
        canvas.setFont("DejaVu", size)
        canvas.drawString(x, y, text)
        if mark:
            canvas.setFont("DejaVu", size * 0.6)
            canvas.drawString(x + canvas.stringWidth(text, "DejaVu", size), y + size * 0.35, mark)
        x += word_width + gap


def _paragraph(canvas, lines: list[str], y: float, indent: bool = True, ends: bool = True, size: float = 12) -> float:
    """Draw a justified paragraph (or its part on this page: ``ends`` False) from ``y`` down; the next line's y."""
    left, width = 72, 451
    for index, line in enumerate(lines):
        shift = 28 if indent and index == 0 else 0
        _justified(canvas, line.split(), left + shift, y, width - shift, size, ends and index == len(lines) - 1)
        y -= size * 1.25
    return y - 6


def test_pdf_of_a_word_layout_joins_lines_across_pages_and_keeps_the_footnote(tmp_path):
    """Justified paragraphs, a paragraph that goes on to the next page with its footnote at the foot of the first,
    a word hyphenated at a line's end, a compound written with a hyphen, running headers and page numbers."""
    from reportlab.pdfgen.canvas import Canvas

    from vnreport_ie import read_report

    font = dejavu_fonts()
    path = tmp_path / "layout.pdf"
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont(font, 12)
    canvas.drawCentredString(297, 780, "BÁO CÁO")
    y = _paragraph(
        canvas,
        [
            "Vốn vay Agribank trên địa bàn huyện đạt 1.250 triệu đồng,",
            "tăng 8,2% so với cùng kỳ năm trước; dư nợ cho vay của Agri-",
            "bank tập trung vào phát triển kinh tế-",
            "xã hội ở các xã vùng cao.",
        ],
        750,
    )
    body = [
        "Năm 2024 huyện tiếp tục thực hiện 07 dự án^14 với tổng",
        "mức đầu tư là 45.600 triệu đồng, trong đó vốn ngân sách tỉnh",
    ]
    y = _paragraph(canvas, body, 110, ends=False)  # goes on at the top of page 2
    canvas.setFont(font, 6)
    canvas.drawString(72, 68, "14")
    canvas.setFont(font, 9)
    canvas.drawString(82, 64, "Dự án Đường Tân Thanh - Bản Hẻ; Dự án Cầu Nà Ké.")
    canvas.drawCentredString(297, 30, "1")
    for page, paragraphs in (
        (2, [(["30.000 triệu đồng, vốn ngân sách huyện 15.600 triệu đồng, giải", "ngân đạt 85,5% kế hoạch vốn được giao trong năm."], False),
             (["Tổng chi ngân sách đạt 24,5% dự toán huyện giao."], True)]),
        (3, [(["Thu ngân sách nhà nước trên địa bàn đạt 58.829 triệu đồng."], True)]),
    ):
        canvas.showPage()
        canvas.setFont(font, 9)
        canvas.drawString(72, 810, "UBND huyện Cao Lộc - Báo cáo số 124/BC-UBND")
        canvas.drawCentredString(297, 30, str(page))
        y = 780
        for lines, indent in paragraphs:
            y = _paragraph(canvas, lines, y, indent)
    canvas.save()

    got = [(p.id.split(":", 1)[1], p.text) for p in read_report(path)]
    assert got == [
        ("p1:1", "BÁO CÁO"),
        (
            "p1:2",
            "Vốn vay Agribank trên địa bàn huyện đạt 1.250 triệu đồng, tăng 8,2% so với cùng kỳ năm trước; dư nợ cho "
            "vay của Agribank tập trung vào phát triển kinh tế-xã hội ở các xã vùng cao.",
        ),
        (
            "p1:3",
            "Năm 2024 huyện tiếp tục thực hiện 07 dự án¹⁴ với tổng mức đầu tư là 45.600 triệu đồng, trong đó vốn ngân "
            "sách tỉnh 30.000 triệu đồng, vốn ngân sách huyện 15.600 triệu đồng, giải ngân đạt 85,5% kế hoạch vốn được "
            "giao trong năm.",
        ),
        ("p1:4", "¹⁴ Dự án Đường Tân Thanh - Bản Hẻ; Dự án Cầu Nà Ké."),
        ("p2:1", "Tổng chi ngân sách đạt 24,5% dự toán huyện giao."),
        ("p3:1", "Thu ngân sách nhà nước trên địa bàn đạt 58.829 triệu đồng."),
    ]


def _image_pdf(path: Path, pages_with_text: set[int], pages: int = 2) -> Path:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    font = dejavu_fonts()
    scan = ImageReader(Image.new("L", (200, 280), 200))
    canvas = Canvas(str(path), pagesize=(595, 842))
    for page in range(1, pages + 1):
        if page in pages_with_text:
            canvas.setFont(font, 12)
            canvas.drawString(72, 700, "Thu ngân sách đạt 58.829 triệu đồng.")
        else:
            canvas.drawImage(scan, 0, 0, 595, 842)
        canvas.showPage()
    canvas.save()
    return path


def test_scanned_pdf_is_one_clear_error_that_says_it_needs_ocr(tmp_path, small_model_dir):
    from vnreport_ie import read_report
    from vnreport_ie.cli import app
    from vnreport_ie.io.reports import InputError

    scan = _image_pdf(tmp_path / "scan.pdf", set())
    with pytest.raises(InputError, match=r"scan\.pdf: no text layer .*needs OCR"):
        read_report(scan)
    result = runner.invoke(app, ["extract", str(scan), "-m", str(small_model_dir), "-o", str(tmp_path / "out.csv"), "--no-progress"])
    assert result.exit_code == 1
    assert f"error: {scan}: no text layer" in result.output


def test_pdf_with_a_scanned_page_reads_the_others_and_names_the_page(tmp_path):
    from vnreport_ie.io.reports import read_paragraphs

    path = _image_pdf(tmp_path / "mixed.pdf", {1}, pages=2)
    problems: list[str] = []
    paragraphs = list(read_paragraphs(path, problems))
    assert [p.text for p in paragraphs] == ["Thu ngân sách đạt 58.829 triệu đồng."]
    assert problems == [f"{path}: page 2: no text layer (a scanned image): it needs OCR; nothing read there"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "cannot open as a PDF"),
        ("renamed.pdf", b"hello, I am text", "not a PDF file"),
        ("old.docx", b"\xd0\xcf\x11\xe0 an old binary .doc", "not a .docx file"),
        ("broken.docx", b"PK\x03\x04 truncated zip", "cannot open as a Word document"),
    ],
)
def test_broken_documents_are_one_error_naming_the_file(tmp_path, name, content, message):
    from vnreport_ie import read_report
    from vnreport_ie.io.reports import InputError

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(f"{path}: ") + ".*" + re.escape(message)):
        read_report(path)


def test_show_and_preannotate_read_documents(tmp_path, small_model_dir, sample_documents):
    from vnreport_ie.cli import app

    html = tmp_path / "page.html"
    result = runner.invoke(app, ["show", str(sample_documents["pdf"]), "-o", str(html), "-m", str(small_model_dir), "--paragraphs", "5-8"])
    assert result.exit_code == 0, result.output
    assert "caoloc-2023-02:p1:5" in html.read_text(encoding="utf-8")
    out = tmp_path / "pre.jsonl"
    result = runner.invoke(app, ["preannotate", str(sample_documents["docx"]), "-o", str(out), "-m", str(small_model_dir)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(report_lines(SAMPLE))


CORPUS_REPORTS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_REPORTS, reason="the five reports (../shared/corpus beside the clone) are not here")
@pytest.mark.parametrize("report", CORPUS_REPORTS, ids=lambda p: p.stem)
def test_pdf_and_docx_of_each_corpus_report_give_its_figures(tmp_path, shipped_nlp, report):
    lines = report_lines(report)
    for document in (build_docx(lines, tmp_path / f"{report.stem}.docx"), build_pdf(lines, tmp_path / f"{report.stem}.pdf")):
        assert_same_figures(shipped_nlp, lines, document)


def test_corpus_is_here_in_ci():
    if not CORPUS_REPORTS and __import__("os").environ.get("CI"):
        pytest.fail(f"CI has ../shared beside the clone, but {CORPUS} holds no reports")


def test_docx_endnotes_come_last_with_their_roman_marks(tmp_path):
    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    from vnreport_ie import read_report

    document = docx.Document(build_docx(FOOTNOTE_REPORT, tmp_path / "notes.docx"))
    endnotes = parse_xml(
        '<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
        '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> Số liệu ước tính đến 15/12.</w:t></w:r></w:p></w:endnote>'
        "</w:endnotes>"
    )
    part = XmlPart(PackURI("/word/endnotes.xml"), CONTENT_TYPE.WML_ENDNOTES, endnotes, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.ENDNOTES)
    reference = document.paragraphs[1].add_run()
    reference._r.append(reference._r.makeelement(qn("w:endnoteReference"), {qn("w:id"): "1"}))
    document.save(tmp_path / "notes.docx")

    paragraphs = read_report(tmp_path / "notes.docx")
    assert [p.text for p in paragraphs] == [*FOOTNOTE_REPORT[:1], FOOTNOTE_REPORT[1] + "ⁱ", *FOOTNOTE_REPORT[2:], "ⁱ Số liệu ước tính đến 15/12."]
    assert paragraphs[-1].meta["kind"] == "endnote"


@pytest.mark.parametrize("module, extra, kind", [("pdfplumber", "pdf", "pdf"), ("docx", "docx", "docx")])
def test_a_missing_extra_is_one_error_saying_what_to_install(tmp_path, monkeypatch, module, extra, kind):
    import sys

    from vnreport_ie import read_report
    from vnreport_ie.io.reports import InputError

    build = build_docx if kind == "docx" else build_pdf
    path = build(FOOTNOTE_REPORT, tmp_path / f"extra.{kind}")
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(InputError, match=re.escape(f"{path}: reading this file needs") + ".*" + re.escape(f"pip install 'vnreport-ie[{extra}]'")):
        read_report(path)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_panel_of_a_document_has_the_rows_of_the_txt(tmp_path, small_model_dir, sample_documents, kind):
    import csv

    from vnreport_ie.cli import app

    def rows(report: Path) -> list[tuple]:
        out = tmp_path / f"panel-{report.suffix[1:]}.csv"
        result = runner.invoke(app, ["panel", str(report), "-o", str(out), "-m", str(small_model_dir)])
        assert result.exit_code == 0, result.output
        with out.open(encoding="utf-8", newline="") as handle:
            keep = ("report", "indicator_id", "period_start", "period_end", "kind", "value", "unit", "estimate", "text")
            return [tuple(row[c] for c in keep) for row in csv.DictReader(handle)]

    expected = rows(SAMPLE)
    assert expected and rows(sample_documents[kind]) == expected
