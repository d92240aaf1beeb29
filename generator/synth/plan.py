"""Which agencies a synthetic corpus has, under which names, with reports for which years.

Health agencies were reorganised twice (SPEC §3.1): 卫生局 (and a separate
人口和计划生育委员会) until about 2013, 卫生和计划生育委员会 2014–2018,
卫生健康委员会/卫生健康局 since 2019. Every synthetic agency carries that
lineage; some have a merged family-planning predecessor with its own file
and its own early reports.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from .places import Place, places

FIRST_YEAR, LAST_YEAR = 2008, 2024
FULL_SPAN_SHARE = 0.65  # agencies whose reports cover every year
PREDECESSOR_SHARE = 0.12  # agencies with a merged predecessor that has its own file
GUIDE_SHARE = 0.5  # agencies with a collected disclosure guide
RENAMES = ((2008, 2013, "卫生"), (2014, 2018, "卫生和计划生育"))
MERGED_UNTIL = 2013


@dataclass(frozen=True)
class LineageStep:
    name: str
    relation: str  # renamed | merged
    from_year: int | None
    to_year: int
    agency: str = ""


@dataclass(frozen=True)
class AgencyPlan:
    """One synthetic agency: where, its names over time, its report years."""

    id: str
    place: Place
    name: str
    short_name: str
    years: tuple[int, ...]
    lineage: tuple[LineageStep, ...] = ()
    guide: bool = False
    dissolved: int | None = None
    scale: float = 5.0  # mean yearly applications from natural persons

    def name_in(self, year: int) -> str:
        """The name the agency had in ``year``."""
        for step in self.lineage:
            if step.relation == "renamed" and (step.from_year or 0) <= year <= step.to_year:
                return step.name
        return self.name


def _office(place: Place, stem: str) -> str:
    """委员会 for provinces and cities, 局 for counties."""
    return f"{place.name}{stem}{'局' if place.level == 'county' else '委员会'}"


def _short(place: Place) -> str:
    return f"{place.short}卫健{'局' if place.level == 'county' else '委'}"


def _years(rng: random.Random) -> tuple[int, ...]:
    if rng.random() < FULL_SPAN_SHARE:
        return tuple(range(FIRST_YEAR, LAST_YEAR + 1))
    return tuple(range(rng.randint(FIRST_YEAR + 1, LAST_YEAR - 2), LAST_YEAR + 1))


def _scale(rng: random.Random, place: Place) -> float:
    base = {"province": 40.0, "city": 12.0, "county": 4.0}[place.level]
    return base * rng.uniform(0.3, 2.0)


def predecessor(place: Place, rng: random.Random) -> AgencyPlan:
    """The merged family-planning commission, with reports until it was merged."""
    return AgencyPlan(
        id=f"{place.code}-rkjsw",
        place=place,
        name=f"{place.name}人口和计划生育委员会",
        short_name=f"{place.short}计生委",
        years=tuple(range(FIRST_YEAR, MERGED_UNTIL + 1)),
        dissolved=MERGED_UNTIL + 1,
        scale=_scale(rng, place) / 4,
    )


def agency(seed: str, place: Place) -> tuple[AgencyPlan, AgencyPlan | None]:
    """The health agency of ``place`` and, sometimes, its merged predecessor."""
    rng = random.Random(f"{seed}:agency:{place.code}")
    years = _years(rng)
    pred = None
    if years[0] == FIRST_YEAR and place.level != "province" and rng.random() < PREDECESSOR_SHARE:
        pred = predecessor(place, rng)
    steps = [LineageStep(_office(place, stem), "renamed", lo, hi) for lo, hi, stem in RENAMES]
    if pred:
        steps.insert(1, LineageStep(pred.name, "merged", None, MERGED_UNTIL, pred.id))
    key = "wjj" if place.level == "county" else "wjw"
    plan = AgencyPlan(
        id=f"{place.code}-{key}",
        place=place,
        name=_office(place, "卫生健康"),
        short_name=_short(place),
        years=years,
        lineage=tuple(steps),
        guide=rng.random() < GUIDE_SHARE,
        scale=_scale(rng, place),
    )
    return plan, pred


def _truncate(plan: AgencyPlan, keep: int) -> AgencyPlan:
    """The plan with only its latest ``keep`` years (to hit an exact report count)."""
    return AgencyPlan(**{**plan.__dict__, "years": plan.years[-keep:]})


def _without(plan: AgencyPlan, agency_id: str) -> AgencyPlan:
    """The plan without the lineage step that names ``agency_id``."""
    lineage = tuple(s for s in plan.lineage if s.agency != agency_id)
    return AgencyPlan(**{**plan.__dict__, "lineage": lineage})


def plans(seed: str, reports: int) -> Iterator[AgencyPlan]:
    """Agencies (predecessors first) until their reports add up to exactly ``reports``."""
    left = reports
    for place in places(seed):
        if left <= 0:
            return
        main, pred = agency(seed, place)
        if pred and len(pred.years) >= left:  # no room for the predecessor's reports
            main, pred = _without(main, pred.id), None
        for plan in (pred, main) if pred else (main,):
            plan = plan if len(plan.years) <= left else _truncate(plan, left)
            left -= len(plan.years)
            yield plan
