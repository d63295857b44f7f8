"""vnreport-ie: figures, indicators and targets from Vietnamese socio-economic reports."""

from vnreport_ie.api import extract, extract_many, load
from vnreport_ie.io.cluster import extract_bag, to_dask_dataframe
from vnreport_ie.io.reports import read_report
from vnreport_ie.pipeline.project import project_footnote_marks
from vnreport_ie.text.numbers import FigureValue, parse_figure, parse_money, parse_percent
from vnreport_ie.records.audit import Finding, audit
from vnreport_ie.records.figures import FigureRecord, doc_to_records
from vnreport_ie.records.indicators import Indicator, canonical_indicator
from vnreport_ie.records.panel import panel_frame, panel_rows, write_panel
from vnreport_ie.records.periods import ReportDate, report_date
from vnreport_ie.records.tables import to_dataframe, write_csv, write_parquet
from vnreport_ie.text.tokenizer import UndertheseaTokenizer, blank

__version__ = "0.1.0"

__all__ = [
    "FigureRecord",
    "FigureValue",
    "Finding",
    "Indicator",
    "ReportDate",
    "UndertheseaTokenizer",
    "audit",
    "blank",
    "canonical_indicator",
    "doc_to_records",
    "extract",
    "extract_bag",
    "extract_many",
    "load",
    "panel_frame",
    "panel_rows",
    "parse_figure",
    "parse_money",
    "parse_percent",
    "project_footnote_marks",
    "read_report",
    "report_date",
    "to_dask_dataframe",
    "to_dataframe",
    "write_csv",
    "write_panel",
    "write_parquet",
]
