"""The library's front door: load the shipped pipeline and extract figure records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language

from vnreport_ie.pipeline.runner import default_model_path, load, pipe, split_long_text  # noqa: F401  (part of the API)
from vnreport_ie.records.figures import FigureRecord, doc_to_records
from vnreport_ie.records.periods import ReportDate, report_date
from vnreport_ie.text.communes import report_location


@lru_cache(maxsize=1)
def _shipped() -> Language:
    return load()


def extract(text: str, nlp: Language | None = None, paragraph_id: str | None = None) -> list[FigureRecord]:
    """Figure records of one text (a paragraph or a whole report)."""
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, got {type(text).__name__}")
    nlp = nlp or _shipped()
    return doc_to_records(next(pipe(nlp, [text])), paragraph_id, report_location(text), report_date(text))


def extract_many(
    paragraphs: Iterable[tuple[str | None, str]],
    nlp: Language | None = None,
    batch_size: int = 64,
    location=None,
    project_footnotes: Iterable[str] = (),
    report_date: ReportDate | None = None,
) -> Iterator[list[FigureRecord]]:
    """Records of each (paragraph id, text) pair, lazily and in order (one list per paragraph).

    ``location`` (a :class:`vnreport_ie.text.communes.ReportLocation`, e.g. from
    ``report_location(report_text)``) resolves commune names with the report's district;
    ``project_footnotes`` (``project_footnote_marks(report_text)``) names the footnotes that list
    projects, when the paragraphs are one report's; ``report_date``
    (``vnreport_ie.report_date(report_text)``) gives the year of periods written without one
    ("tháng 02", "lũy kế 2 tháng").
    """
    nlp = nlp or _shipped()
    stream = iter(paragraphs)
    ids: list[str | None] = []

    def texts() -> Iterator[str]:
        for paragraph_id, text in stream:
            ids.append(paragraph_id)
            yield text

    for index, doc in enumerate(pipe(nlp, texts(), batch_size=batch_size, project_footnotes=project_footnotes)):
        yield doc_to_records(doc, ids[index], location, report_date)
        ids[index] = None
