"""What the package says about itself: name, data version, licences, citation.

The data version and its date come from the newest entry of
``CHANGELOG-DATA.md`` (``## 0.1.0 — 2026-11-23``), the one place a data
release is recorded; ``CITATION.cff`` repeats them (a test keeps them equal).
The date also stands in for every timestamp written (zip entries, workbook
properties), so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import REPO_ROOT

CHANGELOG = "CHANGELOG-DATA.md"
NAME = "gongkai"
TITLE = "公开：政府信息公开工作年度报告与指南数据集"
TITLE_EN = "gongkai: Chinese government information disclosure annual reports and guides"
DESCRIPTION = (
    "政府信息公开工作年度报告（机构 × 年度）中的表格与数字、政府信息公开指南中的申请渠道与救济途径，"
    "以及数据质量标记。每个数字照原文；空白、不适用和文字与数字区分，空白绝不写成 0。"
    " Tables and figures of Chinese government information disclosure annual reports "
    "(agency × year), the application channels and remedies of disclosure guides, and "
    "data-quality flags. Every number is as published; blank, not-applicable and text "
    "cells stay distinct from numbers, and a blank is never 0."
)
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CODE_LICENSE = "MIT"
AUTHOR = "gongkai 公开 contributors"
_ENTRY = re.compile(r"^## \[?(\d+\.\d+\.\d+)\]?\s*[—–-]+\s*(\d{4}-\d{2}-\d{2})", re.M)


@dataclass(frozen=True)
class Release:
    """A data release: its version and date."""

    version: str
    date: dt.date

    @property
    def timestamp(self) -> dt.datetime:
        return dt.datetime.combine(self.date, dt.time())

    def citation(self, title: str = TITLE, url: str = "") -> str:
        """GB/T 7714 style reference to a data set, pinned to the version."""
        where = f". {url}" if url else ""
        return f"{AUTHOR}. {title}[DS/OL]. 版本 {self.version}. {self.date.isoformat()}{where}."


def parse_release(text: str) -> Release:
    m = _ENTRY.search(text)
    if m is None:
        raise ValueError(f"{CHANGELOG}: no entry like '## 0.1.0 — 2026-11-23'")
    return Release(m.group(1), dt.date.fromisoformat(m.group(2)))


@cache
def current_release(root: Path = REPO_ROOT) -> Release:
    """The newest release in ``root/CHANGELOG-DATA.md`` (else the repository's)."""
    path = root / CHANGELOG
    if not path.is_file():
        path = REPO_ROOT / CHANGELOG
    return parse_release(path.read_text(encoding="utf-8"))
