"""Indicator component: finds, for each figure, the span naming what it measures.

An indicator is defined by its figure ("the name an analyst would put as
a column heading" of that figure), so it is found from the figure rather
than tagged blind: for each MONEY / PERCENT entity, one classifier scores
where the indicator *ends* (each token boundary up to ``max_gap`` tokens
before the figure, or "no indicator"), a second scores where it *starts*
given that end (up to ``max_length`` tokens). Both are linear rankers
(logistic regression on feature differences) over the words and hint classes at the boundaries and what
lies between the span and the figure, so they learn the function words
that delimit indicators ("- ... ước thực hiện ... là", "trên địa bàn",
"đạt") rather than the indicators themselves.

The component adds the chosen spans to ``doc.ents`` as INDICATOR (figures
of one clause chain share one span) and the indicator relations to
``doc._.relations``. Weights are stored as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.components.linear import LinearModel, fit_ranker
from vnreport_ie.components.patterns import token_hints
from vnreport_ie.corpus import FIGURE_LABELS
from vnreport_ie.relations import FigureRelation, get_relations, set_relations

NAME = "vnreport_indicators"
PUNCTUATION_EDGE = set(".,;:!?()[]{}\"'“”*-+/%…")


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _word(doc: Doc, i: int) -> str:
    if i < 0:
        return "<start>"
    if i >= len(doc):
        return "<end>"
    return doc[i].lower_


def _can_edge(token) -> bool:
    return not token.is_space and token.text not in PUNCTUATION_EDGE


class IndicatorFinder:
    """spaCy component: INDICATOR spans and indicator relations, anchored on figures."""

    def __init__(self, nlp: Language, name: str, max_gap: int, max_length: int, threshold: float):
        self.name = name
        self.cfg = {"max_gap": max_gap, "max_length": max_length, "threshold": threshold}
        self.end_model: LinearModel | None = None
        self.start_model: LinearModel | None = None

    # ------------------------------------------------------------ features

    def _context(self, doc: Doc) -> tuple[list[str], list[bool]]:
        """Hint classes of the tokens and which tokens lie inside a non-indicator entity."""
        hints = [t.tag_ or "O" for t in doc] if doc.has_annotation("TAG") else token_hints(doc)
        blocked = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ != "INDICATOR":
                for i in range(ent.start, ent.end):
                    blocked[i] = True
        return hints, blocked

    def end_candidates(self, doc: Doc, figure: Span, blocked: list[bool]) -> list[int]:
        """Exclusive token ends b of a possible indicator [a, b) before ``figure``."""
        result = []
        for b in range(figure.start, max(0, figure.start - self.cfg["max_gap"]) - 1, -1):
            if b >= 1 and _can_edge(doc[b - 1]) and not blocked[b - 1]:
                result.append(b)
        return result

    def start_candidates(self, doc: Doc, end: int, blocked: list[bool]) -> list[int]:
        """Token starts a of a possible indicator [a, end): no entity, sentence end or semicolon inside."""
        result = []
        for a in range(end - 1, max(0, end - self.cfg["max_length"]) - 1, -1):
            token = doc[a]
            if blocked[a] or token.text in (";", ".") or "\n" in token.text:
                break
            if _can_edge(token):
                result.append(a)
        return result

    def end_features(
        self, doc: Doc, figure: Span, b: int, hints: list[str], figure_starts: list[int], previous_end: int | None = None
    ) -> dict[str, float]:
        between = doc[b : figure.start]
        text_between = doc.text[doc[b - 1].idx + len(doc[b - 1].text) : figure.start_char]
        figures_between = sum(1 for s in figure_starts if b <= s < figure.start)
        gap = _bucket(figure.start - b, (0, 1, 2, 3, 5, 8, 13, 21, 34))
        fb = _bucket(figures_between, (0, 1, 2, 3))
        features = {
            "bias": 1.0,
            f"gap={gap}": 1.0,
            f"figures_between={fb}": 1.0,
            f"gap={gap}|figures_between={fb}": 1.0,
            f"last={_word(doc, b - 1)}": 1.0,
            f"next={_word(doc, b)}": 1.0,
            f"next2={_word(doc, b + 1)}": 1.0,
            f"last_hint={hints[b - 1]}": 1.0,
            f"next_hint={hints[b] if b < len(doc) else '<end>'}": 1.0,
            f"next={_word(doc, b)}|figures_between={fb}": 1.0,
            f"semicolons={_bucket(text_between.count(';'), (0, 1))}": 1.0,
            f"sentence_end={'. ' in text_between}": 1.0,
            f"commas={_bucket(text_between.count(','), (0, 1, 2))}": 1.0,
            f"colon={':' in text_between}": 1.0,
            f"figure={figure.label_}": 1.0,
            f"last_is_digit={any(c.isdigit() for c in doc[b - 1].text)}": 1.0,
            f"last_is_title={doc[b - 1].text[:1].isupper()}": 1.0,
            # figures of a clause chain share the indicator of the figure before them
            f"previous_figure_end={b == previous_end}|figures_between={fb}": 1.0,
        }
        for token in list(between)[:3]:
            features[f"between_head={token.lower_}"] = 1.0
        for token in list(between)[-3:]:
            features[f"between_tail={token.lower_}"] = 1.0
        between_hints = [hints[i] for i in range(b, figure.start)]
        for hint in set(between_hints):
            features[f"between_hint={hint}"] = 1.0
        verbs = sum(1 for h in between_hints if h in ("FIGURE_VERB", "COMPARE_WORD"))
        features[f"verbs_between={_bucket(verbs, (0, 1, 2, 3))}"] = 1.0
        features[f"next_hint={hints[b] if b < len(doc) else '<end>'}|gap={gap}"] = 1.0
        features[f"last_hint={hints[b - 1]}|next_hint={hints[b] if b < len(doc) else '<end>'}"] = 1.0
        features[f"numbers_between={_bucket(sum(1 for h in between_hints if h == 'NUMBER'), (0, 1, 3))}"] = 1.0
        return features

    def start_features(self, doc: Doc, a: int, b: int, hints: list[str]) -> dict[str, float]:
        span = doc[a:b]
        length = _bucket(b - a, (1, 2, 3, 4, 6, 9, 13))
        previous_hint = hints[a - 1] if a > 0 else "<start>"
        features = {
            "bias": 1.0,
            f"length={length}": 1.0,
            f"first={doc[a].lower_}": 1.0,
            f"before={_word(doc, a - 1)}": 1.0,
            f"before2={_word(doc, a - 2)}": 1.0,
            f"first_hint={hints[a]}": 1.0,
            f"before_hint={previous_hint}": 1.0,
            f"before_hint={previous_hint}|length={length}": 1.0,
            f"first_is_title={doc[a].text[:1].isupper()}": 1.0,
            f"comma_inside={any(t.text == ',' for t in span)}": 1.0,
            f"bracket_inside={any(t.text in '()' for t in span)}": 1.0,
            f"digit_inside={any(c.isdigit() for t in span for c in t.text)}": 1.0,
            f"last={doc[b - 1].lower_}": 1.0,
        }
        for hint in {hints[i] for i in range(a, b)}:
            features[f"inside_hint={hint}"] = 1.0
        return features

    # ------------------------------------------------------------ predict

    def __call__(self, doc: Doc) -> Doc:
        if self.end_model is None or self.start_model is None:
            raise ValueError(f"[{self.name}] the indicator model is not trained: train it or load a trained pipeline")
        if any(e.label_ == "INDICATOR" for e in doc.ents):  # this component owns INDICATOR
            doc.ents = [e for e in doc.ents if e.label_ != "INDICATOR"]
        hints, blocked = self._context(doc)
        figures = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
        figure_starts = [f.start for f in figures]
        chosen: dict[tuple[int, int], Span] = {}
        links: list[tuple[Span, tuple[int, int]]] = []
        previous_end = None
        for figure in figures:
            ends = self.end_candidates(doc, figure, blocked)
            if not ends:
                continue
            best_end = max(
                ends,
                key=lambda b: self.end_model.score(self.end_features(doc, figure, b, hints, figure_starts, previous_end)),
            )
            previous_end = best_end
            starts = self.start_candidates(doc, best_end, blocked)
            best_start = max(starts, key=lambda a: self.start_model.score(self.start_features(doc, a, best_end, hints)), default=None)
            if best_start is None:
                continue
            key = (best_start, best_end)
            # one span per end: figures of a chain share the indicator found first
            existing = next((k for k in chosen if k[1] == best_end or (k[0] < best_end and best_start < k[1])), None)
            if existing is not None:
                key = existing
            else:
                chosen[key] = Span(doc, best_start, best_end, label="INDICATOR")
            links.append((figure, key))
        if chosen:
            doc.ents = sorted(list(doc.ents) + list(chosen.values()), key=lambda s: s.start)
        relations = [r for r in get_relations(doc) if r.type != "indicator"]
        for figure, key in links:
            span = chosen[key]
            relations.append(FigureRelation("indicator", figure.start_char, figure.end_char, span.start_char, span.end_char))
        set_relations(doc, sorted(relations, key=lambda r: (r.head_start, r.type, r.tail_start)))
        return doc

    # ------------------------------------------------------------ training

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train the end and start classifiers on the gold spans of ``examples``."""
        end_groups, start_groups = [], []
        counts = {"figures": 0, "with_indicator": 0, "unreachable": 0}
        for example in examples:
            doc = example.reference
            hints, blocked = self._context(doc)
            gold = {(r.head_start, r.head_end): (r.tail_start, r.tail_end) for r in get_relations(doc) if r.type == "indicator"}
            figures = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
            figure_starts = [f.start for f in figures]
            previous_end = None
            for figure in figures:
                counts["figures"] += 1
                target = gold.get((figure.start_char, figure.end_char))
                span = doc.char_span(*target) if target else None
                gold_previous, previous_end = previous_end, (span.end if span is not None else None)
                if target:
                    counts["with_indicator"] += 1
                candidates = self.end_candidates(doc, figure, blocked)
                if span is not None and span.end not in candidates:
                    counts["unreachable"] += 1  # after the figure, too far, or off token boundaries
                if span is None or span.end not in candidates:
                    continue
                features = {b: self.end_features(doc, figure, b, hints, figure_starts, gold_previous) for b in candidates}
                end_groups.append((features.pop(span.end), list(features.values())))
                starts = self.start_candidates(doc, span.end, blocked)
                if span.start in starts:
                    features = {a: self.start_features(doc, a, span.end, hints) for a in starts}
                    start_groups.append((features.pop(span.start), list(features.values())))
        self.end_model = fit_ranker(end_groups, seed)
        self.start_model = fit_ranker(start_groups, seed)
        if self.end_model is None or self.start_model is None:
            raise ValueError(f"[{self.name}] cannot train: the examples hold no figure with an indicator")
        return counts

    # ------------------------------------------------------------ serialisation

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self.cfg), encoding="utf-8")
        models = {"end": self.end_model.to_dict() if self.end_model else None,
                  "start": self.start_model.to_dict() if self.start_model else None}
        (path / "model.json").write_text(json.dumps(models, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "IndicatorFinder":
        path = Path(path)
        self.cfg.update(json.loads((path / "cfg.json").read_text(encoding="utf-8")))
        models = json.loads((path / "model.json").read_text(encoding="utf-8"))
        self.end_model = LinearModel.from_dict(models["end"]) if models.get("end") else None
        self.start_model = LinearModel.from_dict(models["start"]) if models.get("start") else None
        return self


@Language.factory(
    NAME,
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.relations"],
    default_config={"max_gap": 50, "max_length": 20, "threshold": 0.0},
)
def make_indicator_finder(nlp: Language, name: str, max_gap: int, max_length: int, threshold: float) -> IndicatorFinder:
    """Factory of the indicator component (``nlp.add_pipe("vnreport_indicators")``)."""
    return IndicatorFinder(nlp, name, max_gap, max_length, threshold)
