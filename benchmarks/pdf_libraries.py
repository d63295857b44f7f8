"""Which PDF library reads the reports best: pdfplumber (the reader vnreport-ie uses) beside pypdf.

Run from the repository root (pypdf is not a dependency: ``pip install pypdf`` first)::

    python benchmarks/pdf_libraries.py --corpus ../shared/corpus

Each report is laid out as a PDF by ``tests/report_documents.py`` (reportlab:
justified paragraphs that wrap, a running header and page numbers, footnotes in
small type with raised marks). Then, per library, the figure records the
shipped model finds in what the library gives are compared with the figures of
the .txt (as a multiset of text, value, unit): found, missed, and invented (in
the PDF's text but not in the .txt). ``pypdf`` and ``pdfplumber-plain`` are the
libraries' own page text (``extract_text``), each page one paragraph;
``vnreport-ie`` is ``vnreport_ie.read_report`` (pdfminer.six characters, through
pdfplumber, rebuilt into paragraphs). Also counted: whole records (figure, indicator and target) as
the .txt gives them, superscript marks (footnote references) kept, running
headers and page numbers left in the text. Times are the reading only (seconds
per page).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from report_documents import build_pdf, report_lines  # noqa: E402


def pypdf_pages(path: Path) -> list[str]:
    import pypdf

    return [(page.extract_text() or "").replace("\n", " ") for page in pypdf.PdfReader(str(path)).pages]


def pdfplumber_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [(page.extract_text() or "").replace("\n", " ") for page in pdf.pages]


def vnreport_paragraphs(path: Path) -> list[str]:
    from vnreport_ie.io.reports import read_report

    return [p.text for p in read_report(path)]


READERS = {"pypdf": pypdf_pages, "pdfplumber-plain": pdfplumber_pages, "vnreport-ie": vnreport_paragraphs}


def figures(nlp, texts: list[str]) -> tuple[Counter, Counter]:
    """The figures (text, value, unit) and the whole records (also indicator and target) of the texts, counted."""
    import vnreport_ie

    found: Counter = Counter()
    whole: Counter = Counter()
    for records in vnreport_ie.extract_many(((None, t) for t in texts), nlp):
        found.update((r.text, r.value, r.unit) for r in records)
        whole.update((r.text, r.value, r.unit, r.indicator, r.target) for r in records)
    return found, whole


SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
HEADER = "Báo cáo "  # build_pdf's running header starts so; its page numbers are "- N -"
PAGE_NUMBER = re.compile(r"- \d+ -")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    import pypdf  # noqa: F401  (fail early when it is missing)

    import vnreport_ie

    nlp = vnreport_ie.load()
    totals = {name: Counter() for name in READERS}
    with tempfile.TemporaryDirectory() as folder:
        for report in sorted(args.corpus.glob("*.txt")):
            lines = report_lines(report)
            pdf = build_pdf(lines, Path(folder) / f"{report.stem}.pdf")
            pages = len(pypdf_pages(pdf))
            expected, expected_whole = figures(nlp, lines)
            header = HEADER + lines[0][:60]
            for name, read in READERS.items():
                start = time.perf_counter()
                texts = read(pdf)
                seconds = time.perf_counter() - start
                got, got_whole = figures(nlp, texts)
                joined = "\n".join(texts)
                row = Counter(
                    figures=sum(expected.values()),
                    found=sum((expected & got).values()),
                    invented=sum((got - expected).values()),
                    records_same=sum((expected_whole & got_whole).values()),
                    marks=len(SUPERSCRIPT_RUN.findall(joined)),
                    marks_txt=len(SUPERSCRIPT_RUN.findall("\n".join(lines))),
                    running=joined.count(header) + len(PAGE_NUMBER.findall(joined)),
                    pages=pages,
                )
                totals[name].update(row)
                totals[name]["seconds"] += seconds
                print(f"{report.stem:24} {name:17} found {row['found']}/{row['figures']} invented {row['invented']} "
                      f"({seconds:.2f} s, {pages} pages)", flush=True)
    print()
    print("| reader | figures found | invented | records as from the .txt (figure, indicator, target) "
          "| superscript marks (.txt has) | running headers / page numbers left | seconds per page |")
    print("|---|---|---|---|---|---|---|")
    for name, total in totals.items():
        print(
            f"| {name} | {total['found']}/{total['figures']} ({total['found'] / total['figures']:.1%}) | "
            f"{total['invented']} | {total['records_same']}/{total['figures']} "
            f"({total['records_same'] / total['figures']:.1%}) | {total['marks']} ({total['marks_txt']}) | "
            f"{total['running']} | {total['seconds'] / total['pages']:.3f} |"
        )


if __name__ == "__main__":
    main()
