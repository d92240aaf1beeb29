"""Official tables' HTML: the ``official_table`` macro, partially evaluated.

A table's HTML varies from report to report only in its caption (the year),
its 纠错 link, its raw lines and its cells; the headings, labels, spans and
classes are fixed by the format. So each (format, table) is rendered once
through the macro with sentinel values and cut at them into fixed text and
slots (a *skeleton*); a report fills the slots: caption and link escaped as
Jinja escapes them (``markupsafe.escape``), each cell as the ``cell`` macro
prints it (its tag, itself partially evaluated per kind and colspan, around
the escaped text), the raw lines by the ``raw_lines`` macro. The templates
stay the only source of the HTML, and nothing here lays a table out.

A skeleton is checked against the macro once when it is made, with cells of
every kind, text to escape, and with and without raw lines; a table whose
skeleton does not reproduce the macro is rendered by the macro for every
report (``skeleton`` returns None).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path

from jinja2.environment import TemplateModule
from markupsafe import Markup, escape

from .. import loadcache
from ..formats import Format, all_formats, get_format
from ..records import BLANK, Cell, CellKind, ReportTable, TableRow, format_number, shared_cell
from .contexts import CellView, RawLines, TableView
from .env import environment
from .keys import code_digest
from .tables import TRANSPOSED, layout

MACROS = "_macros.html.j2"
CAPTION, FIX, RAW = 0, 1, 2  # value slots before the cells'
CELLS = 3
SKELETONS_FILE = "table-skeletons.pickle"


def mark(name: object) -> str:
    """A sentinel: private-use characters, in no format's labels and unchanged by escaping."""
    return f"\ue000{name}\ue001"


def macros() -> TemplateModule:
    """The macros of ``_macros.html.j2`` (the template module is made once per environment)."""
    return environment().get_template(MACROS).module


