"""The explicit reprs of Cell, LineRange and TableRow (fast: report versions digest
repr(report)) are the dataclass reprs, character for character."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from generator.records import BLANK, Cell, CellKind, LineRange, TableRow, shared_cell


def dataclass_repr(obj: object) -> str:
    """repr of ``obj`` as a plain dataclass of the same name and fields would give it."""
    fields = dataclasses.fields(obj)  # type: ignore[arg-type]
    twin = dataclasses.make_dataclass(type(obj).__qualname__, [f.name for f in fields])
    return repr(twin(*(getattr(obj, f.name) for f in fields)))


CELLS = [
    BLANK,
    Cell(CellKind.NUMBER, 3),
    Cell(CellKind.NUMBER, -12),
    Cell(CellKind.NUMBER, Decimal("1.50")),
    Cell(CellKind.NUMBER, None),
    Cell(CellKind.NOT_APPLICABLE, None, "／"),
    Cell(CellKind.TEXT, None, "详见'附件'\"二\"\n\\x"),
    shared_cell(CellKind.TEXT, None, "x"),
    Cell("number", 1),  # type: ignore[arg-type]  # a plain string kind keeps its own repr
]


def test_cell_repr_is_the_dataclass_repr() -> None:
    for cell in CELLS:
        assert repr(cell) == dataclass_repr(cell)
    assert repr(BLANK) == "Cell(kind=<CellKind.BLANK: 'blank'>, value=None, text='')"


def test_line_range_and_row_reprs_are_the_dataclass_reprs() -> None:
    lines = LineRange(3, 7)
    assert repr(lines) == dataclass_repr(lines) == "LineRange(start=3, end=7)"
    for row in (
        TableRow("total", {c.kind + str(i): c for i, c in enumerate(CELLS)}, lines, "合计"),
        TableRow("withheld.state_secret", {}),
    ):
        assert repr(row) == dataclass_repr(row)
