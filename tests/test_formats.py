"""Label Studio and brat import/export: fixtures, round trips, and every problem with its location."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from vnreport_ie.io.annotations import AnnotatedExample, Entity, Relation, validate_path, write_jsonl
from vnreport_ie.io.formats import read_brat, read_label_studio, write_brat, write_label_studio

FIXTURES = Path(__file__).parent / "fixtures"
DOCCANO = FIXTURES / "doccano_examples.jsonl"
LABEL_STUDIO = FIXTURES / "label_studio_export.json"
BRAT_TXT = FIXTURES / "brat" / "report.txt"
BRAT_ANN = FIXTURES / "brat" / "report.ann"
DOC_ID = "demo-2024-q1"

BUDGET = "- Tổng thu ngân sách nhà nước trên địa bàn huyện ước thực hiện quý I là 12.450 triệu đồng, đạt 31,2% dự toán tỉnh giao."


def doccano_examples() -> list[AnnotatedExample]:
    examples, problems = validate_path(DOCCANO)
    assert problems == []
    return examples


def readable(example: AnnotatedExample) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Entities as (label, surface) and relations as (surface, type, surface), to compare by eye."""
    surface = {entity.id: example.span_text(entity) for entity in example.entities}
    entities = [(entity.label, example.span_text(entity)) for entity in example.entities]
    relations = [(surface[r.from_id], r.type, surface[r.to_id]) for r in example.relations]
    return entities, relations


def located(problems: list[Any]) -> list[tuple[str, int, str]]:
    return [(Path(p.path).name, p.line, p.message) for p in problems]


# ---------------------------------------------------------------- fixtures import as expected


def test_label_studio_fixture_imports_as_the_doccano_fixture() -> None:
    examples, problems = read_label_studio(LABEL_STUDIO)
    assert problems == []
    assert examples == doccano_examples()


def test_label_studio_fixture_spans_and_relations() -> None:
    examples, _ = read_label_studio(LABEL_STUDIO)
    budget = examples[1]
    assert budget.id == f"{DOC_ID}:3"
    assert budget.meta == {"doc": DOC_ID, "paragraph": 3}  # data.doc / data.paragraph kept in meta
    assert readable(budget) == (
        [
            ("INDICATOR", "Tổng thu ngân sách nhà nước"),
            ("MONEY", "12.450 triệu đồng"),
            ("PERCENT", "31,2%"),
            ("TARGET", "dự toán tỉnh giao"),
        ],
        [
            ("12.450 triệu đồng", "indicator", "Tổng thu ngân sách nhà nước"),
            ("31,2%", "indicator", "Tổng thu ngân sách nhà nước"),
            ("31,2%", "target", "dự toán tỉnh giao"),
        ],
    )
    assert [e.id for e in budget.entities] == [0, 1, 2, 3]
    assert [r.id for r in budget.relations] == [0, 1, 2]


def test_label_studio_predictions_used_when_no_annotation_and_left_direction_reversed() -> None:
    examples, _ = read_label_studio(LABEL_STUDIO)
    entities, relations = readable(examples[2])
    assert ("PROJECT", "Nâng cấp đường giao thông thôn Khuổi Phầy") in entities
    assert relations[0] == ("2.150 triệu đồng", "indicator", "giá trị giải ngân")  # drawn from the indicator, "left"


def test_brat_fixture_imports_as_the_doccano_fixture() -> None:
    examples, problems = read_brat(BRAT_TXT, BRAT_ANN, doc_id=DOC_ID)
    assert problems == []
    assert examples == doccano_examples()


