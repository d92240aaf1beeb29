"""``sitemap.xml`` and ``sitemap.xml.gz`` for every page, when mkdocs built only some of them.

mkdocs writes the sitemap for the pages it built (the shells included). This
rewrites it for the whole site in mkdocs' own order and entry layout (taken
from the file mkdocs wrote), and gzips it as mkdocs does, with the same
timestamp, so the bytes are those of a build where mkdocs made every page.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

from markupsafe import escape

from ..render.urls import page_url

_ENTRY = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


class SitemapError(Exception):
    """The sitemap mkdocs wrote is not laid out as expected."""


def sort_key(path: str) -> tuple:
    """mkdocs' file order: by directory, ``index`` first, then by name."""
    parts = PurePosixPath(path).parts
    stem = PurePosixPath(path).stem
    return (parts[:-1], (stem if stem != "README" else "index") != "index", parts[-1])


def rewrite_sitemap(site_dir: Path, paths: Iterable[str], site_url: str, dropped: set[str]) -> None:
    """Rewrite the sitemap for the pages at ``paths`` (docs paths); ``dropped`` are
    URLs of mkdocs-built pages that are not part of the site (the shells)."""
    xml = site_dir / "sitemap.xml"
    if not site_url or not xml.is_file():
        return
    base = site_url if site_url.endswith("/") else site_url + "/"
    text = xml.read_text(encoding="utf-8")
    entries = list(_ENTRY.finditer(text))
    if not entries:
        raise SitemapError("no <url> entries in mkdocs' sitemap.xml")
    first = entries[0].group(0)
    loc = _LOC.search(first)
    if loc is None:
        raise SitemapError("no <loc> in mkdocs' sitemap entry")
    ordered = sorted(paths, key=sort_key)
    locs = [str(escape(urljoin(base, page_url(p)))) for p in ordered]
    built = {_LOC.search(m.group(0)).group(1) for m in entries}  # type: ignore[union-attr]
    missing = built - set(locs) - {str(escape(urljoin(base, u))) for u in dropped}
    if missing:
        raise SitemapError(
            f"pages in mkdocs' sitemap but not among the pages: {sorted(missing)[:3]}"
        )
    before, after = first[: loc.start(1)], first[loc.end(1) :]
    body = "".join(f"{before}{u}{after}" for u in locs)
    out = text[: entries[0].start()] + body + text[entries[-1].end() :]
    xml.write_bytes(out.encode("utf-8"))
    _gzip(xml, out.encode("utf-8"))


def _gzip(xml: Path, data: bytes) -> None:
    """``sitemap.xml.gz`` as mkdocs writes it, keeping the timestamp mkdocs gave it."""
    gz = xml.with_name(xml.name + ".gz")
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little") if gz.is_file() else 0
    with (
        open(gz, "wb") as f,
        gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime) as z,
    ):
        z.write(data)
