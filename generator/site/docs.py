"""Write pages into a docs directory for the site builder: front matter + body."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..pages import Page
from ..render.urls import blob_url, edit_url


def front_matter(page: Page) -> dict:
    """The page's front matter: title, description, hide, our links, its extra keys.

    mkdocs and its theme put ``title`` and ``description`` into the page as
    they are (in ``<title>``, the ``<h1>``, the navigation, a ``<meta content>``
    attribute), so they are HTML-escaped here: an agency name or report title
    like ``<b>&"'`` is text, never markup.
    """
    meta: dict = {"title": html.escape(page.title)}
    if page.description:
        meta["description"] = html.escape(page.description)
    if page.hide:
        meta["hide"] = list(page.hide)
    if page.markup == "html":
        meta["gk_markup"] = "html"
    if page.edit_path:
        meta["gk_edit"] = edit_url(page.edit_path)
    if page.raw_path:
        meta["gk_raw"] = blob_url(page.raw_path)
    meta.update({k: v for k, v in page.extra.items() if k not in meta})
    return meta


def page_source(page: Page, meta: dict | None = None) -> str:
    """The file mkdocs reads: YAML front matter (``meta``, default the page's), then the body."""
    fm = front_matter(page) if meta is None else meta
    text = yaml.safe_dump(fm, allow_unicode=True, sort_keys=True, width=10_000)
    return f"---\n{text}---\n\n{page.body}"


def write_docs(pages: Iterable[Page], docs_dir: Path, only_changed: bool = False) -> int:
    """Write every page under ``docs_dir``; returns how many files were written.

    With ``only_changed`` a file whose text is unchanged is left alone, so a
    watching server rebuilds only what changed.
    """
    written = 0
    for page in pages:
        target = docs_dir / page.path
        text = page_source(page)
        if only_changed and target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written += 1
    return written
