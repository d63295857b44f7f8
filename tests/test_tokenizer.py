"""The underthesea-backed tokenizer keeps the text and cuts figures where the guide needs it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, require_in_ci


def test_every_annotated_paragraph_keeps_its_text(blank_nlp, corpus_examples):
    mismatches = [e.id for e in corpus_examples if blank_nlp.make_doc(e.text).text != e.text]
    assert len(corpus_examples) == 708
    assert mismatches == []


def test_every_corpus_paragraph_keeps_its_text(blank_nlp):
    if not CORPUS.exists():
        require_in_ci(f"the shared corpus is not at {CORPUS} (it is ../shared/corpus beside the clone)")
    paragraphs = [line.rstrip("\n") for f in sorted(CORPUS.glob("*.txt")) for line in f.open(encoding="utf-8") if line.strip()]
    assert len(paragraphs) == 708
    assert [p for p in paragraphs if blank_nlp.make_doc(p).text != p] == []


@pytest.mark.parametrize(
    "case, text, token",
    [
        ("multi-syllable-word", "Tổng thu ngân sách nhà nước", "ngân sách"),
        ("grouped-thousands", "là 58.829 triệu đồng", "58.829"),
        ("decimal-comma", "đạt 26,15% dự toán", "26,15"),
        ("long-number", "số tiền 1.829.669.600^d", "1.829.669.600"),
        ("percent-sign", "đạt 26,15% dự toán", "%"),
        ("footnote-after-money", "5.200 triệu đồng⁶ đã", "⁶"),
        ("footnote-after-year", "năm 2024⁹ và", "⁹"),
        ("footnote-after-year-number", "năm 2024⁹ và", "2024"),
        ("glued-verb-and-figure", "đạt1,36% kế hoạch", "1,36"),
        ("abbreviation-before-full-stop", "đạt 100% KH. Tiếp", "KH"),
        ("star-after-name", "Vũ Lăng*). Tổng", "Vũ Lăng"),
        ("normalised-spelling-kept", "hoá đơn qui định", "hoá"),
        ("name-after-lower-case-word", "các xã Hòa Long và Công Liêm đạt", "Công Liêm"),
        ("name-after-lower-case-verb", "đường nối Mỹ Hội Đông với", "Mỹ"),
        ("name-after-glued-abbreviation", "phường P.An Bình, TP.Hồ Chí Minh", "An Bình"),
        ("abbreviation-glued-to-name", "phường P.An Bình, TP.Hồ Chí Minh", "TP."),
    ],
)
def test_token_cases(blank_nlp, case, text, token):
    doc = blank_nlp(text)
    assert doc.text == text
    assert token in [t.text for t in doc], f"{case}: {[t.text for t in doc]}"


@pytest.mark.parametrize("text", ["", " ", "   \n\t ", "\u00a0"])
def test_empty_and_whitespace_text(blank_nlp, text):
    assert blank_nlp(text).text == text


def test_text_longer_than_spacy_default_max_length(blank_nlp):
    paragraph = "Tổng thu ngân sách đạt 58.829 triệu đồng, bằng 26,15% dự toán; "
    text = paragraph * (1_100_000 // len(paragraph) + 1)
    doc = blank_nlp(text)
    assert len(text) > 1_000_000
    assert doc.text == text


def test_pipeline_with_tokenizer_reloads(blank_nlp, tmp_path):
    import spacy

    blank_nlp.to_disk(tmp_path / "blank")
    reloaded = spacy.load(tmp_path / "blank")
    assert [t.text for t in reloaded("ngân sách nhà nước")] == [t.text for t in blank_nlp("ngân sách nhà nước")]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_kept(blank_nlp, text):
    assert blank_nlp(text).text == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789.,%⁰¹²³⁴⁵⁶⁷⁸⁹^đ trệuỷ-+*()", max_size=80))
def test_figure_like_text_is_kept(blank_nlp, text):
    assert blank_nlp(text).text == text
