"""Annotated examples as training data: Hugging Face datasets and spaCy Examples.

Splits are always by report (``meta.doc``): one report is never split
across train and test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from vnreport_ie.pipeline.project import project_footnote_marks
from vnreport_ie.io.annotations import AnnotatedExample, Entity, Problem, load_examples
from vnreport_ie.pipeline.relations import FigureRelation, set_relations

DEFAULT_TEST_DOCS = ("binhgia-2024-04",)


def load_dataset(
    path: str | Path,
    test_docs: Sequence[str] = DEFAULT_TEST_DOCS,
    validation_docs: Sequence[str] = (),
):
    """The annotations at ``path`` as a ``datasets.DatasetDict`` split by report."""

    examples = load_examples(path)
    return examples_to_dataset_dict(examples, test_docs, validation_docs)


def examples_to_dataset_dict(
    examples: Sequence[AnnotatedExample], test_docs: Sequence[str], validation_docs: Sequence[str] = ()
):
    """Split examples by report into train / validation / test ``datasets``."""
    from datasets import Dataset, DatasetDict

    known = {e.doc_id for e in examples}
    unknown = (set(test_docs) | set(validation_docs)) - known
    if unknown:
        raise ValueError(f"split names report(s) not in the annotations: {sorted(unknown)} (known: {sorted(known)})")
    overlap = set(test_docs) & set(validation_docs)
    if overlap:
        raise ValueError(f"report(s) {sorted(overlap)} are in both the test and the validation split")
    splits: dict[str, list[dict]] = {"train": [], "validation": [], "test": []}
    for example in examples:
        name = "test" if example.doc_id in test_docs else "validation" if example.doc_id in validation_docs else "train"
        splits[name].append(_dataset_row(example))
    return DatasetDict(
        {name: Dataset.from_list(rows, features=_features()) for name, rows in splits.items() if rows or name != "validation"}
    )


def dataset_row_to_example(row: dict) -> AnnotatedExample:
    """Back from a dataset row to an AnnotatedExample (ids, offsets and meta kept)."""
    entities = [Entity(_id(e["id"]), e["start_offset"], e["end_offset"], e["label"]) for e in row["entities"]]
    from vnreport_ie.io.annotations import Relation

    relations = [Relation(_id(r["id"]), _id(r["from_id"]), _id(r["to_id"]), r["type"]) for r in row["relations"]]
    return AnnotatedExample(row["id"], row["text"], entities, relations, json.loads(row["meta"]))


def _id(value: str) -> int | str:
    return int(value) if value.lstrip("-").isdigit() else value


def _dataset_row(example: AnnotatedExample) -> dict:
    return {
        "id": example.id,
        "doc": example.doc_id,
        "text": example.text,
        "entities": [
            {"id": str(e.id), "start_offset": e.start, "end_offset": e.end, "label": e.label} for e in example.entities
        ],
        "relations": [
            {"id": str(r.id), "from_id": str(r.from_id), "to_id": str(r.to_id), "type": r.type}
            for r in example.relations
        ],
        "meta": json.dumps(example.meta, ensure_ascii=False),
    }


def _features():
    from datasets import Features, List, Value

    entity = {"id": Value("string"), "start_offset": Value("int32"), "end_offset": Value("int32"), "label": Value("string")}
    relation = {"id": Value("string"), "from_id": Value("string"), "to_id": Value("string"), "type": Value("string")}
    return Features(
        {
            "id": Value("string"),
            "doc": Value("string"),
            "text": Value("string"),
            "entities": List(entity),
            "relations": List(relation),
            "meta": Value("string"),
        }
    )


def leave_one_report_out(examples: Sequence[AnnotatedExample]) -> list[tuple[str, list, list]]:
    """(held-out report, train examples, test examples) for each report."""
    docs = sorted({e.doc_id for e in examples})
    return [(doc, [e for e in examples if e.doc_id != doc], [e for e in examples if e.doc_id == doc]) for doc in docs]


@dataclass
class SpacyData:
    """spaCy Examples made from annotated examples, and the spans that do not fit the tokens."""

    examples: list[Example]
    misaligned: list[Problem]


def to_spacy_examples(
    nlp: Language, examples: Iterable[AnnotatedExample], labels: Sequence[str] | None = None
) -> SpacyData:
    """spaCy Examples on ``nlp``'s tokenizer; spans off token boundaries are reported and left unknown.

    With ``labels``, entities of other labels are left *unknown* too (their
    tokens are neither that label nor outside): the NER is not trained on
    the labels another component owns (INDICATOR).

    A span whose edges fall inside a token (glued text such as
    "2023580.277 triệu đồng") cannot be an entity of the tokenized Doc; its
    tokens are marked *missing* in the reference (spaCy does not train on
    them either way) and the span is listed in ``misaligned``.
    """
    examples = list(examples)
    footnotes = project_footnotes_by_report(examples)
    result = SpacyData([], [])
    for annotated in examples:
        predicted = nlp.make_doc(annotated.text)
        predicted._.project_footnotes = footnotes[annotated.doc_id]
        reference = reference_doc(predicted, annotated, result.misaligned, labels)
        result.examples.append(Example(predicted, reference))
    return result


def project_footnotes_by_report(examples: Sequence[AnnotatedExample]) -> dict[str, frozenset[str]]:
    """Report id -> the marks of its footnotes that list projects (read from all of its paragraphs)."""
    texts: dict[str, list[str]] = {}
    for example in examples:
        texts.setdefault(example.doc_id, []).append(example.text)
    return {doc_id: project_footnote_marks("\n".join(paragraphs)) for doc_id, paragraphs in texts.items()}


def reference_doc(
    predicted: Doc, annotated: AnnotatedExample, misaligned: list[Problem], labels: Sequence[str] | None = None
) -> Doc:
    """A copy of ``predicted`` carrying the gold entities (of ``labels``) and relations of ``annotated``."""
    reference = predicted.copy()
    spans, missing = [], []
    for entity in annotated.entities:
        if labels is not None and entity.label not in labels:
            missing.append(reference.char_span(entity.start, entity.end, alignment_mode="expand"))
            continue
        span = reference.char_span(entity.start, entity.end, label=entity.label)
        if span is None:
            expanded = reference.char_span(entity.start, entity.end, alignment_mode="expand")
            misaligned.append(
                Problem(
                    annotated.id,
                    0,
                    f"{entity.label} span {annotated.span_text(entity)!r} ({entity.start}-{entity.end}) does not "
                    f"fall on token boundaries (tokens {[t.text for t in expanded]}); its tokens are left unknown",
                )
            )
            missing.append(expanded)
        else:
            spans.append(span)
    # a span sharing a token with an unknown one (glued text: "[48,39%][KH]" where the tokenizer made one
    # token) is left unknown too, and the unknown tokens are given one by one (spaCy takes no overlaps)
    unknown = {i for span in missing if span is not None for i in range(span.start, span.end)}
    kept = [span for span in spans if not unknown.intersection(range(span.start, span.end))]
    for span in spans:
        if span not in kept:
            misaligned.append(
                Problem(annotated.id, 0, f"{span.label_} span {span.text!r} shares a token with a span off token "
                        "boundaries; its tokens are left unknown")
            )
            unknown.update(range(span.start, span.end))
    reference.set_ents(kept, missing=[reference[i : i + 1] for i in sorted(unknown)], default="outside")
    relations = []
    for relation in annotated.relations:
        head, tail = annotated.entity(relation.from_id), annotated.entity(relation.to_id)
        relations.append(FigureRelation(relation.type, head.start, head.end, tail.start, tail.end))
    set_relations(reference, relations)
    return reference
