"""Fast paths of shared render helpers equal their plain definitions: html_text (a page's
indexed text) and rel (relative links)."""

from __future__ import annotations

import html
import posixpath
import random
import re

from generator.render import collect_pages
from generator.render.common import NOINDEX, html_text
from generator.render.urls import rel

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def by_regex(body: str) -> str:
    """The definition: noindex regions out, tags out, entities decoded, white space squeezed."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", NOINDEX.sub(" ", body)))).strip()


CASES = [
    "",
    "  ",
    "<p>a</p>\n<p>b &amp; c</p>",
    "x<!--gk-noindex--><td>1</td><!--/gk-noindex-->y",
    "x<!--gk-noindex-->a<!--/gk-noindex-->b<!--gk-noindex-->c<!--/gk-noindex-->d",
    "x<!--gk-noindex-->unclosed <b>bold</b>",
    "x<!--/gk-noindex-->y<!--gk-noindex-->z",
    "<!--gk-noindex--><!--gk-noindex-->a<!--/gk-noindex-->b<!--/gk-noindex-->",
    "a\u3000b\u00a0c\x1cd\x85e\tf\r\ng",
    "&lt;p&gt; &#12288; &nbsp;x",
]


def test_cases_equal_the_definition() -> None:
    for body in CASES:
        assert html_text(body) == by_regex(body), repr(body)


def test_random_bodies_equal_the_definition() -> None:
    pieces = ["<!--gk-noindex-->", "<!--/gk-noindex-->", "<p>", "</td>", "<", ">", "a", "中"]
    pieces += [" ", "\n", "\u3000", "&amp;", "&#32;", "&nbsp;", "\u00a0"]
    rng = random.Random(5)
    for _ in range(5000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert html_text(body) == by_regex(body), repr(body)


def test_every_page_of_the_repository_equals_the_definition(repo) -> None:  # type: ignore[no-untyped-def]
    from generator.commands.package import load_corpus

    pages = [p for p in collect_pages(load_corpus(repo), repo) if p.markup == "html"]
    assert len(pages) > 20
    for page in pages:
        assert html_text(page.body) == by_regex(page.body), page.path


def rel_by_relpath(from_url: str, to: str) -> str:
    """rel's definition: posixpath.relpath between the two as absolute paths."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    fragment = ""
    if "#" in to:
        to, fragment = to.split("#", 1)
        fragment = "#" + fragment
    out = posixpath.relpath("/" + to, "/" + base)
    if (to.endswith("/") or not to) and not out.endswith("/"):
        out += "/"
    return ("./" if out == "./" else out) + fragment


def test_rel_equals_relpath() -> None:
    segments = ["a", "b", "agencies", "2023", ".", "..", "", "x.csv", "a#f", "#top"]
    rng = random.Random(3)

    def url() -> str:
        return "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4)))

    for _ in range(20000):
        here, to = url(), url()
        assert rel(here, to) == rel_by_relpath(here, to), (here, to)
    assert rel("agencies/a/2023/", "agencies/a/") == "../"
    assert rel("agencies/a/2023/", "") == "../../../"
    assert rel("agencies/a/", "agencies/a/") == "./"
    assert rel("", "regions/11/") == "regions/11/"
