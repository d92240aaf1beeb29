"""Rebuilds with the shard cache, and the runs a page is indexed by.

A build that finds its shards in the cache must write byte-identical search
files to a cold build; an edit to one page re-indexes only its shard.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from search_helpers import fixture_records

from generator.search import cache, index_site, matches
from generator.search.index import PRIMARY, page_runs, plan_shards
from generator.search.tokens import runs

SHARD_PAGES = 25


def tree(site: Path) -> dict[str, bytes]:
    """Every search file of a site, by relative path."""
    return {
        str(p.relative_to(site)): p.read_bytes()
        for d in sorted(site.glob("pagefind*"))
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


def entries(cache_dir: Path) -> set[str]:
    return {p.name for p in cache_dir.iterdir() if p.is_dir()}


def test_warm_build_is_byte_identical_and_edit_reindexes_one_shard(tmp_path):
    records = fixture_records()
    cache_dir = tmp_path / "cache"
    plain = tmp_path / "plain"
    index_site(plain, records, max_shard_pages=SHARD_PAGES)
    cold = tmp_path / "cold"
    index_site(cold, records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir)
    assert tree(cold) == tree(plain)
    shards = plan_shards(records, SHARD_PAGES)
    first = entries(cache_dir)
    assert len(first) == len(shards) > 2

    warm = tmp_path / "warm"
    index_site(warm, records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir)
    assert tree(warm) == tree(cold)
    assert entries(cache_dir) == first

    last = shards[-1].records[-1]
    edited = [
        dataclasses.replace(r, text=r.text + "\n新增的一句话：缓存测试甲乙") if r is last else r
        for r in records
    ]
    again = tmp_path / "again"
    index_site(again, edited, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir)
    second = entries(cache_dir)
    assert len(second) == len(first) and len(second - first) == 1  # one shard re-indexed
    fresh = tmp_path / "fresh"
    index_site(fresh, edited, max_shard_pages=SHARD_PAGES)
    assert tree(again) == tree(fresh)
    assert tree(again) != tree(cold)


def test_reindexed_shard_prepares_only_the_changed_pages(tmp_path, monkeypatch):
    from generator.search import index

    records = fixture_records()
    cache_dir = tmp_path / "cache"
    index_site(tmp_path / "cold", records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir, jobs=1)
    shard = plan_shards(records, SHARD_PAGES)[1]
    first, second = shard.records[0], shard.records[3]
    edited = [
        dataclasses.replace(r, text="乙丙丁 " + r.text.replace("公开", "公示"))
        if r is first
        else dataclasses.replace(r, filters={**r.filters, "year": ("1999",)})
        if r is second
        else r
        for r in records
    ]
    read: list[int] = []
    real_read = index.read_records
    monkeypatch.setattr(
        index, "read_records", lambda spool, es: read.append(len(es)) or real_read(spool, es)
    )
    again = tmp_path / "again"
    index_site(again, edited, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir, jobs=1)
    assert read == [2]  # one shard re-indexed, two of its records read and tokenized
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    index_site(fresh, edited, max_shard_pages=SHARD_PAGES)
    assert tree(again) == tree(fresh)

    # Prepared pages made by other code (which may tokenize differently) are not used.
    (entry,) = [
        e
        for e in cache_dir.iterdir()
        if (e / cache.PATH).is_file() and (e / cache.PATH).read_text() == shard.path
    ]
    assert cache.load_prepared(entry) is not None
    monkeypatch.setattr(cache, "code_version", lambda: "other code")
    assert cache.load_prepared(entry) is None
    monkeypatch.undo()

    # Prepared pages that do not fit their word table are not used.
    (entry,) = [
        e
        for e in cache_dir.iterdir()
        if (e / cache.PATH).is_file() and (e / cache.PATH).read_text() == shard.path
    ]
    data = json.loads((entry / cache.PREPARED).read_text(encoding="utf-8"))
    data["words"] = data["words"][:3]
    (entry / cache.PREPARED).write_text(json.dumps(data), encoding="utf-8")
    assert cache.load_prepared(entry) is None
    index_site(again, records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir, jobs=1)
    assert tree(again) == tree(tmp_path / "cold")


def test_incomplete_entry_is_not_used(tmp_path):
    records = fixture_records()[:10]
    cache_dir = tmp_path / "cache"
    index_site(tmp_path / "a", records, cache_dir=cache_dir)
    (key,) = entries(cache_dir)
    (cache_dir / key / cache.SUCCESSORS).unlink()  # as if interrupted
    index_site(tmp_path / "b", records, cache_dir=cache_dir)
    assert tree(tmp_path / "b") == tree(tmp_path / "a")
    assert (cache_dir / key / cache.SUCCESSORS).is_file()


def test_prune_removes_temporary_entries_of_dead_processes(tmp_path):
    key = "a" * 64
    dead = tmp_path / f"{key}.tmp-{2**22 + 12345}-0"  # above Linux's pid_max default
    mine = tmp_path / f"{key}.tmp-{os.getpid()}-0"
    for d in (dead, mine, tmp_path / key, tmp_path / ("b" * 64)):
        d.mkdir()
    cache.prune(tmp_path, {key})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, key])


def test_cache_key_follows_every_field():
    record = fixture_records()[0]
    key = cache.shard_key([record], primary=True)
    assert key == cache.shard_key([record], primary=True)
    assert key != cache.shard_key([record], primary=False)
    for change in (
        {"url": "x/"},
        {"title": "x"},
        {"excerpt": "x"},
        {"text": "x"},
        {"kind": "page"},
        {"filters": {"year": ("1999",)}},
    ):
        assert cache.shard_key([dataclasses.replace(record, **change)], True) != key, change


def test_manifest_names_the_primary_shard(tmp_path):
    index_site(tmp_path, fixture_records()[:5], cache_dir=tmp_path / "c")
    manifest = json.loads((tmp_path / PRIMARY / "gk-search.json").read_text(encoding="utf-8"))
    assert manifest["shards"][0]["path"] == "pagefind/"


TEXT = st.text(alphabet="公开依申请市县，。 ab1", max_size=60)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, text=TEXT, query=st.text(alphabet="公开依申请市县 a1", min_size=1, max_size=6))
def test_page_runs_keep_search_exact(title, text, query):
    """A query matches the page exactly when each of its runs is inside one indexed run."""
    kept = page_runs(title, text)
    assert len(kept) == len(set(kept))
    assert kept[: len(set(runs(title)))] == list(dict.fromkeys(runs(title)))
    parts = runs(query)
    found = bool(parts) and all(any(p in run for run in kept) for p in parts)
    assert found == matches(f"{title}\n{text}", query)
