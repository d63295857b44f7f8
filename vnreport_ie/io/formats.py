"""Import and export annotations for Label Studio (JSON) and brat (standoff .txt + .ann).

Both importers return ``(examples, problems)`` like :func:`vnreport_ie.io.annotations.validate_path`:
every item that cannot be converted is left out *and* reported as a
:class:`~vnreport_ie.io.annotations.Problem`, and every converted example is checked
with :func:`~vnreport_ie.io.annotations.validate_example`. Converted examples number
their entities 0..n-1 in order of start offset and their relations 0..m-1 in
file order, so ``read(write(examples))`` gives the examples back when their
ids already follow that order (as the guide's files do).

The exporters write whatever the target tool can show, valid or not, so that
annotations can be corrected there; they raise ``ValueError`` only for what
the format cannot hold (a relation to a missing entity, offsets outside the
text, a paragraph that is not one line).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vnreport_ie.io.annotations import (
    ENTITY_LABELS,
    RELATION_TYPES,
    AnnotatedExample,
    Entity,
    Relation,
    Problem,
    paragraphs_of,
    validate_example,
)

# ---------------------------------------------------------------- Label Studio

LABEL_STUDIO_FROM_NAME = "label"  # the <Labels name="label"> control of the labelling config
LABEL_STUDIO_TO_NAME = "text"  # the <Text name="text" value="$text"> object it labels
LABEL_STUDIO_OWN_DATA_KEYS = ("text", "id", "meta")  # other data keys are kept in meta ("doc", "paragraph", ...)


def label_studio_config() -> str:
    """The labelling config (XML) of a Label Studio project that imports and exports what this module writes."""
    relation_tags = "".join(f'<Relation value="{relation_type}"/>' for relation_type in RELATION_TYPES)
    label_tags = "".join(f'<Label value="{label}"/>' for label in ENTITY_LABELS)
    return (
        f"<View><Relations>{relation_tags}</Relations>"
        f'<Labels name="{LABEL_STUDIO_FROM_NAME}" toName="{LABEL_STUDIO_TO_NAME}">{label_tags}</Labels>'
        f'<Text name="{LABEL_STUDIO_TO_NAME}" value="$text"/></View>'
    )


def read_label_studio(path: str | Path) -> tuple[list[AnnotatedExample], list[Problem]]:
    """Read a Label Studio JSON export; returns the examples and every problem (line = task number)."""
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        return [], [Problem(where, 0, f"cannot read: {error.strerror or error}")]
    except UnicodeDecodeError as error:
        return [], [Problem(where, 0, f"not UTF-8 text ({error.reason} at byte {error.start}): save the file as UTF-8")]
    try:
        tasks = json.loads(raw)
    except json.JSONDecodeError as error:
        message = f"bad JSON: {error.msg} at line {error.lineno} column {error.colno} of the file"
        return [], [Problem(where, error.lineno, message)]
    if not isinstance(tasks, list):
        message = f"expected a JSON list of tasks (Label Studio's 'JSON' export), got a {type(tasks).__name__}"
        return [], [Problem(where, 0, message)]
    examples: list[AnnotatedExample] = []
    problems: list[Problem] = []
    first_task_of_id: dict[str, int] = {}
    for number, task in enumerate(tasks, start=1):
        example, messages = _example_from_task(task, number)
        if example is not None and example.id in first_task_of_id:
            messages.append(f"example id {example.id!r} already used by task {first_task_of_id[example.id]}")
        problems.extend(Problem(where, number, f"task {number}: {message}") for message in messages)
        if example is not None:
            first_task_of_id.setdefault(example.id, number)
            examples.append(example)
    return examples, problems


def write_label_studio(
    examples: Iterable[AnnotatedExample],
    path: str | Path,
    as_predictions: bool = False,
    model_version: str | None = None,
) -> int:
    """Write examples as a Label Studio JSON import (annotations, or predictions); returns the task count."""
    if model_version is not None and not as_predictions:
        raise ValueError("model_version is only written with as_predictions=True (annotations have no model version)")
    tasks = [_task_from_example(example, as_predictions, model_version) for example in examples]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(tasks)


def _example_from_task(task: Any, number: int) -> tuple[AnnotatedExample | None, list[str]]:
    """Convert one exported task; returns the example (None when skipped) and the problems found."""
    if not isinstance(task, dict):
        return None, [f"expected a task object, got {type(task).__name__}: task skipped"]
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        hint = " (is this a JSON-MIN export? export as 'JSON')" if "text" in task else ""
        return None, [f"missing or non-string data.text: task skipped{hint}"]
    text: str = data["text"]
    messages: list[str] = []
    meta = _meta_from_task_data(data, messages)
    if data.get("id") is not None:
        example_id = str(data["id"])
    elif task.get("id") is not None:
        example_id = f"labelstudio:{task['id']}"
    else:
        example_id = f"labelstudio:#{number}"
        messages.append(f"no data.id and no task id: example id set to {example_id!r}")
    result, source = _chosen_result(task, messages)
    if result is None:
        return None, messages
    entities, relations = _annotations_from_result(result, text, source, messages)
    # validate with Label Studio's region ids so that messages point into the export
    example = AnnotatedExample(example_id, text, entities, relations, meta)
    messages.extend(f"{source}: {message}" for message in validate_example(example))
    return _renumbered(example), messages


def _meta_from_task_data(data: dict[str, Any], messages: list[str]) -> dict[str, Any]:
    """data.meta plus every other data key (doc, paragraph, ...) that is not text or id."""
    meta: dict[str, Any] = {}
    raw_meta = data.get("meta", {})
    if isinstance(raw_meta, dict):
        meta.update(raw_meta)
    else:
        messages.append(f"data.meta must be an object, got {raw_meta!r}: kept as meta['meta']")
        meta["meta"] = raw_meta
    for key, value in data.items():
        if key in LABEL_STUDIO_OWN_DATA_KEYS:
            continue
        if key in meta and meta[key] != value:
            messages.append(f"data.{key} = {value!r} but data.meta.{key} = {meta[key]!r}: kept data.meta.{key}")
            continue
        meta[key] = value
    return meta


def _chosen_result(task: dict[str, Any], messages: list[str]) -> tuple[list[Any] | None, str]:
    """The result list of the last non-cancelled annotation, else of the last prediction."""
    annotations = task.get("annotations") or []
    predictions = task.get("predictions") or []
    if not isinstance(annotations, list) or not isinstance(predictions, list):
        messages.append("'annotations' and 'predictions' must be lists: task skipped")
        return None, ""
    # Label Studio's own JSON export lists a task's predictions by id ("predictions": [4]), not as objects
    prediction_ids = [p for p in predictions if _is_int(p)]
    predictions = [p for p in predictions if not _is_int(p)]
    for kind, items in (("annotation", annotations), ("prediction", predictions)):
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                messages.append(f"{kind}s[{index}] is not an object ({item!r}): ignored")
    if annotations:
        kind, candidates = "annotation", [a for a in annotations if isinstance(a, dict)]
        usable = [a for a in candidates if not a.get("was_cancelled")]
        if not usable:
            messages.append(f"all {len(annotations)} annotation(s) were cancelled or malformed: task skipped")
            return None, ""
    elif predictions:
        kind, candidates = "prediction", [p for p in predictions if isinstance(p, dict)]
        usable = candidates
        if not usable:
            messages.append("no usable prediction: task skipped")
            return None, ""
    elif prediction_ids:
        messages.append(
            f"no annotation, only prediction id(s) {', '.join(map(str, prediction_ids))} (an export lists predictions "
            "by id, without their regions): task skipped; submit the task in Label Studio to save it as an annotation"
        )
        return None, ""
    else:
        messages.append("no annotation and no prediction: task skipped (annotate it or export only annotated tasks)")
        return None, ""
    chosen = usable[-1]
    source = f"{kind} {chosen.get('id', len(usable))}"
    if len(usable) > 1:
        ignored = ", ".join(str(item.get("id", "?")) for item in usable[:-1])
        messages.append(f"{len(usable)} usable {kind}s: used the last one ({source}), ignored id(s) {ignored}")
    result = chosen.get("result")
    if not isinstance(result, list):
        messages.append(f"{source} has no 'result' list: task skipped")
        return None, source
    return result, source


def _annotations_from_result(
    result: list[Any], text: str, source: str, messages: list[str]
) -> tuple[list[Entity], list[Relation]]:
    """Entities (id = region id) and relations (id = result index) of one annotation's result."""
    entities: dict[str, Entity] = {}
    dropped: set[str] = set()
    relation_items: list[tuple[int, dict[str, Any]]] = []
    for index, item in enumerate(result):
        where = f"{source}, result[{index}]"
        if not isinstance(item, dict):
            messages.append(f"{where}: expected an object, got {item!r}: dropped")
            continue
        kind = item.get("type")
        if kind == "relation":
            relation_items.append((index, item))
            continue
        if kind != "labels":
            messages.append(f"{where}: unsupported result type {kind!r} (only 'labels' and 'relation'): dropped")
            continue
        region_id = str(item["id"]) if item.get("id") is not None else f"result[{index}]"
        if region_id in entities or region_id in dropped:
            messages.append(f"{where}: region id {region_id!r} is used twice: second region dropped")
            continue
        entity, problem = _entity_from_region(item.get("value"), region_id, text)
        if problem:
            messages.append(f"{where}: {problem}")
        if entity is None:
            dropped.add(region_id)
        else:
            entities[region_id] = entity
    relations: list[Relation] = []
    for index, item in relation_items:
        relation, problem = _relation_from_item(item, f"result[{index}]", entities, dropped)
        if problem:
            messages.append(f"{source}, result[{index}]: {problem}")
        if relation is not None:
            relations.append(relation)
    return list(entities.values()), relations


