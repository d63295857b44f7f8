"""Values of Vietnamese money and percentage figures, exactly.

Vietnamese writes numbers as the mirror of English: "." groups thousands
(``58.829``), "," is the decimal mark (``26,15``). Money adds scale words
(nghìn, triệu, tỷ) and currency forms (đồng, đ, trđ, VNĐ, ``^d``). The
conventions are kept as tables below, not as branches.

``parse_money`` / ``parse_percent`` return one number or raise
``ValueError`` saying why; :func:`parse_figure` is the richer call: it also
reads ranges ("2-3 tỷ đồng", "44-45%") and returns warnings for figures that
parse by the convention but look like typos ("647,911 triệu đồng").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

# Scale words: value multiplier. Longer forms first so "nghìn tỷ" wins over "nghìn".
SCALE_WORDS: dict[str, int] = {
    "nghìn tỷ": 10**12,
    "nghìn tỉ": 10**12,
    "ngàn tỷ": 10**12,
    "ngàn tỉ": 10**12,
    "nghìn": 10**3,
    "ngàn": 10**3,
    "triệu": 10**6,
    "tr": 10**6,
    "tỷ": 10**9,
    "tỉ": 10**9,
}
# Currency forms: (currency, multiplier). "trđ" is "triệu đồng" in one word.
CURRENCY_WORDS: dict[str, tuple[str, int]] = {
    "đồng": ("VND", 1),
    "đ": ("VND", 1),
    "^d": ("VND", 1),  # a superscript đ as PDF conversion writes it: 1.829.669.600^d
    "^đ": ("VND", 1),
    "vnđ": ("VND", 1),
    "vnd": ("VND", 1),
    "trđ": ("VND", 10**6),
    "trd": ("VND", 10**6),
    "usd": ("USD", 1),
    "đô la": ("USD", 1),
    "đô la mỹ": ("USD", 1),
}
# forms a written figure may use but that are too ambiguous to find figures by ("3 tr" may be pages)
NOT_FOUND_BY = frozenset({"tr"})
PERCENT_SIGNS = ("%", "phần trăm")
FOOTNOTE_MARKERS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# A Vietnamese number, e.g. 1.829.669.600 or 58.829 or 143,6 or 12.824,50
VI_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
# A number with a decimal comma only, e.g. 26,15 or 647,911
VI_DECIMAL = re.compile(r"\d+,\d+")
# An integer, e.g. 45 or 07
INTEGER = re.compile(r"\d+")
# A decimal point as English writes it, e.g. 19.39 (kept as written in the reports)
EN_DECIMAL = re.compile(r"\d+\.\d+")
# English thousands grouping with two or more groups, e.g. 1,829,669
EN_GROUPED = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")

# One piece of a figure: a signed number, a word (with ^d), a range dash, or any other character.
FIGURE_PIECE = re.compile(
    r"""
    (?P<number>\d[\d.,]*\d|\d)               # 58.829 / 26,15 / 7
    | (?P<word>\^[dđ]|[^\W\d_]+)             # triệu / đồng / ^d / USD
    | (?P<dash>[-–—])                        # a sign or a range dash
    | (?P<plus>\+)
    | (?P<percent>%)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)
RANGE_WORDS = {"đến", "tới"}
# unit words written as several words, longest first: "nghìn tỷ", "đô la mỹ"
MULTIWORD_UNITS = sorted((w for w in [*SCALE_WORDS, *CURRENCY_WORDS] if " " in w), key=lambda w: -w.count(" "))

FigureKind = Literal["money", "percent"]


@dataclass(frozen=True)
class FigureValue:
    """The value of a money or percentage figure: ``low == high`` unless it is a range."""

    text: str
    kind: FigureKind
    low: Decimal
    high: Decimal
    unit: str  # "VND", "USD" or "%"
    warnings: tuple[str, ...] = field(default=())

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def parse_money(text: str) -> int:
    """The amount of a Vietnamese money figure in VND, e.g. "58.829 triệu đồng" -> 58829000000."""
    value = parse_figure(text, kind="money")
    if value.is_range:
        raise ValueError(f"{text!r} is a range ({value.low}..{value.high}): use parse_figure for ranges")
    if value.unit != "VND":
        raise ValueError(f"{text!r} is in {value.unit}, not VND: use parse_figure to get its currency")
    return _exact_int(value.low, text)


