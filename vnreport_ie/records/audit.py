"""The report's own arithmetic, checked where the text states it twice.

Checks (each within the rounding of the written digits, so a consistent text gives no finding; a
stated ratio may also be cut rather than rounded, "44,93%" written "44%"):

- **ratio**: an amount, its reference and the stated ratio: "X/Y (đạt Z%)", "được giao Y, đã giải ngân
  X, đạt Z%" (Y a ``plan`` figure of the sentence);
- **parts**: parts against their stated total: "Tổng ... A. Trong đó: B; C; D" (with "gồm" the parts
  must add up to the total, with "trong đó" they must not exceed it);
- **cumulative**: a month's value against its cumulative value in the same report (the cumulative is
  not smaller; from January to January they are equal);
- **unreadable**: a figure whose number cannot be read ("10,6,0%").

A failed check on an amount with an ambiguous decimal comma ("647,911 triệu đồng") says whether the
other reading (thousands-grouped) makes it add up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from vnreport_ie.pipeline.patterns import NUMBER
from vnreport_ie.records.figures import FigureRecord

NUMBER_PATTERN = re.compile(NUMBER)
AMBIGUOUS_COMMA = "three digits after the decimal comma"
ENGLISH_POINT = "English decimal point"


@dataclass(frozen=True)
class Finding:
    """An inconsistency of the report's arithmetic: what is wrong and the figures involved."""

    check: str
    message: str
    records: tuple[FigureRecord, ...]

    def sentences(self) -> list[str]:
        """The sentences of the figures involved, each once, in order."""
        return list(dict.fromkeys(r.sentence for r in self.records if r.sentence))


@dataclass(frozen=True)
class _Bounds:
    low: float
    high: float


def written_bounds(record: FigureRecord, value: float | None = None) -> _Bounds:
    """The values the written figure can stand for, given the rounding of its last written digit."""
    value = float(record.value if value is None else value)
    found = NUMBER_PATTERN.search(record.text)
    if found is None:
        return _Bounds(value, value)
    number = found.group(0)
    english = any(ENGLISH_POINT in w for w in record.warnings)
    decimal_mark = "." if english else ","
    decimals = len(number.rsplit(decimal_mark, 1)[1]) if decimal_mark in number else 0
    plain = number.replace(".", "").replace(",", ".") if not english else number.replace(",", "")
    try:
        written = float(Decimal(plain))
    except ArithmeticError:
        return _Bounds(value, value)
    scale = value / written if written else 1.0
    half = 0.5 * 10.0 ** (-decimals) * abs(scale)
    return _Bounds(value - half, value + half)


def _ratio_consistent(part: _Bounds, whole: _Bounds, percent: _Bounds) -> bool:
    if whole.high <= 0:
        return True
    low = 100 * part.low / whole.high
    high = 100 * part.high / max(whole.low, 1e-12)
    return low <= percent.high + 1e-9 and percent.low - 1e-9 <= high


def _other_reading(record: FigureRecord) -> float | None:
    """The thousands-grouped reading of "647,911 triệu đồng" (None for an unambiguous figure)."""
    if record.value is None or not any(AMBIGUOUS_COMMA in w for w in record.warnings):
        return None
    return float(record.value) * 1000


def _format(value: float, unit: str | None) -> str:
    if unit == "%":
        return f"{value:.2f}%".replace(".", ",")
    return f"{value:,.0f} {unit or ''}".replace(",", ".").strip()


def _slash_pair(first: FigureRecord, second: FigureRecord) -> bool:
    if first.label != "MONEY" or second.label != "MONEY" or first.paragraph_id != second.paragraph_id:
        return False
    return 0 <= second.start - first.end <= 3 and first.sentence is not None and (first.text + "/") in first.sentence.replace(" /", "/")


def _check_ratio(part: FigureRecord, whole: FigureRecord, percent: FigureRecord, how: str) -> Finding | None:
    if None in (part.value, whole.value, percent.value) or part.value_high != part.value or whole.value_high != whole.value:
        return None
    if percent.value_high != percent.value or part.unit != whole.unit:
        return None
    written = written_bounds(percent)
    # a stated ratio may be rounded or cut ("44,93%" written "44%"): up to one unit of its last digit above
    bounds = _Bounds(written.low, written.high + (written.high - written.low))
    if _ratio_consistent(written_bounds(part), written_bounds(whole), bounds):
        return None
    computed = 100 * float(part.value) / float(whole.value) if whole.value else float("inf")
    message = (
        f"{how}: {part.text} / {whole.text} = {_format(computed, '%')}, but the text states {percent.text}"
    )
    for record, role in ((part, "part"), (whole, "whole")):
        other = _other_reading(record)
        if other is None:
            continue
        args = {"part": written_bounds(part), "whole": written_bounds(whole)}
        args[role] = written_bounds(record, other)
        if _ratio_consistent(args["part"], args["whole"], bounds):
            message += f" (it adds up if {record.text!r} is read as {_format(other, record.unit)})"
    return Finding("ratio", message, (part, whole, percent))


