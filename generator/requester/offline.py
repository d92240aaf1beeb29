"""The requester's toolkit of the built site as one offline zip.

``write_offline_zip(site_dir)`` is called by the site build after the site is
written. It packs what a requester needs without a connection — every
agency's guide and application letter, the guides index, the deadline
calculator, the outcome explainer, coverage, the hand-written pages and the
theme's assets — and leaves out what grows with the number of reports: report
and agency pages, year and region lists, per-report downloads and the search
index (at 55,000 reports the whole site would be over 1 GB; the reports are in
the data package, which is its own download). Links from packed pages to
pages left out do not open offline. Links to directories (``agencies/371500-wjw/``) are rewritten to
their ``index.html`` inside the zip so that pages open from the file system;
the site on the web is left as it is. Same site, same bytes: entries sorted,
dated the data release, fixed permissions. Search needs a web server and
does not work from the zip; everything else does.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..package.meta import current_release

OFFLINE_ZIP = "downloads/gongkai-site.zip"  # under the site dir
_SKIP_SUFFIXES = (".zip",)  # downloads already offered on their own; never the zip itself
# Left out of the zip: grows with N (see the module docstring). Guide and apply pages stay.
_LEFT_OUT = re.compile(
    r"^(?:pagefind[^/]*/|downloads/|years/|regions/|agencies/[^/]+/(?!guide/|apply/))"
)
_LEFT_OUT_DIR = re.compile(
    r"^(?:pagefind[^/]*|downloads|years|regions|agencies/[^/]+/(?!guide$|apply$)[^/]+)$"
)
_HREF = re.compile(r"""(\s(?:href|src)=)(["'])([^"'#?:]*?/)([#?][^"']*)?\2""")


def offline_html(html: str) -> str:
    """Directory links (relative, ending in /) made to point at index.html."""

    def fix(m: re.Match) -> str:
        attr, quote, path, tail = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        if path.startswith("/"):
            return m.group(0)
        return f"{attr}{quote}{path}index.html{tail}{quote}"

    return _HREF.sub(fix, html)


def site_files(site_dir: Path) -> list[Path]:
    """Every file to pack, sorted by its path inside the site."""
    found = []
    for dirpath, dirnames, filenames in os.walk(site_dir):
        here = Path(dirpath)
        rel_dir = here.relative_to(site_dir).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = [d for d in dirnames if not _LEFT_OUT_DIR.match(prefix + d)]
        for name in filenames:
            rel = prefix + name
            if not name.endswith(_SKIP_SUFFIXES) and not _LEFT_OUT.match(rel):
                found.append((rel, here / name))
    return [path for _, path in sorted(found)]


def write_offline_zip(site_dir: Path, out: Path | None = None) -> Path:
    """Pack ``site_dir`` into ``site_dir/downloads/gongkai-site.zip`` (or ``out``); returns it."""
    site_dir = Path(site_dir)
    target = Path(out) if out else site_dir / OFFLINE_ZIP
    stamp = current_release().timestamp.timetuple()[:6]
    files = site_files(site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w") as zf:
        for path in files:
            name = "gongkai-site/" + path.relative_to(site_dir).as_posix()
            data = path.read_bytes()
            if path.suffix == ".html":
                data = offline_html(data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(target)
    return target
