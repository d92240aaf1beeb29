"""A cached build: the site updated in place when only some pages changed.

``build_cached`` is what ``gongkai build`` runs (unless ``--no-cache``). It
keys every agency and report page task (``render.keys``) and looks for the
state of the last build (``state.py``). When that state describes the output
directory exactly and was made by the same code, theme and site-wide inputs
(the base key), the site is **updated in place** (``update_site``):

1. only the tasks whose key changed are rendered; the search records of the
   others are copied from the last build's records file;
2. the changed pages are filled into the last build's shells (``shells.py``);
3. mkdocs runs only if what it builds from changed (the navigation pages,
   the configuration, the static files), into a scratch directory, and only
   the files whose bytes changed are moved into the site;
4. the downloads and the search index update themselves in place (their own
   caches), the offline zip is rewritten only if what it packs changed.

Anything the update cannot do exactly as a full build would — pages added or
removed, a page of a new shape, mkdocs rendering the shells differently, a
hand-edited site, another code version — makes it a full build (``build_site``,
into a new directory swapped in), which records a new state. Every such check
happens before the site is touched; the state is removed before the first
change and written after the last, so a build that fails half-way leaves a
state-less site, and the next build is a full one. The result is byte for
byte that of a full build (tested).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..fsutil import same_bytes, write_if_changed
from ..model import Corpus
from ..package.meta import current_release
from ..render import PagePlan, PageTask, iter_changed
from ..render.keys import base_key, code_digest, task_keys
from ..render.urls import page_url
from ..search.store import RecordStore
from ..statdigest import StatDigests
from .build import (
    SEARCH_CACHE,
    Progress,
    SiteStats,
    after_build,
    build_site,
    collect,
    content_date,
    optional,
    release_memory,
    run_mkdocs,
    source_date,
    start_search,
    write_site_downloads,
)
from .bulk import BulkPlan, take_shells
from .config import base_root, load_base, site_config, write_config
from .docs import write_docs
from .record import Recorder, ShellSet, docs_key, keep_records, offline_key, records_dir
from .shells import render_page, shape_of
from .sitemap import rewrite_sitemap
from .spool import Spool
from .state import SiteState, forget_state, load_state, matches, save_state, site_files

OFFLINE_ZIP = "downloads/gongkai-site.zip"


class Fallback(Exception):
    """The site cannot be updated in place exactly; a full build is needed (the reason)."""


def site_base_key(plan: PagePlan, corpus: Corpus, root: Path) -> bytes:
    """What every page depends on: code, theme, configuration, the site's URLs, the
    release and the content's date (see ``render.keys``)."""
    theme_dir = (load_base(root).get("theme") or {}).get("custom_dir")
    extra = [base_root(root) / theme_dir] if theme_dir else []
    code = code_digest(extra) + (base_root(root) / "mkdocs.yml").read_bytes()
    release = f"{current_release()!r} {content_date(corpus).isoformat()}"
    return base_key(code, root, plan.site.known_urls, plan.taken, release)


def build_cached(
    prepared,  # type: ignore[no-untyped-def]
    root: Path,
    out: Path,
    strict: bool = False,
    progress: Progress = lambda _m: None,
    jobs: int = 1,
) -> SiteStats:
    """Update ``out`` in place when the last build's state allows, else build it whole.

    ``prepared`` (``commands.build.Prepared``) holds the corpus and the page plan;
    they are read from it, never held here, so that ``prepared.release()`` frees
    them before the search index is made.
    """
    out = Path(out).resolve()
    t = time.perf_counter()
    base = site_base_key(prepared.plan, prepared.corpus, root)
    state = load_state(root)
    raw = StatDigests(root, state.raw_digests if state is not None else None)
    keys = task_keys(prepared.corpus, prepared.plan.tasks, root, base, raw)
    progress(f"  keys: {len(keys)} page tasks in {time.perf_counter() - t:.1f} s")
    reason = _unusable(state, base, out)
    if reason is None:
        try:
            return update_site(
                prepared.plan, prepared.corpus, root, out, strict, progress, jobs, keys,
                state, prepared.release, raw.remembered,
            )  # fmt: skip
        except Fallback as exc:
            reason = str(exc)
    del state
    progress(f"  full build: {reason}")
    return build_site(
        iter_changed(prepared.plan, jobs, keys, lambda _task, _key: False),
        prepared.corpus, root, out, strict, progress, cache=True, release=prepared.release,
        recorder=Recorder(keys, raw_digests=raw.remembered), base=base,
    )  # fmt: skip


