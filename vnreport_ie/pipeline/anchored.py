"""Spans anchored on a word, with a ranked end: the mechanism of the project and target components.

Some spans start at a word the text itself points at: a project name after "dự án" /
"công trình" or at "Chương trình ...", a target right after its figure ("đạt 26,15% [dự toán
tỉnh giao]"). A finder of such spans says where its anchors are and which tokens may end a span
from an anchor (``anchors``, ``end_candidates``); :class:`AnchoredSpanFinder` then scores every
candidate end, and a "no span here" choice, with one linear ranker (logistic regression on
feature differences, :func:`~vnreport_ie.pipeline.linear.fit_ranker`), keeps the best, and lets
a chosen span replace the entities it overlaps (figures are never crossed). It learns the words
that end spans, not the spans. Lists may go on after a span (``list_anchor``, ``next_item``);
the base class has none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.pipeline.linear import LinearModel, LinearModelFiles, bucket, fit_ranker, model_or_none
from vnreport_ie.pipeline.patterns import doc_hints, token_offsets_and_texts
from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.text.numbers import FOOTNOTE_MARKERS

NONE = -1  # the "no span here" candidate
STOPS = {";", ".", "!", "?"}
DIGIT = re.compile(rf"[\d{FOOTNOTE_MARKERS}]")  # a digit, footnote marks included ("Lạng Sơn¹²")


class AnchoredSpanFinder(LinearModelFiles):
    """spaCy component: spans of ``label`` from anchors, with a ranker for where each ends (or none).

    A subclass gives ``anchors`` and ``end_candidates``; it may add features of the "no span"
    choice (``no_span_features``), lists that go on after a span (``list_anchor``, ``next_item``)
    and keep the NER's spans of its label away from every anchor (``keeps_ner_span``).
    """

    label = ""
    ranker_c = 5.0  # inverse regularisation of the ranker

    def __init__(self, nlp: Language, name: str, max_length: int):
        self.name = name
        self.cfg = {"max_length": max_length}
        self.model: LinearModel | None = None

    # ------------------------------------------------------------ candidates

    def _view(self, doc: Doc) -> dict:
        tokens = token_offsets_and_texts(doc)
        texts = [text for _, text in tokens]
        hints = doc_hints(doc)
        figure = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ in FIGURE_LABELS:
                figure[ent.start : ent.end] = [True] * (ent.end - ent.start)
        ends = [start + len(text) for start, text in tokens]
        # a full stop ends a sentence when a space or the end follows ("ĐT.226" goes on)
        sentence_end = [
            t in STOPS and (t != "." or i + 1 == len(texts) or tokens[i + 1][0] > ends[i]) or "\n" in t
            for i, t in enumerate(texts)
        ]
        return {
            "texts": texts,
            "words": [t.lower() for t in texts],
            "starts": [start for start, _ in tokens],
            "hints": hints,
            "figure": figure,
            "stop": sentence_end,
            "title": [t[:1].isupper() for t in texts],
        }

    def anchors(self, doc: Doc, view: dict) -> dict[int, set[str]]:
        """Token index -> kinds of the anchors of ``doc``."""
        raise NotImplementedError

    def end_candidates(self, view: dict, start: int, anchors: Iterable[int] = ()) -> list[int]:
        """Exclusive ends of a span starting at ``start``."""
        raise NotImplementedError

    def list_anchor(self, view: dict, end: int) -> int | None:
        """The anchor of the next list item after a span ending at ``end`` (none: spans do not come in lists)."""
        return None

    def next_item(self, view: dict, start: int) -> int | None:
        """The next list item after a list item at ``start`` judged no span (none: no lists)."""
        return None

    def overrules_ner(self, kinds: set[str]) -> bool:
        """Whether a "no span" choice at an anchor of these kinds drops the NER's span that starts there."""
        return True

    def may_anchor(self, doc: Doc) -> bool:
        """Whether ``doc`` can hold an anchor (a cheap test before reading it; True by default)."""
        return True

    def keeps_ner_span(self, ent: Span) -> bool:
        """Whether an NER span of this label that no anchor started stays (not by default)."""
        return False

    # ------------------------------------------------------------ features

    def features(
        self, view: dict, kinds: set[str], start: int, end: int, anchors: list[int] = ()
    ) -> dict[str, float]:
        """Features of the span [start, end) at an anchor of ``kinds`` (end NONE: no span); ``anchors`` sorted."""
        words, hints = view["words"], view["hints"]
        kind = "+".join(sorted(kinds))
        first = words[start]
        before = words[start - 1] if start else "<start>"
        if end == NONE:
            features = self.no_span_features(view, start, kind) | {
                "none": 1.0,
                f"none|kind={kind}": 1.0,
                f"none|first={first}": 1.0,
                f"none|first_is_title={view['title'][start]}": 1.0,
                f"none|first_is_title={view['title'][start]}|kind={kind}": 1.0,
                f"none|first_hint={hints[start]}": 1.0,
                f"none|before={before}": 1.0,
                f"none|before={before}|kind={kind}": 1.0,
                f"none|second={words[start + 1] if start + 1 < len(words) else '<end>'}": 1.0,
            }
            if "next" in kinds:  # a list item: what the list's separator is says nothing beyond the kind
                del features[f"none|before={before}"]
            return features
        inside = view["texts"][start:end]
        joined = " ".join(inside)
        length = self.length_bucket(joined, end - start)
        next_word = words[end] if end < len(words) else "<end>"
        next2 = words[end + 1] if end + 1 < len(words) else "<end>"
        next_hint = hints[end] if end < len(words) else "<end>"
        features = {
            f"kind={kind}": 1.0,
            f"kind={kind}|length={length}": 1.0,
            f"length={length}": 1.0,
            f"last={words[end - 1]}": 1.0,
            f"last_hint={hints[end - 1]}": 1.0,
            f"last_is_title={view['title'][end - 1]}": 1.0,
            f"next={next_word}": 1.0,
            f"next2={next2}": 1.0,
            f"next={next_word}|next2={next2}": 1.0,
            f"anchor_inside={_any_between(anchors, start, end)}": 1.0,
            f"next_hint={next_hint}": 1.0,
            f"next={next_word}|kind={kind}": 1.0,
            f"next_is_title={end < len(words) and view['title'][end]}": 1.0,
            f"commas_inside={bucket(inside.count(','), (0, 1, 2))}": 1.0,
            f"open_bracket={inside.count('(') - inside.count(')')}": 1.0,
            f"digit_inside={DIGIT.search(joined) is not None}": 1.0,
            f"first_is_title={view['title'][start]}": 1.0,
        }
        for hint in set(hints[start:end]):
            features[f"inside_hint={hint}"] = 1.0
        return features

    def length_bucket(self, joined: str, tokens: int) -> str:
        """The length feature of a span: its tokens."""
        return bucket(tokens, (1, 2, 3, 4, 6, 9, 13, 20, 30))

    def no_span_features(self, view: dict, start: int, kind: str) -> dict[str, float]:
        """Features of the "no span" choice at an anchor of ``kind`` beyond the shared ones (none by default)."""
        return {}

    # ------------------------------------------------------------ predict

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            raise ValueError(f"[{self.name}] the {self.label} model is not trained: train it or load a trained pipeline")
        if not self.may_anchor(doc):  # no anchor can be found: only the NER's spans to keep or drop
            ents = doc.ents
            kept = [e for e in ents if e.label_ != self.label or self.keeps_ner_span(e)]
            if len(kept) != len(ents):
                doc.ents = kept
            if not any(e.label_ == self.label for e in kept):
                return doc
        view = self._view(doc)
        anchors = self.anchors(doc, view)
        for ent in doc.ents:  # lists go on after the names the NER found, too
            if ent.label_ == self.label:
                following = self.list_anchor(view, ent.end)
                if following is not None and following not in anchors:
                    anchors[following] = {"next"}
        chosen: list[Span] = []
        rejected: set[int] = set()
        covered_until = 0
        pending = sorted(anchors)
        while pending:
            start = pending.pop(0)
            if start < covered_until:
                continue
            end = self._best_end(view, anchors, start)
            if end == NONE:
                if self.overrules_ner(anchors[start]):
                    rejected.add(start)
                following = self.next_item(view, start) if "next" in anchors[start] else None
                if following is not None and following not in anchors:  # "A; [not a project]; C": the list goes on
                    anchors[following] = {"next"}
                    pending = sorted([*pending, following])
                continue
            chosen.append(Span(doc, start, end, label=self.label))
            covered_until = end
            following = self.list_anchor(view, end)
            if following is not None and following not in anchors:
                anchors[following] = {"next"}
                pending = sorted([*pending, following])
        taken = [False] * len(doc)
        for span in chosen:
            taken[span.start : span.end] = [True] * (span.end - span.start)
        ents = doc.ents
        kept = [
            e
            for e in ents
            if not any(taken[e.start : e.end])
            and (
                e.label_ != self.label
                or e.start not in rejected and self.keeps_ner_span(e)
            )
        ]
        trimmed = [self.trim_ner_span(view, e) if e.label_ == self.label else e for e in kept]
        trimmed = [e for e in trimmed if e is not None]
        grown = [e for e in trimmed if e.label_ == self.label and not any(e.start == k.start and e.end == k.end for k in kept)]
        if grown:  # a name that grew takes in what it now covers ("Nhà Văn hóa xã [Tân Long]")
            trimmed = [e for e in trimmed if e in grown or not any(e.start < g.end and g.start < e.end for g in grown)]
        if chosen or trimmed != list(ents):
            doc.ents = sorted(trimmed + chosen, key=lambda e: e.start)
        return doc

    def trim_ner_span(self, view: dict, ent: Span) -> Span | None:
        """A span of this label the NER found away from the anchors, cut where the rules say a span ends
        (None to drop it); kept whole by default."""
        return ent

    def _best_end(self, view: dict, anchors: dict[int, set[str]], start: int) -> int:
        return self._ranked_best(view, anchors, start, [*self.end_candidates(view, start, anchors), NONE])

    def _ranked_best(self, view: dict, anchors: dict[int, set[str]], start: int, ends: list[int]) -> int:
        """The end of ``ends`` (NONE among them for "no span") that the ranker scores highest at ``start``."""
        ordered = sorted(anchors)
        return max(ends, key=lambda b: self.model.score(self.features(view, anchors[start], start, b, ordered)))

    # ------------------------------------------------------------ training

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train the ranker on the gold spans (of this component's label) of ``examples``; the counts it returns
        include the gold spans started by an anchor of each kind (``anchored_spans:KIND``)."""
        groups = []
        counts = {"anchors": 0, "spans": 0, "anchored_spans": 0}
        for example in examples:
            doc = example.reference
            view = self._view(doc)
            gold = {e.start: e.end for e in doc.ents if e.label_ == self.label}
            counts["spans"] += len(gold)
            anchors = self.anchors(doc, view)
            for end in gold.values():  # lists go on after gold names, as after predicted ones
                following = self.list_anchor(view, end)
                if following is not None and following not in anchors:
                    anchors[following] = {"next"}
            pending = sorted(anchors)
            while pending:
                start = pending.pop(0)
                kinds = anchors[start]
                if start not in gold and "next" in kinds:  # the list goes on past an item that is no project
                    following = self.next_item(view, start)
                    if following is not None and following not in anchors:
                        anchors[following] = {"next"}
                        pending = sorted([*pending, following])
                counts["anchors"] += 1
                candidates = [*self.end_candidates(view, start, anchors), NONE]
                positive = gold.get(start, NONE)
                if positive not in candidates:
                    continue  # a name longer than max_length or crossing a figure
                counts["anchored_spans"] += positive != NONE
                for kind in kinds if positive != NONE else ():
                    counts[f"anchored_spans:{kind}"] = counts.get(f"anchored_spans:{kind}", 0) + 1
                ordered = sorted(anchors)
                features = {b: self.features(view, kinds, start, b, ordered) for b in candidates}
                groups.append((features.pop(positive), list(features.values())))
        self.model = fit_ranker(groups, seed, c=self.ranker_c)
        if self.model is None:
            raise ValueError(f"[{self.name}] cannot train: no anchor of the examples starts a {self.label} span")
        return counts

    # ------------------------------------------------------------ serialisation

    def models_to_data(self) -> dict | None:
        return self.model.to_dict() if self.model else None

    def models_from_data(self, data: dict | None) -> None:
        self.model = model_or_none(data)


def _any_between(ordered: list[int], start: int, end: int) -> bool:
    """Whether a value of the sorted list ``ordered`` lies strictly between ``start`` and ``end``."""
    index = bisect_right(ordered, start)
    return index < len(ordered) and ordered[index] < end
