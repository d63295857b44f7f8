"""Relations between a figure and another span, as stored on a spaCy Doc.

``doc._.relations`` holds :class:`FigureRelation` tuples in character
offsets, so they survive serialisation and can be compared with gold
annotations directly.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span


class FigureRelation(NamedTuple):
    """A relation of ``type`` from the figure at [head_start, head_end) to the span at [tail_start, tail_end)."""

    type: str
    head_start: int
    head_end: int
    tail_start: int
    tail_end: int


if not Doc.has_extension("relations"):
    Doc.set_extension("relations", default=None)


def get_relations(doc: Doc) -> list[FigureRelation]:
    """The relations set on ``doc`` (empty when none were set)."""
    return [FigureRelation(*r) for r in (doc._.relations or [])]


def set_relations(doc: Doc, relations: list[FigureRelation]) -> None:
    """Store ``relations`` on ``doc`` (plain tuples, so Doc serialisation keeps them)."""
    doc._.relations = [tuple(r) for r in relations]


def span_of(doc: Doc, start: int, end: int) -> Span | None:
    """The entity of ``doc`` at exactly these character offsets, if any."""
    for ent in doc.ents:
        if ent.start_char == start and ent.end_char == end:
            return ent
    return None
