"""Stage 5, site: pages -> a static site in ``site/``, through mkdocs-material.

Steps: write the data-package downloads (``generator.package.site``, when
present) and the pages mkdocs builds (front matter + body) into a temporary
docs dir, make the mkdocs configuration from the committed ``mkdocs.yml``, run
mkdocs into a temporary ``site.tmp-XXXX`` next to the target, fill the bulk
pages (not in the navigation, finished HTML) into the theme shells mkdocs
rendered for them (``bulk.py``, ``shells.py``), then index it for search
(``generator.search``; the pages' search records are spooled to disk as the
pages are collected, so they are never all in memory) and write the offline
zip (``generator.requester``) when those modules exist, and finally swap the
new site in. A failed build removes its temporary directory and leaves the
previous ``site/`` untouched.

This module and ``hooks.py`` are the only places that know about mkdocs.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import importlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import swap_in, tree_size
from ..model import Corpus
from ..pages import Page, SearchRecord
from ..render import TaskDone, TaskReused, TaskStart
from ..render.urls import page_url
from ..search.store import RecordStore
from .bulk import VIA_MKDOCS, BulkPlan, plan_bulk, take_shells, write_bulk, writer_processes
from .config import site_config, write_config
from .docs import write_docs
from .record import (
    Recorder,
    ShellSet,
    docs_key,
    keep_records,
    offline_key,
    records_dir,
)
from .shells import ShellError, link_prefixes, theme_dirs
from .sitemap import SitemapError
from .spool import Spool
from .state import forget_state, save_state, site_files

FALLBACK_DATE = dt.date(2024, 1, 1)
Progress = Callable[[str], None]


class SiteBuildError(Exception):
    """mkdocs or a later step failed; the previous site is left in place."""


@dataclass
class SiteStats:
    """What a build wrote and how long each step took (seconds)."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def optional(module: str, name: str) -> Callable | None:
    """``module.name`` if that module is present, else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def content_date(corpus: Corpus) -> dt.date:
    """The newest date in the content (retrieval, publication, correction): the build date."""
    dates = [
        d
        for r in corpus.reports.values()
        for d in (r.source.retrieved, r.published, *(c.date for c in r.corrections))
        if d is not None
    ]
    return max(dates, default=FALLBACK_DATE)


@contextlib.contextmanager
def source_date(day: dt.date) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for mkdocs (sitemap dates, gzip stamps): the same content, the same bytes."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _mkdocs_logging() -> None:
    log = logging.getLogger("mkdocs")
    if not any(getattr(h, "_gongkai", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler._gongkai = True  # type: ignore[attr-defined]
        log.addHandler(handler)


def run_mkdocs(config_file: Path) -> None:
    """mkdocs build with the generated configuration."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _mkdocs_logging()
    try:
        cfg = load_config(str(config_file))
        build(cfg)
    except (MkDocsException, SystemExit) as exc:
        raise SiteBuildError(f"mkdocs: {exc}") from exc


def prepare_docs(pages: list[Page], corpus: Corpus, docs_dir: Path) -> int:
    """Pages, and the files of other features if present, into ``docs_dir``.

    The downloads go into the docs dir (not the built site) so that mkdocs
    checks the downloads page's links to them and copies them along.
    """
    written = write_docs(pages, docs_dir)
    write_extras(corpus, docs_dir)
    return written


def write_extras(corpus: Corpus, docs_dir: Path, root: Path | None = None) -> None:
    """The static files of other features (requester assets, downloads) into ``docs_dir``.

    With ``root``, downloads of reports unchanged since an earlier build come
    from its cache (``<root>/.cache/gongkai/package``).
    """
    write_assets = optional("generator.requester", "write_assets")
    if write_assets:
        write_assets(docs_dir)
    write_downloads = optional("generator.package.site", "write_downloads")
    if write_downloads:
        write_downloads(corpus, docs_dir / "downloads", root=root)


def write_stand_ins(corpus: Corpus, docs_dir: Path) -> tuple[str, ...]:
    """The requester's assets, and an empty stand-in for every download, into ``docs_dir``;
    returns the stand-ins' paths (from the docs dir).

    mkdocs checks the links to the downloads against the stand-ins (and copies
    them into the site, where ``remove_stand_ins`` takes them out again); the
    downloads themselves go straight into the site (``write_site_downloads``),
    where a rebuild updates them in place.
    """
    write_assets = optional("generator.requester", "write_assets")
    if write_assets:
        write_assets(docs_dir)
    names = optional("generator.package.site", "download_names")
    if names is None:
        return ()
    stand_ins = tuple(f"downloads/{name}" for name in names(corpus))
    for rel in stand_ins:
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    return stand_ins


def remove_stand_ins(site_dir: Path, stand_ins: Iterable[str]) -> None:
    """The empty stand-ins mkdocs copied into ``site_dir``."""
    for rel in stand_ins:
        path = site_dir / rel
        if path.is_file() and path.stat().st_size == 0:
            path.unlink()


