"""Evaluation: the model beside the baselines on the same examples, and leave-one-report-out."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from spacy.language import Language

from vnreport_ie.schema import ENTITY_LABELS, RELATION_TYPES
from vnreport_ie.io.annotations import AnnotatedExample, load_examples
from vnreport_ie.training.scoring import (
    Prediction,
    Scores,
    model_prediction,
    pattern_prediction,
    score_system,
    underthesea_commune_prediction,
)

MODEL = "model"
PATTERNS = "patterns"
UNDERTHESEA = "underthesea-ner"
# which labels each system is scored on (underthesea's NER only knows locations)
SYSTEM_LABELS = {MODEL: ENTITY_LABELS, PATTERNS: ENTITY_LABELS, UNDERTHESEA: ("COMMUNE",)}


def predict(nlp: Language, examples: Sequence[AnnotatedExample], batch_size: int = 64) -> list[Prediction]:
    """The model's predictions for each example, in order (each paragraph read with its report's footnotes)."""
    from vnreport_ie.training.data import project_footnotes_by_report

    footnotes = project_footnotes_by_report(examples)

    def docs():
        for example in examples:
            doc = nlp.make_doc(example.text)
            doc._.project_footnotes = footnotes[example.doc_id]
            yield doc

    return [model_prediction(doc) for doc in nlp.pipe(docs(), batch_size=batch_size)]


def baseline_predictions(examples: Sequence[AnnotatedExample], systems: Sequence[str] = (PATTERNS, UNDERTHESEA)):
    """Predictions of each baseline system for each example."""
    result = {}
    if PATTERNS in systems:
        result[PATTERNS] = [pattern_prediction(e.text) for e in examples]
    if UNDERTHESEA in systems:
        result[UNDERTHESEA] = [underthesea_commune_prediction(e.text) for e in examples]
    return result


def evaluate(
    nlp: Language, examples: Sequence[AnnotatedExample], baselines: Sequence[str] = (PATTERNS, UNDERTHESEA)
) -> dict[str, Scores]:
    """Scores of the model and of each baseline on ``examples``."""
    results = {MODEL: score_system(examples, predict(nlp, examples), SYSTEM_LABELS[MODEL])}
    for name, predictions in baseline_predictions(examples, baselines).items():
        results[name] = score_system(examples, predictions, SYSTEM_LABELS[name])
    return results


@dataclass
class CrossValidation:
    """Leave-one-report-out results: per held-out report and pooled over all of them."""

    folds: dict[str, dict[str, Scores]] = field(default_factory=dict)
    pooled: dict[str, Scores] = field(default_factory=dict)


def leave_one_report_out(
    annotations: str | Path,
    *,
    seed: int = 0,
    max_steps: int | None = None,
    baselines: Sequence[str] = (PATTERNS, UNDERTHESEA),
    reports: Sequence[str] = (),
    stdout: IO = sys.stdout,
) -> CrossValidation:
    """Train on all reports but one, test on that one, for each report; pool the counts."""
    from vnreport_ie.training.train import train

    examples = load_examples(annotations)
    docs = sorted({e.doc_id for e in examples})
    result = CrossValidation()
    for doc in reports or docs:
        held_out = [e for e in examples if e.doc_id == doc]
        stdout.write(f"fold {doc}: training on {len(examples) - len(held_out)} examples, testing on {len(held_out)}\n")
        stdout.flush()
        nlp, _ = train(annotations, None, exclude_docs=[doc], seed=seed, max_steps=max_steps, stdout=io.StringIO())
        fold = evaluate(nlp, held_out, baselines)
        result.folds[doc] = fold
        for system, scores in fold.items():
            result.pooled.setdefault(system, Scores()).add(scores)
        stdout.write(format_summary(fold) + "\n")
        stdout.flush()
    return result


def format_summary(results: dict[str, Scores]) -> str:
    """One line per system: micro entity F1, relaxed indicator / target F1, record accuracy."""
    lines = []
    for system, scores in results.items():
        if system == UNDERTHESEA:
            lines.append(f"  {system:16s} COMMUNE F1 {scores.entities['COMMUNE'].f1:.3f}")
            continue
        lines.append(
            f"  {system:16s} entities F1 {scores.entities_micro.f1:.3f}  "
            f"indicator(relaxed) F1 {scores.relations_relaxed['indicator'].f1:.3f}  "
            f"target(relaxed) F1 {scores.relations_relaxed['target'].f1:.3f}  "
            f"records {scores.record_accuracy:.3f}"
        )
    return "\n".join(lines)


def format_table(results: dict[str, Scores]) -> str:
    """A Markdown table of every score, one column group per system."""
    systems = list(results)
    header = "| score | " + " | ".join(f"{s} P / R / F1" for s in systems) + " |"
    rule = "|---|" + "---|" * len(systems)
    rows = [header, rule]

    def cell(prf, applicable: bool = True) -> str:
        return f"{prf.precision:.3f} / {prf.recall:.3f} / **{prf.f1:.3f}**" if applicable else "n/a"

    for label in ENTITY_LABELS:
        rows.append(
            f"| {label} | "
            + " | ".join(cell(results[s].entities[label], label in SYSTEM_LABELS.get(s, ENTITY_LABELS)) for s in systems)
            + " |"
        )
    rows.append("| entities (micro) | " + " | ".join(cell(results[s].entities_micro, s != UNDERTHESEA) for s in systems) + " |")
    for mode in ("strict", "relaxed"):
        for relation_type in RELATION_TYPES:
            table = {s: getattr(results[s], f"relations_{mode}")[relation_type] for s in systems}
            rows.append(
                f"| {relation_type} relation ({mode}) | "
                + " | ".join(cell(table[s], s != UNDERTHESEA) for s in systems)
                + " |"
            )
    rows.append(
        "| figure records correct | "
        + " | ".join(
            f"{results[s].record_accuracy:.3f} ({results[s].records_correct}/{results[s].records_total})"
            if s != UNDERTHESEA
            else "n/a"
            for s in systems
        )
        + " |"
    )
    return "\n".join(rows)


def headline_scores(scores: Scores) -> dict[str, float]:
    """The scores a model is held to, by name: F1 per label, strict F1 per relation type, record accuracy."""
    named = {f"{label} F1": scores.entities[label].f1 for label in ENTITY_LABELS}
    named["entities micro F1"] = scores.entities_micro.f1
    named.update({f"{kind} relation strict F1": scores.relations_strict[kind].f1 for kind in RELATION_TYPES})
    named.update({f"{kind} relation relaxed F1": scores.relations_relaxed[kind].f1 for kind in ("indicator", "target")})
    named["figure records correct"] = scores.record_accuracy
    return named


def in_sample_note(nlp: Language, examples: Sequence[AnnotatedExample]) -> str:
    """One line saying whether ``nlp`` was trained on the reports of ``examples`` (from its meta), i.e. in-sample."""
    trained_on = (nlp.meta.get("vnreport_training") or {}).get("reports")
    reports = sorted({example.doc_id for example in examples})
    if trained_on is None:
        return (
            "note: the model does not record its training reports: if it was trained on these examples the scores "
            "are in-sample (an upper bound); --leave-one-report-out scores reports left out of training"
        )
    seen = [report for report in reports if report in set(trained_on)]
    if not seen:
        return f"note: held-out scores: the model was trained on none of these {len(reports)} report(s)"
    return (
        f"note: IN-SAMPLE scores: the model was trained on {len(seen)} of these {len(reports)} report(s) "
        f"({', '.join(seen)}): an upper bound, not the accuracy on new reports (use --leave-one-report-out)"
    )
