"""Typed contexts, one per page type: what each template may use, and nothing else.

Templates read these dataclasses only (``StrictUndefined`` makes any other
name an error). Every link in a context is already relative to its page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..records import Agency, Report


@dataclass(frozen=True)
class Link:
    """A relative link and its text."""

    href: str
    text: str


@dataclass(frozen=True)
class CellView:
    """A table cell ready to print: ``kind`` is number | blank | not_applicable | text."""

    kind: str
    text: str
    field: str = ""  # field path in the YAML, e.g. appeals.reconsideration.total

    @property
    def css(self) -> str:
        """CSS class: "" for a number (the common case, kept lean), else gk-blank | gk-na | gk-text."""
        return {"number": "", "blank": "gk-blank", "not_applicable": "gk-na"}.get(
            self.kind, "gk-text"
        )


@dataclass(frozen=True)
class HeadCell:
    """A header cell of a laid-out table (``scope`` col | colgroup | row | rowgroup)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    scope: str = "col"
    css: str = ""


@dataclass(frozen=True)
class BodyRow:
    """A body row: header cells on the left, then data cells."""

    code: str
    heads: tuple[HeadCell, ...]
    cells: tuple[CellView, ...]
    css: str = ""
    span_last: int = 1  # colspan of the last data cell (narrow groups of table 2)


@dataclass(frozen=True)
class RawLines:
    """Lines of a raw source text behind a table or section."""

    path: str
    start: int
    lines: tuple[str, ...]
    href: str  # the file on GitHub at those lines


@dataclass(frozen=True)
class TableView:
    """One official table laid out as the format prints it."""

    code: str
    heading: str
    caption: str
    head: tuple[tuple[HeadCell, ...], ...]
    body: tuple[BodyRow, ...]
    note: str
    fix_url: str  # prefilled 纠错 issue
    raw: RawLines | None = None
    wide: bool = False


@dataclass(frozen=True)
class TableBlock:
    """An official table on a report page: its code and its HTML (``official_table``'s)."""

    code: str
    html: Markup


@dataclass(frozen=True)
class SectionView:
    """A narrative section, its Markdown already rendered safely."""

    heading: str
    html: Markup
    anchor: str
    lines: str = ""


@dataclass(frozen=True)
class Flag:
    """A diagnostic as shown on a page."""

    severity: str
    check: str
    message: str
    path: str
    line: int
    href: str  # the line on GitHub


@dataclass(frozen=True)
class KeyFigures:
    """The figures an agency page shows per report."""

    received: CellView
    granted: CellView
    reconsideration: CellView
    litigation: CellView


@dataclass(frozen=True)
class ReportRow:
    """A report in a list (agency page, year page, home)."""

    report: Report
    href: str
    figures: KeyFigures
    agency_name: str
    agency_href: str = ""
    inherited: bool = False  # filed by a predecessor agency
    province: str = ""
    level: str = ""


@dataclass(frozen=True)
class StatRow:
    """A legacy figure or statistics-table row."""

    label: str
    unit: str
    cell: CellView
    lines: str = ""
    quote: str = ""


@dataclass(frozen=True)
class ReportContext:
    """The report page (agency × year)."""

    report: Report
    agency: Agency
    title: str
    format_name: str
    name_in_year: str
    breadcrumbs: tuple[Link, ...]
    preface: Markup
    blocks: tuple[SectionView | TableBlock, ...]
    figures: tuple[StatRow, ...]
    statistics: tuple[StatRow, ...]
    source_raw: Link | None
    source_url: str
    flags: tuple[Flag, ...]
    downloads: tuple[Link, ...]
    previous: Link | None
    next: Link | None
    fix_url: str
    agency_href: str
    outcomes: dict  # generator.requester.explainer.outcome_distribution
    outcomes_url: str
    citation: str  # GB/T 7714, pinned to the data version


@dataclass(frozen=True)
class ChartView:
    """An inline SVG chart with its accessible title."""

    title: str
    svg: Markup


@dataclass(frozen=True)
class AgencyContext:
    """The agency page."""

    agency: Agency
    breadcrumbs: tuple[Link, ...]
    level_name: str
    lineage: tuple[tuple[str, str, Link | None], ...]  # (name, years, link to predecessor)
    successor: Link | None
    rows: tuple[ReportRow, ...]
    charts: tuple[ChartView, ...]
    flags: tuple[Flag, ...]
    guide: tuple[tuple[str, str], ...]  # (label, value) summary of the guide
    guide_href: str
    edit_href: str
    apply_href: str
    outcomes: dict | None  # generator.requester.explainer.agency_outcome_distribution
    outcomes_url: str


@dataclass(frozen=True)
class RegionEntry:
    """A region with its agencies and sub-regions (recursive)."""

    name: str
    level: str
    anchor: str
    agencies: tuple[Link, ...]
    children: tuple[RegionEntry, ...] = ()
    count: int = 0


@dataclass(frozen=True)
class YearContext:
    """A year page: every report of the year, with totals."""

    year: int
    breadcrumbs: tuple[Link, ...]
    rows: tuple[ReportRow, ...]
    totals: KeyFigures
    counted: dict[str, int]  # how many reports gave a number for each figure
    by_province: tuple[tuple[str, KeyFigures, int], ...]
    previous: Link | None
    next: Link | None


@dataclass(frozen=True)
class QualityGroup:
    """The diagnostics of one check, by agency."""

    check: str
    severity: str
    count: int
    agencies: tuple[tuple[Link, tuple[Flag, ...]], ...]


@dataclass(frozen=True)
class HomeContext:
    """The home page."""

    counts: dict[str, int]
    recent: tuple[ReportRow, ...]
    provinces: tuple[Link, ...]
    years: tuple[Link, ...]
    requester_links: tuple[Link, ...]
    about_links: tuple[Link, ...]


@dataclass
class Site:
    """What every page source may know about the rest of the site."""

    known_urls: set[str] = field(default_factory=set)  # site URLs of pages that exist

    def has(self, url: str) -> bool:
        """True when some page renders at the site URL ``url``."""
        return url in self.known_urls


def diagnostics_flags(diagnostics: list[Diagnostic], href) -> tuple[Flag, ...]:  # type: ignore[no-untyped-def]
    """Diagnostics as flags; ``href(file, line)`` gives the GitHub link."""
    return tuple(
        Flag(d.severity, d.check, d.message, d.path, d.line, href(d.file, d.line))
        for d in diagnostics
    )
