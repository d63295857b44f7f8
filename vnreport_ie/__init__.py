"""vnreport-ie: figures, indicators and targets from Vietnamese socio-economic reports."""

from vnreport_ie.api import extract, extract_many, load
from vnreport_ie.io.cluster import extract_bag, to_dask_dataframe
from vnreport_ie.io.reports import read_report
from vnreport_ie.pipeline.project import project_footnote_marks
from vnreport_ie.text.numbers import FigureValue, parse_figure, parse_money, parse_percent
from vnreport_ie.records.figures import FigureRecord, doc_to_records
from vnreport_ie.records.tables import to_dataframe, write_csv, write_parquet
from vnreport_ie.text.tokenizer import UndertheseaTokenizer, blank

__version__ = "0.1.0"

__all__ = [
    "FigureRecord",
    "FigureValue",
    "UndertheseaTokenizer",
    "blank",
    "doc_to_records",
    "extract",
    "extract_bag",
    "extract_many",
    "load",
    "parse_figure",
    "parse_money",
    "parse_percent",
    "project_footnote_marks",
    "read_report",
    "to_dask_dataframe",
    "to_dataframe",
    "write_csv",
    "write_parquet",
]
