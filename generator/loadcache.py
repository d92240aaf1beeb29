"""Content-hash cache of loaded records, so a rebuild re-reads only what changed.

Loaded records are kept per *bucket* — the files of one agency: its agency
file, its guide and its reports (``reports/<id>/*.yaml``) — in one file under
``<repository>/.cache/gongkai/``. A bucket is reused only when everything it
was made from is unchanged: the SHA-256 of each of its files' bytes, their
paths, the content root, and a digest of the loader's own source (reader,
schema, records, format definitions, and the per-report checks whose results
are kept beside the records) and of the Python and PyYAML versions.
Otherwise the whole bucket (a few dozen files at most) is loaded again and
rewritten, atomically. A bucket also keeps its reports' source checks
(``report_checks.check_source``) with the stat of each raw text they read
(size, mtime, ctime, inode, as git's index): they are reused only while every
one of those files still has that stat (``load._raws_unchanged``). One
bucket per agency keeps a cold build to a few thousand small writes at 55,000
reports, and an edit re-reads one agency.

The cache holds pickles, and unpickling runs code. A pull request could
commit a crafted file under ``.cache/`` (``.gitignore`` does not stop that),
so every bucket is signed with HMAC-SHA256 under a random key kept outside
the repository (``$XDG_CACHE_HOME/gongkai/cache-key``); a bucket whose
signature does not verify is never unpickled, only rewritten. Where no key
can be kept, there is no cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

import yaml

CACHE_DIR = Path(".cache") / "gongkai"  # under the repository root
FORMAT = b"gongkai-load-cache-2\n"
_PACKAGE = Path(__file__).resolve().parent
# what loading a file depends on, besides the file: a change here invalidates every entry
_SOURCES = (
    "yamlsafe.py",
    "load.py",
    "loadcache.py",
    "records.py",
    "diagnostics.py",
    "validate/report_checks.py",  # local checks run while loading, cached with the records
)
_SOURCE_DIRS = ("schema", "formats")


@cache
def version() -> str:
    """Digest of the loader's source files, format definitions, Python and PyYAML."""
    h = hashlib.sha256(FORMAT)
    h.update(f"{sys.version}\n{yaml.__version__}\n{yaml.__with_libyaml__}\n".encode())
    files = [_PACKAGE / name for name in _SOURCES]
    for d in _SOURCE_DIRS:
        files += sorted(p for p in (_PACKAGE / d).rglob("*") if p.is_file() and p.suffix != ".pyc")
    for path in files:
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def key_path() -> Path:
    """Where the signing key lives: outside any repository, private to the user."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gongkai" / "cache-key"


@cache
def signing_key() -> bytes | None:
    """The user's cache signing key, made on first use; None if it cannot be kept."""
    path = key_path()
    try:
        if len(data := path.read_bytes()) == 32:
            return data
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        data = path.read_bytes()  # another process may have written its key meanwhile
    except OSError:
        return None
    return data if len(data) == 32 else None


def bucket_name(rel_to_content: list[str] | tuple[str, ...]) -> str:
    """The agency a content file belongs to, from its path below content/."""
    if len(rel_to_content) >= 3:  # reports/<agency>/<year>.yaml
        return rel_to_content[1]
    return Path(rel_to_content[-1]).stem  # agencies/<agency>.yaml, guides/<agency>.yaml


def bucket_file(cache_dir: Path, name: str) -> Path:
    """The cache file of one bucket (hashed: an agency id never becomes a path)."""
    return cache_dir / f"{hashlib.sha256(name.encode()).hexdigest()[:24]}.pickle"


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(root: str, files: dict[str, str]) -> str:
    """What a bucket was made from: version, content root, and each file's path and digest."""
    h = hashlib.sha256(f"{version()}\n{root}\n".encode())
    for rel in sorted(files):
        h.update(f"{rel}\0{files[rel]}\n".encode())
    return h.hexdigest()


def read(path: Path, key: bytes, expected_stamp: str) -> list | None:
    """The results stored in ``path`` if signed with ``key`` and made from the same inputs."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(FORMAT)
    if blob[:head] != FORMAT or len(blob) < head + 32 + 64:
        return None
    mac, body = blob[head : head + 32], blob[head + 32 :]
    if not hmac.compare_digest(mac, hmac.new(key, body, "sha256").digest()):
        return None
    if body[:64].decode("ascii", "replace") != expected_stamp:
        return None
    try:
        return pickle.loads(body[64:])
    except Exception:  # a bad entry is reloaded, never trusted
        return None


def write(path: Path, key: bytes, stamp_: str, payload: bytes) -> None:
    """Store a pickled payload, signed; atomically (temp file + rename); errors are ignored."""
    body = stamp_.encode("ascii") + payload
    blob = FORMAT + hmac.new(key, body, "sha256").digest() + body
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return  # a read-only checkout simply has no cache
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if not isinstance(sys.exc_info()[1], OSError):
            raise
