"""Evaluation: the model beside the baselines on the same examples, and leave-one-report-out."""

from __future__ import annotations

import io
import json
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
    """Held-out results: per fold (a report, a group of sources, a genre) and pooled over the folds."""

    folds: dict[str, dict[str, Scores]] = field(default_factory=dict)
    pooled: dict[str, Scores] = field(default_factory=dict)
    # fold name -> the documents it tested on and the documents its model was trained on
    test_docs: dict[str, list[str]] = field(default_factory=dict)
    train_docs: dict[str, list[str]] = field(default_factory=dict)


# Where a document comes from: meta.source of its examples ("lang-son" for the five reports,
# "corpus-extra", "restated"); its genre: meta.genre ("report", "statistics", "portal", "newspaper").
DEFAULT_SOURCE = "lang-son"
DEFAULT_GENRE = "report"
REPORT_GENRES = ("report",)


def document_meta(examples: Sequence[AnnotatedExample], key: str, default: str) -> dict[str, str]:
    """Document id -> the value of ``meta[key]`` its examples carry (``default`` when none does)."""
    result: dict[str, str] = {}
    for example in examples:
        value = example.meta.get(key)
        if value is not None or example.doc_id not in result:
            result[example.doc_id] = str(value) if value is not None else default
    return result


def report_folds(examples: Sequence[AnnotatedExample], source: str = DEFAULT_SOURCE) -> dict[str, dict[str, set[str]]]:
    """Leave-one-report-out over the documents of ``source`` (the five reports): each is tested by a model
    trained on every other document given (the other reports, and any other text in the folder)."""
    sources = document_meta(examples, "source", DEFAULT_SOURCE)
    everything = set(sources)
    return {
        doc: {"test": {doc}, "train": everything - {doc}} for doc in sorted(d for d, s in sources.items() if s == source)
    }


def source_folds(examples: Sequence[AnnotatedExample], k: int = 5, keep_in_training: str = DEFAULT_SOURCE):
    """``k`` folds of the documents from outside ``keep_in_training``, one source page per document, so a page
    is never in both the training and the test side; the ``keep_in_training`` documents are always trained on.
    A document's fold is a hash of its id modulo ``k``: it stays in its fold when documents are added."""
    import hashlib

    sources = document_meta(examples, "source", DEFAULT_SOURCE)
    everything = set(sources)
    folds = {}
    for index in range(k):
        test = {
            d for d, s in sources.items()
            if s != keep_in_training and int(hashlib.sha256(d.encode()).hexdigest(), 16) % k == index
        }
        if test:
            folds[f"sources-{index + 1}-of-{k}"] = {"test": test, "train": everything - test}
    return folds


def genre_folds(examples: Sequence[AnnotatedExample], train_genres: Sequence[str] = REPORT_GENRES):
    """Cross-genre: train on the documents of ``train_genres`` (reports), test on each other genre."""
    genres = document_meta(examples, "genre", DEFAULT_GENRE)
    train = {d for d, g in genres.items() if g in train_genres}
    return {
        f"genre-{genre}": {"test": {d for d, g in genres.items() if g == genre}, "train": train}
        for genre in sorted(set(genres.values()) - set(train_genres))
    }


SPLITS = {"report": report_folds, "source": source_folds, "genre": genre_folds}


def cross_validate(
    annotations: str | Path,
    split: str = "report",
    *,
    seed: int = 0,
    max_steps: int | None = None,
    baselines: Sequence[str] = (PATTERNS, UNDERTHESEA),
    folds: Sequence[str] = (),
    ner_cache: str | Path | None = None,
    stdout: IO | None = None,
) -> CrossValidation:
    """Train a model per fold of ``split`` (report, source or genre) on its training documents, score it on its
    held-out documents beside the baselines, and pool the counts over the folds (``folds``: only those).

    ``ner_cache``: a folder keeping each fold's model (``NER_CACHE/SPLIT/FOLD``); a fold for which a kept model
    of the split was trained on the same documents (its own, or another fold's: the genre folds all train on
    the reports) reuses its NER and refits only the components after it (see
    :func:`~vnreport_ie.training.train.train`'s ``ner_from``). The kept models record their documents, not
    the seed, the steps or the code that made them: use a new folder when those change."""
    from vnreport_ie.training.train import train

    stdout = stdout or sys.stdout  # looked up now: the stream of the caller (a CLI runner's, pytest's)

    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (known: {', '.join(SPLITS)})")
    examples = load_examples(annotations)
    plan = SPLITS[split](examples)
    unknown = set(folds) - set(plan)
    if unknown:
        raise ValueError(f"no fold named {', '.join(sorted(unknown))} in the {split} split (folds: {', '.join(plan)})")
    if not plan:
        raise ValueError(f"the {split} split has no fold on these annotations (no document to hold out)")
    result = CrossValidation()
    all_docs = {e.doc_id for e in examples}
    for name, sides in plan.items():
        if folds and name not in folds:
            continue
        held_out = [e for e in examples if e.doc_id in sides["test"]]
        trained = sorted(sides["train"] - sides["test"])
        stdout.write(
            f"fold {name}: training on {len(trained)} documents, testing on {len(sides['test'])} "
            f"({len(held_out)} examples)\n"
        )
        stdout.flush()
        kept = Path(ner_cache) / split / name if ner_cache is not None else None
        # a kept model of any fold of this split trained on the same documents serves (the genre folds all
        # train on the reports)
        same = next((m for m in _kept_models(kept) if _trained_on(m) == trained), None) if kept is not None else None
        nlp, _ = train(
            annotations, None if same is not None else kept, exclude_docs=sorted(all_docs - set(trained)), seed=seed,
            max_steps=max_steps, ner_from=same, stdout=io.StringIO(),
        )
        fold = evaluate(nlp, held_out, baselines)
        result.folds[name] = fold
        result.test_docs[name] = sorted(sides["test"])
        result.train_docs[name] = trained
        for system, scores in fold.items():
            result.pooled.setdefault(system, Scores()).add(scores)
        stdout.write(format_summary(fold) + "\n")
        stdout.flush()
    return result


def _kept_models(kept: Path) -> list[Path]:
    """The fold's own kept model first, then those of the split's other folds."""
    others = sorted(p for p in kept.parent.iterdir() if p.is_dir() and p != kept) if kept.parent.is_dir() else []
    return [kept, *others]


def _trained_on(model_dir: Path) -> list[str] | None:
    """The documents a saved model was trained on (None when there is no model there)."""
    meta = model_dir / "meta.json"
    if not meta.exists():
        return None
    return sorted(json.loads(meta.read_text(encoding="utf-8")).get("vnreport_training", {}).get("reports", []))


def leave_one_report_out(
    annotations: str | Path,
    *,
    seed: int = 0,
    max_steps: int | None = None,
    baselines: Sequence[str] = (PATTERNS, UNDERTHESEA),
    reports: Sequence[str] = (),
    stdout: IO | None = None,
) -> CrossValidation:
    """Train on every document but one report, test on that report, for each of the five reports."""
    return cross_validate(
        annotations, "report", seed=seed, max_steps=max_steps, baselines=baselines, folds=reports, stdout=stdout
    )


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
