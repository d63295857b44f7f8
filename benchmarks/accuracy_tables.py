"""Markdown tables of held-out scores from the JSON files that `vnreport-ie evaluate --split ... --json` writes.

    python benchmarks/accuracy_tables.py benchmarks/accuracy/source.json [more.json ...]
    python benchmarks/accuracy_tables.py --folds benchmarks/accuracy/source.json     # one column per fold
    python benchmarks/accuracy_tables.py --compare A.json B.json                      # model scores side by side
    python benchmarks/accuracy_tables.py --compare a-f2.json,a-f3.json b-f2.json,b-f3.json  # runs of single folds, pooled

The main table pools every fold (the model beside the baselines scored on the same held-out
paragraphs); --folds gives the model's scores fold by fold; --compare the model of two runs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

LABELS = ("MONEY", "PERCENT", "COMMUNE", "PROJECT", "INDICATOR", "TARGET")
RELATIONS = ("indicator", "target", "location", "project")


def rows_of(scores: dict) -> list[tuple[str, str]]:
    """(score name, value) of one system's scores: F1 per label (P/R in brackets), relations, records."""
    rows = []
    for label in LABELS:
        prf = scores["entities"][label]
        rows.append((label, f"{prf['f1']:.3f} ({prf['precision']:.2f} / {prf['recall']:.2f})"))
    micro = scores["entities_micro"]
    rows.append(("entities (micro)", f"{micro['f1']:.3f}"))
    for relation in RELATIONS:
        mode = "relations_relaxed" if relation in ("indicator", "target") else "relations_strict"
        name = f"{relation} relation" + (" (relaxed)" if mode == "relations_relaxed" else "")
        rows.append((name, f"{scores[mode][relation]['f1']:.3f}"))
    records = scores["records"]
    rows.append(("figure records right", f"{records['accuracy']:.3f} ({records['correct']}/{records['total']})"))
    return rows


def pooled_table(data: dict) -> str:
    systems = list(data["pooled"])
    table = {s: dict(rows_of(data["pooled"][s])) for s in systems}
    names = [name for name, _ in rows_of(data["pooled"][systems[0]])]
    lines = ["| score | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for name in names:
        cells = []
        for s in systems:
            applicable = s != "underthesea-ner" or name == "COMMUNE"
            cells.append(table[s][name] if applicable else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def folds_table(data: dict) -> str:
    folds = list(data["folds"])
    table = {f: dict(rows_of(data["folds"][f]["model"])) for f in folds}
    names = [name for name, _ in rows_of(data["folds"][folds[0]]["model"])]
    documents = [str(len(data.get("test_docs", {}).get(f, []))) for f in folds]
    lines = ["| score | " + " | ".join(folds) + " |", "|---|" + "---|" * len(folds)]
    lines.append("| documents tested | " + " | ".join(documents) + " |")
    for name in names:
        lines.append(f"| {name} | " + " | ".join(table[f][name].split(" (")[0] for f in folds) + " |")
    return "\n".join(lines)


def pooled_model(paths: list[Path]) -> dict:
    """The model's scores pooled over several runs (their counts added, the rates computed again)."""
    runs = [json.loads(p.read_text(encoding="utf-8"))["pooled"]["model"] for p in paths]

    def added(cells: list[dict]) -> dict:
        tp, fp, fn = (sum(c[k] for c in cells) for k in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}

    correct, total = (sum(r["records"][k] for r in runs) for k in ("correct", "total"))
    return {
        "entities": {label: added([r["entities"][label] for r in runs]) for label in LABELS},
        "entities_micro": added([r["entities_micro"] for r in runs]),
        **{mode: {t: added([r[mode][t] for r in runs]) for t in RELATIONS} for mode in ("relations_strict", "relations_relaxed")},
        "records": {"accuracy": correct / total if total else 0.0, "correct": correct, "total": total},
    }


def compare_table(groups: list[list[Path]]) -> str:
    tables = [dict(rows_of(pooled_model(group))) for group in groups]
    names = [name for name, _ in rows_of(pooled_model(groups[0]))]
    heads = [group[0].stem + (f" (+{len(group) - 1})" if len(group) > 1 else "") for group in groups]
    lines = ["| score | " + " | ".join(heads) + " |", "|---|" + "---|" * len(groups)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(t[name].split(" (")[0] for t in tables) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="JSON files; with --compare, FILE[,FILE...] pools several runs")
    parser.add_argument("--folds", action="store_true", help="one column per fold (the model only)")
    parser.add_argument("--compare", action="store_true", help="the pooled model scores of each file side by side")
    args = parser.parse_args()
    if args.compare:
        print(compare_table([[Path(f) for f in arg.split(",")] for arg in args.files]))
        return
    for path in map(Path, args.files):
        data = json.loads(path.read_text(encoding="utf-8"))
        print(f"### {path.name}: split {data.get('split', '?')}, {data['examples']} examples\n")
        print(folds_table(data) if args.folds else pooled_table(data))
        print()


if __name__ == "__main__":
    main()
