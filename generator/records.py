"""Typed records: what the loader makes of content files.

Every record keeps the file it came from and a ``lines`` index from field path
(``requests.new.total``) to the 1-based line in that file, so that any later
stage can point a volunteer at the exact place.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

Number = int | Decimal


class CellKind(StrEnum):
    """What a table cell holds; these stay distinct in YAML, on the page and in the CSV."""

    NUMBER = "number"
    BLANK = "blank"  # the source printed nothing; never becomes 0
    NOT_APPLICABLE = "not_applicable"  # "/", "—", 不适用
    TEXT = "text"  # 详见…


_KIND_REPR = {kind: repr(kind) for kind in CellKind}
NOT_APPLICABLE_MARKS = frozenset({"/", "／", "—", "——", "-", "–", "不适用", "无此项"})


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as published: its kind, its number if any, and the text as written."""

    kind: CellKind
    value: Number | None = None
    text: str = ""

    @property
    def is_number(self) -> bool:
        return self.kind is CellKind.NUMBER

    def __repr__(self) -> str:
        # The dataclass repr, character for character, without its recursion guard and
        # enum repr per call: report versions digest repr(report), a few hundred cells each.
        kind = self.kind
        kind_repr = _KIND_REPR[kind] if kind.__class__ is CellKind else repr(kind)
        return f"{self.__class__.__qualname__}(kind={kind_repr}, value={self.value!r}, text={self.text!r})"

    def display(self) -> str:
        """How the cell reads on a page: the number, blank, or the mark/text as printed."""
        if self.kind is CellKind.NUMBER:
            return format_number(self.value)
        return self.text


