"""For people who want to ask, and for volunteers filling gaps (issue 9).

``pages(corpus)`` returns every page of this package for the site stage:
a guide page and an application-letter page per agency, the outcome
explainer and the coverage overview and per-region matrices. ``write_assets(docs_dir)`` writes the CSS,
the scripts and the calendar data they load; ``write_offline_zip(site_dir)``
packs the requester toolkit of the built site; ``outcome_distribution`` feeds
``site_templates/requester/outcomes_partial.html.j2`` on report and agency
pages; ``data_version`` and the citation functions pin citations to the data.
"""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page
from . import coverage, explainer, guide_pages, guides_index, letter
from .assets import write_assets
from .citation import data_version, dataset_citation, report_citation
from .explainer import agency_outcome_distribution, outcome_distribution
from .offline import OFFLINE_ZIP, write_offline_zip

__all__ = [
    "OFFLINE_ZIP",
    "agency_outcome_distribution",
    "data_version",
    "dataset_citation",
    "outcome_distribution",
    "pages",
    "report_citation",
    "write_assets",
    "write_offline_zip",
]


def pages(corpus: Corpus) -> list[Page]:
    """The site-wide pages: the guides index, the explainer, coverage."""
    return [guides_index.guides_index(corpus), explainer.explainer_page(), *coverage.pages(corpus)]


def agency_page_paths(agency_id: str) -> list[str]:
    """The paths of :func:`agency_pages`, known before they are rendered (for links to them)."""
    return [guide_pages.guide_path(agency_id), guide_pages.apply_path(agency_id)]


def agency_pages(corpus: Corpus, agency_id: str) -> list[Page]:
    """The pages of one agency: its guide and its application letter."""
    return [guide_pages.guide_page(corpus, agency_id), letter.letter_page(corpus, agency_id)]
