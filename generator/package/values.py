"""How a value is written in a CSV cell (shared by the package and the per-report files)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def cell(value) -> str:
    """How a value is written in the CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
