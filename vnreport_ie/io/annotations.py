"""Annotated examples: read, validate and write the annotation guide's JSONL.

The guide (``annotation-guide.md``) stores one paragraph per line in
doccano's "sequence labeling with relations" export shape. This module
reads and writes that shape, validates every example against the guide
and reports each problem as ``file:line: message``. Label Studio and brat
live in :mod:`vnreport_ie.io.formats`; loading for training (datasets, spaCy
Examples) in :mod:`vnreport_ie.training.data`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnreport_ie.schema import (  # noqa: F401  (the guide's labels, re-exported with the format)
    ENTITY_LABELS,
    FIGURE_LABELS,
    RELATION_TARGET_LABEL,
    RELATION_TYPES,
    SINGLE_VALUED_RELATIONS,
)


@dataclass(frozen=True)
class Entity:
    """A labelled span of an example's text (offsets are code points, end-exclusive)."""

    id: int | str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Relation:
    """A typed link from a figure entity to another entity of the same example."""

    id: int | str
    from_id: int | str
    to_id: int | str
    type: str


@dataclass
class AnnotatedExample:
    """One paragraph with its entities and relations, as the guide stores it."""

    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        """The report this paragraph belongs to (meta.doc, else the id before ':')."""
        return str(self.meta.get("doc") or self.id.rsplit(":", 1)[0])

    def entity(self, entity_id: int | str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(f"example {self.id}: no entity with id {entity_id!r}")

    def span_text(self, entity: Entity) -> str:
        return self.text[entity.start : entity.end]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "entities": [
                {"id": e.id, "start_offset": e.start, "end_offset": e.end, "label": e.label} for e in self.entities
            ],
            "relations": [
                {"id": r.id, "from_id": r.from_id, "to_id": r.to_id, "type": r.type} for r in self.relations
            ],
            "meta": self.meta,
        }


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an annotation file, located as file:line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class AnnotationError(ValueError):
    """Raised when annotations have problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} annotation problem(s):\n{shown}{more}")


# ---------------------------------------------------------------- doccano JSONL


def example_from_dict(data: Any) -> tuple[AnnotatedExample | None, list[str]]:
    """Build an example from a doccano-shaped dict; returns it (or None) and the problems found."""
    if not isinstance(data, dict):
        return None, [f"expected a JSON object, got {type(data).__name__}"]
    problems: list[str] = []
    text = data.get("text")
    if not isinstance(text, str):
        return None, ["missing or non-string 'text'"]
    example_id = data.get("id")
    if example_id is None:
        problems.append("missing 'id'")
        example_id = ""
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        problems.append("'meta' must be an object")
        meta = {}
    entities: list[Entity] = []
    raw_entities = data.get("entities", data.get("label", []))
    if not isinstance(raw_entities, list):
        problems.append("'entities' must be a list")
        raw_entities = []
    for index, raw in enumerate(raw_entities):
        entity, problem = _entity_from_raw(raw, index)
        if problem:
            problems.append(problem)
        if entity is not None:
            entities.append(entity)
    relations: list[Relation] = []
    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        problems.append("'relations' must be a list")
        raw_relations = []
    for index, raw in enumerate(raw_relations):
        if not isinstance(raw, dict) or not {"from_id", "to_id", "type"} <= raw.keys():
            problems.append(f"relation #{index} needs 'from_id', 'to_id' and 'type': {raw!r}")
            continue
        relations.append(Relation(raw.get("id", index), raw["from_id"], raw["to_id"], raw["type"]))
    example = AnnotatedExample(str(example_id), text, entities, relations, dict(meta))
    return example, problems


def _entity_from_raw(raw: Any, index: int) -> tuple[Entity | None, str | None]:
    if isinstance(raw, list) and len(raw) == 3:  # doccano's older [start, end, label] form
        start, end, label = raw
        raw = {"id": index, "start_offset": start, "end_offset": end, "label": label}
    if not isinstance(raw, dict) or not {"start_offset", "end_offset", "label"} <= raw.keys():
        return None, f"entity #{index} needs 'start_offset', 'end_offset' and 'label': {raw!r}"
    start, end = raw["start_offset"], raw["end_offset"]
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return None, f"entity #{index}: offsets must be integers, got {start!r}, {end!r}"
    return Entity(raw.get("id", index), start, end, str(raw["label"])), None


def validate_example(example: AnnotatedExample) -> list[str]:
    """Every way in which ``example`` breaks the annotation guide (empty when it is valid)."""
    problems: list[str] = []
    text = example.text
    if "\n" in text or "\r" in text:
        problems.append("text holds a line break: one example is one paragraph (one line)")
    problems += _duplicate_ids("entity", example.entities, _entity_where)
    for entity in example.entities:
        where = _entity_where(entity)
        if entity.label not in ENTITY_LABELS:
            problems.append(f"{where}: unknown label {entity.label!r} (known: {', '.join(ENTITY_LABELS)})")
        if not 0 <= entity.start < entity.end <= len(text):
            problems.append(f"{where}: offsets out of range for a text of {len(text)} characters")
            continue
        span = text[entity.start : entity.end]
        if span != span.strip():
            problems.append(f"{where}: span {span!r} starts or ends with whitespace")
    ordered = sorted(
        (e for e in example.entities if 0 <= e.start < e.end <= len(text)), key=lambda e: (e.start, e.end)
    )
    for left, right in zip(ordered, ordered[1:]):
        if right.start < left.end:
            problems.append(
                f"entities {left.id} ({left.label} {text[left.start:left.end]!r}) and {right.id} "
                f"({right.label} {text[right.start:right.end]!r}) overlap: spans never overlap or nest"
            )
    by_id = {e.id: e for e in example.entities}
    seen_links: set[tuple] = set()
    single_valued: dict[tuple, int | str] = {}
    problems += _duplicate_ids("relation", example.relations, _relation_where)
    for relation in example.relations:
        where = _relation_where(relation)
        if relation.type not in RELATION_TARGET_LABEL:
            problems.append(f"{where}: unknown relation type {relation.type!r} (known: {', '.join(RELATION_TYPES)})")
            continue
        head, tail = by_id.get(relation.from_id), by_id.get(relation.to_id)
        if head is None or tail is None:
            missing = relation.from_id if head is None else relation.to_id
            problems.append(f"{where}: no entity with id {missing!r}")
            continue
        if head.label not in FIGURE_LABELS:
            reverse = tail.label in FIGURE_LABELS and head.label == RELATION_TARGET_LABEL[relation.type]
            hint = " (direction reversed: relations go from the figure)" if reverse else ""
            problems.append(f"{where}: starts at {head.label}, but relations start at MONEY or PERCENT{hint}")
            continue
        expected = RELATION_TARGET_LABEL[relation.type]
        if tail.label != expected:
            problems.append(f"{where}: a {relation.type} relation ends at {expected}, not {tail.label}")
            continue
        link = (relation.from_id, relation.to_id, relation.type)
        if link in seen_links:
            problems.append(f"{where}: the same relation is given twice")
        seen_links.add(link)
        if relation.type in SINGLE_VALUED_RELATIONS:
            key = (relation.from_id, relation.type)
            if key in single_valued and single_valued[key] != relation.to_id:
                problems.append(f"{where}: figure {relation.from_id} already has a {relation.type} relation")
            single_valued[key] = relation.to_id
    return problems


def _entity_where(entity: Entity) -> str:
    return f"entity {entity.id} ({entity.label} {entity.start}-{entity.end})"


def _relation_where(relation: Relation) -> str:
    return f"relation {relation.id} ({relation.type} {relation.from_id}->{relation.to_id})"


def _duplicate_ids(kind: str, items: Iterable[Entity | Relation], where) -> list[str]:
    """A problem for every item whose id an earlier item of the same kind already has."""
    seen: set[int | str] = set()
    problems = []
    for item in items:
        if item.id in seen:
            problems.append(f"{where(item)}: duplicate {kind} id {item.id!r}")
        seen.add(item.id)
    return problems


def read_jsonl(path: str | Path) -> Iterator[tuple[int, AnnotatedExample | None, list[str]]]:
    """Yield (line number, example or None, problems) for every non-blank line of a JSONL file."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        yield 0, None, [f"cannot read: {error.strerror or error}"]
        return
    with handle:
        line_number = 0
        try:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    yield line_number, None, [f"bad JSON: {error.msg} at column {error.colno}"]
                    continue
                example, problems = example_from_dict(data)
                if example is not None:
                    problems = problems + validate_example(example)
                yield line_number, example, problems
        except UnicodeDecodeError as error:
            yield line_number + 1, None, [f"not UTF-8 text ({error.reason} at byte {error.start}): save the file as UTF-8"]


