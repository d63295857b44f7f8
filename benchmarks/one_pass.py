"""Run one checkout's package and shipped model once over the reports, in a fresh process: for timing two
releases against each other from outside, cold start included.

    farm-bench -n 7 --vs 'python benchmarks/one_pass.py OLD_CHECKOUT' -- python benchmarks/one_pass.py .

CHECKOUT is a directory holding ``vnreport_ie/`` and ``models/vnreport-ie`` (a clone, or
``git worktree add /tmp/old COMMIT``); its package is imported, not the installed one. The reports are
every non-empty line of ``--corpus`` (default ``../shared/corpus``, the five Lạng Sơn reports), as in
``benchmarks/benchmark.py``. Prints the number of paragraphs and entities.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="A directory with vnreport_ie/ and models/vnreport-ie.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="Folder of *.txt reports.")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    if not (checkout / "vnreport_ie").is_dir() or not (checkout / "models" / "vnreport-ie").is_dir():
        raise SystemExit(f"error: {checkout} holds no vnreport_ie/ and models/vnreport-ie")
    files = sorted(args.corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"error: no .txt reports in {args.corpus} (pass --corpus)")
    sys.path.insert(0, str(checkout))
    import vnreport_ie

    if Path(vnreport_ie.__file__).resolve().parents[1] != checkout:
        raise SystemExit(f"error: imported vnreport_ie from {vnreport_ie.__file__}, not from {checkout}")
    nlp = vnreport_ie.load(checkout / "models" / "vnreport-ie")
    paragraphs = [line.strip() for path in files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    entities = sum(len(doc.ents) for doc in nlp.pipe(paragraphs))
    print(f"{len(paragraphs)} paragraphs, {entities} entities")


if __name__ == "__main__":
    main()
