"""SpreadsheetML cells and rows, written directly (no openpyxl): the fast path of the workbook.

A row is kept as a template whose row number is ``ROW`` (a NUL, which can
never appear in XML text), so rows can be made once per report, cached, and
numbered when the sheet is assembled. Strings are inline (``t="inlineStr"``),
so a row does not depend on a workbook-wide shared-string table; numbers are
numbers, booleans booleans, dates Excel dates (style 1, ``yyyy-mm-dd``); an
empty value writes no cell at all (a blank is never 0).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

ROW = "\x00"  # placeholder for the row number in a row template
DATE_STYLE = 1
EPOCH = dt.date(1899, 12, 30)
# Characters XML 1.0 cannot hold; openpyxl refuses them, we replace them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text cells repeat (IDs, labels, units, kinds): short ones are made once per process.
MEMO_LEN = 64
MEMO_SIZE = 100_000
_TEXT_CELLS: dict[tuple[str, str], str] = {}


@cache
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub("\ufffd", text)


def quoted_attr(text: str) -> str:
    """``text`` as a quoted XML attribute value: ``xml.sax.saxutils.quoteattr``'s result
    (whose module imports urllib.request, http.client and ssl: a tenth of a second)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def cell_xml(ref: str, value) -> str:
    """One ``<c>`` for ``value`` at ``ref`` (which holds ``ROW``); '' for None or ''."""
    kind = type(value)
    if kind is str:  # most cells: checked first
        return _text_cell(ref, value) if value else ""
    if kind is int:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{format(value, "f")}</v></c>'
    if isinstance(value, dt.date):
        days = (value - EPOCH).days
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{days}</v></c>'
    return _text_cell(ref, str(value))


def _text_cell(ref: str, value: str) -> str:
    if len(value) > MEMO_LEN:
        return _make_text_cell(ref, value)
    key = (ref, value)
    got = _TEXT_CELLS.get(key)
    if got is None:
        if len(_TEXT_CELLS) >= MEMO_SIZE:
            _TEXT_CELLS.clear()
        got = _TEXT_CELLS[key] = _make_text_cell(ref, value)
    return got


def _make_text_cell(ref: str, value: str) -> str:
    text = escape(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


@cache
def refs(width: int) -> tuple[str, ...]:
    """Cell references of a row template: ``A\\0``, ``B\\0`` …"""
    return tuple(column_letter(i) + ROW for i in range(width))


def row_xml(values: list | tuple) -> str:
    """A row template (row number ``ROW``) of ``values``."""
    out = []
    memo = _TEXT_CELLS
    for r, v in zip(refs(len(values)), values, strict=True):
        kind = type(v)  # the commonest cases inline: this runs for every cell of the package
        if kind is str:
            if v:
                out.append(memo.get((r, v)) or _text_cell(r, v))
        elif kind is int:
            out.append(f'<c r="{r}"><v>{v}</v></c>')
        elif v is not None:
            out.append(cell_xml(r, v))
    return f'<row r="{ROW}">{"".join(out)}</row>'


def numbered(template: str, number: int) -> str:
    return template.replace(ROW, str(number))
