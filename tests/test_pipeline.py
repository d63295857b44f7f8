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


def _linear_models(data: dict) -> list[dict]:
    """The {"weights", "intercept"} objects of a saved component's model.json (one, or one per key; a relation
    type read by the guide's rules, {"reading": "guide"}, has none)."""
    from vnreport_ie.pipeline.relation_linker import GUIDE_READING

    return [data] if "weights" in data else [m for m in data.values() if m is not None and m != GUIDE_READING]


def test_relation_weights_are_stored_as_json(small_model_dir, small_nlp):
    for name in ("vnreport_projects", "vnreport_targets", "vnreport_indicators", "vnreport_relations"):
        files = sorted(p.name for p in (small_model_dir / name).iterdir())
        assert files == ["cfg.json", "model.json"]
        data = json.loads((small_model_dir / name / "model.json").read_text(encoding="utf-8"))
        models = _linear_models(data)
        assert models, name
        for model in models:
            assert isinstance(model["intercept"], float) and len(model["weights"]) >= 5, name
            assert all(isinstance(w, float) for w in model["weights"].values()), name
            assert any(w != 0.0 for w in model["weights"].values()), f"{name}: every weight is zero"
    indicator_models = json.loads((small_model_dir / "vnreport_indicators" / "model.json").read_text(encoding="utf-8"))
    assert set(indicator_models) == {"start", "end"}
    assert set(json.loads((small_model_dir / "vnreport_relations" / "model.json").read_text(encoding="utf-8"))) <= {
        "target", "location", "project"
    }  # fmt: skip


def test_same_seed_gives_the_same_model(tmp_path, corpus_examples):
    from vnreport_ie.io.annotations import write_jsonl
    from vnreport_ie.training.train import train

    write_jsonl([e for e in corpus_examples if e.doc_id == "caoloc-2023-02"][:25], tmp_path / "a.jsonl")
    first, _ = train(tmp_path, None, max_steps=5, seed=3, stdout=io.StringIO())
    second, _ = train(tmp_path, None, max_steps=5, seed=3, stdout=io.StringIO())
    assert first.get_pipe("ner").model.to_bytes() == second.get_pipe("ner").model.to_bytes()
    for name in ("vnreport_relations", "vnreport_indicators", "vnreport_projects", "vnreport_targets"):
        first.get_pipe(name).to_disk(tmp_path / "first" / name)
        second.get_pipe(name).to_disk(tmp_path / "second" / name)
        saved = (tmp_path / "first" / name / "model.json").read_bytes()
        assert saved == (tmp_path / "second" / name / "model.json").read_bytes(), name
        assert len(saved) > 100, name


def _model_files(folder) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_cli_train_seed_reproduces_itself_and_another_seed_differs(tmp_path, corpus_examples):
    from vnreport_ie.io.annotations import write_jsonl

    write_jsonl([e for e in corpus_examples if e.doc_id == "caoloc-2023-02"][:25], tmp_path / "ann" / "a.jsonl")
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        result = runner.invoke(app, ["train", str(tmp_path / "ann"), "-o", str(tmp_path / name), "--seed", seed, "--max-steps", "5"])
        assert result.exit_code == 0, result.output
    a, b, c = (_model_files(tmp_path / name) for name in "abc")
    assert a == b and "ner/model" in a and "vnreport_relations/model.json" in a
    assert a["ner/model"] != c["ner/model"]  # the seed is used
    assert json.loads(a["meta.json"])["vnreport_training"]["seed"] == 7


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


def test_a_figure_of_a_demonstrative_subject_takes_the_indicator_named_before(shipped_nlp):
    from vnreport_ie.api import extract

    text = "Chỉ số sản xuất công nghiệp tháng 9 tăng 5,2%. Chỉ số này cao hơn cùng kỳ 2,1%."
    records = {r.text: r for r in extract(text, nlp=shipped_nlp)}
    assert records["5,2%"].indicator == "Chỉ số sản xuất công nghiệp"
    assert records["2,1%"].indicator == "Chỉ số sản xuất công nghiệp"
    assert records["2,1%"].target == "cùng kỳ"


