"""Stage 3, model: the loaded records tied together.

Agencies with their lineage (a report filed under an old name or by a merged
predecessor shows on the current agency's page), reports by agency and year,
guides, the region tree, and the diagnostics of each file. Everything later
(render, package) reads a ``Corpus`` and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .diagnostics import Diagnostic, sort_key
from .load import Content
from .records import Agency, Guide, Report

LEVEL_NAMES = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级"}


@dataclass(frozen=True)
class RegionNode:
    """A province, city or county with the agencies directly in it."""

    name: str
    level: str  # province | city | county
    path: tuple[str, ...]  # names from the province down
    agencies: tuple[str, ...]
    children: tuple[RegionNode, ...] = ()

    def all_agencies(self) -> tuple[str, ...]:
        out = list(self.agencies)
        for child in self.children:
            out += child.all_agencies()
        return tuple(out)


@dataclass
class Corpus:
    """The whole dataset, cross-linked."""

    agencies: dict[str, Agency]
    reports: dict[str, Report]
    guides: dict[str, Guide]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # report id -> digests of its long sentences, when the loader made them (for validate)
    sentences: dict[str, bytes] = field(default_factory=dict, repr=False)
    # content file -> SHA-256 (hex) of its bytes, from the loader: the site build keys
    # the pages of unchanged files on it (empty for a corpus not loaded from files)
    digests: dict[str, str] = field(default_factory=dict, repr=False)

    @cached_property
    def _reports_by_agency(self) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = defaultdict(list)
        for report in self.reports.values():
            out[report.agency].append(report)
        for reports in out.values():
            reports.sort(key=lambda r: r.year)
        return out

    @cached_property
    def _successors(self) -> dict[str, str]:
        """Predecessor agency id -> the agency that absorbed it."""
        return {
            entry.agency: agency.id
            for agency in self.agencies.values()
            for entry in agency.lineage
            if entry.agency
        }

    @cached_property
    def _diagnostics_by_file(self) -> dict[str, list[Diagnostic]]:
        out: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in sorted(self.diagnostics, key=sort_key):
            out[d.file].append(d)
        return out

    def reports_of(self, agency_id: str) -> list[Report]:
        """The agency's own reports, oldest first."""
        return list(self._reports_by_agency.get(agency_id, ()))

    def history_of(self, agency_id: str) -> list[Report]:
        """Own reports and those of merged predecessors, oldest first."""
        out = self.reports_of(agency_id)
        for pred in self.predecessors(agency_id):
            out += self.history_of(pred)
        return sorted(out, key=lambda r: (r.year, r.agency != agency_id, r.agency))

    def predecessors(self, agency_id: str) -> list[str]:
        agency = self.agencies.get(agency_id)
        if agency is None:
            return []
        return [e.agency for e in agency.lineage if e.agency and e.agency in self.agencies]

    def successor(self, agency_id: str) -> str | None:
        return self._successors.get(agency_id)

    def current_agency(self, agency_id: str) -> str:
        """Follow successors to the agency that exists today."""
        seen = {agency_id}
        while (nxt := self.successor(agency_id)) and nxt not in seen:
            seen.add(nxt)
            agency_id = nxt
        return agency_id

    def neighbours(self, report: Report) -> tuple[Report | None, Report | None]:
        """(previous year, next year) reports of the same agency."""
        own = self.reports_of(report.agency)
        i = next(i for i, r in enumerate(own) if r.id == report.id)
        return (own[i - 1] if i > 0 else None, own[i + 1] if i + 1 < len(own) else None)

    def report(self, agency_id: str, year: int) -> Report | None:
        return self.reports.get(f"{agency_id}/{year}")

    def name_in(self, agency_id: str, year: int) -> str:
        """The name the agency had in ``year`` (from its lineage), else its current name."""
        agency = self.agencies[agency_id]
        for entry in agency.lineage:
            if entry.relation != "renamed":
                continue
            lo, hi = entry.from_year or 0, entry.to_year or 9999
            if lo <= year <= hi:
                return entry.name
        return agency.name

    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports.values()})

    @cached_property
    def _reports_by_year(self) -> dict[int, list[Report]]:
        out: dict[int, list[Report]] = defaultdict(list)
        for report in sorted(self.reports.values(), key=lambda r: r.agency):
            out[report.year].append(report)
        return out

    def reports_in(self, year: int) -> list[Report]:
        """Every report on ``year``, by agency id."""
        return list(self._reports_by_year.get(year, ()))

    def diagnostics_for(self, file: str) -> list[Diagnostic]:
        return list(self._diagnostics_by_file.get(file, ()))

    def agency_diagnostics(self, agency_id: str) -> list[Diagnostic]:
        """Diagnostics of the agency's file, its guide and its reports."""
        files = [self.agencies[agency_id].file] if agency_id in self.agencies else []
        if agency_id in self.guides:
            files.append(self.guides[agency_id].file)
        files += [r.file for r in self.reports_of(agency_id)]
        return [d for f in files for d in self.diagnostics_for(f)]

    @cached_property
    def regions(self) -> tuple[RegionNode, ...]:
        """Province -> city -> county tree of agencies, sorted by division code."""
        return _region_tree(self.agencies.values())


def _region_tree(agencies) -> tuple[RegionNode, ...]:
    tree: dict = {}
    for a in sorted(agencies, key=lambda a: (a.division_code, a.id)):
        node = tree.setdefault(a.province, {"_": [], "_code": a.division_code[:2]})
        for name in (a.city, a.county):
            if not name:
                break
            node = node.setdefault(name, {"_": []})
        node["_"].append(a.id)
    levels = ("province", "city", "county")

    def build(name: str, d: dict, depth: int, path: tuple[str, ...]) -> RegionNode:
        kids = tuple(
            build(k, v, depth + 1, (*path, k)) for k, v in d.items() if not k.startswith("_")
        )
        return RegionNode(name, levels[min(depth, 2)], path, tuple(d["_"]), kids)

    return tuple(build(k, v, 0, (k,)) for k, v in tree.items())


def build_corpus(content: Content, diagnostics: list[Diagnostic] | None = None) -> Corpus:
    """Tie loaded content into a corpus; ``diagnostics`` default to the loader's."""
    diags = diagnostics if diagnostics is not None else content.diagnostics
    return Corpus(
        dict(content.agencies),
        dict(content.reports),
        dict(content.guides),
        list(diags),
        digests=dict(content.digests),
    )
