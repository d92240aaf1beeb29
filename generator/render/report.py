"""Report pages (``agencies/<id>/<year>/``): every table as the official format lays it out."""

from __future__ import annotations

from pathlib import Path

from ..formats import Format, get_format
from ..model import Corpus
from ..pages import Page, SearchRecord
from ..records import LineRange, Report, ReportTable
from .common import agency_breadcrumbs, agency_url, flags_for, html_text, raw_lines, report_url
from .contexts import (
    Link,
    RawLines,
    ReportContext,
    SectionView,
    Site,
    StatRow,
    TableBlock,
    TableView,
)
from .env import render
from .markdown import render_markdown
from .table_html import official_table_html
from .table_html import table_view as laid_out
from .tables import cell_view
from .urls import OUTCOMES_URL, blob_url, issue_url, rel, site_url

DOWNLOADS = "downloads/reports"


def table_lines(report: Report, code: str) -> LineRange | None:
    """The raw lines behind a table: from its first row's first line to its last row's last."""
    data = report.tables.get(code)
    ranges = [r.source_lines for r in data.rows.values() if r.source_lines] if data else []
    if not ranges:
        return None
    return LineRange(min(r.start for r in ranges), max(r.end for r in ranges))


def _raw(report: Report, lines: LineRange | None, root: Path) -> RawLines | None:
    start, text = raw_lines(root, report.source.raw, lines)
    if not text:
        return None
    return RawLines(report.source.raw, start, text, blob_url(report.source.raw, str(lines)))


def table_inputs(
    report: Report, fmt: Format, code: str, root: Path
) -> tuple[ReportTable, str, str, RawLines | None]:
    """What a report puts in table ``code``: (data, caption, 纠错 link, raw lines)."""
    data = report.tables.get(code) or ReportTable(code, {})
    fix = issue_url(report.file, report.line_of(code), code, report.agency, str(report.year))
    raw = _raw(report, table_lines(report, code), root)
    return data, f"{report.year}年度 {fmt.tables[code].title}", fix, raw


def table_view(report: Report, fmt: Format, code: str, root: Path) -> TableView:
    """One official table of ``report``, laid out, with its raw lines and 纠错 link."""
    return laid_out(fmt, code, *table_inputs(report, fmt, code, root))


def table_block(report: Report, fmt: Format, code: str, root: Path) -> TableBlock:
    """One official table of ``report`` as the ``official_table`` macro prints it."""
    html = official_table_html(report.format, code, *table_inputs(report, fmt, code, root))
    return TableBlock(code, html)


def _section(sec, i: int) -> SectionView:  # type: ignore[no-untyped-def]
    lines = str(sec.source_lines) if sec.source_lines else ""
    return SectionView(sec.heading, render_markdown(sec.text), f"s{i}", lines)


def blocks(report: Report, root: Path) -> tuple:
    """Narrative sections and tables in the order of the format's sections."""
    fmt = get_format(report.format)
    sections = [(_section(s, i + 1), s.code) for i, s in enumerate(report.sections)]
    out: list = []
    used: set[int] = set()
    for fs in fmt.sections:
        if fs.kind == "table" and fs.code in fmt.tables:
            out.append(table_block(report, fmt, fs.code, root))
            continue
        for i, (view, code) in enumerate(sections):
            if code == fs.code:
                out.append(view)
                used.add(i)
    out += [view for i, (view, _) in enumerate(sections) if i not in used]
    return tuple(out)


def stat_rows(report: Report) -> tuple[tuple[StatRow, ...], tuple[StatRow, ...]]:
    """(figures stated in prose, statistics-table rows)."""
    labels = {f.code: f for f in get_format(report.format).figures}
    figures = tuple(
        StatRow(
            labels[c].label if c in labels else c,
            labels[c].unit if c in labels else "",
            cell_view(f.value, f"figures.{c}.value"),
            str(f.source_lines or ""),
            f.quote,
        )
        for c, f in report.figures.items()
    )
    stats = tuple(
        StatRow(s.indicator, s.unit, cell_view(s.value), str(s.source_lines or ""))
        for s in report.statistics
    )
    return figures, stats


def report_context(corpus: Corpus, report: Report, root: Path, site: Site) -> ReportContext:
    """Everything the report template shows."""
    from ..requester.citation import report_citation  # the requester feature slots in here
    from ..requester.explainer import outcome_distribution

    here = report_url(report)
    agency = corpus.agencies[report.agency]
    prev, nxt = corpus.neighbours(report)
    figures, stats = stat_rows(report)
    src = report.source
    downloads = ()
    if site.has("downloads/"):
        base = f"{DOWNLOADS}/{report.agency}/{report.year}"
        downloads = (Link(rel(here, f"{base}.csv"), "CSV"), Link(rel(here, f"{base}.json"), "JSON"))
    return ReportContext(
        report=report,
        agency=agency,
        title=report_title(corpus, report),
        format_name=get_format(report.format).name,
        name_in_year=report.filed_as or corpus.name_in(report.agency, report.year),
        breadcrumbs=(*agency_breadcrumbs(here, agency), Link("./", f"{report.year}年度")),
        preface=render_markdown(report.preface),
        blocks=blocks(report, root),
        figures=figures,
        statistics=stats,
        source_raw=Link(blob_url(src.raw, str(src.lines or "")), src.raw) if src.raw else None,
        source_url=src.url,
        flags=flags_for(corpus, [report.file]),
        downloads=downloads,
        previous=Link(rel(here, report_url(prev)), f"{prev.year}年度") if prev else None,
        next=Link(rel(here, report_url(nxt)), f"{nxt.year}年度") if nxt else None,
        fix_url=issue_url(report.file, 0, "", report.agency, str(report.year)),
        agency_href=rel(here, agency_url(agency.id)),
        outcomes=outcome_distribution(corpus, report),
        outcomes_url=rel(here, OUTCOMES_URL),
        citation=report_citation(corpus, report, site_url(here)),
    )


def report_title(corpus: Corpus, report: Report) -> str:
    """Page title: the agency's name that year and the year."""
    name = report.filed_as or corpus.name_in(report.agency, report.year)
    return f"{name} {report.year}年度政府信息公开工作年度报告"


def report_page(corpus: Corpus, report: Report, root: Path, site: Site) -> Page:
    """The page of one report."""
    ctx = report_context(corpus, report, root, site)
    agency = ctx.agency
    excerpt = f"{ctx.name_in_year} {report.year} 年度报告（{ctx.format_name}）"
    body = render("report.html.j2", c=ctx)
    return Page(
        path=f"agencies/{report.agency}/{report.year}.md",
        title=ctx.title,
        body=body,
        edit_path=report.file,
        raw_path=report.source.raw,
        description=excerpt,
        hide=("toc",),  # wide official tables get the room; pages stay lean
        markup="html",
        search=SearchRecord(
            url=report_url(report),
            title=ctx.title,
            excerpt=excerpt,
            text=html_text(body),
            kind="report",
            filters={
                "year": (str(report.year),),
                "province": (agency.province,) if agency.province else (),
                "level": (agency.level,),
            },
        ),
    )
