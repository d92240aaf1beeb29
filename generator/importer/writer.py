"""YAML text for drafts, in the layout of content/README.md.

Table rows are flow mappings, one row per line, in the format definition's
order; narrative is a literal block (``|``); strings are quoted exactly where
a YAML reader could misread them. Files are written atomically (a temporary
file, then ``os.replace``) and never over an existing file without ``force``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import yaml

from ..formats import get_format
from ..records import Cell, CellKind, format_number
from .legacy import Figure, Statistics
from .tables import TableResult

REPORT_SCHEMA = "# yaml-language-server: $schema=../../../schemas/report.schema.json"
AGENCY_SCHEMA = "# yaml-language-server: $schema=../../schemas/agency.schema.json"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}#&*!|>'\"%@`]|: |^[-?:]|\s$|^\s")
_RESERVED = {"", "~", "null", "Null", "NULL", "true", "false", "True", "False", "yes", "no"}


def _text(s: str) -> str:
    return _CONTROL.sub("", s)


def quote(s: str, flow: bool = False) -> str:
    """``s`` as a YAML scalar: plain where every reader reads it back as this string."""
    s = _text(s)
    plain = (
        s not in _RESERVED
        and "\n" not in s
        and not (flow and _FLOW_UNSAFE.search(s))
        and not re.search(r": |\s#|^[-?:,\[\]{}#&*!|>'\"%@`]|\s$|^\s", s)
    )
    if plain:
        try:
            plain = yaml.safe_load(f"k: {s}") == {"k": s}
        except yaml.YAMLError:
            plain = False
    return s if plain else json.dumps(s, ensure_ascii=False)


def scalar(v: object, flow: bool = False) -> str:
    """Any value of a draft as a YAML scalar."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | Decimal):
        return format_number(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Cell):
        if v.kind is CellKind.NUMBER:
            return format_number(v.value)
        if v.kind is CellKind.BLANK:
            return "null"
        return json.dumps(_text(v.text), ensure_ascii=False)
    return quote(str(v), flow)


def flow(d: dict) -> str:
    """A one-line flow mapping."""
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in d.items()) + "}"


def _block_text(key: str, text: str, indent: str) -> list[str]:
    body = [f"{indent}  {line}" if line else "" for line in _text(text).split("\n")]
    return [f"{indent}{key}: |", *body]


def _table(result: TableResult, fmt_code: str) -> dict:
    table = get_format(fmt_code).tables[result.code]
    out = {}
    for code, row in result.rows.items():
        cells = {c.code: row.cells.get(c.code) for c in table.row(code).columns}
        cells["lines"] = line_range(row.start, row.end)
        if row.label:
            cells["label"] = row.label
        out[code] = cells
    return out


def line_range(start: int, end: int) -> int | str:
    """``12`` or ``12-15``, as the ``lines`` fields are written."""
    return start if start == end else f"{start}-{end}"


def _plain(data: dict) -> dict:
    """Draft values (table results, figures, statistics) -> dicts and lists."""
    out = {}
    for key, value in data.items():
        if isinstance(value, TableResult):
            value = _table(value, data["format"])
        elif key == "figures":
            value = {c: _figure(f) for c, f in value.items()}
        elif isinstance(value, Statistics):
            value = _statistics(value)
        out[key] = value
    return out


def _figure(f: Figure) -> dict:
    return {"value": f.value, "lines": f.line, "quote": f.quote}


def _statistics(s: Statistics) -> dict:
    rows = []
    for r in s.rows:
        row = {"indicator": r.indicator}
        if r.unit:
            row["unit"] = r.unit
        if r.value.kind is not CellKind.BLANK or r.unit:
            row["value"] = r.value
        row["lines"] = line_range(r.start, r.end)
        rows.append(row)
    out: dict = {"title": s.title} if s.title else {}
    out["rows"] = rows
    return out


FLOW_TABLES = ("proactive", "requests", "appeals", "figures")
FLOW_MAPS = ("period", "contact")
BLOCK_KEYS = ("preface", "text")


def _lines(data: dict, indent: str = "") -> list[str]:
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, str) and ("\n" in value or key in BLOCK_KEYS):
            out += _block_text(key, value, indent)
        elif isinstance(value, dict) and key in FLOW_TABLES:
            out.append(f"{indent}{key}:")
            out += [f"{indent}  {k}: {flow(v)}" for k, v in value.items()]
        elif isinstance(value, dict) and key in FLOW_MAPS:
            out.append(f"{indent}{key}: {flow(value)}")
        elif isinstance(value, dict):
            out.append(f"{indent}{key}:")
            out += _lines(value, indent + "  ")
        elif isinstance(value, list):
            out += _list(key, value, indent)
        else:
            out.append(f"{indent}{key}: {scalar(value)}")
    return out


def _list(key: str, items: list, indent: str) -> list[str]:
    if not items:
        return [f"{indent}{key}: []"]
    if all(not isinstance(i, dict) for i in items):
        return [f"{indent}{key}: [{', '.join(scalar(i, flow=True) for i in items)}]"]
    out = [f"{indent}{key}:"]
    for item in items:
        if key != "sections" and not any(isinstance(v, str) and "\n" in v for v in item.values()):
            out.append(f"{indent}  - {flow(item)}")
            continue
        lines = _lines(item, indent + "    ")
        out.append(f"{indent}  - {lines[0].lstrip()}")
        out += lines[1:]
    return out


def canonical(text: str, path: Path) -> str:
    """``text`` in the canonical form of ``gongkai fmt`` (unchanged if fmt refuses it)."""
    from ..fmt import FmtError, format_text

    try:
        return format_text(text, path)
    except FmtError:
        return text  # still valid YAML; `gongkai fmt --check` will point at it


def report_yaml(data: dict) -> str:
    """The text of a report file, in canonical form."""
    text = "\n".join([REPORT_SCHEMA, *_lines(_plain(data))]) + "\n"
    return canonical(text, Path("content/reports") / str(data["agency"]) / f"{data['year']}.yaml")


def agency_yaml(data: dict) -> str:
    """The text of an agency file, in canonical form."""
    text = "\n".join([AGENCY_SCHEMA, *_lines(data)]) + "\n"
    return canonical(text, Path("content/agencies") / f"{data['id']}.yaml")
