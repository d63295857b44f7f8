"""Write a copy of a model with every weight of its NER set to zero: the broken model the suite must catch.

    python scripts/zero-ner-weights.py models/vnreport-ie /tmp/zeroed-model
    python scripts/measure-model-floors.py --model /tmp/zeroed-model -o /tmp/zeroed-floors.json   # its scores

To check that the whole suite fails on it, zero the model of a copy of the repository in place:
    cp -r . /tmp/copy && python scripts/zero-ner-weights.py /tmp/copy/models/vnreport-ie /tmp/copy/models/vnreport-ie
    cd /tmp/copy && PYTHONPATH=/tmp/copy python -m pytest -q
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="the model folder to copy")
    parser.add_argument("output", type=Path, help="where to write the copy (may be the model folder itself)")
    args = parser.parse_args()

    from vnreport_ie.api import load

    nlp = load(args.model)
    zeroed = 0
    for node in nlp.get_pipe("ner").model.walk():
        for name in node.param_names:
            if node.has_param(name):
                weights = node.get_param(name)
                node.set_param(name, node.ops.xp.zeros_like(weights))
                zeroed += weights.size
    nlp.to_disk(args.output)
    print(f"wrote {args.output}: {zeroed} NER weights set to zero")


if __name__ == "__main__":
    main()
