"""Downloads for the site: the files, and the downloads page that documents them.

The site stage calls ``write_downloads(corpus, out_dir, root=root)`` and adds
``pages(corpus)`` to its pages. Files written (all deterministic)::

    gongkai-datapackage.zip          datapackage.json + every CSV + licence
    datapackage.json, <table>.csv    the package, file by file
    gongkai.xlsx                     one sheet per table
    reports/<agency>/<year>.csv|json one report

Report pages link to their files with ``report_download_paths``;
``download_names`` lists the files (say, for placeholders mkdocs checks
links against while the files themselves are written elsewhere).

``out_dir`` may hold the previous build's downloads: it is brought up to
date in place (unchanged files untouched, changed ones replaced atomically,
stale ones removed), and with ``root`` only what changed is made again
(``downloads``). Nothing depends on where ``out_dir`` is.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Corpus
from ..pages import Page
from ..records import Report
from .cache import NoCache, PartsCache
from .downloads import download_names, sync_downloads
from .downloads_page import DOWNLOADS, changelog_page, downloads_page
from .meta import current_release
from .reuse import record_package

__all__ = ["download_names", "pages", "report_download_paths", "write_downloads"]


def report_download_paths(report: Report) -> tuple[str, str]:
    """(CSV, JSON) of a report, relative to the docs dir."""
    base = f"{DOWNLOADS}/reports/{report.agency}/{report.year}"
    return f"{base}.csv", f"{base}.json"


def write_downloads(
    corpus: Corpus,
    out_dir: Path,
    *,
    root: Path | None = None,
    cache_dir: Path | None = None,
    state_as: Path | None = None,
) -> list[Path]:
    """Bring ``out_dir`` to hold exactly every download of ``corpus``; returns their paths.

    With ``root`` (the repository root the corpus was loaded from) the parts
    of unchanged reports come from the cache in ``cache_dir`` (default
    ``<root>/.cache/gongkai/package``), which also keeps what was written to
    ``out_dir``, so that a rebuild makes only what changed; without it every
    report is formatted and every file compared with what ``out_dir`` holds.
    ``state_as``: the path ``out_dir`` will have (it is renamed there afterwards).
    """
    release = current_release()
    cache = PartsCache(root, cache_dir) if root is not None else NoCache()
    with cache:
        written = sync_downloads(corpus, out_dir, cache, release, state_as=state_as)
    if root is not None:  # for `gongkai package` to copy, while the inputs stay the same
        record_package(out_dir, root, release, None, cache_dir, found_in=state_as)
    return written


def pages(corpus: Corpus) -> list[Page]:
    """The downloads page and the data changelog page."""
    release = current_release()
    return [downloads_page(corpus, release), changelog_page(release)]
