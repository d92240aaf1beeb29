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

from ..records import Cell, Number
from . import Check, Table

RowCells = Mapping[str, Mapping[str, Cell]]  # row code -> column code -> cell


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


def _sum_columns(table: Table, check: Check, rows: RowCells) -> list[Mismatch]:
    out = []
    for row in table.rows:
        parts = [_number(rows, row.code, c) for c in check.parts]
        expected, actual = _sum(parts), _number(rows, row.code, check.total)
        if expected is not None and actual is not None and expected != actual:
            out.append(
                Mismatch(
                    check.code, check.kind, row.code, check.total, expected, actual, check.parts
                )
            )
    return out


def _sum_rows(table: Table, check: Check, rows: RowCells) -> list[Mismatch]:
    parts = table.expand(check.parts)
    out = []
    for column in table.columns:
        expected = _sum([_number(rows, p, column.code) for p in parts])
        actual = _number(rows, check.total, column.code)
        if expected is not None and actual is not None and expected != actual:
            out.append(
                Mismatch(check.code, check.kind, check.total, column.code, expected, actual, parts)
            )
    return out


def _balance_rows(table: Table, check: Check, rows: RowCells) -> list[Mismatch]:
    out = []
    for column in table.columns:
        left = _sum([_number(rows, p, column.code) for p in check.left])
        right = _sum([_number(rows, p, column.code) for p in check.right])
        if left is not None and right is not None and left != right:
            out.append(
                Mismatch(
                    check.code,
                    check.kind,
                    check.right[-1],
                    column.code,
                    left,
                    right,
                    (*check.left, *check.right),
                )
            )
    return out


_KINDS = {"sum_columns": _sum_columns, "sum_rows": _sum_rows, "balance_rows": _balance_rows}


def evaluate(table: Table, rows: RowCells) -> list[Mismatch]:
    """Every relation of ``table`` that the cells in ``rows`` break."""
    out: list[Mismatch] = []
    for check in table.checks:
        out += _KINDS[check.kind](table, check, rows)
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