def _entity_from_region(value: Any, region_id: str, text: str) -> tuple[Entity | None, str | None]:
    """One labelled region as an entity (None when dropped) and the problem with it, if any."""
    if not isinstance(value, dict):
        return None, f"region {region_id!r} has no 'value' object: dropped"
    start, end = value.get("start"), value.get("end")
    if not _is_int(start) or not _is_int(end):
        return None, (
            f"region {region_id!r}: start/end {start!r}, {end!r} are not character offsets "
            "(label a <Text> object, not HyperText or Paragraphs): dropped"
        )
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        return None, f"region {region_id!r} ({start}-{end}) has no label: dropped"
    label = str(labels[0])
    where = f"region {region_id!r} ({label} {start}-{end})"
    problem = None
    if len(labels) > 1:
        problem = f"{where} has several labels {labels!r}: kept {label!r}, dropped the others"
    if label not in ENTITY_LABELS:
        return None, f"{where}: unknown label {label!r} (known: {', '.join(ENTITY_LABELS)}): dropped"
    if not 0 <= start < end <= len(text):
        return None, f"{where}: offsets out of range for a text of {len(text)} characters: dropped"
    span = text[start:end]
    if "text" in value and value["text"] != span:
        return None, (
            f"{where}: the export says the span is {value['text']!r} but data.text has {span!r} "
            "at those offsets (was the text edited after labelling?): dropped"
        )
    return Entity(region_id, start, end, label), problem


