"""Stage 5, site: hand the rendered pages to the site builder (mkdocs-material).

``build_site(pages, corpus, root, out)`` writes the whole site atomically;
``serve`` previews it with live reload. Only this package knows about mkdocs.
"""

from __future__ import annotations

from .build import SiteBuildError, SiteStats, build_site

__all__ = ["SiteBuildError", "SiteStats", "build_site"]
