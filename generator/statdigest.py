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
Remembered = tuple[int, int, int, int, bytes]  # size, mtime_ns, ctime_ns, inode, digest


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


class StatDigests:
    """SHA-256 digests of files below ``root``, by path, from ``known`` stats when unchanged.

    ``remembered`` holds what this run can hand to the next one: every file it
    digested, except those changed too recently to be trusted.
    """

    def __init__(self, root: Path, known: dict[str, Remembered] | None = None) -> None:
        self.root = os.fspath(root)
        self.known = known if isinstance(known, dict) else {}
        self.remembered: dict[str, Remembered] = {}

    def digest(self, rel: str) -> bytes | None:
        """The SHA-256 of ``root/rel``; None when it cannot be read."""
        path = os.path.join(self.root, rel)
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        settled = max(st.st_mtime_ns, st.st_ctime_ns) < START_NS - MARGIN_NS
        known = self.known.get(rel)
        if settled and known is not None and known[:4] == stamp:
            self.remembered[rel] = known
            return known[4]
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).digest()
        except OSError:
            return None
        if settled:
            self.remembered[rel] = (*stamp, digest)
        return digest
