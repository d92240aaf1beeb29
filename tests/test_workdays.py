"""Chinese working-day arithmetic on real holiday arrangements (chinesecalendar)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from generator import law, workdays
from generator.workdays import (
    OutOfCoverage,
    add_working_days,
    answer_deadlines,
    calendar_table,
    covered_years,
    is_workday,
)

D = dt.date.fromisoformat


def test_national_day_2024_with_make_up_days():
    # received Friday 2024-09-27; 09-29 (Sunday) and 10-12 (Saturday) are make-up working
    # days, 10-01..10-07 the National Day holiday
    start = D("2024-09-27")
    assert add_working_days(start, 1) == D("2024-09-29")
    assert add_working_days(start, 2) == D("2024-09-30")
    assert add_working_days(start, 3) == D("2024-10-08")
    assert add_working_days(start, 7) == D("2024-10-12")
    deadlines = answer_deadlines(start)
    assert (deadlines.answer, deadlines.extended) == (D("2024-10-30"), D("2024-11-27"))


def test_counting_starts_the_day_after_receipt():
    assert add_working_days(D("2024-10-08"), 0) == D("2024-10-08")
    assert add_working_days(D("2024-10-08"), 1) == D("2024-10-09")  # not the day itself
    # received during the holiday: the first working day after it is day 1
    assert add_working_days(D("2024-10-03"), 1) == D("2024-10-08")


def test_spring_festival_2024():
    # holiday 02-10..02-17; make-up working days Sunday 02-04 and Sunday 02-18
    assert is_workday(D("2024-02-04")) and is_workday(D("2024-02-18"))
    assert not is_workday(D("2024-02-12"))
    assert add_working_days(D("2024-02-08"), 2) == D("2024-02-18")
    assert answer_deadlines(D("2024-02-08")).answer == D("2024-03-13")


def test_spring_festival_2025():
    # holiday 01-28..02-04; make-up working days Sunday 01-26 and Saturday 02-08
    deadlines = answer_deadlines(D("2025-01-24"))
    assert add_working_days(D("2025-01-24"), 1) == D("2025-01-26")
    assert add_working_days(D("2025-01-24"), 3) == D("2025-02-05")
    assert add_working_days(D("2025-01-24"), 6) == D("2025-02-08")
    assert (deadlines.answer, deadlines.extended) == (D("2025-02-27"), D("2025-03-27"))


def test_deadlines_use_the_statutory_days():
    start = D("2024-03-01")
    assert answer_deadlines(start).answer == add_working_days(start, law.ANSWER.days)
    extended = add_working_days(start, law.ANSWER.days + law.EXTENSION.days)
    assert answer_deadlines(start).extended == extended


def test_covered_years_are_detected_from_the_package():
    first, last = covered_years()
    assert first <= 2024 < last
    chinese_calendar.is_workday(dt.date(last, 6, 1))  # the package has this year
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(dt.date(last + 1, 6, 1))


def test_refuses_dates_outside_coverage():
    first, last = covered_years()
    for day in (dt.date(last + 1, 3, 2), dt.date(first - 1, 3, 2)):
        with pytest.raises(OutOfCoverage) as info:
            answer_deadlines(day)
        assert f"{first}—{last}" in str(info.value)
    with pytest.raises(OutOfCoverage):
        is_workday(dt.date(last + 1, 1, 5))


def test_refuses_a_count_that_runs_past_coverage():
    _, last = covered_years()
    with pytest.raises(OutOfCoverage):
        answer_deadlines(dt.date(last, 12, 20))  # would need next year's holidays


def test_calendar_table_lists_holidays_and_make_up_days():
    table = calendar_table([2024])
    year = table["years"]["2024"]
    assert {"2024-10-01", "2024-10-04", "2024-10-07"} <= set(year["holidays"])
    assert {"2024-09-29", "2024-10-12", "2024-02-04", "2024-02-18"} <= set(year["workdays"])
    assert "2024-10-05" not in year["holidays"]  # a Saturday: off anyway, kept compact
    assert table["covered"] == list(covered_years())


def test_calendar_table_reproduces_is_workday():
    """The rule a browser applies to the table gives the package's answer for every day."""
    years = calendar_table([2024, 2025])["years"]
    day = D("2024-01-01")
    while day.year < 2026:
        data = years[str(day.year)]
        iso = day.isoformat()
        client = iso in data["workdays"] or (day.weekday() < 5 and iso not in data["holidays"])
        assert client == is_workday(day), iso
        day += dt.timedelta(days=1)


def test_calendar_table_refuses_uncovered_years():
    _, last = covered_years()
    with pytest.raises(OutOfCoverage):
        calendar_table([last + 1])
    assert len(calendar_table()["years"]) == last - covered_years()[0] + 1


def test_is_workday_is_the_packages_rule_on_every_covered_day():
    first, last = workdays.covered_years()
    day = dt.date(first, 1, 1)
    while day.year <= last:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
