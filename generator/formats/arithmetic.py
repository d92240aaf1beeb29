"""The arithmetic of an official table, evaluated from its definition.

Pure functions over a table definition (``formats.Table``) and the cells of
one report's table. Used by the validator (diagnostics), by the importer
(to choose between candidate row alignments) and by tests. A relation is
only evaluated where every cell it needs is a number: a blank is unknown,
never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..records import Cell, CellKind, Number
from . import Check, Table

RowCells = Mapping[str, Mapping[str, Cell]]  # row code -> column code -> cell
_NUMBER = CellKind.NUMBER


@dataclass(frozen=True)
class Mismatch:
    """One relation that does not hold: where, and the two sides."""

    check: str  # check code from the format definition
    kind: str
    row: str  # the row whose cell is wrong (the total or right-hand row)
    column: str
    expected: Number  # what the parts add up to
    actual: Number  # what the total cell says
    parts: tuple[str, ...]  # the cells (row or column codes) that were added


def _number(rows: RowCells, row: str, column: str) -> Number | None:
    cell = rows.get(row, {}).get(column)
    return cell.value if cell is not None and cell.is_number else None


def _sum(values: list[Number | None]) -> Number | None:
    if not values or any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


Cells = tuple[tuple[str, str], ...]  # (row code, column code) of each cell added up


@dataclass(frozen=True, slots=True)
class _Relation:
    """One equation of a check in one row or column: the sum of ``left`` equals that of ``right``."""

    check: Check
    row: str  # where a mismatch is reported
    column: str
    left: Cells  # the parts (expected)
    right: Cells  # the total (actual)
    parts: tuple[str, ...]


def _relations(table: Table, check: Check) -> list[_Relation]:
    if check.kind == "sum_columns":
        return [
            _Relation(
                check,
                row.code,
                check.total,
                tuple((row.code, c) for c in check.parts),
                ((row.code, check.total),),
                check.parts,
            )
            for row in table.rows
        ]
    if check.kind == "sum_rows":
        parts = table.expand(check.parts)
        return [
            _Relation(
                check,
                check.total,
                column.code,
                tuple((p, column.code) for p in parts),
                ((check.total, column.code),),
                parts,
            )
            for column in table.columns
        ]
    if check.kind == "balance_rows":
        return [
            _Relation(
                check,
                check.right[-1],
                column.code,
                tuple((p, column.code) for p in check.left),
                tuple((p, column.code) for p in check.right),
                (*check.left, *check.right),
            )
            for column in table.columns
        ]
    raise KeyError(check.kind)


@dataclass(frozen=True, slots=True)
class _Plan:
    """A table's equations over numbered cells: ``cells[i]`` is read once per report."""

    cells: tuple[tuple[str, tuple[str, ...]], ...]  # (row, its columns), rows in first use
    equations: tuple[tuple[_Relation, tuple[int, ...], tuple[int, ...]], ...]  # left, right


_PLANS: dict[int, tuple[Table, _Plan]] = {}


def _make_plan(table: Table) -> _Plan:
    relations = [r for c in table.checks for r in _relations(table, c)]
    used = dict.fromkeys(cell for rel in relations for cell in (*rel.left, *rel.right))
    by_row: dict[str, list[str]] = {}
    for row, column in used:
        by_row.setdefault(row, []).append(column)
    cells = tuple((row, tuple(columns)) for row, columns in by_row.items())
    order = [(row, column) for row, columns in cells for column in columns]
    index = {cell: i for i, cell in enumerate(order)}
    return _Plan(
        cells,
        tuple(
            (rel, tuple(index[c] for c in rel.left), tuple(index[c] for c in rel.right))
            for rel in relations
        ),
    )


def _plan(table: Table) -> _Plan:
    """Every equation of ``table``, in the order mismatches are reported; made once per table."""
    hit = _PLANS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _PLANS[id(table)] = (table, _make_plan(table))
    return hit[1]


_NO_CELLS: dict = {}


def _values(plan: _Plan, rows: RowCells) -> list[Number | None]:
    """The value of each cell the plan needs; None for a blank, a mark or a missing cell."""
    out: list[Number | None] = []
    for row, columns in plan.cells:
        cells = rows.get(row, _NO_CELLS)
        for column in columns:
            cell = cells.get(column)
            out.append(cell.value if cell is not None and cell.kind is _NUMBER else None)
    return out


def _total(values: list[Number | None], cells: tuple[int, ...]) -> Number | None:
    """The sum of ``cells``; None when one of them is not a number (a blank is unknown)."""
    if len(cells) == 1:
        return values[cells[0]]
    if not cells:
        return None
    parts = [values[i] for i in cells]
    if None in parts:
        return None
    return sum(parts)  # type: ignore[arg-type]


def evaluate(table: Table, rows: RowCells) -> list[Mismatch]:
    """Every relation of ``table`` that the cells in ``rows`` break."""
    plan = _plan(table)
    values = _values(plan, rows)
    out: list[Mismatch] = []
    for rel, left, right in plan.equations:
        expected = _total(values, left)
        if expected is None:
            continue
        actual = _total(values, right)
        if actual is not None and expected != actual:
            check = rel.check
            out.append(
                Mismatch(check.code, check.kind, rel.row, rel.column, expected, actual, rel.parts)
            )
    return out


def score(table: Table, rows: RowCells) -> tuple[int, int]:
    """(relations broken, relations that could be evaluated): for choosing alignments."""
    broken = len(evaluate(table, rows))
    testable = 0
    for check in table.checks:
        if check.kind == "sum_columns":
            testable += sum(
                1
                for r in table.rows
                if _sum([_number(rows, r.code, c) for c in (*check.parts, check.total)]) is not None
            )
        else:
            names = (
                (*check.left, *check.right)
                if check.kind == "balance_rows"
                else (*table.expand(check.parts), check.total)
            )
            testable += sum(
                1
                for c in table.columns
                if _sum([_number(rows, n, c.code) for n in names]) is not None
            )
    return broken, testable
