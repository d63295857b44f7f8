"""The panel: one row per report × canonical indicator × period × kind × commune, from figure records.

Two more parts of the key keep apart series the report itself tells apart: the reference of a ratio
(``target``: "đạt 26,15% dự toán tỉnh giao" and "đạt 21,01% dự toán huyện giao" are two series) and
the programme a figure belongs to (``project``). A series stated twice in one report keeps one row: the more specific statement (a period written, a
commune named), and among equally specific ones the later; the others are listed in ``duplicates``
("paragraph_id@start-end=value"). Records without a canonical indicator or a readable value are not
panel rows (they stay in the figure table); :func:`panel_rows` returns how many were left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vnreport_ie.records.figures import FigureRecord
from vnreport_ie.records.indicators import normalised_words
from vnreport_ie.records.tables import _report_of

PANEL_COLUMNS = (
    "report",
    "indicator_id",
    "indicator_name",
    "period_start",
    "period_end",
    "kind",
    "commune",
    "target",
    "project",
    "value",
    "unit",
    "estimate",
    "label",
    "text",
    "indicator",
    "period_text",
    "paragraph_id",
    "start",
    "end",
    "sentence",
    "duplicates",
)


@dataclass(frozen=True)
class PanelRows:
    """The panel rows (dicts of PANEL_COLUMNS) and the count of records that are not panel rows."""

    rows: list[dict]
    without_indicator: int
    without_value: int


def _specificity(record: FigureRecord) -> tuple[int, int]:
    return (record.period_text is not None, record.commune is not None)


def _folded(text: str | None) -> str | None:
    """A key for a target or project name: "KH" = "kế hoạch", case and tone-mark placement ignored."""
    return " ".join(normalised_words(text)) if text else None


def _provenance(record: FigureRecord) -> str:
    return f"{record.paragraph_id}@{record.start}-{record.end}={record.value}"


def panel_rows(records: Iterable[FigureRecord], report: str | None = None) -> PanelRows:
    """Panel rows of figure records in text order (``report``: the report id, else the paragraph id's prefix)."""
    groups: dict[tuple, list[tuple[int, FigureRecord]]] = {}
    without_indicator = without_value = 0
    for order, record in enumerate(records):
        if record.indicator_id is None:
            without_indicator += 1
            continue
        if record.value is None:
            without_value += 1
            continue
        key = (
            report if report is not None else _report_of(record),
            record.indicator_id,
            record.period_start,
            record.period_end,
            record.kind,
            record.commune,
            _folded(record.target),
            _folded(record.project),
            record.unit,
        )
        groups.setdefault(key, []).append((order, record))
    rows = []
    for key, members in groups.items():
        winner_order, winner = max(members, key=lambda m: (_specificity(m[1]), m[0]))
        others = [r for order, r in members if order != winner_order]
        rows.append(
            {
                "report": key[0],
                "indicator_id": winner.indicator_id,
                "indicator_name": winner.indicator_name,
                "period_start": winner.period_start,
                "period_end": winner.period_end,
                "kind": winner.kind,
                "commune": winner.commune,
                "target": winner.target,
                "project": winner.project,
                "value": winner.value,
                "unit": winner.unit,
                "estimate": winner.estimate,
                "label": winner.label,
                "text": winner.text,
                "indicator": winner.indicator,
                "period_text": winner.period_text,
                "paragraph_id": winner.paragraph_id,
                "start": winner.start,
                "end": winner.end,
                "sentence": winner.sentence,
                "duplicates": [_provenance(r) for r in others],
            }
        )
    return PanelRows(rows, without_indicator, without_value)


def panel_frame(rows: Iterable[dict]):
    """The panel rows as a DataFrame (PANEL_COLUMNS; values exact: ints for money, floats for %)."""
    import pandas as pd

    rows = list(rows)
    return pd.DataFrame(
        {c: pd.Series([row[c] for row in rows], dtype=object) for c in PANEL_COLUMNS}, columns=list(PANEL_COLUMNS)
    )


def write_panel(rows: Iterable[dict], path: str | Path) -> Path:
    """Write the panel as CSV (duplicates joined with "; ") or Parquet, chosen by the file's suffix."""
    path = Path(path)
    frame = panel_frame(rows)
    if path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                **{c: frame[c].tolist() for c in PANEL_COLUMNS if c not in ("value", "period_start", "period_end")},
                "value": pa.array([float(v) for v in frame["value"]], pa.float64()),
                "period_start": pa.array(frame["period_start"].tolist(), pa.date32()),
                "period_end": pa.array(frame["period_end"].tolist(), pa.date32()),
            }
        )
        pq.write_table(table.select(list(PANEL_COLUMNS)), path)
    elif path.suffix.lower() == ".csv":
        frame["duplicates"] = frame["duplicates"].map("; ".join)
        frame.to_csv(path, index=False, encoding="utf-8")
    else:
        raise ValueError(f"{path}: the panel is written as .csv or .parquet (got {path.suffix or 'no suffix'!r})")
    return path
