"""Volunteer Markdown (narrative sections) rendered safely.

markdown-it-py's ``js-default`` preset: raw HTML is off (``<script>`` is shown
as text), links are allowed only to http(s), mailto and relative targets, and
images are off altogether (an image would load from a third party).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
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


def render_markdown(text: str) -> Markup:
    """HTML for volunteer Markdown; raw HTML and unsafe links come out inert."""
    return Markup(_parser().render(text or ""))
