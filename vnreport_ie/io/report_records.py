"""Figure records of whole report files, read with the report's district, date and project footnotes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vnreport_ie.io.reports import read_paragraphs
from vnreport_ie.records.figures import FigureRecord


@dataclass
class ReportRecords:
    """The records of one report file and the problem lines of its input (bad .jsonl lines)."""

    path: Path
    report: str
    records: list[FigureRecord]
    problems: list[str] = field(default_factory=list)


def report_records(path: Path, nlp=None) -> ReportRecords:
    """Every figure record of the report at ``path`` (.txt, .jsonl, .docx or .pdf), with its district and date read
    from the whole report (``report_location``, ``report_date``). Raises InputError for an unreadable file."""
    from vnreport_ie.api import extract_many
    from vnreport_ie.pipeline.project import project_footnote_marks
    from vnreport_ie.records.periods import report_date
    from vnreport_ie.text.communes import report_location

    problems: list[str] = []
    paragraphs = list(read_paragraphs(path, problems))
    text = "\n".join(p.text for p in paragraphs)
    report = next((str(p.meta["doc"]) for p in paragraphs if p.meta.get("doc")), path.stem)
    records: list[FigureRecord] = []
    for found in extract_many(
        ((p.id, p.text) for p in paragraphs),
        nlp=nlp,
        location=report_location(text),
        project_footnotes=project_footnote_marks(text),
        report_date=report_date(text),
    ):
        records.extend(found)
    return ReportRecords(path, report, records, problems)
