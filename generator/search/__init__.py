"""Chinese search for the static site: bigram tokens indexed with Pagefind, sharded.

The site build calls :func:`index_site` after the site builder has written the
site. :func:`expected_count` tells tests how many pages a query must find.
"""

from __future__ import annotations

from .ahead import Prefetch, start_indexing
from .expected import count_matching, expected_count, site_page_texts
from .index import IndexStats, index_site
from .page import pages
from .tokens import matches, query_parts, tokens

__all__ = [
    "IndexStats",
    "Prefetch",
    "count_matching",
    "expected_count",
    "index_site",
    "matches",
    "pages",
    "query_parts",
    "site_page_texts",
    "start_indexing",
    "tokens",
]