def test_brat_offsets_are_relative_to_the_line_and_doc_id_defaults_to_the_stem() -> None:
    examples, problems = read_brat(BRAT_TXT)  # .ann found beside the .txt
    assert problems == []
    assert [(e.id, e.meta) for e in examples] == [
        ("report:1", {"doc": "report", "paragraph": 1}),
        ("report:3", {"doc": "report", "paragraph": 3}),
        ("report:5", {"doc": "report", "paragraph": 5}),
    ]
    budget = examples[1]
    assert budget.text == BUDGET
    assert budget.entities[1] == Entity(1, 72, 89, "MONEY")
    assert readable(examples[2])[1] == [
        ("2.150 triệu đồng", "indicator", "giá trị giải ngân"),
        ("2.150 triệu đồng", "project", "Nâng cấp đường giao thông thôn Khuổi Phầy"),
        ("2.150 triệu đồng", "location", "Hòa Sơn"),
        ("43%", "indicator", "giá trị giải ngân"),
        ("43%", "target", "kế hoạch vốn"),
        ("43%", "project", "Nâng cấp đường giao thông thôn Khuổi Phầy"),
    ]


# ---------------------------------------------------------------- round trips


def test_round_trip_doccano_label_studio_doccano(tmp_path: Path) -> None:
    assert write_label_studio(doccano_examples(), tmp_path / "tasks.json") == 3
    examples, problems = read_label_studio(tmp_path / "tasks.json")
    assert problems == []
    write_jsonl(examples, tmp_path / "back.jsonl")
    assert (tmp_path / "back.jsonl").read_text(encoding="utf-8") == DOCCANO.read_text(encoding="utf-8")


def test_round_trip_label_studio_predictions_keep_model_version(tmp_path: Path) -> None:
    write_label_studio(doccano_examples(), tmp_path / "pre.json", as_predictions=True, model_version="rules-v1")
    tasks = json.loads((tmp_path / "pre.json").read_text(encoding="utf-8"))
    assert all("annotations" not in task and task["predictions"][0]["model_version"] == "rules-v1" for task in tasks)
    region = tasks[1]["predictions"][0]["result"][1]
    assert region == {
        "id": "1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 72, "end": 89, "text": "12.450 triệu đồng", "labels": ["MONEY"]},
    }
    examples, problems = read_label_studio(tmp_path / "pre.json")
    assert problems == []
    assert examples == doccano_examples()


def test_round_trip_doccano_brat_doccano(tmp_path: Path) -> None:
    write_brat(doccano_examples(), tmp_path / "doc.txt", tmp_path / "doc.ann")
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8") == BRAT_TXT.read_text(encoding="utf-8")
    examples, problems = read_brat(tmp_path / "doc.txt", tmp_path / "doc.ann", doc_id=DOC_ID)
    assert problems == []
    write_jsonl(examples, tmp_path / "back.jsonl")
    assert (tmp_path / "back.jsonl").read_text(encoding="utf-8") == DOCCANO.read_text(encoding="utf-8")


def test_round_trip_brat_renumbers_entities_by_start_offset(tmp_path: Path) -> None:
    shuffled = AnnotatedExample(
        "r:1",
        BUDGET,
        [Entity("b", 95, 100, "PERCENT"), Entity("a", 2, 29, "INDICATOR")],
        [Relation("x", "b", "a", "indicator")],
        {"doc": "r", "paragraph": 1},
    )
    write_brat([shuffled], tmp_path / "r.txt", tmp_path / "r.ann")
    (example,), problems = read_brat(tmp_path / "r.txt")
    assert problems == []
    assert example.entities == [Entity(0, 2, 29, "INDICATOR"), Entity(1, 95, 100, "PERCENT")]
    assert example.relations == [Relation(0, 1, 0, "indicator")]


# ---------------------------------------------------------------- Label Studio problems, located by task


def region(region_id: str, start: int, end: int, label: str, text: str | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"start": start, "end": end, "labels": [label]}
    value["text"] = BUDGET[start:end] if text is None else text
    return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def relation(from_id: str, to_id: str, label: str | None, direction: str = "right") -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": direction,
            "labels": [] if label is None else [label]}  # fmt: skip


MONEY = region("m", 72, 89, "MONEY")
INDICATOR = region("i", 2, 29, "INDICATOR")


