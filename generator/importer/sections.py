"""Numbered section headings of a report and the narrative between them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..formats import Format
from .layouts import line_kind
from .text import CN_NUM, Line, clean, norm

_HEADING = re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、.．]\s*(\S.*)$")
MAX_HEADING = 60


def cn_number(s: str) -> int:
    """一 -> 1, 十一 -> 11, 二十 -> 20 (for section numbers)."""
    digits = {c: i + 1 for i, c in enumerate(CN_NUM)}
    if "十" not in s:
        return digits.get(s, 0)
    tens, _, ones = s.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


@dataclass
class Heading:
    """A section heading: its index in the document's lines, text and format code."""

    at: int
    line: int
    text: str
    number: int
    code: str = ""  # section code of the format (overview, requests, ...)


def _candidate(line: Line) -> tuple[int, str] | None:
    if line_kind(line.text) != "text":
        return None
    text = clean(line.text)
    m = _HEADING.match(text)
    if m and len(text) <= MAX_HEADING:
        return cn_number(m.group(1)), m.group(2)
    return None


def _similar(a: str, headings: tuple[str, ...]) -> float:
    key = norm(a)
    return max(
        1.0 if norm(h) in key else difflib.SequenceMatcher(None, key, norm(h)).ratio()
        for h in headings
    )


def gov_headings(lines: list[Line], fmt: Format) -> list[Heading]:
    """Headings of the format's sections, in order (a later section never comes first)."""
    out: list[Heading] = []
    nxt = 0
    for i, line in enumerate(lines):
        cand = _candidate(line)
        text = clean(line.text)
        for j in range(nxt, len(fmt.sections)):
            sec = fmt.sections[j]
            if cand and cand[0] == j + 1 and _similar(cand[1], sec.headings) >= 0.45:
                hit = True
            elif line_kind(line.text) == "text" and len(text) <= MAX_HEADING:
                bare = norm(re.sub(rf"^[{CN_NUM}]+\s*[、.．]\s*", "", text))
                hit = bare in {norm(h) for h in sec.headings}
            else:
                hit = False
            if hit:
                out.append(Heading(i, line.no, text, j + 1, sec.code))
                nxt = j + 1
                break
    return out


def legacy_headings(lines: list[Line]) -> list[Heading]:
    """Numbered headings 一、二、… on lines of their own, numbers increasing."""
    out: list[Heading] = []
    last = 0
    for i, line in enumerate(lines):
        cand = _candidate(line)
        if cand and last < cand[0] <= last + 3:
            out.append(Heading(i, line.no, clean(line.text), cand[0]))
            last = cand[0]
    return out


def narrative(lines: list[Line]) -> str:
    """Text of narrative lines as printed: markup-free edges, one blank line at most."""
    out: list[str] = []
    for line in lines:
        text = clean(line.text)
        if text:
            out.append(text)
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
