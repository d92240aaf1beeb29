"""Chinese search on the real built site, in headless Chromium.

For a fixed list of queries the number of pages the search finds must equal
the number of built pages whose text contains the term (Chinese search that
fails silently is the commonest defect of static sites), and filters narrow.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from search_helpers import serve

from generator.search import expected_count

pytestmark = pytest.mark.browser

REAL_QUERIES = (
    "依申请公开",
    "三安全一稳定",
    "聊城市",
    "行政复议",
    "聊城市卫生局",
    "聊城市卫生和计划生育委员会",
    "昌乐县",
    "0635",
    "2023",
)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory, repo) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", str(out), "-q", "--root", str(repo)],
        check=True,
        timeout=900,
    )
    return out


@pytest.fixture(scope="module")
def site_server(real_site):
    with serve(real_site) as server:
        yield server


def _count(browser, base: str, query: str, **filters: str) -> int:
    """The exact count: the search is carried on until every index part is searched."""
    params = "&".join([f"q={quote(query)}", *(f"{k}={quote(v)}" for k, v in filters.items())])
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{base}search/?{params}")
        page.wait_for_selector("#gk-search[data-gk-state='done']", timeout=30_000)
        if page.get_attribute("#gk-search", "data-gk-complete") != "true":
            page.click("#gk-search .gk-search__rest")
            page.wait_for_selector(
                "#gk-search[data-gk-complete='true'][data-gk-state='done']", timeout=60_000
            )
        assert not errors, errors
        return int(page.get_attribute("#gk-search", "data-gk-count"))
    finally:
        page.close()


@pytest.mark.parametrize("query", REAL_QUERIES)
def test_hits_equal_pages_containing_the_term(browser, site_server, real_site, query):
    expected = expected_count(real_site, query)
    assert expected > 0, f"the corpus should contain {query}"
    assert _count(browser, site_server.url, query) == expected


def test_year_filter_narrows(browser, site_server):
    everything = _count(browser, site_server.url, "行政复议")
    only_2023 = _count(browser, site_server.url, "行政复议", year="2023")
    assert 0 < only_2023 < everything


def test_former_name_finds_the_agency(browser, site_server):
    page = browser.new_page()
    page.goto(f"{site_server.url}search/?q={quote('聊城市卫生局')}")
    page.wait_for_selector("#gk-search[data-gk-state='done']", timeout=30_000)
    hrefs = page.eval_on_selector_all("#gk-search a[href]", "els => els.map(e => e.href)")
    page.close()
    assert any(h.rstrip("/").endswith("agencies/371500-wjw") for h in hrefs), hrefs
