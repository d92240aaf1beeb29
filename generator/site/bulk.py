"""Which pages mkdocs builds, which are filled into shells, and the filling itself.

``plan_bulk`` sorts the pages: those in the navigation, in Markdown or
otherwise unusual go to mkdocs; the rest ("bulk" pages, read from the spool,
``spool.py``) are grouped by shape (``shells.py``) and mkdocs renders one
shell per shape. After mkdocs, ``write_bulk`` takes the shells out of the
site, fills every bulk page into its shell and streams it to disk (each writer
process reading its own part of the spool), then rewrites the sitemap for all
pages.
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
    Template,
    compile_shell,
    link_prefixes,
    remove_shell,
    render_page,
    shape_of,
    theme_dirs,
)
from .sitemap import rewrite_sitemap
from .spool import Spool

VIA_MKDOCS = -1  # shell id of a spooled page that mkdocs builds after all


@dataclass
class BulkPlan:
    """The pages mkdocs builds, the shells it renders too, and the bulk pages by shell."""

    mkdocs_pages: list[Page]
    shells: list[Shell] = field(default_factory=list)
    shell_of: list[int] = field(default_factory=list)  # per spooled page: shell id or VIA_MKDOCS

    def write_shells(self, docs_dir: Path) -> int:
        """Each shell's docs file; returns how many."""
        for shell in self.shells:
            target = docs_dir / shell.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(shell.source(), encoding="utf-8", newline="\n")
        return len(self.shells)


def plan_bulk(kept: list[Page], spool: Spool, cfg: dict, docs_dir: Path) -> BulkPlan:
    """Split the pages between mkdocs and the shells (``docs_dir`` holds the static files).

    ``kept`` (in the navigation, or not finished HTML) go to mkdocs; each
    spooled page gets the shell of its shape, or goes to mkdocs when it has none.
    """
    if not cfg.get("use_directory_urls", True):
        return BulkPlan([*kept, *spool])
    nav_urls = [page_url(p.path) for p in kept if p.nav]
    prefixes = link_prefixes(nav_urls, docs_dir, theme_dirs(cfg))
    plan = BulkPlan(list(kept))
    shapes: dict[Shape, int] = {}
    for page in spool:
        shape = shape_of(page, prefixes)
        if shape is None:
            plan.mkdocs_pages.append(page)
            plan.shell_of.append(VIA_MKDOCS)
            continue
        sid = shapes.get(shape)
        if sid is None:
            sid = shapes[shape] = len(plan.shells)
            plan.shells.append(Shell(sid, shape, page))
        plan.shell_of.append(sid)
    return plan


def writer_processes() -> int:
    """Processes that fill and write bulk pages: two on a machine with two CPUs or more."""
    many = (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()
    return 2 if many else 1


PARALLEL_MIN = 2000  # bulk pages from which two processes write them
_JOB: tuple = ()  # (templates, shell_of, spool, site_dir) for the forked writers


def take_shells(plan: BulkPlan, site_dir: Path) -> list[Template]:
    """The shells mkdocs rendered into ``site_dir``, compiled, and taken out of it."""
    return [compile_shell(remove_shell(site_dir, s), s) for s in plan.shells]


def write_bulk(
    plan: BulkPlan,
    spool: Spool,
    paths: list[str],
    site_dir: Path,
    site_url: str,
    templates: list[Template] | None = None,
) -> int:
    """Fill every bulk page into its shell under ``site_dir``; returns how many were written.

    The shells are taken out of ``site_dir`` unless their ``templates`` are given.
    Each part of the spool is written by its own process (forked, so the
    templates are not copied) when there are many pages, else all in this one.
    """
    global _JOB
    if templates is None:
        templates = take_shells(plan, site_dir)
    _JOB = (templates, plan.shell_of, spool, site_dir)
    try:
        if spool.parts == 1 or len(spool) < PARALLEL_MIN:
            count = sum(_write_part(i) for i in range(spool.parts))
        else:
            with mp.get_context("fork").Pool(spool.parts) as pool:
                count = sum(pool.map(_write_part, range(spool.parts)))
    finally:
        _JOB = ()
    rewrite_sitemap(site_dir, paths, site_url, {s.url for s in plan.shells})
    return count


def _write_part(index: int) -> int:
    """Write the bulk pages of part ``index`` of the spool (in a worker or in this process)."""
    templates, shell_of, spool, site_dir = _JOB
    writer = PageWriter(site_dir)
    for position, page in spool.part(index):
        sid = shell_of[position]
        if sid != VIA_MKDOCS:
            writer.write(page_url(page.path), render_page(templates[sid], page))
    return writer.count
