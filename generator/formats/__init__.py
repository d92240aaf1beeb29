"""The official report formats, loaded from the YAML definitions beside this file.

Each format (``gov2021``, ``gov2019``, ``legacy``) is described once, as data:
its sections, its tables (rows with our codes and the official Chinese labels,
columns with types and units) and the arithmetic that the official tables
imply. The validator, the importer, the page templates and the CSV schema all
read these objects; none of them keeps a row list of its own.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
FORMAT_CODES = ("gov2021", "gov2019", "legacy")


@dataclass(frozen=True)
class Column:
    """One column of an official table: our code, the printed label, its type and unit."""

    code: str
    label: str
    type: str = "integer"  # integer | signed_integer | decimal
    unit: str = ""
    group: str = ""  # printed super-header, e.g. 法人或其他组织
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    """One row of an official table; ``columns`` are the cells it holds."""

    code: str
    label: str
    columns: tuple[Column, ...]
    number: str = ""  # printed numbering: 一、 （一） 1.
    group: str = ""  # printed row groups, outermost first, joined by /
    article: str = ""  # article of the regulations the outcome rests on
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    @property
    def group_code(self) -> str:
        """``withheld`` for ``withheld.state_secret``; the code itself otherwise."""
        return self.code.split(".", 1)[0]

    @property
    def full_label(self) -> str:
        """Label with its printed groups, e.g. 三、本年度办理结果/（三）不予公开/1.属于国家秘密."""
        own = f"{self.number}{self.label}"
        return f"{self.group}/{own}" if self.group else own

    def column(self, code: str) -> Column | None:
        return next((c for c in self.columns if c.code == code), None)


@dataclass(frozen=True)
class RowGroup:
    """Rows that share one header (e.g. 第二十条第（一）项 in table 2)."""

    code: str
    label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Check:
    """An arithmetic relation printed on or implied by an official table.

    kinds: ``sum_columns`` (in every row, the part columns add up to the total
    column), ``sum_rows`` (in every column, the part rows add up to the total
    row), ``balance_rows`` (in every column, left rows add up to right rows).
    """

    code: str
    kind: str
    parts: tuple[str, ...] = ()
    total: str = ""
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """An official table: groups of rows, each group with its own columns."""

    code: str
    title: str
    groups: tuple[RowGroup, ...]
    article: str = ""
    note: str = ""
    checks: tuple[Check, ...] = ()
    carry: tuple[str, str] | None = None  # (row this year, row next year)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def columns(self) -> tuple[Column, ...]:
        """Distinct columns in first-seen order (for uniform tables: the columns)."""
        seen: dict[str, Column] = {}
        for g in self.groups:
            for c in g.columns:
                seen.setdefault(c.code, c)
        return tuple(seen.values())

    @property
    def uniform(self) -> bool:
        """True when every row has the same columns (tables 3 and 4)."""
        return len({g.columns for g in self.groups}) == 1

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def expand(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Row codes named by ``names``: a row, or every row of a group."""
        codes = [r.code for r in self.rows]
        out: list[str] = []
        for name in names:
            out += [c for c in codes if c == name or c.startswith(name + ".")]
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Section:
    """A numbered section of a report (一、总体情况 …); narrative or table."""

    code: str
    number: str
    heading: str
    kind: str
    variants: tuple[str, ...] = ()

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.heading, *self.variants)


@dataclass(frozen=True)
class Figure:
    """A figure that a legacy report states in prose (applications received …)."""

    code: str
    label: str
    type: str
    unit: str


@dataclass(frozen=True)
class Format:
    """One report format, as defined in ``<code>.yaml``."""

    code: str
    name: str
    basis: str
    year_from: int
    year_to: int | None
    sections: tuple[Section, ...]
    tables: dict[str, Table] = field(default_factory=dict)
    figures: tuple[Figure, ...] = ()

    def table(self, code: str) -> Table | None:
        return self.tables.get(code)


def _read(name: str) -> dict:
    # All strings, like content files: `1.` must stay "1.", not become 1.0.
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    with open(HERE / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


def _column(d: dict) -> Column:
    return Column(
        code=d["code"],
        label=d["label"],
        type=d.get("type", "integer"),
        unit=d.get("unit", ""),
        group=d.get("group", ""),
        variants=tuple(d.get("variants", ())),
    )


def _row(d: dict, columns: tuple[Column, ...]) -> Row:
    return Row(
        code=d["code"],
        label=d["label"],
        columns=columns,
        number=d.get("number", ""),
        group=d.get("group", ""),
        article=d.get("article", ""),
        variants=tuple(d.get("variants", ())),
    )


def _check(d: dict) -> Check:
    return Check(
        code=d["code"],
        kind=d["kind"],
        parts=tuple(d.get("parts", ())),
        total=d.get("total", ""),
        left=tuple(d.get("left", ())),
        right=tuple(d.get("right", ())),
    )


def _resolve_part(name: str, parts: dict) -> dict:
    """A shared table from parts.yaml, with ``extends``/``replace_rows`` applied."""
    spec = dict(parts[name])
    base_name = spec.pop("extends", None)
    if base_name is None:
        return spec
    merged = {**_resolve_part(base_name, parts), **spec}
    rows: list[dict] = []
    for row in merged["rows"]:
        hit = next(
            (p for p in spec.get("replace_rows", {}) if fnmatch.fnmatch(row["code"], p)), None
        )
        if hit is None:
            rows.append(row)
        elif not any(r["code"] == spec["replace_rows"][hit][0]["code"] for r in rows):
            rows += spec["replace_rows"][hit]
    merged["rows"] = rows
    return merged


def _table(code: str, spec: dict, parts: dict) -> Table:
    if "include" in spec:
        spec = _resolve_part(spec["include"], parts)
    if "groups" in spec:
        groups = []
        for g in spec["groups"]:
            cols = tuple(_column(c) for c in g["columns"])
            rows = tuple(_row(r, cols) for r in g["rows"])
            groups.append(RowGroup(g["code"], g["label"], cols, rows))
    else:
        cols = tuple(_column(c) for c in spec["columns"])
        rows = tuple(_row(r, cols) for r in spec["rows"])
        groups = [RowGroup("main", "", cols, rows)]
    carry = spec.get("carry")
    return Table(
        code=code,
        title=spec["title"],
        groups=tuple(groups),
        article=spec.get("article", ""),
        note=spec.get("note", ""),
        checks=tuple(_check(c) for c in spec.get("checks", ())),
        carry=(carry["from"], carry["to"]) if carry else None,
    )


@cache
def get_format(code: str) -> Format:
    """The format called ``code``; raises KeyError for an unknown code."""
    if code not in FORMAT_CODES:
        raise KeyError(code)
    d = _read(f"{code}.yaml")
    parts = _read("parts.yaml")
    years = d.get("years", {})
    return Format(
        code=d["code"],
        name=d["name"],
        basis=d["basis"],
        year_from=int(years.get("from", 2008)),
        year_to=int(years["to"]) if "to" in years else None,
        sections=tuple(
            Section(s["code"], s["number"], s["heading"], s["kind"], tuple(s.get("variants", ())))
            for s in d.get("sections", ())
        ),
        tables={k: _table(k, v, parts) for k, v in (d.get("tables") or {}).items()},
        figures=tuple(
            Figure(f["code"], f["label"], f.get("type", "integer"), f.get("unit", ""))
            for f in d.get("figures", ())
        ),
    )


def all_formats() -> tuple[Format, ...]:
    """Every format, newest first."""
    return tuple(get_format(c) for c in FORMAT_CODES)
