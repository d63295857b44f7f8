"""The panel fields of one figure (period, estimate, kind, canonical indicator), from its paragraph's words."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from vnreport_ie.records.indicators import Indicator, canonical_indicator
from vnreport_ie.records.kinds import figure_estimate, figure_kind
from vnreport_ie.records.periods import Period, ReportDate, figure_period


@dataclass(frozen=True)
class FigureFields:
    """What a figure states beyond its value: the period it covers, whether it is an estimate, its kind
    and the canonical indicator its indicator name stands for (None when unknown)."""

    period: Period | None
    estimate: bool
    kind: str
    indicator: Indicator | None


def sentence_start(ends: list[int], start: int) -> int:
    """The offset where the sentence holding ``start`` begins, given the sentence ends of the text."""
    index = bisect_right(ends, start)
    return ends[index - 1] if index else 0


def figure_fields(
    text: str,
    start: int,
    end: int,
    label: str,
    indicator: str | None,
    report_date: ReportDate | None = None,
    sentence_begin: int = 0,
    sentence: str | None = None,
) -> FigureFields:
    """The fields of the figure at [start, end) of the paragraph ``text`` (``label``: MONEY or PERCENT;
    ``indicator``: its linked indicator name; ``sentence_begin``: where its sentence starts;
    ``sentence``: the sentence, the context of names such as "dịch vụ" in a GRDP sentence)."""
    kind = figure_kind(text, start, end, label, sentence_begin)
    period = figure_period(text, start, end, report_date, sentence_begin, plan=kind == "plan")
    if kind == "plan" and period is not None and (period.start.month, period.start.day) == (1, 1):
        # the plan a done figure is measured against up to a date is the year's plan
        period = Period(period.start, date(period.start.year, 12, 31), period.text)
    return FigureFields(
        period=period,
        estimate=figure_estimate(text, start, end, sentence_begin),
        kind=kind,
        indicator=canonical_indicator(indicator, sentence if sentence is not None else text),
    )
