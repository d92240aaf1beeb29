"""Which pages mkdocs builds, which are filled into shells, and the filling itself.

``plan_bulk`` sorts the pages: those in the navigation, in Markdown or
otherwise unusual go to mkdocs; the rest ("bulk" pages) are grouped by shape
(``shells.py``) and mkdocs renders one shell per shape. After mkdocs,
``write_bulk`` takes the shells out of the site, fills every bulk page into
its shell and streams it to disk, then rewrites the sitemap for all pages.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..pages import Page
from ..render.urls import page_url
from .shells import (
    PageWriter,
    Shape,
    Shell,
    compile_shell,
    link_prefixes,
    remove_shell,
    render_page,
    shape_of,
    theme_dirs,
)
from .sitemap import rewrite_sitemap


@dataclass
class BulkPlan:
    """The pages mkdocs builds, the shells it renders too, and the bulk pages by shell."""

    mkdocs_pages: list[Page]
    shells: list[Shell] = field(default_factory=list)
    bulk: list[tuple[Page, int]] = field(default_factory=list)  # (page, shell id)

    def write_shells(self, docs_dir: Path) -> int:
        """Each shell's docs file; returns how many."""
        for shell in self.shells:
            target = docs_dir / shell.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(shell.source(), encoding="utf-8", newline="\n")
        return len(self.shells)


def plan_bulk(pages: list[Page], cfg: dict, docs_dir: Path) -> BulkPlan:
    """Split ``pages`` between mkdocs and the shells (``docs_dir`` holds the static files)."""
    if not cfg.get("use_directory_urls", True):
        return BulkPlan(list(pages))
    nav_urls = [page_url(p.path) for p in pages if p.nav]
    prefixes = link_prefixes(nav_urls, docs_dir, theme_dirs(cfg))
    plan = BulkPlan([])
    shapes: dict[Shape, int] = {}
    for page in pages:
        shape = shape_of(page, prefixes)
        if shape is None:
            plan.mkdocs_pages.append(page)
            continue
        sid = shapes.get(shape)
        if sid is None:
            sid = shapes[shape] = len(plan.shells)
            plan.shells.append(Shell(sid, shape, page))
        plan.bulk.append((page, sid))
    return plan


PARALLEL_MIN = 2000  # bulk pages from which two processes write them
_JOB: tuple = ()  # (templates, bulk, site_dir) for the forked writers


def write_bulk(
    plan: BulkPlan, pages: list[Page], site_dir: Path, site_url: str, workers: int = 0
) -> int:
    """Fill every bulk page into its shell under ``site_dir``; returns how many were written.

    ``workers`` 0 picks two processes when there are many pages and two CPUs
    (the processes are forked, so the pages are not copied to them).
    """
    global _JOB
    templates = [compile_shell(remove_shell(site_dir, s), s) for s in plan.shells]
    if workers == 0:
        many = len(plan.bulk) >= PARALLEL_MIN and (os.cpu_count() or 1) > 1
        workers = 2 if many and "fork" in mp.get_all_start_methods() else 1
    _JOB = (templates, plan.bulk, site_dir)
    try:
        if workers == 1:
            count = _write_share(0, 1)
        else:
            with mp.get_context("fork").Pool(workers) as pool:
                count = sum(pool.starmap(_write_share, [(i, workers) for i in range(workers)]))
    finally:
        _JOB = ()
    rewrite_sitemap(site_dir, [p.path for p in pages], site_url, {s.url for s in plan.shells})
    return count


def _write_share(index: int, step: int) -> int:
    """Write every ``step``-th bulk page from ``index`` (in a worker or in this process)."""
    templates, bulk, site_dir = _JOB
    writer = PageWriter(site_dir)
    for page, sid in bulk[index::step]:
        writer.write(page_url(page.path), render_page(templates[sid], page))
    return writer.count
