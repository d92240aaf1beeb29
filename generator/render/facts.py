"""Key figures of a report, read the same way for every format.

gov2019/gov2021: table 3's 总计 column and table 4's 总计 column; legacy: the
figures stated in prose. A figure the report does not give stays blank;
nothing is summed over blanks.
"""

from __future__ import annotations

from decimal import Decimal

from ..formats import get_format
from ..records import BLANK, Cell, CellKind, Report
from .contexts import CellView, KeyFigures
from .tables import cell_view

LEGACY = {
    "received": "applications_received",
    "reconsideration": "reconsiderations",
    "litigation": "litigation",
}
OUTCOME_LABELS = {
    "granted": "予以公开",
    "partly_granted": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}


def _cell(report: Report, table: str, row: str, column: str = "total") -> Cell:
    data = report.tables.get(table)
    return data.cell(row, column) if data else BLANK


def add_cells(cells: list[Cell]) -> Cell:
    """The sum when every cell is a number; blank otherwise."""
    if not cells or any(c.kind is not CellKind.NUMBER for c in cells):
        return BLANK
    return Cell(CellKind.NUMBER, sum((c.value for c in cells), start=0))  # type: ignore[misc]


def key_cells(report: Report) -> dict[str, Cell]:
    """received, granted, reconsideration, litigation as cells."""
    if report.format == "legacy":
        out = {k: report.figures[v].value for k, v in LEGACY.items() if v in report.figures}
        return {k: out.get(k, BLANK) for k in ("received", "granted", *LEGACY)}
    return {
        "received": _cell(report, "requests", "new"),
        "granted": _cell(report, "requests", "granted"),
        "reconsideration": _cell(report, "appeals", "reconsideration"),
        "litigation": add_cells(
            [
                _cell(report, "appeals", "litigation_direct"),
                _cell(report, "appeals", "litigation_after_reconsideration"),
            ]
        ),
    }


def key_figures(report: Report) -> KeyFigures:
    """The figures shown for a report in lists."""
    cells = key_cells(report)
    return KeyFigures(**{k: cell_view(v) for k, v in cells.items()})


def outcome_mix(report: Report) -> dict[str, Cell]:
    """Table 3 outcome groups (予以公开 … 其他处理): the 总计 column summed per group."""
    if report.format == "legacy":
        return {}
    table = get_format(report.format).table("requests")
    if table is None:
        return {}
    return {
        group: add_cells([_cell(report, "requests", code) for code in table.expand((group,))])
        for group in OUTCOME_LABELS
    }


def number(cell: Cell | CellView) -> int | Decimal | None:
    """The number in a cell, or None."""
    if isinstance(cell, CellView):
        return None if cell.kind != "number" else Decimal(cell.text)
    return cell.value if cell.kind is CellKind.NUMBER else None
