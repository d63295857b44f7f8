"""Figure tables: records as a pandas DataFrame, CSV or Parquet, with their provenance.

Every row keeps where its number came from: the report, the paragraph id,
the character offsets into the paragraph and the sentence, so each value
can be traced back to its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from vnreport_ie.records.figures import COMMUNE_LINK_COLUMNS, FigureRecord

PARAGRAPH_PART = re.compile(r":(?:p\d+:)?[^:]*$")  # e.g. ":12" of "caoloc:12", ":p3:12" of "caoloc:p3:12"

COLUMNS = (
    "report",
    "paragraph_id",
    "label",
    "text",
    "value",
    "value_high",
    "unit",
    "indicator",
    "target",
    "commune",
    "project",
    "communes",
    "projects",
    *COMMUNE_LINK_COLUMNS,
    "start",
    "end",
    "sentence",
    "warnings",
    "value_error",
    "period_start",
    "period_end",
    "period_text",
    "estimate",
    "kind",
    "indicator_id",
    "indicator_name",
)
DATE_COLUMNS = ("period_start", "period_end")


def _report_of(record: FigureRecord) -> str | None:
    if record.paragraph_id is None:
        return None
    # "report:12" (a line), "report:p3:12" (a PDF's page and paragraph): the report is what comes before
    return PARAGRAPH_PART.sub("", record.paragraph_id) if ":" in record.paragraph_id else record.paragraph_id


def table_row(record: FigureRecord, report: str | None = None) -> dict:
    """One row of the figure table (COLUMNS, in order); the report defaults to the paragraph id's prefix."""
    row = record.to_dict()
    row["report"] = report if report is not None else _report_of(record)
    return {column: row.get(column) for column in COLUMNS}


# nullable numeric dtypes: values are Float64 (money and percentages share the column; every amount below
# 2**53 VND, about 9·10^15, is exact), offsets Int64; the records and the CSV keep money as exact integers
NUMERIC_DTYPES = {"value": "Float64", "value_high": "Float64", "start": "Int64", "end": "Int64"}


def to_dataframe(records: Iterable[FigureRecord]):
    """A DataFrame with one row per figure record and its provenance columns (see COLUMNS and NUMERIC_DTYPES)."""
    import pandas as pd

    from datetime import date

    rows = [table_row(record) for record in records]
    for row in rows:  # the periods as datetime.date (ISO text in the flat dict)
        for column in DATE_COLUMNS:
            row[column] = date.fromisoformat(row[column]) if row[column] else None
    columns = {}
    for c in COLUMNS:
        values = [row[c] for row in rows]
        if c in NUMERIC_DTYPES:
            values = [None if v is None else float(v) for v in values]
            columns[c] = pd.Series(values, dtype=NUMERIC_DTYPES[c])
        else:
            columns[c] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns, columns=list(COLUMNS))


def csv_cell(value) -> str | int | None:
    """A table cell as CSV text: lists joined with "; ", integers exact, floats never in scientific notation."""
    if isinstance(value, (list, tuple)):
        return "; ".join(value)
    if isinstance(value, float):
        import numpy as np

        return np.format_float_positional(value, trim="-")  # e.g. 26.15, 100 (not 1e+16)
    return value


def write_csv(records: Iterable[FigureRecord], path: str | Path) -> Path:
    """Write the figure table as UTF-8 CSV (lists joined with "; "; money as exact integers)."""
    import csv

    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for record in records:
            row = table_row(record)
            writer.writerow([csv_cell(row[c]) for c in COLUMNS])
    return path


def write_parquet(records: Iterable[FigureRecord], path: str | Path) -> Path:
    """Write the figure table as Parquet (values as float64, exact for amounts below 9·10^15; lists as lists)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = to_dataframe(records)
    table = pa.table(
        {
            **{c: frame[c].tolist() for c in COLUMNS if c not in (*NUMERIC_DTYPES, *DATE_COLUMNS)},
            **{c: pa.array(frame[c].tolist(), pa.date32()) for c in DATE_COLUMNS},
            "value": pa.array(frame["value"].astype(object).where(frame["value"].notna(), None), pa.float64()),
            "value_high": pa.array(
                frame["value_high"].astype(object).where(frame["value_high"].notna(), None), pa.float64()
            ),
            "start": pa.array(frame["start"].astype(object).where(frame["start"].notna(), None), pa.int64()),
            "end": pa.array(frame["end"].astype(object).where(frame["end"].notna(), None), pa.int64()),
        }
    )
    path = Path(path)
    pq.write_table(table.select(list(COLUMNS)), path)
    return path