def format_number(value: Number | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


BLANK = Cell(CellKind.BLANK)
_SHARED: dict[tuple, Cell | LineRange] = {}
SHARED_MAX = 200_000  # distinct cells and line ranges kept for sharing


def shared_cell(kind: CellKind, value: Number | None = None, text: str = "") -> Cell:
    """An equal ``Cell`` shared with every other holder: a corpus has few distinct cells."""
    key = (kind, value.__class__, value, text)  # 1 and Decimal(1) are equal but differ
    cell = _SHARED.get(key)
    if cell is None:
        cell = Cell(kind, value, text)
        if len(_SHARED) < SHARED_MAX:
            _SHARED[key] = cell
    return cell  # type: ignore[return-value]


def shared_range(start: int, end: int) -> LineRange:
    """An equal ``LineRange``, shared like cells."""
    key = (start, end)
    lines = _SHARED.get(key)
    if lines is None:
        lines = LineRange(start, end)
        if len(_SHARED) < SHARED_MAX:
            _SHARED[key] = lines
    return lines  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class LineRange:
    """Lines ``start``..``end`` (inclusive, 1-based) of a raw text file."""

    start: int
    end: int

    def __repr__(self) -> str:  # the dataclass repr, without its recursion guard (see Cell)
        return f"{self.__class__.__qualname__}(start={self.start!r}, end={self.end!r})"

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class TableRow:
    code: str
    cells: dict[str, Cell]
    source_lines: LineRange | None = None
    label: str = ""  # the label as printed, when it differs from the official one

    def __repr__(self) -> str:  # the dataclass repr, without its recursion guard (see Cell)
        return (
            f"{self.__class__.__qualname__}(code={self.code!r}, cells={self.cells!r}, "
            f"source_lines={self.source_lines!r}, label={self.label!r})"
        )


@dataclass(frozen=True, slots=True)
class ReportTable:
    code: str
    rows: dict[str, TableRow]

    def cell(self, row: str, column: str) -> Cell:
        r = self.rows.get(row)
        return r.cells.get(column, BLANK) if r else BLANK


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    text: str
    code: str = ""  # section code of the format (overview, problems, other) when known
    source_lines: LineRange | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure stated in prose (legacy reports, or the fee in section 6)."""

    code: str
    value: Cell
    source_lines: LineRange | None = None
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Statistic:
    """A row of a provincial statistics table (统计指标 | 单位 | 统计数)."""

    indicator: str
    unit: str
    value: Cell
    source_lines: LineRange | None = None


@dataclass(frozen=True)  # no slots: the package exports vars(correction)
class Correction:
    field: str
    published: str
    corrected: str
    reason: str
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class SourceIssue:
    """A check failure a volunteer confirmed against the raw text: the source prints it so."""

    check: str
    field: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    raw: str = ""  # path of the raw text under content/raw/
    lines: LineRange | None = None
    url: str = ""
    file_name: str = ""
    retrieved: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class Report:
    agency: str
    year: int
    format: str
    title: str
    file: str
    lines: dict[str, int]
    source: Source = field(default_factory=Source)
    published: dt.date | None = None
    filed_as: str = ""  # name the report was published under, if not the current one
    period: Period | None = None
    partial: bool = False  # only part of the report survives
    preface: str = ""
    sections: tuple[Section, ...] = ()
    tables: dict[str, ReportTable] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    statistics_title: str = ""
    statistics: tuple[Statistic, ...] = ()
    corrections: tuple[Correction, ...] = ()
    source_issues: tuple[SourceIssue, ...] = ()
    notes: str = ""

    @property
    def id(self) -> str:
        return f"{self.agency}/{self.year}"

    def line_of(self, path: str) -> int:
        return line_of(self.lines, path)


@dataclass(frozen=True, slots=True)
class Contact:
    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class LineageEntry:
    """An earlier name of the agency, or a predecessor merged into it."""

    name: str
    relation: str  # renamed | merged | split
    from_year: int | None = None
    to_year: int | None = None
    agency: str = ""  # the predecessor's own agency id, if it has a file
    note: str = ""


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    level: str
    division_code: str
    province: str
    file: str
    lines: dict[str, int]
    short_name: str = ""
    name_en: str = ""
    city: str = ""
    county: str = ""
    sector: str = "health"
    website: str = ""
    contact: Contact = field(default_factory=Contact)
    aliases: tuple[str, ...] = ()
    lineage: tuple[LineageEntry, ...] = ()
    dissolved: int | None = None  # year the agency ceased to exist
    notes: str = ""

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name, self.short_name, *self.aliases, *(e.name for e in self.lineage)]
        return tuple(dict.fromkeys(n for n in names if n))

    def line_of(self, path: str) -> int:
        return line_of(self.lines, path)


@dataclass(frozen=True, slots=True)
class Hours:
    text: str
    season: str = ""  # e.g. 5月1日至9月30日


@dataclass(frozen=True, slots=True)
class Channel:
    type: str  # in_person | post | online | fax | email | phone
    office: str = ""
    address: str = ""
    postcode: str = ""
    hours: tuple[Hours, ...] = ()
    phone: str = ""
    fax: str = ""
    email: str = ""
    url: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class TimeLimit:
    days: int | None
    unit: str = "working_days"  # working_days | days | months
    text: str = ""


@dataclass(frozen=True, slots=True)
class Remedy:
    type: str  # correction | reconsideration | litigation | complaint
    body: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    hours: tuple[Hours, ...] = ()
    period: TimeLimit | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class FormSpec:
    name: str = ""
    url: str = ""
    fields: tuple[str, ...] = ()
    file_name: str = ""  # the form file as the guide names it (申请表.docx) when no URL is known
    notes: str = ""  # notes printed on the form (注：…)


@dataclass(frozen=True, slots=True)
class Guide:
    agency: str
    title: str
    file: str
    lines: dict[str, int]
    source: Source = field(default_factory=Source)
    published: dt.date | None = None
    office: Channel | None = None  # the disclosure office itself
    channels: tuple[Channel, ...] = ()
    time_limits: dict[str, TimeLimit] = field(default_factory=dict)
    not_counted: tuple[str, ...] = ()
    fees: str = ""
    remedies: tuple[Remedy, ...] = ()
    proactive_scope: tuple[str, ...] = ()
    proactive_where: tuple[str, ...] = ()
    not_disclosed: tuple[str, ...] = ()
    form: FormSpec = field(default_factory=FormSpec)
    notes: str = ""

    def line_of(self, path: str) -> int:
        return line_of(self.lines, path)


def line_in_text(lines: dict[str, int], path: str, text: str, offset: int) -> int:
    """Line of ``text[offset]`` where ``text`` is the value at ``path``."""
    start = lines.get(f"{path}/text")
    if start is None:
        return line_of(lines, path)
    return start + text[:offset].count("\n")


def line_of(lines: dict[str, int], path: str) -> int:
    """Line of ``path``, or of its nearest ancestor that has one, or 0."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rsplit(".", 1)[0] if "." in path else ""
        # a row code may hold a dot (withheld.state_secret): the loop tries both
    return lines.get("", 0)


def _reduce_fields(self) -> tuple:
    return self.__class__, tuple(map(self.__getattribute__, self.__match_args__))


KEYS_MAX = 20_000  # distinct key layouts kept (reports have a few dozen)
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _layout(keys: tuple[str, ...]) -> tuple[str, ...]:
    """An equal tuple of interned keys, the same object for every equal layout.

    Pickling one object per layout lets a pickle hold each layout of field
    paths (or of a row's columns) once; unpickling finds its interned twin by
    one lookup instead of interning every key of every record.
    """
    hit = _KEYS.get(keys)
    if hit is None:
        hit = tuple(map(sys.intern, keys))
        if len(_KEYS) < KEYS_MAX:
            _KEYS[hit] = hit
    return hit


def _split(d: dict) -> tuple[tuple[str, ...], tuple]:
    return _layout(tuple(d)), tuple(d.values())


def _joined(keys: tuple[str, ...], values: tuple) -> dict:
    return dict(zip(_layout(keys), values, strict=True))


def _row(code: str, keys: tuple[str, ...], values: tuple, source_lines, label: str) -> TableRow:
    return TableRow(sys.intern(code), _joined(keys, values), source_lines, label)


def _with_lines(cls: type, args: tuple, keys: tuple[str, ...], values: tuple):
    at = cls.__match_args__.index("lines")
    return cls(*args[:at], _joined(keys, values), *args[at:])


def _reduce_row(self: TableRow) -> tuple:
    return _row, (self.code, *_split(self.cells), self.source_lines, self.label)


def _table(cls: type, code: str, rows: tuple) -> ReportTable:
    made = {}
    for row_code, keys, values, source_lines, label in rows:
        row_code = sys.intern(row_code)
        cells = dict(zip(_layout(keys), values, strict=True))
        made[row_code] = TableRow(row_code, cells, source_lines, label)
    return cls(code, made)


def _reduce_table(self: ReportTable) -> tuple:
    # One call rebuilds every row: a call per row (and per dict) was a third of the
    # time unpickling the cached records takes.
    rows = tuple(
        (r.code, *_split(r.cells), r.source_lines, r.label) if k == r.code else None
        for k, r in self.rows.items()
    )
    if None in rows:  # a row kept under another key than its code: as it is
        return _reduce_fields(self)
    return _table, (self.__class__, self.code, rows)


def _reduce_with_lines(self) -> tuple:
    args = tuple(getattr(self, name) for name in self.__match_args__ if name != "lines")
    return _with_lines, (self.__class__, args, *_split(self.lines))


def _reduce_cell(self: Cell) -> tuple:
    return shared_cell, (self.kind, self.value, self.text)


def _reduce_range(self: LineRange) -> tuple:
    return shared_range, (self.start, self.end)


# Loaded records travel by pickle (from worker processes, from the load cache).
# The default for frozen slotted dataclasses is a Python ``__setstate__`` that
# calls ``fields()`` per object, the largest cost of reading the cache; these
# rebuild each record through its constructor, and cells and line ranges
# through the shared tables, so the parent keeps one of each; the field paths
# of ``lines`` and the column codes of rows travel as shared key layouts
# (``_layout``) and come back interned, since pickles share equal strings only
# within one dump.
for _cls in (
    Section,
    Figure,
    Statistic,
    SourceIssue,
    Source,
    Period,
    Contact,
    LineageEntry,
    Hours,
    Channel,
    TimeLimit,
    Remedy,
    FormSpec,
):
    _cls.__reduce__ = _reduce_fields  # type: ignore[method-assign]
for _cls in (Report, Agency, Guide):
    _cls.__reduce__ = _reduce_with_lines  # type: ignore[method-assign]
ReportTable.__reduce__ = _reduce_table  # type: ignore[method-assign]
TableRow.__reduce__ = _reduce_row  # type: ignore[method-assign]
Cell.__reduce__ = _reduce_cell  # type: ignore[method-assign]
LineRange.__reduce__ = _reduce_range  # type: ignore[method-assign]
