"""Accuracy of the panel fields (period, estimate, kind, canonical indicator) against hand annotations.

Field annotations are JSONL, one figure a line, beside the guide's annotations (see
``annotations/fields/README.md``)::

    {"id": "caoloc-2023-02:49", "start": 124, "end": 141, "text": "58.829 triệu đồng",
     "period_start": "2023-01-01", "period_end": "2023-02-28", "estimate": true,
     "kind": "level", "indicator_id": "thu_nsnn"}

Two ways to score: ``gold`` computes the fields from the annotated paragraph with the annotated
figure span and its annotated indicator (the field rules alone); ``model`` runs the pipeline and scores
the records it gives for the annotated figures (a figure the model misses counts wrong for every field).
Baselines on the same figures: every figure ``level``, no estimate, no period, and for the indicator an
exact (case-insensitive) match of the name against the list's aliases without normalisation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vnreport_ie.io.annotations import AnnotatedExample
from vnreport_ie.records.fields import FigureFields, figure_fields, sentence_start
from vnreport_ie.records.figures import sentence_around, sentence_ends
from vnreport_ie.records.indicators import shipped_indicators
from vnreport_ie.records.kinds import KINDS
from vnreport_ie.records.periods import HEADER_LINES, ReportDate, report_date

FIELDS = ("period", "estimate", "kind", "indicator_id")


@dataclass(frozen=True)
class FieldAnnotation:
    """The hand-annotated fields of one figure (``source``: file:line it was read from)."""

    id: str
    start: int
    end: int
    text: str
    period_start: date | None
    period_end: date | None
    estimate: bool
    kind: str
    indicator_id: str | None
    source: str = ""

    @property
    def group(self) -> str:
        """The annotation file's name: scores are given per file and pooled."""
        return Path(self.source.rsplit(":", 1)[0]).stem


@dataclass(frozen=True)
class PredictedFields:
    """The fields a system gives one figure (all None/False when it gave no record for it)."""

    period_start: date | None
    period_end: date | None
    estimate: bool
    kind: str | None
    indicator_id: str | None


