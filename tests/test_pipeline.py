"""The trained pipeline: training, save/load, relations, records, and the CLI over them."""

from __future__ import annotations

import csv
import io
import json

import pytest
import spacy
from typer.testing import CliRunner

from tests.conftest import ANNOTATIONS
from vnreport_ie.cli import app
from vnreport_ie.pipeline.relations import get_relations

KNOWN = (
    "- Tổng số thu ngân sách nhà nước trên địa bàn huyện ước thực hiện tháng 02 là 28.000 triệu đồng, "
    "lũy kế đến hết tháng 02 là 58.829 triệu đồng đạt 26,15% dự toán tỉnh giao."
)
runner = CliRunner()


def test_small_pipeline_has_every_stage(small_nlp):
    assert small_nlp.pipe_names == [
        "lexical_hints", "tok2vec", "ner", "vnreport_pattern_merge", "vnreport_projects", "vnreport_targets",
        "vnreport_indicators", "vnreport_relations"
    ]  # fmt: skip
    assert set(small_nlp.get_pipe("ner").labels) == {"MONEY", "PERCENT", "COMMUNE", "PROJECT", "TARGET"}


def test_saved_pipeline_loads_with_spacy_load_and_predicts_the_same(small_model_dir, small_nlp):
    reloaded = spacy.load(small_model_dir)
    a, b = small_nlp(KNOWN), reloaded(KNOWN)
    assert [(e.start_char, e.end_char, e.label_) for e in a.ents] == [(e.start_char, e.end_char, e.label_) for e in b.ents]
    assert get_relations(a) == get_relations(b)


def test_relations_link_figures_to_entities_of_the_doc(small_nlp, corpus_examples):
    """Given the gold figures and spans (the slice-trained NER is too weak), the relation stages link them."""
    docs = []
    for example in [e for e in corpus_examples if e.doc_id == "caoloc-2023-02"][:40]:
        doc = small_nlp.make_doc(example.text)
        doc.ents = [doc.char_span(e.start, e.end, label=e.label) for e in example.entities if e.label != "INDICATOR"]
        for name in ("lexical_hints", "vnreport_indicators", "vnreport_relations"):
            doc = small_nlp.get_pipe(name)(doc)
        docs.append(doc)
    seen = 0
    for doc in docs:
        spans = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        for relation in get_relations(doc):
            seen += 1
            assert spans[(relation.head_start, relation.head_end)] in ("MONEY", "PERCENT")
            assert spans[(relation.tail_start, relation.tail_end)] == {
                "indicator": "INDICATOR", "target": "TARGET", "location": "COMMUNE", "project": "PROJECT"
            }[relation.type]
    assert seen > 0


def test_relation_weights_are_stored_as_json(small_model_dir):
    for name in ("vnreport_projects", "vnreport_targets", "vnreport_indicators", "vnreport_relations"):
        files = sorted(p.name for p in (small_model_dir / name).iterdir())
        assert files == ["cfg.json", "model.json"]
        json.loads((small_model_dir / name / "model.json").read_text(encoding="utf-8"))


def test_same_seed_gives_the_same_model(tmp_path, corpus_examples):
    from vnreport_ie.io.annotations import write_jsonl
    from vnreport_ie.training.train import train

    write_jsonl([e for e in corpus_examples if e.doc_id == "caoloc-2023-02"][:25], tmp_path / "a.jsonl")
    first, _ = train(tmp_path, None, max_steps=5, seed=3, stdout=io.StringIO())
    second, _ = train(tmp_path, None, max_steps=5, seed=3, stdout=io.StringIO())
    assert first.get_pipe("ner").model.to_bytes() == second.get_pipe("ner").model.to_bytes()
    assert first.get_pipe("vnreport_relations").models.keys() == second.get_pipe("vnreport_relations").models.keys()