def _relation_from_item(
    item: dict[str, Any], relation_id: str, entities: dict[str, Entity], dropped: set[str]
) -> tuple[Relation | None, str | None]:
    """One relation result as a relation from the figure (None when dropped) and its problem, if any."""
    from_id, to_id = item.get("from_id"), item.get("to_id")
    from_id = None if from_id is None else str(from_id)
    to_id = None if to_id is None else str(to_id)
    where = f"relation {from_id!r} -> {to_id!r}"
    labels = item.get("labels")
    if not isinstance(labels, list) or not labels:
        return None, f"{where} has no label (its relation type): dropped"
    relation_type = str(labels[0])
    problem = None
    if len(labels) > 1:
        problem = f"{where} has several labels {labels!r}: kept {relation_type!r}, dropped the others"
    if relation_type not in RELATION_TYPES:
        return None, f"{where}: unknown relation type {relation_type!r} (known: {', '.join(RELATION_TYPES)}): dropped"
    direction = item.get("direction", "right")
    if direction == "left":
        from_id, to_id = to_id, from_id
    elif direction == "bi":
        return None, (
            f"{where} ({relation_type}) is bidirectional: relations go from the figure; set its direction: dropped"
        )
    elif direction != "right":
        return None, f"{where} ({relation_type}): unknown direction {direction!r}: dropped"
    for end_id in (from_id, to_id):
        if end_id in dropped:
            return None, f"{where} ({relation_type}): region {end_id!r} was dropped (see above): dropped"
        if end_id not in entities:
            return None, f"{where} ({relation_type}): no region with id {end_id!r}: dropped"
    return Relation(relation_id, from_id, to_id, relation_type), problem


