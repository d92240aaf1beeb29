"""What a browser downloads for one search: headless Chromium on a local copy of the site.

The site is served from 127.0.0.1 (plain http.server, no compression: the
figures are uncompressed bytes); the page is loaded, a Chinese query typed
into the search box, and every response is counted until the network has
been quiet. ``search_kb`` counts the responses that belong to search (the
search scripts, workers and index files, whether fetched at page load, as
lunr's index is, or on the query, as Pagefind's fragments are);
``total_kb`` counts everything, page included.
"""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEARCH_MARKERS = ("pagefind", "search")
# Search boxes, most specific first: our own, Pagefind's UI, mkdocs-material's.
INPUTS = (
    "[data-gk-search] input[name=q]",
    "input#search",
    ".pagefind-ui__search-input",
    "input.md-search__input",
    "input[type=search]",
)
MATERIAL_TOGGLE = "label.md-header__button[for=__search]"
QUIET_MS = 1500
QUERY = "依申请公开"


@dataclass(frozen=True)
class SearchProbe:
    query: str
    total_kb: float
    search_kb: float
    requests: int
    search_requests: int
    results: int  # result elements seen on the page (0 when the layout is unknown)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(root: Path):
    """Serve ``root`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _search_input(page):
    toggle = page.locator(MATERIAL_TOGGLE)
    if toggle.count() and toggle.first.is_visible():
        toggle.first.click()
    for selector in INPUTS:
        box = page.locator(selector)
        if box.count():
            box.first.click()
            return box.first
    raise RuntimeError("no search box found on the page")


def _results(page) -> int:
    """Hits reported by our search box (data-gk-count), else result items on the page."""
    ours = page.locator("[data-gk-search]")
    if ours.count():
        page.wait_for_selector("[data-gk-state=done], [data-gk-state=error]", timeout=60_000)
        return int(ours.first.get_attribute("data-gk-count") or 0)
    selectors = (".pagefind-ui__result", ".md-search-result__item")
    return max(page.locator(s).count() for s in selectors)


def probe(site: Path, path: str = "", query: str = QUERY) -> SearchProbe:
    """Load ``path`` of the site, search ``query``, count the bytes."""
    from playwright.sync_api import sync_playwright

    sizes: list[tuple[str, int]] = []

    def record(response) -> None:
        try:
            sizes.append((response.url, len(response.body())))
        except Exception:  # redirects and aborted requests have no body
            sizes.append((response.url, 0))

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("response", record)
        page.goto(base + path, wait_until="networkidle")
        box = _search_input(page)
        box.press_sequentially(query)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(QUIET_MS)
        results = _results(page)
        browser.close()
    search = [n for url, n in sizes if any(m in url.lower() for m in SEARCH_MARKERS)]
    return SearchProbe(
        query,
        sum(n for _, n in sizes) / 1024,
        sum(search) / 1024,
        len(sizes),
        len(search),
        results,
    )
