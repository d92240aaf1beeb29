"""Table layouts -> rows of cells, whatever program the text was copied from.

Three layouts reach us, often mixed in one file:

* **pipe rows** (HTML tables copied as text): ``规章 | 0 | 0 | 0 |``; merged
  cells leave trailing ``||`` and row labels may be missing;
* **tab rows** (PDF): one row per line, cells separated by tabs, an empty cell
  keeps its position (``行政许可\\t39\\t-39\\t0``);
* **one cell per line** (Word): each cell on its own tab-indented line, rows
  separated by blank lines; a cell broken over lines continues on a line
  without the tab (``\\t结果`` / ``维持``).

Markdown emphasis and ``<b>`` tags are removed from cells. Lines that are
not table cells come back as text lines, so the caller can place them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import Line, clean, join_broken, strip_markup


@dataclass
class RawRow:
    """Cells of one printed table row and the raw lines it came from."""

    cells: list[str]
    start: int
    end: int
    layout: str  # pipe | tab | word
    cell_lines: list[int] = field(default_factory=list)  # the line each cell starts on


def line_kind(text: str) -> str:
    """``blank``, ``pipe``, ``tab``, ``cell`` (Word: one tab-indented cell) or ``text``."""
    body = strip_markup(text).rstrip("\r\n")
    if not clean(body):
        return "cell" if body.startswith("\t") else "blank"
    if "|" in body or "｜" in body:
        return "pipe"
    inner = body.lstrip(" \u3000\u00a0")
    if inner.startswith("\t") and "\t" not in inner[1:].rstrip("\t"):
        return "cell"
    if "\t" in inner.strip("\t") or inner.count("\t") >= 2:
        return "tab"
    return "text"


def _pipe_cells(text: str) -> list[str]:
    cells = [clean(c) for c in strip_markup(text).replace("｜", "|").split("|")]
    if cells and not cells[0] and text.lstrip().startswith("|"):
        cells = cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _tab_cells(text: str) -> list[str]:
    return [clean(c) for c in strip_markup(text).rstrip("\r\n").split("\t")]


def to_rows(lines: list[Line]) -> tuple[list[RawRow], list[Line]]:
    """(table rows, lines that are not table cells) for a table region."""
    rows: list[RawRow] = []
    text_lines: list[Line] = []
    word: RawRow | None = None
    pending: list[Line] = []  # text lines that may start the next pipe row's label
    last_kind = "blank"

    def flush_pending() -> None:
        text_lines.extend(pending)
        pending.clear()

    for line in lines:
        kind = line_kind(line.text)
        if kind == "text" and last_kind == "cell" and word is not None:
            word.cells[-1] = join_broken(word.cells[-1], clean(line.text))
            word.end = line.no
            continue  # a Word cell broken over lines: last_kind stays "cell"
        if kind != "cell":
            word = None
        if kind == "cell":
            if word is None:
                flush_pending()
                word = RawRow([], line.no, line.no, "word")
                rows.append(word)
            word.cells.append(clean(line.text))
            word.cell_lines.append(line.no)
            word.end = line.no
        elif kind in ("pipe", "tab"):
            cells = _pipe_cells(line.text) if kind == "pipe" else _tab_cells(line.text)
            row = RawRow(cells, line.no, line.no, kind, [line.no] * len(cells))
            if _glues(pending, cells, kind):
                row.cells[0] = join_broken(clean(pending[0].text), cells[0])
                row.start = pending[0].no
                pending.clear()
            flush_pending()
            rows.append(row)
        elif kind == "text":
            flush_pending()
            pending.append(line)
        last_kind = kind
    flush_pending()
    return rows, text_lines


def _glues(pending: list[Line], cells: list[str], kind: str) -> bool:
    """A short text line just before a pipe row is the start of its broken label."""
    if kind != "pipe" or len(pending) != 1 or not cells or not cells[0]:
        return False
    text = clean(pending[0].text)
    return len(text) <= 30 and not text.endswith(("。", ":", "：")) and not cells[0][0].isdigit()