def _task_from_example(example: AnnotatedExample, as_predictions: bool, model_version: str | None) -> dict[str, Any]:
    """One Label Studio task holding the example's text, id, meta and annotations."""
    _check_offsets_and_references(example)
    region_ids = [str(entity.id) for entity in example.entities]
    if len(set(region_ids)) != len(region_ids):
        raise ValueError(f"example {example.id}: entity ids {region_ids} are not unique as strings (region ids)")
    result: list[dict[str, Any]] = []
    for entity in example.entities:
        value = {"start": entity.start, "end": entity.end, "text": example.span_text(entity), "labels": [entity.label]}
        result.append(
            {
                "id": str(entity.id),
                "from_name": LABEL_STUDIO_FROM_NAME,
                "to_name": LABEL_STUDIO_TO_NAME,
                "type": "labels",
                "value": value,
            }
        )
    for relation in example.relations:
        result.append(
            {
                "from_id": str(relation.from_id),
                "to_id": str(relation.to_id),
                "type": "relation",
                "direction": "right",
                "labels": [relation.type],
            }
        )
    task: dict[str, Any] = {"data": {"text": example.text, "id": example.id, "meta": example.meta}}
    if as_predictions:
        prediction: dict[str, Any] = {"result": result}
        if model_version is not None:
            prediction["model_version"] = model_version
        task["predictions"] = [prediction]
    else:
        task["annotations"] = [{"result": result}]
    return task


# ---------------------------------------------------------------- brat standoff

# e.g. "MONEY 78 95", or the discontinuous "MONEY 0 5;7 10"
BRAT_TEXT_BOUND = re.compile(r"^(?P<label>\S+) (?P<spans>\d+ \d+(?:;\d+ \d+)*)$")
BRAT_RELATION = re.compile(r"^(?P<type>\S+) (?P<args>\S+:\S+(?: \S+:\S+)*)$")  # e.g. "indicator Arg1:T2 Arg2:T1"
BRAT_UNSUPPORTED = {  # first character of an .ann line -> what brat calls it
    "#": "note (AnnotatorNotes)",
    "A": "attribute",
    "M": "attribute (modification)",
    "N": "normalization",
    "E": "event",
    "*": "equivalence",
}


