"""Figures of one benchmark run: printed as a table and appended to RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure and, where there is one, the baseline's figure for the same thing."""

    name: str
    unit: str
    value: float | None  # None: not measured (the reason is in ``note``)
    baseline: float | None = None
    note: str = ""

    def ratio(self) -> str:
        if self.value is None or self.baseline in (None, 0):
            return ""
        return f"{self.value / self.baseline:.2f}×"


@dataclass
class Results:
    reports: int
    seed: int
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.figures.append(Figure(*args, **kwargs))


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _git(root: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(root: Path) -> str:
    """One line describing the machine, the software and the commit."""
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    dirty = " (+ uncommitted changes)" if _git(root, "status", "--porcelain") else ""
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"commit {_git(root, 'rev-parse', '--short', 'HEAD')}{dirty}"
    )


def table(results: Results) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| figure | gongkai | baseline | ratio | note |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for f in results.figures:
        lines.append(
            f"| {f.name} ({f.unit}) | {_num(f.value)} | {_num(f.baseline)} | {f.ratio()} | {f.note} |"
        )
    return "\n".join(lines)


def section(results: Results, root: Path) -> str:
    """The RESULTS.md section for one run."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = "".join(f"* {n}\n" for n in results.notes)
    return (
        f"\n## N = {results.reports:,} reports — {when}\n\n"
        f"Machine: {machine(root)}. Seed {results.seed}. "
        f"Command: `python -m benchmarks.run --reports {results.reports}"
        f"{' --baseline' if any(f.baseline is not None for f in results.figures) else ''}`.\n\n"
        f"{table(results)}\n\n{notes}"
    )


def append(results: Results, path: Path, root: Path) -> None:
    if not path.exists():
        path.write_text("# Benchmark results\n\nAppended by `python -m benchmarks.run`.\n")
    with open(path, "a", encoding="utf-8") as f:
        f.write(section(results, root))
