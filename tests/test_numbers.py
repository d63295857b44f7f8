"""Golden table of Vietnamese money and percentage figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vnreport_ie.text import numbers
from vnreport_ie.text.numbers import parse_figure, parse_money, parse_percent

MONEY = [
    ("million-dong", "58.829 triệu đồng", 58_829_000_000),
    ("billion-decimal", "143,6 tỷ đồng", 143_600_000_000),
    ("plain-dong", "215.697.119 đồng", 215_697_119),
    ("trd", "4.910 trđ", 4_910_000_000),
    ("superscript-d", "1.829.669.600^d", 1_829_669_600),
    ("no-currency", "45 tỷ", 45_000_000_000),
    ("thousand", "350 nghìn đồng", 350_000),
    ("compound", "3 tỷ 200 triệu đồng", 3_200_000_000),
    ("compound-thousand", "147 triệu 500 nghìn đồng", 147_500_000),
    ("glued-d", "7.000.000đ", 7_000_000),
    ("ti-spelling", "16 tỉ 131 triệu đồng", 16_131_000_000),
    ("thousand-billion", "12 nghìn tỷ đồng", 12_000_000_000_000),
    ("implied-currency", "220 triệu", 220_000_000),
    ("vnd", "500.000 VNĐ", 500_000),
]
PERCENT = [
    ("decimal", "26,15%", 26.15),
    ("space-before-sign", "32,8 %", 32.8),
    ("negative", "-0,3%", -0.3),
    ("positive", "+1,9%", 1.9),
    ("words", "50 phần trăm", 50.0),
    ("leading-zero", "07%", 7.0),
    ("english-decimal-point", "19.39%", 19.39),
]
MALFORMED = [
    ("double-decimal", "10,6,0%", "malformed number"),
    ("no-number-money", "abc triệu đồng", "unexpected 'abc'"),
    ("sign-only", "%", "no number"),
    ("empty", "", "empty"),
    ("typo-space", "5, 8 tỷ đồng", "unexpected ','"),
]


@pytest.mark.parametrize("case, text, expected", MONEY, ids=[c[0] for c in MONEY])
def test_parse_money(case, text, expected):
    value = parse_money(text)
    assert value == expected and isinstance(value, int)


@pytest.mark.parametrize("case, text, expected", PERCENT, ids=[c[0] for c in PERCENT])
def test_parse_percent(case, text, expected):
    assert parse_percent(text) == pytest.approx(expected)


@pytest.mark.parametrize("case, text, message", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_figures_raise_with_a_reason(case, text, message):
    parse = parse_percent if "%" in text else parse_money
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_money_range_through_parse_figure():
    value = parse_figure("2-3 tỷ đồng")
    assert (value.low, value.high, value.unit, value.is_range) == (Decimal(2_000_000_000), Decimal(3_000_000_000), "VND", True)
    with pytest.raises(ValueError, match="range"):
        parse_money("2-3 tỷ đồng")


def test_percent_range_through_parse_figure():
    value = parse_figure("7,5 - 8,0%")
    assert (value.low, value.high) == (Decimal("7.5"), Decimal("8.0"))
    with pytest.raises(ValueError, match="range"):
        parse_percent("44-45%")


def test_three_decimals_after_comma_parse_with_a_warning():
    value = parse_figure("647,911 triệu đồng")
    assert value.low == Decimal("647911000")
    assert any("three digits after the decimal comma" in w for w in value.warnings)
    assert parse_money("647,911 triệu đồng") == 647_911_000


def test_foreign_currency_is_kept_not_converted():
    assert parse_figure("470 triệu USD").unit == "USD"
    with pytest.raises(ValueError, match="USD"):
        parse_money("470 triệu USD")


def test_money_is_exact_for_large_amounts():
    assert parse_money("12.836,445 tỉ đồng") == 12_836_445_000_000


def test_footnote_marker_after_a_percentage_is_ignored_with_a_warning():
    value = parse_figure("4,67%¹")
    assert value.low == Decimal("4.67") and value.warnings


def test_scale_words_are_data_not_branches():
    assert numbers.SCALE_WORDS["tỷ"] == 10**9 and numbers.CURRENCY_WORDS["trđ"] == ("VND", 10**6)
