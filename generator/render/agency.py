"""Agency pages (``agencies/<id>/``): names over time, contact, reports, trends, flags."""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page, SearchRecord
from ..records import Agency, Guide, Report
from . import charts
from .common import LEVEL_NAMES, agency_breadcrumbs, agency_url, flags_for, html_text, report_row
from .contexts import AgencyContext, ChartView, Link, Site
from .env import render
from .facts import OUTCOME_LABELS, key_cells, number, outcome_mix
from .urls import OUTCOMES_URL, edit_url, rel

RELATIONS = {"renamed": "曾用名", "merged": "并入本机关", "split": "分设"}


def _years(entry) -> str:  # type: ignore[no-untyped-def]
    if entry.from_year and entry.to_year:
        return f"{entry.from_year}—{entry.to_year}"
    if entry.to_year:
        return f"至 {entry.to_year}"
    return f"{entry.from_year} 起" if entry.from_year else ""


def lineage(corpus: Corpus, agency: Agency, here: str) -> tuple:
    """(name, relation and years, link to the predecessor's page) for each earlier name."""
    out = []
    for e in agency.lineage:
        link = None
        if e.agency and e.agency in corpus.agencies:
            link = Link(rel(here, agency_url(e.agency)), e.name)
        out.append(
            (e.name, " ".join(x for x in (RELATIONS.get(e.relation, ""), _years(e)) if x), link)
        )
    return tuple(out)


def trend_charts(agency: Agency, reports: list[Report]) -> tuple[ChartView, ...]:
    """Applications received; outcome mix; reconsideration and litigation — by year."""
    if len(reports) < 1:
        return ()
    years = [r.year for r in reports]
    keys = [key_cells(r) for r in reports]
    out = [
        ChartView(
            "每年新收政府信息公开申请（件）",
            charts.bar_chart(
                "每年新收申请",
                f"c-{agency.id}-new",
                years,
                [("gk-s0", "新收申请", [number(k["received"]) for k in keys])],
            ),
        )
    ]
    gov = [r for r in reports if r.format != "legacy"]
    if gov:
        mixes = [outcome_mix(r) for r in gov]
        series = [
            (f"gk-s{i}", label, [number(m[code]) for m in mixes])
            for i, (code, label) in enumerate(OUTCOME_LABELS.items())
        ]
        out.append(
            ChartView(
                "办理结果构成（件）",
                charts.stacked_chart(
                    "办理结果构成", f"c-{agency.id}-mix", [r.year for r in gov], series
                ),
            )
        )
    out.append(
        ChartView(
            "行政复议与行政诉讼（件）",
            charts.bar_chart(
                "行政复议与行政诉讼",
                f"c-{agency.id}-appeals",
                years,
                [
                    ("gk-s2", "行政复议", [number(k["reconsideration"]) for k in keys]),
                    ("gk-s4", "行政诉讼", [number(k["litigation"]) for k in keys]),
                ],
            ),
        )
    )
    return tuple(out)


def guide_summary(guide: Guide | None) -> tuple[tuple[str, str], ...]:
    """A few lines from the agency's disclosure guide, if collected."""
    if guide is None:
        return ()
    out = [("指南", guide.title)]
    if guide.channels:
        names = {
            "in_person": "当面",
            "post": "邮寄",
            "online": "网上",
            "fax": "传真",
            "email": "电子邮件",
            "phone": "电话",
        }
        out.append(
            (
                "申请渠道",
                "、".join(dict.fromkeys(names.get(c.type, c.type) for c in guide.channels)),
            )
        )
    answer = guide.time_limits.get("answer")
    if answer and answer.days:
        out.append(
            (
                "答复期限",
                f"{answer.days} 个工作日" if answer.unit == "working_days" else f"{answer.days} 日",
            )
        )
    return tuple(out)


def agency_context(corpus: Corpus, agency: Agency, site: Site) -> AgencyContext:
    """Everything the agency template shows."""
    from ..requester.explainer import agency_outcome_distribution  # slots in here

    here = agency_url(agency.id)
    history = corpus.history_of(agency.id)
    successor = corpus.successor(agency.id)
    guide_url = f"agencies/{agency.id}/guide/"
    apply_url = f"agencies/{agency.id}/apply/"
    files = [agency.file] + [r.file for r in corpus.reports_of(agency.id)]
    if agency.id in corpus.guides:
        files.append(corpus.guides[agency.id].file)
    return AgencyContext(
        agency=agency,
        breadcrumbs=tuple(agency_breadcrumbs(here, agency)),
        level_name=LEVEL_NAMES.get(agency.level, agency.level),
        lineage=lineage(corpus, agency, here),
        successor=Link(rel(here, agency_url(successor)), corpus.agencies[successor].name)
        if successor
        else None,
        rows=tuple(report_row(corpus, r, here, owner=agency.id) for r in reversed(history)),
        charts=trend_charts(agency, _one_per_year(history, agency.id)),
        flags=flags_for(corpus, files),
        guide=guide_summary(corpus.guides.get(agency.id)),
        guide_href=rel(here, guide_url) if site.has(guide_url) else "",
        edit_href=edit_url(agency.file),
        apply_href=rel(here, apply_url) if site.has(apply_url) else "",
        outcomes=agency_outcome_distribution(corpus, agency.id),
        outcomes_url=rel(here, OUTCOMES_URL),
    )


def _one_per_year(history: list[Report], owner: str) -> list[Report]:
    """One report per year for charts: the agency's own where it has one."""
    by_year: dict[int, Report] = {}
    for r in history:
        if r.year not in by_year or r.agency == owner:
            by_year[r.year] = r
    return [by_year[y] for y in sorted(by_year)]


def agency_page(corpus: Corpus, agency: Agency, site: Site) -> Page:
    """The page of one agency."""
    ctx = agency_context(corpus, agency, site)
    region = " ".join(x for x in (agency.province, agency.city, agency.county) if x)
    excerpt = f"{region} {ctx.level_name} · {len(ctx.rows)} 份年度报告"
    body = render("agency.html.j2", c=ctx)
    return Page(
        path=f"agencies/{agency.id}/index.md",
        title=agency.name,
        body=body,
        edit_path=agency.file,
        description=f"{agency.name}：{excerpt}",
        markup="html",
        search=SearchRecord(
            url=agency_url(agency.id),
            title=agency.name,
            excerpt=excerpt,
            text=html_text(body),
            kind="agency",
            filters={
                "province": (agency.province,) if agency.province else (),
                "level": (agency.level,),
                "year": tuple(
                    str(y) for y in sorted({r.year for r in corpus.history_of(agency.id)})
                ),
            },
        ),
    )