def _unusable(state: SiteState | None, base: bytes, out: Path) -> str | None:
    """Why the last build's state cannot be used for an update in place (None: it can)."""
    if state is None:
        return "no state of an earlier build"
    if state.base != base:
        return "the code, theme, configuration or site-wide inputs changed"
    if not matches(state, out):
        return f"{out} is not as the last build left it"
    if state.plan is None:
        return "the last build filled no pages into shells"
    return None


def update_site(
    plan: PagePlan,
    corpus: Corpus,
    root: Path,
    out: Path,
    strict: bool,
    progress: Progress,
    jobs: int,
    keys: dict,
    state: SiteState,
    release: Callable[[], None],
    raw_digests: dict,
) -> SiteStats:
    """Update ``out`` in place (see the module docstring); raises Fallback before
    touching it when that cannot be done exactly."""
    stats = SiteStats()
    shellset: ShellSet = state.plan  # type: ignore[assignment]
    recorder = Recorder(
        keys,
        previous=state,
        shellset=shellset,
        downloads=state.downloads,
        raw_digests=raw_digests,
    )

    def reuse(task: PageTask, key: bytes) -> bool:
        old = state.tasks.get(task)
        return old is not None and old.bulk and old.key == key

    store_dir = records_dir(root)
    store_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"{out.name}.update-", dir=out.parent) as scratch:
        work = Path(scratch)
        t = time.perf_counter()
        try:
            collected = collect(
                iter_changed(plan, jobs, keys, reuse), Spool(work / "spool", 1),
                RecordStore(store_dir), recorder,
            )  # fmt: skip
        finally:
            recorder.close()
        stats.pages = len(collected.paths)
        if frozenset(collected.paths) != state.paths:
            raise Fallback("pages were added or removed")
        pending = start_search(collected.records, root)  # its changed shards, on another core
        try:
            stats.timings["render"] = time.perf_counter() - t
            progress(
                f"  render: {len(collected.spool)} pages made again, {recorder.reused} agency "
                f"and report page tasks unchanged in {stats.timings['render']:.1f} s"
            )
            t = time.perf_counter()
            mkdocs_pages, filled = _fill(collected, shellset)
            recorder.not_bulk({p.path for p in mkdocs_pages})
            mk_files = _mkdocs(collected, mkdocs_pages, corpus, root, work, strict, state, recorder)
            stats.timings["docs"] = time.perf_counter() - t
            forget_state(root)
            moved = sum(_replace_if_changed(out / rel, path) for rel, path in mk_files.items())
            written = sum(write_if_changed(out / url / "index.html", d) for url, d in filled)
            stats.timings["pages"] = time.perf_counter() - t
            progress(
                f"  pages: {written} of {len(filled)} filled pages and {moved} of "
                f"{len(mk_files)} mkdocs files changed in {stats.timings['pages']:.1f} s"
            )
            t = time.perf_counter()
            write_site_downloads(corpus, out, root)
            stats.timings["downloads"] = time.perf_counter() - t
            progress(f"  downloads: {stats.timings['downloads']:.1f} s")
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise
    del corpus, plan
    release()
    if pending is None:  # else the changed shards are being indexed: no workers to come
        release_memory()
    # The offline zip packs no search file (the search assets are as the last build
    # wrote them: same code), so it is made while the changed shards are indexed.
    _offline(out, state, recorder, stats, progress)
    after_build(out, collected.records, stats.timings, progress, root / SEARCH_CACHE, pending, [])
    files = site_files(out)
    stats.files, stats.bytes = len(files), sum(size for size, _ in files.values())
    keep_records(root, collected.records)
    save_state(root, recorder.state(out, state.base, files, collected.paths))
    return stats


