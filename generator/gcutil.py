"""Garbage collection around the build's large, cycle-free heap.

Records, the corpus and its pages hold no reference cycles: reference
counting frees them, and every cyclic collection that walks them finds
nothing. Yet the allocations of a build set off full collections that walk the
whole heap (0.08 s each at 3,200 reports, two in a one-report rebuild, more
and longer as the corpus grows), and a collection in a forked worker writes to
every object it walks, copying the parent's pages. ``frozen()`` moves every
object alive now into the interpreter's permanent generation
(``gc.freeze``), out of every collection, for the length of the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0  # frozen() blocks open; only the outermost one unfreezes


@contextmanager
def frozen() -> Iterator[None]:
    """Leave the objects alive now out of garbage collection until the block ends.

    Blocks nest: ``gc.unfreeze`` releases every frozen object at once, so only
    the outermost block calls it (an inner block's objects stay frozen until
    then; garbage in a cycle among them waits for that).
    """
    global _depth
    gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()
