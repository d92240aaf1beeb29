"""Synthetic corpora for benchmarks: any number of realistic reports, deterministic for a seed.

``synthesize(out, reports=N, seed=S)`` writes ``out/content/`` (agencies,
reports, guides, raw texts) with N reports:

* agencies spread over the 31 provinces and generated cities and counties,
  with GB/T 2260-shaped codes and the health agencies' lineage (renames, and
  sometimes a merged family-planning commission with its own reports);
* every format by year (legacy 2008–2018, gov2019 2019–2020, gov2021 2021+),
  with table values that pass every arithmetic check and carry over from
  year to year;
* narrative text of about 3,000 characters per report, composed from clauses
  of the real seed reports (``content/raw/seeds``).

Files are written agency by agency and nothing is kept in memory. The same
seed and N give the same bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..paths import CONTENT, REPO_ROOT
from .files import agency_yaml, guide_yaml
from .phrases import bank
from .plan import AgencyPlan, plans
from .report import compose

SEEDS = REPO_ROOT / CONTENT / "raw" / "seeds"
RAW_DIR = "raw/synth"
PROGRESS_EVERY = 1000


@dataclass
class Counts:
    agencies: int = 0
    reports: int = 0
    guides: int = 0
    bytes: int = 0


def _write(path: Path, text: str, counts: Counts) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    counts.bytes += len(data)


def _agency(plan: AgencyPlan, content: Path, seed: str, counts: Counts, progress) -> None:
    _write(content / "agencies" / f"{plan.id}.yaml", agency_yaml(plan), counts)
    counts.agencies += 1
    if plan.guide:
        _write(content / "guides" / f"{plan.id}.yaml", guide_yaml(plan), counts)
        counts.guides += 1
    (content / "reports" / plan.id).mkdir(exist_ok=True)
    (content / RAW_DIR / plan.id).mkdir(exist_ok=True)
    carry: dict[str, int] | None = None
    phrases = bank(SEEDS)
    for year in plan.years:
        raw_rel = f"{CONTENT}/{RAW_DIR}/{plan.id}/{year}.txt"
        report, raw, carry = compose(plan, year, phrases, seed, raw_rel, carry)
        _write(content / "reports" / plan.id / f"{year}.yaml", report, counts)
        _write(content / RAW_DIR / plan.id / f"{year}.txt", raw, counts)
        counts.reports += 1
        if counts.reports % PROGRESS_EVERY == 0:
            progress(counts)


def _prepare(out: Path) -> Path:
    content = out / CONTENT
    if content.exists():
        shutil.rmtree(content)
    for sub in ("agencies", "reports", "guides", RAW_DIR):
        (content / sub).mkdir(parents=True)
    pages = REPO_ROOT / CONTENT / "pages"
    if pages.is_dir():  # hand-written pages are part of every site
        shutil.copytree(pages, content / "pages")
    return content


def synthesize(
    out: Path, reports: int, seed: int = 0, progress: Callable[[Counts], None] = lambda c: None
) -> Counts:
    """Write a corpus of ``reports`` reports under ``out/content`` (replacing it)."""
    content = _prepare(out)
    counts = Counts()
    for plan in plans(str(seed), reports):
        _agency(plan, content, str(seed), counts, progress)
    return counts
