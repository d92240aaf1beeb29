"""The guides index ``guides/``: every agency's guide page and letter helper, by region."""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page, SearchRecord
from .env import ASSETS, page_url, rel, render
from .explainer import PATH as OUTCOMES_PATH
from .guide_pages import apply_path, guide_path

PATH = "guides.md"


def guides_index(corpus: Corpus) -> Page:
    url = page_url(PATH)
    regions: dict[str, list[dict]] = {}
    for agency in sorted(corpus.agencies.values(), key=lambda a: (a.division_code, a.id)):
        regions.setdefault(agency.province or "全国", []).append(
            {
                "name": agency.name,
                "has_guide": agency.id in corpus.guides,
                "guide": rel(url, page_url(guide_path(agency.id))),
                "apply": rel(url, page_url(apply_path(agency.id))),
            }
        )
    with_guide = sum(a in corpus.guides for a in corpus.agencies)
    body = render(
        "guides_index.html.j2",
        regions=[{"name": k, "agencies": v} for k, v in regions.items()],
        with_guide=with_guide,
        without_guide=len(corpus.agencies) - with_guide,
        outcomes=rel(url, page_url(OUTCOMES_PATH)),
        css=rel(url, f"{ASSETS}/requester.css"),
    )
    return Page(
        path=PATH,
        title="政府信息公开指南",
        body=body,
        markup="html",
        nav=("申请指南",),
        description="各机关的政府信息公开指南：申请渠道、答复期限、收费、救济途径，附期限计算器和申请书填写。",
        search=SearchRecord(
            url=url,
            title="政府信息公开指南：向谁申请、怎么申请",
            excerpt="各机关的申请渠道、答复期限、收费和救济途径，附答复期限计算器和申请书填写。",
            text="政府信息公开指南 依申请公开 申请书 答复期限 计算器 "
            + " ".join(a.name for a in corpus.agencies.values()),
            kind="page",
        ),
    )
