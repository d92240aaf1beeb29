"""Render the planned pages (agencies, reports) in worker processes, in order.

Workers are forked after the corpus is loaded, so they share it with the
parent instead of receiving it pickled; each renders a run of consecutive
tasks and sends the finished pages back. Pages come out in task order, as
they would one by one, so the output does not depend on ``jobs``. Without
``fork`` (not Linux) or for a small plan, pages are rendered in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pages import Page
    from . import PagePlan

CHUNK = 16  # tasks per message: large enough to amortise pickling, small enough to balance
MIN_PARALLEL = 200  # below this many tasks, starting workers costs more than it saves

_PLAN: PagePlan | None = None  # the plan being rendered, inherited by forked workers


def _render_chunk(bounds: tuple[int, int]) -> list[Page]:
    assert _PLAN is not None
    return [page for task in _PLAN.tasks[bounds[0] : bounds[1]] for page in _PLAN.render(task)]


def render_all(plan: PagePlan, jobs: int = 1, min_parallel: int = MIN_PARALLEL) -> Iterator[Page]:
    """Every task's page, in task order, rendered in up to ``jobs`` processes."""
    global _PLAN
    n = len(plan.tasks)
    if jobs <= 1 or n < min_parallel or "fork" not in multiprocessing.get_all_start_methods():
        for task in plan.tasks:
            yield from plan.render(task)
        return
    chunks = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    _PLAN = plan
    gc.freeze()  # the corpus stays in pages shared with the workers (no copy on write by the GC)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for pages in pool.imap(_render_chunk, chunks):
                yield from pages
    finally:
        _PLAN = None
        gc.unfreeze()
