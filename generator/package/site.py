"""Downloads for the site: the files, and the downloads page that documents them.

The site stage calls ``write_downloads(corpus, docs_dir / DOWNLOADS, root=root)``
and adds ``pages(corpus)`` to its pages. Files written (all deterministic)::

    gongkai-datapackage.zip          datapackage.json + every CSV + licence
    datapackage.json, <table>.csv    the package, file by file
    gongkai.xlsx                     one sheet per table
    reports/<agency>/<year>.csv|json one report

Report pages link to their files with ``report_download_paths``.

Speed: the corpus is visited once (``stream.write_tables``); each report's
share of every file is formatted once and, given ``root``, cached by content
(``cache``), so a rebuild formats only the reports that changed. What remains
per build is writing the files and compressing the zip and the workbook.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from ..model import Corpus
from ..pages import Page
from ..paths import REPO_ROOT
from ..records import Report
from .cache import NoCache, PartsCache
from .downloads_page import DOWNLOADS, XLSX_NAME, ZIP_NAME, changelog_page, downloads_page
from .excel import Workbook
from .meta import Release, current_release
from .reuse import record_package
from .stream import write_tables
from .write import package_files, write_descriptor

ZIP_EXTRA = ("LICENSE-DATA.md", "CHANGELOG-DATA.md", "CITATION.cff")


def report_download_paths(report: Report) -> tuple[str, str]:
    """(CSV, JSON) of a report, relative to the docs dir."""
    base = f"{DOWNLOADS}/reports/{report.agency}/{report.year}"
    return f"{base}.csv", f"{base}.json"


def write_downloads(
    corpus: Corpus, out_dir: Path, *, root: Path | None = None, cache_dir: Path | None = None
) -> list[Path]:
    """Write every download into ``out_dir``; returns the paths written.

    With ``root`` (the repository root the corpus was loaded from) the parts
    of unchanged reports come from the cache in ``cache_dir`` (default
    ``<root>/.cache/gongkai/package``); without it every report is formatted.
    """
    release = current_release()
    out_dir.mkdir(parents=True, exist_ok=True)
    book = Workbook(release)
    cache = PartsCache(root, cache_dir) if root is not None else NoCache()
    try:
        with cache:
            counts, report_files = write_tables(
                corpus,
                release,
                csv_dir=out_dir,
                workbook=book,
                reports_dir=out_dir / "reports",
                cache=cache,
            )
        written = [write_descriptor(out_dir, release)]
        written += [out_dir / name for name in package_files()[1:]]
        written.append(book.save(out_dir / XLSX_NAME))
    finally:
        book.discard()
    if root is not None:  # for `gongkai package` to copy, while the inputs stay the same
        record_package(out_dir, root, release, counts, cache_dir)
    written.append(write_zip(out_dir, release))
    return written + report_files


def write_zip(out_dir: Path, release: Release) -> Path:
    """The package zip: descriptor, CSVs and the licence/citation files, streamed."""
    files = [(f"gongkai-datapackage/{name}", out_dir / name) for name in package_files()]
    files += [
        (f"gongkai-datapackage/{name}", REPO_ROOT / name)
        for name in ZIP_EXTRA
        if (REPO_ROOT / name).is_file()
    ]
    stamp = release.timestamp.timetuple()[:6]
    path = out_dir / ZIP_NAME
    with zipfile.ZipFile(path, "w") as zf:
        for name, source in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            big = source.stat().st_size > 2**31 - 2**26
            with open(source, "rb") as src, zf.open(info, "w", force_zip64=big) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    return path


def pages(corpus: Corpus) -> list[Page]:
    """The downloads page and the data changelog page."""
    release = current_release()
    return [downloads_page(corpus, release), changelog_page(release)]