def _ratio_findings(sentence: Sequence[FigureRecord], checked: Counter) -> list[Finding]:
    findings = []
    for index, percent in enumerate(sentence):
        if percent.label != "PERCENT" or percent.kind in ("increase", "decrease", "share", "index", "plan"):
            continue
        before = sentence[:index]
        money = [r for r in before if r.label == "MONEY"]
        if len(before) >= 2 and _slash_pair(before[-2], before[-1]):
            checked["ratio"] += 1
            finding = _check_ratio(before[-2], before[-1], percent, "X/Y (đạt Z%)")
            if finding:
                findings.append(finding)
            continue
        if percent.kind != "attainment" or not money or before[-1].label != "MONEY":
            continue
        done = before[-1]
        plans = [r for r in money if r.kind == "plan" and r is not done]
        if done.kind == "level" and len(plans) == 1 and _same_series(plans[0], done):
            checked["ratio"] += 1
            finding = _check_ratio(done, plans[0], percent, "done / plan (đạt Z%)")
            if finding:
                findings.append(finding)
    return findings


def _same_series(first: FigureRecord, second: FigureRecord) -> bool:
    if first.indicator_id and second.indicator_id:
        return first.indicator_id == second.indicator_id
    return first.indicator is not None and first.indicator == second.indicator


# "trong đó", "gồm", "bao gồm" opening a list of parts after a total
PARTS_MARK = re.compile(r"(?<!\w)(?:trong\s+đó|trong\s+số\s+này|bao\s+gồm|gồm(?:\s+có)?|cụ\s+thể)(?!\w)", re.IGNORECASE)
# an amount the total leaves out: "(chưa bao gồm vốn đối ứng của huyện là 5.400 triệu đồng)"
EXCLUDED_MARK = re.compile(r"(?<!\w)(?:chưa|không)\s+(?:bao\s+gồm|gồm|tính|kể)(?!\w)", re.IGNORECASE)
TOTAL_WORD = re.compile(r"(?<!\w)tổng(?!\w)", re.IGNORECASE)
# a list mark right after the amount: "18.578 triệu đồng, gồm: ..."
MARK_RIGHT_AFTER = re.compile(r"^[\s,.:;()-]*(?:trong\s+đó|bao\s+gồm|gồm)", re.IGNORECASE)


def _parts_findings(paragraph: Sequence[FigureRecord], texts: dict[int, str], checked: Counter) -> list[Finding]:
    """``texts``: for each record index, the text between the previous figure (or sentence start) and it."""
    findings = []
    for index, total in enumerate(paragraph):
        if total.label != "MONEY" or total.value is None or total.value_high != total.value:
            continue
        if total.kind not in ("level", "plan"):
            continue
        named_total = TOTAL_WORD.search(texts[index]) or (total.indicator and TOTAL_WORD.search(total.indicator))
        if not named_total and not MARK_RIGHT_AFTER.match(texts.get(index + 1, "")):
            continue
        first, mark = index + 1, None
        while first < len(paragraph):
            gap = texts[first]
            if EXCLUDED_MARK.search(gap):
                first += 1  # an amount the total does not include
                continue
            mark = PARTS_MARK.search(gap)
            break
        if mark is None or PARTS_MARK.search(texts[first][mark.end() :]):
            continue
        parts: list[FigureRecord] = []
        for offset in range(first, len(paragraph)):
            part = paragraph[offset]
            gap = texts[offset][mark.end() :] if offset == first else texts[offset]
            if offset > first and (PARTS_MARK.search(gap) or TOTAL_WORD.search(gap) or EXCLUDED_MARK.search(gap)):
                break  # a nested list, the next total, or an excluded amount
            if part.label != "MONEY" or part.unit != total.unit or part.kind != total.kind:
                break
            if part.value is None or part.value_high != part.value:
                break
            if offset + 1 < len(paragraph) and _slash_pair(part, paragraph[offset + 1]):
                break
            parts.append(part)
        if len(parts) < 2:
            continue
        checked["parts"] += 1
        exhaustive = "gồm" in mark.group(0).lower()
        low = sum(written_bounds(p).low for p in parts)
        high = sum(written_bounds(p).high for p in parts)
        bounds = written_bounds(total)
        stated = sum(float(p.value) for p in parts)
        if low > bounds.high + 1e-6:
            problem = f"the parts add up to {_format(stated, total.unit)}, more than the total {total.text}"
        elif exhaustive and high < bounds.low - 1e-6:
            problem = f"the parts listed after {mark.group(0)!r} add up to {_format(stated, total.unit)}, not the total {total.text}"
        else:
            continue
        hint = _parts_other_reading(total, parts, exhaustive)
        findings.append(Finding("parts", f"total and parts: {problem}{hint}", (total, *parts)))
    return findings


