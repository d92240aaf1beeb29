"""The coverage page: which reports are collected, missing or late, agency × year.

Years run from the earliest to the latest statistical year in the corpus. A
report is late when its publication date is after the statutory date
(``validate.report_checks.statutory_date``: 31 January, 31 March for a
government's own report). Years after an agency was dissolved are not
expected. Every missing cell links to GitHub's
"new file" form, prefilled with the report skeleton; the page links to
CONTRIBUTING.md for the step-by-step workflow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from ..model import Corpus
from ..pages import Page, SearchRecord
from ..records import Agency
from ..validate.report_checks import statutory_date
from .env import contributing_url, page_url, rel, render, repo_url

PATH = "coverage.md"
REGION_PATH = "coverage/{slug}.md"  # one matrix per province: the page stays small at any scale
STATUS_LABELS = {
    "collected": "已收录",
    "late": "已收录（逾期发布）",
    "missing": "缺失",
    "not_expected": "不适用",
}


@dataclass(frozen=True)
class CoverageCell:
    year: int
    status: str  # collected | late | missing | not_expected
    title: str = ""  # tooltip / accessible text
    url: str = ""  # the report page, or the GitHub new-file form for a missing one


def format_for(year: int) -> str:
    return "gov2021" if year >= 2021 else "gov2019" if year >= 2019 else "legacy"


def new_report_url(agency: Agency, year: int, repo: str) -> str:
    """GitHub's new-file form for content/reports/<agency>/<year>.yaml, prefilled."""
    skeleton = (
        "# yaml-language-server: $schema=../../../schemas/report.schema.json\n"
        f"agency: {agency.id}\nyear: {year}\nformat: {format_for(year)}\n"
        f"title: {agency.name}{year}年政府信息公开工作年度报告\n"
        "source:\n  url: \n  retrieved: \n"
    )
    return (
        f"{repo}/new/main/content/reports/{agency.id}"
        f"?filename={year}.yaml&value={quote(skeleton, safe='')}"
    )


def agency_cells(corpus: Corpus, agency: Agency, years: list[int], repo: str) -> list:
    cells = []
    for year in years:
        report = corpus.report(agency.id, year)
        if report is not None:
            due = statutory_date(report, agency)
            late = report.published is not None and report.published > due
            when = f"发布于 {report.published}" if report.published else "发布日期不详"
            status = "late" if late else "collected"
            title = f"{year}：{STATUS_LABELS[status]}，{when}，法定期限 {due}"
            cells.append(CoverageCell(year, status, title, f"agencies/{agency.id}/{year}/"))
        elif agency.dissolved is not None and year > agency.dissolved:
            cells.append(CoverageCell(year, "not_expected", f"{year}：机构已撤销"))
        else:
            title = f"{year}：缺失，欢迎补充"
            cells.append(CoverageCell(year, "missing", title, new_report_url(agency, year, repo)))
    return cells


def _region_of(agency: Agency) -> str:
    return agency.province or "全国"


def region_slug(agency: Agency) -> str:
    """The province's division code (``370000``), or ``national`` for central agencies."""
    code = agency.division_code or ""
    return f"{code[:2]}0000" if agency.province and len(code) >= 2 else "national"


def coverage_context(corpus: Corpus, repo: str | None = None) -> dict:
    """Rows per agency grouped by province, per-region and overall year totals."""
    repo = repo or repo_url()
    years = list(range(min(corpus.years()), max(corpus.years()) + 1)) if corpus.reports else []
    agencies = sorted(corpus.agencies.values(), key=lambda a: (a.division_code, a.id))
    regions: dict[str, list[dict]] = {}
    for agency in agencies:
        cells = agency_cells(corpus, agency, years, repo)
        counts = Counter(c.status for c in cells)
        regions.setdefault(_region_of(agency), []).append(
            {"agency": agency, "cells": cells, "counts": counts}
        )
    region_rows = [
        {
            "name": name,
            "slug": region_slug(rows[0]["agency"]),
            "rows": rows,
            "totals": year_totals(rows, years),
        }
        for name, rows in regions.items()
    ]
    all_rows = [r for region in region_rows for r in region["rows"]]
    return {
        "years": years,
        "regions": region_rows,
        "overall": year_totals(all_rows, years),
        "counts": Counter(c.status for r in all_rows for c in r["cells"]),
        "labels": STATUS_LABELS,
    }


def year_totals(rows: list[dict], years: list[int]) -> list[dict]:
    """Per year: reports collected (late included), late, and expected."""
    out = []
    for i, year in enumerate(years):
        statuses = [r["cells"][i].status for r in rows]
        expected = sum(s != "not_expected" for s in statuses)
        have = sum(s in ("collected", "late") for s in statuses)
        out.append({"year": year, "have": have, "late": statuses.count("late"), "of": expected})
    return out


def _summary(corpus: Corpus, ctx: dict) -> str:
    n = ctx["counts"]
    return (
        f"{len(corpus.agencies)} 个机构、{len(ctx['years'])} 个年度：已收录 "
        f"{n['collected'] + n['late']} 份（其中逾期发布 {n['late']} 份），缺失 {n['missing']} 份。"
    )


def coverage_page(corpus: Corpus, ctx: dict | None = None) -> Page:
    """The overview: collected / expected per region and year, linking to each region's matrix."""
    ctx = ctx or coverage_context(corpus)
    url = page_url(PATH)
    body = render(
        "coverage.html.j2",
        **ctx,
        region=None,
        link=lambda to: rel(url, to),
        contributing=contributing_url(),
    )
    summary = _summary(corpus, ctx)
    return Page(
        path=PATH,
        title="收录情况",
        body=body,
        markup="html",
        nav=("收录情况",),
        description=summary,
        search=SearchRecord(
            url=url,
            title="收录情况：哪些年度报告已收录、缺失或逾期",
            excerpt=summary,
            text="收录情况 缺失 逾期 年度报告 补充 贡献 " + summary,
            kind="page",
        ),
    )


def region_page(ctx: dict, region: dict) -> Page:
    """One region's matrix: agency × year, every missing cell a link to add the report."""
    path = REGION_PATH.format(slug=region["slug"])
    url = page_url(path)
    body = render(
        "coverage.html.j2",
        **ctx,
        region=region,
        link=lambda to: rel(url, to),
        contributing=contributing_url(),
    )
    return Page(
        path=path,
        title=f"收录情况：{region['name']}",
        body=body,
        markup="html",
        description=f"{region['name']}各机构各年度政府信息公开工作年度报告的收录、缺失和逾期情况。",
    )


def pages(corpus: Corpus) -> list[Page]:
    """The overview and one matrix page per region."""
    ctx = coverage_context(corpus)
    return [coverage_page(corpus, ctx), *(region_page(ctx, r) for r in ctx["regions"])]
