"""Cache of report parts under ``<root>/.cache/gongkai/package/``, keyed by content.

A report's parts (``parts.ReportParts``) are a pure function of its YAML file
(the loader reads nothing else for a report), the agency's name (in its JSON),
the data release, and the generator's code and format definitions. The key is
a digest of all four, so an entry is never stale: a changed input is a new key.

The file digest is remembered with the file's stat (size, mtime, ctime, inode),
as git does, so an unchanged file is not read again. A file modified after
this process started (minus a margin) is not trusted: the corpus may have been
loaded from its older bytes, so its parts are computed from the report and not
cached. Entries are stored with ``marshal`` (plain strings, dicts and tuples:
loading one runs no code), compressed (zlib level 1: the parts of 55,000
reports would take some 2.5 GB of disk as they are), written atomically; an
unreadable entry is a miss.
Entries not used by the last run are dropped once they outnumber the used ones.

A pull request could commit crafted entries under ``.cache/`` (forged numbers
in the downloads). So every file here is signed with HMAC-SHA256 under the
user's key that the load cache keeps outside the repository
(``loadcache.signing_key``); an entry that does not verify is a miss, and
where no key can be kept there is no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import marshal
import multiprocessing as mp
import os
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TypeVar

from ..gcutil import frozen
from ..model import Corpus
from ..records import Report
from ..statdigest import process_start_ns, settled, stamp_of
from ..workers import default_jobs
from .meta import Release
from .outdir import replace_with
from .parts import ReportParts, report_parts

T = TypeVar("T")
Use = Callable[[Report, ReportParts], T]  # what to make of a report's parts, in the worker
CACHE_DIR = Path(".cache") / "gongkai" / "package"
INDEX = "files.marshal"
FORMAT = 2  # bump when the layout of an entry changes (2: entries zlib-compressed)
GENERATOR = Path(__file__).resolve().parent.parent
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".j2", ".md")
# What a report's parts depend on: the loader and what it imports, the format
# definitions, this package. (The render, site and search stages do not count.)
CODE = ("package/**/*", "formats/**/*", "schema/**/*", "load*.py", "records.py", "model.py",
        "diagnostics.py", "yamlsafe.py", "paths.py")  # fmt: skip


START_NS = process_start_ns()


@cache
def code_digest() -> str:
    """Digest of the code and data ``CODE`` names (any change there makes every key new)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"format {FORMAT}".encode())
    files = sorted(
        {
            p
            for pattern in CODE
            for p in GENERATOR.glob(pattern)
            if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
        }
    )
    for path in files:
        h.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0")
        h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


def _signing_key() -> bytes | None:
    try:
        from ..loadcache import signing_key
    except ImportError:
        return None
    return signing_key()


def sign(payload: bytes, key: bytes | None = None) -> bytes | None:
    """``payload`` behind its HMAC; None when there is no key (default: the user's)."""
    key = key or _signing_key()
    return hmac.new(key, payload, hashlib.sha256).digest() + payload if key else None


def unsign(data: bytes, key: bytes | None = None) -> bytes | None:
    """The payload of a signed blob, or None when the signature does not verify."""
    key = key or _signing_key()
    if key is None or len(data) < 32:
        return None
    mac, payload = data[:32], data[32:]
    return (
        payload
        if hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest())
        else None
    )


def read_signed(path: Path, key: bytes | None = None, packed: bool = False):
    """A signed marshal file's value; None when missing, forged or unreadable.

    ``packed``: the marshal bytes were compressed (``write_signed(packed=True)``).
    """
    try:
        payload = unsign(path.read_bytes(), key)
        if payload is None:
            return None
        return marshal.loads(zlib.decompress(payload) if packed else payload)
    except (OSError, EOFError, ValueError, TypeError, zlib.error):
        return None


def write_signed(path: Path, value, key: bytes | None = None, packed: bool = False) -> None:
    """Atomically write ``value`` (marshal, zlib-compressed if ``packed``) signed.

    Nothing is written when there is no key.
    """
    payload = marshal.dumps(value)
    data = sign(zlib.compress(payload, 1) if packed else payload, key)
    if data is not None:
        _atomic_write(path, data)


def _atomic_write(path: Path, data: bytes) -> None:
    replace_with(os.fspath(path), data)


