"""Hostile volunteer content comes out inert: in the built HTML and in headless Chromium.

tests/test_browser_site.py checks the fixture's own narrative (a ``<script>``
shown as text, no ``javascript:`` href in the article). Here a copy of the
fixture gets every payload below injected into narrative Markdown, section
headings, an agency name and a report title, and the whole built site is
checked: no event-handler attribute and no script URL anywhere in a page,
metacharacters escaped, and in Chromium no payload runs (``window.__pwned``
stays undefined, no dialog opens) on the pages that show them, nor in search
results that show the hostile title.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from site_helpers import FIXTURE, build, serve

pytestmark = pytest.mark.slow

PWN = "window.__pwned=1"
NARRATIVE_PAYLOADS = (
    f"<script>{PWN}</script>",
    f"[x](javascript:{PWN})",
    "[x2](javascript:alert(1))",
    f"[x3](JaVaScRiPt:{PWN})",
    f"[x4](java&#x09;script:{PWN})",
    f"[y](data:text/html,<script>{PWN}</script>)",
    "[y2](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[y3](vbscript:{PWN})",
    f'<img src=x onerror="{PWN}">',
    f'<a href="#" onclick="{PWN}">点</a>',
    f'<svg onload="{PWN}"></svg>',
    f'<iframe src="javascript:{PWN}"></iframe>',
    f'<div style="background:url(javascript:{PWN})" onmouseover="{PWN}">悬停</div>',
    f"<javascript:{PWN}>",
    f'[q](https://example.com/" onmouseover="{PWN})',
    f'![i](x" onerror="{PWN})',
    f"[ref][r]\n\n[r]: javascript:{PWN}",
)
META = "<b>&\"'"
AGENCY_ID = "371502-wjj"
AGENCY_NAME = f"东昌府区卫生健康局{META}<img src=x onerror={PWN}>"
REPORT = ("371500-wjw", "2023")
REPORT_TITLE = f"聊城市卫生健康委2023年度报告{META}<script>{PWN}</script>"
HEADING = f"一、总体情况<img src=x onerror={PWN}>"
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
PAGES = (
    "agencies/371500-wjw/2023/",
    "agencies/371500-wjw/",
    f"agencies/{AGENCY_ID}/",
    f"agencies/{AGENCY_ID}/2015/",
    "",
    "regions/37/",
    "years/2023/",
)


def _inject(root: Path) -> None:
    """Put the payloads into a copy of the fixture content under ``root``."""
    agency = root / "content" / "agencies" / f"{AGENCY_ID}.yaml"
    data = yaml.safe_load(agency.read_text(encoding="utf-8"))
    data["name"] = AGENCY_NAME
    agency.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = root / "content" / "reports" / REPORT[0] / f"{REPORT[1]}.yaml"
    data = yaml.safe_load(report.read_text(encoding="utf-8"))
    data["title"] = REPORT_TITLE
    data["sections"][0]["heading"] = HEADING
    for section in data["sections"]:
        section["text"] += "\n\n" + "\n\n".join(NARRATIVE_PAYLOADS) + "\n"
    report.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE / "content", root / "content")
    _inject(root)
    # Built in a worker thread: the search indexer runs its own event loop, and a
    # browser test in this module may have Playwright's loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(build, root, root / "site").result()


class AttrParser(HTMLParser):
    """Every start tag with its attributes, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, attrs))


def _offences(html: str) -> list[str]:
    """Event-handler attributes, script URLs and scripts with a payload in one page."""
    parser = AttrParser()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        for name, value in attrs:
            if re.fullmatch(r"on\w+", name):
                found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRS and value and SCRIPT_URL.match(value):
                found.append(f"<{tag} {name}={value[:40]}>")
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
        if PWN in body and "application/json" not in attrs:
            found.append("payload inside an executable <script> element")
        if "<img src=x" in body or "<script>window" in body:
            found.append("unescaped payload markup inside a <script> element")
    return found


def test_the_payloads_reached_the_pages(hostile_site):
    """The injection worked: otherwise the other tests prove nothing."""
    html = (hostile_site / "agencies/371500-wjw/2023/index.html").read_text(encoding="utf-8")
    assert "window.__pwned" in html
    assert "聊城市卫生健康委2023年度报告" in html


def test_no_handler_or_script_url_in_any_page(hostile_site):
    offences = {}
    for page in sorted(hostile_site.rglob("*.html")):
        bad = _offences(page.read_text(encoding="utf-8"))
        if bad:
            offences[page.relative_to(hostile_site).as_posix()] = bad
    assert offences == {}


@pytest.mark.parametrize("page", [f"agencies/{AGENCY_ID}/", "agencies/371500-wjw/2023/"])
def test_metacharacters_are_escaped(hostile_site, page):
    html = (hostile_site / page / "index.html").read_text(encoding="utf-8")
    assert "<b>&" not in html and "<b>" not in html
    assert "&lt;b&gt;&amp;" in html
    assert "<img src=x" not in html
    assert "<script>window" not in html


def test_metacharacters_escaped_in_titles_and_attributes(hostile_site):
    """The name in <title>, in meta tags and in attribute values never closes a quote."""
    html = (hostile_site / f"agencies/{AGENCY_ID}/index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "&lt;b&gt;" in title.group(1)
    for attr in re.findall(r'="([^"]*东昌府区卫生健康局[^"]*)"', html):
        assert "<" not in attr and '"' not in attr, attr


def _visit(browser, url: str) -> dict:
    """Load ``url`` in a fresh context, hover and focus everything; what ran."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => { for (const el of document.querySelectorAll('article *')) {
            for (const type of ['mouseover', 'focus', 'load', 'error']) {
                el.dispatchEvent(new Event(type)); } } }"""
    )
    page.wait_for_timeout(200)
    pwned = page.evaluate("() => typeof window.__pwned")
    context.close()
    return {"pwned": pwned, "dialogs": dialogs, "errors": errors}


@pytest.mark.browser
def test_no_payload_runs_in_chromium(browser, hostile_site):
    with serve(hostile_site) as base:
        results = {p: _visit(browser, base + p) for p in PAGES}
    ran = {p: r for p, r in results.items() if r["pwned"] != "undefined" or r["dialogs"]}
    assert ran == {}
    assert {p: r["errors"] for p, r in results.items() if r["errors"]} == {}


@pytest.mark.browser
def test_hostile_title_in_search_results_is_text(browser, hostile_site):
    """gk-search.js shows the Pagefind title/excerpt: it must insert them as text."""
    with serve(hostile_site) as base:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}search/?q={quote('东昌府区')}")
        link = page.locator(f'#gk-search a[href*="{AGENCY_ID}"]').first
        link.wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        results = page.locator("#gk-search").inner_text()
        pwned = page.evaluate("() => typeof window.__pwned")
        images = page.locator("#gk-search img").count()
        context.close()
    assert f"东昌府区卫生健康局{META}<img src=x onerror={PWN}>" in results  # shown as text
    assert pwned == "undefined" and dialogs == [] and images == 0
