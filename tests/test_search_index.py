"""The search index on a small fixture site, and the search in headless Chromium.

The fixture pages are the real raw seed texts cut into pieces (tests/search_helpers.py).
For every query in EXACT_QUERIES the browser must find exactly the pages whose
text contains the query — the property the site's end-to-end test checks on
the real built site with ``generator.search.expected_count``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from search_helpers import EXACT_QUERIES, fixture_records, serve, write_fixture_pages

from generator.search import count_matching, expected_count, index_site
from generator.search.canonical import DCD
from generator.search.index import (
    MANIFEST,
    PRIMARY,
    fitting_jobs,
    indexed_text,
    plan_shards,
    province_of,
)
from generator.search.store import RecordStore, read_records, record_digest

BUDGET = 300 * 1024  # bytes one search may download


@pytest.fixture(scope="module")
def records():
    return fixture_records()


@pytest.fixture(scope="module")
def site(tmp_path_factory, records) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    write_fixture_pages(site_dir, records)
    index_site(site_dir, records, max_shard_pages=25)  # several shards, merged in the browser
    return site_dir


def truth(records, term: str) -> int:
    return count_matching((indexed_text(r) for r in records), term)


# ---------- the files ----------


def test_shards_pack_whole_provinces_site_wide_first(records):
    shards = plan_shards(records, max_shard_pages=25)
    assert shards[0].path == PRIMARY and "" in shards[0].provinces
    assert all(len(s.records) <= 25 for s in shards)
    assert sum(len(s.records) for s in shards) == len(records)
    assert len({s.path for s in shards}) == len(shards)
    for shard in shards:
        assert shard.provinces == {province_of(r) for r in shard.records}
    assert len(plan_shards(records, max_shard_pages=1000)) == 1


def test_big_provinces_split_into_equal_parts_small_ones_packed():
    from generator.pages import SearchRecord

    def pages(province: str, n: int) -> list[SearchRecord]:
        filters = {"province": (province,)} if province else {}
        return [
            SearchRecord(f"{province}/{i:04d}/", "t", "", "x", "page", filters) for i in range(n)
        ]

    records = pages("", 26) + pages("上海市", 1003) + pages("云南省", 120) + pages("北京市", 150)
    shards = plan_shards(records, max_shard_pages=400)
    # 1,003 pages: three parts of 335/334/334, not 400 + 400 + 203; the first joins the
    # site-wide pages in the primary; the small provinces share the next shard.
    assert [len(s.records) for s in shards] == [26 + 335, 334, 334, 120 + 150]
    assert [sorted(s.provinces) for s in shards] == [
        ["", "上海市"],
        ["上海市"],
        ["上海市"],
        ["云南省", "北京市"],
    ]
    assert [r.url for s in shards for r in s.records] == [r.url for r in records]


def test_shards_of_spooled_entries_match_shards_of_records(records, tmp_path):
    store = RecordStore.of(records, tmp_path)
    assert [e.url for e in store.entries] == [r.url for r in records]
    assert [e.digest for e in store.entries] == [record_digest(r) for r in records]
    by_entries = plan_shards(store.entries, max_shard_pages=25)
    by_records = plan_shards(records, max_shard_pages=25)
    assert [(s.path, s.provinces) for s in by_entries] == [
        (s.path, s.provinces) for s in by_records
    ]
    for a, b in zip(by_entries, by_records, strict=True):
        assert list(read_records(store.path, a.records)) == b.records


def test_fewer_pagefind_processes_when_memory_is_short():
    assert fitting_jobs(2, 1000, None) == 2  # unknown: as asked
    assert fitting_jobs(2, 1000, 64_000) == 2
    assert fitting_jobs(2, 1000, 1_000) == 1
    assert fitting_jobs(4, 100, 100) == 1  # always at least one


def test_manifest_lists_shards_and_facets(site, records):
    manifest = json.loads((site / PRIMARY / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["shards"][0]["path"] == "pagefind/"
    assert sum(s["pages"] for s in manifest["shards"]) == len(records)
    for shard in manifest["shards"]:
        assert (site / shard["path"] / "pagefind-entry.json").exists()
    assert manifest["facets"]["year"] == ["2023", "2022", "2021"]
    assert set(manifest["facets"]["kind"]) == {"agency", "guide", "report"}


def test_runtime_only_in_primary_and_no_default_ui(site):
    assert (site / "pagefind" / "pagefind.js").exists()
    assert list((site / "pagefind").glob("wasm.*.pagefind"))
    for shard in site.glob("pagefind-*"):
        assert not (shard / "pagefind.js").exists()
        assert not list(shard.glob("wasm.*"))
    assert not list(site.glob("pagefind*/pagefind-ui.js"))
    assert not list(site.glob("pagefind*/pagefind-worker.js"))
    assert (site / "assets" / "gk-search.js").exists()
    assert (site / "assets" / "gk-search.css").exists()


def test_fragments_keep_meta_and_drop_token_content(site):
    fragments = list(site.glob("pagefind*/fragment/*.pf_fragment"))
    assert fragments
    for path in fragments:
        data = json.loads(gzip.decompress(path.read_bytes())[len(DCD) :])
        assert data["content"] == ""
        assert data["meta"]["title"] and data["url"]
        assert path.stat().st_size < 1024


def test_expected_count_from_built_html_equals_record_truth(site, records):
    for term in ("行政复议", "聊城市卫生局", "2023"):
        assert expected_count(site, term) == truth(records, term), term


def test_reindexing_replaces_old_shards(tmp_path, records):
    write_fixture_pages(tmp_path, records)
    index_site(tmp_path, records, max_shard_pages=5)
    many = {p.name for p in tmp_path.glob("pagefind*")}
    index_site(tmp_path, records, max_shard_pages=1000)
    assert {p.name for p in tmp_path.glob("pagefind*")} == {"pagefind"} != many


def test_no_records_writes_an_empty_manifest(tmp_path):
    stats = index_site(tmp_path, [])
    assert stats.pages == 0
    manifest = json.loads((tmp_path / PRIMARY / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["shards"] == []


# ---------- in the browser ----------


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as srv:
        yield srv


@pytest.fixture
def page(browser, server):
    """A fresh browser context (empty cache) on the fixture home page."""
    context = browser.new_context()
    pg = context.new_page()
    pg.external = []  # requests that left 127.0.0.1
    pg.errors = []
    pg.on("request", lambda r: None if r.url.startswith(server.url) else pg.external.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server.url)
    pg.wait_for_selector("#gk-search[data-gk-state='idle']")
    yield pg
    assert not pg.external, pg.external
    assert not pg.errors, pg.errors
    context.close()


def api_count(pg, query: str, filters: dict | None = None) -> int:
    return pg.evaluate(
        "async ([q, f]) => (await gkSearchApi.search(q, f)).results.length", [query, filters or {}]
    )


def ui_search(pg, query: str) -> int:
    """Search ``query`` in the widget; the results found for the first screen."""
    box = pg.locator("#gk-search input[type=search]")
    box.fill(query)
    box.press("Enter")
    pg.wait_for_selector("#gk-search[data-gk-state='done']")
    return int(pg.get_attribute("#gk-search", "data-gk-count"))


def ui_search_rest(pg) -> int:
    """Search the shards the first screen left (if any); the exact count."""
    if pg.get_attribute("#gk-search", "data-gk-complete") != "true":
        pg.click("#gk-search .gk-search__rest")
        pg.wait_for_selector("#gk-search[data-gk-complete='true'][data-gk-state='done']")
    return int(pg.get_attribute("#gk-search", "data-gk-count"))


def shard_requests(server, shard: str) -> list[str]:
    """Paths requested from one shard's directory (``pagefind-2/`` …)."""
    return [path for path in server.sent if path.startswith(f"/{shard}")]


