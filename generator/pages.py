"""The contract between the stages that make pages and the stage that builds the site.

Every feature that puts something on the site (agency and report pages,
guides, the downloads page, coverage, …) provides a function
``pages(corpus) -> Iterable[Page]``. The site stage collects them, writes
them for the site builder and hands every ``SearchRecord`` to the search
indexer. Nothing here depends on mkdocs: moving to another site builder is
the site stage's business alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchRecord:
    """What the search index holds for one page, and what a result shows."""

    url: str  # site-relative URL of the page, e.g. "agencies/371500-wjw/2023/"
    title: str  # readable title shown in results
    excerpt: str  # readable summary shown in results (plain text)
    text: str  # plain text to index (Chinese), including former names and aliases
    kind: str  # agency | report | guide | page
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # year, province, level


@dataclass(frozen=True)
class Page:
    """One generated page of the site."""

    path: str  # source path under the docs dir, e.g. "agencies/371500-wjw/2023.md"
    title: str
    body: str  # finished content: HTML (rendered by our Jinja2 templates) or Markdown
    edit_path: str = ""  # repository path of the YAML behind the page ("在 GitHub 上修改此页")
    raw_path: str = ""  # repository path of the raw source text, if any
    nav: tuple[str, ...] | None = None  # position in the global navigation; None: not in nav
    search: SearchRecord | None = None
    description: str = ""  # <meta name="description">
    hide: tuple[str, ...] = ()  # mkdocs-material front matter `hide` (navigation, toc, …)
    extra: dict = field(default_factory=dict)  # further front matter for theme overrides
    markup: str = "markdown"  # "html": body is finished HTML, handed to the theme unparsed
