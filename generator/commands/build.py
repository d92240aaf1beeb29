"""Build the static site from content/ into site/.

Stages: load → validate (errors stop the build and are printed as
diagnostics; exit 1) → model → render (Jinja2 templates → pages) → site
(mkdocs-material, then the search index and the downloads). With the cache
(the default) a build after an earlier one updates site/ in place when only
some pages changed, else it builds the whole site (``site/update.py``). A
failed full build leaves the previous site/ untouched; a failed update leaves
a site the next build makes whole again.

  gongkai build                 content/ → site/
  gongkai build --out /tmp/s    somewhere else
  gongkai build --strict        mkdocs warnings fail the build too
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..cli import UsageError
from ..diagnostics import has_errors
from ..gcutil import frozen
from ..load import load
from ..model import Corpus, build_corpus
from ..pages import Page
from ..paths import CONTENT, SITE, find_root
from ..render import PagePlan, iter_pages, plan_pages
from ..render.pagecache import NO_CACHE, PageCache
from ..site import SiteBuildError, build_site
from ..site.update import build_cached
from ..validate import validate
from ..workers import default_jobs

HELP = "建站：校验内容并生成静态网站 (build the static site into site/)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认 <root>/site）")
    parser.add_argument(
        "--root", type=Path, default=None, help="仓库根目录（含 content/），默认自动查找"
    )
    parser.add_argument("--strict", action="store_true", help="mkdocs 的警告也视为失败")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="不读写 <root>/.cache/gongkai/（已加载的记录、下载文件、搜索分片和上次建站状态的缓存），整站重建",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=0, help="渲染用的进程数（默认：可用的 CPU 数）"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="只输出错误")


@dataclass
class Prepared:
    """The content read and checked, and the plan of its pages (None when it has errors)."""

    corpus: Corpus
    plan: PagePlan | None

    @property
    def ok(self) -> bool:
        return self.plan is not None

    def stream(self, jobs: int = 1) -> Iterator[Page]:
        """Every page, rendered in ``jobs`` processes as it is consumed (summary pages first)."""
        return iter_pages(self.plan, jobs) if self.plan else iter(())

    def release(self) -> None:
        """Drop the corpus and the page plan (their pages are rendered and written)."""
        self.corpus = None  # type: ignore[assignment]
        self.plan = None

    @cached_property
    def pages(self) -> list[Page]:
        """Every page, sorted by path."""
        return sorted(self.stream(), key=lambda p: p.path)


def say(quiet: bool):  # type: ignore[no-untyped-def]
    def emit(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr, flush=True)

    return emit


def prepare(
    root: Path,
    progress=lambda _m: None,  # type: ignore[no-untyped-def]
    cache: bool = True,
    hold: ExitStack | None = None,
) -> Prepared:
    """load → validate → model → page plan; ``ok`` is False when the content has errors.

    The summary pages are rendered here; agency and report pages are rendered
    as ``Prepared.stream`` (or ``.pages``) is consumed. With ``hold``, the
    loaded corpus is kept out of garbage collection until ``hold`` closes
    (``gcutil.frozen``: no collection walks it again, and forked workers share
    its pages).
    """
    t = time.perf_counter()
    content = load(root / CONTENT, cache=cache)
    progress(f"load: {len(content.files)} files in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    diagnostics = validate(content)
    errors = [d for d in diagnostics if d.severity == "error"]
    progress(
        f"validate: {len(errors)} errors, {len(diagnostics) - len(errors)} warnings/notes "
        f"in {time.perf_counter() - t:.1f} s"
    )
    corpus = build_corpus(content, diagnostics)
    del content
    if hold is not None:
        hold.enter_context(frozen())
    if has_errors(diagnostics):
        for d in errors:
            print(d.text(), file=sys.stderr)
        return Prepared(corpus, None)
    t = time.perf_counter()
    page_cache = PageCache(root) if cache else NO_CACHE
    plan = plan_pages(corpus, root, page_cache)
    page_cache.save()
    progress(
        f"render: {len(plan.pages)} summary pages in {time.perf_counter() - t:.1f} s; "
        f"{len(plan.tasks)} agency and report pages to go "
        f"({len(corpus.agencies)} agencies, {len(corpus.reports)} reports)"
    )
    return Prepared(corpus, plan)


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / CONTENT).is_dir():
        raise UsageError(f"{root} 下没有 content/ 目录；请在仓库根目录运行或用 --root 指定。")
    out = (args.out or root / SITE).resolve()
    if out == root or out == root / CONTENT or root.is_relative_to(out):
        raise UsageError(f"不能输出到 {out}：会覆盖仓库内容。")
    progress = say(args.quiet)
    start = time.perf_counter()
    with ExitStack() as hold:
        return _build(args, root, out, progress, start, hold)


def _build(args, root: Path, out: Path, progress, start: float, hold: ExitStack) -> int:  # type: ignore[no-untyped-def]
    prepared = prepare(root, progress, cache=not args.no_cache, hold=hold)
    if not prepared.ok:
        print(
            "build stopped: the content has errors (内容有错误，未建站；上一次的网站保持不变)",
            file=sys.stderr,
        )
        return 1
    jobs = args.jobs or default_jobs()
    progress(f"site: rendering in {jobs} processes")
    try:
        if args.no_cache:
            stats = build_site(
                prepared.stream(jobs),
                prepared.corpus,
                root,
                out,
                args.strict,
                progress,
                release=prepared.release,
            )
        else:
            stats = build_cached(prepared, root, out, args.strict, progress, jobs)
    except SiteBuildError as exc:
        print(f"build failed: {exc} (上一次的网站保持不变)", file=sys.stderr)
        return 1
    progress(
        f"done: {stats.files} files, {stats.bytes / 1e6:.1f} MB in {out} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0
