"""Year pages (``years/<year>/``): every report of the year in a sortable table, with totals.

Year pages stay out of the global navigation (``nav=None``) so that every
page's navigation stays small; ``years/`` links to each of them.
"""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page, SearchRecord
from ..records import Cell
from .common import report_row, year_url
from .contexts import KeyFigures, Link, ReportRow, YearContext
from .env import render
from .facts import add_cells, key_cells
from .pagecache import NO_CACHE, PageCache
from .tables import cell_view
from .urls import rel

FIGURES = ("received", "granted", "reconsideration", "litigation")


def totals(corpus: Corpus, rows: list[ReportRow]) -> tuple[KeyFigures, dict[str, int]]:
    """Sums over the reports that give each figure as a number, and how many did."""
    keys = [key_cells(r.report) for r in rows]
    sums: dict[str, Cell] = {}
    counted: dict[str, int] = {}
    for f in FIGURES:
        numbers = [k[f] for k in keys if k[f].is_number]
        counted[f] = len(numbers)
        sums[f] = add_cells(numbers)
    return KeyFigures(**{f: cell_view(sums[f]) for f in FIGURES}), counted


def year_context(corpus: Corpus, year: int) -> YearContext:
    here = year_url(year)
    rows = [report_row(corpus, r, here) for r in corpus.reports_in(year)]
    all_totals, counted = totals(corpus, rows)
    provinces = sorted({r.province for r in rows})
    by_province = tuple(
        (p or "未注明", totals(corpus, sub)[0], len(sub))
        for p in provinces
        if (sub := [r for r in rows if r.province == p])
    )
    years = corpus.years()
    i = years.index(year)
    return YearContext(
        year=year,
        breadcrumbs=(
            Link(rel(here, ""), "首页"),
            Link(rel(here, "years/"), "年度"),
            Link("./", f"{year}年度"),
        ),
        rows=tuple(rows),
        totals=all_totals,
        counted=counted,
        by_province=by_province,
        previous=Link(rel(here, year_url(years[i - 1])), f"{years[i - 1]}年度") if i > 0 else None,
        next=Link(rel(here, year_url(years[i + 1])), f"{years[i + 1]}年度")
        if i + 1 < len(years)
        else None,
    )


def year_page(corpus: Corpus, year: int) -> Page:
    ctx = year_context(corpus, year)
    return Page(
        path=f"years/{year}.md",
        title=f"{year}年度报告",
        body=render("year.html.j2", c=ctx),
        description=f"{year} 年度：{len(ctx.rows)} 份政府信息公开工作年度报告",
        markup="html",
        search=SearchRecord(
            url=year_url(year),
            title=f"{year}年度报告",
            excerpt=f"{len(ctx.rows)} 份年度报告",
            text=f"{year}年度 政府信息公开工作年度报告",
            kind="page",
            filters={"year": (str(year),)},
        ),
    )


def index_page(corpus: Corpus) -> Page:
    here = "years/"
    years = [
        (Link(rel(here, year_url(y)), f"{y}年度"), len(corpus.reports_in(y)))
        for y in reversed(corpus.years())
    ]
    return Page(
        path="years/index.md",
        title="按年度浏览",
        body=render("years.html.j2", years=years, home=rel(here, "")),
        nav=("按年度浏览",),
        description="按统计年度浏览收录的年度报告。",
        markup="html",
    )


def year_inputs(corpus: Corpus, year: int) -> list[str]:
    """Everything a year page shows comes from these: the years (its pager), and each
    report of the year with its agency (name, place, level; the agency's own lineage
    names it in that year), by the files' digests."""
    parts = ["year page", str(year), " ".join(map(str, corpus.years()))]
    for r in corpus.reports_in(year):
        agency = corpus.agencies.get(r.agency)
        afile = agency.file if agency else ""
        parts += [r.id, r.file, corpus.digests[r.file], afile, corpus.digests.get(afile, "")]
    return parts


def pages(corpus: Corpus, cache: PageCache = NO_CACHE) -> list[Page]:
    """The years index and one page per year (from ``cache`` when its inputs are unchanged)."""
    out = [index_page(corpus)]
    for y in corpus.years():
        if corpus.digests and all(r.file in corpus.digests for r in corpus.reports_in(y)):
            out.append(cache.page(year_inputs(corpus, y), lambda y=y: year_page(corpus, y)))
        else:
            out.append(year_page(corpus, y))
    return out
