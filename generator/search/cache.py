"""A cache of indexed shards, so that a rebuild re-indexes only the shards that changed.

Layout of the cache directory (``index_site(..., cache_dir=...)``)::

    <key>/shard/            the shard's files, exactly as written into the site
    <key>/successors.json   the shard's part of ``pagefind/gk-next``
    <key>.tmp-<pid>-<n>/    an entry being written (renamed to <key> when complete)

The key is a SHA-256 over the shard's records (the digest of each record's
url, title, excerpt, text, kind and filters, :func:`.store.record_digest`,
in shard order), whether it is the primary shard, the
Pagefind version and the source of the modules that decide the output, so
any change to the index code or to Pagefind starts a fresh entry. Restoring
hard-links the files into the site (copies across file systems); nothing
ever writes into a restored file, so the cache stays intact. After a build
only the entries it used are kept.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..pages import SearchRecord
from .store import Entry, record_digest

SHARD = "shard"
SUCCESSORS = "successors.json"
SOURCES = ("index.py", "tokens.py", "canonical.py", "service.py", "cache.py", "store.py")
KEY_RE = re.compile(r"^[0-9a-f]{64}$")
_counter = itertools.count()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of what decides a shard's files: our index code and Pagefind's version."""
    h = hashlib.sha256()
    for dist in ("pagefind", "pagefind_bin_extended", "pagefind_bin"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\n".encode())
    here = Path(__file__).parent
    for name in SOURCES:
        h.update(name.encode() + b"\n" + (here / name).read_bytes())
    return h.hexdigest()


def shard_key(records: Iterable[SearchRecord | Entry], primary: bool) -> str:
    """The cache key of a shard: its records (or their spooled entries), its role,
    and :func:`code_version`."""
    h = hashlib.sha256(code_version().encode())
    h.update(b"primary" if primary else b"secondary")
    for r in records:
        h.update(r.digest if isinstance(r, Entry) else record_digest(r))
    return h.hexdigest()


def has(cache_dir: Path, key: str) -> bool:
    """Whether a complete entry for ``key`` is in the cache."""
    return (cache_dir / key / SUCCESSORS).is_file() and (cache_dir / key / SHARD).is_dir()


def start(cache_dir: Path, key: str) -> Path:
    """A fresh directory to index a shard into (inside a temporary entry)."""
    tmp = cache_dir / f"{key}.tmp-{os.getpid()}-{next(_counter)}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / SHARD).mkdir(parents=True)
    return tmp / SHARD


def finish(cache_dir: Path, key: str, shard_dir: Path, successors: dict) -> None:
    """Complete the temporary entry of ``shard_dir`` and move it into place."""
    tmp = shard_dir.parent
    text = json.dumps({k: sorted(v) for k, v in sorted(successors.items())}, separators=(",", ":"))
    (tmp / SUCCESSORS).write_text(text, encoding="ascii")
    target = cache_dir / key
    if target.exists():  # an incomplete leftover, or the same entry written meanwhile
        shutil.rmtree(target)
    tmp.rename(target)


def discard(shard_dir: Path) -> None:
    """Remove a temporary entry that was not completed (no-op once finished)."""
    tmp = shard_dir.parent
    if ".tmp-" in tmp.name:
        shutil.rmtree(tmp, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def restore(cache_dir: Path, key: str, dest: Path) -> dict[str, list[str]]:
    """Put the cached shard at ``dest``; return its successor map."""
    shutil.copytree(cache_dir / key / SHARD, dest, copy_function=_link_or_copy)
    return json.loads((cache_dir / key / SUCCESSORS).read_text(encoding="ascii"))


def prune(cache_dir: Path, keep: set[str]) -> None:
    """Remove the entries this build did not use."""
    for entry in cache_dir.iterdir():
        if entry.is_dir() and KEY_RE.match(entry.name) and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
