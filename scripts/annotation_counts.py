"""Counts of the annotated corpus per source and genre: documents, paragraphs, entities and relations.

    python scripts/annotation_counts.py [ANNOTATIONS_DIR]

Prints a Markdown table (the one in annotations/README.md); the groups are the examples'
``meta.source`` and ``meta.genre`` (see annotations/SOURCES.md).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from vnreport_ie.io.annotations import load_examples
from vnreport_ie.schema import ENTITY_LABELS, FIGURE_LABELS, RELATION_TYPES


def counts(folder: str) -> dict[tuple[str, str], Counter]:
    """(source, genre) -> counts of documents, paragraphs, labels, relation types, provinces."""
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    provinces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for example in load_examples(folder):
        key = (str(example.meta.get("source", "?")), str(example.meta.get("genre", "?")))
        group = groups[key]
        documents[key].add(example.doc_id)
        provinces[key].add(str(example.meta.get("province", "?")))
        group["paragraphs"] += 1
        group.update(e.label for e in example.entities)
        group.update(r.type for r in example.relations)
        linked = {r.from_id for r in example.relations if r.type == "indicator"}
        group["no indicator"] += sum(1 for e in example.entities if e.label in FIGURE_LABELS and e.id not in linked)
    for key, docs in documents.items():
        groups[key]["documents"] = len(docs)
        groups[key]["provinces"] = len(provinces[key])
    return groups


def table(groups: dict[tuple[str, str], Counter]) -> str:
    columns = ["documents", "provinces", "paragraphs", *ENTITY_LABELS, *RELATION_TYPES, "no indicator"]
    header = "| source | genre | " + " | ".join(columns) + " |"
    rows = [header, "|---|---|" + "---|" * len(columns)]
    total: Counter = Counter()
    for (source, genre), group in sorted(groups.items()):
        rows.append(f"| {source} | {genre} | " + " | ".join(str(group[c]) for c in columns) + " |")
        total.update(group)
    total["provinces"] = 0  # provinces overlap between groups: not summed
    rows.append("| **all** | | " + " | ".join(f"**{total[c]}**" if c != "provinces" else "" for c in columns) + " |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    print(table(counts(argv[0] if argv else "annotations")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
