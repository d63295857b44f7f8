"""Time the shipped pipeline on one long paragraph without newlines and check it finds every figure.

    python benchmarks/long_paragraph.py --chars 100000 [--chars 1000000 ...]

The paragraph repeats a report-like sentence with four planted figures; the script prints the
time, the records found against the figures planted, and whether every record's offsets slice
the input to its text.
"""

from __future__ import annotations

import argparse
import resource
import time

SENTENCE = (
    "Tổng thu ngân sách đạt 58.829 triệu đồng, bằng 26,15% dự toán; "
    "chi ngân sách 1.250 triệu đồng đạt 24,5% kế hoạch. "
)
FIGURES_PER_SENTENCE = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, action="append", help="Paragraph size in characters (repeatable).")
    parser.add_argument("--model", default=None, help="Model folder (default: the shipped model).")
    args = parser.parse_args()
    from vnreport_ie.api import extract, load

    nlp = load(args.model)
    extract(SENTENCE, nlp=nlp)  # warm up: underthesea's CRF loads on first use
    print("| characters | seconds | chars/s | records found | figures planted | offsets exact | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for size in args.chars or [100_000]:
        text = SENTENCE * max(1, size // len(SENTENCE))
        start = time.perf_counter()
        records = extract(text, nlp=nlp)
        seconds = time.perf_counter() - start
        planted = text.count(SENTENCE) * FIGURES_PER_SENTENCE
        exact = all(text[r.start : r.end] == r.text for r in records)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {len(text):,} | {seconds:.1f} | {len(text) / seconds:,.0f} | {len(records):,} | {planted:,} | {exact} | {rss:.0f} |")


if __name__ == "__main__":
    main()
