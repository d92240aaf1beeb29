"""Guide pages: ``agencies/<id>/guide/`` for every agency, with or without a collected guide.

Every value is marked 本机关指南 (the agency's own), 法定默认 (the law's, with the
article) or 机构资料 (the agency file); a value of the guide that differs from
current law is flagged (``law.check_guide``). The page carries the deadline
calculator (``calculator.js`` + ``calendar-data.js``).
"""

from __future__ import annotations

from urllib.parse import quote

from ..model import LEVEL_NAMES, Corpus
from ..pages import Page, SearchRecord
from ..records import Agency, Guide
from . import defaults, guide_data
from .calculator import CALENDAR_SCRIPT, calculator_context
from .env import ASSETS, contributing_url, page_url, rel, render, repo_url
from .explainer import PATH as OUTCOMES_PATH


def guide_path(agency_id: str) -> str:
    return f"agencies/{agency_id}/guide.md"


def apply_path(agency_id: str) -> str:
    return f"agencies/{agency_id}/apply.md"


def new_guide_url(agency: Agency, repo: str) -> str:
    skeleton = (
        "# yaml-language-server: $schema=../../schemas/guide.schema.json\n"
        f"agency: {agency.id}\ntitle: \nsource: {{url: , retrieved: }}\nchannels:\n  - type: post\n"
    )
    return (
        f"{repo}/new/main/content/guides?filename={agency.id}.yaml&value={quote(skeleton, safe='')}"
    )


def guide_context(corpus: Corpus, agency_id: str) -> dict:
    """Everything the guide page shows for one agency."""
    agency = corpus.agencies[agency_id]
    guide: Guide | None = corpus.guides.get(agency_id)
    return {
        "agency": agency,
        "guide": guide,
        "level_name": LEVEL_NAMES.get(agency.level, agency.level),
        "labels": guide_data.SOURCE_LABELS,
        "office": guide_data.office(agency, guide),
        "channels": guide_data.channels(agency, guide),
        "time_limits": guide_data.time_limits(guide),
        "flags": list(guide_data.flags(guide).values()),
        "fees": guide_data.fees(guide),
        "remedies": guide_data.remedies(agency, guide),
        "proactive_scope": guide_data.listed(
            guide.proactive_scope if guide else (),
            defaults.PROACTIVE_SCOPE,
            defaults.PROACTIVE_SCOPE_BASIS,
        ),
        "proactive_where": guide_data.listed(
            guide.proactive_where if guide else (),
            defaults.PROACTIVE_WHERE,
            defaults.PROACTIVE_WHERE_BASIS,
        ),
        "not_disclosed": guide_data.listed(
            guide.not_disclosed if guide else (), [t for t, _ in defaults.NOT_DISCLOSED], ""
        ),
        "not_disclosed_basis": [b for _, b in defaults.NOT_DISCLOSED],
        "form": guide.form if guide else None,
        "form_fields": guide_data.form_fields(guide),
        "calc": calculator_context(),
    }


def _links(agency: Agency, url: str, repo: str) -> dict:
    return {
        "agency": rel(url, f"agencies/{agency.id}/"),
        "apply": rel(url, page_url(apply_path(agency.id))),
        "outcomes": rel(url, page_url(OUTCOMES_PATH)),
        "css": rel(url, f"{ASSETS}/requester.css"),
        "calendar": rel(url, f"{ASSETS}/{CALENDAR_SCRIPT}"),
        "calculator": rel(url, f"{ASSETS}/calculator.js"),
        "new_guide": new_guide_url(agency, repo),
        "contributing": contributing_url(repo),
    }


def search_record(ctx: dict, url: str) -> SearchRecord:
    agency: Agency = ctx["agency"]
    ways = "、".join(dict.fromkeys(c.label for c in ctx["channels"])) or "见法定默认"
    places = " ".join(v for c in ctx["channels"] for _, v in c.rows)
    status = "本机关指南" if ctx["guide"] else "尚未收录指南，显示法定默认"
    return SearchRecord(
        url=url,
        title=f"{agency.name} 政府信息公开指南",
        excerpt=f"申请渠道：{ways}；答复期限、收费、行政复议和行政诉讼。{status}。",
        text=" ".join(
            (*agency.all_names, "政府信息公开指南 依申请公开 申请渠道 答复期限 行政复议", places)
        ),
        kind="guide",
        filters={"province": (agency.province,), "level": (agency.level,)},
    )


def guide_page(corpus: Corpus, agency_id: str, repo: str | None = None) -> Page:
    ctx = guide_context(corpus, agency_id)
    agency: Agency = ctx["agency"]
    guide: Guide | None = ctx["guide"]
    path = guide_path(agency_id)
    url = page_url(path)
    body = render("guide.html.j2", **ctx, links=_links(agency, url, repo or repo_url()))
    return Page(
        path=path,
        title=f"{agency.name} 政府信息公开指南",
        body=body,
        markup="html",
        edit_path=guide.file if guide else agency.file,
        raw_path=guide.source.raw if guide else "",
        search=search_record(ctx, url),
        description=f"向{agency.name}申请政府信息公开：渠道、期限、收费、救济途径和期限计算器。",
    )


def pages(corpus: Corpus) -> list[Page]:
    repo = repo_url()
    return [guide_page(corpus, a, repo) for a in sorted(corpus.agencies)]