def _parts_other_reading(total: FigureRecord, parts: list[FigureRecord], exhaustive: bool) -> str:
    for record in (total, *parts):
        other = _other_reading(record)
        if other is None:
            continue
        total_bounds = written_bounds(total, other) if record is total else written_bounds(total)
        low = sum(written_bounds(p, other if p is record else None).low for p in parts)
        high = sum(written_bounds(p, other if p is record else None).high for p in parts)
        fits = low <= total_bounds.high + 1e-6 and (not exhaustive or high >= total_bounds.low - 1e-6)
        if fits:
            return f" (it adds up if {record.text!r} is read as {_format(other, record.unit)})"
    return ""


def _cumulative_findings(records: Sequence[FigureRecord], checked: Counter) -> list[Finding]:
    findings = []
    monthly: dict[tuple, list[FigureRecord]] = {}
    cumulative: dict[tuple, list[FigureRecord]] = {}
    for record in records:
        if record.indicator_id is None or record.value is None or record.value_high != record.value:
            continue
        if record.kind != "level" or record.period_start is None or record.period_end is None:
            continue
        start, end = record.period_start, record.period_end
        key = (_report(record), record.indicator_id, record.label, record.unit, record.commune, end)
        if start.day == 1 and start.month == end.month and start.year == end.year and end.day >= 28:
            monthly.setdefault(key, []).append(record)
        if start.month == 1 and start.day == 1 and end.month > 1 and start.year == end.year:
            cumulative.setdefault(key, []).append(record)
    for key, months in monthly.items():
        for month in months:
            for total in cumulative.get(key, []):
                checked["cumulative"] += 1
                if written_bounds(total).high + 1e-6 < written_bounds(month).low:
                    findings.append(
                        Finding(
                            "cumulative",
                            f"cumulative value smaller than one month's: {total.period_text!r} {total.text} "
                            f"< {month.period_text!r} {month.text}",
                            (month, total),
                        )
                    )
    return findings


def _report(record: FigureRecord) -> str | None:
    if record.paragraph_id is None:
        return None
    return record.paragraph_id.rsplit(":", 1)[0]


def _gaps(paragraph: Sequence[FigureRecord]) -> dict[int, str]:
    """For each record, the words of its sentence between the previous figure of that sentence (or the
    sentence start) and the figure."""
    gaps: dict[int, str] = {}
    cursor: dict[str | None, int] = {}
    previous_sentence = None
    for index, record in enumerate(paragraph):
        sentence = record.sentence or ""
        if sentence != previous_sentence:
            position = 0
            previous_sentence = sentence
        else:
            position = cursor.get(sentence, 0)
        found = sentence.find(record.text, position)
        if found < 0:
            gaps[index] = ""
            continue
        gaps[index] = sentence[position:found]
        cursor[sentence] = found + len(record.text)
    gaps[len(paragraph)] = ""
    return gaps


def audit(records: Iterable[FigureRecord]) -> list[Finding]:
    """The inconsistencies of the report's own arithmetic among ``records`` (see the module docstring)."""
    return audit_counted(records)[0]


def audit_counted(records: Iterable[FigureRecord]) -> tuple[list[Finding], Counter]:
    """The findings and how many checks of each kind were made (ratio, parts, cumulative, unreadable)."""
    records = list(records)
    findings: list[Finding] = []
    checked: Counter = Counter()
    for record in records:
        checked["unreadable"] += 1
        if record.value_error:
            findings.append(Finding("unreadable", f"figure cannot be read: {record.value_error}", (record,)))
    paragraphs: dict[str | None, list[FigureRecord]] = {}
    for record in records:
        paragraphs.setdefault(record.paragraph_id, []).append(record)
    for paragraph in paragraphs.values():
        paragraph.sort(key=lambda r: r.start)
        sentences: dict[str | None, list[FigureRecord]] = {}
        for record in paragraph:
            sentences.setdefault(record.sentence, []).append(record)
        for sentence in sentences.values():
            findings.extend(_ratio_findings(sentence, checked))
        # the words before each figure; a total's parts may open the next sentence ("... X. Trong đó: A; B")
        findings.extend(_parts_findings(paragraph, _gaps(paragraph), checked))
    findings.extend(_cumulative_findings(records, checked))
    return findings, checked
