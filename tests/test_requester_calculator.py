"""The deadline calculator: Python (generator.workdays via the calculator) and the browser."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from requester_helpers import fixture_corpus, serve, write_site

from generator import workdays
from generator.requester import calculator

# (received, last lawful answer date, last date with extension), checked by hand
# against the State Council holiday arrangements.
KNOWN = [
    # National Day 2024: 9-29 (Sun) and 10-12 (Sat) are make-up working days, 10-1..7 off
    ("2024-09-27", "2024-10-30", "2024-11-27"),
    ("2024-09-30", "2024-11-01", "2024-11-29"),
    # Spring Festival 2024: 2-4 (Sun) and 2-18 (Sun) worked, 2-10..17 off
    ("2024-02-01", "2024-03-05", "2024-04-02"),
    # Spring Festival 2025: 1-26 (Sun) and 2-8 (Sat) worked, 1-28..2-4 off
    ("2025-01-20", "2025-02-21", "2025-03-21"),
    # received on a holiday: counting still starts the next day (民法典第二百零一条)
    ("2024-10-01", "2024-11-01", "2024-11-29"),
]


def js_model(data: dict, received: str, n: int) -> str:
    """The calculator.js algorithm over the embedded table, in Python."""
    day = dt.date.fromisoformat(received)
    first, last = data["covered"]

    def check(d: dt.date) -> None:
        if not first <= d.year <= last or str(d.year) not in data["years"]:
            raise workdays.OutOfCoverage(d, (first, last))

    def is_workday(d: dt.date) -> bool:
        check(d)
        year = data["years"][str(d.year)]
        iso = d.isoformat()
        if iso in year["workdays"]:
            return True
        if iso in year["holidays"]:
            return False
        return d.weekday() < 5

    check(day)
    while n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day.isoformat()


@pytest.mark.parametrize(("received", "answer", "extended"), KNOWN)
def test_known_deadlines(received, answer, extended):
    assert calculator.deadlines(dt.date.fromisoformat(received)) == {
        "received": received,
        "answer": answer,
        "extended": extended,
    }


def test_embedded_table_counts_exactly_like_workdays():
    data = calculator.calendar_data()
    day = dt.date(2023, 12, 1)
    while day <= dt.date(2025, 3, 1):
        want = calculator.deadlines(day)
        assert js_model(data, day.isoformat(), data["answer_days"]) == want["answer"]
        assert js_model(data, day.isoformat(), data["extended_days"]) == want["extended"]
        day += dt.timedelta(days=1)


def test_refuses_dates_outside_the_covered_years():
    first, last = workdays.covered_years()
    for day in (dt.date(first - 1, 12, 31), dt.date(last + 1, 1, 2)):
        with pytest.raises(workdays.OutOfCoverage):
            calculator.deadlines(day)
    with pytest.raises(workdays.OutOfCoverage):  # the count would run into an uncovered year
        calculator.deadlines(dt.date(last, 12, 20))


def test_calendar_script_is_the_workdays_table():
    script = calculator.calendar_script()
    prefix = "window.GK_CALENDAR = "
    payload = script.split(prefix, 1)[1].rstrip().rstrip(";")
    data = json.loads(payload)
    assert data["years"] == workdays.calendar_table()["years"]
    assert data["covered"] == list(workdays.covered_years())
    assert calculator.calendar_script() == script  # same build, same bytes


def test_guide_page_says_counting_starts_the_next_day_and_which_years():
    from requester_helpers import page_by_path

    body = page_by_path(fixture_corpus(), "agencies/371500-wjw/guide.md").body
    first, last = workdays.covered_years()
    assert "民法典》第二百零一条" in body and "次日起算" in body
    assert f"{first}—{last}" in body
    assert "calendar-data.js" in body and "calculator.js" in body


# ---- in headless Chromium -------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("requester-site")
    write_site(fixture_corpus(), out)
    with serve(out) as base:
        yield base


@pytest.fixture
def guide_page(browser, site):
    page = browser.new_page()
    page.goto(site + "agencies/371500-wjw/guide/")
    page.wait_for_function("window.GK_CALCULATOR !== undefined")
    yield page
    page.close()


def fill(page, iso: str) -> dict:
    page.fill("#gk-received", iso)
    result = page.locator(".gk-calc-result")
    return {
        "state": result.get_attribute("data-state"),
        "answer": result.get_attribute("data-answer"),
        "extended": result.get_attribute("data-extended"),
        "text": result.inner_text(),
    }


@pytest.mark.browser
@pytest.mark.parametrize(("received", "answer", "extended"), KNOWN)
def test_browser_known_dates(guide_page, received, answer, extended):
    got = fill(guide_page, received)
    assert (got["state"], got["answer"], got["extended"]) == ("ok", answer, extended)
    assert answer in got["text"] and extended in got["text"]


@pytest.mark.browser
def test_browser_equals_python_for_many_dates(guide_page):
    first, last = workdays.covered_years()
    days = []
    day = dt.date(first, 1, 1)
    while day.year < last:
        days.append(day)
        day += dt.timedelta(days=7)
    days += [dt.date(2024, 9, 20) + dt.timedelta(days=i) for i in range(25)]
    days += [dt.date(2024, 1, 25) + dt.timedelta(days=i) for i in range(30)]
    isos = [d.isoformat() for d in days]
    got = guide_page.evaluate(
        "isos => isos.map(d => window.GK_CALCULATOR.deadlines(d))",
        isos,
    )
    want = [calculator.deadlines(d) for d in days]
    assert len(days) > 1200
    assert got == want


@pytest.mark.browser
def test_browser_refuses_outside_covered_years(guide_page):
    first, last = workdays.covered_years()
    for iso in (f"{first - 1}-06-01", f"{last + 1}-01-05", f"{last}-12-20"):
        got = fill(guide_page, iso)
        assert got["state"] == "refused", iso
        assert got["answer"] is None
        assert f"{first}—{last}" in got["text"]
