"""Reuse a data package written earlier from the same inputs (``gongkai package`` after a build).

The site build writes the whole data package into its downloads
(``site.write_downloads``), and ``gongkai package`` writes it into
``datapackage/``: the same bytes whenever the inputs are the same. Each time,
``record_package`` notes under ``<root>/.cache/gongkai/package/`` the *key* of
the inputs, each file's size and digest, and the rows per resource (signed,
like the report-parts cache), and keeps a hard link to each file (``built/``)
when that is on the same file system. ``reuse_package`` copies the files of
the record into a new package when the key is still the same, checking each
file's digest as it copies; a file missing, changed or of another size
anywhere it could be (the kept link, where it was written, ``site/downloads``),
and nothing is reused: the package is made from the content as usual.

The key (``inputs_key``) is a digest of everything the package is made of:
every file below ``content/`` (its path as the loader names it, and its
size, mtime, ctime and inode, which stand for its bytes as in git's index),
every file of the generator's code (loader, checks, package), the data
release, and the Python and PyYAML versions. A content file modified after
this process started (minus a margin, as in ``cache``) gives no key: the
package this process made may come from its older bytes. A symbolic link
below ``content/`` gives no key either (what it points to could change
unseen). A copy of the content (a new clone, files touched) is another key:
its package is made again, and noted.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import sys
from functools import cache
from pathlib import Path

import yaml

from ..loadcache import signing_key
from ..paths import CONTENT, SITE
from ..statdigest import MARGIN_NS
from . import cache as parts_cache
from .cache import CACHE_DIR, GENERATOR, read_signed, write_signed
from .meta import Release
from .write import package_files

FORMAT = 1  # bump when the key or the record changes meaning
RECORD = "built.marshal"  # the last package written, in the cache directory
KEPT = "built"  # hard links to its files, beside the record
CHUNK = 1 << 20


def _digest() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def file_digest(path: Path | str) -> str:
    """blake2b-128 of a file's bytes."""
    h = _digest()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


