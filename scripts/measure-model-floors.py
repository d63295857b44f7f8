"""Measure the shipped model's scores on the fixed floor sample and write them, with floors, to tests/model_floors.json.

    python scripts/measure-model-floors.py                   # after retraining models/vnreport-ie
    python scripts/measure-model-floors.py --margin 0.03 --model models/vnreport-ie -o tests/model_floors.json

The sample is every paragraph of annotations/lang-son (the shipped model is trained on them, so
these are in-sample scores: the floors catch a broken model, they do not estimate accuracy on new
reports). Each floor is the measured score minus the margin, rounded down to two decimals;
tests/test_model_floors.py fails when a score falls below its floor.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "annotations/lang-son"


def floor_of(measured: float, margin: float) -> float:
    """The measured score minus the margin, rounded down to two decimals (never below 0)."""
    return max(0.0, math.floor(round((measured - margin) * 100, 6)) / 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--margin", type=float, default=0.03, help="floor = measured - margin (default 0.03)")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "tests" / "model_floors.json")
    args = parser.parse_args()

    from vnreport_ie.api import load
    from vnreport_ie.io.annotations import load_examples
    from vnreport_ie.training.evaluation import MODEL, evaluate, headline_scores

    examples = load_examples(REPO / SAMPLE)
    scores = evaluate(load(args.model), examples, baselines=())[MODEL]
    measured = headline_scores(scores)
    data = {
        "what": "floors of the shipped model's scores; tests/test_model_floors.py fails below them",
        "command": "python scripts/measure-model-floors.py --margin " + str(args.margin),
        "measured_on": datetime.date.today().isoformat(),
        "model": str(args.model or "models/vnreport-ie"),
        "sample": SAMPLE,
        "sample_note": "every paragraph of the five Lạng Sơn reports: the training text of the shipped model (in-sample)",
        "examples": len(examples),
        "gold_figures": scores.records_total,
        "margin": args.margin,
        "scores": {name: {"measured": round(value, 4), "floor": floor_of(value, args.margin)} for name, value in measured.items()},
    }
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, measured))
    for name, entry in data["scores"].items():
        print(f"{name:{width}s}  measured {entry['measured']:.4f}  floor {entry['floor']:.2f}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
