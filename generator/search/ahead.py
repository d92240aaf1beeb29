"""Index the shards a rebuild is missing ahead, while the build goes on with its other stages.

A one-report edit changes one shard, which is indexed on one core (at 400
report pages about 1 s: the pages of its last index are reused but for the
edited one, the index written and gzipped again). :func:`start_indexing`
starts indexing the shards missing from the cache in a forked process as soon
as the search records are known; :func:`.index.index_site` (given the
:class:`Prefetch`) waits for it and then only syncs the site.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
from pathlib import Path

from ..gcutil import frozen
from ..workers import default_jobs
from . import cache
from .index import MAX_SHARD_PAGES, fill_cache, plan_shards, shard_keys
from .store import RecordStore

PREFETCH_SHARDS = 2  # at most this many shards are indexed ahead


class Prefetch:
    """Shards being indexed into the cache by a forked process (see :func:`start_indexing`)."""

    def __init__(self, process: multiprocessing.process.BaseProcess):
        self._process = process

    def wait(self) -> bool:
        """Wait until the process has ended; whether it indexed every shard it was given
        (if not, :func:`index_site` indexes what is still missing)."""
        self._process.join()
        return self._process.exitcode == 0

    def cancel(self) -> None:
        """Stop the process (for a build that fails before :func:`index_site`); an entry
        it had not finished is never used."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def start_indexing(
    records: RecordStore,
    cache_dir: Path,
    *,
    max_shard_pages: int = MAX_SHARD_PAGES,
    jobs: int | None = None,
    max_shards: int = PREFETCH_SHARDS,
) -> Prefetch | None:
    """Start indexing the shards of ``records`` that are missing from ``cache_dir``, in a
    forked process, and return at once; None when there is nothing to do, more than
    ``max_shards`` shards to index (a cold build: its shard workers would compete
    with the rest of the build for memory and cores) or no fork.

    A shard is indexed on one core (at 400 report pages about 1 s after a small
    edit), so the build goes on with its other stages meanwhile. Pass the
    result to :func:`index_site` (with the same records, ``cache_dir`` and
    ``max_shard_pages``), which waits for it and then only syncs the site. The
    spool of ``records`` must stay until then.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    cache_dir = Path(cache_dir)
    shards = plan_shards(records.entries, max_shard_pages)
    keys = shard_keys(shards)
    missing = [s for s in shards if not cache.has(cache_dir, keys[s.path])]
    if not missing or len(missing) > max_shards:
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    jobs = default_jobs() if jobs is None else jobs
    process = multiprocessing.get_context("fork").Process(
        target=fill_cache,
        args=(records.path, missing, keys, cache_dir, jobs),
        name="gongkai-search-prefetch",
    )
    # Kept out of the child's collections, which would copy the heap. No collection
    # first (0.1 s at 3,200 reports, on the way to the index that ends the build):
    # what is garbage now is unfrozen again when the outermost frozen() block ends.
    with frozen():
        process.start()
    return Prefetch(process)
