"""Annotation I/O: validation with locations, datasets by report, spaCy Examples and back."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import ANNOTATIONS
from vnreport_ie.io.annotations import AnnotationError, load_examples, read_jsonl, validate_path, write_jsonl

# The counts annotations/README.md states (per report: paragraphs, then entities and relations).
README_COUNTS = {
    "bacson-2024": (273, {"MONEY": 97, "PERCENT": 153, "COMMUNE": 122, "PROJECT": 43, "INDICATOR": 181, "TARGET": 81}),
    "binhgia-2024-04": (80, {"MONEY": 2, "PERCENT": 14, "COMMUNE": 16, "PROJECT": 16, "INDICATOR": 13, "TARGET": 11}),
    "caoloc-2023-02": (71, {"MONEY": 20, "PERCENT": 20, "COMMUNE": 17, "PROJECT": 12, "INDICATOR": 27, "TARGET": 11}),
    "chilang-2024-07": (115, {"MONEY": 50, "PERCENT": 19, "COMMUNE": 31, "PROJECT": 27, "INDICATOR": 43, "TARGET": 17}),
    "langson-city-2024-q1": (169, {"MONEY": 32, "PERCENT": 20, "COMMUNE": 25, "PROJECT": 38, "INDICATOR": 42, "TARGET": 17}),
}
README_RELATIONS = {"indicator": 414, "target": 141, "location": 10, "project": 31}

GOOD = {
    "id": "demo:1",
    "text": "Tổng thu đạt 58.829 triệu đồng, bằng 26,15% dự toán.",
    "entities": [
        {"id": 0, "start_offset": 0, "end_offset": 8, "label": "INDICATOR"},
        {"id": 1, "start_offset": 13, "end_offset": 30, "label": "MONEY"},
        {"id": 2, "start_offset": 37, "end_offset": 43, "label": "PERCENT"},
        {"id": 3, "start_offset": 44, "end_offset": 51, "label": "TARGET"},
    ],
    "relations": [
        {"id": 0, "from_id": 1, "to_id": 0, "type": "indicator"},
        {"id": 1, "from_id": 2, "to_id": 0, "type": "indicator"},
        {"id": 2, "from_id": 2, "to_id": 3, "type": "target"},
    ],
    "meta": {"doc": "demo", "paragraph": 1},
}


def _broken(**changes) -> dict:
    example = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        example[key] = value
    return example


ENTITIES = GOOD["entities"]
PROBLEM_CASES = [
    ("offset-out-of-range", _broken(entities=[*ENTITIES[:3], {"id": 3, "start_offset": 44, "end_offset": 99, "label": "TARGET"}]), "out of range"),
    ("overlapping-spans", _broken(entities=[*ENTITIES, {"id": 4, "start_offset": 20, "end_offset": 25, "label": "MONEY"}]), "overlap"),
    ("unknown-label", _broken(entities=[*ENTITIES[:3], {"id": 3, "start_offset": 44, "end_offset": 51, "label": "PLAN"}]), "unknown label 'PLAN'"),
    ("unknown-relation-type", _broken(relations=[{"id": 0, "from_id": 1, "to_id": 0, "type": "measures"}]), "unknown relation type"),
    ("reversed-relation", _broken(relations=[{"id": 0, "from_id": 0, "to_id": 1, "type": "indicator"}]), "direction reversed"),
    ("wrong-target-label", _broken(relations=[{"id": 0, "from_id": 2, "to_id": 0, "type": "target"}]), "ends at TARGET, not INDICATOR"),
    ("two-indicators", _broken(entities=[*ENTITIES, {"id": 4, "start_offset": 52, "end_offset": 53, "label": "INDICATOR"}],
                               relations=[*GOOD["relations"], {"id": 3, "from_id": 2, "to_id": 4, "type": "indicator"}]), "already has a indicator"),
    ("missing-entity", _broken(relations=[{"id": 0, "from_id": 1, "to_id": 9, "type": "indicator"}]), "no entity with id 9"),
    ("whitespace-edge", _broken(entities=[{"id": 0, "start_offset": 0, "end_offset": 9, "label": "INDICATOR"}]), "whitespace"),
    ("duplicate-entity-id", _broken(entities=[*ENTITIES[:3], {"id": 2, "start_offset": 44, "end_offset": 51, "label": "TARGET"}], relations=[]), "duplicate entity id"),
    ("non-integer-offset", _broken(entities=[{"id": 0, "start_offset": "0", "end_offset": 8, "label": "INDICATOR"}], relations=[]), "must be integers"),
    ("line-break-in-text", _broken(text="Tổng thu\nđạt", entities=[], relations=[]), "line break"),
]


@pytest.mark.parametrize("case, example, message", PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES])
def test_validate_names_the_line_of_each_problem(tmp_path, case, example, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n" + json.dumps(example, ensure_ascii=False) + "\n", encoding="utf-8")
    _, problems = validate_path(path)
    assert problems, case
    assert all(p.line == 2 for p in problems), [str(p) for p in problems]
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    assert str(problems[0]).startswith(f"{path}:2: ")


def test_bad_json_and_duplicate_ids_are_located(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_path(path)[1]]
    assert any(p.startswith(f"{path}:2: bad JSON") for p in problems)
    assert any(p.startswith(f"{path}:3: example id 'demo:1' already used at {path}:1") for p in problems)


def test_load_examples_refuses_files_with_problems(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="bad.jsonl:1"):
        load_examples(path)


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes("Tổng".encode("utf-16"))
    problems = [str(p) for p in validate_path(path)[1]]
    assert problems and "UTF-8" in problems[0]


def test_shipped_annotations_validate_cleanly():
    examples, problems = validate_path(ANNOTATIONS)
    assert problems == []
    assert len(examples) == 708


def test_annotation_counts_are_those_the_readme_states(corpus_examples):
    paragraphs = Counter(e.doc_id for e in corpus_examples)
    labels = {doc: Counter() for doc in paragraphs}
    relations = Counter()
    for example in corpus_examples:
        labels[example.doc_id].update(e.label for e in example.entities)
        relations.update(r.type for r in example.relations)
    assert {doc: (paragraphs[doc], dict(labels[doc])) for doc in paragraphs} == README_COUNTS
    assert dict(relations) == README_RELATIONS


def test_dataset_dict_splits_by_report():
    from vnreport_ie.training.data import load_dataset

    dataset = load_dataset(ANNOTATIONS, test_docs=["caoloc-2023-02"], validation_docs=["binhgia-2024-04"])
    assert dataset.num_rows == {"train": 557, "validation": 80, "test": 71}
    assert set(dataset["test"]["doc"]) == {"caoloc-2023-02"}
    assert not set(dataset["train"]["doc"]) & {"caoloc-2023-02", "binhgia-2024-04"}


def test_dataset_rows_round_trip_to_examples(corpus_examples):
    from vnreport_ie.training.data import dataset_row_to_example, examples_to_dataset_dict

    dataset = examples_to_dataset_dict(corpus_examples, test_docs=["caoloc-2023-02"])
    originals = {e.id: e for e in corpus_examples}
    for row in dataset["test"]:
        back = dataset_row_to_example(row)
        original = originals[back.id]
        assert (back.text, back.entities, back.relations, back.meta) == (original.text, original.entities, original.relations, original.meta)


def test_split_naming_an_unknown_report_is_an_error(corpus_examples):
    from vnreport_ie.training.data import examples_to_dataset_dict

    with pytest.raises(ValueError, match="not in the annotations"):
        examples_to_dataset_dict(corpus_examples, test_docs=["hanoi-2030"])


def test_doccano_to_spacy_to_doccano_round_trip(blank_nlp, corpus_examples, tmp_path):
    from vnreport_ie.io.batch import doc_to_doccano
    from vnreport_ie.io.reports import Paragraph
    from vnreport_ie.training.scoring import gold_prediction
    from vnreport_ie.training.data import to_spacy_examples

    sample = [e for e in corpus_examples if e.entities][:60]
    data = to_spacy_examples(blank_nlp, sample)
    misaligned_ids = {p.path for p in data.misaligned}
    for annotated, example in zip(sample, data.examples):
        if annotated.id in misaligned_ids:
            continue
        row = doc_to_doccano(Paragraph(annotated.id, annotated.text, annotated.meta), example.reference)
        path = tmp_path / "one.jsonl"
        path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
        (_, back, problems), = list(read_jsonl(path))
        assert problems == []
        assert sorted(gold_prediction(back).entities) == sorted(gold_prediction(annotated).entities)
        assert sorted(gold_prediction(back).relations) == sorted(gold_prediction(annotated).relations)


def test_spans_off_token_boundaries_are_reported_not_dropped(blank_nlp):
    from vnreport_ie.io.annotations import AnnotatedExample, Entity
    from vnreport_ie.training.data import to_spacy_examples

    text = "ngày 10/03/2023580.277 triệu đồng"
    start = text.index("580.277")
    example = AnnotatedExample("glued:1", text, [Entity(0, start, len(text), "MONEY")])
    data = to_spacy_examples(blank_nlp, [example])
    assert len(data.misaligned) == 1 and "does not fall on token boundaries" in data.misaligned[0].message
    reference = data.examples[0].reference
    assert [t.ent_iob_ for t in reference][-3:] == ["", "", ""]  # unknown, not "outside"


def test_write_then_read_keeps_everything(corpus_examples, tmp_path):
    path = tmp_path / "copy.jsonl"
    write_jsonl(corpus_examples[:50], path)
    assert [e.to_dict() for e in load_examples(path)] == [e.to_dict() for e in corpus_examples[:50]]
