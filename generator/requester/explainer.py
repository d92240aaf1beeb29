"""The outcome explainer: what each table-3 outcome means, and how common it is.

The outcome rows (labels, order, articles) are read from the format
definitions (``generator/formats``); ``outcomes.yaml`` beside this module only
adds a plain-language meaning and the remedy path of each row code.
``outcome_distribution(corpus, report)`` gives, for a report, how common each
outcome is for the agency and for its peers (agencies of the same level, the
same year): counts with their denominators, and shares only where the
denominator is at least ``MIN_DENOMINATOR``. Nothing is ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .. import law
from ..formats import Row, get_format
from ..model import LEVEL_NAMES, Corpus
from ..pages import Page, SearchRecord
from ..records import Report
from .env import page_url, rel, render

PATH = "outcomes.md"
MIN_DENOMINATOR = 20  # below this, counts only: a share of 1 in 3 says nothing
OUTCOME_GROUP = "三、本年度办理结果"
REGULATIONS = law.REGULATIONS


@cache
def meanings() -> dict[str, dict[str, str]]:
    with open(Path(__file__).with_name("outcomes.yaml"), encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))


def outcome_rows(format_code: str) -> tuple[Row, ...]:
    """The outcome rows of a format's table 3 (三、本年度办理结果, without its 总计)."""
    table = get_format(format_code).table("requests")
    if table is None:
        return ()
    return tuple(r for r in table.rows if r.group.startswith(OUTCOME_GROUP) and r.code != "total")


def anchor(code: str) -> str:
    return "outcome-" + code.replace(".", "-")


def article_text(row: Row) -> str:
    """``《政府信息公开条例》第十四条``, or empty when the row rests on no single article."""
    art = row.article.removeprefix("条例")
    return f"{REGULATIONS}{art}" if art else ""


@dataclass(frozen=True)
class RemedyStep:
    text: str
    basis: str


def remedy_path(kind: str) -> list[RemedyStep]:
    """The steps open to a requester after an answer of this kind, with statutory periods."""
    recon, lit, after = law.RECONSIDERATION, law.LITIGATION, law.LITIGATION_AFTER_RECONSIDERATION
    complaint = RemedyStep(
        "认为机关在信息公开工作中侵犯自己合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报。",
        f"{REGULATIONS}第五十一条",
    )
    if kind == "refused":
        return [
            RemedyStep(
                f"对不予公开（包括部分不予公开）不服的，应当先申请行政复议（复议前置），"
                f"期限为知道该答复之日起 {recon.period}。",
                f"{law.RECONSIDERATION_LAW}第二十三条第一款第（四）项、第二十条",
            ),
            RemedyStep(
                f"对复议决定不服的，可以在收到复议决定书之日起 {after.period}内向人民法院提起行政诉讼。",
                after.citation,
            ),
            complaint,
        ]
    steps = [
        RemedyStep(
            f"对答复不服的，可以在知道该答复之日起 {recon.period}内申请行政复议，"
            f"或者在 {lit.period}内直接向人民法院提起行政诉讼；"
            f"先复议的，对复议决定不服，可在收到复议决定书之日起 {after.period}内起诉。",
            f"{recon.citation}、{lit.citation}、{after.citation}",
        ),
        complaint,
    ]
    if kind == "granted":
        steps.insert(
            0,
            RemedyStep(
                "机关提供的与自己相关的信息记录不准确的，可以要求该机关更正，并提供证据。",
                f"{REGULATIONS}第四十一条",
            ),
        )
    return steps


def explained_rows(format_code: str) -> list[dict]:
    """Each outcome row of a format with its article, meaning and remedy path."""
    out = []
    for row in outcome_rows(format_code):
        info = meanings()[row.code]
        out.append(
            {
                "code": row.code,
                "anchor": anchor(row.code),
                "number": row.number,
                "label": row.label,
                "group": row.group.split("/")[-1] if "/" in row.group else "",
                "article": article_text(row),
                "meaning": info["meaning"],
                "remedy": remedy_path(info["remedy"]),
            }
        )
    return out


def _requests_total(report: Report, code: str) -> int | None:
    table = report.tables.get("requests")
    if table is None or code not in table.rows:
        return None
    cell = table.cell(code, "total")
    return int(cell.value) if cell.is_number else None


def tally(reports: list[Report], codes: tuple[str, ...]) -> dict:
    """Counts per row code over ``reports`` (numbers only) and their sum, the denominator."""
    counts = dict.fromkeys(codes, 0)
    for report in reports:
        for code in codes:
            counts[code] += _requests_total(report, code) or 0
    return {"counts": counts, "denominator": sum(counts.values()), "reports": len(reports)}


def share(count: int | None, denominator: int) -> str:
    """``12.5%`` when the denominator is large enough, else empty (counts only)."""
    if count is None or denominator < MIN_DENOMINATOR:
        return ""
    return f"{100 * count / denominator:.1f}%"


