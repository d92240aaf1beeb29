"""Table values for synthetic reports, derived from the format definitions.

Nothing here lists a row or a column: the rows, columns and arithmetic come
from ``generator.formats``. Outcome rows are drawn first and every total is
derived from them, so each relation the format declares holds:

* ``sum_columns``: the part columns of every row add up to the total column;
* ``sum_rows``: the outcome rows add up to the total row;
* ``balance_rows``: new + carried over = total + carried forward;
* ``carry``: this year's carried-over row is last year's carried-forward row.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal

from ..formats import Check, Column, Figure, Table

Values = dict[str, dict[str, int | Decimal]]  # row code -> column code -> value
# Weights of outcomes, by the first word of the row code; unlisted rows are rare.
OUTCOME_WEIGHTS = {"granted": 50, "partly_granted": 8, "unavailable": 10, "not_processed": 3}
RARE_WEIGHT = 1


def _check(table: Table, kind: str) -> Check | None:
    return next((c for c in table.checks if c.kind == kind), None)


def _small(rng: random.Random, mean: float) -> int:
    """A non-negative count with about the given mean; often 0 for small means."""
    if mean <= 0:
        return 0
    return int(rng.expovariate(1 / mean))


def _spread(rng: random.Random, n: int, weights: list[int]) -> list[int]:
    """``n`` items spread over buckets by weight."""
    out = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        out[i] += 1
    return out


def _weight(row_code: str) -> int:
    return OUTCOME_WEIGHTS.get(row_code, OUTCOME_WEIGHTS.get(row_code.split(".")[0], RARE_WEIGHT))


def _fill_totals(table: Table, values: Values, sum_columns: Check) -> None:
    for cells in values.values():
        cells[sum_columns.total] = sum(cells[c] for c in sum_columns.parts)


def requests(
    table: Table, rng: random.Random, scale: float, carried_in: Mapping[str, int] | None
) -> Values:
    """Table 3: outcomes drawn per applicant column, totals and balance derived."""
    by_cols, by_rows = _check(table, "sum_columns"), _check(table, "sum_rows")
    balance = _check(table, "balance_rows")
    carry_from, carry_to = table.carry or ("", "")
    fresh = [r for r in balance.left if r != carry_to]
    outcomes = list(table.expand(by_rows.parts))
    weights = [_weight(r) for r in outcomes]
    values: Values = {row.code: {} for row in table.rows}
    for i, col in enumerate(by_cols.parts):
        mean = scale if i == 0 else scale / (8 * i)
        new = {r: _small(rng, mean / len(fresh)) for r in fresh}
        over = (carried_in or {}).get(col, 0)
        forward = rng.randint(0, (sum(new.values()) + over) // 6)
        handled = sum(new.values()) + over - forward
        for r, v in [*new.items(), (carry_to, over), (carry_from, forward)]:
            values[r][col] = v
        for r, v in zip(outcomes, _spread(rng, handled, weights), strict=True):
            values[r][col] = v
        values[by_rows.total][col] = handled
    _fill_totals(table, values, by_cols)
    return values


def new_total(table: Table, values: Values) -> int:
    """Applications received this year, all applicants (the first row of the balance)."""
    balance, by_cols = _check(table, "balance_rows"), _check(table, "sum_columns")
    return values[balance.left[0]][by_cols.total]


def carried_forward(table: Table, values: Values) -> dict[str, int]:
    """What this year's table carries into next year's, column by column."""
    if table.carry is None:
        return {}
    return dict(values[table.carry[0]])


def appeals(table: Table, rng: random.Random, scale: float) -> Values:
    """Table 4: small counts per outcome, totals derived."""
    by_cols = _check(table, "sum_columns")
    values: Values = {}
    for row in table.rows:
        values[row.code] = {c: _small(rng, scale / 40) for c in by_cols.parts}
    _fill_totals(table, values, by_cols)
    return values


def cell(column: Column | Figure, rng: random.Random, scale: float) -> int | Decimal:
    """A plausible value for a column of the given type."""
    if column.type == "signed_integer":
        return rng.randint(-5, 5)
    if column.type == "decimal":
        return Decimal(rng.randint(0, int(scale * 400))) / 100
    return _small(rng, scale * 3)


def proactive(table: Table, rng: random.Random, scale: float) -> Values:
    """Table 2: independent counts per cell (the format states no arithmetic for it)."""
    return {row.code: {c.code: cell(c, rng, scale) for c in row.columns} for row in table.rows}
