"""The report-parts cache and the fast paths: same bytes as computing everything, never stale."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from package_helpers import FIXTURE_ROOT

from generator.commands.package import load_corpus
from generator.package import cache as cache_mod
from generator.package.cache import NoCache, PartsCache, computed_parts
from generator.package.meta import current_release
from generator.package.parts import report_parts
from generator.package.site import write_downloads
from generator.package.tables import sorted_reports
from generator.statdigest import MARGIN_NS


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A copy of the fixture content; its files count as older than this process."""
    shutil.copytree(FIXTURE_ROOT / "content", tmp_path / "repo" / "content")
    monkeypatch.setattr(cache_mod, "START_NS", time.time_ns() + 10 * MARGIN_NS)
    return tmp_path / "repo"


def run(root: Path, out: Path) -> PartsCache:
    """write_downloads with the cache; returns the cache used (for its hit counts)."""
    corpus = load_corpus(root)
    reports = sorted_reports(corpus)
    with PartsCache(root) as cache:
        list(cache.iter_parts(corpus, reports, current_release()))
    write_downloads(corpus, out, root=root)
    return cache


def test_cached_downloads_identical_to_uncached(root, tmp_path):
    plain = tmp_path / "plain"
    write_downloads(load_corpus(root), plain)
    first = run(root, tmp_path / "a")
    second = run(root, tmp_path / "b")
    assert first.misses == 3 and second.hits == 3 and second.misses == 0
    assert tree(tmp_path / "a") == tree(plain) == tree(tmp_path / "b")
    assert list((root / ".cache/gongkai/package/parts").rglob("*"))


def test_edited_report_recomputed(root, tmp_path):
    run(root, tmp_path / "a")
    path = root / "content/reports/371500-wjw/2023.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "reconsideration: {upheld: 2", "reconsideration: {upheld: 3"
        ),
        encoding="utf-8",
    )
    again = run(root, tmp_path / "b")
    assert (again.hits, again.misses) == (2, 1)
    plain = tmp_path / "plain"
    write_downloads(load_corpus(root), plain)
    assert tree(tmp_path / "b") == tree(plain)
    assert tree(tmp_path / "b") != tree(tmp_path / "a")


def test_file_changed_during_the_run_is_not_cached(root, tmp_path, monkeypatch):
    """A file newer than the process may not be what the corpus was loaded from."""
    monkeypatch.setattr(cache_mod, "START_NS", time.time_ns() - 10 * MARGIN_NS)
    first = run(root, tmp_path / "a")
    second = run(root, tmp_path / "b")
    assert second.hits == 0 and second.misses == 3 == first.misses
    assert not list((root / ".cache/gongkai/package").rglob("parts/*/*"))


def test_bad_entry_is_a_miss(root, tmp_path):
    run(root, tmp_path / "a")
    for entry in (root / ".cache/gongkai/package/parts").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not marshal")
    again = run(root, tmp_path / "b")
    assert again.misses == 3
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_code_change_changes_every_key(root, monkeypatch):
    corpus = load_corpus(root)
    report = sorted_reports(corpus)[0]
    cache = PartsCache(root)
    before = cache.key(corpus, report, current_release())
    monkeypatch.setattr(cache_mod, "code_digest", lambda: "other")
    assert cache.key(corpus, report, current_release()) != before


def test_workers_give_the_same_parts(monkeypatch):
    corpus = load_corpus(FIXTURE_ROOT)
    reports = sorted_reports(corpus)
    release = current_release()
    monkeypatch.setattr(cache_mod, "PARALLEL_MIN", 1)
    parallel = [p.to_plain() for p in computed_parts(corpus, reports, release)]
    assert parallel == [report_parts(corpus, r, release).to_plain() for r in reports]
    assert [p.to_plain() for p in NoCache().iter_parts(corpus, reports, release)] == parallel


def test_forged_entry_is_not_used(root, tmp_path):
    """An entry someone committed (not signed with the user's key) is a miss."""
    import marshal

    run(root, tmp_path / "a")
    for entry in (root / ".cache/gongkai/package/parts").rglob("*"):
        if entry.is_file():
            forged = marshal.dumps(({"reports": "forged\n"}, {}, "", ""))
            entry.write_bytes(b"\0" * 32 + forged)
    again = run(root, tmp_path / "b")
    assert again.hits == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