def parse_percent(text: str) -> float:
    """The value of a Vietnamese percentage, e.g. "26,15%" -> 26.15."""
    value = parse_figure(text, kind="percent")
    if value.is_range:
        raise ValueError(f"{text!r} is a range ({value.low}..{value.high}): use parse_figure for ranges")
    return float(value.low)


def parse_figure(text: str, kind: FigureKind | None = None) -> FigureValue:
    """Parse a money or percent figure (ranges included) into a FigureValue with warnings."""
    if not isinstance(text, str):
        raise TypeError(f"expected a str figure, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty figure: nothing to parse")
    warnings: list[str] = []
    without_marker = stripped.rstrip(FOOTNOTE_MARKERS).rstrip()
    if without_marker != stripped:
        warnings.append(f"footnote marker {stripped[len(without_marker):].strip()!r} ignored")
        stripped = without_marker
    pieces = [(m.lastgroup, m.group()) for m in FIGURE_PIECE.finditer(stripped)]
    is_percent = any(name == "percent" for name, _ in pieces) or stripped.lower().endswith("phần trăm")
    if kind is None:
        kind = "percent" if is_percent else "money"
    if kind == "percent":
        if not is_percent:
            raise ValueError(f"{text!r} is not a percentage: no '%' or 'phần trăm'")
        return _parse_percent_pieces(text, pieces, warnings)
    if is_percent:
        raise ValueError(f"{text!r} is a percentage, not money")
    return _parse_money_pieces(text, pieces, warnings)


def parse_number(number: str, kind: FigureKind = "money") -> tuple[Decimal, list[str]]:
    """A number written the Vietnamese way, with warnings for forms that look like typos."""
    warnings: list[str] = []
    if VI_GROUPED.fullmatch(number):
        integer, _, fraction = number.partition(",")
        return Decimal(integer.replace(".", "") + ("." + fraction if fraction else "")), warnings
    if VI_DECIMAL.fullmatch(number):
        integer, fraction = number.split(",")
        if kind == "money" and len(fraction) == 3:
            warnings.append(
                f"{number!r} has three digits after the decimal comma: read as {integer} point {fraction} by the "
                f"convention, but it may be a typo for the thousands-grouped {integer}.{fraction}"
            )
        return Decimal(f"{integer}.{fraction}"), warnings
    if INTEGER.fullmatch(number):
        return Decimal(number), warnings
    if EN_GROUPED.fullmatch(number):
        warnings.append(f"{number!r} uses English thousands commas")
        return Decimal(number.replace(",", "")), warnings
    if EN_DECIMAL.fullmatch(number):
        if kind == "money" and len(number.split(".")[1]) == 3:
            return Decimal(number.replace(".", "")), warnings
        warnings.append(f"{number!r} uses an English decimal point")
        return Decimal(number), warnings
    raise ValueError(
        f"malformed number {number!r}: expected Vietnamese digits such as 58.829, 26,15 or 1.829.669.600"
    )


def _parse_percent_pieces(text: str, pieces: list[tuple[str, str]], warnings: list[str]) -> FigureValue:
    numbers: list[Decimal] = []
    sign = 1
    for name, piece in pieces:
        if name == "number":
            value, notes = parse_number(piece, "percent")
            warnings.extend(notes)
            numbers.append(sign * value)
            sign = 1
        elif name == "dash" and not numbers:
            sign = -1
        elif name in ("dash", "plus", "percent") or piece.lower() in ("phần", "trăm") or piece in RANGE_WORDS:
            continue
        else:
            raise ValueError(f"unexpected {piece!r} in percentage {text!r}")
    if not numbers:
        raise ValueError(f"no number in percentage {text!r}")
    if len(numbers) > 2:
        raise ValueError(f"{text!r} has {len(numbers)} numbers: a percentage has one, or two for a range")
    return FigureValue(text, "percent", numbers[0], numbers[-1], "%", tuple(warnings))