@pytest.mark.browser
def test_exact_counts_equal_substring_counts(page, records):
    for query in EXACT_QUERIES:
        assert api_count(page, query) == truth(records, query), query


@pytest.mark.browser
def test_search_ui_shows_titles_badges_and_excerpts(page, records):
    n = ui_search(page, "行政复议")
    assert 0 < n <= truth(records, "行政复议")
    items = page.locator(".gk-search__result")
    assert items.count() == min(n, 10)
    assert ui_search_rest(page) == truth(records, "行政复议")
    first = items.first
    assert first.locator("a.gk-search__title").inner_text().startswith(("测试页面", "聊城市"))
    assert first.locator(".gk-badge").count() >= 2
    assert "找到" in page.locator(".gk-search__status").inner_text()
    href = first.locator("a").get_attribute("href")
    assert href.startswith("/") and page.request.get(page.url.rstrip("/") + href).ok
    assert "q=%E8%A1%8C" in page.url  # the query is kept in the address


@pytest.mark.browser
def test_year_filter_narrows(page, records):
    ui_search(page, "行政复议")
    everything = ui_search_rest(page)
    page.select_option("#gk-search select[name=year]", "2023")
    page.wait_for_selector("#gk-search[data-gk-state='done']")
    narrowed = ui_search_rest(page)
    expected = sum(
        1 for r in records if r.filters.get("year") == ("2023",) and truth([r], "行政复议")
    )
    assert 0 < narrowed == expected < everything


