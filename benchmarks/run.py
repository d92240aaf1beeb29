"""One benchmark run: gongkai on N synthetic reports, and plain mkdocs-material on the same pages.

    python -m benchmarks.run --reports 3200 --baseline
    make bench N=3200

Measures, in one run on one machine: the full build (`gongkai build`, which
validates, renders, builds the site and the search index, then `gongkai
package`), a rebuild after editing one report, `gongkai validate`, `gongkai
package`, peak memory of each, the report pages' HTML size, the site's size
and the bytes a browser downloads for one Chinese search; with --baseline,
the same figures for plain mkdocs-material with its built-in search (lang zh)
on equivalent pages. Prints the figures and the ratios and appends them to
benchmarks/RESULTS.md. Work files go to benchmarks/work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import baseline, browser
from .measure import Run, run
from .results import Results, append, section
from .sitestats import SiteStats, site_stats

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GONGKAI = str(BIN / "gongkai")
MKDOCS = str(BIN / "mkdocs")
EDIT_SETTLE_S = 2.5  # not timed
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}
EDIT_LINE = "      （基准测试：编辑一份报告后重建，第 {n} 次。）\n"
REBUILDS = 3  # one-edit rebuilds, each after its own edit; the figure is their median


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, required=True, metavar="N")
    p.add_argument("--baseline", action="store_true", help="also build plain mkdocs-material")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    p.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work")
    p.add_argument("--no-browser", action="store_true", help="skip the search download probe")
    p.add_argument("--no-append", action="store_true", help="print only; do not touch --out")
    return p.parse_args(argv)


def edit_one_report(content: Path, n: int = 1) -> Path:
    """Add line ``n`` to the first narrative of the middle report; the file edited."""
    files = sorted((content / "reports").rglob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "    text: |\n"
    path.write_text(text.replace(marker, marker + EDIT_LINE.format(n=n), 1), encoding="utf-8")
    return path


def median_run(runs: list[Run]) -> Run:
    """The run of median time (a failed run, if any: it is reported as failed)."""
    failed = [r for r in runs if not r.ok]
    return failed[0] if failed else sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def _probe(site: Path, skip: bool) -> tuple[browser.SearchProbe | None, str]:
    if skip:
        return None, "skipped (--no-browser)"
    try:
        return browser.probe(site), ""
    except Exception as exc:  # the figure is reported as missing, with the reason
        return None, f"probe failed: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"


def compile_generator() -> str:
    """Compile gongkai's modules to bytecode before timing anything; a note for RESULTS.md
    when that was needed.

    Python caches each module's bytecode beside its source on first import, and
    pip does it on install for the baseline's packages; where the environment
    says not to (``PYTHONDONTWRITEBYTECODE``, as on this project's sandboxes),
    every gongkai command would compile its own modules again (0.15 s each),
    which no user pays twice.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return ""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "generator")], check=True)
    return (
        "PYTHONDONTWRITEBYTECODE was set: generator/ was compiled to bytecode first "
        "(python -m compileall), as Python does itself on a first run anywhere else."
    )


def clear_outputs(work: Path) -> None:
    """Remove the site, the data package and every cache: the next build starts cold."""
    for name in ("site", "datapackage", ".cache"):
        shutil.rmtree(work / name, ignore_errors=True)


