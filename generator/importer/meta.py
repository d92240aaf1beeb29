"""What a report says about itself: title, year, dates, file names, agency."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .text import Line, clean, norm

_FILE = re.compile(r"^(?:相关附件[:：]\s*)?(.{4,120}?)\.(pdf|docx?|wps|ofd|xlsx?)$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_FILE_DATE = re.compile(r"^(20\d{2})(\d{2})(\d{2})")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ANNOUNCE = re.compile(r"特(?:向社会)?公布(.{4,50}?报告)")
_PERIOD = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*[,，]?\s*(?:至|到|—|-)\s*"
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_AGENCY_END = ("局", "委", "委员会", "厅", "办公室", "院", "中心", "政府", "所")
_SENTENCE = re.compile(r"[。，,；;：:]")


@dataclass
class Meta:
    """Facts about one document, each with the lines it came from."""

    title: str = ""
    title_lines: list[int] = field(default_factory=list)
    year: int | None = None
    published: dt.date | None = None
    file_names: list[tuple[int, str]] = field(default_factory=list)
    period: tuple[dt.date, dt.date] | None = None


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def file_names(lines: list[Line]) -> list[tuple[int, str]]:
    """(line, file name) for lines that are only a file name (the page's attachments)."""
    out = []
    for line in lines:
        m = _FILE.match(clean(line.text))
        if m and not _SENTENCE.search(m.group(1)):
            out.append((line.no, f"{m.group(1).strip()}.{m.group(2)}"))
    return out


def title_block(lines: list[Line], stop: int) -> tuple[str, list[int]]:
    """The title printed at the top (one or two short lines ending in 报告), if any."""
    parts: list[tuple[int, str]] = []
    for line in lines[:stop]:
        text = clean(line.text.replace("|", " "))
        if not text:
            continue
        if _FILE.match(text) or len(text) > 60 or _SENTENCE.search(text):
            break
        parts.append((line.no, text))
        if "报告" in text:
            return "".join(t for _, t in parts), [n for n, _ in parts]
        if len(parts) >= 2 or not text.endswith(_AGENCY_END):
            break
    return "", []


def title_from_file(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    stem = _FILE_DATE.sub("", stem)
    return re.sub(r"[(（]定[)）]$", "", stem).strip()


def find_year(title: str, lines: list[Line]) -> int | None:
    """The year the title names; else the year the opening text names for the report."""
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    head = " ".join(clean(ln.text) for ln in lines[:6])
    for pattern in (r"(\d{4})\s*年度", r"现将\s*(\d{4})\s*年", r"自\s*(\d{4})\s*年1月1日"):
        m = re.search(pattern, head)
        if m:
            return int(m.group(1))
    m = _YEAR.search(head)
    return int(m.group(1)) if m else None


def published_on(line: Line) -> dt.date | None:
    """The date if ``line`` is only a date (a signature date)."""
    m = _DATE.match(clean(line.text))
    return _date(*m.groups()) if m else None


def find_published(lines: list[Line], names: list[tuple[int, str]]) -> dt.date | None:
    """A date printed on a line of its own (the signature), else a date prefix of a file name."""
    for line in reversed(lines):
        m = _DATE.match(clean(line.text))
        if m:
            return _date(*m.groups())
    for _, name in names:
        m = _FILE_DATE.match(name)
        if m:
            return _date(*m.groups())
    return None


def find_period(lines: list[Line]) -> tuple[dt.date, dt.date] | None:
    """The statistical period stated (统计期限自…起至…止), if stated."""
    for line in lines:
        text = clean(line.text)
        if not re.search(r"统计|期限|期间|时限", text):
            continue
        m = _PERIOD.search(text)
        if m:
            y1, m1, d1, y2, m2, d2 = m.groups()
            start, end = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
            if start and end and start <= end:
                return start, end
    return None


def announced_title(lines: list[Line]) -> str:
    """The report's name as the opening sentence announces it (特公布…报告)."""
    for line in lines[:3]:
        m = _ANNOUNCE.search(clean(line.text))
        if m and "以下简称" not in m.group(1) and "我局" not in m.group(1):
            return m.group(1)
    return ""


def read_meta(lines: list[Line], first_heading: int) -> Meta:
    """Everything ``Meta`` holds, from a document's lines."""
    meta = Meta(file_names=file_names(lines))
    meta.title, meta.title_lines = title_block(lines, first_heading)
    if not meta.title and meta.file_names:
        meta.title = title_from_file(meta.file_names[0][1])
    if not meta.title:
        meta.title = announced_title(lines)
    meta.year = find_year(meta.title, [ln for ln in lines if ln.no not in meta.title_lines])
    meta.published = find_published(lines, meta.file_names)
    meta.period = find_period(lines[: first_heading + 3] or lines)
    return meta


def agency_name_in(title: str) -> str:
    """The agency part of a title: 昌乐县卫生健康局 of 昌乐县卫生健康局2023年…报告."""
    m = re.match(r"^(.{2,30}?)\s*(?:19|20)\d{2}\s*年", norm(title))
    return m.group(1) if m else ""
