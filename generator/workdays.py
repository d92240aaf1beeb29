"""Chinese working days: statutory holidays and make-up working days (调休).

The tables come from the ``chinesecalendar`` package, which publishes the State
Council's holiday arrangement for each year (it gains the next year each
November). Nothing here guesses: a date in a year the installed package has no
table for raises :class:`OutOfCoverage`.

Periods count from the day after receipt (民法典第二百零一条: 按照年、月、日计算期间的，
开始的当日不计入，自下一日开始计算). This module is the one source of truth for the
deadline calculator: the site embeds :func:`calendar_table` at build time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import chinese_calendar

from . import law

ANSWER_DAYS = law.ANSWER.days
EXTENDED_DAYS = law.ANSWER.days + law.EXTENSION.days
_ONE_DAY = dt.timedelta(days=1)


class OutOfCoverage(ValueError):
    """A date falls in a year the installed holiday tables do not cover."""

    def __init__(self, day: dt.date, covered: tuple[int, int]):
        self.day = day
        self.covered = covered
        first, last = covered
        super().__init__(
            f"{day.isoformat()} 超出节假日数据的覆盖范围（{first}—{last} 年），无法计算工作日；"
            f"不作推测。 ({day.isoformat()} is outside the covered years {first}-{last}.)"
        )


@dataclass(frozen=True)
class Deadlines:
    """The last lawful answer date, and the last date when the answer is extended."""

    received: dt.date
    answer: dt.date
    extended: dt.date


@cache
def covered_years() -> tuple[int, int]:
    """First and last year the installed ``chinesecalendar`` has holiday tables for.

    Detected from the package's own data: the range of years with at least one
    statistical holiday, which the package also uses to refuse dates.
    """
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


def _check(day: dt.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise OutOfCoverage(day, (first, last))


def is_workday(day: dt.date) -> bool:
    """True if ``day`` is a working day in China (make-up working days included)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    _check(day)
    return _workday(day)


def _workday(day: dt.date) -> bool:
    """``chinese_calendar.is_workday`` for a day already checked to be covered: its rule
    over its tables, without its per-call check (a min and max over every holiday,
    half a second for the calculator's table of every covered day)."""
    return day in chinese_calendar.workdays or (
        day.weekday() <= 4 and day not in chinese_calendar.holidays
    )


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (the day of receipt itself is not counted).

    ``n == 0`` returns ``start``. Raises :class:`OutOfCoverage` as soon as the
    count reaches a year without holiday tables, so a result is never a guess.
    """
    if n < 0:
        raise ValueError("n 不能为负数 (n must not be negative)")
    if isinstance(start, dt.datetime):
        start = start.date()
    _check(start)
    day, left = start, n
    while left:
        day += _ONE_DAY
        if is_workday(day):
            left -= 1
    return day


def answer_deadlines(received: dt.date) -> Deadlines:
    """Answer deadline (20 working days) and extended deadline (40) for a receipt date."""
    return Deadlines(
        received,
        add_working_days(received, ANSWER_DAYS),
        add_working_days(received, EXTENDED_DAYS),
    )


def _year_days(year: int) -> Iterable[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += _ONE_DAY


def calendar_table(years: Iterable[int] | None = None) -> dict:
    """Compact data for a client-side calculator, per year (default: every covered year).

    ``{"covered": [first, last], "rule": …, "years": {"2024": {"holidays": [...],
    "workdays": [...]}}}`` where ``holidays`` are the weekdays (Mon–Fri) that are
    days off and ``workdays`` the weekend days that are make-up working days
    (调休), as ISO dates. A day is a working day iff it is in ``workdays``, or
    it is Mon–Fri and not in ``holidays``. Years outside coverage raise
    :class:`OutOfCoverage`.
    """
    first, last = covered_years()
    wanted = range(first, last + 1) if years is None else sorted(set(years))
    table: dict[str, dict[str, list[str]]] = {}
    for year in wanted:
        _check(dt.date(year, 1, 1))
        off, on = [], []
        for day in _year_days(year):
            work = _workday(day)
            if day.weekday() < 5 and not work:
                off.append(day.isoformat())
            elif day.weekday() >= 5 and work:
                on.append(day.isoformat())
        table[str(year)] = {"holidays": off, "workdays": on}
    return {
        "covered": [first, last],
        "rule": "自收到申请的次日起算（民法典第二百零一条），只计工作日，含调休上班日。",
        "years": table,
    }