@pytest.mark.browser
def test_province_and_level_filters(page, records):
    for filters in ({"province": "山东省"}, {"level": "county"}, {"kind": "agency"}):
        key, value = next(iter(filters.items()))
        want = sum(
            1
            for r in records
            if (r.kind == value if key == "kind" else value in r.filters.get(key, ()))
            and truth([r], "聊城市")
        )
        assert api_count(page, "聊城市", filters) == want, filters


@pytest.mark.browser
def test_one_search_downloads_under_budget(browser, server):
    context = browser.new_context()
    pg = context.new_page()
    sizes: dict[str, int] = {}

    def on_response(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            sizes.setdefault(response.url, 0)

    pg.on("response", on_response)
    server.sent.clear()
    pg.goto(server.url + "?q=行政复议")
    pg.wait_for_selector("#gk-search[data-gk-state='done']")
    context.close()
    served = server.total()  # includes the worker's requests
    assert served < BUDGET, dict(server.sent)
    assert sum(sizes.values()) <= served
    assert any(k.endswith(".pf_index") for k in server.sent)


@pytest.mark.browser
def test_first_screen_searches_the_first_shard_then_the_rest_on_request(page, server, records):
    server.sent.clear()
    first = ui_search(page, "公开")  # in nearly every page: the primary fills the first screen
    want = truth(records, "公开")
    assert page.get_attribute("#gk-search", "data-gk-searched") == "1"
    assert page.get_attribute("#gk-search", "data-gk-shards") == "3"
    assert page.get_attribute("#gk-search", "data-gk-complete") == "false"
    assert 10 <= first < want
    assert not shard_requests(server, "pagefind-2") and not shard_requests(server, "pagefind-3")
    status = page.locator(".gk-search__status").inner_text()
    assert f"已搜索 1/3 个部分，找到至少 {first} 个结果" == status
    rest = page.locator(".gk-search__rest")
    assert rest.is_visible() and rest.inner_text() == "在其余 2 个部分中继续搜索"
    shown = page.locator(".gk-search__result a").all_inner_texts()
    assert len(shown) == 10
    assert ui_search_rest(page) == want
    assert page.locator(".gk-search__status").inner_text() == f"找到 {want} 个结果"
    assert not rest.is_visible()
    assert page.locator(".gk-search__result a").all_inner_texts() == shown  # stay in place
    page.click(".gk-search__more")
    page.wait_for_selector("#gk-search[data-gk-state='done']")
    assert page.locator(".gk-search__result").count() == 20
    assert shard_requests(server, "pagefind-3")


@pytest.mark.browser
def test_more_results_searches_on_when_the_found_run_out(page, records):
    first = ui_search(page, "公开")
    for _ in range(10):
        if page.get_attribute("#gk-search", "data-gk-complete") == "true":
            break
        page.click(".gk-search__more")
        page.wait_for_selector("#gk-search[data-gk-state='done']")
    assert page.get_attribute("#gk-search", "data-gk-complete") == "true"
    want = truth(records, "公开")
    assert first < want == int(page.get_attribute("#gk-search", "data-gk-count"))
    while page.locator(".gk-search__more").is_visible():
        page.click(".gk-search__more")
        page.wait_for_selector("#gk-search[data-gk-state='done']")
    titles = page.locator(".gk-search__result a").all_inner_texts()
    assert len(titles) == len(set(titles)) == want  # every page once


@pytest.mark.browser
def test_a_new_search_starts_from_the_first_shard_again(page, server):
    ui_search(page, "行政复议")
    ui_search_rest(page)  # every shard merged
    server.sent.clear()
    ui_search(page, "公开")
    assert page.get_attribute("#gk-search", "data-gk-searched") == "1"
    assert not [p for p in server.sent if p.startswith("/pagefind-") and "/index/" in p]


@pytest.mark.browser
def test_province_filter_loads_only_its_shards(page, server, records):
    server.sent.clear()
    filters = {"province": "河北省"}
    want = sum(
        1 for r in records if "河北省" in r.filters.get("province", ()) and truth([r], "公开")
    )
    assert api_count(page, "公开", filters) == want > 0
    assert shard_requests(server, "pagefind-3") and not shard_requests(server, "pagefind-2")


@pytest.mark.browser
def test_keyboard_only(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.type("依申请公开")
    page.keyboard.press("Enter")
    page.wait_for_selector("#gk-search[data-gk-state='done']")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # first filter
    assert page.evaluate("document.activeElement.tagName") == "SELECT"


@pytest.mark.browser
def test_no_match_and_punctuation_only(page):
    assert ui_search(page, "不存在的词语甲乙丙") == 0
    assert "没有找到" in page.locator(".gk-search__status").inner_text()
    box = page.locator("#gk-search input[type=search]")
    box.fill("，。")
    box.press("Enter")
    page.wait_for_selector("#gk-search[data-gk-state='idle']")
    assert page.locator(".gk-search__result").count() == 0


@pytest.mark.browser
def test_single_character_spanning_index_chunks(browser, tmp_path):
    """Bigrams starting with 市 fill several Pagefind chunks; 市 still finds every page."""
    from generator.pages import SearchRecord

    records = []
    for i in range(60):
        text = "，".join("市" + chr(0x4E00 + (i * 97 + k) % 20000) for k in range(500))
        if i % 6 == 0:
            text = text.replace("市", "县")
        records.append(SearchRecord(f"p/{i}/", f"页面{i}", "", text, "page"))
    index_site(tmp_path, records)
    chunks = list((tmp_path / "pagefind" / "index").glob("*.pf_index"))
    assert len(chunks) > 3
    assert (tmp_path / "pagefind" / "gk-next").is_dir()
    want = truth(records, "市")
    assert want == 50
    with serve(tmp_path) as srv:
        context = browser.new_context()
        pg = context.new_page()
        (tmp_path / "index.html").write_text(
            '<!doctype html><meta charset="utf-8"><script src="assets/gk-search.js"></script>',
            encoding="utf-8",
        )
        pg.goto(srv.url)
        for query in ("市", "县", "市" + chr(0x4E00 + 97 * 7 % 20000)):
            assert api_count(pg, query) == truth(records, query), query
        context.close()