class PartsCache:
    """Report parts from the cache in ``directory``, or computed (and stored) on a miss.

    ``root`` is the repository root that ``Report.file`` is relative to. Use as
    a context manager: leaving it saves the file index and prunes old entries.
    """

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        self.root = root
        self.dir = directory or root / CACHE_DIR
        self.signing_key = _signing_key()  # read once, not per entry
        self.index: dict = self._load(self.dir / INDEX) or {"files": {}, "known": []}
        self.files: dict[str, tuple] = self.index["files"]
        self.used: set[str] = set()
        self.seen: set[str] = set()
        self.written: set[str] = set()
        self.hits = self.misses = 0

    def _load(self, path: Path, packed: bool = False):
        data = read_signed(path, self.signing_key, packed) if self.signing_key else None
        return data if isinstance(data, (dict, tuple)) else None

    def file_digest(self, rel: str) -> str | None:
        """Digest of ``root/rel``; None when missing or modified since this process began."""
        path = os.path.join(self.root, rel)  # not pathlib: this runs for every report
        self.seen.add(rel)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not settled(st, START_NS):
            return None
        stamp = stamp_of(st)
        known = self.files.get(rel)
        if known and tuple(known[:4]) == stamp:
            return known[4]
        try:
            with open(path, "rb") as f:
                digest = hashlib.blake2b(f.read(), digest_size=16).hexdigest()
        except OSError:
            return None
        self.files[rel] = (*stamp, digest)
        return digest

    def key(self, corpus: Corpus, report: Report, release: Release) -> str | None:
        """The cache key of ``report``'s parts; None: do not cache (changed file, no key)."""
        if self.signing_key is None:
            return None
        digest = self.file_digest(report.file)
        if digest is None:
            return None
        agency = corpus.agencies.get(report.agency)
        parts = (
            code_digest(),
            release.version,
            release.date.isoformat(),
            report.file,
            digest,
            agency.name if agency else "",
        )
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.dir / "parts" / key[:2] / key

    def _cached(self, key: str | None) -> ReportParts | None:
        data = self._load(self._entry(key), packed=True) if key else None
        if data is None:
            return None
        try:
            return ReportParts.from_plain(data)
        except (ValueError, TypeError):
            return None

    def _store(self, key: str | None, parts: ReportParts) -> bool:
        """Store ``parts`` under ``key``; True when written."""
        if key is None:
            return False
        try:
            write_signed(self._entry(key), parts.to_plain(), self.signing_key, packed=True)
        except OSError:
            return False
        return True

    def keys(self, corpus: Corpus, reports: list[Report], release: Release) -> list[str | None]:
        """The cache key of each of ``reports`` (None: not cached), all counted as used.

        (Entries of reports whose parts a run did not need are still in use.)
        """
        keys = [self.key(corpus, r, release) for r in reports]
        self.used.update(k for k in keys if k)
        return keys

    def map_parts(
        self,
        corpus: Corpus,
        reports: list[Report],
        release: Release,
        use: Use[T],
        keys: list[str | None] | None = None,
    ) -> Iterator[T]:
        """``use(report, parts)`` of each of ``reports``, in order.

        The parts come from the cache, else are computed and stored. All of it,
        ``use`` included, runs in forked workers when there are many reports,
        so only what ``use`` returns comes back to this process. ``keys``: the
        reports' ``keys``, if already known.
        """
        if keys is None:
            keys = self.keys(corpus, reports, release)
        self.used.update(k for k in keys if k)
        planned = [self._has(k) for k in keys]

        def task(i: int) -> tuple[bool, bool, T]:
            report, key = reports[i], keys[i]
            got = self._cached(key) if planned[i] else None
            hit = got is not None
            if got is None:  # a planned miss, or an entry that went bad since
                got = report_parts(corpus, report, release)
            stored = not hit and self._store(key, got)
            return hit, stored, use(report, got)

        for key, (hit, stored, value) in zip(keys, parallel_map(task, len(reports)), strict=True):
            if hit:
                self.hits += 1
            else:
                self.misses += 1
            if stored:
                self.written.add(key)  # type: ignore[arg-type]  # stored implies a key
            yield value

    def iter_parts(
        self, corpus: Corpus, reports: list[Report], release: Release
    ) -> Iterator[ReportParts]:
        """The parts of each of ``reports``, in order: cached, else computed (and stored)."""
        return self.map_parts(corpus, reports, release, _parts_only)

    def _has(self, key: str | None) -> bool:
        return key is not None and self._entry(key).is_file()

    def close(self) -> None:
        """Save the file index; drop entries unused by this run once they outnumber the used."""
        known = set(self.index.get("known", ())) | self.written | self.used
        if len(known) > 2 * len(self.used) + 64:
            for key in known - self.used:
                with contextlib.suppress(OSError):
                    self._entry(key).unlink()
            known = set(self.used)
        files = {rel: v for rel, v in self.files.items() if rel in self.seen}
        self.index = {"files": files, "known": sorted(known)}
        with contextlib.suppress(OSError):
            write_signed(self.dir / INDEX, self.index, self.signing_key)

    def __enter__(self) -> PartsCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class NoCache:
    """The same interface, computing every report's parts."""

    hits = misses = 0
    signing_key = None

    def keys(self, corpus: Corpus, reports: list[Report], release: Release) -> list[str | None]:
        return [None] * len(reports)

    def map_parts(
        self,
        corpus: Corpus,
        reports: list[Report],
        release: Release,
        use: Use[T],
        keys: list[str | None] | None = None,
    ) -> Iterator[T]:
        """``use(report, parts)`` of each of ``reports``, in order (see ``PartsCache``)."""
        self.misses += len(reports)
        return parallel_map(lambda i: use(reports[i], report_parts(corpus, reports[i], release)),
                            len(reports))  # fmt: skip

    def iter_parts(
        self, corpus: Corpus, reports: list[Report], release: Release
    ) -> Iterator[ReportParts]:
        return self.map_parts(corpus, reports, release, _parts_only)

    def close(self) -> None:
        pass

    def __enter__(self) -> NoCache:
        return self

    def __exit__(self, *exc) -> None:
        pass


