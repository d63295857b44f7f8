"""Panel fields of figure records (period, estimate, kind, canonical indicator), the audit and the panel."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import ANNOTATIONS, REPO
from vnreport_ie.records.audit import audit
from vnreport_ie.records.fields import figure_fields
from vnreport_ie.records.figures import FigureRecord
from vnreport_ie.records.indicators import (
    IndicatorList,
    canonical_indicator,
    shipped_indicators,
)
from vnreport_ie.records.kinds import figure_estimate, figure_kind
from vnreport_ie.records.panel import PANEL_COLUMNS, panel_rows, write_panel
from vnreport_ie.records.periods import ReportDate, figure_period, report_date

FEBRUARY_2023 = ReportDate(2023, 2, 17)
MARCH_2024 = ReportDate(2024, 3, 15)


def at(text: str, figure: str) -> tuple[int, int]:
    start = text.index(figure)
    return start, start + len(figure)


# (case, text, figure, report date, expected start, expected end) -- None, None: no period
PERIODS = [
    ("month-with-year", "Thu ngân sách tháng 02/2023 đạt 28.000 triệu đồng.", "28.000", None, date(2023, 2, 1), date(2023, 2, 28)),
    ("quarter-roman", "Ước thực hiện quý I/2024 đạt 113 tỷ đồng.", "113", None, date(2024, 1, 1), date(2024, 3, 31)),
    ("first-months", "6 tháng đầu năm 2025 thu được 5 tỷ đồng.", "5 tỷ", None, date(2025, 1, 1), date(2025, 6, 30)),
    ("cumulative-months", "Lũy kế 9 tháng năm 2024 đạt 70 tỷ đồng.", "70", None, date(2024, 1, 1), date(2024, 9, 30)),
    (
        "cumulative-to-month-year-from-report",
        "Tổng số thu ngân sách nhà nước ước thực hiện tháng 02 là 28.000 triệu đồng, lũy kế đến hết tháng 02 là "
        "58.829 triệu đồng đạt 26,15% dự toán tỉnh giao.",
        "58.829",
        FEBRUARY_2023,
        date(2023, 1, 1),
        date(2023, 2, 28),
    ),
    ("month-of-report", "ước thực hiện tháng 02 là 28.000 triệu đồng", "28.000", FEBRUARY_2023, date(2023, 2, 1), date(2023, 2, 28)),
    ("december-of-the-year-before", "Thu tháng 12 đạt 9 tỷ đồng.", "9 tỷ", FEBRUARY_2023, date(2022, 12, 1), date(2022, 12, 31)),
    ("whole-year", "Năm 2023 thu ngân sách đạt 250 tỷ đồng.", "250", None, date(2023, 1, 1), date(2023, 12, 31)),
    ("end-of-year", "Dư nợ đến cuối năm 2024 là 578 tỷ đồng.", "578", None, date(2024, 12, 31), date(2024, 12, 31)),
    (
        "to-a-date-from-january",
        "Tổng thu NSNN đến ngày 15/3/2024 đạt 83 tỷ đồng; Ước thực hiện quý I/2024 đạt 113 tỷ đồng.",
        "83",
        MARCH_2024,
        date(2024, 1, 1),
        date(2024, 3, 15),
    ),
    (
        "clause-keeps-its-own-period",
        "Tổng thu NSNN đến ngày 15/3/2024 đạt 83 tỷ đồng; Ước thực hiện quý I/2024 đạt 113 tỷ đồng.",
        "113",
        MARCH_2024,
        date(2024, 1, 1),
        date(2024, 3, 31),
    ),
    (
        "comparison-period-is-not-the-figures",
        "Tổng thu ngân sách bằng 128,77% so với cùng kỳ năm 2023.",
        "128,77%",
        None,
        None,
        None,
    ),
    ("plan-year-is-the-plans", "Tổng lượt khách du lịch ước đạt 885.320 lượt khách (đạt 27% kế hoạch năm 2024).", "27%", MARCH_2024, None, None),
    (
        "time-limit-after-the-plan",
        "Đối với nhóm dự án hoàn thành đến ngày 31/12/2023: giải ngân 100% kế hoạch vốn đến hết ngày 30/6/2024.",
        "100%",
        None,
        date(2024, 1, 1),
        date(2024, 6, 30),
    ),
    ("document-date-is-no-period", "Theo Quyết định số 3626/QĐ-UBND ngày 10/12/2021, vốn giao là 5.861.264 triệu đồng.", "5.861.264", None, None, None),
    ("bare-cumulative-has-no-start", "lũy kế tiêm cho đối tượng từ 18 tuổi trở lên mũi 01 đạt 106,1%", "106,1%", FEBRUARY_2023, None, None),
    (
        "month-range",
        "+ Từ tháng 1 đến tháng 8 năm 2024, trên địa bàn huyện đã xảy ra 12 đợt thiên tai; Ước tổng thiệt hại trên 5.200 triệu đồng.",
        "5.200",
        None,
        date(2024, 1, 1),
        date(2024, 8, 31),
    ),
    ("nothing-said", "Tổng thu ngân sách huyện ước thực hiện là 237.808 triệu đồng.", "237.808", FEBRUARY_2023, None, None),
]


@pytest.mark.parametrize("case,text,figure,context,start,end", PERIODS, ids=[p[0] for p in PERIODS])
def test_period_of_a_figure(case, text, figure, context, start, end):
    begin, stop = at(text, figure)
    period = figure_period(text, begin, stop, context)
    assert ((period.start, period.end) if period else (None, None)) == (start, end)
    if period:
        assert period.text in text


def test_a_period_that_opens_the_paragraph_covers_its_later_sentences():
    text = "Năm 2024, tình hình thời tiết diễn biến phức tạp. Tổng diện tích gieo trồng 12.824,50 ha, đạt 107,05% kế hoạch."
    start, end = at(text, "107,05%")
    period = figure_period(text, start, end, None, sentence_start=text.index("Tổng"))
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_report_date_from_the_place_and_date_line_of_the_annotated_reports(corpus_examples):
    def header(doc):
        paragraphs = sorted((e for e in corpus_examples if e.doc_id == doc), key=lambda e: e.meta["paragraph"])
        return "\n".join(e.text for e in paragraphs[:12])

    caoloc = report_date(header("caoloc-2023-02"))
    assert (caoloc.year, caoloc.month, caoloc.day) == (2023, 2, 17)
    chilang = report_date(header("chilang-2024-07"))  # "Chi Lăng, ngày    tháng 7 năm 2024": no day
    assert (chilang.year, chilang.month, chilang.day) == (2024, 7, None)
    assert report_date("Báo cáo\nkhông có ngày") is None


KINDS = [
    ("attainment-of-budget", "lũy kế là 58.829 triệu đồng đạt 26,15% dự toán tỉnh giao, đạt 96,27% so với cùng kỳ.", "26,15%", "PERCENT", "attainment"),
    ("index-same-period", "lũy kế là 58.829 triệu đồng đạt 26,15% dự toán tỉnh giao, đạt 96,27% so với cùng kỳ.", "96,27%", "PERCENT", "index"),
    ("index-abbreviated", "Tiêm phòng lợn được 32.180 lượt con, đạt 160,90% KH, bằng 136,94% CK;", "136,94%", "PERCENT", "index"),
    ("attainment-abbreviated", "Tiêm phòng lợn được 32.180 lượt con, đạt 160,90% KH, bằng 136,94% CK;", "160,90%", "PERCENT", "attainment"),
    ("increase", "GRDP ước tăng 6,1% so với cùng kỳ.", "6,1%", "PERCENT", "increase"),
    ("decrease", "Chỉ số sản xuất giảm 2,3% so với tháng trước.", "2,3%", "PERCENT", "decrease"),
    ("share", "Khu vực dịch vụ chiếm 18,5% tổng giá trị tăng thêm.", "18,5%", "PERCENT", "share"),
    ("share-of-a-base", "Đã thực hiện tiết kiệm 10% chi thường xuyên để thực hiện cải cách tiền lương.", "10%", "PERCENT", "share"),
    ("rate-is-a-level", "Tỷ lệ hộ nghèo là 7,45%; hộ cận nghèo là 5,60%.", "7,45%", "PERCENT", "level"),
    ("plan-amount", "Kế hoạch thu ngân sách năm 2024 là 36.020 triệu đồng.", "36.020 triệu đồng", "MONEY", "plan"),
    ("done-amount", "Kết quả giải ngân các nguồn vốn ước thực hiện tháng 02 là 6.000 triệu đồng.", "6.000 triệu đồng", "MONEY", "level"),
    (
        "reference-of-a-pair",
        "các chủ đầu tư đã giải ngân thanh toán được 7.326 triệu đồng/9.480 triệu đồng, đạt 77% trên kế hoạch vốn giao.",
        "9.480 triệu đồng",
        "MONEY",
        "plan",
    ),
    ("increase-amount", "Với tổng kế hoạch vốn 50.000 triệu đồng, tăng 35.000 triệu đồng so với tỉnh giao.", "35.000 triệu đồng", "MONEY", "increase"),
    ("target", "phấn đấu hết năm 2024 thực hiện đạt từ 50% trở lên.", "50%", "PERCENT", "plan"),
    ("not-a-plan-purpose", "bổ sung có mục tiêu từ ngân sách cấp trên: 130.184 triệu đồng.", "130.184 triệu đồng", "MONEY", "level"),
]


@pytest.mark.parametrize("case,text,figure,label,kind", KINDS, ids=[k[0] for k in KINDS])
def test_kind_of_a_figure(case, text, figure, label, kind):
    start, end = at(text, figure)
    assert figure_kind(text, start, end, label) == kind


# (case, text, figure, the words its sentence starts with, estimate)
ESTIMATES = [
    ("uoc-thuc-hien", "Tổng thu ngân sách huyện ước thực hiện là 237.808 triệu đồng.", "237.808", "Tổng", True),
    ("du-kien", "Dự kiến tính đến ngày 30/9, tổng vốn đăng ký là 11.614 tỷ đồng.", "11.614", "Dự", True),
    ("done", "Tổng thu NSNN đến ngày 15/3/2024 đạt 83 tỷ đồng; Ước thực hiện quý I/2024 đạt 113 tỷ đồng.", "83", "Tổng", False),
    ("other-clause", "Tổng thu NSNN đến ngày 15/3/2024 đạt 83 tỷ đồng; Ước thực hiện quý I/2024 đạt 113 tỷ đồng.", "113", "Tổng", True),
    (
        "parts-of-an-estimate",
        "Tổng thu ngân sách huyện ước thực hiện là 237.808 triệu đồng. Trong đó: thu bổ sung cân đối: 92.000 triệu đồng.",
        "92.000",
        "Trong đó",
        True,
    ),
    (
        "parts-of-a-done-figure",
        "Tổng thu ngân sách huyện là 237.808 triệu đồng. Trong đó: thu bổ sung cân đối: 92.000 triệu đồng.",
        "92.000",
        "Trong đó",
        False,
    ),
]


@pytest.mark.parametrize("case,text,figure,opening,estimate", ESTIMATES, ids=[e[0] for e in ESTIMATES])
def test_estimate(case, text, figure, opening, estimate):
    start, end = at(text, figure)
    assert figure_estimate(text, start, end, text.index(opening)) is estimate


@pytest.mark.parametrize(
    "name,context,expected",
    [
        ("Tổng thu NSNN trên địa bàn", None, "thu_nsnn"),
        ("Tổng số thu ngân sách nhà nước", None, "thu_nsnn"),
        ("thu ngân sách nhà nước năm 2024", None, "thu_nsnn"),
        ("chi NSĐP", None, "chi_nsdp"),
        ("GRDP", None, "grdp"),
        ("tổng sản phẩm (GRDP)", None, "grdp"),
        ("vốn đầu tư công giải ngân", None, "giai_ngan_dau_tu_cong"),
        ("tỉ lệ hộ nghèo", None, "ty_le_ho_ngheo"),
        ("tổng mức bán lẻ hàng hóa, doanh thu dịch vụ", None, "ban_le_dich_vu"),
        ("giá trị sản xuất của ngành công nghiệp", None, "gtsx_cong_nghiep"),
        ("dịch vụ", "cơ cấu GRDP: dịch vụ 29,2%", "khu_vuc_dich_vu"),
        ("dịch vụ", "doanh thu dịch vụ lưu trú", None),
        ("thiệt hại tài sản", "Phạm pháp hình sự xảy ra 10 vụ, thiệt hại tài sản 439,5 triệu đồng", None),
        ("thiệt hại tài sản", "mưa lũ làm thiệt hại tài sản 5 tỷ đồng", "thiet_hai_thien_tai"),
        ("doanh thu", None, None),
        ("mũi 02", None, None),
    ],
)
def test_canonical_indicator(name, context, expected):
    found = canonical_indicator(name, context)
    assert (found.id if found else None) == expected


def test_indicator_list_is_curated_data_with_unique_ids_and_units():
    indicators = shipped_indicators().indicators
    assert len(indicators) >= 60
    assert all(i.name and i.unit for i in indicators.values())


def test_indicator_list_errors_name_the_line():
    rows = [{"id": "a", "name": "thu ngân sách", "unit": "VND"}, {"id": "a", "name": "chi", "unit": "VND"}]
    with pytest.raises(ValueError, match=r"indicators\.csv:3: indicator id 'a' is listed twice"):
        IndicatorList(rows)
    rows = [{"id": "a", "name": "thu ngân sách", "unit": "VND"}, {"id": "b", "name": "Thu NS", "unit": "VND"}]
    with pytest.raises(ValueError, match="alias 'Thu NS' of b is already a's"):
        IndicatorList(rows)


def test_fields_of_a_real_sentence():
    text = (
        "- Tổng số thu ngân sách nhà nước trên địa bàn huyện ước thực hiện tháng 02 là 28.000 triệu đồng, lũy kế đến "
        "hết tháng 02 là 58.829 triệu đồng đạt 26,15% dự toán tỉnh giao, đạt 21,01% dự toán huyện giao, đạt 96,27% so với cùng kỳ."
    )
    start, end = at(text, "26,15%")
    fields = figure_fields(text, start, end, "PERCENT", "Tổng số thu ngân sách nhà nước", FEBRUARY_2023)
    assert fields.kind == "attainment" and fields.estimate and fields.indicator.id == "thu_nsnn"
    assert (fields.period.start, fields.period.end, fields.period.text) == (date(2023, 1, 1), date(2023, 2, 28), "lũy kế đến hết tháng 02")


# ------------------------------------------------------------------ records, tables, audit, panel


CAOLOC_51 = (
    "- Tổng thu ngân sách huyện ước thực hiện là 237.808 triệu đồng. Trong đó: Thu điều tiết ngân sách huyện: 15.624 "
    "triệu đồng; thu bổ sung cân đối: 92.000 triệu đồng; bổ sung có mục tiêu từ ngân sách cấp trên: 130.184 triệu đồng."
)
CHILANG_102 = (
    "Đến ngày 30/6/2024, các chủ đầu tư đã giải ngân thanh toán được 7.326 triệu đồng/9.480 triệu đồng, đạt 77% trên "
    "kế hoạch vốn giao."
)
CAOLOC_49 = (
    "- Tổng số thu ngân sách nhà nước trên địa bàn huyện ước thực hiện tháng 02 là 28.000 triệu đồng, lũy kế đến hết "
    "tháng 02 là 58.829 triệu đồng đạt 26,15% dự toán tỉnh giao, đạt 21,01% dự toán huyện giao, đạt 96,27% so với cùng kỳ."
)
HEADER = "Cao Lộc, ngày 17 tháng 02 năm 2023"


@pytest.fixture(scope="module")
def records_of(shipped_nlp):
    from vnreport_ie.api import extract_many

    def run(*paragraphs: str) -> list[FigureRecord]:
        pairs = [(f"demo:{i}", text) for i, text in enumerate(paragraphs, start=1)]
        return [r for found in extract_many(pairs, nlp=shipped_nlp, report_date=report_date(HEADER)) for r in found]

    return run


def test_records_and_tables_carry_the_fields(records_of, tmp_path):
    from vnreport_ie.records.tables import (
        COLUMNS,
        to_dataframe,
        write_csv,
        write_parquet,
    )

    records = records_of(CAOLOC_49)
    cumulative = next(r for r in records if r.text.startswith("58.829"))
    assert (cumulative.period_start, cumulative.period_end) == (date(2023, 1, 1), date(2023, 2, 28))
    assert cumulative.kind == "level" and cumulative.estimate and cumulative.indicator_id == "thu_nsnn"
    assert cumulative.indicator_name == "Thu ngân sách nhà nước trên địa bàn"
    new = ("period_start", "period_end", "period_text", "estimate", "kind", "indicator_id", "indicator_name")
    assert set(new) <= set(COLUMNS)
    frame = to_dataframe(records)
    assert frame.loc[frame["text"] == cumulative.text, "period_start"].item() == date(2023, 1, 1)
    assert json.loads(json.dumps(cumulative.to_dict()))["period_end"] == "2023-02-28"
    written = pd.read_csv(write_csv(records, tmp_path / "t.csv"))
    assert written.loc[written["text"] == cumulative.text, "period_end"].item() == "2023-02-28"
    parquet = pd.read_parquet(write_parquet(records, tmp_path / "t.parquet"))
    assert parquet.loc[parquet["text"] == cumulative.text, "period_start"].item() == date(2023, 1, 1)
    assert parquet["estimate"].dtype == bool


def test_consistent_text_gives_no_finding(records_of):
    assert audit(records_of(CAOLOC_51, CHILANG_102, CAOLOC_49)) == []


def test_parts_that_do_not_add_up(records_of):
    typo = CAOLOC_51.replace("130.184", "131.184")
    findings = audit(records_of(typo))
    assert [f.check for f in findings] == ["parts"]
    assert "238.808.000.000 VND, more than the total 237.808 triệu đồng" in findings[0].message
    assert findings[0].sentences()[0].startswith("- Tổng thu ngân sách huyện")


def test_ratio_that_does_not_match(records_of):
    findings = audit(records_of(CHILANG_102.replace("7.326", "8.326")))
    assert [f.check for f in findings] == ["ratio"]
    assert "8.326 triệu đồng / 9.480 triệu đồng = 87,83%, but the text states 77%" in findings[0].message


def test_cumulative_smaller_than_a_month(records_of):
    findings = audit(records_of(CAOLOC_49.replace("58.829", "18.829")))
    assert [f.check for f in findings] == ["cumulative"]


def test_ambiguous_decimal_comma_is_named_when_the_other_reading_adds_up(records_of):
    text = (
        "Tổng chi ngân sách huyện là 647,911 triệu đồng. Trong đó: chi thường xuyên: 400.000 triệu đồng; chi đầu tư "
        "phát triển: 247.911 triệu đồng."
    )
    findings = audit(records_of(text))
    assert len(findings) == 1 and "read as 647.911.000.000 VND" in findings[0].message


def test_unreadable_figure_is_a_finding(records_of):
    findings = audit(records_of("Tổng mức lưu chuyển hàng hóa bán lẻ ước đạt 1.140 tỷ đồng, tăng 10,6,0% CK."))
    assert [f.check for f in findings] == ["unreadable"] and "10,6,0" in findings[0].message


def record(text: str, paragraph: str, start: int, **fields) -> FigureRecord:
    base = dict(
        text=text, label="MONEY", start=start, end=start + len(text), value=1, value_high=1, unit="VND",
        indicator="thu ngân sách", target=None, commune=None, project=None, paragraph_id=paragraph,
        indicator_id="thu_nsnn", indicator_name="Thu ngân sách nhà nước trên địa bàn", kind="level",
    )
    base.update(fields)
    if "value" in fields:
        base["value_high"] = fields["value"]
    return FigureRecord(**base)


def test_panel_keeps_the_later_more_specific_statement():
    february = dict(period_start=date(2023, 2, 1), period_end=date(2023, 2, 28))
    records = [
        record("28 tỷ", "r:3", 10, value=28, period_text="tháng 02", **february),
        record("27 tỷ", "r:9", 10, value=27, period_text="tháng 2", **february),  # later, as specific: wins
        record("30 tỷ", "r:12", 5, value=30, period_text=None),  # no period: another row
        record("5%", "r:12", 40, value=5, label="PERCENT", unit="%", kind="increase", **february),
        record("x", "r:13", 0, value=None, indicator_id="thu_nsnn"),
        record("y", "r:14", 0, value=3, indicator_id=None),
    ]
    built = panel_rows(records)
    assert (built.without_value, built.without_indicator) == (1, 1)
    rows = {(r["period_start"], r["kind"]): r for r in built.rows}
    assert len(rows) == 3
    winner = rows[(date(2023, 2, 1), "level")]
    assert (winner["value"], winner["paragraph_id"], winner["report"]) == (27, "r:9", "r")
    assert winner["duplicates"] == ["r:3@10-15=28"]
    assert rows[(None, "level")]["value"] == 30


def test_cli_panel_and_audit_on_an_annotated_report(tmp_path):
    from vnreport_ie.cli import app

    runner = CliRunner()
    report = ANNOTATIONS / "caoloc-2023-02.jsonl"
    result = runner.invoke(app, ["panel", str(report), "-o", str(tmp_path / "panel.parquet")])
    assert result.exit_code == 0, result.output
    panel = pd.read_parquet(tmp_path / "panel.parquet")
    assert list(panel.columns) == list(PANEL_COLUMNS)
    cumulative = panel[(panel.indicator_id == "thu_nsnn") & (panel.kind == "level") & (panel.period_start == date(2023, 1, 1))]
    assert cumulative["value"].tolist() == [58_829_000_000] and cumulative["report"].tolist() == ["caoloc-2023-02"]
    assert runner.invoke(app, ["panel", str(report), "-o", str(tmp_path / "panel.xlsx")]).exit_code == 1

    typo = tmp_path / "typo.txt"
    typo.write_text(HEADER + "\n" + CAOLOC_51.replace("92.000", "93.000") + "\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(typo)])
    assert result.exit_code == 0
    assert "parts: total and parts:" in result.stdout and "typo:2: - Tổng thu ngân sách huyện" in result.stdout


def test_cli_evaluate_fields(tmp_path):
    from vnreport_ie.cli import app

    runner = CliRunner()
    fields = REPO / "field-annotations" / "lang-son.jsonl"
    scores = tmp_path / "scores.json"
    result = runner.invoke(app, ["evaluate-fields", str(fields), "-e", str(ANNOTATIONS), "--json", str(scores)])
    assert result.exit_code == 0, result.output
    assert "| period accuracy |" in result.stdout and "indicator coverage:" in result.stdout
    data = json.loads(scores.read_text(encoding="utf-8"))
    rules, baseline = data["rules (annotated spans)"]["all"], data["baseline"]["all"]
    assert rules["figures"] == 252
    assert all(rules[f"{f}_accuracy"] > baseline[f"{f}_accuracy"] for f in ("period", "estimate", "kind"))

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "caoloc-2023-02:49", "start": 1, "end": 2, "kind": "total", "estimate": false}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate-fields", str(bad), "-e", str(ANNOTATIONS)])
    assert result.exit_code == 1 and f"{bad}:1: kind 'total' is not one of" in result.output


def test_write_panel_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match="written as .csv or .parquet"):
        write_panel([], tmp_path / "p.json")