def outcome_distribution(corpus: Corpus, report: Report) -> dict:
    """Context for ``requester/outcomes_partial.html.j2``; ``available`` is False without table 3."""
    rows = outcome_rows(report.format)
    codes = tuple(r.code for r in rows)
    agency = corpus.agencies.get(report.agency)
    level = agency.level if agency else ""
    same_format = [r for r in corpus.reports_of(report.agency) if r.format == report.format]
    own = tally([report], codes)
    hist = tally(same_format, codes)
    peer = _peer_tally(corpus, report, level, codes)
    rows_out = [_row(row, own, hist, peer) for row in rows]
    shown = [r for r in rows_out if r["own"] or r["history"] or r["peers"]]
    return {
        "available": bool(rows) and "requests" in report.tables and own["denominator"] > 0,
        "report": {"agency": report.agency, "year": report.year},
        "min_denominator": MIN_DENOMINATOR,
        "level_name": LEVEL_NAMES.get(level, level),
        "own": own,
        "history": {**hist, "years": [r.year for r in same_format]},
        "peers": peer,
        "rows": rows_out,
        "shown": shown,  # rows that are not 0 in every column
        "zero_rows": len(rows_out) - len(shown),
    }


def outcome_label(row) -> str:
    """``（四）无法提供 1.本机关不掌握相关政府信息``: the row with its sub-group, if any."""
    groups = row.group.split("/")[1:]  # drop 三、本年度办理结果, shared by every outcome
    return " ".join([*groups, f"{row.number}{row.label}"])


def _row(row, own: dict, hist: dict, peer: dict) -> dict:
    return {
        "code": row.code,
        "anchor": anchor(row.code),
        "label": outcome_label(row),
        "own": own["counts"][row.code],
        "own_share": share(own["counts"][row.code], own["denominator"]),
        "history": hist["counts"][row.code],
        "history_share": share(hist["counts"][row.code], hist["denominator"]),
        "peers": peer["counts"][row.code],
        "peers_share": share(peer["counts"][row.code], peer["denominator"]),
    }


_GROUPS: dict[int, tuple[Corpus, dict]] = {}


def _group(corpus: Corpus, year: int, fmt: str, level: str, codes: tuple[str, ...]) -> dict:
    """Tally of every report of ``year`` in ``fmt`` by agencies at ``level`` (cached per corpus).

    Every report page needs its peers; tallying them afresh for each page
    would be quadratic in the number of reports.
    """
    cached = _GROUPS.get(id(corpus))
    if cached is None or cached[0] is not corpus:
        cached = (corpus, {})
        _GROUPS.clear()
        _GROUPS[id(corpus)] = cached
    key = (year, fmt, level, codes)
    if key not in cached[1]:
        members = [
            r
            for r in corpus.reports_in(year)
            if r.format == fmt and getattr(corpus.agencies.get(r.agency), "level", None) == level
        ]
        cached[1][key] = {**tally(members, codes), "agency_ids": {r.agency for r in members}}
    return cached[1][key]


def _peer_tally(corpus: Corpus, report: Report, level: str, codes: tuple[str, ...]) -> dict:
    """The group's tally less the report's own agency: same level, year and format."""
    group = _group(corpus, report.year, report.format, level, codes)
    own = tally(
        [
            r
            for r in corpus.reports_in(report.year)
            if r.agency == report.agency and r.format == report.format
        ]
        if report.agency in group["agency_ids"]
        else [],
        codes,
    )
    counts = {c: group["counts"][c] - own["counts"][c] for c in codes}
    return {
        "counts": counts,
        "denominator": sum(counts.values()),
        "reports": group["reports"] - own["reports"],
        "agencies": len(group["agency_ids"] - {report.agency}),
    }


def agency_outcome_distribution(corpus: Corpus, agency_id: str) -> dict | None:
    """For an agency page: the distribution of its latest report with table 3, or None."""
    for report in reversed(corpus.reports_of(agency_id)):
        dist = outcome_distribution(corpus, report)
        if dist["available"]:
            return dist
    return None


def render_distribution(corpus: Corpus, report: Report, page_url_: str) -> str:
    """The partial rendered for a page at ``page_url_`` (for pages outside the site stage)."""
    return render(
        "outcomes_partial.html.j2",
        dist=outcome_distribution(corpus, report),
        outcomes_url=rel(page_url_, page_url(PATH)),
    )


def explainer_page() -> Page:
    formats = [(get_format(code), explained_rows(code)) for code in ("gov2021", "gov2019")]
    rows21 = formats[0][1]
    only19 = [r for r in formats[1][1] if r["code"] not in {x["code"] for x in rows21}]
    body = render(
        "outcomes.html.j2",
        rows=rows21,
        extra_rows=only19,
        format_name=formats[0][0].name,
        older_name=formats[1][0].name,
        min_denominator=MIN_DENOMINATOR,
    )
    text = " ".join(f"{r['label']} {r['article']} {r['meaning']}" for r in rows21 + only19)
    return Page(
        path=PATH,
        title="办理结果说明",
        body=body,
        markup="html",
        nav=("申请指南", "办理结果说明"),
        description="年度报告表三每一种办理结果的含义、依据条款和救济途径。",
        search=SearchRecord(
            url=page_url(PATH),
            title="办理结果说明：予以公开、不予公开、无法提供、不予处理……",
            excerpt="年度报告表三每一种办理结果的含义、条例依据，以及不服时的复议、诉讼途径和期限。",
            text="办理结果 不予公开 无法提供 不予处理 行政复议 行政诉讼 " + text,
            kind="page",
        ),
    )