def test_extract_many_keeps_order_and_ids(small_nlp):
    from vnreport_ie.api import extract_many

    pairs = [("a:1", KNOWN), ("a:2", ""), ("a:3", "Không có số liệu.")]
    results = list(extract_many(iter(pairs), nlp=small_nlp))
    assert len(results) == 3 and results[1] == [] and results[2] == []
    assert [r.text for r in results[0]] == ["28.000 triệu đồng", "58.829 triệu đồng", "26,15%"]
    assert [r.paragraph_id for r in results[0]] == ["a:1"] * 3


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


def test_cli_convert_to_brat_and_back_is_exact(tmp_path):
    from vnreport_ie.io.annotations import load_examples

    source = ANNOTATIONS / "caoloc-2023-02.jsonl"
    result = runner.invoke(app, ["convert", str(source), "--to", "brat", "-o", str(tmp_path / "caoloc-2023-02.txt")])
    assert result.exit_code == 0, result.output
    ann = (tmp_path / "caoloc-2023-02.ann").read_text(encoding="utf-8").splitlines()
    text = (tmp_path / "caoloc-2023-02.txt").read_text(encoding="utf-8")
    before = load_examples(source)
    assert sum(line.startswith("T") for line in ann) == sum(len(e.entities) for e in before) > 100
    assert sum(line.startswith("R") for line in ann) == sum(len(e.relations) for e in before) > 50
    for line in ann:  # every T line's offsets hold its text in the .txt
        if line.startswith("T"):
            _, spec, surface = line.split("\t")
            _, start, end = spec.split(" ")
            assert text[int(start) : int(end)] == surface
    result = runner.invoke(app, ["convert", str(tmp_path / "caoloc-2023-02.txt"), "--to", "doccano", "-o", str(tmp_path / "back.jsonl")])
    assert result.exit_code == 0, result.output
    after = load_examples(tmp_path / "back.jsonl")

    def content(example):
        spans = {e.id: (e.start, e.end, e.label) for e in example.entities}
        relations = sorted((spans[r.from_id], r.type, spans[r.to_id]) for r in example.relations)
        return example.id, example.text, sorted(spans.values()), relations

    assert [content(e) for e in after] == [content(e) for e in before]


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
            assert [(r["paragraph_id"], r["text"], r["value"], r["unit"]) for r in rows] == [
                ("report:1", "28.000 triệu đồng", "28000000000", "VND"),
                ("report:1", "58.829 triệu đồng", "58829000000", "VND"),
                ("report:1", "26,15%", "26.15", "%"),
            ]
            assert all(KNOWN[int(r["start"]) : int(r["end"])] == r["text"] and r["report"] == "report" for r in rows)
        elif fmt == "jsonl":
            records = [json.loads(line) for line in content.splitlines()]
            assert [(r["text"], r["value"], r["label"]) for r in records] == [
                ("28.000 triệu đồng", 28_000_000_000, "MONEY"),
                ("58.829 triệu đồng", 58_829_000_000, "MONEY"),
                ("26,15%", 26.15, "PERCENT"),
            ]
            assert all(isinstance(r["value"], int) for r in records[:2])  # money stays an exact integer
        else:
            lines = [json.loads(line) for line in content.splitlines()]
            assert [line["id"] for line in lines] == ["report:1", "report:3"] and lines[0]["text"] == KNOWN
            figures = {KNOWN[e["start_offset"] : e["end_offset"]] for e in lines[0]["entities"] if e["label"] in ("MONEY", "PERCENT")}
            assert figures == {"28.000 triệu đồng", "58.829 triệu đồng", "26,15%"}


