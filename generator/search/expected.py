"""Ground truth for search tests: how many pages a query must find.

A page is found exactly when its text contains the query (every run of word
characters of the normalized query is a substring of the normalized page
text; :func:`generator.search.tokens.matches`). Tests compare the count the
browser shows with these counts.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

from .canonical import DCD
from .tokens import matches


def count_matching(texts: Iterable[str], term: str) -> int:
    """How many of ``texts`` contain ``term`` (normalized substring semantics)."""
    return sum(1 for text in texts if matches(text, term))


def indexed_urls(site_dir: Path) -> list[str]:
    """Site-relative URLs of every page in the search index (read from the fragments)."""
    urls = []
    for fragment in sorted(Path(site_dir).glob("pagefind*/fragment/*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        if raw.startswith(DCD):
            urls.append(json.loads(raw[len(DCD) :])["url"])
    return sorted(urls)


def page_text(html_file: Path, xpath: str = "//article") -> str:
    """Visible text of a built page's main content (the first ``xpath`` match, else body),
    less the regions the page marks as not indexed (``render.common.NOINDEX``)."""
    import lxml.html

    from ..render.common import NOINDEX

    root = lxml.html.fromstring(NOINDEX.sub(" ", html_file.read_text(encoding="utf-8")))
    for bad in root.xpath("//script|//style|//template"):
        bad.drop_tree()
    found = root.xpath(xpath) or root.xpath("//body") or [root]
    return found[0].text_content()


def site_page_texts(site_dir: Path, xpath: str = "//article") -> dict[str, str]:
    """URL → main-content text of every indexed page of a built site."""
    site_dir = Path(site_dir)
    out = {}
    for url in indexed_urls(site_dir):
        path = site_dir / url.lstrip("/")
        html = path / "index.html" if url.endswith("/") or path.is_dir() else path
        if html.exists():
            out[url] = page_text(html, xpath)
    return out


def expected_count(site_dir: Path, term: str, xpath: str = "//article") -> int:
    """Indexed pages of the built site whose main-content text contains ``term``.

    The search must show exactly this many results for ``term``. Pages are the
    ones in the index; their text is the built HTML's ``<article>`` (the
    mkdocs-material content area), so a page whose search text and visible
    text disagree shows up as a mismatch.
    """
    return count_matching(site_page_texts(site_dir, xpath).values(), term)
