"""The built site in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect
from site_helpers import FIXTURE, build, serve

from generator.formats import get_format

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(os.environ.get("GONGKAI_SHOTS", "/tmp/shots"))


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    # Built in a worker thread: Playwright's sync API keeps an event loop running in
    # this thread, and the search indexer starts its own.
    out = tmp_path_factory.mktemp("browser") / "site"
    with ThreadPoolExecutor(1) as pool:
        site = pool.submit(build, FIXTURE, out).result()
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.gk_errors = []  # type: ignore[attr-defined]
    p.gk_requests = []  # type: ignore[attr-defined]
    p.on("console", lambda m: m.type == "error" and p.gk_errors.append(m.text))
    p.on("pageerror", lambda e: p.gk_errors.append(str(e)))
    p.on("request", lambda r: p.gk_requests.append(r.url))
    p.on("dialog", lambda d: (p.gk_errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield p
    context.close()


def test_home_loads_cleanly_and_stays_local(page, base_url):
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert page.locator("#gk-search").count() == 1
    assert page.gk_errors == []
    foreign = [
        u
        for u in page.gk_requests
        if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")
    ]
    assert foreign == []


def test_home_to_agency_to_report_by_clicking(page, base_url):
    page.goto(base_url)
    page.get_by_role("link", name="山东省").first.click()
    page.get_by_role("link", name="聊城市卫生健康委员会").first.click()
    page.wait_for_url("**/agencies/371500-wjw/")
    page.locator("table.gk-reports").get_by_role("link", name="2023").click()
    page.wait_for_url("**/agencies/371500-wjw/2023/")
    expect(page.locator("table.gk-t-requests")).to_be_visible()  # waits for the load
    assert page.gk_errors == []


def _expected(cell) -> str:
    return "" if cell is None else str(cell)


def test_report_table3_matches_its_yaml(page, base_url):
    data = yaml.safe_load(
        (FIXTURE / "content/reports/371500-wjw/2023.yaml").read_text(encoding="utf-8")
    )
    columns = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other_org",
        "total",
    ]
    page.goto(base_url + "agencies/371500-wjw/2023/")
    for code, row in data["requests"].items():
        cells = _table3_row(page, code).locator("td").all_inner_texts()
        expected = [_expected(row[c]) for c in columns]
        expected = [e.replace("66.280", "66.28") for e in expected]
        assert [c.strip() for c in cells] == expected, code


def _table3_row(page, code: str):
    """Table 3's body row of ``code``: one row per format row, in the format's order."""
    codes = [r.code for r in get_format("gov2021").table("requests").rows]
    return page.locator("table.gk-t-requests tbody tr").nth(codes.index(code))


def test_blank_cells_are_labelled_and_never_zero(page, base_url):
    page.goto(base_url + "agencies/371500-wjw/2023/")
    blank = _table3_row(page, "other.other").locator("td").first
    assert blank.get_attribute("aria-label") == "空白"
    assert blank.inner_text().strip() == ""


def test_hostile_narrative_is_inert(page, base_url):
    page.goto(base_url + "agencies/371500-wjw/2023/")
    page.wait_for_load_state("networkidle")
    article = page.locator("article")
    assert "<script>" in article.inner_text()  # shown as text
    assert article.locator("script").count() == 0
    assert article.locator("img").count() == 0
    hrefs = [a.get_attribute("href") or "" for a in article.locator("a").all()]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    assert page.gk_errors == []


def test_year_table_sorts(page, base_url):
    page.goto(base_url + "years/2023/")
    header = page.locator("table[data-gk-sort] thead th").nth(3)
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert header.get_attribute("aria-sort") == "descending"


@pytest.mark.parametrize(("width", "tag"), [(1280, "desktop"), (390, "phone")])
def test_screenshots(browser, base_url, width, tag):
    """Screenshots of home, an agency and a report, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    p = context.new_page()
    for path, name in (
        ("", "home"),
        ("agencies/371500-wjw/", "agency"),
        ("agencies/371500-wjw/2023/", "report"),
    ):
        p.goto(base_url + path)
        p.screenshot(path=str(SHOTS / f"{name}-{tag}.png"), full_page=True)
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width}px"
    context.close()
