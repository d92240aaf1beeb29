"""Sizes of a built site: the whole, and the report pages (``…/<agency-id>/<year>/index.html``)."""

from __future__ import annotations

import os
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

REPORT_PAGE = re.compile(r"(^|/)[0-9]{6}-[a-z0-9-]+/(19|20)[0-9]{2}/index\.html$")


@dataclass(frozen=True)
class SiteStats:
    files: int
    total_mb: float
    report_pages: int
    report_median_kb: float
    report_max_kb: float


def site_stats(site: Path) -> SiteStats:
    """Count files and bytes under ``site``; report pages by their path."""
    files, total, pages = 0, 0, []
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            size = path.stat().st_size
            files += 1
            total += size
            if REPORT_PAGE.search(path.relative_to(site).as_posix()):
                pages.append(size)
    return SiteStats(
        files,
        total / 1e6,
        len(pages),
        statistics.median(pages) / 1024 if pages else 0.0,
        max(pages) / 1024 if pages else 0.0,
    )
