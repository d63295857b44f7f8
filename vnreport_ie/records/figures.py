"""Figure records: one row per MONEY or PERCENT figure of a Doc, with its value and links."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from spacy.tokens import Doc, Span

from vnreport_ie.records.fields import figure_fields, sentence_start
from vnreport_ie.records.periods import ReportDate
from vnreport_ie.text.communes import CommuneLink, ReportLocation, link_commune
from vnreport_ie.pipeline.patterns import CURRENCY, NUMBER, SCALE, number_sharing_unit
from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.text.numbers import parse_figure
from vnreport_ie.pipeline.relations import get_relations
from vnreport_ie.text.tokenizer import doc_text


@dataclass(frozen=True)
class FigureRecord:
    """A figure, its normalised value and the spans it is linked to.

    ``start`` and ``end`` are character offsets into the text that was
    processed; ``value`` is the amount in ``unit`` (VND or USD for money, %
    for percentages), ``value_high`` differs from it for ranges, and both
    are None when the figure cannot be read (``value_error`` says why).
    ``commune`` and ``project`` are the nearest linked span; ``communes``
    and ``projects`` list every linked one. ``commune_link`` is the official
    unit ``commune`` names (province, district, pre-2025 commune and the unit
    it merged into on 1 July 2025; for a name only the merger made, that unit
    and its province), resolved with the report's own district when known;
    its ``status`` says when the name is ambiguous or unknown.

    ``period_start`` .. ``period_end`` is the period the figure covers, read from ``period_text``
    (None where nothing says); ``estimate`` is True for "ước", "dự kiến", ...; ``kind`` is one of
    ``records.kinds.KINDS`` (level, plan, attainment, index, increase, decrease, share);
    ``indicator_id`` / ``indicator_name`` name the canonical indicator of ``indicator`` (None when
    it is not in the curated list).
    """

    text: str
    label: str
    start: int
    end: int
    value: int | float | None
    value_high: int | float | None
    unit: str | None
    indicator: str | None
    target: str | None
    commune: str | None
    project: str | None
    communes: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    paragraph_id: str | None = None
    sentence: str | None = None
    warnings: tuple[str, ...] = field(default=())
    value_error: str | None = None
    commune_link: CommuneLink | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_text: str | None = None
    estimate: bool = False
    kind: str = "level"
    indicator_id: str | None = None
    indicator_name: str | None = None

    def to_dict(self) -> dict:
        """A flat dict: lists for the tuples, ISO dates, the commune link as commune_* columns."""
        row = asdict(self)
        for name in ("period_start", "period_end"):
            row[name] = row[name].isoformat() if row[name] is not None else None
        row["communes"] = list(self.communes)
        row["projects"] = list(self.projects)
        row["warnings"] = list(self.warnings)
        row.pop("commune_link")
        row.update(commune_link_columns(self.commune_link))
        return row


def commune_link_columns(link: CommuneLink | None) -> dict[str, str | None]:
    """The official-unit columns of a commune link (all None without one)."""
    if link is None:
        return dict.fromkeys(COMMUNE_LINK_COLUMNS)
    return {
        "commune_link_status": link.status,
        "commune_province": link.province or None,
        "commune_district": link.district or None,
        "commune_official": link.commune or None,
        "commune_merged_into": link.new_commune or None,
        "commune_new_province": link.new_province or None,
        # an ambiguous name lists its candidate units, "province / district / commune", joined by "; "
        "commune_candidates": "; ".join(" / ".join(part for part in unit if part) for unit in link.candidates) or None,
        "commune_link_reason": link.reason or None,
    }


COMMUNE_LINK_COLUMNS = (
    "commune_link_status",
    "commune_province",
    "commune_district",
    "commune_official",
    "commune_merged_into",
    "commune_new_province",
    "commune_candidates",
    "commune_link_reason",
)


# where a sentence ends: a full stop, "!" or "?" followed by white space (not the "." inside 58.829)
SENTENCE_END = re.compile(r"[.!?](?=\s)")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end of ``text``."""
    return [match.end() for match in SENTENCE_END.finditer(text)]


def sentence_around(text: str, start: int, end: int, ends: list[int] | None = None) -> str:
    """The sentence of ``text`` that holds the characters [start, end) (pass ``ends`` to reuse them)."""
    ends = sentence_ends(text) if ends is None else ends
    index = bisect_right(ends, start)
    begin = ends[index - 1] if index else 0
    stop_index = bisect_left(ends, end)
    stop = ends[stop_index] if stop_index < len(ends) else len(text)
    return text[begin:stop].strip()


LEADING_NUMBER = re.compile(rf"^[-+]?{NUMBER}\s*")
LEADING_SCALES = re.compile(rf"^(?:{SCALE}\s*)+")
ENDS_WITH_SCALE = re.compile(rf"{SCALE}$")
HAS_CURRENCY = re.compile(CURRENCY)


