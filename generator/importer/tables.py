"""Place printed table rows on the rows of a format's table definition.

Rows are matched by their printed label (normalised; the labels and variants
of the format definition, never a row list of our own). Rows whose label is
missing are placed by the definition's fixed order in the gaps between
labelled rows; where a gap holds fewer printed rows than the definition, or
a row's cells can be aligned in more than one way, the table arithmetic of
the definition decides between the candidates.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..formats import Row, Table
from ..formats.arithmetic import Mismatch, evaluate, score
from ..records import Cell
from .cells import alignments, is_value, parse_cell
from .layouts import RawRow
from .text import has_cjk, label_key

MAX_COMBINATIONS = 3000
GENERIC_HEADERS = ("信息内容", "申请人情况", "统计指标", "单位", "统计数")


@dataclass
class Labels:
    """Comparison keys of one table definition's row, group and header labels."""

    rows: dict[str, str] = field(default_factory=dict)  # key -> row code
    groups: dict[str, list[str]] = field(default_factory=dict)  # key -> row codes
    headers: set[str] = field(default_factory=set)

    def row(self, text: str) -> str | None:
        key = label_key(text)
        if not key:
            return None
        if key in self.rows:
            return self.rows[key]
        if len(key) >= 4:  # a label cut short or run on, when only one row fits
            hits = {
                c
                for k, c in self.rows.items()
                if len(k) >= 4 and (k.startswith(key) or key.startswith(k))
            }
            if len(hits) == 1:
                return hits.pop()
        return None

    def group(self, text: str) -> list[str] | None:
        return self.groups.get(label_key(text))

    def is_header(self, text: str) -> bool:
        key = label_key(text)
        return bool(key) and (key in self.headers or "勾稽" in key or key in self.groups)


def index(table: Table) -> Labels:
    """The label keys of ``table``."""
    out = Labels(headers={label_key(w) for w in GENERIC_HEADERS})
    for row in table.rows:
        for label in row.labels:
            out.rows.setdefault(label_key(label), row.code)
        for part in filter(None, row.group.split("/")):
            out.groups.setdefault(label_key(part), []).append(row.code)
    for group in table.groups:
        out.headers.add(label_key(group.label))
        for col in group.columns:
            out.headers.update(label_key(lb) for lb in (*col.labels, col.group) if lb)
    return out


@dataclass
class Item:
    """A printed row, classified: header or data, with its label match and value cells."""

    raw: RawRow
    header: bool
    code: str | None = None
    group: list[str] | None = None
    label: str = ""
    values: list[str] = field(default_factory=list)
    value_lines: list[int] = field(default_factory=list)


def classify(raw: RawRow, labels: Labels) -> Item:
    """Split a printed row into label cells and value cells; decide header or data."""
    cells = raw.cells
    first_value = next((i for i, c in enumerate(cells) if is_value(c)), len(cells))
    code = group = None
    label_at = code_at = -1
    for i, cell in enumerate(cells[:first_value]):
        if not cell:
            continue
        hit = labels.row(cell)
        if hit:
            code, code_at, label_at = hit, i, i
        elif labels.group(cell) and code is None:
            group, label_at = labels.group(cell), i
        elif has_cjk(cell) and code is None and not labels.is_header(cell):
            label_at = i
    values = cells[label_at + 1 :]
    lines = (raw.cell_lines or [raw.start] * len(cells))[label_at + 1 :]
    label = cells[code_at] if code_at >= 0 else ""
    if code is None and label_at >= 0 and not labels.group(cells[label_at]):
        label = cells[label_at]  # a printed label the definition does not know
    item = Item(raw, False, code, group, label, values, lines)
    if not any(is_value(v) for v in values):
        others = [c for i, c in enumerate(cells) if c and i != code_at]
        item.header = code is None or any(labels.is_header(c) or labels.row(c) for c in others)
    return item


@dataclass
class PlacedRow:
    """A definition row filled from printed cells."""

    code: str
    cells: dict[str, Cell]
    start: int
    end: int
    how: str  # label | position
    label: str = ""
    extra: list[str] = field(default_factory=list)  # printed cells beyond the columns


@dataclass
class TableResult:
    """One table of one report, placed."""

    code: str
    rows: dict[str, PlacedRow] = field(default_factory=dict)
    header_lines: list[int] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


def _fill(row: Row, values: list[str]) -> dict[str, Cell]:
    return {c.code: parse_cell(v, c) for c, v in zip(row.columns, values, strict=False)}


def _cells_of(result: TableResult) -> dict[str, dict[str, Cell]]:
    return {code: r.cells for code, r in result.rows.items()}


def _rank(table: Table, rows: dict[str, dict[str, Cell]]) -> tuple[int, int]:
    broken, testable = score(table, rows)
    return broken, -testable


