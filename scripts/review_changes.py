"""Count what a review pass changed between two annotation folders, per label and relation type.

    python scripts/review_changes.py BEFORE_DIR AFTER_DIR

An entity counts as changed when a span of that label was added, removed or
moved (a moved span counts once, under its label); a relation when a
(type, figure span, other span) triple was added or removed.
"""

from __future__ import annotations

import sys
from collections import Counter

from vnreport_ie.io.annotations import load_examples
from vnreport_ie.training.scoring import gold_prediction


def review_changes(before_dir: str, after_dir: str) -> tuple[Counter, Counter, int]:
    before = {e.id: e for e in load_examples(before_dir)}
    after = {e.id: e for e in load_examples(after_dir)}
    if before.keys() != after.keys():
        raise SystemExit(f"the folders hold different examples: {sorted(before.keys() ^ after.keys())[:5]} ...")
    entities, relations, examples = Counter(), Counter(), 0
    for example_id, old in before.items():
        new = after[example_id]
        old_gold, new_gold = gold_prediction(old), gold_prediction(new)
        removed = set(old_gold.entities) - set(new_gold.entities)
        added = set(new_gold.entities) - set(old_gold.entities)
        moved = {(s, e, label) for s, e, label in added if any(r[2] == label and r[0] < e and s < r[1] for r in removed)}
        for _, _, label in added:
            entities[label] += 1
        for s, e, label in removed:
            if not any(m[2] == label and m[0] < e and s < m[1] for m in moved):
                entities[label] += 1
        changed_relations = set(old_gold.relations) ^ set(new_gold.relations)
        for relation in changed_relations:
            relations[relation.type] += 1
        examples += bool(added or removed or changed_relations)
    return entities, relations, examples


if __name__ == "__main__":
    entities, relations, examples = review_changes(sys.argv[1], sys.argv[2])
    print(f"examples changed: {examples}")
    print("entity changes:", dict(sorted(entities.items())))
    print("relation changes (added + removed):", dict(sorted(relations.items())))
