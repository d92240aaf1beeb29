"""The benchmark harness produces every figure (their values are benchmark business, not tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import baseline, run
from benchmarks.results import Results, table
from benchmarks.sitestats import site_stats
from generator.load import load
from generator.synth import synthesize


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-synth")
    synthesize(out, 20, seed=1)
    return out


def test_baseline_pages_hold_the_reports_tables_and_text(small, tmp_path):
    assert baseline.write_docs(small / "content", tmp_path) == 20
    pages = sorted((tmp_path / "docs" / "reports").rglob("*.md"))
    assert len(pages) == 20
    gov = next(p for p in pages if "| 一、本年新收政府信息公开申请数量 |" in p.read_text())
    report = load(small / "content").reports[f"{gov.parent.name}/{gov.stem}"]
    assert report.sections[0].text.split("\n")[0] in gov.read_text()
    assert "lang: zh" in (tmp_path / "mkdocs.yml").read_text()


def test_edit_one_report_changes_one_narrative(small, tmp_path):
    import shutil

    shutil.copytree(small / "content", tmp_path / "content")
    edited = run.edit_one_report(tmp_path / "content")
    assert run.EDIT_LINE.format(n=1) in edited.read_text()
    assert run.edit_one_report(tmp_path / "content", 2) == edited  # each rebuild's own line
    text = edited.read_text()
    assert run.EDIT_LINE.format(n=1) in text and run.EDIT_LINE.format(n=2) in text
    content = load(tmp_path / "content")
    assert not [d for d in content.diagnostics if d.severity == "error"]


def test_median_run_is_the_middle_time_or_a_failure():
    from benchmarks.measure import Run

    def r(seconds, code=0):  # type: ignore[no-untyped-def]
        return Run("rebuild", seconds, 0.0, 0.0, code, Path("x.log"))

    runs = [r(5.0), r(3.0), r(4.0)]
    assert run.median_run(runs).seconds == 4.0
    assert run.median_run([r(3.0), r(9.0, code=1), r(4.0)]).seconds == 9.0


def test_site_stats_finds_report_pages(tmp_path):
    page = tmp_path / "agencies" / "110100-wjw" / "2023" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"x" * 2048)
    (tmp_path / "index.html").write_bytes(b"y" * 1024)
    stats = site_stats(tmp_path)
    assert (stats.files, stats.report_pages, stats.report_median_kb) == (2, 1, 2.0)


def test_ratio_table_marks_missing_figures():
    res = Results(10, 0)
    res.add("build", "s", 2.0, 8.0)
    res.add("search", "KB", None, 5.0, "probe failed")
    text = table(res)
    assert "0.25×" in text and "| — |" in text


@pytest.mark.slow
@pytest.mark.browser
def test_harness_at_n20_produces_every_figure(tmp_path):
    out = tmp_path / "RESULTS.md"
    code = run.main(["--reports", "20", "--baseline", "--out", str(out), "--work", str(tmp_path)])
    assert code == 0
    text = out.read_text()
    for name in (
        "full build",
        "rebuild after editing one report",
        "gongkai validate",
        "gongkai package",
        "peak memory, build",
        "report page HTML, median",
        "report page HTML, max",
        "one search: search files downloaded",
        "one search, every part searched: search files",
    ):
        row = next(line for line in text.splitlines() if line.startswith(f"| {name}"))
        gongkai, base = row.split("|")[2:4]
        assert gongkai.strip() != "—", row
        if name in (
            "full build",
            "report page HTML, median",
            "one search: search files downloaded",
        ):
            assert base.strip() != "—", row


def test_stage_times_keep_the_summary_pages_apart_from_the_pages(tmp_path):
    log = tmp_path / "build.log"
    log.write_text(
        "load: 3543 files in 1.1 s\n"
        "render: 92 summary pages in 0.4 s; 3433 agency and report pages to go\n"
        "  render: 99 pages made again, 3415 unchanged in 0.2 s\n"
        "  search: 0.5 s\n",
        encoding="utf-8",
    )
    assert run.stage_times(log) == {
        "load": 1.1,
        "summary pages": 0.4,
        "render": 0.2,
        "search": 0.5,
    }