def measure_gongkai(work: Path, args) -> dict:
    """Synthesize, validate, build, package, rebuild; site sizes and search bytes.

    ``validate`` runs without the record cache (as on a fresh clone); the full
    build starts with no site, package or cache; ``package`` then runs as it
    would after a build (it reuses the records the build cached); the rebuild
    follows an edit of one report, with the caches of the full build.
    """
    logs = work / "logs"
    clear_outputs(work)
    synth = run("synth", [GONGKAI, "synth", "--reports", str(args.reports), "--out", str(work),
                          "--seed", str(args.seed)], REPO, logs)  # fmt: skip
    root = ["--root", str(work)]
    validate = run("validate", [GONGKAI, "validate", *root, "--no-cache", "--min-severity", "error"], REPO, logs)  # fmt: skip
    clear_outputs(work)
    site = work / "site"
    build = run("build", [GONGKAI, "build", *root, "--out", str(site)], REPO, logs, QUIET_ENV)
    package = run("package", [GONGKAI, "package", *root, "--out", str(work / "datapackage")], REPO, logs)  # fmt: skip
    stats = site_stats(site) if build.ok else None
    probe, why = _probe(site, args.no_browser) if build.ok else (None, "build failed")
    rebuilds = []
    for n in range(1, REBUILDS + 1):  # one run is at the mercy of the machine's noise
        edited = edit_one_report(work / "content", n)
        print(f"[bench] edited {edited.relative_to(work)} ({n} of {REBUILDS})", file=sys.stderr)
        # As a volunteer would, build a moment after saving: the caches take in no file
        # younger than 2 s (its time stamp could hide a second edit in the same tick).
        time.sleep(EDIT_SETTLE_S)
        name = "rebuild" if n == 1 else f"rebuild-{n}"
        rebuilds.append(run(name, [GONGKAI, "build", *root, "--out", str(site)], REPO, logs, QUIET_ENV))  # fmt: skip
    rebuild = median_run(rebuilds)
    repackage = run("repackage", [GONGKAI, "package", *root, "--out", str(work / "datapackage")], REPO, logs)  # fmt: skip
    return dict(synth=synth, validate=validate, build=build, package=package, rebuild=rebuild,
                rebuilds=rebuilds, repackage=repackage, stats=stats, probe=probe, probe_note=why)  # fmt: skip


