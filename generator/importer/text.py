"""Reading raw text and normalising it for matching.

Raw files are kept as copied; nothing here changes them. ``norm`` gives a
comparison key: markup removed, full-width forms folded to half-width
(NFKC), whitespace and quotation marks dropped, so that a label broken over
lines or printed with other punctuation still matches its definition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CN_NUM = "一二三四五六七八九十"
_MARKUP = re.compile(r"</?b>|</?strong>|\*\*|\[bookmark:[^\]]*\]", re.IGNORECASE)
_HEADING_HASHES = re.compile(r"^\s*#{1,6}\s+")
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_NUMBERING = re.compile(rf"^(?:[{CN_NUM}]+[、.]|\([{CN_NUM}]+\)[、.]?|\d+[.、)]|\(\d+\)|[①-⑳])+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Line:
    """One raw line: its 1-based number in the raw file and its text (or the part kept)."""

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not clean(self.text)


def read_lines(path: Path) -> list[Line]:
    """The lines of a raw text file, numbered from 1; undecodable bytes are replaced."""
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    return [Line(i, s) for i, s in enumerate(text.splitlines(), start=1)]


def strip_markup(s: str) -> str:
    """Remove HTML bold tags, Markdown emphasis and heading hashes, Word bookmarks."""
    return _HEADING_HASHES.sub("", _MARKUP.sub("", s))


def clean(s: str) -> str:
    """Text without markup and without surrounding whitespace (of any width)."""
    return strip_markup(s).strip(" \t\r\n\u3000\u00a0\u200b\ufeff")


def norm(s: str) -> str:
    """Comparison key: no markup, half-width, no whitespace, no quotation marks."""
    s = unicodedata.normalize("NFKC", strip_markup(s))
    return _SPACE.sub("", s).translate(_QUOTES)


def strip_numbering(key: str) -> str:
    """``(三)1.属于国家秘密`` -> ``属于国家秘密`` (on a ``norm`` key)."""
    return _NUMBERING.sub("", key)


def label_key(s: str) -> str:
    """Key for matching a printed row or column label against the format definition."""
    return strip_numbering(norm(s))


def has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def join_broken(a: str, b: str) -> str:
    """Join a cell or label broken over two lines: CJK text joins without a space."""
    a, b = a.rstrip(), b.strip()
    if not a or not b:
        return a or b
    if has_cjk(a[-1]) or has_cjk(b[0]):
        return a + b
    return f"{a} {b}"
