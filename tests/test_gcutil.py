"""gcutil.frozen: objects out of garbage collection for a block; blocks nest."""

from __future__ import annotations

import gc

from generator.gcutil import frozen


def test_frozen_blocks_nest_and_only_the_outermost_unfreezes():
    assert gc.get_freeze_count() == 0
    kept = [[] for _ in range(1000)]
    with frozen():
        outer = gc.get_freeze_count()
        assert outer >= len(kept)
        with frozen():
            assert gc.get_freeze_count() >= outer
        assert gc.get_freeze_count() >= outer  # the inner block left the outer's frozen
    assert gc.get_freeze_count() == 0


def test_frozen_unfreezes_on_error():
    try:
        with frozen():
            raise ValueError("x")
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_made_in_the_block_is_collected_after_it():
    class Node:
        pass

    with frozen():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    assert gc.collect() >= 2
