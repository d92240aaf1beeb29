"""Downloads for the site: the files, and the downloads page that documents them.

The site stage calls ``write_downloads(corpus, docs_dir / DOWNLOADS)`` and
adds ``pages(corpus)`` to its pages. Files written (all deterministic)::

    gongkai-datapackage.zip          datapackage.json + every CSV + licence
    datapackage.json, <table>.csv    the package, file by file
    gongkai.xlsx                     one sheet per table
    reports/<agency>/<year>.csv|json one report

Report pages link to their files with ``report_download_paths``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..model import Corpus
from ..pages import Page
from ..paths import REPO_ROOT
from ..records import Report
from .downloads_page import DOWNLOADS, XLSX_NAME, ZIP_NAME, changelog_page, downloads_page
from .excel import write_workbook
from .meta import Release, current_release
from .report_files import report_csv, report_json
from .write import package_files, write_package

ZIP_EXTRA = ("LICENSE-DATA.md", "CHANGELOG-DATA.md", "CITATION.cff")


def report_download_paths(report: Report) -> tuple[str, str]:
    """(CSV, JSON) of a report, relative to the docs dir."""
    base = f"{DOWNLOADS}/reports/{report.agency}/{report.year}"
    return f"{base}.csv", f"{base}.json"


def deterministic_zip(files: list[tuple[str, bytes]], release: Release) -> bytes:
    """A zip of ``(name, data)`` sorted by name, every entry dated the release date."""
    out = io.BytesIO()
    stamp = release.timestamp.timetuple()[:6]
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


def write_report_files(corpus: Corpus, out_dir: Path, release: Release) -> list[Path]:
    written = []
    for report in sorted(corpus.reports.values(), key=lambda r: (r.agency, r.year)):
        folder = out_dir / "reports" / report.agency
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in (
            (folder / f"{report.year}.csv", report_csv(report)),
            (folder / f"{report.year}.json", report_json(corpus, report, release)),
        ):
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def write_downloads(corpus: Corpus, out_dir: Path) -> list[Path]:
    """Write every download into ``out_dir``; returns the paths written."""
    release = current_release()
    out_dir.mkdir(parents=True, exist_ok=True)
    write_package(corpus, out_dir, release)
    written = [out_dir / name for name in package_files()]
    files = [(f"gongkai-datapackage/{p.name}", p.read_bytes()) for p in written]
    files += [
        (f"gongkai-datapackage/{name}", (REPO_ROOT / name).read_bytes())
        for name in ZIP_EXTRA
        if (REPO_ROOT / name).is_file()
    ]
    (out_dir / ZIP_NAME).write_bytes(deterministic_zip(files, release))
    written.append(out_dir / ZIP_NAME)
    written.append(write_workbook(corpus, out_dir / XLSX_NAME, release))
    return written + write_report_files(corpus, out_dir, release)


def pages(corpus: Corpus) -> list[Page]:
    """The downloads page and the data changelog page."""
    release = current_release()
    return [downloads_page(corpus, release), changelog_page(release)]