def _fill(collected, shellset: ShellSet) -> tuple[list, list[tuple[str, bytes]]]:  # type: ignore[no-untyped-def]
    """The kept pages plus spooled pages of no shape (for mkdocs), and every other
    spooled page filled into the last build's shell of its shape."""
    mkdocs_pages = list(collected.kept)
    filled = []
    for page in collected.spool:
        shape = shape_of(page, shellset.prefixes)
        if shape is None:
            mkdocs_pages.append(page)
            continue
        sid = shellset.sid(shape)
        if sid is None:
            raise Fallback(f"{page.path} has a shape no page had in the last build")
        filled.append((page_url(page.path), render_page(shellset.templates[sid], page)))
    return mkdocs_pages, filled


def _same_templates(a: list, b: list) -> bool:
    def form(t):  # type: ignore[no-untyped-def]
        return (t.parts, t.item.parts if t.item else None, t.sep)

    return len(a) == len(b) and all(form(x) == form(y) for x, y in zip(a, b, strict=True))


def _mkdocs(
    collected,  # type: ignore[no-untyped-def]
    mkdocs_pages: list,
    corpus: Corpus,
    root: Path,
    work: Path,
    strict: bool,
    state: SiteState,
    recorder: Recorder,
) -> dict[str, Path]:
    """Run mkdocs into ``work/site`` if what it builds from changed; the files it
    wrote (shells and download stand-ins left out), by path in the site."""
    docs_dir, mk_dir = work / "docs", work / "site"
    write_assets = optional("generator.requester", "write_assets")
    if write_assets:
        write_assets(docs_dir)
    cfg = site_config(root, docs_dir, mk_dir, collected.kept, strict)
    bulk = BulkPlan(mkdocs_pages, shells=list(recorder.shellset.shells))  # type: ignore[union-attr]
    write_docs(bulk.mkdocs_pages, docs_dir)
    bulk.write_shells(docs_dir)
    recorder.mkdocs_key = docs_key(docs_dir, cfg, state.downloads)
    if recorder.mkdocs_key == state.mkdocs_key:
        return {}
    for rel in state.downloads:  # empty stand-ins: mkdocs checks the links to them
        stub = docs_dir / rel
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.touch()
    with source_date(content_date(corpus)):
        run_mkdocs(write_config(cfg, work / "mkdocs.yml"))
    if not _same_templates(take_shells(bulk, mk_dir), recorder.shellset.templates):  # type: ignore[union-attr]
        raise Fallback("mkdocs renders the shells differently now (navigation or theme)")
    shell_urls = {s.url for s in bulk.shells}
    rewrite_sitemap(mk_dir, collected.paths, cfg.get("site_url") or "", shell_urls)
    stubs = set(state.downloads)
    out: dict[str, Path] = {}
    for rel in site_files(mk_dir):
        if rel in stubs:
            continue
        if rel not in state.files:
            raise Fallback(f"mkdocs wrote {rel}, which the last build did not have")
        out[rel] = mk_dir / rel
    return out


def _replace_if_changed(target: Path, source: Path) -> bool:
    """Move ``source`` over ``target`` unless they hold the same bytes."""
    if same_bytes(target, source.read_bytes()):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return True


def _offline(
    out: Path, state: SiteState, recorder: Recorder, stats: SiteStats, progress: Progress
) -> None:
    write_offline_zip = optional("generator.requester", "write_offline_zip")
    if write_offline_zip is None:
        return
    t = time.perf_counter()
    recorder.offline_key = offline_key(out)
    if recorder.offline_key != state.offline_key or not (out / OFFLINE_ZIP).is_file():
        write_offline_zip(out)
    stats.timings["offline zip"] = time.perf_counter() - t
    progress(f"  offline zip: {stats.timings['offline zip']:.1f} s")