def _with_shared_unit(text: str, figure: Span, following: Span | None) -> str:
    """The figure as it reads when it shares the unit written once after the next figure:
    "60.746" in "60.746/135.188 triệu đồng" reads "60.746 triệu đồng", "220 triệu" in
    "220 triệu/254 triệu đồng" reads "220 triệu đồng", "5" in "từ 5 đến 9 triệu đồng" reads "5 triệu đồng";
    any other figure as written."""
    if following is None or following.label_ != "MONEY" or HAS_CURRENCY.search(figure.text):
        return figure.text
    if number_sharing_unit(text, following.start_char) != (figure.start_char, figure.end_char):
        return figure.text  # the rules' reading of a unit written once (patterns.number_sharing_unit)
    unit = LEADING_NUMBER.sub("", following.text, count=1)  # "triệu đồng"
    if ENDS_WITH_SCALE.search(figure.text):
        unit = LEADING_SCALES.sub("", unit, count=1)  # "220 triệu" takes the currency only
    if not unit or any(c.isdigit() for c in unit):
        return figure.text  # "3 tỷ 200 triệu đồng": no single unit to share
    return f"{figure.text} {unit}"


def _number(value: Decimal, label: str) -> int | float:
    if label == "MONEY" and value == value.to_integral_value():
        return int(value)
    return float(value)


def link_doc_communes(doc: Doc, location: ReportLocation | None = None) -> list[tuple[int, int, CommuneLink]]:
    """Every COMMUNE entity of ``doc`` as (start, end, official unit), resolved with the report's district."""
    district = location.district if location else None
    province = location.province if location else None
    return [
        (ent.start_char, ent.end_char, link_commune(ent.text, district=district, province=province))
        for ent in doc.ents
        if ent.label_ == "COMMUNE"
    ]


def doc_to_records(
    doc: Doc,
    paragraph_id: str | None = None,
    location: ReportLocation | None = None,
    report_date: ReportDate | None = None,
) -> list[FigureRecord]:
    """The figure records of a processed Doc, in text order (``location``: the report's district;
    ``report_date``: the report's date, for the year of a period written without one)."""
    text = doc_text(doc)
    links: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = {}
    for relation in get_relations(doc):
        targets = links.setdefault((relation.head_start, relation.head_end), {})
        targets.setdefault(relation.type, []).append((relation.tail_start, relation.tail_end))
    records = []
    ends = sentence_ends(text)
    ents = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
    figures = {previous.end: following for previous, following in zip(ents, ents[1:])}  # token end -> next figure
    for ent in doc.ents:
        if ent.label_ not in FIGURE_LABELS:
            continue
        linked = links.get((ent.start_char, ent.end_char), {})

        def texts(relation_type: str) -> tuple[str, ...]:
            spans = sorted(linked.get(relation_type, []), key=lambda s: abs(s[0] - ent.start_char))
            return tuple(text[s:e] for s, e in spans)

        value = high = unit = error = None
        warnings: tuple[str, ...] = ()
        try:
            written = _with_shared_unit(text, ent, figures.get(ent.end)) if ent.label_ == "MONEY" else ent.text
            parsed = parse_figure(written, kind="money" if ent.label_ == "MONEY" else "percent")
            value, high = _number(parsed.low, ent.label_), _number(parsed.high, ent.label_)
            unit, warnings = parsed.unit, parsed.warnings
            if written != ent.text:
                warnings = (*warnings, f"unit shared with the next figure: read as {written!r}")
        except ValueError as exc:
            error = str(exc)
        communes, projects = texts("location"), texts("project")
        indicator = next(iter(texts("indicator")), None)
        sentence = sentence_around(text, ent.start_char, ent.end_char, ends)
        fields = figure_fields(
            text, ent.start_char, ent.end_char, ent.label_, indicator, report_date,
            sentence_start(ends, ent.start_char), sentence,
        )
        period, canonical = fields.period, fields.indicator
        commune_link = None
        if communes:
            commune_link = link_commune(
                communes[0],
                district=location.district if location else None,
                province=location.province if location else None,
            )
        records.append(
            FigureRecord(
                text=ent.text,
                label=ent.label_,
                start=ent.start_char,
                end=ent.end_char,
                value=value,
                value_high=high,
                unit=unit,
                indicator=indicator,
                target=next(iter(texts("target")), None),
                commune=next(iter(communes), None),
                project=next(iter(projects), None),
                communes=communes,
                projects=projects,
                paragraph_id=paragraph_id,
                sentence=sentence,
                warnings=warnings,
                value_error=error,
                commune_link=commune_link,
                period_start=period.start if period else None,
                period_end=period.end if period else None,
                period_text=period.text if period else None,
                estimate=fields.estimate,
                kind=fields.kind,
                indicator_id=canonical.id if canonical else None,
                indicator_name=canonical.name if canonical else None,
            )
        )
    return records

