"""HTML views: entities (displaCy) plus relation arcs, as a string, from the CLI and in a headless browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import require_in_ci
from vnreport_ie.cli import app
from vnreport_ie.pipeline.relations import FigureRelation, set_relations
from vnreport_ie.io.views import ReportView, display, parse_paragraph_range, render_html, save_html

REVENUE = (
    "Tổng thu ngân sách nhà nước trên địa bàn xã Hòa Bình ước đạt 12.500 triệu đồng, "
    "bằng 85,3% kế hoạch năm."
)
REVENUE_ENTS = [
    ("Tổng thu ngân sách nhà nước", "INDICATOR"),
    ("Hòa Bình", "COMMUNE"),
    ("12.500 triệu đồng", "MONEY"),
    ("85,3%", "PERCENT"),
    ("kế hoạch năm", "TARGET"),
]
REVENUE_RELATIONS = [
    ("indicator", "12.500 triệu đồng", "Tổng thu ngân sách nhà nước"),
    ("location", "12.500 triệu đồng", "Hòa Bình"),
    ("indicator", "85,3%", "Tổng thu ngân sách nhà nước"),
    ("target", "85,3%", "kế hoạch năm"),
]
PROJECT = "Dự án đường giao thông thôn 3 đã giải ngân 1.200 triệu đồng, đạt 40% tổng vốn."
PROJECT_ENTS = [("Dự án đường giao thông thôn 3", "PROJECT"), ("1.200 triệu đồng", "MONEY"), ("40%", "PERCENT")]
PROJECT_RELATIONS = [
    ("project", "1.200 triệu đồng", "Dự án đường giao thông thôn 3"),
    ("project", "40%", "Dự án đường giao thông thôn 3"),
]
ARCS_DRAWN = len(REVENUE_RELATIONS) + len(PROJECT_RELATIONS)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _offsets(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def make_doc(nlp, text: str, ents: list[tuple[str, str]], relations: list[tuple[str, str, str]]):
    """A Doc with these entities and relations (each named by its first occurrence in ``text``)."""
    doc = nlp(text)
    spans = [doc.char_span(*_offsets(text, surface), label=label) for surface, label in ents]
    assert all(spans), "an entity of the test does not fall on token boundaries"
    doc.ents = spans
    set_relations(
        doc, [FigureRelation(kind, *_offsets(text, head), *_offsets(text, tail)) for kind, head, tail in relations]
    )
    return doc


@pytest.fixture(scope="module")
def two_paragraphs(blank_nlp):
    return [
        make_doc(blank_nlp, REVENUE, REVENUE_ENTS, REVENUE_RELATIONS),
        make_doc(blank_nlp, PROJECT, PROJECT_ENTS, PROJECT_RELATIONS),
    ]


def _relations_data(page: str) -> list[list[dict]]:
    return [json.loads(unescape(found)) for found in re.findall(r'data-relations="([^"]*)"', page)]


# ---------------------------------------------------------------- the HTML string


def test_render_html_marks_every_entity_with_its_offsets_and_colour(two_paragraphs):
    page = render_html(two_paragraphs)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for doc in two_paragraphs:
        for ent in doc.ents:
            mark = re.search(rf'<mark class="entity" data-start="{ent.start_char}" data-end="{ent.end_char}"[^>]*>', page)
            assert mark, ent.text
            assert ent.text in page
    assert page.count('<mark class="entity"') == sum(len(doc.ents) for doc in two_paragraphs)
    assert "background: #a6e3a1" in page  # MONEY's colour, not displaCy's grey default


def test_render_html_carries_each_relation_for_the_arcs_and_lists_it(two_paragraphs):
    page = render_html(two_paragraphs)
    first, second = _relations_data(page)
    assert [(r["type"], r["head"], r["tail"]) for r in first] == [
        (kind, list(_offsets(REVENUE, head)), list(_offsets(REVENUE, tail))) for kind, head, tail in REVENUE_RELATIONS
    ]
    assert [r["type"] for r in second] == ["project", "project"]
    assert "4 relation(s)" in page and "2 relation(s)" in page
    assert "85,3% <b" in page and "→ target →</b> kế hoạch năm" in page
    assert "<script>" in page and 'createElementNS(NS, name)' in page


def test_render_html_shows_paragraph_ids_and_title(two_paragraphs):
    page = render_html(two_paragraphs, title="Xã Hòa Bình 2024", paragraph_ids=["hb-2024:3", "hb-2024:7"])
    assert "<title>Xã Hòa Bình 2024</title>" in page and "<h1>Xã Hòa Bình 2024</h1>" in page
    assert page.index("hb-2024:3") < page.index("Tổng thu") < page.index("hb-2024:7") < page.index("Dự án")


def test_render_html_escapes_text_title_and_ids(blank_nlp):
    text = 'Thu <script>alert("x")</script> & chi đạt 5 triệu đồng.'
    doc = make_doc(blank_nlp, text, [("5 triệu đồng", "MONEY")], [])
    page = render_html(doc, title="<b>Báo cáo</b> & 'tổng hợp'", paragraph_ids=['<img src=x onerror="y">'])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>Báo cáo</b>" not in page and "&lt;b&gt;Báo cáo&lt;/b&gt; &amp;" in page
    assert "<img" not in page and "&lt;img src=x" in page
    assert page.count("<script>") == 1  # only the arcs script


def test_render_html_needs_no_external_resource(two_paragraphs):
    page = render_html(two_paragraphs)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


def test_relation_to_a_span_that_is_not_an_entity_is_listed_as_not_drawn(blank_nlp):
    doc = make_doc(blank_nlp, PROJECT, [("1.200 triệu đồng", "MONEY")], PROJECT_RELATIONS[:1])
    page = render_html(doc)
    assert "not drawn" in page and "1 relation(s)" in page


def test_render_html_takes_one_doc_a_generator_or_none_at_all(two_paragraphs):
    assert render_html(two_paragraphs[0]).count('class="vnr-paragraph"') == 1
    assert render_html(doc for doc in two_paragraphs).count('class="vnr-paragraph"') == 2
    assert 'class="vnr-paragraph"' not in render_html([])


def test_paragraph_ids_must_match_the_docs(two_paragraphs):
    with pytest.raises(ValueError, match="2 doc"):
        render_html(two_paragraphs, paragraph_ids=["only-one"])
    with pytest.raises(TypeError, match="spaCy Docs"):
        render_html(["not a doc"])


def test_save_html_writes_the_page(two_paragraphs, tmp_path):
    path = save_html(two_paragraphs, tmp_path / "page.html", title="t")
    assert path == tmp_path / "page.html"
    assert path.read_text(encoding="utf-8").count('<mark class="entity"') == 8


def test_display_is_shown_as_html_by_jupyter(two_paragraphs, tmp_path):
    view = display(two_paragraphs, paragraph_ids=["a", "b"])
    assert isinstance(view, ReportView)
    fragment = view._repr_html_()
    assert fragment.startswith("<style>") and "<html" not in fragment
    assert fragment.count('<mark class="entity"') == 8 and "<script>" in fragment
    # two views in one notebook draw into their own element
    assert re.search(r'id="(vnr-\w+)"', fragment).group(1) != re.search(r'id="(vnr-\w+)"', view._repr_html_()).group(1)
    assert view.save(tmp_path / "v.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_html_of_the_shipped_pipeline(shipped_nlp):
    text = "Tổng thu ngân sách xã ước đạt 12.500 triệu đồng, bằng 85,3% dự toán năm 2024."
    doc = shipped_nlp(text)
    page = render_html(doc, paragraph_ids=["p1"])
    labels = {(e.text, e.label_) for e in doc.ents}
    assert {("12.500 triệu đồng", "MONEY"), ("85,3%", "PERCENT"), ("dự toán năm 2024", "TARGET")} <= labels
    assert page.count('<mark class="entity"') == len(doc.ents) >= 4
    relations = _relations_data(page)[0]
    assert ("target", list(_offsets(text, "85,3%")), list(_offsets(text, "dự toán năm 2024"))) in [
        (r["type"], r["head"], r["tail"]) for r in relations
    ]
    assert len(relations) == len(doc._.relations) >= 3


def _figure_rows(page: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-figure="\d+-\d+">(.*?)</tr>', page)
    return [[unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]


def test_each_paragraph_has_a_table_of_its_figures_and_their_links(two_paragraphs):
    page = render_html(two_paragraphs)
    assert page.count('<table class="vnr-figures">') == 2
    assert "<th>figure</th><th>value</th><th>indicator</th><th>target</th><th>commune</th><th>project</th>" in page
    assert _figure_rows(page) == [
        ["12.500 triệu đồng", "12.500.000.000 VND", "Tổng thu ngân sách nhà nước", "", "Hòa Bình", ""],
        ["85,3%", "85,3 %", "Tổng thu ngân sách nhà nước", "kế hoạch năm", "", ""],
        ["1.200 triệu đồng", "1.200.000.000 VND", "", "", "", "Dự án đường giao thông thôn 3"],
        ["40%", "40 %", "", "", "", "Dự án đường giao thông thôn 3"],
    ]
    # a row, its figure's mark and its arcs share data-figure, which the hover focus uses
    start, end = _offsets(REVENUE, "85,3%")
    assert f'<tr data-figure="{start}-{end}">' in page
    assert re.search(rf'<mark class="entity" data-start="{start}" data-end="{end}" data-figure="{start}-{end}"', page)
    assert not re.search(r'data-figure="[^"]*"[^>]*>Tổng thu', page)  # only figures carry it


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("10-20", (10, 20)), ("12", (12, 12)), ("10-", (10, None)), (" 3 - 4 ", (3, 4)), ("1-1", (1, 1))],
)
def test_parse_paragraph_range(spec, expected):
    assert parse_paragraph_range(spec) == expected


@pytest.mark.parametrize("spec", ["", "a-b", "0-3", "5-2", "-4", "1-2-3"])
def test_parse_paragraph_range_rejects(spec):
    with pytest.raises(ValueError, match="bad paragraph range"):
        parse_paragraph_range(spec)


# ---------------------------------------------------------------- the CLI

runner = CliRunner()


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "hoabinh.txt"
    path.write_text(f"{REVENUE}\n\n{PROJECT}\nTỷ lệ hộ nghèo giảm còn 2,1%.\n", encoding="utf-8")
    return path


def test_cli_show_writes_the_page_beside_the_report(tmp_path, small_model_dir):
    report = _report(tmp_path)
    result = runner.invoke(app, ["show", str(report), "--model", str(small_model_dir)])
    assert result.exit_code == 0, result.output
    page_path = tmp_path / "hoabinh.html"
    assert result.stdout.strip() == str(page_path)
    page = page_path.read_text(encoding="utf-8")
    assert page.count('class="vnr-paragraph"') == 3
    assert "hoabinh:1" in page and "hoabinh:3" in page and "hoabinh:4" in page
    assert "<title>hoabinh.txt</title>" in page


def test_cli_show_a_range_of_paragraphs_to_a_named_page(tmp_path, small_model_dir):
    report = _report(tmp_path)
    output = tmp_path / "out" / "page.html"
    output.parent.mkdir()
    # --paragraphs counts as paragraph_id does: line numbers (line 2 is blank, so 2-3 holds only line 3)
    result = runner.invoke(app, ["show", str(report), "-o", str(output), "-m", str(small_model_dir), "--paragraphs", "2-3"])
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert page.count('class="vnr-paragraph"') == 1
    assert "hoabinh:1" not in page and "hoabinh:3" in page and "hoabinh:4" not in page
    result = runner.invoke(app, ["show", str(report), "-o", str(output), "-m", str(small_model_dir), "--paragraphs", "3-"])
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert re.findall(r'class="vnr-paragraph-id">([^<]+)<', page) == ["hoabinh:3", "hoabinh:4"]


def test_cli_show_paragraphs_of_the_readme_example_are_the_tables_paragraph_ids(tmp_path, small_model_dir):
    """`show samples/caoloc-2023-02.txt --paragraphs 45-55` shows paragraph_id caoloc-2023-02:45 ... :55."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "caoloc-2023-02.txt"
    lines = sample.read_text(encoding="utf-8").split("\n")
    wanted = [f"caoloc-2023-02:{n}" for n in range(45, 56) if lines[n - 1].strip()]
    output = tmp_path / "page.html"
    result = runner.invoke(app, ["show", str(sample), "-o", str(output), "-m", str(small_model_dir), "--paragraphs", "45-55"])
    assert result.exit_code == 0, result.output
    shown = re.findall(r'class="vnr-paragraph-id">([^<]+)<', output.read_text(encoding="utf-8"))
    assert shown == wanted and len(wanted) >= 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--paragraphs", "7-2"], "bad paragraph range '7-2'"),
        (["--paragraphs", "9-"], "no paragraphs in range 9-"),
        (["--model", "no-such-model"], "no-such-model"),
    ],
)
def test_cli_show_fails_with_one_line(tmp_path, small_model_dir, args, message):
    report = _report(tmp_path)
    if "--model" not in args:
        args = [*args, "--model", str(small_model_dir)]
    result = runner.invoke(app, ["show", str(report), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("error:")]) == 1
    assert not (tmp_path / "hoabinh.html").exists()


