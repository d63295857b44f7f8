"""The annotation guide's scores, for the model and for the baselines, on the same examples.

* entities: P / R / F1 per label and micro, exact span match;
* relations: per type, strict (both ends exact) and relaxed (an INDICATOR
  or TARGET end counts when it overlaps the gold span);
* figure records: for each gold figure, are its value, indicator and
  target right (relaxed)? Accuracy over all gold figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vnreport_ie.schema import ENTITY_LABELS, FIGURE_LABELS, RELATION_TARGET_LABEL, RELATION_TYPES
from vnreport_ie.io.annotations import AnnotatedExample
from vnreport_ie.text.numbers import parse_figure
from vnreport_ie.pipeline.relations import FigureRelation

Span = tuple[int, int, str]  # start, end, label
RELAXED_LABELS = ("INDICATOR", "TARGET")


@dataclass
class Prediction:
    """What a system says about one paragraph: entities and relations in character offsets."""

    entities: list[Span]
    relations: list[FigureRelation]


@dataclass
class PRF:
    """True positives, false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Mistake:
    """One error of a system on one paragraph, for ``--errors``."""

    example_id: str
    kind: str  # e.g. "entity FP", "relation FN", "record"
    detail: str
    text: str


@dataclass
class Scores:
    """Every score of one system over a set of examples."""

    entities: dict[str, PRF] = field(default_factory=lambda: {label: PRF() for label in ENTITY_LABELS})
    relations_strict: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in RELATION_TYPES})
    relations_relaxed: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in RELATION_TYPES})
    records_correct: int = 0
    records_total: int = 0
    record_parts: Counter = field(default_factory=Counter)
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def entities_micro(self) -> PRF:
        total = PRF()
        for prf in self.entities.values():
            total.add(prf)
        return total

    @property
    def record_accuracy(self) -> float:
        return self.records_correct / self.records_total if self.records_total else 0.0

    def add(self, other: "Scores") -> None:
        for table, other_table in (
            (self.entities, other.entities),
            (self.relations_strict, other.relations_strict),
            (self.relations_relaxed, other.relations_relaxed),
        ):
            for key, prf in other_table.items():
                table[key].add(prf)
        self.records_correct += other.records_correct
        self.records_total += other.records_total
        self.record_parts.update(other.record_parts)
        self.mistakes.extend(other.mistakes)

    def to_dict(self) -> dict:
        return {
            "entities": {label: prf.to_dict() for label, prf in self.entities.items()},
            "entities_micro": self.entities_micro.to_dict(),
            "relations_strict": {t: prf.to_dict() for t, prf in self.relations_strict.items()},
            "relations_relaxed": {t: prf.to_dict() for t, prf in self.relations_relaxed.items()},
            "records": {
                "accuracy": round(self.record_accuracy, 4),
                "correct": self.records_correct,
                "total": self.records_total,
                **{f"{part}_correct": count for part, count in sorted(self.record_parts.items())},
            },
        }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def gold_prediction(example: AnnotatedExample) -> Prediction:
    """The gold annotations of an example in the form systems predict."""
    entities = [(e.start, e.end, e.label) for e in example.entities]
    relations = []
    for relation in example.relations:
        head, tail = example.entity(relation.from_id), example.entity(relation.to_id)
        relations.append(FigureRelation(relation.type, head.start, head.end, tail.start, tail.end))
    return Prediction(entities, relations)


