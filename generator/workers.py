"""How many worker processes the stages that run in parallel (render, search) use."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """The CPUs this process may run on (at least one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