def annotation_files(path: str | Path) -> list[Path]:
    """The annotation files at ``path``: the file itself, or every *.jsonl below a folder."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*.jsonl") if p.is_file())
    return [path]


def validate_path(path: str | Path) -> tuple[list[AnnotatedExample], list[Problem]]:
    """Read and validate every example at ``path``; returns the examples and all problems."""
    examples: list[AnnotatedExample] = []
    problems: list[Problem] = []
    files = annotation_files(path)
    if not files:
        problems.append(Problem(str(path), 0, "no .jsonl annotation files found"))
    first_seen: dict[str, str] = {}
    for file in files:
        if not file.exists():
            problems.append(Problem(str(file), 0, "no such file"))
            continue
        for line_number, example, messages in read_jsonl(file):
            problems.extend(Problem(str(file), line_number, message) for message in messages)
            if example is None:
                continue
            where = f"{file}:{line_number}"
            if example.id in first_seen:
                problems.append(
                    Problem(str(file), line_number, f"example id {example.id!r} already used at {first_seen[example.id]}")
                )
            first_seen.setdefault(example.id, where)
            examples.append(example)
    return examples, problems


def load_examples(path: str | Path) -> list[AnnotatedExample]:
    """Every example at ``path`` (file or folder); raises AnnotationError listing all problems."""
    examples, problems = validate_path(path)
    if problems:
        raise AnnotationError(problems)
    return examples


# Characters JSON leaves raw but that many line readers (str.splitlines, JavaScript) take for line breaks.
LINE_BREAKS_TO_ESCAPE = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(value) -> str:
    """``value`` as one JSON line: UTF-8 text kept readable, and nothing a line reader could split."""
    return json.dumps(value, ensure_ascii=False).translate(LINE_BREAKS_TO_ESCAPE)


def write_jsonl(examples: Iterable[AnnotatedExample], path: str | Path) -> int:
    """Write examples as the guide's JSONL; returns how many were written."""
    count = 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json_line(example.to_dict()) + "\n")
            count += 1
    return count


def paragraphs_of(text: str, doc_id: str) -> list[AnnotatedExample]:
    """One empty example per non-empty line of a report; paragraph = 1-based line number."""
    examples = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            examples.append(
                AnnotatedExample(f"{doc_id}:{line_number}", line, meta={"doc": doc_id, "paragraph": line_number})
            )
    return examples
