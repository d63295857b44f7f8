"""Model-assisted annotation: the model's predictions as examples an annotator corrects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from vnreport_ie.io.batch import doc_to_doccano
from vnreport_ie.io.annotations import AnnotatedExample, example_from_dict
from vnreport_ie.io.reports import Paragraph


def preannotate(
    paragraphs: Iterable[Paragraph], nlp: Language, batch_size: int = 32, project_footnotes: Iterable[str] = ()
) -> Iterator[AnnotatedExample]:
    """One example per paragraph carrying the model's entities and relations (ids and meta kept).

    ``project_footnotes``: the marks of the report's footnotes that list projects, when the
    paragraphs are one report's (``project_footnote_marks`` of its text)."""
    stream = iter(paragraphs)
    pending: list[Paragraph] = []

    def texts() -> Iterator[str]:
        for paragraph in stream:
            pending.append(paragraph)
            yield paragraph.text

    from vnreport_ie.pipeline.runner import pipe

    for doc in pipe(nlp, texts(), batch_size=batch_size, project_footnotes=project_footnotes):
        paragraph = pending.pop(0)
        example, problems = example_from_dict(doc_to_doccano(paragraph, doc))
        if example is None or problems:
            raise ValueError(f"{paragraph.id}: the model produced an invalid example: {problems}")
        yield example