def _split_multi(items: list[Item], table: Table) -> list[Item]:
    """An unlabelled row holding k rows' worth of cells (appeals: 15 in one line) -> k rows."""
    n = len(table.rows[0].columns)
    out: list[Item] = []
    for it in items:
        vals = list(it.values)
        while vals and not vals[-1].strip() and len(vals) % n:
            vals.pop()
        k = len(vals) // n if n else 0
        if it.code or it.group or not table.uniform or k < 2 or len(vals) != k * n:
            out.append(it)
            continue
        for j in range(k):
            chunk, lines = vals[j * n : (j + 1) * n], it.value_lines[j * n : (j + 1) * n]
            raw = RawRow(chunk, min(lines), max(lines), it.raw.layout, lines)
            if j == 0:
                raw.start = it.raw.start
            if j == k - 1:
                raw.end = it.raw.end
            out.append(Item(raw, False, values=chunk, value_lines=lines))
    return out


def _put(result: TableResult, table: Table, item: Item, code: str, how: str) -> None:
    row = table.row(code)
    assert row is not None
    printed = list(item.values)
    while item.raw.layout == "tab" and printed and not printed[-1].strip():
        printed.pop()  # a PDF row's trailing tab ends the row; it is not an empty cell
    options = alignments(printed, len(row.columns))
    values = options[0]
    extra = [v for v in item.values if v.strip()]
    for v in values:
        if v.strip() and v in extra:
            extra.remove(v)
    label = item.label if item.label and label_key(item.label) != label_key(row.label) else ""
    result.rows[code] = PlacedRow(
        code, _fill(row, values), item.raw.start, item.raw.end, how, label, extra
    )
    result.rows[code].options = options  # type: ignore[attr-defined]


def place_table(table: Table, raws: list[RawRow]) -> TableResult:
    """Place the printed rows ``raws`` on ``table``; see the module docstring."""
    labels = index(table)
    result = TableResult(table.code)
    items = [classify(r, labels) for r in raws]
    for it in items:
        if it.header:
            result.header_lines += range(it.raw.start, it.raw.end + 1)
    data = _split_multi([it for it in items if not it.header], table)
    codes = [r.code for r in table.rows]
    gaps = _anchor(result, table, data, codes)
    _choose_gaps(result, table, gaps)
    _choose_alignments(result, table)
    result.mismatches = evaluate(table, _cells_of(result))
    result.rows = {c: result.rows[c] for c in codes if c in result.rows}
    return result


def _anchor(result: TableResult, table: Table, data: list[Item], codes: list[str]):
    """Place labelled rows; return the gaps: (unlabelled items, free codes between anchors)."""
    gaps: list[tuple[list[Item], list[str]]] = []
    prev, waiting = -1, []
    for it in data:
        target = None
        if it.code:
            target = codes.index(it.code)
        elif it.group:
            target = next((codes.index(c) for c in it.group if codes.index(c) > prev), None)
        if target is None:
            waiting.append(it)
            continue
        if target <= prev:
            reason = "重复的行" if it.code in result.rows else "行的顺序与格式不符"
            result.unplaced += [(n, reason) for n in range(it.raw.start, it.raw.end + 1)]
            continue
        gaps.append((waiting, codes[prev + 1 : target]))
        _put(result, table, it, codes[target], "label" if it.code else "position")
        prev, waiting = target, []
    gaps.append((waiting, codes[prev + 1 :]))
    return [g for g in gaps if g[0]]


def _choose_gaps(result: TableResult, table: Table, gaps) -> None:
    for items, free in gaps:  # first, every gap filled in order
        for it, code in zip(items, free, strict=False):
            _put(result, table, it, code, "position")
        for it in items[len(free) :]:
            result.unplaced += [
                (n, "表中没有剩余的行可放") for n in range(it.raw.start, it.raw.end + 1)
            ]
    for items, free in gaps:  # then the arithmetic picks where a short gap's rows belong
        if not 0 < len(items) < len(free):
            continue
        best, best_rank = None, None
        for n, combo in enumerate(itertools.combinations(free, len(items))):
            if n >= MAX_COMBINATIONS:
                break
            for code in free:
                result.rows.pop(code, None)
            for it, code in zip(items, combo, strict=True):
                _put(result, table, it, code, "position")
            rank = _rank(table, _cells_of(result))
            if best_rank is None or rank < best_rank:
                best, best_rank = combo, rank
        for code in free:
            result.rows.pop(code, None)
        for it, code in zip(items, best or free, strict=False):
            _put(result, table, it, code, "position")


def _choose_alignments(result: TableResult, table: Table) -> None:
    """Where a row's cells can be read more than one way, keep the reading that adds up."""
    for code, placed in list(result.rows.items()):
        options = getattr(placed, "options", [])
        if len(options) < 2:
            continue
        row = table.row(code)
        filled = _filled_columns(result, code)
        best, best_rank = None, None
        for values in options:
            placed.cells = _fill(row, values)
            used = sum(
                filled.get(c, 0) for c, cell in placed.cells.items() if cell.text or cell.is_number
            )
            rank = (*_rank(table, _cells_of(result)), -used)
            if best_rank is None or rank < best_rank:
                best, best_rank = placed.cells, rank
        placed.cells = best


def _filled_columns(result: TableResult, skip: str) -> dict[str, int]:
    """How many other rows print something in each column (for consistent alignment)."""
    out: dict[str, int] = {}
    for code, placed in result.rows.items():
        if code != skip:
            for col, cell in placed.cells.items():
                if cell.text or cell.is_number:
                    out[col] = out.get(col, 0) + 1
    return out
