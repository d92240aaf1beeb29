"""Pieces several page types share: breadcrumbs, report rows, flags, raw lines."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ..model import Corpus
from ..records import Agency, LineRange, Report
from .contexts import Flag, Link, ReportRow, diagnostics_flags
from .facts import key_figures
from .urls import blob_url, rel

LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级"}


def agency_url(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def report_url(report: Report) -> str:
    return f"agencies/{report.agency}/{report.year}/"


def region_url(division_code: str) -> str:
    """The province page: regions/<2-digit code>/."""
    return f"regions/{division_code[:2]}/"


def year_url(year: int) -> str:
    return f"years/{year}/"


def region_anchor(code: str) -> str:
    return f"r{code}"


def agency_breadcrumbs(here: str, agency: Agency) -> list[Link]:
    """首页 › 地区 › province › the agency."""
    crumbs = [Link(rel(here, ""), "首页"), Link(rel(here, "regions/"), "地区")]
    if agency.province:
        crumbs.append(Link(rel(here, region_url(agency.division_code)), agency.province))
    crumbs.append(Link(rel(here, agency_url(agency.id)), agency.short_name or agency.name))
    return crumbs


def report_row(corpus: Corpus, report: Report, here: str, owner: str = "") -> ReportRow:
    """A report in a list, with links relative to ``here``."""
    agency = corpus.agencies.get(report.agency)
    name = report.filed_as or (
        corpus.name_in(report.agency, report.year) if agency else report.agency
    )
    return ReportRow(
        report=report,
        href=rel(here, report_url(report)),
        figures=key_figures(report),
        agency_name=name,
        agency_href=rel(here, agency_url(report.agency)) if agency else "",
        inherited=bool(owner) and report.agency != owner,
        province=agency.province if agency else "",
        level=LEVEL_NAMES.get(agency.level, "") if agency else "",
    )


def flags_for(corpus: Corpus, files: list[str]) -> tuple[Flag, ...]:
    """The diagnostics of ``files`` as flags linking to the line on GitHub."""
    diags = [d for f in files for d in corpus.diagnostics_for(f)]
    return diagnostics_flags(diags, blob_url)


@lru_cache(maxsize=4)  # a report's tables read the same file; a worker sees thousands of files
def _raw_text(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def raw_lines(
    root: Path, raw: str, lines: LineRange | None, limit: int = 80
) -> tuple[int, tuple[str, ...]]:
    """(first line number, lines) of the raw file ``raw`` (repository path) within ``lines``."""
    if not raw or lines is None or not raw.startswith("content/raw/") or ".." in raw:
        return 0, ()
    text = _raw_text(root / raw)
    start, end = max(lines.start, 1), min(lines.end, lines.start + limit - 1)
    return start, text[start - 1 : end]


_TAGS = re.compile(r"<[^>]+>")
# Parts of a page that are the same on every page of its kind, or the page's
# apparatus rather than its text: the official tables' labels and numbers,
# breadcrumbs, source, citation, data quality. Templates wrap them in these
# comments; they are shown but not indexed, so that a search finds a report by
# what it says and who published it (and the index does not grow by the same
# two thousand characters of form labels per report). The form's labels are
# found on the methodology page.
NOINDEX_OPEN, NOINDEX_CLOSE = "<!--gk-noindex-->", "<!--/gk-noindex-->"
NOINDEX = re.compile(f"{NOINDEX_OPEN}.*?{NOINDEX_CLOSE}", re.S)


def _without_noindex(body: str) -> str:
    """``NOINDEX.sub(" ", body)`` by plain string search (the regex scans every character)."""
    parts: list[str] = []
    pos = 0
    while (start := body.find(NOINDEX_OPEN, pos)) >= 0:
        end = body.find(NOINDEX_CLOSE, start + len(NOINDEX_OPEN))
        if end < 0:
            break  # no closing mark after this one, hence none after any later one
        parts += (body[pos:start], " ")
        pos = end + len(NOINDEX_CLOSE)
    if not parts:
        return body
    parts.append(body[pos:])
    return "".join(parts)


@lru_cache(maxsize=1)  # a page source's text, then the plan's "indexed as shown": one body, once
def html_text(body: str) -> str:
    """The visible text of an HTML fragment that the search index holds (what the page
    shows, less the regions marked ``<!--gk-noindex-->…<!--/gk-noindex-->``)."""
    # str.split() and re's \s agree on white space (str.isspace), so this is
    # re.sub(r"\s+", " ", text).strip() in one pass.
    return " ".join(html.unescape(_TAGS.sub(" ", _without_noindex(body))).split())
