"""How a value is written in a CSV cell (shared by the package and the per-report files)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def cell(value) -> str:
    """How a value is written in the CSV."""
    kind = type(value)
    if kind is str:  # most cells: checked first
        return value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# csv.writer writes these as ``cell`` does (None as empty, int by str): no call needed.
_PLAIN = frozenset({str, int, type(None)})


def csv_row(values) -> list:
    """``values`` ready for csv.writer, as ``cell`` would write each."""
    return [v if type(v) in _PLAIN else cell(v) for v in values]