@cache
def code_digest() -> str:
    """Every file of the generator (any of it may shape the package: loader, checks, tables)."""
    h = _digest()
    h.update(f"{sys.version}\0{yaml.__version__}\0{yaml.__with_libyaml__}\0".encode())
    files = sorted(
        p
        for p in GENERATOR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    for path in files:
        h.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0")
        h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.hexdigest()


def _content_files(root: Path) -> tuple[str, list[tuple[str, os.stat_result]]] | None:
    """(real content dir, [(path, stat)] of every file below it); None if there is a symlink."""
    base = os.path.realpath(root / CONTENT)
    found: list[tuple[str, os.stat_result]] = []
    stack = [base]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir():
                    stack.append(entry.path)
                else:
                    found.append((entry.path, entry.stat()))
    return base, found


def content_digest(root: Path) -> str | None:
    """Digest of every file below ``root/content``: its path (as the loader names it) and stat.

    A file's size, mtime, ctime and inode stand for its bytes, as in git's
    index: writing a file changes its ctime, which cannot be set back. None
    when a file was modified after this process started (minus the margin:
    a timestamp's granularity), or there is a symbolic link below content/.
    Nothing is read, so the build pays only a stat per file for the note.
    """
    listed = _content_files(root)
    if listed is None:
        return None
    base, files = listed
    newest = parts_cache.START_NS - MARGIN_NS
    prefix = len(os.path.dirname(base)) + 1  # names relative to content's parent: content/…
    stamps = []
    for path, st in files:
        if max(st.st_mtime_ns, st.st_ctime_ns) >= newest:
            return None
        rel = path[prefix:].replace(os.sep, "/")
        stamps.append(f"{rel}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}\n")
    h = _digest()
    for line in sorted(stamps):
        h.update(line.encode())
    return h.hexdigest()


def inputs_key(root: Path, release: Release) -> str | None:
    """The key of what a package of ``root`` is made from (see the module); None: unknown."""
    if signing_key() is None:
        return None  # nothing can be recorded safely without the key
    try:
        content = content_digest(root)
    except OSError:
        return None
    if content is None:
        return None
    parts = (f"format {FORMAT}", code_digest(), release.version, release.date.isoformat(), content)
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def _keep(source: Path, kept: Path) -> bool:
    """Hard-link ``source`` as ``kept`` (replacing it); False when links cannot be made."""
    tmp = kept.with_name(f".tmp-{kept.name}")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.link(source, tmp)
        os.replace(tmp, kept)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def record_package(
    files_dir: Path,
    root: Path,
    release: Release,
    counts: dict[str, int] | None = None,
    cache_dir: Path | None = None,
    found_in: Path | None = None,
) -> bool:
    """Note that the package in ``files_dir`` is made from ``root``'s inputs now; True if noted.

    ``counts``: rows per resource (counted in the files when not given).
    ``found_in``: where the files will be once moved (default ``files_dir``).
    Nothing is noted (and an earlier note is dropped) when the inputs have no
    key: a content file changed after this process started, or no signing key.
    """
    cache_dir = cache_dir or root / CACHE_DIR
    record = cache_dir / RECORD
    with contextlib.suppress(OSError):
        record.unlink()
    key = inputs_key(root, release)
    if key is None:
        return False
    try:
        files = [(n, (files_dir / n).stat().st_size, file_digest(files_dir / n))
                 for n in package_files()]  # fmt: skip
        kept = cache_dir / KEPT
        kept.mkdir(parents=True, exist_ok=True)
        linked = all(_keep(files_dir / name, kept / name) for name, _, _ in files)
        value = {
            "format": FORMAT,
            "key": key,
            "files": files,
            "counts": dict(counts) if counts is not None else row_counts(files_dir),
            "dirs": [str(found_in or files_dir)],
            "kept": linked,
        }
        write_signed(record, value)
    except OSError:
        return False
    return True


def row_counts(package_dir: Path) -> dict[str, int]:
    """Rows of each resource's CSV (records, not lines: a cell may hold a line break)."""
    counts = {}
    for name in package_files()[1:]:
        with open(package_dir / name, encoding="utf-8", newline="") as f:
            counts[name.removesuffix(".csv")] = sum(1 for _ in csv.reader(f)) - 1
    return counts


def _copy_verified(source: Path, target: Path, size: int, digest: str) -> bool:
    """Copy ``source`` to the new file ``target`` if it has ``size`` bytes of ``digest``."""
    try:
        if source.stat().st_size != size:
            return False
        h = _digest()
        with open(source, "rb") as src, open(target, "xb") as dst:
            while chunk := src.read(CHUNK):
                h.update(chunk)
                dst.write(chunk)
    except OSError:
        with contextlib.suppress(OSError):
            target.unlink()
        return False
    if h.hexdigest() != digest:
        target.unlink()
        return False
    return True


def reuse_package(
    root: Path, release: Release, into: Path, cache_dir: Path | None = None
) -> dict[str, int] | None:
    """Copy the recorded package into the empty directory ``into``; its rows per resource.

    None (and ``into`` left empty) when there is no record for the inputs as
    they are now, or a file of it is nowhere to be found with its size and digest.
    """
    cache_dir = cache_dir or root / CACHE_DIR
    record = read_signed(cache_dir / RECORD)
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    files, counts = record.get("files"), record.get("counts")
    if [f[0] for f in files or ()] != package_files() or not isinstance(counts, dict):
        return None
    if record.get("key") != inputs_key(root, release):
        return None
    places = [cache_dir / KEPT] if record.get("kept") else []
    places += [Path(d) for d in record.get("dirs", ())] + [root / SITE / "downloads"]
    for name, size, digest in files:
        if not any(_copy_verified(p / name, into / name, size, digest) for p in places):
            for name_ in package_files():
                with contextlib.suppress(OSError):
                    (into / name_).unlink()
            return None
    return counts