def measure_baseline(work: Path, args) -> dict:
    """Plain mkdocs-material pages from the same reports, built with its search (lang zh)."""
    base = work / "baseline"
    shutil.rmtree(base, ignore_errors=True)
    started = time.perf_counter()
    pages = baseline.write_docs(work / "content", base)
    print(f"[bench] baseline: {pages} pages written in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)  # fmt: skip
    build = run("baseline-build", [MKDOCS, "build", "-q"], base, work / "logs", QUIET_ENV)
    site = base / "site"
    stats = site_stats(site) if build.ok else None
    probe, why = _probe(site, args.no_browser) if build.ok else (None, "build failed")
    return dict(build=build, stats=stats, probe=probe, probe_note=why)


def _seconds(r: Run | None) -> float | None:
    return r.seconds if r is not None and r.ok else None


def _mb(r: Run | None) -> float | None:
    return r.peak_mb if r is not None and r.ok else None


def _failed(r: Run) -> str:
    return "" if r.ok else f"failed (exit {r.returncode}), log {r.log.name}"


def collect(g: dict, b: dict | None, reports: int, seed: int) -> Results:
    """The figures of a run, with the baseline's beside them."""
    res = Results(reports, seed)
    bb = b["build"] if b else None
    full = g["build"].seconds + g["package"].seconds if g["build"].ok and g["package"].ok else None
    res.add("full build: build + package", "s", full, _seconds(bb), "baseline: mkdocs build")
    res.add("gongkai build (validate, render, site, search)", "s", _seconds(g["build"]),
            _seconds(bb), _failed(g["build"]))  # fmt: skip
    each = ", ".join(f"{r.seconds:.2f}" for r in g["rebuilds"])
    res.add("rebuild after editing one report", "s", _seconds(g["rebuild"]), _seconds(bb),
            _failed(g["rebuild"]) or f"median of {len(g['rebuilds'])} edits and rebuilds ({each} s); "
            "baseline: a full mkdocs build (it has no incremental build)")  # fmt: skip
    res.add(
        "package again after that edit", "s", _seconds(g["repackage"]), note=_failed(g["repackage"])
    )
    for stage, seconds in stage_times(g["build"].log).items():
        res.add(
            f"full build, stage: {stage}", "s", seconds, note="from the build's own progress lines"
        )
    for stage, seconds in stage_times(g["rebuild"].log).items():
        res.add(
            f"rebuild, stage: {stage}", "s", seconds, note="from the build's own progress lines"
        )
    res.add("gongkai validate", "s", _seconds(g["validate"]), note=_failed(g["validate"]))
    res.add("gongkai package", "s", _seconds(g["package"]), note=_failed(g["package"]))
    during = g["build"].peak_during
    res.add(
        "peak memory, build",
        "MB",
        _mb(g["build"]),
        _mb(bb),
        "process tree, summed PSS, sampled"
        + (f"; at its peak the build had last printed “{during[:80]}”" if during else ""),
    )
    res.add("peak memory, validate", "MB", _mb(g["validate"]))
    res.add("peak memory, package", "MB", _mb(g["package"]))
    _site_figures(res, g["stats"], b["stats"] if b else None)
    _probe_figures(res, g, b)
    res.add("synth (not part of the build)", "s", _seconds(g["synth"]))
    return res


_STAGE = re.compile(r"^\s*([a-z][a-z ]*?):.*?\bin ([0-9.]+) s\b|^\s*([a-z][a-z ]*?): ([0-9.]+) s\b")


def stage_times(log: Path) -> dict[str, float]:
    """The stage times a build prints (``load: … in 1.2 s``, ``  search: 10.9 s``)."""
    out: dict[str, float] = {}
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return out
    for line in lines:
        m = _STAGE.match(line)
        if m:
            name, seconds = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if "summary pages" in line:  # "render: 92 summary pages in …", before the pages'
                name = "summary pages"
            out[name.strip()] = float(seconds)
    return out


def _site_figures(res: Results, s: SiteStats | None, bs: SiteStats | None) -> None:
    def get(stats, attr):
        return getattr(stats, attr) if stats else None

    res.add("site size", "MB", get(s, "total_mb"), get(bs, "total_mb"))
    res.add("site files", "files", get(s, "files"), get(bs, "files"))
    res.add(
        "report page HTML, median", "KB", get(s, "report_median_kb"), get(bs, "report_median_kb")
    )
    res.add("report page HTML, max", "KB", get(s, "report_max_kb"), get(bs, "report_max_kb"))
    res.add("report pages found", "pages", get(s, "report_pages"), get(bs, "report_pages"))


def _probe_figures(res: Results, g: dict, b: dict | None) -> None:
    p, bp = g["probe"], b["probe"] if b else None
    note = g["probe_note"] or (b["probe_note"] if b else "")
    q = f"query {browser.QUERY}; uncompressed"
    first = f"{q}; first screen of results" + (
        f", {p.searched} index parts searched" if p and p.searched else ""
    )
    res.add("one search: search files downloaded", "KB", p and p.search_kb, bp and bp.search_kb,
            f"{first}; {note}".strip("; "))  # fmt: skip
    res.add(
        "one search: page + search, all files", "KB", p and p.total_kb, bp and bp.total_kb, first
    )
    res.add("one search: results found", "results", p and p.results, bp and bp.results,
            "gongkai: found in the parts searched for the first screen")  # fmt: skip
    res.add("one search, every part searched: search files", "KB", p and p.all_search_kb,
            bp and bp.search_kb, f"{q}; after 「在其余…个部分中继续搜索」; baseline: its one index")  # fmt: skip
    res.add("one search, every part searched: results", "results", p and p.all_results,
            bp and bp.results)  # fmt: skip


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine skews the times)."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    work = (args.work / f"n{args.reports}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    load_before = load_average()
    compiled = compile_generator()
    g = measure_gongkai(work, args)
    b = measure_baseline(work, args) if args.baseline else None
    res = collect(g, b, args.reports, args.seed)
    res.notes.append(
        f"Load average (1/5/15 min) at the start {load_before}, at the end {load_average()}."
    )
    if not args.baseline:
        res.notes.append("Baseline not built in this run (no --baseline).")
    if compiled:
        res.notes.append(compiled)
    print(section(res, REPO))
    if not args.no_append:
        append(res, args.out, REPO)
        print(f"[bench] appended to {args.out}", file=sys.stderr)
    return 0 if all(r.ok for r in (g["build"], g["validate"], g["package"])) else 1


if __name__ == "__main__":
    sys.exit(main())