def test_cli_show_missing_report(tmp_path):
    result = runner.invoke(app, ["show", str(tmp_path / "nothing.txt")])
    assert result.exit_code == 1 and "no such file" in result.output


# ---------------------------------------------------------------- a real browser


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture()
def chromium() -> str:
    """The chromium binary; the test skips without one (VNREPORT_NO_BROWSER=1 too), except in CI, where it fails."""
    if os.environ.get("VNREPORT_NO_BROWSER") == "1":
        pytest.skip("VNREPORT_NO_BROWSER=1")
    binary = _chromium()
    if binary is None:
        require_in_ci("no chromium binary on PATH (apt-get install chromium; scripts/run-tests.sh does it as root)")
    return binary


def test_headless_chromium_draws_one_arc_per_relation(two_paragraphs, tmp_path, chromium):
    page = save_html(two_paragraphs, tmp_path / "page.html", title="Hòa Bình", paragraph_ids=["hb:1", "hb:2"])
    result = _run_chromium(chromium, tmp_path, "--window-size=1000,900", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert dom.count('class="vnr-arcs"') == 2  # one SVG per paragraph, made by the script
    arcs = re.findall(r'<path class="vnr-arc" data-type="(\w+)"[^>]* d="M ([-\d.e]+) ([-\d.e]+) C', dom)
    assert sorted(kind for kind, _, _ in arcs) == sorted(kind for kind, _, _ in REVENUE_RELATIONS + PROJECT_RELATIONS)
    assert len(arcs) == ARCS_DRAWN
    assert all(float(x) > 0 and float(y) > 0 for _, x, y in arcs)  # placed from real layout, not at the origin
    assert dom.count('class="vnr-arc-label"') == ARCS_DRAWN
    assert not re.search(r'class="[^"]*(vnr-focus|vnr-lit)', dom)  # nothing in focus until a figure is hovered


def test_headless_chromium_focuses_a_figure_its_links_arcs_and_row(two_paragraphs, tmp_path, chromium):
    """What hovering "85,3%" does (here through the page's #vnr-focus link): its links lit, other arcs faded."""
    page = save_html(two_paragraphs, tmp_path / "page.html", paragraph_ids=["hb:1", "hb:2"])
    start, end = _offsets(REVENUE, "85,3%")
    url = f"{page.as_uri()}#vnr-focus=1:{start}-{end}"
    dom = _run_chromium(chromium, tmp_path, "--window-size=1000,900", "--dump-dom", url).stdout
    section = dom.split('class="vnr-paragraph')[1]
    assert section.startswith(' vnr-focus"')
    lit_marks = re.findall(r'<mark class="entity vnr-lit" data-start="(\d+)" data-end="(\d+)"', dom)
    assert sorted((int(a), int(b)) for a, b in lit_marks) == sorted(
        [_offsets(REVENUE, "85,3%"), _offsets(REVENUE, "Tổng thu ngân sách nhà nước"), _offsets(REVENUE, "kế hoạch năm")]
    )
    lit_arcs = re.findall(r'<path class="vnr-arc vnr-lit" data-type="(\w+)" data-figure="(\d+-\d+)"', dom)
    assert sorted(lit_arcs) == [("indicator", f"{start}-{end}"), ("target", f"{start}-{end}")]
    assert f'<tr data-figure="{start}-{end}" class="vnr-lit">' in dom
    assert len(re.findall(r'class="[^"]*vnr-focus', dom)) == 1  # the other paragraph is untouched


def _pixels_of(png: Path, color: tuple[int, int, int], tolerance: int = 40) -> int:
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(color)).max(axis=2) <= tolerance).sum())