def read_brat(
    txt_path: str | Path, ann_path: str | Path | None = None, doc_id: str | None = None
) -> tuple[list[AnnotatedExample], list[Problem]]:
    """Read one brat report (.txt + .ann) as one example per non-empty line; returns examples and problems."""
    txt_path = Path(txt_path)
    ann_path = Path(ann_path) if ann_path is not None else txt_path.with_suffix(".ann")
    doc_id = doc_id or txt_path.stem
    problems: list[Problem] = []
    text = _read_text(txt_path, problems)
    ann = _read_text(ann_path, problems)
    if text is None or ann is None:
        return [], problems
    paragraphs = {example.meta["paragraph"]: example for example in paragraphs_of(text, doc_id)}
    lines = text.split("\n")
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)

    ann_where = str(ann_path)
    # brat id -> (paragraph line, entity with relative offsets and id = brat id)
    entities: dict[str, tuple[int, Entity]] = {}
    dropped: set[str] = set()
    relation_lines: list[tuple[int, str, str]] = []
    seen_ids: set[str] = set()
    for number, raw_line in enumerate(ann.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        brat_id = fields[0]
        if brat_id[:1] in BRAT_UNSUPPORTED:
            kind = BRAT_UNSUPPORTED[brat_id[:1]]
            message = f"{brat_id}: unsupported {kind} line (only T entities and R relations are imported): dropped"
            problems.append(Problem(ann_where, number, message))
            continue
        if brat_id[:1] not in ("T", "R") or len(fields) < 2:
            problems.append(Problem(ann_where, number, f"unrecognised line {line!r}: dropped"))
            continue
        if brat_id in seen_ids:
            problems.append(Problem(ann_where, number, f"{brat_id}: id already used above: dropped"))
            continue
        seen_ids.add(brat_id)
        if brat_id.startswith("R"):
            relation_lines.append((number, brat_id, fields[1]))
            continue
        located, problem = _brat_entity(brat_id, fields, text, lines, line_starts)
        if problem:
            problems.append(Problem(ann_where, number, problem))
        if located is not None and located[0] not in paragraphs:
            message = f"{brat_id}: line {located[0]} of the .txt is blank, so it is no paragraph: dropped"
            problems.append(Problem(ann_where, number, message))
            located = None
        if located is None:
            dropped.add(brat_id)
        else:
            entities[brat_id] = located

    relations_by_line: dict[int, list[Relation]] = {}
    for number, brat_id, body in relation_lines:
        located_relation, problem = _brat_relation(brat_id, body, entities, dropped)
        if problem:
            problems.append(Problem(ann_where, number, problem))
        if located_relation is not None:
            line_number, relation = located_relation
            relations_by_line.setdefault(line_number, []).append(relation)

    entities_by_line: dict[int, list[Entity]] = {}
    for line_number, entity in entities.values():
        entities_by_line.setdefault(line_number, []).append(entity)
    examples = []
    for line_number, paragraph in paragraphs.items():
        example = AnnotatedExample(
            paragraph.id,
            paragraph.text,
            entities_by_line.get(line_number, []),
            relations_by_line.get(line_number, []),
            paragraph.meta,
        )
        # validate with brat ids so that messages point into the .ann file
        for message in validate_example(example):
            where = f"line {line_number} (offsets within the line)"
            problems.append(Problem(str(txt_path), line_number, f"{where}: {message}"))
        examples.append(_renumbered(example))
    return examples, problems


def write_brat(examples: Iterable[AnnotatedExample], txt_path: str | Path, ann_path: str | Path) -> None:
    """Write the examples of one report as brat standoff: paragraph N on line N of the .txt, spans in the .ann."""
    examples = list(examples)
    if not examples:
        raise ValueError("no examples to write: a brat document is one report")
    doc_ids = sorted({example.doc_id for example in examples})
    if len(doc_ids) > 1:
        raise ValueError(f"examples of several reports ({', '.join(doc_ids)}): write one brat document per report")
    by_paragraph: dict[int, AnnotatedExample] = {}
    for example in examples:
        paragraph = example.meta.get("paragraph")
        if not _is_int(paragraph) or paragraph < 1:
            raise ValueError(
                f"example {example.id}: meta['paragraph'] must be the 1-based line number, got {paragraph!r}"
            )
        if paragraph in by_paragraph:
            raise ValueError(f"examples {by_paragraph[paragraph].id} and {example.id} are both paragraph {paragraph}")
        if "\n" in example.text or "\r" in example.text or not example.text.strip():
            raise ValueError(f"example {example.id}: a paragraph is one non-blank line, got {example.text!r}")
        _check_offsets_and_references(example)
        if len({entity.id for entity in example.entities}) != len(example.entities):
            raise ValueError(f"example {example.id}: entity ids are not unique, so relations are ambiguous")
        by_paragraph[paragraph] = example
    lines = [""] * max(by_paragraph)
    for paragraph, example in by_paragraph.items():
        lines[paragraph - 1] = example.text
    ann_lines: list[str] = []
    line_start = 0
    entity_count = relation_count = 0
    for paragraph, line in enumerate(lines, start=1):
        example = by_paragraph.get(paragraph)
        if example is not None:
            brat_ids: dict[int | str, str] = {}
            for entity in sorted(example.entities, key=lambda e: (e.start, e.end)):
                entity_count += 1
                brat_ids[entity.id] = f"T{entity_count}"
                start, end = line_start + entity.start, line_start + entity.end
                ann_lines.append(f"T{entity_count}\t{entity.label} {start} {end}\t{example.span_text(entity)}")
            for relation in example.relations:
                relation_count += 1
                head, tail = brat_ids[relation.from_id], brat_ids[relation.to_id]
                ann_lines.append(f"R{relation_count}\t{relation.type} Arg1:{head} Arg2:{tail}")
        line_start += len(line) + 1
    outputs = ((Path(txt_path), "\n".join(lines) + "\n"), (Path(ann_path), "".join(f"{a}\n" for a in ann_lines)))
    for path, content in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:  # "\n" kept as is: offsets count it once
            handle.write(content)


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text with line ends untouched (brat offsets count "\\r"), or None after a problem."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as error:
        problems.append(Problem(str(path), 0, f"cannot read: {error.strerror or error}"))
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text ({error.reason} at byte {error.start}): save the file as UTF-8"
        problems.append(Problem(str(path), 0, message))
    return None


def _brat_entity(
    brat_id: str, fields: list[str], text: str, lines: list[str], line_starts: list[int]
) -> tuple[tuple[int, Entity] | None, str | None]:
    """A T line as (paragraph line, entity with offsets within that line), or None and the problem."""
    match = BRAT_TEXT_BOUND.match(fields[1])
    if match is None:
        return None, f"{brat_id}: expected 'LABEL START END', got {fields[1]!r}: dropped"
    label, spans = match["label"], match["spans"]
    if ";" in spans:
        return None, f"{brat_id} ({label} {spans}): discontinuous span (a span is contiguous): dropped"
    start, end = (int(offset) for offset in spans.split(" "))
    where = f"{brat_id} ({label} {start}-{end})"
    if label not in ENTITY_LABELS:
        return None, f"{where}: unknown label {label!r} (known: {', '.join(ENTITY_LABELS)}): dropped"
    if not start < end <= len(text):
        return None, f"{where}: offsets out of range for a .txt of {len(text)} characters: dropped"
    span = text[start:end]
    if len(fields) > 2 and fields[2] != span:
        return None, f"{where}: the .ann says {fields[2]!r} but the .txt has {span!r} at those offsets: dropped"
    index = bisect.bisect_right(line_starts, start) - 1
    line_start = line_starts[index]
    line_end = line_start + len(lines[index].rstrip("\r"))
    if end > line_end:
        last = bisect.bisect_right(line_starts, end - 1)
        return None, f"{where}: span crosses a line break (lines {index + 1}-{last}): one example is one line: dropped"
    return (index + 1, Entity(brat_id, start - line_start, end - line_start, label)), None


def _brat_relation(
    brat_id: str, body: str, entities: dict[str, tuple[int, Entity]], dropped: set[str]
) -> tuple[tuple[int, Relation] | None, str | None]:
    """An R line as (paragraph line, relation with brat ids), or None and the problem."""
    match = BRAT_RELATION.match(body)
    arguments = dict(arg.split(":", 1) for arg in match["args"].split(" ")) if match else {}
    if match is None or set(arguments) != {"Arg1", "Arg2"}:
        return None, f"{brat_id}: expected 'TYPE Arg1:T.. Arg2:T..', got {body!r}: dropped"
    relation_type, head, tail = match["type"], arguments["Arg1"], arguments["Arg2"]
    where = f"{brat_id} ({relation_type} {head}->{tail})"
    if relation_type not in RELATION_TYPES:
        return None, f"{where}: unknown relation type {relation_type!r} (known: {', '.join(RELATION_TYPES)}): dropped"
    for end_id in (head, tail):
        if end_id in dropped:
            return None, f"{where}: {end_id} was dropped (see above): dropped"
        if end_id not in entities:
            return None, f"{where}: no entity {end_id} in the .ann: dropped"
    head_line, tail_line = entities[head][0], entities[tail][0]
    if head_line != tail_line:
        return None, f"{where}: links line {head_line} to line {tail_line}; relations stay inside a paragraph: dropped"
    return (head_line, Relation(brat_id, head, tail, relation_type)), None


# ---------------------------------------------------------------- shared


def _renumbered(example: AnnotatedExample) -> AnnotatedExample:
    """The example with entity ids 0..n-1 by start offset and relation ids 0..m-1 in order."""
    order = sorted(range(len(example.entities)), key=lambda i: (example.entities[i].start, example.entities[i].end, i))
    new_ids: dict[int | str, int] = {}
    entities = []
    for new_id, index in enumerate(order):
        entity = example.entities[index]
        new_ids.setdefault(entity.id, new_id)
        entities.append(Entity(new_id, entity.start, entity.end, entity.label))
    relations = [
        Relation(new_id, new_ids.get(r.from_id, r.from_id), new_ids.get(r.to_id, r.to_id), r.type)
        for new_id, r in enumerate(example.relations)
    ]
    return AnnotatedExample(example.id, example.text, entities, relations, dict(example.meta))


def _check_offsets_and_references(example: AnnotatedExample) -> None:
    """Raise ValueError when an entity lies outside the text or a relation names no entity."""
    for entity in example.entities:
        if not 0 <= entity.start < entity.end <= len(example.text):
            raise ValueError(
                f"example {example.id}: entity {entity.id} ({entity.label} {entity.start}-{entity.end}) "
                f"lies outside its text of {len(example.text)} characters"
            )
    entity_ids = {entity.id for entity in example.entities}
    for relation in example.relations:
        for end_id in (relation.from_id, relation.to_id):
            if end_id not in entity_ids:
                raise ValueError(
                    f"example {example.id}: relation {relation.id} ({relation.type}) names no entity {end_id!r}"
                )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
