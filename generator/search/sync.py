"""Bring a directory of the site in line with the files it should hold, touching only what differs.

A rebuild updates the previous site in place: a file whose bytes are right is
left alone (same inode, same mtime), a wrong or missing one is put in place
atomically (linked or renamed onto its name, never opened for writing: the
site may share inodes with the shard cache or another copy of the site), and
a file that should not be there is removed. Into an empty directory this is
just the links or renames a fresh build makes.

A :func:`stamp` (names, sizes, mtimes and inodes of a directory's files)
tells a later build, cheaply, that a directory still holds what it was synced
to; it is never trusted without being recomputed from the files themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from ..fsutil import temp_name, write_if_changed

# Written last: the file that names the others (a reader never finds it naming a
# file that is not there yet).
LAST = "pagefind-entry.json"


def walk(directory: Path, skip: Iterable[str] = ()) -> tuple[dict[str, os.stat_result], set[str]]:
    """Every file below ``directory`` (relative posix path → its stat, not following
    symlinks) and every directory, except the top-level names in ``skip``; nothing
    when ``directory`` is not a directory."""
    files: dict[str, os.stat_result] = {}
    dirs: set[str] = set()
    skipped = set(skip)
    stack = [("", os.fspath(directory))]
    while stack:
        prefix, path = stack.pop()
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if not prefix and entry.name in skipped:
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                dirs.add(rel)
                stack.append((rel + "/", entry.path))
            else:
                files[rel] = entry.stat(follow_symlinks=False)
    return files, dirs


def scan(directory: Path, skip: Iterable[str] = ()) -> dict[str, os.stat_result]:
    """The files of :func:`walk`."""
    return walk(directory, skip)[0]


def stamp(directory: Path, skip: Iterable[str] = ()) -> str:
    """A digest of the names, types, sizes, mtimes and inodes of the files below
    ``directory`` and of the names of its directories (see :func:`walk`)."""
    files, dirs = walk(directory, skip)
    h = hashlib.sha256()
    for rel in sorted(files):
        st = files[rel]
        h.update(f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    for rel in sorted(dirs):
        h.update(f"{rel}/\n".encode())
    return h.hexdigest()


def _same(src: Path, src_st: os.stat_result, dst: Path, dst_st: os.stat_result) -> bool:
    if (src_st.st_dev, src_st.st_ino) == (dst_st.st_dev, dst_st.st_ino):
        return True
    if not stat.S_ISREG(dst_st.st_mode) or src_st.st_size != dst_st.st_size:
        return False
    return src.read_bytes() == dst.read_bytes()


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _place(src: str, dst: str, put: Callable[[str, str], None], exists: bool) -> None:
    """Put ``src`` at ``dst`` with ``put`` (link/copy or rename); through a temporary
    name and an atomic replace if ``dst`` exists."""
    if not exists:
        put(src, dst)
        return
    tmp = os.fspath(temp_name(Path(dst)))
    try:
        put(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def sync_tree(source: Path, dest: Path, *, move: bool = False, skip: Iterable[str] = ()) -> int:
    """Make ``dest`` hold exactly the files of ``source`` (apart from the top-level names
    in ``skip``, which are left alone); return how many files were put or removed.

    A file already right in ``dest`` (the same inode, or the same bytes) is kept;
    the others are hard-linked from ``source`` (copied across file systems) or,
    with ``move``, renamed out of it. :data:`LAST` is placed after every other
    file, and stale files are removed after that.
    """
    put = os.replace if move else _link_or_copy
    want, want_dirs = walk(source)
    have, have_dirs = walk(dest, skip)
    stale = sorted(set(have) - set(want))
    todo = [
        rel
        for rel, st in want.items()
        if rel not in have or not _same(source / rel, st, dest / rel, have[rel])
    ]
    if todo:
        os.makedirs(dest, exist_ok=True)
    made = have_dirs.copy()
    for rel in sorted(todo, key=lambda r: (r == LAST, r)):
        parent = rel.rpartition("/")[0]
        if parent and parent not in made:
            os.makedirs(os.path.join(dest, parent), exist_ok=True)
            made.add(parent)
        _place(os.path.join(source, rel), os.path.join(dest, rel), put, rel in have)
    for rel in stale:
        (dest / rel).unlink(missing_ok=True)
    stale_dirs = sorted(have_dirs - want_dirs, key=len, reverse=True)
    for rel in stale_dirs:  # deepest first; their files went above
        shutil.rmtree(dest / rel, ignore_errors=True)
    return len(todo) + len(stale) + len(stale_dirs)


def sync_files(directory: Path, files: dict[str, bytes]) -> int:
    """Make the flat ``directory`` hold exactly ``files`` (name → bytes); return how many
    files were written or removed."""
    directory.mkdir(parents=True, exist_ok=True)
    changes = sum(write_if_changed(directory / name, data) for name, data in files.items())
    for entry in list(os.scandir(directory)):
        if entry.name not in files:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            changes += 1
    return changes
