"""GB/T 7714-style citations pinned to the data version.

``data_version(corpus)`` is the release in CHANGELOG-DATA.md plus a digest of
the content itself (``0.1.0+3f9c2a1b``): the same content gives the same
version, and any change to an agency, report or guide changes it, even
between releases. A report's citation pins to ``report_version(report)``, the
release plus a digest of that report's own record: it changes exactly when
the report's data does, so an edit to one report changes one report page (a
corpus-wide digest in every page would re-render all of them, and reading the
whole corpus for it costs minutes at 55,000 reports).
"""

from __future__ import annotations

import hashlib

from ..model import Corpus
from ..package.meta import AUTHOR, TITLE, current_release
from ..records import Report


def content_digest(corpus: Corpus) -> str:
    """SHA-256 over the typed records of every agency, report and guide, in key order."""
    h = hashlib.sha256()
    for kind, records in (
        ("agency", corpus.agencies),
        ("report", corpus.reports),
        ("guide", corpus.guides),
    ):
        for key in sorted(records):
            h.update(f"{kind}\0{key}\0{records[key]!r}\n".encode())
    return h.hexdigest()


def data_version(corpus: Corpus) -> str:
    """``<release>+<first 8 hex of the content digest>``, e.g. ``0.1.0+3f9c2a1b``.

    It reads the whole corpus: a build computes it once and passes it on.
    """
    return f"{current_release().version}+{content_digest(corpus)[:8]}"


def report_version(report: Report) -> str:
    """``<release>+<first 8 hex of the digest of this report's record>``."""
    digest = hashlib.sha256(repr(report).encode()).hexdigest()[:8]
    return f"{current_release().version}+{digest}"


def dataset_citation(corpus: Corpus, url: str = "", version: str | None = None) -> str:
    """The data set: 作者. 题名[DS/OL]. 版本 x. 日期. URL. (``version``: data_version, if known)."""
    release = current_release()
    where = f". {url}" if url else ""
    version = version or data_version(corpus)
    return f"{AUTHOR}. {TITLE}[DS/OL]. 版本 {version}. {release.date.isoformat()}{where}."


def report_citation(
    corpus: Corpus, report: Report, url: str = "", version: str | None = None
) -> str:
    """A report as published by its agency, and as held in this data set at this version.

    ``version`` defaults to :func:`report_version` of the report.
    """
    agency = corpus.agencies.get(report.agency)
    author = report.filed_as or (corpus.name_in(report.agency, report.year) if agency else "")
    author = author or report.agency
    dates = f"({report.published.isoformat()})" if report.published else ""
    cited = f"[{report.source.retrieved.isoformat()}]" if report.source.retrieved else ""
    source = f". {report.source.url}" if report.source.url else ""
    original = f"{author}. {report.title}[EB/OL]. {dates}{cited}{source}.".replace(". .", ".")
    held = dataset_citation(corpus, url, version or report_version(report))
    return f"{original} 收录于: {held}"
