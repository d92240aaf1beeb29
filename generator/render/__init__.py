"""Stage 4, render: the corpus -> ``Page`` objects (Jinja2 templates in ``site_templates/``).

``collect_pages(corpus)`` gathers every page from a registry of page sources:
our own (home, regions, agencies, reports, years, data quality, hand-written
pages) and, when their modules are present, the downloads page
(``generator.package.site.pages``) and the requester tools
(``generator.requester.pages``: guides, calculator, coverage, explainer).
Optional sources run first, so that our pages link to theirs only when they
exist. Nothing here knows about mkdocs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..model import Corpus
from ..pages import Page
from ..paths import REPO_ROOT
from . import quality, regions, static, year
from .agency import agency_page
from .common import html_text
from .contexts import Site
from .home import home_page
from .markdown import render_markdown
from .report import report_page
from .urls import page_url

# (module, function) of page sources other features provide; skipped when absent.
OPTIONAL_SOURCES = (
    ("generator.package.site", "pages"),
    ("generator.requester", "pages"),
    ("generator.search", "pages"),
)


def optional_sources() -> list[Callable[[Corpus], Iterable[Page]]]:
    """The optional page sources whose modules are installed."""
    found = []
    for module, name in OPTIONAL_SOURCES:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        fn = getattr(mod, name, None)
        if callable(fn):
            found.append(fn)
    return found


def own_pages(corpus: Corpus, root: Path, site: Site) -> list[Page]:
    """Every page this stage makes itself."""
    out = [
        home_page(corpus, site),
        *regions.pages(corpus),
        *year.pages(corpus),
        *quality.pages(corpus),
    ]
    out += [
        agency_page(corpus, a, site) for a in sorted(corpus.agencies.values(), key=lambda a: a.id)
    ]
    out += [
        report_page(corpus, r, root, site)
        for r in sorted(corpus.reports.values(), key=lambda r: (r.agency, r.year))
        if r.agency in corpus.agencies
    ]
    return out


def _indexed_as_shown(page: Page) -> Page:
    """Index a page by the text it shows, so a search finds exactly the pages showing a term.

    Page sources may put keywords in ``SearchRecord.text``; a keyword the page
    does not show would make a hit the reader cannot find on the page.
    """
    if page.search is None:
        return page
    body = page.body if page.markup == "html" else render_markdown(page.body)
    return replace(page, search=replace(page.search, text=html_text(body)))


def collect_pages(corpus: Corpus, root: Path | None = None) -> list[Page]:
    """Every page of the site; a later page with the same path replaces an earlier one."""
    root = root or REPO_ROOT
    extra = static.pages(root)
    for source in optional_sources():
        extra += list(source(corpus))
    own_urls = {"", "regions/", "years/", "quality/"}
    site = Site(known_urls={page_url(p.path) for p in extra} | own_urls)
    pages: dict[str, Page] = {}
    for page in [*own_pages(corpus, root, site), *extra]:
        pages[page.path] = page
    return sorted((_indexed_as_shown(p) for p in pages.values()), key=lambda p: p.path)