def test_screenshot_shows_the_focus_outline_and_faded_arcs(two_paragraphs, tmp_path, chromium):
    """Rendered pixels: the focus outline (#e0007a) appears only with a figure in focus."""
    page = save_html(two_paragraphs, tmp_path / "page.html", paragraph_ids=["hb:1", "hb:2"])
    start, end = _offsets(REVENUE, "85,3%")
    shots = {}
    for name, url in (("plain", page.as_uri()), ("focus", f"{page.as_uri()}#vnr-focus=1:{start}-{end}")):
        shots[name] = tmp_path / f"{name}.png"
        result = _run_chromium(chromium, tmp_path, "--window-size=1000,700", f"--screenshot={shots[name]}", url)
        assert shots[name].exists(), result.stderr[-2000:]
    magenta = (0xE0, 0x00, 0x7A)
    assert _pixels_of(shots["plain"], magenta) == 0
    assert _pixels_of(shots["focus"], magenta) > 300  # three outlined marks
    indicator_red = (0xB3, 0x26, 0x1E)  # the indicator arcs: two drawn, one lit (thicker), one faded
    assert _pixels_of(shots["plain"], indicator_red, 30) > 0


def test_cli_show_jsonl_reports_bad_lines_after_writing_the_page(tmp_path, small_model_dir):
    report = tmp_path / "hb.jsonl"
    lines = [json.dumps({"id": "hb-1", "text": REVENUE}, ensure_ascii=False), "{not json", json.dumps({"text": PROJECT})]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["show", str(report), "-m", str(small_model_dir)])
    assert result.exit_code == 1
    assert f"error: {report}:2: bad JSON" in result.output
    page = (tmp_path / "hb.html").read_text(encoding="utf-8")
    assert "hb-1" in page and "hb:3" in page and page.count('class="vnr-paragraph"') == 2
