"""What a browser downloads for one search: headless Chromium on a local copy of the site.

The site is served from 127.0.0.1 (plain http.server, no compression: the
figures are uncompressed bytes); the page is loaded, a Chinese query typed
into the search box, and every response is counted until the first screen of
results is shown and the network has been quiet. ``search_kb`` counts the
responses that belong to search (the search scripts, workers and index
files, whether fetched at page load, as lunr's index is, or on the query, as
Pagefind's fragments are); ``total_kb`` counts everything, page included.

Our search box searches the index shards a step at a time and stops when it
has a screen of results; the user asks for the rest. The probe then asks for
the rest too (the box's "search the remaining parts" button) and counts again:
``all_search_kb`` and ``all_results`` are what searching everything costs and
finds (None for a search box that loads everything at once).
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
    total_kb: float  # page + search, until the first screen of results
    search_kb: float  # search files, until the first screen of results
    requests: int
    search_requests: int
    results: int  # found for the first screen (0 when the layout is unknown)
    searched: str = ""  # index parts searched for the first screen, e.g. "1/9"
    all_search_kb: float | None = None  # search files once every part is searched
    all_results: int | None = None  # found once every part is searched


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


OURS = "[data-gk-search]"
DONE = "[data-gk-search][data-gk-state=done], [data-gk-search][data-gk-state=error]"


def _results(page) -> int:
    """Hits reported by our search box (data-gk-count), else result items on the page."""
    ours = page.locator(OURS)
    if ours.count():
        page.wait_for_selector(DONE, timeout=120_000)
        return int(ours.first.get_attribute("data-gk-count") or 0)
    selectors = (".pagefind-ui__result", ".md-search-result__item")
    return max(page.locator(s).count() for s in selectors)


def _searched(page) -> str:
    ours = page.locator(OURS)
    if not ours.count():
        return ""
    return f"{ours.first.get_attribute('data-gk-searched')}/{ours.first.get_attribute('data-gk-shards')}"


def _search_the_rest(page) -> int | None:
    """Have our box search every part left; the exact count (None: not our box)."""
    ours = page.locator(OURS)
    if not ours.count():
        return None
    # A box that searched everything at once (older builds) has no data-gk-complete.
    if ours.first.get_attribute("data-gk-complete") == "false":
        page.locator(f"{OURS} .gk-search__rest").first.click()
        page.wait_for_selector(
            f"{OURS}[data-gk-complete=true][data-gk-state=done]", timeout=600_000
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(QUIET_MS)
    return int(ours.first.get_attribute("data-gk-count") or 0)


def _is_search(url: str) -> bool:
    return any(m in url.lower() for m in SEARCH_MARKERS)


def probe(site: Path, path: str = "", query: str = QUERY) -> SearchProbe:
    """Load ``path`` of the site, search ``query``, count the bytes of the first
    screen of results, then (our box only) of searching every part."""
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
        searched = _searched(page)
        first = list(sizes)
        all_results = _search_the_rest(page)
        browser.close()
    search = [n for url, n in first if _is_search(url)]
    every = sum(n for url, n in sizes if _is_search(url)) / 1024
    return SearchProbe(
        query,
        sum(n for _, n in first) / 1024,
        sum(search) / 1024,
        len(first),
        len(search),
        results,
        searched,
        every if all_results is not None else None,
        all_results,
    )
