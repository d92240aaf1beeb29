"""Format detection by the tables' columns and rows, never by the year.

Each standard format prints column headers (and a few row labels) that the
other does not: 本年制发件数 and the split 三(六) rows for ``gov2021``;
本年新制作数量, 上一年项目数量, 采购总金额 for ``gov2019``. The format whose
own labels appear most often wins; a report with none of them is ``legacy``.
Everything is read from the format definitions.
"""

from __future__ import annotations

from functools import cache

from ..formats import FORMAT_CODES, get_format
from .text import Line, label_key, norm

TABLE_FORMATS = tuple(c for c in FORMAT_CODES if get_format(c).tables)


def _labels(code: str, groups: bool = False) -> set[str]:
    out: set[str] = set()
    for table in get_format(code).tables.values():
        for col in table.columns:
            out.update(label_key(lb) for lb in col.labels)
        for group in table.groups:
            for col in group.columns:
                out.update(label_key(lb) for lb in col.labels)
        for row in table.rows:
            out.update(label_key(lb) for lb in row.labels)
            if groups:
                out.update(label_key(p) for p in row.group.split("/") if p)
    return {k for k in out if len(k) >= 3}


@cache
def distinctive() -> dict[str, frozenset[str]]:
    """Per table format, the label keys that no other table format prints."""
    own = {c: _labels(c) for c in TABLE_FORMATS}
    every = {c: _labels(c, groups=True) for c in TABLE_FORMATS}
    return {
        c: frozenset(
            k for k in keys if not any(k in other for o in every if o != c for other in every[o])
        )
        for c, keys in own.items()
    }


def detect_format(lines: list[Line]) -> tuple[str, dict[str, list[str]]]:
    """(format code, the distinctive labels found per format)."""
    text = norm("\n".join(ln.text for ln in lines)).replace("|", "")
    found = {c: sorted(k for k in keys if k in text) for c, keys in distinctive().items()}
    best = max(found, key=lambda c: (len(found[c]), -TABLE_FORMATS.index(c)))
    return (best if found[best] else "legacy"), found
