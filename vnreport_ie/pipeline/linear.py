"""A binary logistic regression kept as plain data, so a saved pipeline loads without running code."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from itertools import repeat
from operator import mul

import numpy as np


@dataclass
class LinearModel:
    """Weights by feature name and a bias; ``probability`` is the logistic of their sum."""

    weights: dict[str, float]
    intercept: float

    def score(self, features: dict[str, float]) -> float:
        """The linear score (log-odds) of a feature dict."""
        # map() over the dict keeps the loop in C: this runs for every candidate of every figure
        weights = map(self.weights.get, features.keys(), repeat(0.0))
        return self.intercept + sum(map(mul, weights, features.values()))

    def probability(self, features: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(min(self.score(features), 50.0), -50.0)))

    def to_dict(self) -> dict:
        return {"weights": self.weights, "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict) -> "LinearModel":
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["intercept"]))


def bucket(value: int, edges: tuple[int, ...]) -> str:
    """The feature value of a count: the first edge it does not exceed, or ">last"."""
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def fit_linear(
    rows: list[dict[str, float]],
    labels: list[int],
    seed: int = 0,
    c: float = 1.0,
    fit_intercept: bool = True,
    class_weight: str | None = None,
) -> LinearModel | None:
    """Fit scikit-learn's LogisticRegression on sparse feature dicts; None when one class is missing."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        return None
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    classifier = LogisticRegression(
        C=c, max_iter=3000, random_state=seed, fit_intercept=fit_intercept, class_weight=class_weight
    )
    classifier.fit(matrix, np.asarray(labels))
    names = vectorizer.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, classifier.coef_[0]) if abs(w) > 1e-6}
    return LinearModel(weights, float(classifier.intercept_[0]) if fit_intercept else 0.0)


def fit_ranker(groups: list[tuple[dict[str, float], list[dict[str, float]]]], seed: int = 0, c: float = 5.0) -> LinearModel | None:
    """A linear ranker from (correct candidate, other candidates) groups, by logistic regression on
    feature differences (each pair both ways); higher ``score`` means more likely the correct one."""
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    for gold, others in groups:
        for other in others:
            difference = dict(gold)
            for name, value in other.items():
                difference[name] = difference.get(name, 0.0) - value
            rows.append(difference)
            labels.append(1)
            rows.append({name: -value for name, value in difference.items()})
            labels.append(0)
    return fit_linear(rows, labels, seed, c, fit_intercept=False)


class LinearModelFiles:
    """``to_disk`` / ``from_disk`` of a component whose state is its ``cfg`` and its linear models, as JSON
    (``cfg.json``, ``model.json``): a saved pipeline loads without running code. A component says how its
    models map to JSON data in ``models_to_data`` and back in ``models_from_data``."""

    cfg: dict

    def models_to_data(self) -> Any:
        raise NotImplementedError

    def models_from_data(self, data: Any) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self.cfg), encoding="utf-8")
        data = json.dumps(self.models_to_data(), ensure_ascii=False, sort_keys=True)
        (path / "model.json").write_text(data, encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()):
        path = Path(path)
        self.cfg.update(json.loads((path / "cfg.json").read_text(encoding="utf-8")))
        self.models_from_data(json.loads((path / "model.json").read_text(encoding="utf-8")))
        return self


def model_or_none(data: dict | None) -> LinearModel | None:
    """A saved model back from its JSON data (None stays None)."""
    return LinearModel.from_dict(data) if data else None