def test_cli_extract_with_two_processes_writes_what_one_process_writes(tmp_path, small_model_dir, corpus_examples):
    folder = tmp_path / "reports"
    folder.mkdir()
    gold_figures = 0
    for doc_id in ("caoloc-2023-02", "binhgia-2024-04"):
        examples = [e for e in corpus_examples if e.doc_id == doc_id][:40]
        gold_figures += sum(1 for e in examples for ent in e.entities if ent.label in ("MONEY", "PERCENT"))
        (folder / f"{doc_id}.txt").write_text("\n".join(e.text for e in examples) + "\n", encoding="utf-8")
    outputs = {}
    for processes in ("1", "2"):
        out = tmp_path / f"p{processes}.csv"
        result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "-p", processes, "--model", str(small_model_dir), "--no-progress"])
        assert result.exit_code == 0, result.output
        outputs[processes] = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(outputs["1"])))
    assert outputs["2"] == outputs["1"]
    assert len(rows) == gold_figures > 40  # the figure shapes are the rules': every gold figure is a row
    assert {r["report"] for r in rows} == {"caoloc-2023-02", "binhgia-2024-04"}
    assert all(r["value"] for r in rows if r["label"] == "MONEY")


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
    assert "IN-SAMPLE scores: the model was trained on 1 of these 1 report(s) (binhgia-2024-04)" in result.output
    gold = [e for e in corpus_examples if e.doc_id == "binhgia-2024-04"][:30]
    for label in ("MONEY", "PERCENT"):  # every figure shape is found by the rules, so the counts are the gold's
        counts = scores["patterns"]["entities"][label]
        assert counts["tp"] + counts["fn"] == sum(1 for e in gold for ent in e.entities if ent.label == label)
    records = scores["model"]["records"]
    assert records["total"] == sum(1 for e in gold for ent in e.entities if ent.label in ("MONEY", "PERCENT")) > 0
    for prf in [*scores["model"]["entities"].values(), *scores["model"]["relations_strict"].values()]:
        if prf["tp"]:
            assert prf["precision"] == round(prf["tp"] / (prf["tp"] + prf["fp"]), 4)
            assert prf["recall"] == round(prf["tp"] / (prf["tp"] + prf["fn"]), 4)