def write_site_downloads(
    corpus: Corpus, site_dir: Path, root: Path | None, out: Path | None = None
) -> None:
    """The downloads into ``site_dir/downloads``; with ``root``, from the caches of earlier
    builds (``package.downloads``), the state kept for ``out/downloads`` (the site
    directory ``site_dir`` becomes)."""
    write_downloads = optional("generator.package.site", "write_downloads")
    if write_downloads:
        state_as = out / "downloads" if out is not None and root is not None else None
        write_downloads(corpus, site_dir / "downloads", root=root, state_as=state_as)


SEARCH_CACHE = Path(".cache") / "gongkai" / "search"  # under the root: unchanged shards reused


def start_search(records: RecordStore, root: Path):  # type: ignore[no-untyped-def]
    """Index the few shards missing from the search cache in the background (after a
    small edit; ``search.start_indexing``); what to pass ``after_build`` as ``pending``."""
    start = optional("generator.search", "start_indexing")
    return start(records, root / SEARCH_CACHE) if start else None


OFFLINE_STEP = ("offline zip", "generator.requester", "write_offline_zip")


def after_build(
    site_dir: Path,
    records: Iterable[SearchRecord] | RecordStore,
    timings: dict,
    progress: Progress,
    cache_dir: Path | None = None,
    pending: object = None,
    then: list[tuple[str, str, str]] | None = None,
) -> None:
    """Search index (shards unchanged since the last build come from ``cache_dir``;
    ``pending``: their indexing started by ``start_search``), then the steps of
    ``then`` (default: the offline zip)."""

    def search(f):  # type: ignore[no-untyped-def]
        if pending is not None:
            return f(site_dir, records, cache_dir=cache_dir, pending=pending)
        return f(site_dir, records, cache_dir=cache_dir)

    steps = [("search", "generator.search", "index_site", search)]
    steps += [(*step, lambda f: f(site_dir)) for step in (then if then is not None else [OFFLINE_STEP])]
    for label, module, name, call in steps:
        fn = optional(module, name)
        if fn is None:
            progress(f"  {label}: skipped ({module} not present)")
            continue
        t = time.perf_counter()
        call(fn)
        timings[label] = time.perf_counter() - t
        progress(f"  {label}: {timings[label]:.1f} s")


@dataclass
class Collected:
    """Every page of a build: the few mkdocs needs in memory, the others spooled to disk."""

    kept: list[Page]  # in the navigation, or not finished HTML: mkdocs builds them
    spool: Spool  # the others, in order; each is filled into a shell (or goes to mkdocs)
    paths: list[str]  # of every page, in order
    records: RecordStore  # the search record of every page that has one, in order, on disk
    spooled: list[str] = field(default_factory=list)  # paths of the spooled pages, in order

    def all_pages(self) -> list[Page]:
        """Every page in memory (the all-mkdocs path only)."""
        return [*self.kept, *self.spool]


def collect(
    pages: Iterable[Page | TaskStart | TaskDone | TaskReused],
    spool: Spool,
    records: RecordStore,
    recorder: Recorder | None = None,
) -> Collected:
    """Read ``pages`` once, keeping what mkdocs needs and spooling the rest (and
    every search record, into ``records``). Task markers in the stream go to
    ``recorder`` (a reused task's pages are not in the stream: their paths and
    records come from the previous build)."""
    collected = Collected([], spool, [], records)
    for page in pages:
        if isinstance(page, TaskStart | TaskDone | TaskReused):
            if recorder is not None:
                recorder.task(page, collected.paths, records)
            continue
        kept = page.nav is not None or page.markup != "html"
        if recorder is not None:
            recorder.page(page, kept)
        collected.paths.append(page.path)
        if page.search:
            records.add(page.search)
        if kept:
            collected.kept.append(page)
        else:
            spool.add(page)
            collected.spooled.append(page.path)
    spool.close()
    records.close()
    return collected


