"""Digests of files remembered with their stat, as git's index remembers them.

A file's size, mtime, ctime and inode stand for its bytes: a file whose stat
is the one remembered is not read again. A file changed less than
``MARGIN_NS`` before this process started (or since) is read every time and
not remembered, since an edit within the file system's time resolution could
leave its stat unchanged. What is remembered must be kept where nobody else
can forge it (the signed site state, ``site/state.py``).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

MARGIN_NS = 2_000_000_000
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Remembered = tuple[int, int, int, int, bytes]  # the stamp, then the digest


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


def stamp_of(st: os.stat_result) -> Stamp:
    """What stands for a file's bytes: its size, mtime, ctime and inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def settled(st: os.stat_result, before_ns: int) -> bool:
    """Whether the file last changed more than ``MARGIN_NS`` before ``before_ns``: a later
    change will then show in its stamp."""
    return max(st.st_mtime_ns, st.st_ctime_ns) < before_ns - MARGIN_NS


def current_stamp(path: str | os.PathLike) -> Stamp | None:
    """The stamp of ``path`` now; None when it cannot be read."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


def settled_stamp(path: str | os.PathLike) -> Stamp | None:
    """The stamp of ``path``, or None: missing, or changed too recently to be trusted."""
    now = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stamp_of(st) if settled(st, now) else None


class StatDigests:
    """SHA-256 digests of files below ``root``, by path, from ``known`` stats when unchanged.

    ``remembered`` holds what this run can hand to the next one: every file it
    digested, except those changed too recently to be trusted. A file is digested
    once per run, however often it is asked for.
    """

    def __init__(self, root: Path, known: dict[str, Remembered] | None = None) -> None:
        self.root = os.fspath(root)
        self.known = known if isinstance(known, dict) else {}
        self.remembered: dict[str, Remembered] = {}
        self._done: dict[str, bytes | None] = {}

    def digest(self, rel: str) -> bytes | None:
        """The SHA-256 of ``root/rel``; None when it cannot be read."""
        if rel not in self._done:
            self._done[rel] = self._digest(rel)
        return self._done[rel]

    def _digest(self, rel: str) -> bytes | None:
        path = os.path.join(self.root, rel)
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = stamp_of(st)
        trusted = settled(st, START_NS)
        known = self.known.get(rel)
        if trusted and known is not None and known[:4] == stamp:
            self.remembered[rel] = known
            return known[4]
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).digest()
        except OSError:
            return None
        if trusted:
            self.remembered[rel] = (*stamp, digest)
        return digest
