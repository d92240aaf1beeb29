"""The home page: what this is, search, counts, recent additions, entry points."""

from __future__ import annotations

import datetime as dt

from ..model import Corpus
from ..pages import Page, SearchRecord
from ..records import Report
from .common import region_url, report_row, year_url
from .contexts import HomeContext, Link, Site
from .env import render

RECENT = 8
# Pages other page sources may provide, shown to requesters when they exist.
REQUESTER_PAGES = (
    ("guides/", "各机构的政府信息公开指南与答复期限计算"),
    ("outcomes/", "办理结果是什么意思，不服怎么办"),
    ("coverage/", "收录情况：哪些报告还缺"),
    ("downloads/", "下载全部数据（CSV、Excel、数据包）"),
)
ABOUT_PAGES = (
    ("about/", "关于本站"),
    ("methodology/", "方法说明"),
    ("glossary/", "术语"),
    ("quality/", "数据质量"),
    ("contributing/", "参与贡献"),
)


def _added(report: Report) -> dt.date:
    return report.source.retrieved or report.published or dt.date.min


def home_context(corpus: Corpus, site: Site) -> HomeContext:
    recent = sorted(
        corpus.reports.values(), key=lambda r: (_added(r), r.year, r.agency), reverse=True
    )
    years = corpus.years()
    return HomeContext(
        counts={
            "agencies": len(corpus.agencies),
            "reports": len(corpus.reports),
            "years": len(years),
        },
        recent=tuple(report_row(corpus, r, "") for r in recent[:RECENT]),
        provinces=tuple(
            Link(region_url(corpus.agencies[n.all_agencies()[0]].division_code), n.name)
            for n in corpus.regions
            if n.all_agencies()
        ),
        years=tuple(Link(year_url(y), str(y)) for y in reversed(years)),
        requester_links=tuple(Link(u, t) for u, t in REQUESTER_PAGES if site.has(u)),
        about_links=tuple(Link(u, t) for u, t in ABOUT_PAGES if site.has(u)),
    )


def home_page(corpus: Corpus, site: Site) -> Page:
    """``index.md``."""
    ctx = home_context(corpus, site)
    summary = f"已收录 {ctx.counts['agencies']} 个机构的 {ctx.counts['reports']} 份政府信息公开工作年度报告"
    return Page(
        path="index.md",
        title="公开：政府信息公开年度报告数据库",
        body=render("home.html.j2", c=ctx),
        nav=("首页",),
        description=summary,
        hide=("toc",),
        markup="html",
        search=SearchRecord("", "首页", summary, "政府信息公开 年度报告 " + summary, "page"),
    )
