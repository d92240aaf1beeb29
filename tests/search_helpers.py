"""Fixture site and local server for the search tests (also usable by site tests)."""

from __future__ import annotations

import functools
import html
import http.server
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.pages import SearchRecord

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "content" / "raw" / "seeds").glob("*.txt"))
PROVINCES = ("山东省", "河北省", "")
YEARS = ("2021", "2022", "2023")
LEVELS = ("city", "county", "province")
KINDS = ("report", "guide", "agency")
# The fixed query list: every one must find exactly the pages that contain it.
EXACT_QUERIES = (
    "依申请公开",
    "三安全一稳定",
    "聊城市",
    "行政复议",
    "聊城市卫生局",
    "政府信息公开",
    "公开",
    "市",
    "复",
    "2023",
    "12345",
    "0635",
    "DB37",
    "聊城市 行政复议",
)


def fixture_records(lines_per_page: int = 30) -> list[SearchRecord]:
    """The raw seed texts cut into fake pages with varied filters."""
    records = []
    n = 0
    for seed in SEEDS:
        lines = [ln for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
        for start in range(0, len(lines), lines_per_page):
            chunk = lines[start : start + lines_per_page]
            province = PROVINCES[n % 3]
            filters = {"year": (YEARS[n % 3],), "level": (LEVELS[n % 3],)}
            if province:
                filters["province"] = (province,)
            records.append(
                SearchRecord(
                    url=f"pages/p{n:03d}/",
                    title=f"测试页面{n:03d}：{chunk[0][:24]}",
                    excerpt=" ".join(chunk[1:3])[:120],
                    text="\n".join(chunk[1:]),
                    kind=KINDS[n % 3],
                    filters=filters,
                )
            )
            n += 1
    records.append(
        SearchRecord(
            url="agencies/371500-wjw/",
            title="聊城市卫生健康委员会",
            excerpt="曾用名：聊城市卫生局、聊城市卫生和计划生育委员会。",
            text="聊城市卫生健康委员会 曾用名 聊城市卫生局（2008—2013） 聊城市卫生和计划生育委员会 12345",
            kind="agency",
            filters={"province": ("山东省",), "level": ("city",)},
        )
    )
    return records


def page_html(title: str, body: str, root: str) -> str:
    """A minimal built page: the search widget and an <article> with the text."""
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<link rel="stylesheet" href="{root}assets/gk-search.css"></head><body>'
        f'<div id="gk-search" data-gk-search></div>'
        f"<article><h1>{html.escape(title)}</h1>{body}</article>"
        f'<script src="{root}assets/gk-search.js"></script></body></html>'
    )


def write_fixture_pages(site_dir: Path, records: list[SearchRecord]) -> None:
    """index.html with the widget, search/ and one page per record."""
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "index.html").write_text(page_html("公开", "", ""), encoding="utf-8")
    (site_dir / "search").mkdir(exist_ok=True)
    (site_dir / "search" / "index.html").write_text(page_html("搜索", "", "../"), encoding="utf-8")
    for r in records:
        depth = r.url.strip("/").count("/") + 1
        paras = "".join(f"<p>{html.escape(line)}</p>" for line in r.text.splitlines())
        page = site_dir / r.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(page_html(r.title, paras, "../" * depth), encoding="utf-8")


class CountingServer:
    """A stdlib HTTP server on 127.0.0.1 that counts bytes served per path."""

    def __init__(self, root: Path):
        self.sent: Counter[str] = Counter()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                data = source.read()
                server.sent[self.path.split("?")[0]] += len(data)
                outputfile.write(data)

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 256  # the browser opens many connections at once
            daemon_threads = True

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def total(self) -> int:
        return sum(self.sent.values())


@contextmanager
def serve(root: Path) -> Iterator[CountingServer]:
    server = CountingServer(root)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
