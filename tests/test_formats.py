"""The format definitions are consistent: codes unique, checks name real rows and columns."""

from __future__ import annotations

import random

import pytest

from generator.formats import FORMAT_CODES, all_formats, get_format
from generator.formats.arithmetic import evaluate
from generator.schema.spec import parse_cell


@pytest.mark.parametrize("code", FORMAT_CODES)
def test_codes_are_unique(code):
    for table in get_format(code).tables.values():
        rows = [r.code for r in table.rows]
        assert len(rows) == len(set(rows)), table.code
        for group in table.groups:
            cols = [c.code for c in group.columns]
            assert len(cols) == len(set(cols))
            assert not {"lines", "label"} & set(cols), "reserved row keys"


@pytest.mark.parametrize("fmt", all_formats(), ids=lambda f: f.code)
def test_checks_name_existing_rows_and_columns(fmt):
    for table in fmt.tables.values():
        rows = {r.code for r in table.rows}
        cols = {c.code for c in table.columns}
        for check in table.checks:
            if check.kind == "sum_columns":
                assert set(check.parts) | {check.total} <= cols
            elif check.kind == "sum_rows":
                assert table.expand(check.parts) and check.total in rows
            else:
                assert set(check.left) | set(check.right) <= rows


def test_table3_rows_of_the_official_2021_format():
    rows = [r.code for r in get_format("gov2021").table("requests").rows]
    assert len(rows) == 25
    assert rows[0] == "new" and rows[-2:] == ["total", "carried_forward"]
    assert get_format("gov2019").table("requests").row("other").label == "其他处理"
    assert get_format("gov2019").table("requests").row("other.no_fee") is None


def test_blank_cell_is_unknown_not_zero():
    table = get_format("gov2021").table("appeals")
    cells = {
        c.code: parse_cell(v, True, "integer")
        for c, v in zip(table.columns, ["1", "", "0", "0", "5"], strict=True)
    }
    assert evaluate(table, {"reconsideration": cells}) == []  # not 1 != 5: the blank is unknown
    cells["corrected"] = parse_cell("0", True, "integer")
    [m] = evaluate(table, {"reconsideration": cells})
    assert (m.row, m.column, m.expected, m.actual) == ("reconsideration", "total", 1, 5)


def _reference_evaluate(table, rows):
    """The arithmetic as first written: every cell looked up by row and column, per check."""

    def number(row, column):
        cell = rows.get(row, {}).get(column)
        return cell.value if cell is not None and cell.is_number else None

    def total(values):
        return None if not values or None in values else sum(values)

    out = []
    for check in table.checks:
        if check.kind == "sum_columns":
            for row in table.rows:
                left = total([number(row.code, c) for c in check.parts])
                right = number(row.code, check.total)
                out.append((check, row.code, check.total, left, right, check.parts))
        elif check.kind == "sum_rows":
            parts = table.expand(check.parts)
            for c in table.columns:
                left = total([number(p, c.code) for p in parts])
                right = number(check.total, c.code)
                out.append((check, check.total, c.code, left, right, parts))
        else:
            for c in table.columns:
                left = total([number(p, c.code) for p in check.left])
                right = total([number(p, c.code) for p in check.right])
                parts = (*check.left, *check.right)
                out.append((check, check.right[-1], c.code, left, right, parts))
    return [
        (check.code, check.kind, row, column, left, right, parts)
        for check, row, column, left, right, parts in out
        if left is not None and right is not None and left != right
    ]


@pytest.mark.parametrize("fmt", all_formats(), ids=lambda f: f.code)
def test_evaluate_finds_what_every_lookup_finds(fmt):
    """Random tables (numbers, decimals, blanks, marks, missing rows): the same mismatches."""
    rng = random.Random(fmt.code)
    texts = ["0", "1", "2", "3", "5", "1.5", "2.50", "", "/", "详见附件", "-1"]
    for table in fmt.tables.values():
        for _ in range(300):
            rows = {
                row.code: {
                    c.code: parse_cell(rng.choice(texts), True, c.type)
                    for c in row.columns
                    if rng.random() < 0.97
                }
                for row in table.rows
                if rng.random() < 0.95
            }
            got = [
                (m.check, m.kind, m.row, m.column, m.expected, m.actual, m.parts)
                for m in evaluate(table, rows)
            ]
            assert got == _reference_evaluate(table, rows)
            assert [type(m.expected) for m in evaluate(table, rows)] == [
                type(e[4]) for e in _reference_evaluate(table, rows)
            ]
