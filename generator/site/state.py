"""What the last build wrote, so that the next one can update the site in place.

Kept in ``<root>/.cache/gongkai/site/`` (never in the published site):

* ``state.pickle``: the :class:`SiteState`, signed with the user's cache key
  (``loadcache``: a cache file is never unpickled unless this user's builds
  wrote it) together with the digest of ``records.pickle`` — the site directory it describes,
  the build's base key, every file of the site with its size and
  modification time, each page task's key, pages and search records, the
  shells the bulk pages were filled into, and the keys of the mkdocs run and
  of the offline zip;
* ``records.pickle``: the search records of that build (a
  :class:`~generator.search.store.RecordStore` file), from which a rebuild
  takes the records of the pages it does not render again.

A state is used only when the site directory still holds exactly the files
it lists, with the same sizes and times (:func:`matches`); anything else
(a hand edit, a build that failed half-way, another output directory) makes
the next build a full one. The state file is removed before a build starts
changing a site in place and written again when it has finished.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .. import loadcache
from ..search.store import Entry

STATE_DIR = Path(".cache") / "gongkai" / "site"  # under the root
STATE_FILE = "state.pickle"
RECORDS_FILE = "records.pickle"
FORMAT = 2  # 2: raw_digests

FileStamp = tuple[int, int]  # (size, mtime_ns)


@dataclass
class TaskState:
    """One page task as built: its key, its pages' paths and its search records."""

    key: bytes
    paths: tuple[str, ...]
    records: tuple[Entry, ...]  # offsets into the records file of the same build
    bulk: bool  # every page filled into a shell (none built by mkdocs)


@dataclass
class SiteState:
    """The last build of one site directory (see the module docstring)."""

    out: str
    base: bytes
    files: dict[str, FileStamp] = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)  # PageTask -> TaskState
    paths: frozenset[str] = frozenset()  # every page's docs path
    plan: object = None  # the BulkPlan's shells and their compiled templates (ShellSet)
    mkdocs_key: bytes = b""
    offline_key: bytes = b""
    downloads: tuple[str, ...] = ()  # the static files under downloads/ that mkdocs saw
    raw_digests: dict = field(default_factory=dict)  # statdigest.StatDigests.remembered
    format: int = FORMAT


def state_dir(root: Path) -> Path:
    return Path(root) / STATE_DIR


def _records_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def load_state(root: Path) -> SiteState | None:
    """The state of the last build, or None (missing, unreadable, another format, or
    not signed with this user's cache key together with the records file beside it)."""
    directory = state_dir(root)
    key = loadcache.signing_key()
    if key is None:
        return None
    try:
        expected = _records_digest(directory / RECORDS_FILE)
    except OSError:
        return None
    state = loadcache.read(directory / STATE_FILE, key, expected)
    if not isinstance(state, SiteState) or state.format != FORMAT:
        return None
    return state


def forget_state(root: Path) -> None:
    """Remove the state: the site is about to change (the next build is then a full one
    unless this one finishes)."""
    (state_dir(root) / STATE_FILE).unlink(missing_ok=True)


def save_state(root: Path, state: SiteState) -> None:
    """Write ``state`` atomically, signed (``loadcache``) together with the digest of the
    records file, which must be in place already; nothing without a signing key."""
    key = loadcache.signing_key()
    if key is None:
        return
    directory = state_dir(root)
    payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    loadcache.write(directory / STATE_FILE, key, _records_digest(directory / RECORDS_FILE), payload)


def site_files(site_dir: Path) -> dict[str, FileStamp]:
    """Every regular file below ``site_dir`` (POSIX relative path) with its size and mtime."""
    out: dict[str, FileStamp] = {}
    base = os.fspath(site_dir)
    stack = [(base, "")]
    while stack:
        path, prefix = stack.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    out[prefix + entry.name] = (st.st_size, st.st_mtime_ns)
    return out


def matches(state: SiteState, out: Path) -> bool:
    """Whether ``out`` holds exactly the files of ``state``, unchanged since."""
    if state.out != os.fspath(out) or not out.is_dir():
        return False
    try:
        return site_files(out) == state.files
    except OSError:
        return False