def cut(text: str, marks: dict[int, str]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """``text`` cut at each of ``marks`` (slot -> its text): (fixed pieces, slots in order).

    None when a mark is not found exactly once or two marks overlap.
    """
    found = []
    for slot, text_of_slot in marks.items():
        at = text.find(text_of_slot)
        if at < 0 or text.find(text_of_slot, at + 1) >= 0:
            return None
        found.append((at, at + len(text_of_slot), slot))
    found.sort()
    pieces: list[str] = []
    order: list[int] = []
    pos = 0
    for start, end, slot in found:
        if start < pos:
            return None
        pieces.append(text[pos:start])
        order.append(slot)
        pos = end
    pieces.append(text[pos:])
    return tuple(pieces), tuple(order)


@cache
def cell_tag(kind: str, span: int) -> tuple[str, str]:
    """What the ``cell`` macro prints before and after a cell's escaped text."""
    sentinel = mark("cell")
    view = CellView(str(kind), sentinel)  # str(): the kind as cell_view gives it
    parts = cut(str(macros().cell(view, span)), {0: sentinel})
    if parts is None:
        raise ValueError(f"the cell macro does not print its text once: {kind} {span}")
    (before, after), _ = parts
    return before, after


_ESCAPED: dict[str, str] = {}


def escaped(text: str) -> str:
    """A cell's text escaped as Jinja's autoescape does (memoised: cells have few texts)."""
    out = _ESCAPED.get(text)
    if out is None:
        out = str(escape(text))
        if len(_ESCAPED) < 20_000:
            _ESCAPED[text] = out
    return out


def cell_markup(view: CellView, span: int = 1) -> Markup:
    """``{{ cell(view, span) }}``: the ``cell`` macro partially evaluated (templates call this)."""
    before, after = cell_tag(view.kind, span)
    text = view.text
    # the memo only for plain strings: Markup("<b>") equals "<b>" but is not escaped
    inner = escaped(text) if text.__class__ is str else str(escape(text))
    return Markup(before + inner + after)


def data_cell_html(cell: Cell, span: int) -> str:
    """A cell as ``{{ cell(cell_view(cell), span) }}`` prints it."""
    kind = cell.kind
    before, after = cell_tag(kind, span)
    if kind is CellKind.NUMBER:
        # str() of a number holds none of & < > ' ": escaping leaves it as it is
        return before + format_number(cell.value) + after  # type: ignore[arg-type]
    return before + escaped(cell.display()) + after


def table_view(
    fmt: Format, code: str, data: ReportTable, caption: str, fix_url: str, raw: RawLines | None
) -> TableView:
    """The macro's input: table ``code`` of ``fmt`` filled with ``data``."""
    table = fmt.tables[code]
    section = next((s for s in fmt.sections if s.code == code), None)
    head, body = layout(table, data)
    return TableView(
        code=code,
        heading=f"{section.number}、{section.heading}" if section else table.title,
        caption=caption,
        head=head,
        body=body,
        note=table.note if code not in TRANSPOSED else "",
        fix_url=fix_url,
        raw=raw,
        wide=len(table.columns) > 8 or code in TRANSPOSED,
    )


def macro_html(view: TableView) -> str:
    """The table as the ``official_table`` macro prints it."""
    return str(macros().official_table(view))


class _Probe:
    """Stands in for a report's table: hands out given cells and records which were asked for."""

    def __init__(self, cells: tuple[Cell, ...] = ()) -> None:
        self.cells = cells
        self.asked: list[tuple[str, str]] = []

    def cell(self, row: str, column: str) -> Cell:
        i = len(self.asked)
        self.asked.append((row, column))
        return self.cells[i % len(self.cells)] if self.cells else Cell(CellKind.TEXT, None, mark(i))


# Cells of every kind, with text to escape, for checking a skeleton against the macro.
CHECK_CELLS = (
    shared_cell(CellKind.NUMBER, 12),
    BLANK,
    shared_cell(CellKind.NOT_APPLICABLE, None, "/"),
    shared_cell(CellKind.TEXT, None, "详见<附件> & \"说明\" 'x'"),
    shared_cell(CellKind.NUMBER, Decimal("1.50")),
    shared_cell(CellKind.NUMBER, 0),
    shared_cell(CellKind.NOT_APPLICABLE, None, "—"),
)
CHECK_RAW = RawLines("raw/x.txt", 7, ("一、<总体>", "a & b", ""), "https://x/?a=1&b=2#L7-L9")


_NO_CELLS: dict[str, Cell] = {}


@dataclass(frozen=True)
class Skeleton:
    """A table's fixed HTML with its value slots: ``pieces`` around the slots of ``order``."""

    pieces: tuple[str, ...]
    order: tuple[int, ...]  # CAPTION, FIX, RAW, or CELLS + i for the i-th cell
    cells: tuple[tuple[str, str, int], ...]  # (row, column, colspan) of each cell slot

    @cached_property
    def rows(self) -> tuple[tuple[str, tuple[tuple[str, int, str, str], ...]], ...]:
        """The cell slots by row: (row, ((column, colspan, a number's tag before, after), …))."""
        out: list[tuple[str, list]] = []
        for row, column, span in self.cells:
            if not out or out[-1][0] != row:
                out.append((row, []))
            out[-1][1].append((column, span, *cell_tag("number", span)))
        return tuple((row, tuple(columns)) for row, columns in out)

    def fill(self, data: ReportTable, caption: str, fix_url: str, raw: RawLines | None) -> str:
        """The table's HTML for ``data``, equal to the macro's."""
        values = [
            str(escape(caption)),
            str(escape(fix_url)),  # one per report and table: not memoised
            str(macros().raw_lines(raw)) if raw else "",
        ]
        add = values.append
        rows = data.rows
        for row, columns in self.rows:
            r = rows.get(row)
            cells = r.cells if r is not None else _NO_CELLS
            for column, span, before, after in columns:
                cell = cells.get(column, BLANK)
                if cell.kind is CellKind.NUMBER:
                    value = cell.value
                    # str() of a number holds none of & < > ' ": escaping leaves it as it is
                    text = str(value) if value.__class__ is int else format_number(value)  # type: ignore[arg-type]
                    add(before + text + after)
                else:
                    add(data_cell_html(cell, span))
        out = [self.pieces[0]]
        for slot, piece in zip(self.order, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return "".join(out)


def _spans(view: TableView) -> list[int]:
    """The colspan the macro gives each data cell, in order (the last of a row: ``span_last``)."""
    return [
        row.span_last if i == len(row.cells) - 1 else 1
        for row in view.body
        for i in range(len(row.cells))
    ]


def _make(fmt: Format, code: str) -> Skeleton | None:
    probe = _Probe()
    view = table_view(fmt, code, probe, mark("caption"), mark("fix"), CHECK_RAW)  # type: ignore[arg-type]
    spans = _spans(view)
    if len(spans) != len(probe.asked):
        return None
    try:  # every kind's tag at every span, so that filling never meets a cell it cannot print
        for kind in CellKind:
            for span in set(spans):
                cell_tag(kind, span)
    except ValueError:
        return None
    marks = {CAPTION: mark("caption"), FIX: mark("fix"), RAW: str(macros().raw_lines(CHECK_RAW))}
    for i, span in enumerate(spans):
        before, after = cell_tag("text", span)
        marks[CELLS + i] = before + mark(i) + after
    parts = cut(macro_html(view), marks)
    if parts is None:
        return None
    cells = tuple(
        (row, column, span) for (row, column), span in zip(probe.asked, spans, strict=True)
    )
    return Skeleton(*parts, cells)


def _reproduces(skeleton: Skeleton, fmt: Format, code: str) -> bool:
    """True when the skeleton equals the macro for cells of every kind, with and without raw."""
    probe = _Probe(CHECK_CELLS)
    layout(fmt.tables[code], probe)  # type: ignore[arg-type]
    rows: dict[str, dict[str, Cell]] = {}
    for i, (row, column) in enumerate(probe.asked):
        if i % 5 != 4:  # and some cells missing, printed blank
            rows.setdefault(row, {})[column] = CHECK_CELLS[i % len(CHECK_CELLS)]
    data = ReportTable(code, {r: TableRow(r, cells) for r, cells in rows.items()})
    for raw in (None, CHECK_RAW):
        args = (f"2023年度 <{code}> & “表”", "https://github.com/x/issues/new?a=1&b=<2>", raw)
        if skeleton.fill(data, *args) != macro_html(table_view(fmt, code, data, *args)):
            return False
    return True


def _checked(format_code: str, code: str) -> Skeleton | None:
    fmt = get_format(format_code)
    made = _make(fmt, code)
    return made if made is not None and _reproduces(made, fmt, code) else None


def _store_path() -> Path:
    return loadcache.key_path().parent / SKELETONS_FILE


def _store_stamp() -> str:
    return hashlib.sha256(b"table skeletons 1\0" + code_digest()).hexdigest()


@cache
def _skeletons() -> dict[tuple[str, str], Skeleton | None]:
    """Every table's skeleton (or None), made and checked by this very code.

    Making and checking them all takes a quarter of a second, which a one-report
    rebuild would spend on its few pages; they depend on the code and templates
    alone, so they are kept, signed, beside the cache key (``loadcache``: like the
    compiled templates, private to the user) under a digest of the code.
    """
    key = loadcache.signing_key()
    stamp = _store_stamp() if key is not None else ""
    if key is not None:
        stored = loadcache.read(_store_path(), key, stamp)
        if isinstance(stored, dict):
            return stored
    made = {(f.code, t): _checked(f.code, t) for f in all_formats() for t in f.tables}
    if key is not None:
        loadcache.write(_store_path(), key, stamp, pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
    return made


@cache
def skeleton(format_code: str, code: str) -> Skeleton | None:
    """The skeleton of table ``code`` of format ``format_code``; None: use the macro."""
    skeletons = _skeletons()
    if (format_code, code) in skeletons:
        return skeletons[(format_code, code)]
    return _checked(format_code, code)


def official_table_html(
    format_code: str, code: str, data: ReportTable, caption: str, fix_url: str, raw: RawLines | None
) -> Markup:
    """Table ``code`` of a report, as the ``official_table`` macro prints it."""
    made = skeleton(format_code, code)
    if made is None:
        view = table_view(get_format(format_code), code, data, caption, fix_url, raw)
        return Markup(macro_html(view))
    return Markup(made.fill(data, caption, fix_url, raw))
