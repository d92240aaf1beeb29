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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Corpus
from ..pages import Page
from ..paths import REPO_ROOT
from . import parallel, quality, regions, static, year
from .agency import agency_page
from .common import html_text
from .contexts import Site
from .home import home_page
from .markdown import render_markdown
from .pagecache import NO_CACHE, PageCache
from .report import report_page
from .urls import page_url

# (module, function) of page sources other features provide; skipped when absent.
OPTIONAL_SOURCES = (
    ("generator.package.site", "pages"),
    ("generator.requester", "pages"),
    ("generator.search", "pages"),
)
# Per-agency page sources, rendered with the agency's page: (module, function(corpus,
# agency_id) -> pages, function(agency_id) -> their paths, known before rendering).
OPTIONAL_AGENCY_SOURCES = (("generator.requester", "agency_pages"),)
OPTIONAL_AGENCY_PATHS = (("generator.requester", "agency_page_paths"),)


def optional_sources(registry: tuple = OPTIONAL_SOURCES) -> list[Callable]:
    """The optional page sources of ``registry`` whose modules are installed."""
    found = []
    for module, name in registry:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        fn = getattr(mod, name, None)
        if callable(fn):
            found.append(fn)
    return found


def summary_pages(corpus: Corpus, site: Site, cache: PageCache = NO_CACHE) -> list[Page]:
    """Home, regions, years and data quality: few pages, each over the whole corpus
    (year pages from ``cache`` when what they show is unchanged)."""
    return [
        home_page(corpus, site),
        *regions.pages(corpus),
        *year.pages(corpus, cache),
        *quality.pages(corpus),
    ]


@dataclass(frozen=True)
class PageTask:
    """One page that grows in number with the corpus: an agency's or a report's."""

    kind: str  # "agency" | "report"
    key: str  # agency id, or report id "<agency>/<year>"


def tasks(corpus: Corpus) -> list[PageTask]:
    """The agency pages, then the report pages, in path order."""
    out = [PageTask("agency", a) for a in sorted(corpus.agencies)]
    out += [
        PageTask("report", r.id)
        for r in sorted(corpus.reports.values(), key=lambda r: (r.agency, r.year))
        if r.agency in corpus.agencies
    ]
    return out


def render_task(task: PageTask, corpus: Corpus, root: Path, site: Site) -> list[Page]:
    """The pages of one task: a report's page, or an agency's page and its per-agency pages."""
    if task.kind == "report":
        return [report_page(corpus, corpus.reports[task.key], root, site)]
    out = [agency_page(corpus, corpus.agencies[task.key], site)]
    for source in optional_sources(OPTIONAL_AGENCY_SOURCES):
        out += source(corpus, task.key)
    return out


def _indexed_as_shown(page: Page) -> Page:
    """Index a page by the text it shows, so a search finds exactly the pages showing a term.

    Page sources may put keywords in ``SearchRecord.text``; a keyword the page
    does not show would make a hit the reader cannot find on the page.
    """
    if page.search is None:
        return page
    body = page.body if page.markup == "html" else render_markdown(page.body)
    text = html_text(body)
    if text == page.search.text:  # agency and report pages index their body already
        return page
    return replace(page, search=replace(page.search, text=text))


@dataclass
class PagePlan:
    """Every page of the site: the pages made up front, and the many made one by one."""

    pages: list[Page]  # summary pages and the optional sources' pages, indexed as shown
    tasks: list[PageTask]  # agency and report pages, rendered by ``render_task``
    taken: set[str]  # paths of ``pages``
    corpus: Corpus
    root: Path
    site: Site

    def render(self, task: PageTask) -> list[Page]:
        """The pages of one task, indexed as shown; pages made up front win over them."""
        pages = render_task(task, self.corpus, self.root, self.site)
        return [_indexed_as_shown(p) for p in pages if p.path not in self.taken]


def plan_pages(corpus: Corpus, root: Path | None = None, cache: PageCache = NO_CACHE) -> PagePlan:
    """The plan of every page; a page of an optional source replaces one of ours at its path.

    Summary pages whose inputs are unchanged come from ``cache`` (see ``pagecache``).
    """
    root = root or REPO_ROOT
    extra = static.pages(root)
    for source in optional_sources():
        extra += list(source(corpus))
    own_urls = {"", "regions/", "years/", "quality/"}
    per_agency = {
        page_url(path)
        for paths in optional_sources(OPTIONAL_AGENCY_PATHS)
        for agency_id in corpus.agencies
        for path in paths(agency_id)
    }
    site = Site(known_urls={page_url(p.path) for p in extra} | own_urls | per_agency)
    pages: dict[str, Page] = {p.path: p for p in summary_pages(corpus, site, cache)}
    pages.update((p.path, p) for p in extra)
    up_front = sorted((_indexed_as_shown(p) for p in pages.values()), key=lambda p: p.path)
    return PagePlan(up_front, tasks(corpus), set(pages), corpus, root, site)


@dataclass(frozen=True)
class TaskStart:
    """In a page stream, before a task's pages."""

    task: PageTask


@dataclass(frozen=True)
class TaskDone:
    """In a page stream, after a task's pages: the task and its key (None: no key)."""

    task: PageTask
    key: bytes | None


@dataclass(frozen=True)
class TaskReused:
    """In a page stream, in place of a task's pages: they are those of the previous build."""

    task: PageTask


def iter_changed(
    plan: PagePlan, jobs: int, keys: dict, reuse: Callable[[PageTask, bytes], bool]
) -> Iterator[Page | TaskStart | TaskDone | TaskReused]:
    """The up-front pages, then each task in order: ``TaskReused`` when ``reuse(task,
    key)``, else ``TaskStart``, its pages (rendered in ``jobs`` processes) and ``TaskDone``."""
    yield from plan.pages
    reused = {t for t in plan.tasks if t in keys and reuse(t, keys[t])}
    rendered = parallel.render_tasks(plan, [t for t in plan.tasks if t not in reused], jobs)
    for task in plan.tasks:
        if task in reused:
            yield TaskReused(task)
            continue
        done, pages = next(rendered)
        assert done == task
        yield TaskStart(task)
        yield from pages
        yield TaskDone(task, keys.get(task))


def iter_pages(plan: PagePlan, jobs: int = 1, **options: int) -> Iterator[Page]:
    """The plan's up-front pages, then its tasks' pages in order, rendered in ``jobs`` processes."""
    yield from plan.pages
    yield from parallel.render_all(plan, jobs, **options)


def collect_pages(corpus: Corpus, root: Path | None = None) -> list[Page]:
    """Every page of the site, sorted by path."""
    return sorted(iter_pages(plan_pages(corpus, root)), key=lambda p: p.path)
