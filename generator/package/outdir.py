"""Writing into a directory that may hold the previous build: only what changed, atomically.

``OutDir`` knows the files of the previous build that the state recorded
(size, mtime, inode and a key of their contents). It trusts that record only
when the directory holds exactly those files with those stats; otherwise
every file is made and compared with what is there. Either way a file whose
bytes do not change is not touched (same inode, same mtime); a changed one
is written to a temporary file beside it and renamed over it (never opened
for writing: the directory may share inodes with a copy through hard
links); files of ours that the build no longer makes are removed.

Ours are: every file under ``reports/`` and the top-level files ending in
``OWNED_SUFFIXES`` but for ``NOT_OURS`` (plus leftover temporary files). Anything else in the
directory (say, the downloads page's own HTML) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..fsutil import same_bytes

Stat = tuple[int, int, int]  # size, mtime_ns, inode
Record = tuple[int, int, int, bytes]  # stat and the key of the contents
REPORTS = "reports"
OWNED_SUFFIXES = (".csv", ".json", ".xlsx", ".zip")
# Top-level files with those endings that another stage writes: the requester's offline
# zip of the site (``requester.offline``, made after the downloads).
NOT_OURS = frozenset({"gongkai-site.zip"})
TMP = ".tmp-"
_UMASK = os.umask(0)
os.umask(_UMASK)
MODE = 0o666 & ~_UMASK  # what open() would give a new file


def _stat(st: os.stat_result) -> Stat:
    return st.st_size, st.st_mtime_ns, st.st_ino


def scan(out_dir: Path) -> dict[str, Stat]:
    """Our files in ``out_dir`` (relative POSIX paths) with their stats."""
    found: dict[str, Stat] = {}
    try:
        top = list(os.scandir(out_dir))
    except FileNotFoundError:
        return found
    for entry in top:
        if entry.is_file(follow_symlinks=False) and (
            (entry.name.endswith(OWNED_SUFFIXES) and entry.name not in NOT_OURS)
            or entry.name.startswith(TMP)
        ):
            found[entry.name] = _stat(entry.stat(follow_symlinks=False))
    stack = [(os.path.join(out_dir, REPORTS), REPORTS)]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, name))
            else:
                found[name] = _stat(entry.stat(follow_symlinks=False))
    return found


def temp_file(folder: Path | str) -> tuple[int, str]:
    """A new temporary file in ``folder`` (made if missing), mode as ``open`` gives: (fd, path)."""
    try:
        fd, path = tempfile.mkstemp(prefix=TMP, dir=folder)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd, path = tempfile.mkstemp(prefix=TMP, dir=folder)
    os.fchmod(fd, MODE)
    return fd, path


def same_files(a: str, b: str) -> bool:
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if os.fstat(fa.fileno()).st_size != os.fstat(fb.fileno()).st_size:
                return False
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def replace_with(path: str, data: bytes) -> Stat:
    """Write ``data`` beside ``path`` and rename it over ``path``."""
    fd, tmp = temp_file(os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return _stat(os.stat(path))


def put_bytes(path: str, data: bytes, exists: bool) -> Stat:
    """``data`` into ``path``: left alone if already equal, else replaced (or created)."""
    if exists:
        if same_bytes(path, data):
            return _stat(os.stat(path))
        return replace_with(path, data)
    try:
        f = open(path, "xb")  # noqa: SIM115
    except FileNotFoundError:  # the folder's first file: one mkdir, not one per file
        os.makedirs(os.path.dirname(path), exist_ok=True)
        f = open(path, "xb")  # noqa: SIM115
    except FileExistsError:
        return put_bytes(path, data, True)
    with f:
        f.write(data)
    return _stat(os.stat(path))


class OutDir:
    """The output directory and what the previous build left there (``old``, when trusted)."""

    def __init__(self, path: Path, old: dict[str, Record] | None) -> None:
        self.path = path
        self.found = scan(path)
        self.trusted = (
            old is not None
            and len(old) == len(self.found)
            and all(self.found.get(rel) == rec[:3] for rel, rec in old.items())
        )
        self.old: dict[str, Record] = old if self.trusted and old is not None else {}
        self.files: dict[str, Record] = {}

    def keep(self, rel: str, key: bytes) -> bool:
        """True (and the file kept as it is) when ``rel`` already holds the contents ``key``."""
        old = self.old.get(rel)
        if old is not None and old[3] == key:
            self.files[rel] = old
            return True
        return False

    def record(self, rel: str, stat: Stat, key: bytes) -> None:
        self.files[rel] = (*stat, key)

    def put(self, rel: str, data: bytes, key: bytes) -> None:
        """``data`` (whose key is ``key``) into ``rel``, unless it is there already."""
        if not self.keep(rel, key):
            path = os.path.join(self.path, rel)
            self.record(rel, put_bytes(path, data, rel in self.found), key)

    def temp(self) -> tuple[int, str]:
        """A temporary file in the directory, for ``put_temp``."""
        return temp_file(self.path)

    def put_temp(self, rel: str, tmp: str, key: bytes) -> None:
        """The finished temporary file ``tmp`` becomes ``rel`` unless ``rel`` is the same."""
        path = os.path.join(self.path, rel)
        if self.keep(rel, key) or (rel in self.found and same_files(path, tmp)):
            os.unlink(tmp)
            if rel not in self.files:
                self.record(rel, _stat(os.stat(path)), key)
            return
        os.replace(tmp, path)
        self.record(rel, _stat(os.stat(path)), key)

    def written(self) -> list[str]:
        """The files this run made or replaced (their stat is not what was found), sorted."""
        return sorted(rel for rel, rec in self.files.items() if self.found.get(rel) != rec[:3])

    def finish(self) -> None:
        """Remove our files that this build did not make, and folders left empty."""
        gone = [rel for rel in self.found if rel not in self.files]
        for rel in gone:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.path, rel))
        for folder in sorted({os.path.dirname(rel) for rel in gone}, reverse=True):
            while folder.startswith(f"{REPORTS}/") or folder == REPORTS:
                try:
                    os.rmdir(os.path.join(self.path, folder))
                except OSError:
                    break
                folder = os.path.dirname(folder)
