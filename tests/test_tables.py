"""Figure tables keep provenance; records carry the commune's official unit."""

from __future__ import annotations

import pandas as pd
import pytest

from vnreport_ie.text.communes import report_location
from vnreport_ie.records.figures import FigureRecord, doc_to_records, sentence_around
from vnreport_ie.pipeline.relations import FigureRelation, set_relations
from vnreport_ie.records.tables import COLUMNS, to_dataframe, write_csv, write_parquet

TEXT = "Năm 2024, xã Hợp Thành thu ngân sách đạt 1.250 triệu đồng, bằng 24,5% dự toán. Hết."


@pytest.fixture()
def records(blank_nlp) -> list[FigureRecord]:
    doc = blank_nlp.make_doc(TEXT)

    def span(text, label):
        start = TEXT.index(text)
        return doc.char_span(start, start + len(text), label=label)

    money, percent = span("1.250 triệu đồng", "MONEY"), span("24,5%", "PERCENT")
    commune, indicator, target = span("Hợp Thành", "COMMUNE"), span("thu ngân sách", "INDICATOR"), span("dự toán", "TARGET")
    doc.ents = [commune, indicator, money, percent, target]
    set_relations(
        doc,
        [
            FigureRelation("indicator", money.start_char, money.end_char, indicator.start_char, indicator.end_char),
            FigureRelation("indicator", percent.start_char, percent.end_char, indicator.start_char, indicator.end_char),
            FigureRelation("target", percent.start_char, percent.end_char, target.start_char, target.end_char),
            FigureRelation("location", money.start_char, money.end_char, commune.start_char, commune.end_char),
        ],
    )
    location = report_location("UBND HUYỆN CAO LỘC\nBáo cáo tình hình kinh tế - xã hội")
    return doc_to_records(doc, "caoloc-demo:3", location)


def test_records_carry_values_links_and_sentence(records):
    money, percent = records
    assert (money.value, money.unit, money.indicator, money.commune) == (1_250_000_000, "VND", "thu ngân sách", "Hợp Thành")
    assert (percent.value, percent.target, percent.commune) == (24.5, "dự toán", None)
    assert money.sentence == "Năm 2024, xã Hợp Thành thu ngân sách đạt 1.250 triệu đồng, bằng 24,5% dự toán."
    assert TEXT[money.start : money.end] == money.text


def test_commune_of_a_record_is_linked_to_its_official_unit(records):
    link = records[0].commune_link
    assert link.status == "linked"
    assert (link.district, link.commune) == ("Huyện Cao Lộc", "Xã Hợp Thành")
    assert link.new_commune  # the unit it merged into on 1 July 2025
    assert records[1].commune_link is None


def test_dataframe_has_provenance_and_exact_money(records):
    frame = to_dataframe(records)
    assert list(frame.columns) == list(COLUMNS)
    row = frame.iloc[0]
    assert (row["report"], row["paragraph_id"], row["start"], row["end"]) == ("caoloc-demo", "caoloc-demo:3", TEXT.index("1.250"), TEXT.index("1.250") + 16)
    assert row["value"] == 1_250_000_000
    assert {c: str(frame[c].dtype) for c in ("value", "value_high", "start", "end")} == {
        "value": "Float64", "value_high": "Float64", "start": "Int64", "end": "Int64"
    }  # fmt: skip
    assert frame["value"].sum() == 1_250_000_000 + 24.5
    assert row["commune_official"] == "Xã Hợp Thành"


def test_csv_and_parquet_exports(records, tmp_path):
    csv_frame = pd.read_csv(write_csv(records, tmp_path / "f.csv"))
    parquet_frame = pd.read_parquet(write_parquet(records, tmp_path / "f.parquet"))
    for frame in (csv_frame, parquet_frame):
        assert len(frame) == 2
        assert list(frame["text"]) == ["1.250 triệu đồng", "24,5%"]
        assert frame["value"].tolist() == [1_250_000_000, 24.5]
    assert list(parquet_frame["communes"].iloc[0]) == ["Hợp Thành"]


def test_sentence_of_the_last_words_without_a_full_stop():
    text = "Thu đạt 5 tỷ đồng. Chi đạt 3 tỷ đồng"
    assert sentence_around(text, text.index("3 tỷ"), len(text)) == "Chi đạt 3 tỷ đồng"


def test_empty_records_give_an_empty_table_with_every_column():
    frame = to_dataframe([])
    assert frame.empty and list(frame.columns) == list(COLUMNS)


def test_csv_keeps_money_exact_and_never_in_scientific_notation(records, tmp_path):
    import csv
    from dataclasses import replace

    huge = replace(records[0], value=1_829_669_600_000_000_123, value_high=1_829_669_600_000_000_123)  # above 2**53: a float would round it
    rows = list(csv.DictReader(write_csv([huge, records[1]], tmp_path / "f.csv").open(encoding="utf-8")))
    assert [row["value"] for row in rows] == ["1829669600000000123", "24.5"]
    assert rows[0]["value_high"] == "1829669600000000123" and rows[0]["start"] == str(TEXT.index("1.250"))


def test_table_says_why_a_commune_link_failed_and_lists_candidates(blank_nlp):
    doc = blank_nlp.make_doc("Xã Tân Thành đạt 5 tỷ đồng.")
    commune, money = doc.char_span(3, 12, label="COMMUNE"), doc.char_span(17, 26, label="MONEY")
    doc.ents = [commune, money]
    set_relations(doc, [FigureRelation("location", 17, 26, 3, 12)])
    (record,) = doc_to_records(doc, "x:1", None)  # no district known: "Tân Thành" names units in many provinces
    row = to_dataframe([record]).iloc[0]
    assert row["commune_link_status"] == "ambiguous"
    assert row["commune_candidates"].count(";") >= 1 and "Xã Tân Thành" in row["commune_candidates"]
    assert row["commune_link_reason"]
