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
loading one runs no code), written atomically; an unreadable entry is a miss.
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
import marshal
import multiprocessing as mp
import os
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..model import Corpus
from ..records import Report
from .meta import Release
from .parts import ReportParts, report_parts

CACHE_DIR = Path(".cache") / "gongkai" / "package"
INDEX = "files.marshal"
FORMAT = 1  # bump when the layout of an entry changes
MARGIN_NS = 2_000_000_000
GENERATOR = Path(__file__).resolve().parent.parent
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".j2", ".md")
# What a report's parts depend on: the loader and what it imports, the format
# definitions, this package. (The render, site and search stages do not count.)
CODE = ("package/**/*", "formats/**/*", "schema/**/*", "load*.py", "records.py", "model.py",
        "diagnostics.py", "yamlsafe.py", "paths.py")  # fmt: skip


def process_start_ns() -> int:
    """When this process started (Linux), else now: files newer than that are not cached."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return (boot * 10**9) + ticks * 10**9 // os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return time.time_ns()


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


def sign(payload: bytes) -> bytes | None:
    """``payload`` behind its HMAC; None when there is no key."""
    key = _signing_key()
    return hmac.new(key, payload, hashlib.sha256).digest() + payload if key else None


def unsign(data: bytes) -> bytes | None:
    """The payload of a signed blob, or None when the signature does not verify."""
    key = _signing_key()
    if key is None or len(data) < 32:
        return None
    mac, payload = data[:32], data[32:]
    return (
        payload
        if hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest())
        else None
    )


def read_signed(path: Path):
    """A signed marshal file's value; None when missing, forged or unreadable."""
    try:
        payload = unsign(path.read_bytes())
        return marshal.loads(payload) if payload is not None else None
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_signed(path: Path, value) -> None:
    """Atomically write ``value`` (marshal) signed; nothing when there is no key."""
    data = sign(marshal.dumps(value))
    if data is not None:
        _atomic_write(path, data)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class PartsCache:
    """Report parts from the cache in ``directory``, or computed (and stored) on a miss.

    ``root`` is the repository root that ``Report.file`` is relative to. Use as
    a context manager: leaving it saves the file index and prunes old entries.
    """

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        self.root = root
        self.dir = directory or root / CACHE_DIR
        self.index: dict = self._load(self.dir / INDEX) or {"files": {}, "known": []}
        self.files: dict[str, tuple] = self.index["files"]
        self.used: set[str] = set()
        self.seen: set[str] = set()
        self.written: set[str] = set()
        self.hits = self.misses = 0

    @staticmethod
    def _load(path: Path):
        data = read_signed(path)
        return data if isinstance(data, (dict, tuple)) else None

    def file_digest(self, rel: str) -> str | None:
        """Digest of ``root/rel``; None when missing or modified since this process began."""
        path = self.root / rel
        self.seen.add(rel)
        try:
            st = path.stat()
        except OSError:
            return None
        if max(st.st_mtime_ns, st.st_ctime_ns) >= START_NS - MARGIN_NS:
            return None
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        known = self.files.get(rel)
        if known and tuple(known[:4]) == stamp:
            return known[4]
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            return None
        self.files[rel] = (*stamp, digest)
        return digest

    def key(self, corpus: Corpus, report: Report, release: Release) -> str | None:
        """The cache key of ``report``'s parts; None: do not cache (changed file, no key)."""
        if _signing_key() is None:
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
        data = self._load(self._entry(key)) if key else None
        if data is None:
            return None
        try:
            return ReportParts.from_plain(data)
        except (ValueError, TypeError):
            return None

    def _store(self, key: str | None, parts: ReportParts) -> None:
        if key is None:
            return
        with contextlib.suppress(OSError):
            write_signed(self._entry(key), parts.to_plain())
            self.written.add(key)

    def iter_parts(
        self, corpus: Corpus, reports: list[Report], release: Release
    ) -> Iterator[ReportParts]:
        """The parts of each of ``reports``, in order: cached, else computed (and stored)."""
        keys = [self.key(corpus, r, release) for r in reports]
        self.used.update(k for k in keys if k)
        planned = [self._has(k) for k in keys]
        missing = [r for r, hit in zip(reports, planned, strict=True) if not hit]
        computed = computed_parts(corpus, missing, release)
        for report, key, hit in zip(reports, keys, planned, strict=True):
            got = self._cached(key) if hit else None
            if got is not None:
                self.hits += 1
                yield got
                continue
            # A planned miss comes from the workers; an entry that went bad since, here.
            got = report_parts(corpus, report, release) if hit else next(computed)
            self.misses += 1
            self._store(key, got)
            yield got

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
            write_signed(self.dir / INDEX, self.index)

    def __enter__(self) -> PartsCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class NoCache:
    """The same interface, computing every report's parts."""

    hits = misses = 0

    def iter_parts(
        self, corpus: Corpus, reports: list[Report], release: Release
    ) -> Iterator[ReportParts]:
        self.misses += len(reports)
        return computed_parts(corpus, reports, release)

    def close(self) -> None:
        pass

    def __enter__(self) -> NoCache:
        return self

    def __exit__(self, *exc) -> None:
        pass


# --- computing parts, in two processes when there are many ----------------------------------

PARALLEL_MIN = 200  # below this the pool's start-up costs more than it saves
CHUNK = 16
_shared: tuple[Corpus, dict[str, Report], Release] | None = None


def _compute(report_id: str) -> tuple:
    """In a worker: the parts of one report of the corpus inherited at fork."""
    assert _shared is not None
    corpus, reports, release = _shared
    return report_parts(corpus, reports[report_id], release).to_plain()


def computed_parts(
    corpus: Corpus, reports: list[Report], release: Release
) -> Iterator[ReportParts]:
    """``report_parts`` of each report, in order; forked workers share the work when many.

    Workers are forked so they inherit the corpus instead of receiving it;
    only report IDs go out and plain strings come back. The parts are the same
    either way (``report_parts`` is a pure function).
    """
    global _shared
    workers = min(2, os.cpu_count() or 1)
    if len(reports) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        for report in reports:
            yield report_parts(corpus, report, release)
        return
    _shared = (corpus, {r.id: r for r in reports}, release)
    pool = mp.get_context("fork").Pool(workers)
    try:
        for data in pool.imap(_compute, [r.id for r in reports], chunksize=CHUNK):
            yield ReportParts.from_plain(data)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _shared = None