def _parts_only(_report: Report, parts: ReportParts) -> ReportParts:
    return parts


def computed_parts(
    corpus: Corpus, reports: list[Report], release: Release
) -> Iterator[ReportParts]:
    """``report_parts`` of each report, in order; forked workers share the work when many."""
    return NoCache().iter_parts(corpus, reports, release)


# --- running per-report work in forked workers -------------------------------------------

PARALLEL_MIN = 200  # below this the pool's start-up costs more than it saves
CHUNK = 16  # reports per message to a worker
WINDOW = 4  # chunks in flight per worker: bounds what waits in memory
# Chunks a worker does before a fresh one is forked in its place. A worker that reads
# the corpus writes to the pages its objects are on (reference counts), which the
# kernel then copies: left alone, each of two workers held ~0.7 GB of such copies by
# the end of the downloads at 55,000 reports. A fresh fork shares the pages again.
CHUNKS_PER_WORKER = 64
_task: Callable[[int], object] | None = None


def _run_chunk(start: int, stop: int) -> list:
    """In a worker: the task, inherited at fork, on items ``start`` to ``stop``."""
    assert _task is not None
    return [_task(i) for i in range(start, stop)]


def parallel_map(task: Callable[[int], T], n: int) -> Iterator[T]:
    """``task(0)`` … ``task(n - 1)``, in order; in forked workers when ``n`` is large.

    Workers are forked so they inherit ``task`` and what it refers to (the
    corpus) instead of receiving it; only indices go out and results come
    back. At most ``WINDOW`` chunks per worker are in flight, so results wait
    in memory only that far ahead of the consumer. ``task`` must be a pure
    function of the index for the output not to depend on the processes.
    """
    global _task
    workers = default_jobs()
    if n < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(task, range(n))
        return
    _task = task
    # the corpus stays in pages shared with the workers (no copy on write by the GC)
    with frozen():
        pool = mp.get_context("fork").Pool(workers, maxtasksperchild=CHUNKS_PER_WORKER)
        try:
            starts = iter(range(0, n, CHUNK))
            pending: deque = deque()

            def submit(start: int) -> None:
                pending.append(pool.apply_async(_run_chunk, (start, min(start + CHUNK, n))))

            for start in itertools.islice(starts, WINDOW * workers):
                submit(start)
            while pending:
                results = pending.popleft().get()
                if (start := next(starts, None)) is not None:
                    submit(start)
                yield from results
            pool.close()
        finally:
            pool.terminate()
            pool.join()
            _task = None