def _date(value, where: str, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {name} {value!r} is not an ISO date (YYYY-MM-DD) or null") from None


def read_field_annotations(path: str | Path) -> list[FieldAnnotation]:
    """The field annotations of a .jsonl file or of every .jsonl file in a folder; ValueError says file:line."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ValueError(f"{path}: no .jsonl field annotations")
    known = shipped_indicators().indicators
    annotations = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: not JSON ({error.msg})") from None
            missing = [k for k in ("id", "start", "end", "kind", "estimate") if k not in row]
            if missing:
                raise ValueError(f"{where}: missing {', '.join(missing)}")
            if row["kind"] not in KINDS:
                raise ValueError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
            if row.get("indicator_id") is not None and row["indicator_id"] not in known:
                raise ValueError(f"{where}: indicator_id {row['indicator_id']!r} is not in the indicator list")
            start, end = _date(row.get("period_start"), where, "period_start"), _date(row.get("period_end"), where, "period_end")
            if (start is None) != (end is None) or (start and end and start > end):
                raise ValueError(f"{where}: period_start and period_end must both be dates (start <= end) or both null")
            annotations.append(
                FieldAnnotation(
                    str(row["id"]), int(row["start"]), int(row["end"]), row.get("text", ""), start, end,
                    bool(row["estimate"]), row["kind"], row.get("indicator_id"), where,
                )
            )
    return annotations


def report_dates(examples: Iterable[AnnotatedExample]) -> dict[str, ReportDate | None]:
    """The date of each report (meta.doc) from its first paragraphs, in paragraph order."""
    by_doc: dict[str, list[AnnotatedExample]] = {}
    for example in examples:
        by_doc.setdefault(_doc_of(example), []).append(example)
    dates = {}
    for doc, members in by_doc.items():
        members.sort(key=lambda e: (e.meta.get("paragraph") or 0))
        dates[doc] = report_date("\n".join(e.text for e in members[:HEADER_LINES]))
    return dates


def _doc_of(example: AnnotatedExample) -> str:
    return str(example.meta.get("doc") or example.id.rsplit(":", 1)[0])


def _example_for(annotation: FieldAnnotation, examples: dict[str, AnnotatedExample]) -> AnnotatedExample:
    example = examples.get(annotation.id)
    if example is None:
        raise ValueError(f"{annotation.source}: no annotated example {annotation.id!r} (give its annotation folder)")
    if example.text[annotation.start : annotation.end] != annotation.text and annotation.text:
        raise ValueError(
            f"{annotation.source}: text {annotation.text!r} is not at [{annotation.start}, {annotation.end}) of "
            f"{annotation.id} (found {example.text[annotation.start:annotation.end]!r})"
        )
    return example


def gold_span_fields(annotations: Sequence[FieldAnnotation], examples: Sequence[AnnotatedExample]) -> list[PredictedFields]:
    """The fields the rules give each annotated figure, from its paragraph and its annotated indicator."""
    by_id = {e.id: e for e in examples}
    dates = report_dates(examples)
    predictions = []
    for annotation in annotations:
        example = _example_for(annotation, by_id)
        entities = {e.id: e for e in example.entities}
        figure = next(
            (e for e in example.entities if e.start == annotation.start and e.end == annotation.end), None
        )
        if figure is None:
            raise ValueError(f"{annotation.source}: no figure span at [{annotation.start}, {annotation.end}) of {annotation.id}")
        indicator = next(
            (
                example.text[entities[r.to_id].start : entities[r.to_id].end]
                for r in example.relations
                if r.type == "indicator" and r.from_id == figure.id and r.to_id in entities
            ),
            None,
        )
        ends = sentence_ends(example.text)
        found = figure_fields(
            example.text, figure.start, figure.end, figure.label, indicator, dates.get(_doc_of(example)),
            sentence_start(ends, figure.start), sentence_around(example.text, figure.start, figure.end, ends),
        )
        predictions.append(_predicted(found))
    return predictions


def _predicted(found: FigureFields) -> PredictedFields:
    return PredictedFields(
        found.period.start if found.period else None,
        found.period.end if found.period else None,
        found.estimate,
        found.kind,
        found.indicator.id if found.indicator else None,
    )


def model_fields(nlp, annotations: Sequence[FieldAnnotation], examples: Sequence[AnnotatedExample]) -> list[PredictedFields]:
    """The fields of the pipeline's records for each annotated figure (a missed figure gives no fields)."""
    from vnreport_ie.pipeline.runner import pipe
    from vnreport_ie.records.figures import doc_to_records

    by_id = {e.id: e for e in examples}
    dates = report_dates(examples)
    wanted = list(dict.fromkeys(a.id for a in annotations))
    texts = [_example_for(a, by_id).text for a in annotations]  # checks every annotation first
    del texts
    records = {}
    for example_id, doc in zip(wanted, pipe(nlp, (by_id[i].text for i in wanted))):
        example = by_id[example_id]
        for record in doc_to_records(doc, example_id, report_date=dates.get(_doc_of(example))):
            records[(example_id, record.start, record.end)] = record
    predictions = []
    for annotation in annotations:
        record = records.get((annotation.id, annotation.start, annotation.end))
        if record is None:
            predictions.append(PredictedFields(None, None, False, None, None))
        else:
            predictions.append(
                PredictedFields(record.period_start, record.period_end, record.estimate, record.kind, record.indicator_id)
            )
    return predictions


def baseline_fields(annotations: Sequence[FieldAnnotation], examples: Sequence[AnnotatedExample]) -> list[PredictedFields]:
    """The baselines: level, no estimate, no period, indicator by exact alias match of the annotated name."""
    import csv
    from importlib import resources

    exact: dict[str, str] = {}
    with resources.files("vnreport_ie.records").joinpath("data/indicators.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
                exact.setdefault(alias.lower().strip(), row["id"])
    by_id = {e.id: e for e in examples}
    predictions = []
    for annotation in annotations:
        example = _example_for(annotation, by_id)
        entities = {e.id: e for e in example.entities}
        figure = next((e for e in example.entities if e.start == annotation.start and e.end == annotation.end), None)
        name = next(
            (
                example.text[entities[r.to_id].start : entities[r.to_id].end]
                for r in example.relations
                if figure is not None and r.type == "indicator" and r.from_id == figure.id and r.to_id in entities
            ),
            None,
        )
        predictions.append(PredictedFields(None, None, False, "level", exact.get((name or "").lower().strip())))
    return predictions


@dataclass
class FieldScores:
    """Correct / total per field, and the indicator's precision (of the ids given) and recall (of gold ids)."""

    total: int = 0
    correct: Counter = field(default_factory=Counter)
    indicator_given: int = 0
    indicator_given_correct: int = 0
    indicator_gold: int = 0
    indicator_gold_found: int = 0
    confusions: Counter = field(default_factory=Counter)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        return {
            "figures": self.total,
            **{f"{name}_accuracy": round(self.accuracy(name), 4) for name in FIELDS},
            **{f"{name}_correct": self.correct[name] for name in FIELDS},
            "indicator_precision": round(self.indicator_given_correct / self.indicator_given, 4) if self.indicator_given else None,
            "indicator_recall": round(self.indicator_gold_found / self.indicator_gold, 4) if self.indicator_gold else None,
            "indicator_given": self.indicator_given,
            "indicator_gold": self.indicator_gold,
        }


def score_fields(annotations: Sequence[FieldAnnotation], predictions: Sequence[PredictedFields]) -> FieldScores:
    """Compare predictions with the annotations, field by field (period: both dates equal, None = None)."""
    scores = FieldScores()
    for gold, predicted in zip(annotations, predictions, strict=True):
        scores.total += 1
        checks = {
            "period": (gold.period_start, gold.period_end) == (predicted.period_start, predicted.period_end),
            "estimate": gold.estimate == predicted.estimate,
            "kind": gold.kind == predicted.kind,
            "indicator_id": gold.indicator_id == predicted.indicator_id,
        }
        for name, ok in checks.items():
            scores.correct[name] += ok
        if not checks["kind"]:
            scores.confusions[("kind", gold.kind, predicted.kind)] += 1
        if predicted.indicator_id is not None:
            scores.indicator_given += 1
            scores.indicator_given_correct += predicted.indicator_id == gold.indicator_id
        if gold.indicator_id is not None:
            scores.indicator_gold += 1
            scores.indicator_gold_found += predicted.indicator_id == gold.indicator_id
    return scores


def format_field_table(results: dict[str, FieldScores]) -> str:
    """A Markdown table: one row per field, one column per system."""
    systems = list(results)
    rows = ["| field | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for name in FIELDS:
        rows.append(
            f"| {name} accuracy | "
            + " | ".join(f"{s.accuracy(name):.3f} ({s.correct[name]}/{s.total})" for s in results.values())
            + " |"
        )
    rows.append(
        "| indicator_id precision (ids given) | "
        + " | ".join(
            f"{s.indicator_given_correct / s.indicator_given:.3f} ({s.indicator_given_correct}/{s.indicator_given})"
            if s.indicator_given
            else "n/a"
            for s in results.values()
        )
        + " |"
    )
    rows.append(
        "| indicator_id recall (gold ids) | "
        + " | ".join(
            f"{s.indicator_gold_found / s.indicator_gold:.3f} ({s.indicator_gold_found}/{s.indicator_gold})"
            if s.indicator_gold
            else "n/a"
            for s in results.values()
        )
        + " |"
    )
    return "\n".join(rows)


def field_mistakes(
    annotations: Sequence[FieldAnnotation], predictions: Sequence[PredictedFields]
) -> list[tuple[FieldAnnotation, str, str, str]]:
    """Every wrong field as (annotation, field, gold, predicted)."""
    mistakes = []
    for gold, predicted in zip(annotations, predictions, strict=True):
        pairs = {
            "period": (f"{gold.period_start}..{gold.period_end}", f"{predicted.period_start}..{predicted.period_end}"),
            "estimate": (str(gold.estimate), str(predicted.estimate)),
            "kind": (gold.kind, str(predicted.kind)),
            "indicator_id": (str(gold.indicator_id), str(predicted.indicator_id)),
        }
        for name, (want, got) in pairs.items():
            if want != got:
                mistakes.append((gold, name, want, got))
    return mistakes


@dataclass(frozen=True)
class IndicatorCoverage:
    """How many annotated INDICATOR spans the curated list maps, and each mapped span with its id."""

    spans: int
    mapped: int
    names: int
    names_mapped: int
    mapped_spans: list[tuple[str, str, str]]  # (example id, span text, indicator id)

    @property
    def share(self) -> float:
        return self.mapped / self.spans if self.spans else 0.0


def indicator_coverage(examples: Iterable[AnnotatedExample]) -> IndicatorCoverage:
    """The share of annotated INDICATOR spans that map to a canonical indicator (their sentence as context)."""
    from vnreport_ie.records.indicators import canonical_indicator

    spans = mapped = 0
    names: dict[str, bool] = {}
    mapped_spans = []
    for example in examples:
        ends = sentence_ends(example.text)
        for entity in example.entities:
            if entity.label != "INDICATOR":
                continue
            name = example.text[entity.start : entity.end]
            found = canonical_indicator(name, sentence_around(example.text, entity.start, entity.end, ends))
            spans += 1
            key = " ".join(name.casefold().split())
            names[key] = names.get(key, False) or found is not None
            if found is not None:
                mapped += 1
                mapped_spans.append((example.id, name, found.id))
    return IndicatorCoverage(spans, mapped, len(names), sum(names.values()), mapped_spans)