def task(result: list[Any], **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": 7, "data": {"text": BUDGET}, "annotations": [{"id": 1, "result": result}]}
    base.update(overrides)
    return base


LABEL_STUDIO_PROBLEMS = [
    ("missing-text", {"id": 7, "data": {"body": BUDGET}, "annotations": []}, "missing or non-string data.text"),
    ("json-min-export", {"id": 7, "text": BUDGET, "label": []}, "JSON-MIN export"),
    ("unknown-label", task([region("x", 72, 89, "AMOUNT")]), "region 'x' (AMOUNT 72-89): unknown label 'AMOUNT'"),
    ("span-text-mismatch", task([region("m", 72, 89, "MONEY", text="12.450 triệu")]), "the export says the span is '12.450 triệu'"),
    ("offsets-out-of-range", task([region("m", 72, 900, "MONEY", text="")]), "offsets out of range"),
    ("not-character-offsets", task([region("m", "/div[1]", "/div[1]", "MONEY", text="x")]), "are not character offsets"),  # type: ignore[arg-type]
    ("several-labels", task([{**MONEY, "value": {**MONEY["value"], "labels": ["MONEY", "PERCENT"]}}]), "kept 'MONEY', dropped the others"),
    ("duplicate-region-id", task([MONEY, region("m", 95, 100, "PERCENT")]), "region id 'm' is used twice"),
    ("unsupported-result-type", task([{"id": "c", "type": "choices", "value": {"choices": ["ok"]}}]), "unsupported result type 'choices'"),
    ("relation-to-unknown-region", task([MONEY, relation("m", "zz", "indicator")]), "no region with id 'zz'"),
    ("relation-to-dropped-region", task([MONEY, region("x", 2, 29, "NAME"), relation("m", "x", "indicator")]), "region 'x' was dropped (see above)"),
    ("bidirectional-relation", task([MONEY, INDICATOR, relation("m", "i", "indicator", "bi")]), "is bidirectional"),
    ("relation-without-label", task([MONEY, INDICATOR, relation("m", "i", None)]), "has no label (its relation type)"),
    ("unknown-relation-type", task([MONEY, INDICATOR, relation("m", "i", "measures")]), "unknown relation type 'measures'"),
    ("all-annotations-cancelled", task([], annotations=[{"id": 1, "was_cancelled": True, "result": [MONEY]}]), "were cancelled"),
    ("no-annotation-no-prediction", task([], annotations=[], predictions=[]), "no annotation and no prediction"),
    ("several-annotations", task([], annotations=[{"id": 1, "result": [MONEY]}, {"id": 2, "result": []}]), "used the last one (annotation 2), ignored id(s) 1"),
    ("result-not-a-list", task([], annotations=[{"id": 1, "result": None}]), "annotation 1 has no 'result' list"),
    ("guide-reversed-relation", task([MONEY, INDICATOR, relation("i", "m", "indicator")]), "direction reversed: relations go from the figure"),
    ("guide-whitespace-span", task([region("m", 71, 89, "MONEY")]), "starts or ends with whitespace"),
]


@pytest.mark.parametrize("bad_task, expected", [case[1:] for case in LABEL_STUDIO_PROBLEMS], ids=[c[0] for c in LABEL_STUDIO_PROBLEMS])
def test_label_studio_problem_is_reported_with_its_task(tmp_path: Path, bad_task: dict[str, Any], expected: str) -> None:
    good = task([MONEY, INDICATOR, relation("m", "i", "indicator")], id=6)
    path = tmp_path / "export.json"
    path.write_text(json.dumps([good, bad_task], ensure_ascii=False), encoding="utf-8")
    examples, problems = read_label_studio(path)
    assert problems, "expected a problem"
    assert all((p.path, p.line) == (str(path), 2) and p.message.startswith("task 2: ") for p in problems), problems
    assert any(expected in p.message for p in problems), [p.message for p in problems]
    assert examples[0].id == "labelstudio:6" and readable(examples[0])[1] == [
        ("12.450 triệu đồng", "indicator", "Tổng thu ngân sách nhà nước")
    ]


def test_label_studio_bad_json_is_located_at_its_file_line(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[\n  {"id": 1,\n   "data": {"text": "x"}\n  ,,]\n', encoding="utf-8")
    examples, problems = read_label_studio(path)
    assert examples == []
    assert located(problems) == [("export.json", 4, "bad JSON: Expecting property name enclosed in double quotes at line 4 column 4 of the file")]


def test_label_studio_export_that_is_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"data": {"text": BUDGET}}), encoding="utf-8")
    assert located(read_label_studio(path)[1]) == [
        ("export.json", 0, "expected a JSON list of tasks (Label Studio's 'JSON' export), got a dict")
    ]


