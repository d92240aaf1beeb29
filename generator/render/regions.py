"""Region pages: ``regions/`` lists provinces; ``regions/<code>/`` lists a province's
cities and counties with their agencies (province → city → county)."""

from __future__ import annotations

from ..model import Corpus, RegionNode
from ..pages import Page, SearchRecord
from .common import agency_url, region_anchor, region_url
from .contexts import Link, RegionEntry
from .env import render
from .urls import rel


def _code(corpus: Corpus, node: RegionNode) -> str:
    """Division-code prefix of a region: 2 digits for a province, 4 for a city, 6 for a county."""
    ids = node.all_agencies()
    code = corpus.agencies[ids[0]].division_code if ids else "00"
    return code[: {"province": 2, "city": 4}.get(node.level, 6)]


def entry(corpus: Corpus, node: RegionNode, here: str) -> RegionEntry:
    """A region and everything under it, with links relative to ``here``."""
    agencies = tuple(
        Link(rel(here, agency_url(a)), corpus.agencies[a].name)
        for a in sorted(node.agencies, key=lambda a: corpus.agencies[a].name)
    )
    return RegionEntry(
        name=node.name,
        level=node.level,
        anchor=region_anchor(_code(corpus, node)),
        agencies=agencies,
        children=tuple(entry(corpus, child, here) for child in node.children),
        count=len(node.all_agencies()),
    )


def province_pages(corpus: Corpus) -> list[Page]:
    """One page per province."""
    pages = []
    for node in corpus.regions:
        code = _code(corpus, node)
        here = region_url(code)
        ctx = entry(corpus, node, here)
        crumbs = (
            Link(rel(here, ""), "首页"),
            Link(rel(here, "regions/"), "地区"),
            Link("./", node.name),
        )
        pages.append(
            Page(
                path=f"regions/{code}.md",
                title=f"{node.name}的机构",
                body=render("region.html.j2", region=ctx, crumbs=crumbs),
                description=f"{node.name}：{ctx.count} 个机构",
                markup="html",
                search=SearchRecord(
                    url=here,
                    title=f"{node.name}的机构",
                    excerpt=f"{ctx.count} 个机构",
                    text=node.name
                    + "\n"
                    + "\n".join(corpus.agencies[a].name for a in node.all_agencies()),
                    kind="page",
                    filters={"province": (node.name,)},
                ),
            )
        )
    return pages


def index_page(corpus: Corpus) -> Page:
    """``regions/``: every province with its count of agencies."""
    here = "regions/"
    provinces = tuple(
        (
            Link(rel(here, region_url(_code(corpus, n))), n.name),
            len(n.all_agencies()),
            tuple(c.name for c in n.children),
        )
        for n in corpus.regions
    )
    return Page(
        path="regions/index.md",
        title="按地区浏览",
        body=render("regions.html.j2", provinces=provinces, home=rel(here, "")),
        nav=("按地区浏览",),
        description="按省、市、县浏览收录的机构。",
        markup="html",
    )


def pages(corpus: Corpus) -> list[Page]:
    """The region index and one page per province."""
    return [index_page(corpus), *province_pages(corpus)]
