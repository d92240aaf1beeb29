"""Read report tables back from a package, through frictionless alone.

The inverse of ``tables`` for the numbers: requests, appeals, proactive,
figures and statistics become ``records`` objects again (``ReportTable``,
``Figure``, ``Statistic``), so a round trip YAML -> CSV -> records can be
compared cell by cell, kinds included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..records import (
    NOT_APPLICABLE_MARKS,
    Cell,
    CellKind,
    Figure,
    LineRange,
    ReportTable,
    Statistic,
    TableRow,
)
from .resources import resource
from .schema import table_columns
from .write import DESCRIPTOR, cell


@dataclass
class ReadReport:
    """What the package holds of one report's numbers."""

    report_id: str
    meta: dict = field(default_factory=dict)  # the row of reports.csv
    tables: dict[str, ReportTable] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    statistics: list[Statistic] = field(default_factory=list)


def wide_cell(value, note: str | None) -> Cell:
    """A cell of requests/appeals from ``<col>`` and ``<col>_note``."""
    if value is not None:
        return Cell(CellKind.NUMBER, value, cell(value))
    if note is None:
        return Cell(CellKind.BLANK)
    kind = CellKind.NOT_APPLICABLE if note in NOT_APPLICABLE_MARKS else CellKind.TEXT
    return Cell(kind, text=note)


def long_cell(row: dict, value_field: str) -> Cell:
    """A cell of a long table from its value field, ``cell_kind`` and ``cell_text``."""
    kind = CellKind(row["cell_kind"])
    if kind is CellKind.NUMBER:
        return Cell(kind, row[value_field], cell(row[value_field]))
    return Cell(kind, text=row["cell_text"] or "")


def span(row: dict) -> LineRange | None:
    start = row.get("line_start")
    return LineRange(start, row["line_end"]) if start is not None else None


def rows_of(package_dir: Path, name: str):
    """Typed rows of one resource, as frictionless reads them."""
    from frictionless import Package

    pkg = Package(str(package_dir / DESCRIPTOR))
    for row in pkg.get_resource(name).read_rows():
        yield row.to_dict()


def _add_row(out: ReadReport, code: str, row_code: str, cells: dict, row: dict) -> None:
    table = out.tables.setdefault(code, ReportTable(code, {}))
    existing = table.rows.get(row_code)
    merged = {**(existing.cells if existing else {}), **cells}
    table.rows[row_code] = TableRow(row_code, merged, span(row), row["printed_label"] or "")


def _read_wide(package_dir: Path, code: str, key: str, reports: dict) -> None:
    columns = [c.code for c in table_columns(code)]
    for row in rows_of(package_dir, code):
        cells = {c: wide_cell(row[c], row[f"{c}_note"]) for c in columns}
        _add_row(reports[row["report_id"]], code, row[key], cells, row)


def _read_proactive(package_dir: Path, reports: dict) -> None:
    for row in rows_of(package_dir, "proactive"):
        field_name = next((f for f in ("count", "change", "amount") if row[f] is not None), "count")
        cells = {row["column_code"]: long_cell(row, field_name)}
        _add_row(reports[row["report_id"]], "proactive", row["row_code"], cells, row)


def _read_legacy(package_dir: Path, reports: dict) -> None:
    for row in rows_of(package_dir, "figures"):
        fig = Figure(row["figure_code"], long_cell(row, "value"), span(row), row["quote"] or "")
        reports[row["report_id"]].figures[fig.code] = fig
    for row in rows_of(package_dir, "statistics"):
        stat = Statistic(row["indicator"], row["unit"] or "", long_cell(row, "value"), span(row))
        reports[row["report_id"]].statistics.append(stat)


def read_reports(package_dir: Path) -> dict[str, ReadReport]:
    """Every report of the package with its tables, figures and statistics."""
    reports: dict[str, ReadReport] = defaultdict(lambda: ReadReport(""))
    for row in rows_of(package_dir, resource("reports").name):
        reports[row["report_id"]] = ReadReport(row["report_id"], row)
    _read_wide(package_dir, "requests", "row_code", reports)
    _read_wide(package_dir, "appeals", "group", reports)
    _read_proactive(package_dir, reports)
    _read_legacy(package_dir, reports)
    return dict(reports)
