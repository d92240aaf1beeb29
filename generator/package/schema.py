"""Table Schemas of the data package, built from the format definitions.

Every field has a type, constraints where they hold (counts are never
negative, codes come from a known list, IDs and division codes match a
pattern), a Chinese ``title`` and an English ``description``. The columns of
the report tables (requests, appeals, proactive) come from
``generator/formats``: adding a row or column there adds it here.

Cells of the official tables keep their kind (see ``records.CellKind``). In
the wide tables (requests, appeals) every column ``<col>`` holds the number
and ``<col>_note`` holds what the source printed when it is not a number: a
not-applicable mark (``/``, ``—``, 不适用) or text (详见…). Both empty means
the source printed nothing (blank): a blank is never 0. The long tables
(proactive, figures, statistics) say it outright in ``cell_kind``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..formats import FORMAT_CODES, Column, Table, all_formats
from ..records import CellKind
from ..schema.content import AGENCY_ID

REPORT_ID = AGENCY_ID + r"/[0-9]{4}"
CELL_KINDS = tuple(k.value for k in CellKind)
VALUE_TYPES = {"integer": "integer", "signed_integer": "integer", "decimal": "number"}


def field(name: str, type_: str, title: str, description: str, **constraints) -> dict:
    """One Table Schema field; ``constraints`` with a None value are left out."""
    out: dict = {"name": name, "type": type_, "title": title, "description": description}
    kept = {k: v for k, v in constraints.items() if v is not None and v is not False}
    if kept:
        out["constraints"] = kept
    return out


@dataclass(frozen=True)
class TableSpec:
    """One resource of the package: its fields and keys."""

    name: str
    title: str
    description: str
    fields: tuple[dict, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f["name"] for f in self.fields)

    @cached_property
    def name_set(self) -> frozenset[str]:
        return frozenset(self.field_names)

    def schema(self) -> dict:
        """The Table Schema descriptor (v1 and v2 alike)."""
        out: dict = {"fields": [dict(f) for f in self.fields]}
        if self.primary_key:
            out["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": [f], "reference": {"resource": res, "fields": [ref]}}
                for f, res, ref in self.foreign_keys
            ]
        return out


# --- fields shared by many tables -------------------------------------------------------


def agency_id(required: bool = True) -> dict:
    return field(
        "agency_id",
        "string",
        "机构 ID",
        "Agency ID: GB/T 2260 division code, a hyphen and a short ASCII key (371500-wjw).",
        required=required,
        pattern=AGENCY_ID,
    )


def report_id(required: bool = True) -> dict:
    return field(
        "report_id",
        "string",
        "报告 ID",
        "Report ID: <agency_id>/<statistical year>, e.g. 371500-wjw/2023.",
        required=required,
        pattern=REPORT_ID,
    )


def seq(what: str) -> dict:
    return field(
        "seq", "integer", "序号", f"Position of the {what}, from 1.", required=True, minimum=1
    )


def text(name: str, title: str, description: str, **constraints) -> dict:
    return field(name, "string", title, description, **constraints)


def lines(prefix: str = "") -> tuple[dict, dict]:
    """``line_start``/``line_end``: where in the raw text the row came from."""
    return (
        field(
            f"{prefix}line_start", "integer", "原文起始行", "First line in the raw text.", minimum=1
        ),
        field(
            f"{prefix}line_end", "integer", "原文结束行", "Last line in the raw text.", minimum=1
        ),
    )


def year(name: str = "year", title: str = "年度", required: bool = True) -> dict:
    return field(
        name,
        "integer",
        title,
        "Statistical year the report covers.",
        required=required,
        minimum=2007,
        maximum=2100,
    )


def format_code() -> dict:
    return text(
        "format",
        "报告格式",
        "Report format: gov2021, gov2019 or legacy.",
        required=True,
        enum=list(FORMAT_CODES),
    )


def cell_fields(col: Column) -> tuple[dict, dict]:
    """``<col>`` (the number) and ``<col>_note`` (mark or text when not a number)."""
    unit = f"（{col.unit}）" if col.unit else ""
    value = field(
        col.code,
        VALUE_TYPES[col.type],
        f"{col.label}{unit}",
        f"{col.code.replace('_', ' ').capitalize()}{f' ({col.unit})' if col.unit else ''}: the "
        f"number as published; empty when the source printed no number "
        f"(then see {col.code}_note; both empty = blank, never 0).",
        minimum=None if col.type == "signed_integer" else 0,
    )
    note = text(
        f"{col.code}_note",
        f"{col.label}（非数字）",
        f"What the source printed in '{col.code}' when it is not a number: a not-applicable "
        "mark (/, —, 不适用) or text; empty when the cell is a number or blank.",
    )
    return value, note


def cell_kind() -> tuple[dict, dict]:
    return (
        text(
            "cell_kind",
            "单元格类型",
            "number | blank (source printed nothing; never 0) | not_applicable (/, —, 不适用) | text.",
            required=True,
            enum=list(CELL_KINDS),
        ),
        text("cell_text", "原文", "The mark or text as printed when the cell is not a number."),
    )


# --- the columns of the official tables, from the format definitions -------------------


def tables_named(code: str) -> tuple[Table, ...]:
    """The table ``code`` of every format that has one, newest format first."""
    return tuple(t for f in all_formats() if (t := f.table(code)) is not None)


def union(items) -> list:
    """Distinct items by ``code`` in first-seen order; same code must mean the same type."""
    seen: dict = {}
    for item in items:
        known = seen.setdefault(item.code, item)
        if getattr(known, "type", None) != getattr(item, "type", None):
            raise ValueError(f"column {item.code} has two types in the formats")
    return list(seen.values())


def table_columns(code: str) -> list[Column]:
    return union(c for t in tables_named(code) for c in t.columns)


def row_codes(code: str) -> list[str]:
    return list(dict.fromkeys(r.code for t in tables_named(code) for r in t.rows))
