"""The data-quality page: every diagnostic (warnings and notes; errors stop the build),
grouped by check, then by agency."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from ..diagnostics import SEVERITIES, Diagnostic
from ..model import Corpus
from ..pages import Page, SearchRecord
from .common import agency_url
from .contexts import Flag, Link, QualityGroup, diagnostics_flags
from .env import render
from .urls import blob_url, rel

PATH = "quality.md"
HERE = "quality/"


def file_owner(corpus: Corpus) -> dict[str, str]:
    """Content file -> agency id."""
    out = {a.file: a.id for a in corpus.agencies.values()}
    out.update({r.file: r.agency for r in corpus.reports.values()})
    out.update({g.file: g.agency for g in corpus.guides.values()})
    return out


def owner_of(file: str, owners: dict[str, str]) -> str:
    """The agency a file belongs to, from the records or else from its path."""
    if file in owners:
        return owners[file]
    parts = PurePosixPath(file).parts
    if "reports" in parts[:-1]:
        return parts[parts.index("reports") + 1]
    return PurePosixPath(file).stem


def groups(corpus: Corpus) -> tuple[QualityGroup, ...]:
    """Diagnostics by check (most severe first), then by agency."""
    owners = file_owner(corpus)
    by_check: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in corpus.diagnostics:
        by_check[d.check].append(d)
    out = []
    for check, diags in by_check.items():
        by_agency: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in diags:
            by_agency[owner_of(d.file, owners)].append(d)
        agencies = tuple(
            (_agency_link(corpus, a), diagnostics_flags(ds, blob_url))
            for a, ds in sorted(by_agency.items())
        )
        severity = min((d.severity for d in diags), key=SEVERITIES.index)
        out.append(QualityGroup(check, severity, len(diags), agencies))
    return tuple(sorted(out, key=lambda g: (SEVERITIES.index(g.severity), g.check)))


def _agency_link(corpus: Corpus, agency_id: str) -> Link:
    agency = corpus.agencies.get(agency_id)
    if agency is None:
        return Link("", agency_id)
    return Link(rel(HERE, agency_url(agency_id)), agency.name)


def quality_page(corpus: Corpus) -> Page:
    """The data-quality page."""
    gs = groups(corpus)
    counts = {s: sum(1 for d in corpus.diagnostics if d.severity == s) for s in SEVERITIES}
    summary = f"{counts['warning']} 个警告，{counts['info']} 条提示"
    return Page(
        path=PATH,
        title="数据质量",
        body=render("quality.html.j2", groups=gs, counts=counts, home=rel(HERE, "")),
        nav=("数据质量",),
        description=f"校验发现的问题：{summary}。",
        markup="html",
        search=SearchRecord(
            HERE, "数据质量", summary, "数据质量 校验 " + " ".join(g.check for g in gs), "page"
        ),
    )


def pages(corpus: Corpus) -> list[Page]:
    return [quality_page(corpus)]


__all__ = ["Flag", "groups", "pages", "quality_page"]