def release_memory() -> None:
    """Collect garbage and give the C heap's free memory back to the system (glibc),
    so that the search workers forked next start small."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _stats(site_dir: Path, stats: SiteStats) -> None:
    stats.files, stats.bytes = tree_size(site_dir)


def build_site(
    pages: Iterable[Page],
    corpus: Corpus,
    root: Path,
    out: Path,
    strict: bool = False,
    progress: Progress = lambda _msg: None,
    shells: bool = True,
    cache: bool = False,
    release: Callable[[], None] = lambda: None,
    recorder: Recorder | None = None,
    base: bytes = b"",
) -> SiteStats:
    """Build the site for ``pages`` into ``out`` (atomically replaced).

    ``release`` is called once the pages and downloads are written: the
    caller drops its references to the corpus there, so that its memory is
    free for the search indexer (which needs only the search records).

    With ``shells`` (the default) mkdocs builds only the pages in the
    navigation (and any it must), plus one shell per shape of the others, which
    are then filled in; ``shells=False`` puts every page through mkdocs. Both
    give the same bytes. With ``cache``, the downloads and search shards of
    what did not change since the last build come from ``<root>/.cache/gongkai/``.
    With a ``recorder`` (``pages`` then carries task markers, see ``collect``)
    the build's state is saved for the next build to update the site in place
    (``update.py``); ``base`` is the build's base key.
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stats = SiteStats()
    tmp = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-", dir=out.parent))
    search_spool = tempfile.TemporaryDirectory(prefix=f"{out.name}.search-", dir=out.parent)
    pending = None
    try:
        with tempfile.TemporaryDirectory(prefix=f"{out.name}.pages-", dir=out.parent) as spooled:
            t = time.perf_counter()
            spool = Spool(Path(spooled), parts=writer_processes())
            store_dir = Path(search_spool.name)
            if recorder is not None:
                forget_state(root)
                store_dir = records_dir(root)
                store_dir.mkdir(parents=True, exist_ok=True)
            collected = collect(pages, spool, RecordStore(store_dir), recorder)
            pending = start_search(collected.records, root) if cache else None
            stats.pages = len(collected.paths)
            stats.timings["render"] = time.perf_counter() - t
            progress(
                f"  render: {stats.pages} pages ({len(collected.spool)} spooled) "
                f"in {stats.timings['render']:.1f} s"
            )
            try:
                _build_pages(
                    collected, corpus, root, tmp, strict, progress, stats, shells, cache,
                    recorder, out,
                )  # fmt: skip
            except (ShellError, SitemapError) as exc:
                progress(f"  pages: shells unusable ({exc}); building every page with mkdocs")
                shutil.rmtree(tmp)
                tmp.mkdir()
                _build_pages(
                    collected, corpus, root, tmp, strict, progress, stats, False, cache,
                    recorder, out,
                )  # fmt: skip
        del corpus, pages
        release()
        release_memory()
        search_cache = root / SEARCH_CACHE if cache else None
        after_build(tmp, collected.records, stats.timings, progress, search_cache, pending)
        pending = None
        tmp.chmod(0o755)
        if recorder is None:
            _stats(tmp, stats)
            swap_in(tmp, out)
        else:
            recorder.offline_key = offline_key(tmp)
            files = site_files(tmp)
            stats.files, stats.bytes = len(files), sum(size for size, _ in files.values())
            swap_in(tmp, out)
            keep_records(root, collected.records)
            save_state(root, recorder.state(out, base, files, collected.paths))
    except BaseException:
        if pending is not None:
            pending.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        search_spool.cleanup()
    return stats


def _build_pages(
    collected: Collected,
    corpus: Corpus,
    root: Path,
    site_dir: Path,
    strict: bool,
    progress: Progress,
    stats: SiteStats,
    shells: bool,
    cache: bool = False,
    recorder: Recorder | None = None,
    out: Path | None = None,
) -> None:
    """Every page of the site into ``site_dir`` (to become ``out``): mkdocs, the
    downloads, then the bulk pages."""
    with tempfile.TemporaryDirectory(prefix="gongkai-docs-") as work:
        docs_dir = Path(work) / "docs"
        t = time.perf_counter()
        stand_ins = write_stand_ins(corpus, docs_dir)
        cfg = site_config(root, docs_dir, site_dir, collected.kept, strict)
        if shells:
            plan = plan_bulk(collected.kept, collected.spool, cfg, docs_dir)
        else:
            plan = BulkPlan(collected.all_pages())
        n = write_docs(plan.mkdocs_pages, docs_dir) + plan.write_shells(docs_dir)
        if recorder is not None:
            recorder.downloads = stand_ins
            recorder.mkdocs_key = docs_key(docs_dir, cfg, recorder.downloads)
            nav_urls = [page_url(p.path) for p in collected.kept if p.nav]
            prefixes = link_prefixes(nav_urls, docs_dir, theme_dirs(cfg))
        stats.timings["docs"] = time.perf_counter() - t
        progress(f"  docs: {n} pages written in {stats.timings['docs']:.1f} s")
        t = time.perf_counter()
        with source_date(content_date(corpus)):
            run_mkdocs(write_config(cfg, Path(work) / "mkdocs.yml"))
        stats.timings["mkdocs"] = time.perf_counter() - t
        progress(f"  mkdocs: {stats.timings['mkdocs']:.1f} s")
    t = time.perf_counter()
    remove_stand_ins(site_dir, stand_ins)
    write_site_downloads(corpus, site_dir, root if cache else None, out)
    stats.timings["downloads"] = time.perf_counter() - t
    progress(f"  downloads: {stats.timings['downloads']:.1f} s")
    if recorder is not None:
        spooled = [
            path
            for path, sid in zip(collected.spooled, plan.shell_of, strict=True)
            if sid == VIA_MKDOCS
        ]
        recorder.not_bulk(set(spooled) if plan.shells else set(collected.paths))
    if plan.shells:
        t = time.perf_counter()
        templates = take_shells(plan, site_dir)
        if recorder is not None:
            recorder.shellset = ShellSet(plan.shells, templates, prefixes)
        n = write_bulk(
            plan, collected.spool, collected.paths, site_dir, cfg.get("site_url") or "", templates
        )
        stats.timings["pages"] = time.perf_counter() - t
        progress(f"  pages: {n} bulk pages in {stats.timings['pages']:.1f} s")
