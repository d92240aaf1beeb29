"""Run a command and measure it: wall time, and peak memory of its whole process tree.

GNU time's "maximum resident set size" is the largest single process; a build
with parallel workers or a search indexer binary needs the sum over the
tree, so the tree's memory is sampled from /proc while it runs. The sum is of
each process's *proportional* set size (PSS, ``/proc/<pid>/smaps_rollup``):
pages that forked workers share with their parent are counted once, not once
per process as a sum of RSS would (RSS where PSS is not available). Both
figures are kept; the larger is reported.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Reading smaps_rollup walks a process's page tables: at 0.2 s the sampler took ~20% of a
# core during a 55,000-report build. Peaks (Pagefind writing a shard) last many seconds.
SAMPLE_SECONDS = 1.0
GNU_TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class Run:
    """The outcome of one measured command."""

    name: str
    seconds: float
    peak_tree_mb: float  # sampled sum of PSS over the process tree
    peak_process_mb: float  # largest single process (GNU time), 0 when unknown
    returncode: int
    log: Path
    peak_during: str = ""  # the command's last output line when the tree's peak was sampled

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def peak_mb(self) -> float:
        return max(self.peak_tree_mb, self.peak_process_mb)


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _memory_kb(pid: int) -> int:
    """Proportional set size of ``pid`` in KB (resident size if PSS cannot be read)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        m = re.search(r"^Pss:\s+(\d+)", rollup, re.M)
        if m:
            return int(m.group(1))
    except OSError:
        pass
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
    return int(m.group(1)) if m else 0


def tree_rss_kb(root: int) -> int:
    """Memory of ``root`` and all its descendants (summed PSS), in KB."""
    kids, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _memory_kb(pid)
        todo += kids.get(pid, [])
    return total


class _Sampler(threading.Thread):
    """Samples the tree's memory; notes how much of the log was written at the peak."""

    def __init__(self, pid: int, log: Path):
        super().__init__(daemon=True)
        self.pid, self.log, self.done = pid, log, threading.Event()
        self.peak_kb, self.log_bytes_at_peak = 0, 0

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            kb = tree_rss_kb(self.pid)
            if kb > self.peak_kb:
                self.peak_kb = kb
                with contextlib.suppress(OSError):
                    self.log_bytes_at_peak = self.log.stat().st_size

    def peak_during(self) -> str:
        """The last line the command had written when the peak was sampled (the stage
        under way then is the one after it)."""
        try:
            head = self.log.read_bytes()[: self.log_bytes_at_peak]
        except OSError:
            return ""
        lines = head.decode("utf-8", "replace").strip().splitlines()
        return lines[-1].strip() if lines else ""


def _gnu_peak_mb(path: Path) -> float:
    try:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", path.read_text())
    except OSError:
        return 0.0
    return int(m.group(1)) / 1024 if m else 0.0


def run(name: str, cmd: list[str], cwd: Path, logs: Path, env: dict | None = None) -> Run:
    """Run ``cmd`` in ``cwd``; its output goes to ``logs/<name>.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    timing = Path(tempfile.mkstemp(prefix="gnutime-")[1])
    full = [str(GNU_TIME), "-v", "-o", str(timing), *cmd] if GNU_TIME.exists() else cmd
    print(f"[bench] {name}: {' '.join(cmd)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        sampler = _Sampler(proc.pid, log)
        sampler.start()
        code = proc.wait()
        sampler.done.set()
    seconds = time.perf_counter() - started
    sampler.join()
    result = Run(
        name,
        seconds,
        sampler.peak_kb / 1024,
        _gnu_peak_mb(timing),
        code,
        log,
        sampler.peak_during(),
    )
    timing.unlink(missing_ok=True)
    state = "ok" if result.ok else f"FAILED ({code}), see {log}"
    print(f"[bench] {name}: {seconds:.1f} s, {result.peak_mb:.0f} MB, {state}", file=sys.stderr)
    return result
