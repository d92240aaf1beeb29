"""``gongkai serve``: a live preview on localhost.

The pages are written into a docs dir once; ``mkdocs serve`` (live reload)
runs on it in a child process bound to 127.0.0.1, while this process polls
content/, site_templates/ and mkdocs.yml and rewrites only the pages whose
text changed, which mkdocs then rebuilds and reloads in the browser. The
search index and the offline zip are not made in the preview.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..pages import Page
from .build import content_date, prepare_docs, source_date
from .config import site_config, write_config
from .docs import write_docs

WATCHED = ("content", "site_templates", "mkdocs.yml", "generator")


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file."""
    out = {}
    for name in WATCHED:
        base = root / name
        files = [base] if base.is_file() else base.rglob("*") if base.is_dir() else []
        for p in files:
            if p.is_file():
                out[str(p)] = p.stat().st_mtime
    return out


def serve(
    root: Path,
    prepare: Callable[[], tuple[object, list[Page] | None]],
    host: str = "127.0.0.1",
    port: int = 8000,
    interval: float = 1.0,
) -> int:
    """Preview until interrupted; ``prepare()`` gives (corpus, pages or None on errors)."""
    corpus, pages = prepare()
    if pages is None:
        return 1
    with tempfile.TemporaryDirectory(prefix="gongkai-serve-") as work:
        docs_dir = Path(work) / "docs"
        prepare_docs(pages, corpus, docs_dir)  # type: ignore[arg-type]
        cfg = site_config(root, docs_dir, Path(work) / "site", pages, strict=False)
        cfg["extra"]["gk_search"] = False
        config = write_config(cfg, Path(work) / "mkdocs.yml")
        with source_date(content_date(corpus)):  # type: ignore[arg-type]
            child = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"{host}:{port}"]
            )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the child too
        print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
        try:
            _watch(root, prepare, docs_dir, child, interval)
        finally:
            child.terminate()
            child.wait(timeout=10)
    return 0


def _watch(root: Path, prepare, docs_dir: Path, child: subprocess.Popen, interval: float) -> None:  # type: ignore[no-untyped-def]
    seen = snapshot(root)
    while child.poll() is None:
        time.sleep(interval)
        now = snapshot(root)
        if now == seen:
            continue
        seen = now
        _corpus, pages = prepare()
        if pages is not None:
            n = write_docs(pages, docs_dir, only_changed=True)
            print(f"rebuilt: {n} pages changed", file=sys.stderr)
