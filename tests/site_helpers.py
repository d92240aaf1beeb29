"""Helpers for the site tests: build once, parse links, serve over HTTP."""

from __future__ import annotations

import contextlib
import functools
import http.server
import posixpath
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.commands.build import prepare
from generator.render.urls import site_url
from generator.site import build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"
ASSET_TAGS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
}


def build(root: Path, out: Path) -> Path:
    """Build the site of ``root`` into ``out``; fails the test if the content has errors."""
    prepared = prepare(root)
    assert prepared.ok, "content has errors"
    build_site(prepared.pages, prepared.corpus, root, out)
    return out


class LinkParser(HTMLParser):
    """Every (tag, attribute, value) of href/src attributes, and every id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> LinkParser:
    p = LinkParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def is_third_party(url: str) -> bool:
    """An absolute URL outside the site's own public address (mkdocs.yml site_url)."""
    own = site_url()
    return is_external(url) and not (own and url.startswith(own))


def resolve(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative or root-relative link points at (None for pure fragments)."""
    path = unquote(urlsplit(url).path)
    if not path:
        return None
    base = "/" + page.parent.relative_to(site).as_posix()
    if path.startswith("/"):  # root-relative: under the deployed base path (site_url)
        prefix = urlsplit(site_url()).path.rstrip("/")
        path = path[len(prefix) :] or "/" if prefix and path.startswith(prefix + "/") else path
    target = path if path.startswith("/") else posixpath.normpath(posixpath.join(base, path))
    if path.endswith("/") and not target.endswith("/"):
        target += "/"
    out = site / target.lstrip("/")
    return out / "index.html" if target.endswith("/") or out.is_dir() else out


def broken_links(site: Path) -> list[str]:
    """Every internal href/src in site/**/*.html that points at no file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for tag, attr, url in parse(page).links:
            if is_external(url) or url.startswith(("mailto:", "#", "javascript:", "data:")):
                continue
            target = resolve(site, page, url)
            if target is not None and not target.exists():
                broken.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}>")
    return broken


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # type: ignore[no-untyped-def]
        pass
