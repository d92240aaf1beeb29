"""Legacy reports (2008–2018): figures stated plainly in prose, statistics tables.

Only what the text says in so many words is captured: ``共受理…申请48件``,
``未发生…行政复议、…行政诉讼``, ``收费及减免为0元``. A provincial statistics
table (统计指标 | 单位 | 统计数) becomes rows as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Cell, CellKind
from .cells import is_value, parse_cell
from .layouts import RawRow, to_rows
from .text import Line, clean, label_key

_CLAUSE = r"[^。；;]"
FIGURE_PATTERNS: dict[str, tuple[str, ...]] = {
    "applications_received": (
        rf"(?:共|累计)?(?:收到|受理|接到|接收)(?:(?!复议|诉讼){_CLAUSE}){{0,40}}?"
        rf"(?:申请|依申请公开信息)\s*(\d+)\s*件",
        rf"(?:未|没有)(?:接到|收到|受理){_CLAUSE}{{0,20}}?申请",
        rf"未有{_CLAUSE}{{0,20}}?提出{_CLAUSE}{{0,10}}?申请",
    ),
    "proactive_items": (r"主动公开(?:政府)?信息\s*(\d+)\s*条",),
    "reconsiderations": (
        r"(?:收到|受理|发生|提起)[^。；;，,]{0,8}?行政复议\s*(\d+)\s*件",
        rf"(?:未发生|未出现|没有发生|未有){_CLAUSE}{{0,30}}?行政复议",
    ),
    "litigation": (
        r"(?:收到|受理|发生|提起)[^。；;，,]{0,8}?行政诉讼\s*(\d+)\s*件",
        rf"(?:未发生|未出现|没有发生|未有){_CLAUSE}{{0,40}}?行政诉讼",
    ),
    "fees_collected": (
        r"收费及减免为\s*(\d+(?:\.\d+)?)\s*元",
        rf"(?:均未|没有|未)(?:向{_CLAUSE}{{0,20}})?收取(?:任何)?(?:费用|复印|信息处理费|成本费)",
        r"(?:实行免费服务|全部免费|暂不收取任何费)",
    ),
}
STATISTIC_FIGURES = {
    "收到申请数": "applications_received",
    "申请答复数": "applications_answered",
    "主动公开政府信息数": "proactive_items",
    "行政复议数量": "reconsiderations",
    "行政诉讼数量": "litigation",
    "被举报投诉数量": "complaints",
}


@dataclass
class Figure:
    code: str
    value: Cell
    line: int
    quote: str


def prose_figures(lines: list[Line]) -> dict[str, Figure]:
    """Figures stated plainly in ``lines``; the first statement of each wins."""
    out: dict[str, Figure] = {}
    for line in lines:
        text = clean(line.text)
        for code, patterns in FIGURE_PATTERNS.items():
            if code in out:
                continue
            for pattern in patterns:
                m = re.search(pattern, text)
                if m:
                    number = m.group(1) if m.groups() else "0"
                    kind = "decimal" if code == "fees_collected" else "integer"
                    cell = (
                        parse_cell(number, None)
                        if kind == "decimal"
                        else Cell(CellKind.NUMBER, int(number), number)
                    )
                    out[code] = Figure(code, cell, line.no, _clause(text, m.start(), m.end()))
                    break
    return out


def _clause(text: str, start: int, end: int) -> str:
    """The clause of ``text`` around a match, as the quote of a figure."""
    stops = "。；;"
    left = max(text.rfind(c, 0, start) for c in stops) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return text[left : min(rights) + 1 if rights else len(text)].strip()


@dataclass
class StatRow:
    indicator: str
    unit: str
    value: Cell
    start: int
    end: int


@dataclass
class Statistics:
    title: str = ""
    title_lines: list[int] = field(default_factory=list)
    rows: list[StatRow] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    text_lines: list[Line] = field(default_factory=list)


def find_statistics(lines: list[Line]) -> int | None:
    """Index of the header row (统计指标 | 单位 | 统计数) of a statistics table, if any."""
    for i, line in enumerate(lines):
        key = label_key(line.text.replace("|", "").replace("\t", ""))
        if key.startswith("统计指标") and "单位" in key:
            return i
    return None


def _stat_row(raw: RawRow) -> StatRow:
    cells = raw.cells
    rest = [c for c in cells[1:]]
    unit, value = "", ""
    if len(rest) == 1:
        unit, value = ("", rest[0]) if is_value(rest[0]) else (rest[0], "")
    elif len(rest) >= 2:
        unit, value = rest[0], rest[1]
        if is_value(unit) and not value:
            unit, value = "", unit  # the value printed in the unit column
    return StatRow(cells[0] if cells else "", unit, parse_cell(value), raw.start, raw.end)


def statistics(lines: list[Line], header_at: int) -> tuple[Statistics, int]:
    """The statistics table whose header is ``lines[header_at]``; (table, first title index)."""
    out = Statistics()
    start = header_at
    for j in range(header_at - 1, max(header_at - 4, -1), -1):
        text = clean(lines[j].text)
        if "统计表" in text:
            start = j
            break
    if start < header_at:
        parts = [clean(ln.text) for ln in lines[start:header_at] if clean(ln.text)]
        out.title = "".join(parts)
        out.title_lines = [ln.no for ln in lines[start:header_at]]
    rows, out.text_lines = to_rows(lines[header_at:])
    for i, raw in enumerate(rows):
        if i == 0:
            out.header_lines = list(range(raw.start, raw.end + 1))
        elif raw.cells and raw.cells[0]:
            out.rows.append(_stat_row(raw))
        else:
            out.text_lines.extend(Line(n, "") for n in ())
    return out, start


def statistic_figures(stats: Statistics) -> dict[str, Figure]:
    """Figures that a statistics row states (收到申请数 15 -> applications_received)."""
    out: dict[str, Figure] = {}
    for row in stats.rows:
        key = label_key(row.indicator)
        for name, code in STATISTIC_FIGURES.items():
            if key.startswith(name) and code not in out and row.value.is_number:
                out[code] = Figure(code, row.value, row.start, row.indicator)
    return out
