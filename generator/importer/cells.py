"""Printed cell text -> ``Cell``; candidate alignments of a row's cells to its columns.

A cell keeps what was printed: ``60.62万元`` in a 万元 column is 60.62, ``+2``
in a signed column is 2, a blank is blank (never 0), ``/`` or ``—`` is a
not-applicable mark, anything else stays text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..formats import Column
from ..records import BLANK, NOT_APPLICABLE_MARKS, Cell, CellKind

_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
UNITS = ("万元", "元", "件", "项", "条", "个", "次", "篇", "人次", "人")


def _strip_unit(text: str, unit: str) -> str:
    for u in (unit, *UNITS):
        if u and text.endswith(u) and len(text) > len(u):
            return text[: -len(u)].strip()
    return text


def parse_number(text: str, column_type: str = "decimal", unit: str = "") -> Cell | None:
    """A number cell if ``text`` is a number of the column's type (unit suffix allowed)."""
    s = _strip_unit(unicodedata.normalize("NFKC", text).strip(), unit)
    m = _NUMBER.match(s.replace(" ", ""))
    if not m:
        return None
    sign, digits, frac = m.group(1), m.group(2).replace(",", ""), m.group(3) or ""
    if column_type in ("integer", "signed_integer"):
        if frac and frac.strip(".0"):
            return None
        return Cell(CellKind.NUMBER, int(sign + digits), text)
    try:
        return Cell(CellKind.NUMBER, Decimal(sign + digits + frac), text)
    except InvalidOperation:
        return None


def parse_cell(text: str, column: Column | None = None) -> Cell:
    """Classify printed cell text for ``column``: number, blank, not-applicable or text."""
    s = text.strip()
    if not s:
        return BLANK
    if s in NOT_APPLICABLE_MARKS or unicodedata.normalize("NFKC", s) in NOT_APPLICABLE_MARKS:
        return Cell(CellKind.NOT_APPLICABLE, text=s)
    kind = column.type if column else "decimal"
    unit = column.unit if column else ""
    return parse_number(s, kind, unit) or Cell(CellKind.TEXT, text=s)


def is_value(text: str) -> bool:
    """True for cell text that reads as a value (number, possibly with a unit, or a mark)."""
    s = text.strip()
    return bool(s) and (
        s in NOT_APPLICABLE_MARKS
        or unicodedata.normalize("NFKC", s) in NOT_APPLICABLE_MARKS
        or parse_number(s, "signed_integer") is not None
        or parse_number(s, "decimal") is not None
    )


def alignments(values: list[str], n: int) -> list[list[str]]:
    """Ways to read ``values`` as ``n`` cells, most likely first.

    Empty cells keep their position, but copies add or lose empty cells at
    the edges: exact counts are taken as they are; extra cells are cut so
    that every printed value stays inside (right-aligned first: a PDF row
    gains empty cells after its label); missing cells are blanks at the end
    (or, second choice, at the start).
    """
    if n <= 0:
        return [[]]
    if len(values) == n:
        return [list(values)]
    trimmed = list(values)
    while len(trimmed) > n and trimmed and not trimmed[-1].strip():
        trimmed.pop()
    if len(trimmed) == n:
        return [trimmed]
    if len(trimmed) < n:
        pad = [""] * (n - len(trimmed))
        return [trimmed + pad, pad + trimmed]
    filled = [i for i, v in enumerate(trimmed) if v.strip()]
    first, last = (filled[0], filled[-1]) if filled else (0, 0)
    out = [
        trimmed[s : s + n] for s in range(len(trimmed) - n, -1, -1) if s <= first and last < s + n
    ]
    return out or [trimmed[:n]]
