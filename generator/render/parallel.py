"""Render the planned pages (agencies, reports) in worker processes, in order.

Workers are forked after the corpus is loaded, so they share it with the
parent instead of receiving it pickled; each renders a run of consecutive
tasks and sends the finished pages back. Pages come out in task order, as
they would one by one, so the output does not depend on ``jobs``. Without
``fork`` (not Linux) or for a small plan, pages are rendered in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..gcutil import frozen

if TYPE_CHECKING:
    from ..pages import Page
    from . import PagePlan, PageTask

CHUNK = 16  # tasks per message: large enough to amortise pickling, small enough to balance
MIN_PARALLEL = 200  # below this many tasks, starting workers costs more than it saves

# The plan being rendered and the tasks to render, inherited by forked workers.
_JOB: tuple[PagePlan, list[PageTask]] | None = None


def _render_chunk(bounds: tuple[int, int]) -> list[list[Page]]:
    assert _JOB is not None
    plan, tasks = _JOB
    return [plan.render(task) for task in tasks[bounds[0] : bounds[1]]]


def render_tasks(
    plan: PagePlan,
    tasks: list[PageTask] | None = None,
    jobs: int = 1,
    min_parallel: int = MIN_PARALLEL,
) -> Iterator[tuple[PageTask, list[Page]]]:
    """(task, its pages) for each of ``tasks`` (default: the plan's), in order,
    rendered in up to ``jobs`` processes."""
    global _JOB
    tasks = plan.tasks if tasks is None else tasks
    n = len(tasks)
    if jobs <= 1 or n < min_parallel or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield task, plan.render(task)
        return
    chunks = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    _JOB = (plan, tasks)
    try:
        # the corpus stays in pages shared with the workers (no copy on write by the GC)
        with frozen(), multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = 0
            for groups in pool.imap(_render_chunk, chunks):
                for pages in groups:
                    yield tasks[done], pages
                    done += 1
    finally:
        _JOB = None


def render_all(plan: PagePlan, jobs: int = 1, min_parallel: int = MIN_PARALLEL) -> Iterator[Page]:
    """Every task's page, in task order, rendered in up to ``jobs`` processes."""
    for _task, pages in render_tasks(plan, None, jobs, min_parallel):
        yield from pages
