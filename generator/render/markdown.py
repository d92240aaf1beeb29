"""Volunteer Markdown (narrative sections) rendered safely.

markdown-it-py's ``js-default`` preset: raw HTML is off (``<script>`` is shown
as text), links are allowed only to http(s), mailto and relative targets, and
images are off altogether (an image would load from a third party).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(url: str) -> bool:
    """True for http(s), mailto and relative links; false for javascript:, data: and the rest."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    m = _SCHEME.match(cleaned)
    return m is None or m.group(1).lower() in ALLOWED_SCHEMES


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = safe_link

    def link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        tokens[idx].attrSet("rel", "nofollow noopener")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


# Text that cannot hold Markdown syntax: none of the ASCII characters that mean
# something anywhere in a line; no line starting with a block marker (- + = #), an
# ordered-list number ("1." "2)") or white space (indented code), or ending with
# white space (hard breaks). ":" "%" "!" "(" mean nothing without "[" or "<".
# Checked as one character-class search and then line by line: a single
# multi-line pattern with "^" and "$" alternatives tries every position (5x slower).
_MARKS = re.compile(r"[\\`*_\[\]<>&~|\t\r\f\v\x00]")
_LINE_START = re.compile(r"[-+=#]|\d+[.)]|\s")  # matched at the start of a line
_BLANK_LINES = re.compile(r"\n\n+")


def may_have_syntax(text: str) -> bool:
    """True if ``text`` (without leading or trailing newlines) may hold Markdown syntax."""
    if _MARKS.search(text):
        return True
    return any(
        line and (_LINE_START.match(line) or line[-1].isspace()) for line in text.split("\n")
    )


def plain_paragraphs(text: str) -> str | None:
    """markdown-it's HTML for text without any Markdown syntax, or None if it may have some.

    Narrative sections are mostly plain Chinese paragraphs; parsing them
    character by character was a third of the render time. The result is
    byte-identical to the parser's (tests compare both on every narrative).
    """
    text = text.strip("\n")
    if may_have_syntax(text):
        return None
    return "".join(f"<p>{escapeHtml(p)}</p>\n" for p in _BLANK_LINES.split(text) if p)


def render_markdown(text: str) -> Markup:
    """HTML for volunteer Markdown; raw HTML and unsafe links come out inert."""
    text = text or ""
    fast = plain_paragraphs(text)
    return Markup(fast if fast is not None else _parser().render(text))
