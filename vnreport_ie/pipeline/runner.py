"""Running the pipeline: load a trained model and pipe texts of any length through it."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import vnreport_ie.pipeline.indicator  # noqa: F401  (registers vnreport_indicators)
import vnreport_ie.pipeline.patterns  # noqa: F401  (registers vnreport_lexical_hints)
import vnreport_ie.pipeline.project  # noqa: F401  (registers vnreport_projects)
import vnreport_ie.pipeline.relation_linker  # noqa: F401  (registers vnreport_relations)
import vnreport_ie.pipeline.target  # noqa: F401  (registers vnreport_targets)
import vnreport_ie.text.tokenizer  # noqa: F401  (registers the tokenizer)
from vnreport_ie.pipeline.project import project_footnote_marks
from vnreport_ie.pipeline.relations import FigureRelation, get_relations, set_relations

MODEL_NAME = "vnreport-ie"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_MODEL_DIR = PACKAGE_DIR.parent / "models" / MODEL_NAME


def default_model_path() -> Path:
    """Where the shipped model is: inside the installed package, or in the repository's models/."""
    packaged = PACKAGE_DIR / "model"
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


LONG_TEXT_CHARS = 20_000  # longer texts run in pieces of about this size (memory stays flat)


def split_long_text(text: str, max_chars: int = LONG_TEXT_CHARS) -> list[str]:
    """Consecutive pieces of ``text`` (joined they are ``text``), cut after a sentence end, else at a space."""
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = max(window.rfind(". "), window.rfind("; "), window.rfind(".\t"))
        if cut < max_chars // 2:
            cut = max(window.rfind(" "), window.rfind("\t"))
        if cut <= 0:
            cut = max_chars - 1
        pieces.append(text[start : start + cut + 1])
        start += cut + 1
    pieces.append(text[start:])
    return pieces


def pipe(
    nlp: Language, texts: Iterable[str], batch_size: int = 64, project_footnotes: Iterable[str] = ()
) -> Iterator[Doc]:
    """``nlp.pipe`` for texts of any length: a long text runs in pieces and comes back as one Doc.

    Entities and relations of the pieces are joined with their offsets shifted, so
    ``doc.text`` is the input and every span points into it. A batch holds at most
    ``batch_size`` pieces and about BATCH_CHARS characters, so that memory does not grow
    with the length of one text beyond its joined Doc.

    ``project_footnotes``: when the texts are paragraphs of one report, the marks of the
    report's footnotes that list projects (``project_footnote_marks(report_text)``), so that a
    footnote paragraph is read as the list it is; every piece of a long text gets its own too.
    """
    stream = iter(texts)
    sizes: list[int] = []
    given = frozenset(project_footnotes)

    def pieces() -> Iterator[Doc]:
        for text in stream:
            parts = split_long_text(text)
            sizes.append(len(parts))
            marks = given | project_footnote_marks(text) if len(parts) > 1 else given
            for part in parts:
                doc = nlp.make_doc(part)
                doc._.project_footnotes = marks
                yield doc

    docs = _pipe_bounded(nlp, pieces(), batch_size)
    index = 0
    for doc in docs:
        parts = [doc]
        while len(parts) < sizes[index]:
            parts.append(next(docs))
        index += 1
        yield parts[0] if len(parts) == 1 else _join_docs(parts)


BATCH_CHARS = 100_000  # characters processed together at most (the pieces of one long text included)


def _pipe_bounded(nlp: Language, docs: Iterator[Doc], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe`` over batches of at most ``batch_size`` tokenized texts and about BATCH_CHARS characters."""
    batch: list[Doc] = []
    chars = 0
    for doc in docs:
        if batch and (len(batch) >= batch_size or chars + len(doc.text) > BATCH_CHARS):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, chars = [], 0
        batch.append(doc)
        chars += len(doc.text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def _join_docs(parts: list[Doc]) -> Doc:
    with warnings.catch_warnings():  # W101: from_docs does not carry custom extensions; relations are set below
        warnings.simplefilter("ignore", UserWarning)
        joined = Doc.from_docs(parts, ensure_whitespace=False)
    relations, offset = [], 0
    for part in parts:
        relations.extend(
            FigureRelation(r.type, r.head_start + offset, r.head_end + offset, r.tail_start + offset, r.tail_end + offset)
            for r in get_relations(part)
        )
        offset += len(part.text)
    set_relations(joined, relations)
    return joined
