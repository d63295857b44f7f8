"""The library's front door: load the shipped pipeline and extract figure records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

import vnreport_ie.components.indicator  # noqa: F401  (registers vnreport_indicators)
import vnreport_ie.components.patterns  # noqa: F401  (registers vnreport_lexical_hints)
import vnreport_ie.components.relation  # noqa: F401  (registers vnreport_relations)
import vnreport_ie.tokenizer  # noqa: F401  (registers the tokenizer)
from vnreport_ie.records import FigureRecord, doc_to_records

MODEL_NAME = "vnreport-ie"
REPO_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / MODEL_NAME


def default_model_path() -> Path:
    """Where the shipped model is: inside the installed package, or in the repository's models/."""
    packaged = Path(__file__).resolve().parent / "model"
    for candidate in (packaged, REPO_MODEL_DIR):
        if (candidate / "config.cfg").exists():
            return candidate
    raise FileNotFoundError(
        f"no trained model found (looked in {packaged} and {REPO_MODEL_DIR}); "
        "train one with `vnreport-ie train annotations -o models/vnreport-ie` or pass a model path"
    )


def load(path: str | Path | None = None) -> Language:
    """Load a trained vnreport-ie pipeline (the shipped model when ``path`` is None)."""
    model_path = Path(path) if path is not None else default_model_path()
    if not (model_path / "config.cfg").exists():
        raise FileNotFoundError(f"{model_path}: not a spaCy pipeline folder (no config.cfg)")
    nlp = spacy.load(model_path)
    nlp.max_length = 10**9  # the tokenizer and components work on any length
    return nlp


@lru_cache(maxsize=1)
def _shipped() -> Language:
    return load()


def extract(text: str, nlp: Language | None = None, paragraph_id: str | None = None) -> list[FigureRecord]:
    """Figure records of one text (a paragraph or a whole report)."""
    if not isinstance(text, str):
        raise TypeError(f"extract() takes a str, got {type(text).__name__}")
    from vnreport_ie.communes import report_location

    nlp = nlp or _shipped()
    return doc_to_records(nlp(text), paragraph_id, report_location(text))


def extract_many(
    paragraphs: Iterable[tuple[str | None, str]],
    nlp: Language | None = None,
    batch_size: int = 64,
    location=None,
) -> Iterator[list[FigureRecord]]:
    """Records of each (paragraph id, text) pair, lazily and in order (one list per paragraph).

    ``location`` (a :class:`vnreport_ie.communes.ReportLocation`, e.g. from
    ``report_location(report_text)``) resolves commune names with the report's district.
    """
    nlp = nlp or _shipped()
    stream = iter(paragraphs)
    ids: list[str | None] = []

    def texts() -> Iterator[str]:
        for paragraph_id, text in stream:
            ids.append(paragraph_id)
            yield text

    for index, doc in enumerate(nlp.pipe(texts(), batch_size=batch_size)):
        yield doc_to_records(doc, ids[index], location)
        ids[index] = None