def _parse_money_pieces(text: str, pieces: list[tuple[str, str]], warnings: list[str]) -> FigureValue:
    words = _join_multiword_units([(name, piece) for name, piece in pieces])
    amounts: list[Decimal] = []  # completed ends of a range
    current = Decimal(0)  # sum of finished "number scale" groups: 3 tỷ 200 triệu
    pending: Decimal | None = None  # a number waiting for its scale
    sign = 1
    currency: str | None = None
    unscaled_ends: list[int] = []  # range ends written without their own scale: 2-3 tỷ
    for name, piece in words:
        lowered = piece.lower()
        if name == "number":
            if pending is not None:
                raise ValueError(f"two numbers in a row in {text!r}: {piece!r} follows a number without a unit")
            pending, notes = parse_number(piece, "money")
            pending *= sign
            sign = 1
            warnings.extend(notes)
        elif lowered in SCALE_WORDS:
            if pending is None:
                raise ValueError(f"scale word {piece!r} without a number in {text!r}")
            current += pending * SCALE_WORDS[lowered]
            pending = None
        elif lowered in CURRENCY_WORDS:
            currency, multiplier = CURRENCY_WORDS[lowered]
            if pending is not None:
                current += pending * multiplier
                pending = None
            elif multiplier != 1:
                raise ValueError(f"{piece!r} without a number in {text!r}")
        elif name == "dash" and pending is None and current == 0 and not amounts:
            sign = -1
        elif name == "dash" or lowered in RANGE_WORDS:
            if pending is not None:
                unscaled_ends.append(len(amounts))
                amounts.append(pending)
                pending = None
            else:
                amounts.append(current)
            current = Decimal(0)
        elif name == "plus":
            continue
        else:
            raise ValueError(f"unexpected {piece!r} in money figure {text!r}")
    if pending is not None:
        # A bare number: "220 triệu" has its scale; a plain number has none, e.g. "5.000" in a table.
        if current != 0:
            warnings.append(f"{text!r} ends with a number without a unit; read in đồng")
        current += pending
    amounts.append(current)
    if not any(name == "number" for name, _ in words):
        raise ValueError(f"no number in money figure {text!r}")
    if len(amounts) > 2:
        raise ValueError(f"{text!r} has {len(amounts)} amounts: money has one, or two for a range")
    if len(amounts) == 2 and unscaled_ends:
        # "2-3 tỷ đồng": the first end takes the scale of the last one.
        last_scale = _scale_of(words)
        amounts[0] = amounts[0] * last_scale
    if currency is None:
        currency = "VND"
        if not any(piece.lower() in SCALE_WORDS for _, piece in words):
            warnings.append(f"{text!r} has no unit: read as đồng")
    return FigureValue(text, "money", min(amounts), max(amounts), currency, tuple(warnings))


def _join_multiword_units(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge unit words written as several words ("nghìn tỷ", "đô la") into one piece."""
    result: list[tuple[str, str]] = []
    index = 0
    while index < len(pieces):
        for unit in MULTIWORD_UNITS:
            parts = unit.split(" ")
            window = [piece.lower() for _, piece in pieces[index : index + len(parts)]]
            if window == parts:
                result.append(("word", unit))
                index += len(parts)
                break
        else:
            result.append(pieces[index])
            index += 1
    return result


def _scale_of(words: list[tuple[str, str]]) -> int:
    """Multiplier of the last scale or currency word of a figure."""
    for _, piece in reversed(words):
        lowered = piece.lower()
        if lowered in SCALE_WORDS:
            return SCALE_WORDS[lowered]
    for _, piece in reversed(words):
        if piece.lower() in CURRENCY_WORDS:
            return CURRENCY_WORDS[piece.lower()][1]
    return 1


def _exact_int(value: Decimal, text: str) -> int:
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number of đồng ({value})")
    return int(value)
