"""One document -> YAML-ready report data, with every raw line accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import Format, get_format
from ..records import LineRange
from .agencies import AgencyIndex
from .detect import detect_format
from .layouts import to_rows
from .legacy import Statistics, find_statistics, prose_figures, statistic_figures, statistics
from .meta import Meta, agency_name_in, published_on, read_meta
from .sections import Heading, gov_headings, legacy_headings, narrative
from .tables import TableResult, place_table
from .text import Line, clean

PARTIAL_CHARS = 500  # a body shorter than this is a fragment of a report
NARRATIVE_CODES = ("overview", "problems", "other")


@dataclass
class Context:
    """What the caller knows: the raw path to record, known agencies, overrides."""

    raw: str
    agencies: AgencyIndex
    agency: str | None = None
    year: int | None = None
    force_agency: bool = False  # --agency given for a single document


@dataclass
class Draft:
    """A document read from raw text: its data, placement, and what is left over."""

    kind: str  # report | guide | fragment
    start: int
    end: int
    data: dict = field(default_factory=dict)
    agency: str | None = None
    year: int | None = None
    format: str = ""
    tables: dict[str, TableResult] = field(default_factory=dict)
    placed: dict[int, str] = field(default_factory=dict)  # line -> where
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    warnings: list[str] = field(default_factory=list)
    agency_name: str = ""  # as printed, for a new agency's stub
    raw_lines: dict[int, str] = field(default_factory=dict)


KEY_ORDER = (
    "agency", "year", "format", "title", "published", "filed_as", "partial", "source",
    "period", "preface", "sections", "proactive", "requests", "appeals", "figures",
    "statistics", "notes",
)  # fmt: skip


def span(lines: list[Line]) -> int | str:
    """``12`` or ``12-15`` for the non-blank lines given (or all of them)."""
    nos = [ln.no for ln in lines if not ln.blank] or [ln.no for ln in lines]
    if not nos:
        return ""
    return min(nos) if min(nos) == max(nos) else str(LineRange(min(nos), max(nos)))


def _mark(draft: Draft, lines: list[Line], where: str) -> None:
    for ln in lines:
        if not ln.blank:
            draft.placed.setdefault(ln.no, where)


def _headings(doc: list[Line], fmt: Format) -> list[Heading]:
    return gov_headings(doc, fmt) if fmt.tables else legacy_headings(doc)


def build_report(doc: list[Line], ctx: Context) -> Draft:
    """Read one report document into a draft."""
    fmt_code, _ = detect_format(doc)
    fmt = get_format(fmt_code)
    draft = Draft("report", doc[0].no, doc[-1].no, format=fmt_code)
    draft.raw_lines = {ln.no: ln.text for ln in doc}
    heads = _headings(doc, fmt)
    stats_at = None if fmt.tables else find_statistics(doc)
    stats: Statistics | None = None
    body_end = len(doc)
    if stats_at is not None:
        stats, body_end = statistics(doc, stats_at)
        heads = [h for h in heads if h.at < body_end]
    first = heads[0].at if heads else body_end
    meta = read_meta(doc, first)
    _identify(draft, meta, doc, ctx)
    data = draft.data
    _mark(draft, [ln for ln in doc if ln.no in meta.title_lines], "title")
    names = {n for n, _ in meta.file_names}
    _mark(draft, [ln for ln in doc if ln.no in names], "source.file_name")
    preface = [ln for ln in doc[:first] if ln.no not in meta.title_lines and ln.no not in names]
    if narrative(preface):
        data["preface"] = narrative(preface)
        _mark(draft, preface, "preface")
    sections = []
    for i, head in enumerate(heads):
        region = doc[head.at + 1 : heads[i + 1].at if i + 1 < len(heads) else body_end]
        draft.placed[head.line] = f"heading {head.text}"
        table = fmt.tables.get(head.code) if head.code else None
        if table is not None:
            _table(draft, table, region)
            continue
        section = {"heading": head.text}
        if head.code in NARRATIVE_CODES:
            section["code"] = head.code
        section["lines"] = span([doc[head.at], *region])
        text = narrative(region)
        if text:
            section["text"] = text
        sections.append(section)
        _mark(draft, region, f"sections[{len(sections) - 1}]")
    if sections:
        data["sections"] = sections
    for code, result in draft.tables.items():
        data[code] = result
    if not fmt.tables:
        _legacy(draft, doc[:body_end], stats)
    body = "".join(clean(ln.text) for ln in doc if ln.no not in meta.title_lines)
    if len(body) < PARTIAL_CHARS and not draft.tables and not heads:
        data["partial"] = True
    _dated(draft, doc, meta)
    _accounted(draft, doc)
    draft.data = {k: data[k] for k in sorted(data, key=KEY_ORDER.index)}
    return draft


def _identify(draft: Draft, meta: Meta, doc: list[Line], ctx: Context) -> None:
    """Agency, year, title, dates and source, in the order of the report schema."""
    head = meta.title + " " + " ".join(clean(ln.text) for ln in doc[:4])
    found = None if ctx.force_agency else ctx.agencies.find(head)
    agency, filed_as = found or (ctx.agency, "")
    draft.agency = agency
    draft.year = ctx.year or meta.year
    draft.agency_name = agency_name_in(meta.title)
    title = meta.title
    if not title and draft.year:
        name = filed_as or ctx.agencies.current.get(agency or "", "")
        title = f"{name}{draft.year}年度政府信息公开工作报告"
        draft.warnings.append("原文未印标题：标题由导入程序据正文补拟，请核对")
    d = draft.data
    d.update(agency=agency, year=draft.year, format=draft.format, title=title)
    if meta.published:
        d["published"] = meta.published
    if filed_as:
        d["filed_as"] = filed_as
    d["source"] = {"raw": ctx.raw, "lines": span(doc)}
    if meta.file_names:
        d["source"]["file_name"] = meta.file_names[0][1]
    if meta.period:
        d["period"] = {"start": meta.period[0], "end": meta.period[1]}
    if draft.year is None:
        draft.warnings.append("无法判断年度：请用 --year 指定")
    if agency is None:
        draft.warnings.append("无法判断机构：请用 --agency 指定")


def _table(draft: Draft, table, region: list[Line]) -> None:
    rows, text_lines = to_rows(region)
    result = place_table(table, rows)
    draft.tables[table.code] = result
    for n in result.header_lines:
        draft.placed.setdefault(n, f"{table.code} (表头)")
    for code, row in result.rows.items():
        for n in range(row.start, row.end + 1):
            draft.placed.setdefault(n, f"{table.code}.{code}")
        if row.extra:
            draft.unplaced.append(
                (row.start, f"{table.code}.{code} 多出的单元格：{' '.join(row.extra)}")
            )
    draft.unplaced += result.unplaced
    for ln in text_lines:
        if not ln.blank:
            draft.unplaced.append((ln.no, f"{table.code} 表格区域中的文字"))
    for raw in rows:  # rows neither placed nor refused: nothing should be left, but say so
        for n in range(raw.start, raw.end + 1):
            if n not in draft.placed and all(u[0] != n for u in draft.unplaced):
                draft.unplaced.append((n, f"{table.code} 未能放入表格的行"))


def _legacy(draft: Draft, doc: list[Line], stats: Statistics | None) -> None:
    narrative_lines = [ln for ln in doc if draft.placed.get(ln.no, "").startswith(("pre", "sec"))]
    figures = prose_figures(narrative_lines)
    if stats is not None:
        for code, fig in statistic_figures(stats).items():
            figures.setdefault(code, fig)
        draft.data["statistics"] = stats
        for n in stats.title_lines + stats.header_lines:
            draft.placed.setdefault(n, "statistics (表头)")
        for i, row in enumerate(stats.rows):
            for n in range(row.start, row.end + 1):
                draft.placed.setdefault(n, f"statistics.rows[{i}]")
        for ln in stats.text_lines:
            if not ln.blank:
                draft.unplaced.append((ln.no, "统计表区域中的文字"))
    if figures:
        draft.data["figures"] = {c: figures[c] for c in sorted(figures, key=_figure_order)}


def _figure_order(code: str) -> int:
    codes = [f.code for f in get_format("legacy").figures]
    return codes.index(code) if code in codes else len(codes)


def _dated(draft: Draft, doc: list[Line], meta: Meta) -> None:
    """A signature date left over after a table is the ``published`` date."""
    if meta.published is None:
        return
    for n, _ in list(draft.unplaced):
        line = next(ln for ln in doc if ln.no == n)
        if published_on(line) == meta.published:
            draft.unplaced = [u for u in draft.unplaced if u[0] != n]
            draft.placed[n] = "published"


def _accounted(draft: Draft, doc: list[Line]) -> None:
    """Every non-blank line is placed or listed as unplaced."""
    listed = {n for n, _ in draft.unplaced}
    for ln in doc:
        if not ln.blank and ln.no not in draft.placed and ln.no not in listed:
            draft.unplaced.append((ln.no, "未能归入任何字段"))
    draft.unplaced.sort()
