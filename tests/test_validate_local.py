"""Per-report checks run (and are cached) where reports are loaded: same diagnostics every way.

The reference runs every check in this process on the loaded records, as
``validate`` did before the loader ran the local checks. Against it:
loading in worker processes or not, with the cache cold, warm or off, on
the repository's ``content/``, the test fixtures and a synthetic corpus with
faults of every kind the report checks find.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

import generator.load as loader
from generator import loadcache
from generator.load import Content, load
from generator.validate import validate

REPO = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (REPO / "tests" / "fixtures").glob("*/content") if p.is_dir())


pytestmark = pytest.mark.usefixtures("own_cache_key")


def _reference(content: Content) -> list:
    """Every check run here, on the same records: nothing taken from the loader."""
    return validate(dataclasses.replace(content, checked={}))


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "repo" / "content"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".cache"))
    return dst


def _faulty(tmp_path: Path) -> Path:
    """A synthetic corpus with broken sums, wrong years, copies, late and orphan reports."""
    from generator.synth import synthesize

    synthesize(tmp_path / "repo", 48, seed=5)
    content = tmp_path / "repo" / "content"
    reports = sorted((content / "reports").rglob("*.yaml"))
    texts = {p: p.read_text(encoding="utf-8") for p in reports}
    for i, path in enumerate(reports):
        text = texts[path]
        if i % 5 == 0:  # a total no longer adds up
            text = re.sub(r"total: (\d+)", lambda m: f"total: {int(m.group(1)) + 7}", text, count=1)
        if i % 7 == 1:  # the title names another year; published before the year ended
            text = re.sub(r"(title: \D*)(20\d\d)", r"\g<1>2095", text, count=1)
            text = re.sub(r"published: (20\d\d)", r"published: 2001", text, count=1)
        if i % 11 == 2:  # a table row dropped
            text = re.sub(r"\n  granted: \{[^\n]*", "", text, count=1)
        if i % 13 == 3:  # the raw text is gone
            text = re.sub(r"raw: [^,}]*", "raw: content/raw/nowhere.txt", text, count=1)
        if i % 9 == 4 and i + 1 < len(reports):  # the text of another agency's report
            other = texts[reports[-1 - i]]
            start = other.index("\nsections:")
            end = other.index("\n", other.index("heading: 六"))
            mine_start = text.index("\nsections:")
            mine_end = text.index("\n", text.index("heading: 六"))
            text = text[:mine_start] + other[start:end] + text[mine_end:]
        if i % 17 == 5:  # the narrative contradicts table 3
            text = text.replace(
                "收到政府信息公开申请", "共收到申请 99999 件。收到政府信息公开申请", 1
            )
        if i % 29 == 8:  # the line range runs past the end of the raw text
            text = re.sub(r"(raw: [^,}]*, lines: )[0-9-]+", r"\g<1>1-99999", text, count=1)
        if i % 23 == 7:  # carried over from last year differs from what it carried forward
            text = re.sub(
                r"carried_over: \{natural_person: (\d+)",
                "carried_over: {natural_person: 91",
                text,
                count=1,
            )
        if i % 19 == 6:  # published late
            text = re.sub(r"published: (20\d\d)", r"published: 2031", text, count=1)
        path.write_text(text, encoding="utf-8")
    # a second file with the ID of an existing report (the file name is wrong)
    first = reports[0]
    twin = first.with_name("2999.yaml")
    twin.write_text(texts[first].replace("title: ", "title: 重复", 1), encoding="utf-8")
    return content


# (cache, slim): cache off, cold (cleared first) or warm; slim records (``validate`` alone)
WAYS = (
    ("off", False),
    ("off", True),
    ("cold", False),
    ("warm", False),
    ("cold", True),
    ("warm", True),
)


def _every_way(content: Path, monkeypatch) -> list:
    """Cold and warm, with and without workers, whole or slim records: all equal the reference."""
    expected = None
    for workers in (False, True):
        monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1 if workers else 10**9)
        for cache, slim in WAYS:
            if cache == "cold":
                shutil.rmtree(content.parent / loadcache.CACHE_DIR, ignore_errors=True)
            loaded = load(content, cache=cache != "off", slim=slim)
            got = validate(loaded)
            if expected is None:
                expected = _reference(loaded)
            assert got == expected, (workers, cache, slim)
            if not slim:  # the reference needs whole records
                assert _reference(loaded) == expected
    return expected


def test_synthetic_corpus_with_faults(tmp_path, monkeypatch):
    content = _faulty(tmp_path)
    checks = {d.check for d in _every_way(content, monkeypatch)}
    local = {"year_title", "year_published", "table_row_missing", "narrative_table"}
    context = {"copied_text", "source_raw_missing", "late_report", "id_filename", "carry_over"}
    context.add("source_lines_range")
    assert local | context <= checks
    assert {"requests_applicant_sum", "requests_balance"} <= checks


def test_slim_load_from_a_relative_root(tmp_path, monkeypatch):
    """The source check in the workers resolves raw paths as ``validate`` would."""
    content = _faulty(tmp_path)
    expected = validate(load(content, cache=False))
    monkeypatch.chdir(content.parent.parent)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    loaded = load(Path("repo/content"), cache=False, slim=True)
    assert loaded.sourced
    assert validate(loaded) == expected


def test_repository_content(tmp_path, monkeypatch):
    _every_way(_copy(REPO / "content", tmp_path), monkeypatch)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.parent.name)
def test_fixtures(fixture, tmp_path, monkeypatch):
    _every_way(_copy(fixture, tmp_path), monkeypatch)


def test_a_record_replaced_after_loading_is_checked_again(tmp_path):
    content = _faulty(tmp_path)
    loaded = load(content, cache=False)
    rid, report = next(iter(loaded.reports.items()))
    loaded.reports[rid] = dataclasses.replace(report, title="标题写的是 2088 年")
    diags = [d for d in validate(loaded) if d.file == report.file and d.check == "year_title"]
    assert diags and "2088" in diags[0].message


def test_a_cached_bucket_of_another_check_version_is_not_used(tmp_path, monkeypatch):
    content = _faulty(tmp_path)
    load(content)
    loadcache.version.cache_clear()
    source = loadcache._PACKAGE / "validate" / "report_checks.py"
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# edited\n" if path == source else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    try:
        changed = loadcache.version()
    finally:
        monkeypatch.undo()
        loadcache.version.cache_clear()
    assert changed != loadcache.version()
