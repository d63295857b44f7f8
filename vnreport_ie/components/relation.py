"""Relation component: links each figure to its indicator, target, communes and projects.

Candidates are (figure, span) pairs of one Doc within ``max_distance``
tokens; a logistic regression per relation type (scikit-learn) scores each
pair from features of the two spans and what lies between them. Decoding
follows the guide: at most one indicator and one target per figure (the
best candidate above the threshold), any number of locations and projects.

The weights are stored as JSON (feature name -> weight), so loading a
pipeline runs no code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.corpus import FIGURE_LABELS, RELATION_TARGET_LABEL, SINGLE_VALUED_RELATIONS
from vnreport_ie.relations import FigureRelation, get_relations, set_relations

LABEL_RELATION = {label: rel for rel, label in RELATION_TARGET_LABEL.items()}
NAME = "vnreport_relations"
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


@dataclass(frozen=True)
class Candidate:
    """A (figure, span) pair that may be a relation of type ``type``."""

    type: str
    figure: Span
    other: Span

    def as_relation(self) -> FigureRelation:
        return FigureRelation(self.type, self.figure.start_char, self.figure.end_char, self.other.start_char, self.other.end_char)


def candidate_pairs(doc: Doc, max_distance: int) -> list[Candidate]:
    """Every (figure, span) pair of ``doc`` whose spans are at most ``max_distance`` tokens apart."""
    figures = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
    others = [e for e in doc.ents if e.label_ in LABEL_RELATION]
    candidates = []
    for figure in figures:
        for other in others:
            gap = other.start - figure.end if other.start >= figure.end else figure.start - other.end
            if gap <= max_distance:
                candidates.append(Candidate(LABEL_RELATION[other.label_], figure, other))
    return candidates


def _bucket(value: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21, 34)) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pair_features(candidate: Candidate) -> dict[str, float]:
    """Sparse features of one candidate pair: order, distance, what lies between, the words around."""
    doc = candidate.figure.doc
    figure, other = candidate.figure, candidate.other
    before = other.end <= figure.start
    left, right = (other, figure) if before else (figure, other)
    between = doc[left.end : right.start]
    between_text = doc.text[left.end_char : right.start_char]
    ents_between = [e for e in doc.ents if e.start >= left.end and e.end <= right.start]
    same_between = sum(1 for e in ents_between if e.label_ == other.label_)
    figures_between = sum(1 for e in ents_between if e.label_ in FIGURE_LABELS)
    direction = "before" if before else "after"
    features: dict[str, float] = {
        "bias": 1.0,
        f"dir={direction}": 1.0,
        f"dist={_bucket(len(between))}": 1.0,
        f"dir={direction}|dist={_bucket(len(between))}": 1.0,
        f"same_between={_bucket(same_between, (0, 1, 2))}": 1.0,
        f"dir={direction}|same_between={_bucket(same_between, (0, 1, 2))}": 1.0,
        f"figures_between={_bucket(figures_between, (0, 1, 2, 4))}": 1.0,
        f"dir={direction}|figures_between={_bucket(figures_between, (0, 1, 2, 4))}": 1.0,
        f"semicolons={_bucket(between_text.count(';'), (0, 1))}": 1.0,
        f"dir={direction}|semicolons={_bucket(between_text.count(';'), (0, 1))}": 1.0,
        f"commas={_bucket(between_text.count(','), (0, 1, 2, 4))}": 1.0,
        f"colon={':' in between_text}": 1.0,
        f"sentence_end={bool(SENTENCE_END.search(between_text))}": 1.0,
        f"bracket={'(' in between_text or ')' in between_text}": 1.0,
        f"figure={figure.label_}": 1.0,
        f"other_len={_bucket(len(other), (1, 2, 4, 8))}": 1.0,
    }
    for token in list(between)[:6] + list(between)[-6:]:
        if not token.is_space:
            features[f"dir={direction}|between={token.lower_}"] = 1.0
    for name, token in (
        ("before_other", doc[other.start - 1] if other.start > 0 else None),
        ("after_other", doc[other.end] if other.end < len(doc) else None),
        ("before_figure", doc[figure.start - 1] if figure.start > 0 else None),
        ("after_figure", doc[figure.end] if figure.end < len(doc) else None),
    ):
        features[f"{name}={token.lower_ if token is not None else '<edge>'}"] = 1.0
    features[f"other_head={other[0].lower_}"] = 1.0
    if other.label_ == "TARGET":
        features[f"target_text={other.text.lower()}"] = 1.0
    return features


@dataclass
class LinearModel:
    """A binary logistic regression as plain data: weights by feature name, and a bias."""

    weights: dict[str, float]
    intercept: float

    def probability(self, features: dict[str, float]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))


class RelationLinker:
    """spaCy component that sets ``doc._.relations`` from ``doc.ents``."""

    def __init__(self, nlp: Language, name: str, max_distance: int, threshold: float):
        self.name = name
        self.cfg = {"max_distance": max_distance, "threshold": threshold}
        self.models: dict[str, LinearModel] = {}

    def __call__(self, doc: Doc) -> Doc:
        set_relations(doc, self.predict(doc))
        return doc

    def predict(self, doc: Doc) -> list[FigureRelation]:
        if not self.models:
            raise ValueError(f"[{self.name}] the relation model is not trained: train it or load a trained pipeline")
        scored = []
        for candidate in candidate_pairs(doc, self.cfg["max_distance"]):
            model = self.models.get(candidate.type)
            if model is not None:
                scored.append((model.probability(pair_features(candidate)), candidate))
        return decode(scored, self.cfg["threshold"])

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train one classifier per relation type on the gold entities and relations of ``examples``."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        rows: dict[str, list[dict[str, float]]] = {t: [] for t in RELATION_TARGET_LABEL}
        labels: dict[str, list[int]] = {t: [] for t in RELATION_TARGET_LABEL}
        for example in examples:
            reference = example.reference
            gold = set(get_relations(reference))
            for candidate in candidate_pairs(reference, self.cfg["max_distance"]):
                rows[candidate.type].append(pair_features(candidate))
                labels[candidate.type].append(int(candidate.as_relation() in gold))
        self.models = {}
        counts = {}
        for relation_type, features in rows.items():
            counts[relation_type] = sum(labels[relation_type])
            if len(set(labels[relation_type])) < 2:
                continue  # nothing to learn from: no positive (or no negative) pair of this type
            vectorizer = DictVectorizer()
            matrix = vectorizer.fit_transform(features)
            classifier = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
            classifier.fit(matrix, np.asarray(labels[relation_type]))
            names = vectorizer.get_feature_names_out()
            weights = {str(n): float(w) for n, w in zip(names, classifier.coef_[0]) if abs(w) > 1e-6}
            self.models[relation_type] = LinearModel(weights, float(classifier.intercept_[0]))
        return counts

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self.cfg), encoding="utf-8")
        data = {t: {"weights": m.weights, "intercept": m.intercept} for t, m in self.models.items()}
        (path / "model.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "RelationLinker":
        path = Path(path)
        self.cfg.update(json.loads((path / "cfg.json").read_text(encoding="utf-8")))
        data = json.loads((path / "model.json").read_text(encoding="utf-8"))
        self.models = {t: LinearModel(d["weights"], d["intercept"]) for t, d in data.items()}
        return self


def decode(scored: list[tuple[float, Candidate]], threshold: float) -> list[FigureRelation]:
    """Relations from scored candidates: the best indicator and target per figure, every location and project."""
    best: dict[tuple[int, str], tuple[float, Candidate]] = {}
    relations = []
    for probability, candidate in scored:
        if probability < threshold:
            continue
        if candidate.type in SINGLE_VALUED_RELATIONS:
            key = (candidate.figure.start, candidate.type)
            if key not in best or probability > best[key][0]:
                best[key] = (probability, candidate)
        else:
            relations.append(candidate.as_relation())
    relations.extend(candidate.as_relation() for _, candidate in best.values())
    return sorted(relations, key=lambda r: (r.head_start, r.type, r.tail_start))


@Language.factory(
    NAME,
    requires=["doc.ents"],
    assigns=["doc._.relations"],
    default_config={"max_distance": 80, "threshold": 0.5},
)
def make_relation_linker(nlp: Language, name: str, max_distance: int, threshold: float) -> RelationLinker:
    """Factory of the relation component (``nlp.add_pipe("vnreport_relations")``)."""
    return RelationLinker(nlp, name, max_distance, threshold)