def test_label_studio_duplicate_example_id_names_the_first_task(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    same = task([], data={"text": BUDGET, "id": "r:3"})
    path.write_text(json.dumps([same, same], ensure_ascii=False), encoding="utf-8")
    assert located(read_label_studio(path)[1]) == [("export.json", 2, "task 2: example id 'r:3' already used by task 1")]


def test_label_studio_data_keys_kept_in_meta_and_conflicts_reported(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    data = {"text": BUDGET, "id": "r:3", "meta": {"doc": "r"}, "doc": "other", "source": "scan.pdf"}
    path.write_text(json.dumps([task([], data=data)], ensure_ascii=False), encoding="utf-8")
    (example,), problems = read_label_studio(path)
    assert example.meta == {"doc": "r", "source": "scan.pdf"}
    assert located(problems) == [("export.json", 1, "task 1: data.doc = 'other' but data.meta.doc = 'r': kept data.meta.doc")]


# ---------------------------------------------------------------- brat problems, located by .ann line

BUDGET_LINE_START = 48  # line 3 of report.txt

BRAT_PROBLEMS = [
    ("note", "#1\tAnnotatorNotes T1\tkiểm tra lại", "#1: unsupported note (AnnotatorNotes) line"),
    ("attribute", "A1\tUncertain T1", "A1: unsupported attribute line"),
    ("modification", "M1\tUncertain T1", "M1: unsupported attribute (modification) line"),
    ("normalization", "N1\tReference T1 Wiki:123\tđồng", "N1: unsupported normalization line"),
    ("event", "E1\tPayment:T1", "E1: unsupported event line"),
    ("equivalence", "*\tEquiv T2 T4", "*: unsupported equivalence line"),
    ("unrecognised-line", "X1\twhatever", "unrecognised line"),
    ("discontinuous-span", "T20\tMONEY 120 126;127 137\t12.450 đồng", "T20 (MONEY 120 126;127 137): discontinuous span"),
    ("span-crosses-line-break", "T20\tINDICATOR 30 52", "T20 (INDICATOR 30-52): span crosses a line break (lines 1-3)"),
    ("span-text-mismatch", "T20\tMONEY 120 137\t12.450 tỷ đồng", "the .ann says '12.450 tỷ đồng' but the .txt has '12.450 triệu đồng'"),
    ("unknown-label", "T20\tAMOUNT 120 137\t12.450 triệu đồng", "T20 (AMOUNT 120-137): unknown label 'AMOUNT'"),
    ("offsets-out-of-range", "T20\tMONEY 120 9999\tx", "offsets out of range"),
    ("malformed-offsets", "T20\tMONEY 120\t12", "expected 'LABEL START END'"),
    ("duplicate-id", "T1\tMONEY 120 137\t12.450 triệu đồng", "T1: id already used above"),
    ("relation-to-unknown-entity", "R20\tindicator Arg1:T1 Arg2:T99", "no entity T99 in the .ann"),
    ("relation-to-dropped-entity", "T20\tNAME 50 77\tTổng thu ngân sách nhà nước\nR20\tindicator Arg1:T1 Arg2:T20", "T20 was dropped (see above)"),
    ("relation-across-paragraphs", "R20\tindicator Arg1:T1 Arg2:T6", "links line 3 to line 5"),
    ("unknown-relation-type", "R20\tmeasures Arg1:T1 Arg2:T2", "unknown relation type 'measures'"),
    ("malformed-relation", "R20\tindicator T1 T2", "expected 'TYPE Arg1:T.. Arg2:T..'"),
]


@pytest.mark.parametrize("bad_lines, expected", [case[1:] for case in BRAT_PROBLEMS], ids=[c[0] for c in BRAT_PROBLEMS])
def test_brat_problem_is_reported_with_its_ann_line(tmp_path: Path, bad_lines: str, expected: str) -> None:
    shutil.copy(BRAT_TXT, tmp_path / "report.txt")
    good = BRAT_ANN.read_text(encoding="utf-8")
    (tmp_path / "report.ann").write_text(good + bad_lines + "\n", encoding="utf-8")
    first_bad_line = good.count("\n") + 1
    examples, problems = read_brat(tmp_path / "report.txt", doc_id=DOC_ID)
    assert any(
        (p.path, p.line) == (str(tmp_path / "report.ann"), first_bad_line + offset) and expected in p.message
        for p in problems
        for offset in range(bad_lines.count("\n") + 1)
    ), [str(p) for p in problems]
    assert examples == doccano_examples()  # everything else still imported


def test_brat_guide_violation_is_located_at_the_txt_line(tmp_path: Path) -> None:
    shutil.copy(BRAT_TXT, tmp_path / "report.txt")
    (tmp_path / "report.ann").write_text(
        "T1\tMONEY 120 137\t12.450 triệu đồng\nT2\tINDICATOR 50 77\tTổng thu ngân sách nhà nước\n"
        "R1\tindicator Arg1:T2 Arg2:T1\t\n",
        encoding="utf-8",
    )
    _, problems = read_brat(tmp_path / "report.txt")
    assert located(problems) == [
        (
            "report.txt",
            3,
            "line 3 (offsets within the line): relation R1 (indicator T2->T1): starts at INDICATOR, but relations "
            "start at MONEY or PERCENT (direction reversed: relations go from the figure)",
        )
    ]


def test_brat_missing_ann_file_is_a_problem(tmp_path: Path) -> None:
    shutil.copy(BRAT_TXT, tmp_path / "report.txt")
    examples, problems = read_brat(tmp_path / "report.txt")
    assert examples == []
    assert [(Path(p.path).name, p.line, p.message) for p in problems] == [
        ("report.ann", 0, "cannot read: No such file or directory")
    ]


def test_brat_offsets_count_carriage_returns(tmp_path: Path) -> None:
    (tmp_path / "crlf.txt").write_bytes("Tiêu đề\r\nđạt 31,2% kế hoạch\r\n".encode())
    (tmp_path / "crlf.ann").write_text("T1\tPERCENT 13 18\t31,2%\n", encoding="utf-8")
    examples, problems = read_brat(tmp_path / "crlf.txt")
    assert problems == []
    assert examples[1].text == "đạt 31,2% kế hoạch" and examples[1].entities == [Entity(0, 4, 9, "PERCENT")]


# ---------------------------------------------------------------- what the writers refuse


def test_write_brat_refuses_examples_of_several_reports(tmp_path: Path) -> None:
    examples = doccano_examples()
    examples[0].meta["doc"] = "another-report"
    with pytest.raises(ValueError, match="several reports"):
        write_brat(examples, tmp_path / "x.txt", tmp_path / "x.ann")


def test_write_brat_refuses_an_example_without_paragraph_number(tmp_path: Path) -> None:
    examples = doccano_examples()
    del examples[1].meta["paragraph"]
    with pytest.raises(ValueError, match=r"meta\['paragraph'\] must be the 1-based line number"):
        write_brat(examples, tmp_path / "x.txt", tmp_path / "x.ann")


def test_write_brat_refuses_a_paragraph_with_a_line_break(tmp_path: Path) -> None:
    example = AnnotatedExample("r:1", "dòng một\ndòng hai", meta={"doc": "r", "paragraph": 1})
    with pytest.raises(ValueError, match="a paragraph is one non-blank line"):
        write_brat([example], tmp_path / "x.txt", tmp_path / "x.ann")


def test_writers_refuse_a_relation_to_a_missing_entity(tmp_path: Path) -> None:
    example = AnnotatedExample("r:1", BUDGET, [Entity(0, 72, 89, "MONEY")], [Relation(0, 0, 9, "indicator")],
                               {"doc": "r", "paragraph": 1})  # fmt: skip
    with pytest.raises(ValueError, match="names no entity 9"):
        write_label_studio([example], tmp_path / "x.json")
    with pytest.raises(ValueError, match="names no entity 9"):
        write_brat([example], tmp_path / "x.txt", tmp_path / "x.ann")


def test_write_label_studio_refuses_model_version_for_annotations(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only written with as_predictions=True"):
        write_label_studio(doccano_examples(), tmp_path / "x.json", model_version="v1")


def test_brat_span_on_a_whitespace_only_line_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("Tiêu đề\n   \nđạt 31,2% kế hoạch\n", encoding="utf-8")
    (tmp_path / "r.ann").write_text("T1\tPERCENT 9 10\t \nT2\tPERCENT 16 21\t31,2%\n", encoding="utf-8")
    examples, problems = read_brat(tmp_path / "r.txt")
    assert located(problems) == [("r.ann", 1, "T1: line 2 of the .txt is blank, so it is no paragraph: dropped")]
    assert [(e.meta["paragraph"], e.entities) for e in examples] == [(1, []), (3, [Entity(0, 4, 9, "PERCENT")])]


# ---------------------------------------------------------------- what Label Studio 1.23 itself writes

# three tasks of Label Studio 1.23.2's own JSON export (tests/test_label_studio_server.py makes the whole one):
# the sample's pre-annotations imported, saved as annotations, exported; "predictions" lists ids, not objects
LABEL_STUDIO_123 = FIXTURES / "label_studio_1.23_export.json"


def test_label_studio_123_export_with_prediction_ids_reads_without_problems() -> None:
    tasks = json.loads(LABEL_STUDIO_123.read_text(encoding="utf-8"))
    assert all(all(isinstance(p, int) for p in task["predictions"]) for task in tasks)
    examples, problems = read_label_studio(LABEL_STUDIO_123)
    assert problems == []
    assert [e.id for e in examples] == ["caoloc-2023-02:3", "caoloc-2023-02:27", "caoloc-2023-02:35"]
    assert [len(e.entities) + len(e.relations) for e in examples] == [0, 5, 13]
    assert examples[1].meta == {"doc": "caoloc-2023-02", "paragraph": 27}
    for example, task in zip(examples, tasks):
        regions = {r["value"]["text"] for r in task["annotations"][0]["result"] if r["type"] == "labels"}
        assert {example.span_text(e) for e in example.entities} == regions


def test_label_studio_task_with_only_prediction_ids_says_to_submit_it(tmp_path: Path) -> None:
    tasks = json.loads(LABEL_STUDIO_123.read_text(encoding="utf-8"))
    tasks[1]["annotations"] = []
    (tmp_path / "export.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    examples, problems = read_label_studio(tmp_path / "export.json")
    assert [e.id for e in examples] == ["caoloc-2023-02:3", "caoloc-2023-02:35"]
    assert [(p.line, p.message) for p in problems] == [
        (2, f"task 2: no annotation, only prediction id(s) {tasks[1]['predictions'][0]} (an export lists predictions "
            "by id, without their regions): task skipped; submit the task in Label Studio to save it as an annotation")
    ]  # fmt: skip