def test_training_refuses_annotations_with_problems(tmp_path):
    from vnreport_ie.io.annotations import AnnotationError
    from vnreport_ie.training.train import train

    (tmp_path / "bad.jsonl").write_text('{"id": "x:1", "text": "a", "entities": [{"start_offset": 0, "end_offset": 5, "label": "MONEY"}]}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match="bad.jsonl:1"):
        train(tmp_path, None, max_steps=1, stdout=io.StringIO())


def test_records_of_a_known_paragraph(shipped_nlp):
    from vnreport_ie.api import extract

    records = {r.text: r for r in extract(KNOWN, nlp=shipped_nlp, paragraph_id="caoloc-2023-02:49")}
    assert records["58.829 triệu đồng"].value == 58_829_000_000
    assert records["58.829 triệu đồng"].unit == "VND"
    assert records["26,15%"].value == pytest.approx(26.15)
    assert records["26,15%"].target == "dự toán tỉnh giao"
    assert records["26,15%"].indicator == "Tổng số thu ngân sách nhà nước"
    for record in records.values():
        assert KNOWN[record.start : record.end] == record.text
        assert record.paragraph_id == "caoloc-2023-02:49"


def test_records_of_an_unseen_paragraph(shipped_nlp):
    from vnreport_ie.api import extract

    text = "Tổng chi ngân sách địa phương quý I ước đạt 1.250 triệu đồng, bằng 24,5% dự toán huyện giao."
    records = {r.text: r for r in extract(text, nlp=shipped_nlp)}
    assert records["1.250 triệu đồng"].value == 1_250_000_000
    assert records["24,5%"].value == pytest.approx(24.5)
    assert records["24,5%"].target == "dự toán huyện giao"


def test_extract_many_keeps_order_and_ids(small_nlp):
    from vnreport_ie.api import extract_many

    pairs = [("a:1", KNOWN), ("a:2", ""), ("a:3", "Không có số liệu.")]
    results = list(extract_many(iter(pairs), nlp=small_nlp))
    assert len(results) == 3 and results[1] == [] and all(r.paragraph_id == "a:1" for r in results[0])


def test_cli_validate(tmp_path):
    result = runner.invoke(app, ["validate", str(ANNOTATIONS)])
    assert result.exit_code == 0 and "708 examples, 0 problems" in result.output
    (tmp_path / "bad.jsonl").write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 1 and "bad.jsonl:1: bad JSON" in result.output


def test_cli_convert_round_trip(tmp_path):
    source = ANNOTATIONS / "caoloc-2023-02.jsonl"
    assert runner.invoke(app, ["convert", str(source), "--to", "label-studio", "-o", str(tmp_path / "ls.json")]).exit_code == 0
    assert runner.invoke(app, ["convert", str(tmp_path / "ls.json"), "--to", "doccano", "-o", str(tmp_path / "back.jsonl")]).exit_code == 0
    from vnreport_ie.io.annotations import load_examples
    from vnreport_ie.training.scoring import gold_prediction

    before, after = load_examples(source), load_examples(tmp_path / "back.jsonl")
    assert [sorted(gold_prediction(e).entities) for e in before] == [sorted(gold_prediction(e).entities) for e in after]


def test_cli_extract_formats(tmp_path, small_model_dir):
    report = tmp_path / "report.txt"
    report.write_text(KNOWN + "\n\nKhông có số liệu.\n", encoding="utf-8")
    for fmt in ("csv", "jsonl", "doccano"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["extract", str(report), "--format", fmt, "-o", str(out), "--model", str(small_model_dir), "--no-progress"])
        assert result.exit_code == 0, result.output
        content = out.read_text(encoding="utf-8")
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(content)))
            assert all(r["paragraph_id"] == "report:1" for r in rows)
        elif fmt == "doccano":
            lines = [json.loads(line) for line in content.splitlines()]
            assert [line["id"] for line in lines] == ["report:1", "report:3"] and lines[0]["text"] == KNOWN


def test_cli_extract_missing_file_is_one_line():
    result = runner.invoke(app, ["extract", "no/such/file.txt"])
    assert result.exit_code != 0
    assert "no such file" in result.output and "Traceback" not in result.output


def test_cli_train_and_evaluate_small(tmp_path, corpus_examples):
    from vnreport_ie.io.annotations import write_jsonl

    write_jsonl([e for e in corpus_examples if e.doc_id == "binhgia-2024-04"][:30], tmp_path / "ann" / "a.jsonl")
    model = tmp_path / "models" / "nested" / "model"  # parents that do not exist yet are made
    result = runner.invoke(app, ["train", str(tmp_path / "ann"), "-o", str(model), "--max-steps", "5"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", str(tmp_path / "ann"), "--model", str(model), "--json", str(tmp_path / "s.json"), "--errors"])
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["scores"]
    assert set(scores) == {"model", "patterns", "underthesea-ner"}
    assert "MONEY" in result.output and "figure records correct" in result.output


def test_cli_train_into_a_file_is_one_line_before_training(tmp_path, corpus_examples):
    from vnreport_ie.io.annotations import write_jsonl

    write_jsonl([e for e in corpus_examples if e.doc_id == "binhgia-2024-04"][:5], tmp_path / "ann" / "a.jsonl")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["train", str(tmp_path / "ann"), "-o", str(blocker / "model"), "--max-steps", "5"])
    assert result.exit_code == 1
    assert "cannot write the model there" in result.output and "Traceback" not in result.output


def test_cli_preannotate_label_studio(tmp_path, small_model_dir):
    report = tmp_path / "r.txt"
    report.write_text(KNOWN + "\n", encoding="utf-8")
    out = tmp_path / "pre.json"
    result = runner.invoke(app, ["preannotate", str(report), "--format", "label-studio", "-o", str(out), "--model", str(small_model_dir)])
    assert result.exit_code == 0, result.output
    from vnreport_ie.io.formats import read_label_studio

    examples, problems = read_label_studio(out)
    assert problems == [] and examples[0].text == KNOWN
