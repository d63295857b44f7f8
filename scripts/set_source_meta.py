"""Write each document's source, province and genre from annotations/SOURCES.md into its examples' meta.

    python scripts/set_source_meta.py [SOURCES_MD] [ANNOTATIONS_DIR]

The evaluation's by-source and cross-genre splits read ``meta.source`` and ``meta.genre``; this keeps
them equal to the table. A document of the annotations that the table does not list is an error
(every annotated page must be listed with its address), and so is a listed document without
annotations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vnreport_ie.io.annotations import annotation_files, load_examples, write_jsonl

COLUMNS = ("doc id", "source", "province", "genre", "address", "paragraphs")


def read_sources(path: Path) -> dict[str, dict[str, str]]:
    """doc id -> the row of the table in ``path`` (a Markdown table with COLUMNS)."""
    rows: dict[str, dict[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("doc id", "---") or set(cells[0]) <= {"-"}:
            continue
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} cells ({', '.join(COLUMNS)}), got {len(cells)}")
        if cells[0] in rows:
            raise ValueError(f"{path}:{number}: {cells[0]} is listed twice")
        rows[cells[0]] = dict(zip(COLUMNS, cells))
    return rows


def main(argv: list[str]) -> int:
    sources_path = Path(argv[0] if argv else "annotations/SOURCES.md")
    folder = Path(argv[1] if len(argv) > 1 else "annotations")
    sources = read_sources(sources_path)
    seen: set[str] = set()
    changed = 0
    for file in annotation_files(folder):
        examples = load_examples(file)
        for example in examples:
            row = sources.get(example.doc_id)
            if row is None:
                print(f"error: {file}: document {example.doc_id} is not listed in {sources_path}")
                return 1
            seen.add(example.doc_id)
            wanted = {"source": row["source"], "province": row["province"], "genre": row["genre"]}
            if any(example.meta.get(k) != v for k, v in wanted.items()):
                example.meta.update(wanted)
                changed += 1
        write_jsonl(examples, file)
    missing = sorted(set(sources) - seen)
    if missing:
        print(f"error: listed in {sources_path} without annotations: {', '.join(missing)}")
        return 1
    print(f"{len(seen)} documents, meta set on {changed} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