def test_cli_evaluate_the_shipped_model_on_one_report(tmp_path):
    """The values the CLI prints and writes, for the shipped model on a report it was trained on."""
    json_path = tmp_path / "s.json"
    result = runner.invoke(app, ["evaluate", str(ANNOTATIONS / "caoloc-2023-02.jsonl"), "--no-baselines", "--json", str(json_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("note: IN-SAMPLE scores: the model was trained on 1 of these 1 report(s) (caoloc-2023-02)")
    from vnreport_ie.io.annotations import load_examples

    gold = load_examples(ANNOTATIONS / "caoloc-2023-02.jsonl")
    money = sum(1 for e in gold for ent in e.entities if ent.label == "MONEY")
    figures = sum(1 for e in gold for ent in e.entities if ent.label in ("MONEY", "PERCENT"))
    scores = json.loads(json_path.read_text(encoding="utf-8"))["scores"]["model"]
    assert scores["entities"]["MONEY"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": money, "fp": 0, "fn": 0}
    assert scores["records"]["total"] == figures > 30 and scores["records"]["accuracy"] >= 0.9
    assert scores["relations_strict"]["target"]["f1"] >= 0.9
    assert "| MONEY | 1.000 / 1.000 / **1.000** |" in result.output
    records = scores["records"]
    assert f"| figure records correct | {records['accuracy']:.3f} ({records['correct']}/{figures}) |" in result.output


def test_cli_evaluate_a_model_on_reports_it_was_not_trained_on_says_held_out(tmp_path, small_model_dir):
    result = runner.invoke(app, ["evaluate", str(ANNOTATIONS / "chilang-2024-07.jsonl"), "--model", str(small_model_dir), "--no-baselines"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("note: held-out scores: the model was trained on none of these 1 report(s)")


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
    figures = {(KNOWN[e.start : e.end], e.label) for e in examples[0].entities if e.label in ("MONEY", "PERCENT")}
    assert figures == {("28.000 triệu đồng", "MONEY"), ("58.829 triệu đồng", "MONEY"), ("26,15%", "PERCENT")}


def test_cli_preannotate_doccano_is_the_shipped_models_prediction(tmp_path, shipped_nlp):
    report = tmp_path / "r.txt"
    report.write_text("Tiêu đề\n\n" + KNOWN + "\n", encoding="utf-8")
    out = tmp_path / "pre.jsonl"
    result = runner.invoke(app, ["preannotate", str(report), "--format", "doccano", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(line["id"], line["meta"]) for line in lines] == [("r:1", {"doc": "r", "paragraph": 1}), ("r:3", {"doc": "r", "paragraph": 3})]
    known = lines[1]
    spans = {e["id"]: (KNOWN[e["start_offset"] : e["end_offset"]], e["label"]) for e in known["entities"]}
    assert set(spans.values()) >= {
        ("28.000 triệu đồng", "MONEY"), ("58.829 triệu đồng", "MONEY"), ("26,15%", "PERCENT"),
        ("Tổng số thu ngân sách nhà nước", "INDICATOR"), ("dự toán tỉnh giao", "TARGET"),
    }  # fmt: skip
    relations = {(spans[r["from_id"]][0], r["type"], spans[r["to_id"]][0]) for r in known["relations"]}
    assert ("26,15%", "target", "dự toán tỉnh giao") in relations
    assert ("58.829 triệu đồng", "indicator", "Tổng số thu ngân sách nhà nước") in relations
    doc = shipped_nlp(KNOWN)
    assert sorted(spans.values()) == sorted((e.text, e.label_) for e in doc.ents)


def _write_genre_corpus(folder, corpus_examples):
    """A small corpus of three genres (report, newspaper, statistics) made of corpus paragraphs."""
    import dataclasses

    from vnreport_ie.io.annotations import write_jsonl

    labels = lambda e: {ent.label for ent in e.entities}  # noqa: E731
    rich = [e for e in corpus_examples if {"TARGET", "PROJECT", "COMMUNE"} <= labels(e)][:2]
    with_target = [e for e in corpus_examples if "TARGET" in labels(e) and e not in rich]
    # the training side (reports) holds every label the components learn from
    parts = {"report": rich + with_target[:6], "newspaper": with_target[6:14], "statistics": with_target[14:22]}
    for genre, part in parts.items():
        examples = [
            dataclasses.replace(e, id=f"{genre}-doc:{n}", meta={"doc": f"{genre}-doc", "paragraph": n, "genre": genre,
                                                                 "source": "restated"})
            for n, e in enumerate(part, start=1)
        ]
        write_jsonl(examples, folder / f"{genre}.jsonl")


def test_cross_genre_folds_train_one_ner_and_reuse_it_from_the_cache(tmp_path, corpus_examples):
    """The genre folds all train on the reports: with --ner-cache the first fold's NER serves the others."""
    from vnreport_ie.training.evaluation import cross_validate

    _write_genre_corpus(tmp_path / "ann", corpus_examples)
    cache = tmp_path / "cache"
    result = cross_validate(tmp_path / "ann", "genre", max_steps=3, baselines=(), ner_cache=cache, stdout=io.StringIO())
    assert sorted(result.folds) == ["genre-newspaper", "genre-statistics"]
    kept = sorted(p.name for p in (cache / "genre").iterdir() if (p / "meta.json").exists())
    assert kept == ["genre-newspaper"]  # trained once, reused for genre-statistics


def test_evaluate_split_trains_its_folds_with_the_seed_given(tmp_path, corpus_examples):
    """`evaluate --split ... --seed N`: each fold's model is trained with that seed, and the JSON says which."""
    _write_genre_corpus(tmp_path / "ann", corpus_examples)
    out, cache = tmp_path / "scores.json", tmp_path / "cache"
    result = CliRunner().invoke(
        app,
        ["evaluate", str(tmp_path / "ann"), "--split", "genre", "--fold", "genre-newspaper", "--max-steps", "3",
         "--seed", "7", "--ner-cache", str(cache), "--no-baselines", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["split"] == "genre" and scores["seed"] == 7
    meta = json.loads((cache / "genre" / "genre-newspaper" / "meta.json").read_text(encoding="utf-8"))
    assert meta["vnreport_training"]["seed"] == 7


def test_the_items_of_a_breakdown_by_place_share_the_indicator_of_their_total():
    import copy

    from vnreport_ie.api import extract, load
    from vnreport_ie.pipeline.indicator import NAME

    # a ranker that prefers the clause between the total and its items still gives the items the total's name
    nlp = load()
    finder = nlp.get_pipe(NAME)
    finder.end_model = copy.deepcopy(finder.end_model)
    finder.end_model.weights["last=lợi ích"] = 100.0
    text = ("Năm 2020, các huyện được phân bổ 32,360 tỷ đồng, mang lại lợi ích cho 111 xã; cụ thể, Kỳ Sơn 5,8 tỷ "
            "đồng, Tương Dương 11 tỷ đồng, Con Cuông 8,2 tỷ đồng.")
    records = {r.text: r for r in extract(text, nlp=nlp)}
    assert {records[t].indicator for t in ("32,360 tỷ đồng", "5,8 tỷ đồng", "11 tỷ đồng", "8,2 tỷ đồng")} == {"phân bổ"}
