"""A cache of indexed shards, so that a rebuild re-indexes only the shards that changed.

Layout of the cache directory (``index_site(..., cache_dir=...)``)::

    <key>/shard/            the shard's files, exactly as written into the site
    <key>/successors.json   the shard's part of ``pagefind/gk-next``
    <key>/stamp             the :func:`.sync.stamp` of <key>/shard/ when it was written
    <key>/path              the shard's directory name in the site (e.g. pagefind-3)
    <key>/prepared.json     the shard's pages as :func:`.writer.prepare` made them:
    <key>/prepared-ids.npy  their words (ids of a word table) and fragments, so that
                            the next index of this shard prepares only the pages whose
                            records changed (:func:`load_prepared`)
    <key>.tmp-<pid>-<n>/    an entry being written (renamed to <key> when complete)
    sites.json              for each site directory indexed with this cache: which
                            entry each of its shard directories was synced to, and
                            the stamp of that directory then (see :mod:`.index`)

The key is a SHA-256 over the shard's records (the digest of each record's
url, title, excerpt, text, kind and filters, :func:`.store.record_digest`,
in shard order), whether it is the primary shard, the
Pagefind version and the source of the modules that decide the output, so
any change to the index code or to Pagefind starts a fresh entry. The site's
shard files are hard links to the entry's (copies across file systems,
:func:`.sync.sync_tree`); nothing ever writes into them. An entry whose files
no longer match its stamp (written into by hand) is not used again. After a
build only the entries it used are kept.
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

import numpy as np

from ..pages import SearchRecord
from .store import Entry, record_digest
from .sync import stamp, write_if_changed
from .writer import PreparedPage, WordTable, fragment_names

SHARD = "shard"
SUCCESSORS = "successors.json"
PATH = "path"
PREPARED = "prepared.json"
PREPARED_IDS = "prepared-ids.npy"
STAMP = "stamp"
SITES = "sites.json"
SOURCES = (
    "index.py",
    "tokens.py",
    "writer.py",
    "canonical.py",
    "reference.py",
    "service.py",
    "cache.py",
    "store.py",
)
KEY_RE = re.compile(r"^[0-9a-f]{64}$")
TMP_RE = re.compile(r"^[0-9a-f]{64}\.tmp-(?P<pid>\d+)-\d+$")
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
    (tmp / STAMP).write_text(stamp(shard_dir), encoding="ascii")
    target = cache_dir / key
    if target.exists():  # an incomplete leftover, or the same entry written meanwhile
        shutil.rmtree(target)
    tmp.rename(target)


def discard(shard_dir: Path) -> None:
    """Remove a temporary entry that was not completed (no-op once finished)."""
    tmp = shard_dir.parent
    if ".tmp-" in tmp.name:
        shutil.rmtree(tmp, ignore_errors=True)


def shard_dir(cache_dir: Path, key: str) -> Path:
    """The files of the entry ``key``."""
    return cache_dir / key / SHARD


def valid(cache_dir: Path, key: str) -> bool:
    """Whether the entry ``key`` is complete and its files are as they were written."""
    if not has(cache_dir, key):
        return False
    try:
        written = (cache_dir / key / STAMP).read_text(encoding="ascii")
    except OSError:
        return False
    return written == stamp(shard_dir(cache_dir, key))


def successors(cache_dir: Path, key: str) -> dict[str, list[str]]:
    """The successor map of the entry ``key``."""
    return json.loads((cache_dir / key / SUCCESSORS).read_text(encoding="ascii"))


def load_sites(cache_dir: Path) -> dict[str, dict[str, list[str]]]:
    """site directory → shard path → [entry key, stamp of the shard directory]; {} if
    unreadable (the next sync then compares the files themselves)."""
    try:
        data = json.loads((cache_dir / SITES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_sites(cache_dir: Path, sites: dict[str, dict[str, list[str]]]) -> None:
    """Replace the record of :func:`load_sites`, dropping site directories that are gone."""
    kept = {site: shards for site, shards in sites.items() if Path(site).is_dir()}
    text = json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_if_changed(cache_dir / SITES, text.encode("utf-8"))


def prune(cache_dir: Path, keep: set[str]) -> None:
    """Remove the entries this build did not use, and the temporary entries of
    processes that are gone (killed while indexing)."""
    for entry in cache_dir.iterdir():
        if not entry.is_dir():
            continue
        tmp = TMP_RE.match(entry.name)
        if (KEY_RE.match(entry.name) and entry.name not in keep) or (
            tmp and not _alive(int(tmp["pid"]))
        ):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save_prepared(
    entry_dir: Path, path: str, digests: list[bytes], pages: list[PreparedPage], table: WordTable
) -> None:
    """Keep the prepared pages of the shard just written into ``entry_dir/shard`` (by
    their records' digests), for :func:`load_prepared`; words no page has are dropped."""
    ids = np.concatenate([p.ids for p in pages]) if pages else np.zeros(0, np.uint32)
    present = np.flatnonzero(np.bincount(ids, minlength=len(table.words)))
    new_id = np.zeros(len(table.words), np.uint32)
    new_id[present] = np.arange(len(present), dtype=np.uint32)
    np.save(entry_dir / PREPARED_IDS, new_id[ids], allow_pickle=False)
    rows = [
        [d.hex(), p.url, p.full_hash, name, len(p.ids), p.filters, p.meta]
        for d, p, name in zip(digests, pages, fragment_names(pages), strict=True)
    ]
    words = [table.words[i] for i in present.tolist()]
    data = {"code": code_version(), "words": words, "pages": rows}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (entry_dir / PREPARED).write_text(text, encoding="utf-8")
    (entry_dir / PATH).write_text(path, encoding="utf-8")


def previous_prepared(cache_dir: Path, path: str) -> Path | None:
    """The entry of an earlier index of the shard directory ``path`` that kept its
    prepared pages (the newest, if several sites share the cache), or None."""
    found = []
    for entry in cache_dir.iterdir():
        if not KEY_RE.match(entry.name) or not (entry / PREPARED).is_file():
            continue
        try:
            if (entry / PATH).read_text(encoding="utf-8") == path:
                found.append(((entry / PREPARED).stat().st_mtime_ns, entry.name, entry))
        except OSError:
            continue
    return max(found)[2] if found else None


def load_prepared(entry_dir: Path) -> tuple[WordTable, dict[bytes, PreparedPage]] | None:
    """The word table and prepared pages (by record digest) :func:`save_prepared` kept
    in ``entry_dir``; None if they are missing, were made by other code (which may
    tokenize or write differently) or do not fit together."""
    try:
        data = json.loads((entry_dir / PREPARED).read_text(encoding="utf-8"))
        if data.get("code") != code_version():
            return None
        ids = np.load(entry_dir / PREPARED_IDS, allow_pickle=False)
        words, rows = data["words"], data["pages"]
        if ids.dtype != np.uint32 or ids.ndim != 1 or sum(r[4] for r in rows) != len(ids):
            return None
        if len(ids) and int(ids.max()) >= len(words):
            return None
        pages, start = {}, 0
        fragments = entry_dir / SHARD / "fragment"
        for digest, url, full_hash, name, length, filters, meta in rows:
            fragment = (fragments / f"{name}.pf_fragment").read_bytes()
            page_ids = ids[start : start + length]
            pages[bytes.fromhex(digest)] = PreparedPage(
                url, page_ids, full_hash, fragment, filters, meta
            )
            start += length
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return WordTable(words), pages