def score_example(example: AnnotatedExample, predicted: Prediction, labels: Sequence[str] = ENTITY_LABELS) -> Scores:
    """Scores of one predicted paragraph against its gold annotations."""
    gold = gold_prediction(example)
    scores = Scores()
    text = example.text
    gold_entities, predicted_entities = set(gold.entities), set(predicted.entities)
    for label in labels:
        g = {s for s in gold_entities if s[2] == label}
        p = {s for s in predicted_entities if s[2] == label}
        scores.entities[label] = PRF(len(g & p), len(p - g), len(g - p))
        for start, end, _ in sorted(p - g):
            scores.mistakes.append(Mistake(example.id, "entity FP", f"{label} {text[start:end]!r} ({start}-{end})", text))
        for start, end, _ in sorted(g - p):
            scores.mistakes.append(Mistake(example.id, "entity FN", f"{label} {text[start:end]!r} ({start}-{end})", text))
    for relation_type in RELATION_TYPES:
        g = [r for r in gold.relations if r.type == relation_type]
        p = [r for r in predicted.relations if r.type == relation_type]
        strict = set(g) & set(p)
        scores.relations_strict[relation_type] = PRF(len(strict), len(set(p) - set(g)), len(set(g) - set(p)))
        relaxed_label = RELATION_TARGET_LABEL[relation_type] in RELAXED_LABELS
        matched_gold: set[FigureRelation] = set()
        tp = 0
        for relation in p:
            match = next(
                (
                    gr
                    for gr in g
                    if gr not in matched_gold
                    and (gr.head_start, gr.head_end) == (relation.head_start, relation.head_end)
                    and (
                        _overlaps((gr.tail_start, gr.tail_end), (relation.tail_start, relation.tail_end))
                        if relaxed_label
                        else (gr.tail_start, gr.tail_end) == (relation.tail_start, relation.tail_end)
                    )
                ),
                None,
            )
            if match is not None:
                matched_gold.add(match)
                tp += 1
            else:
                scores.mistakes.append(Mistake(example.id, "relation FP", _describe(relation, text), text))
        for relation in g:
            if relation not in matched_gold:
                scores.mistakes.append(Mistake(example.id, "relation FN", _describe(relation, text), text))
        scores.relations_relaxed[relation_type] = PRF(tp, len(p) - tp, len(g) - tp)
    _score_records(example, gold, predicted, scores)
    return scores


def _describe(relation: FigureRelation, text: str) -> str:
    return (
        f"{relation.type}: {text[relation.head_start:relation.head_end]!r} -> "
        f"{text[relation.tail_start:relation.tail_end]!r}"
    )


def _figure_value(text: str, label: str):
    try:
        parsed = parse_figure(text, kind="money" if label == "MONEY" else "percent")
    except ValueError:
        return None
    return (parsed.low, parsed.high, parsed.unit)


def _linked(relations: Iterable[FigureRelation], figure: tuple[int, int], relation_type: str) -> tuple[int, int] | None:
    for relation in relations:
        if relation.type == relation_type and (relation.head_start, relation.head_end) == figure:
            return relation.tail_start, relation.tail_end
    return None


def _score_records(example: AnnotatedExample, gold: Prediction, predicted: Prediction, scores: Scores) -> None:
    text = example.text
    predicted_figures = [s for s in predicted.entities if s[2] in FIGURE_LABELS]
    for start, end, label in gold.entities:
        if label not in FIGURE_LABELS:
            continue
        scores.records_total += 1
        gold_value = _figure_value(text[start:end], label)
        candidates = [p for p in predicted_figures if p[2] == label and _overlaps((p[0], p[1]), (start, end))]
        candidates.sort(key=lambda p: (p[0] != start or p[1] != end))
        figure = candidates[0] if candidates else None
        parts = {}
        parts["figure"] = figure is not None
        parts["value"] = figure is not None and _figure_value(text[figure[0] : figure[1]], label) == gold_value
        for relation_type in ("indicator", "target"):
            gold_tail = _linked(gold.relations, (start, end), relation_type)
            predicted_tail = _linked(predicted.relations, (figure[0], figure[1]), relation_type) if figure else None
            if gold_tail is None:
                parts[relation_type] = figure is not None and predicted_tail is None
            else:
                parts[relation_type] = predicted_tail is not None and _overlaps(gold_tail, predicted_tail)
        for part, ok in parts.items():
            scores.record_parts[part] += int(ok)
        if all(parts.values()):
            scores.records_correct += 1
        else:
            wrong = ", ".join(part for part, ok in parts.items() if not ok)
            scores.mistakes.append(Mistake(example.id, "record", f"{label} {text[start:end]!r}: wrong {wrong}", text))


