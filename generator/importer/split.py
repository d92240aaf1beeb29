"""Split a whole-website scrape into documents at page noise.

A page copied from an agency site carries the site's furniture around each
document: the font-size switch (``字号:`` then ``大 中 小``), the QR prompt
(``扫码使用手机浏览本页内容``), print/close links, empty table remnants. A
run of such lines ends one document and starts the next. The furniture is
placed as noise (listed in the summary), never silently dropped; text that
shares a line with it (``大 中 小聊城市…报告.pdf``) stays in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line, clean, norm

_SIZE_SWITCH = re.compile(r"^\s*大\s*中\s*小\s*")
_BOUNDARY = re.compile(r"^(?:字号[:：]?|扫码使用手机浏览本页内容|扫一扫在手机打开当前页)$")
_INLINE = re.compile(r"^(?:【?打印(?:本页)?】?|【?关闭(?:窗口)?】?|分享到[:：]?|返回顶部)$")
_QR = "扫码使用手机浏览本页内容"


@dataclass
class Split:
    """Documents (runs of lines between noise) and the noise lines themselves."""

    documents: list[list[Line]] = field(default_factory=list)
    noise: list[Line] = field(default_factory=list)


def _boundary(line: Line) -> tuple[Line | None, bool]:
    """(content left on the line or None, whether the line is page furniture)."""
    text = line.text
    noisy = False
    m = _SIZE_SWITCH.match(text)
    if m:
        text, noisy = text[m.end() :], True
    if _QR in text:
        text, noisy = text.replace(_QR, ""), True
    stripped = clean(text)
    if _BOUNDARY.match(stripped):
        return None, True
    if noisy and not stripped:
        return None, True
    return (Line(line.no, text), noisy) if noisy else (line, False)


def is_inline_noise(line: Line) -> bool:
    """Furniture inside a document: print/close links, a table row of only pipes."""
    stripped = clean(line.text)
    return bool(_INLINE.match(stripped)) or is_pipe_noise(line)


def split_documents(lines: list[Line]) -> Split:
    """Cut ``lines`` into documents at page furniture; furniture goes to ``noise``."""
    out = Split()
    current: list[Line] = []

    def close() -> None:
        body = [ln for ln in current if not ln.blank]
        if body:
            out.documents.append(list(current))
        current.clear()

    for line in lines:
        kept, noisy = _boundary(line)
        if noisy:
            out.noise.append(line)
            close()
            if kept is not None:
                current.append(kept)
        elif is_inline_noise(line):
            out.noise.append(line)
        else:
            current.append(line)
    close()
    return out


def is_pipe_noise(line: Line) -> bool:
    """A line of only table pipes (an empty table copied from a page)."""
    return bool(line.text.strip()) and not norm(line.text).strip("|")
