"""Helpers for the requester tests: the fixture corpus and a tiny static site to serve."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.commands.package import load_corpus
from generator.model import Corpus
from generator.pages import Page
from generator.requester import pages, write_assets
from generator.requester.env import page_url

HERE = Path(__file__).parent
FIXTURE_ROOT = HERE / "fixtures" / "requester"  # holds content/
SHELL = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{body}</main></body></html>
"""


def fixture_corpus() -> Corpus:
    return load_corpus(FIXTURE_ROOT)


def page_by_path(corpus: Corpus, path: str) -> Page:
    return next(p for p in pages(corpus) if p.path == path)


def write_site(corpus: Corpus, out: Path) -> Path:
    """Every requester page as ``<url>/index.html`` in a bare HTML shell, plus the assets."""
    for page in pages(corpus):
        target = out / page_url(page.path) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SHELL.format(title=page.title, body=page.body), encoding="utf-8")
    write_assets(out)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (stdlib http.server); yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