def score_system(
    examples: Sequence[AnnotatedExample],
    predictions: Sequence[Prediction],
    labels: Sequence[str] = ENTITY_LABELS,
) -> Scores:
    """Scores of a system's predictions (one per example, same order) over all examples."""
    if len(examples) != len(predictions):
        raise ValueError(f"{len(examples)} examples but {len(predictions)} predictions")
    total = Scores()
    for example, predicted in zip(examples, predictions):
        total.add(score_example(example, predicted, labels))
    return total


# ------------------------------------------------------------------ baselines


def pattern_prediction(text: str) -> Prediction:
    """The "patterns alone" baseline: rule entities, each figure linked to its nearest spans."""
    from vnreport_ie.pipeline.patterns import pattern_entities

    entities = pattern_entities(text)
    return Prediction(entities, nearest_span_relations(text, entities))


def nearest_span_relations(text: str, entities: Sequence[Span]) -> list[FigureRelation]:
    """Rule linker: indicator = nearest INDICATOR before the figure, target = nearest TARGET after it
    (no other figure in between), location / project = nearest COMMUNE / PROJECT in the same clause."""
    relations = []
    figures = [e for e in entities if e[2] in FIGURE_LABELS]
    for start, end, _ in figures:
        def nearest(label: str, before: bool | None, clause_only: bool) -> Span | None:
            best, best_distance = None, None
            for other in entities:
                if other[2] != label:
                    continue
                if before is True and other[1] > start or before is False and other[0] < end:
                    continue
                left, right = (other[1], start) if other[1] <= start else (end, other[0])
                between = text[left:right]
                if clause_only and re.search(r"[;.]\s", between):
                    continue
                if label == "TARGET" and any(left <= f[0] < right for f in figures):
                    continue
                distance = right - left
                if best_distance is None or distance < best_distance:
                    best, best_distance = other, distance
            return best

        for relation_type, label, before, clause_only in (
            ("indicator", "INDICATOR", True, False),
            ("target", "TARGET", False, True),
            ("location", "COMMUNE", None, True),
            ("project", "PROJECT", None, True),
        ):
            other = nearest(label, before, clause_only)
            if other is not None:
                relations.append(FigureRelation(relation_type, start, end, other[0], other[1]))
    return relations


UNIT_PREFIX = re.compile(r"^(?:xã|phường|thị\s+trấn)\s+", re.IGNORECASE)


def underthesea_commune_prediction(text: str) -> Prediction:
    """Baseline for communes: underthesea's own NER, its LOC entities read as COMMUNE."""
    from underthesea import ner

    entities = []
    position = 0
    current: list[int] | None = None
    for word, _pos, _chunk, tag in ner(text):
        found = text.find(word, position)
        if found < 0:
            current = None
            continue
        position = found + len(word)
        if tag == "B-LOC" or (tag == "I-LOC" and current is None):
            if current is not None:
                entities.append(tuple(current))
            current = [found, position]
        elif tag == "I-LOC":
            current[1] = position
        else:
            if current is not None:
                entities.append(tuple(current))
            current = None
    if current is not None:
        entities.append(tuple(current))
    spans = []
    for start, end in entities:
        prefix = UNIT_PREFIX.match(text[start:end])
        if prefix:
            start += prefix.end()
        if start < end:
            spans.append((start, end, "COMMUNE"))
    return Prediction(spans, [])


def model_prediction(doc) -> Prediction:
    """A processed Doc as a Prediction."""
    from vnreport_ie.pipeline.relations import get_relations

    return Prediction([(e.start_char, e.end_char, e.label_) for e in doc.ents], get_relations(doc))

