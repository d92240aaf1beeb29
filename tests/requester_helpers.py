"""Helpers for the requester tests: the fixture corpus and a tiny static site to serve."""

from __future__ import annotations

from pathlib import Path

from site_helpers import serve  # noqa: F401 - the one local test server, re-exported

from generator.commands.package import load_corpus
from generator.model import Corpus
from generator.pages import Page
from generator.requester import agency_pages, pages, write_assets
from generator.requester.env import page_url

HERE = Path(__file__).parent
FIXTURE_ROOT = HERE / "fixtures" / "requester"  # holds content/
SHELL = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{body}</main></body></html>
"""


def fixture_corpus() -> Corpus:
    return load_corpus(FIXTURE_ROOT)


def all_pages(corpus: Corpus) -> list[Page]:
    """Every requester page: the site-wide ones and every agency's."""
    return [*pages(corpus), *(p for a in sorted(corpus.agencies) for p in agency_pages(corpus, a))]


def page_by_path(corpus: Corpus, path: str) -> Page:
    return next(p for p in all_pages(corpus) if p.path == path)


def write_site(corpus: Corpus, out: Path) -> Path:
    """Every requester page as ``<url>/index.html`` in a bare HTML shell, plus the assets."""
    for page in all_pages(corpus):
        target = out / page_url(page.path) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SHELL.format(title=page.title, body=page.body), encoding="utf-8")
    write_assets(out)
    return out
