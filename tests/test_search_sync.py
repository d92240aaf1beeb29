"""Indexing into a site that holds the previous build's index: updated in place.

After any change of the records the site's search files must be byte-identical
to indexing into an empty directory, and every file whose bytes did not change
must be the same file as before (same inode, same mtime): nothing is written
where nothing changed, and no existing file is ever written into.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from search_helpers import fixture_records

from generator.pages import SearchRecord
from generator.search import cache, index_site
from generator.search.index import NEXT_DIR, PRIMARY, plan_shards, province_of
from generator.search.sync import scan, sync_files, sync_tree, walk, write_if_changed

SHARD_PAGES = 25


def files(site: Path) -> dict[str, os.stat_result]:
    """Every search file of a site (the shards, the manifest, gk-next, the assets)."""
    out = {}
    for d in sorted(site.glob("pagefind*")):
        out.update({f"{d.name}/{rel}": st for rel, st in scan(d).items()})
    out.update({f"assets/{rel}": st for rel, st in scan(site / "assets").items()})
    return out


def tree(site: Path) -> dict[str, bytes | None]:
    """The bytes of every search file, and every directory of the index (as None)."""
    out: dict[str, bytes | None] = {rel: (site / rel).read_bytes() for rel in files(site)}
    for d in site.glob("pagefind*"):
        out.update({f"{d.name}/{rel}/": None for rel in walk(d)[1]})
    return out


def snapshot(site: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        rel: ((site / rel).read_bytes(), st.st_ino, st.st_mtime_ns)
        for rel, st in files(site).items()
    }


def fresh(tmp_path: Path, records: list[SearchRecord], name: str = "fresh") -> dict[str, bytes]:
    site = tmp_path / name
    index_site(site, records, max_shard_pages=SHARD_PAGES)
    return tree(site)


def assert_unchanged_files_kept(before: dict, site: Path) -> int:
    """Every file whose bytes are the same as before is the same file; return how many."""
    kept = 0
    for rel, st in files(site).items():
        if rel in before and before[rel][0] == (site / rel).read_bytes():
            assert (st.st_ino, st.st_mtime_ns) == before[rel][1:], rel
            kept += 1
    return kept


def shard_dirs(before: dict, site: Path) -> tuple[set[str], set[str]]:
    """The shard directories whose files are all as before (the same bytes, inodes and
    mtimes; the manifest and gk-next, which follow every shard, aside), and the others."""
    now = snapshot(site)

    def of(snap: dict, d: str) -> dict:
        return {r: v for r, v in snap.items() if r.startswith(d + "/") and not _extra(r)}

    dirs = {rel.split("/")[0] for rel in [*before, *now] if rel.startswith("pagefind")}
    same = {d for d in dirs if of(before, d) == of(now, d)}
    return same, dirs - same


def _extra(rel: str) -> bool:
    return rel.startswith(f"{PRIMARY}/{NEXT_DIR}/") or rel == f"{PRIMARY}/gk-search.json"


@pytest.fixture(scope="module")
def records() -> list[SearchRecord]:
    return fixture_records()


@pytest.fixture
def built(tmp_path, records):
    """A site and cache holding the index of ``records``, and a snapshot of its files."""
    site, cache_dir = tmp_path / "site", tmp_path / "cache"
    index_site(site, records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir)
    assert len(plan_shards(records, SHARD_PAGES)) >= 3
    return site, cache_dir, snapshot(site)


def rebuild(site: Path, cache_dir: Path, records: list[SearchRecord]) -> None:
    index_site(site, records, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir)


def test_same_records_touch_nothing(built, records):
    site, cache_dir, before = built
    rebuild(site, cache_dir, records)
    assert snapshot(site) == before


def test_text_edit_replaces_only_what_changed(built, records, tmp_path):
    site, cache_dir, before = built
    shards = plan_shards(records, SHARD_PAGES)
    last = shards[-1].records[-1]
    edited = [
        dataclasses.replace(r, text=r.text + "\n就地更新测试：甲乙丙") if r is last else r
        for r in records
    ]
    rebuild(site, cache_dir, edited)
    assert tree(site) == fresh(tmp_path, edited)
    same, changed = shard_dirs(before, site)
    assert changed == {shards[-1].path}
    assert same == {s.path for s in shards[:-1]}
    # In the changed shard too, the files with unchanged bytes (most fragments) are kept.
    kept = assert_unchanged_files_kept(before, site)
    changed_fragments = [r for r in scan(site / shards[-1].path) if r.startswith("fragment/")]
    assert kept > len(before) - 20 and len(changed_fragments) == len(shards[-1].records)


@pytest.mark.parametrize(
    ("province", "count"),
    [("黑龙江省", 30), ("北京市", 1)],  # sorts last: a new shard; first: every boundary moves
)
def test_records_in_a_new_province(built, records, tmp_path, province, count):
    site, cache_dir, before = built
    added = [
        SearchRecord(
            url=f"new/{i:03d}/",
            title=f"{province}新增页面{i}",
            excerpt="新增",
            text=f"{province}人民政府 政府信息公开 新增页面{i} 依申请公开",
            kind="report",
            filters={"province": (province,), "year": ("2024",)},
        )
        for i in range(count)
    ]
    more = records + added
    rebuild(site, cache_dir, more)
    assert tree(site) == fresh(tmp_path, more)
    assert_unchanged_files_kept(before, site)
    assert {d.name for d in site.glob("pagefind*")} == {
        s.path for s in plan_shards(more, SHARD_PAGES)
    }


def test_records_removed(built, records, tmp_path):
    site, cache_dir, before = built
    fewer = [r for r in records if province_of(r) != "山东省"]
    assert len(plan_shards(fewer, SHARD_PAGES)) < len(plan_shards(records, SHARD_PAGES))
    rebuild(site, cache_dir, fewer)
    assert tree(site) == fresh(tmp_path, fewer)
    assert_unchanged_files_kept(before, site)
    rebuild(site, cache_dir, [])
    assert tree(site) == fresh(tmp_path, [], "empty")


def test_tampered_shard_directories_are_repaired(built, records, tmp_path):
    site, cache_dir, before = built
    shards = plan_shards(records, SHARD_PAGES)
    one, two, three = (site / s.path for s in shards[:3])
    next(iter((one / "fragment").iterdir())).unlink()  # a file deleted
    (two / "fragment" / "extra.pf_fragment").write_bytes(b"x")  # a file added
    (two / "stray" / "deeper").mkdir(parents=True)  # directories added
    index = next(iter((three / "index").iterdir()))
    replaced = index.with_name("new")  # a file replaced (a new inode)
    replaced.write_bytes(index.read_bytes()[:-1])
    replaced.replace(index)
    rebuild(site, cache_dir, records)
    assert tree(site) == tree_of_fresh(tmp_path, records)
    assert_unchanged_files_kept(before, site)


def test_file_written_into_by_hand_is_reindexed(built, records, tmp_path):
    """Written into in place, a site file is changed in the cache too (a shared inode):
    that entry is no longer used, its shard is indexed again."""
    site, cache_dir, _ = built
    shards = plan_shards(records, SHARD_PAGES)
    key = cache.shard_key(shards[1].records, primary=False)
    assert cache.valid(cache_dir, key)
    entry = site / shards[1].path / "pagefind-entry.json"
    with open(entry, "ab") as f:
        f.write(b" ")
    assert not cache.valid(cache_dir, key)
    rebuild(site, cache_dir, records)
    assert tree(site) == tree_of_fresh(tmp_path, records)
    assert cache.valid(cache_dir, key)


def tree_of_fresh(tmp_path: Path, records: list[SearchRecord]) -> dict[str, bytes]:
    return fresh(tmp_path, records, "fresh-check")


def test_in_place_without_a_cache(tmp_path, records):
    site = tmp_path / "site"
    index_site(site, records, max_shard_pages=SHARD_PAGES)
    before = snapshot(site)
    index_site(site, records, max_shard_pages=SHARD_PAGES)
    assert snapshot(site) == before
    edited = [
        dataclasses.replace(r, title=r.title + "改") if r is records[0] else r for r in records
    ]
    index_site(site, edited, max_shard_pages=SHARD_PAGES)
    assert tree(site) == fresh(tmp_path, edited)
    assert assert_unchanged_files_kept(before, site) > len(before) // 2
    assert not list(tmp_path.glob(".site.search-*"))  # the temporary directory is gone


def test_sync_tree_links_moves_and_keeps(tmp_path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    for rel, data in {"a": b"1", "d/b": b"22", "pagefind-entry.json": b"{}"}.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    assert sync_tree(src, dest) == 3
    assert (dest / "a").stat().st_ino == (src / "a").stat().st_ino  # linked
    (dest / "keep").write_bytes(b"k")
    (dest / "old" / "x").parent.mkdir()
    (dest / "old" / "x").write_bytes(b"x")
    assert sync_tree(src, dest, skip=("keep",)) == 2  # only the stale file and its dir go
    assert not (dest / "old").exists() and (dest / "keep").exists()
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "a").write_bytes(b"1")  # same bytes, other inode: kept
    (moved / "d").mkdir()
    (moved / "d" / "b").write_bytes(b"33")
    ino = (dest / "a").stat().st_ino
    assert sync_tree(moved, dest, move=True) == 3  # d/b replaced, the json and keep removed
    assert (dest / "a").stat().st_ino == ino and (dest / "d" / "b").read_bytes() == b"33"
    assert sorted(scan(dest)) == ["a", "d/b"]


def test_write_if_changed_never_writes_into_a_file(tmp_path):
    path = tmp_path / "f.txt"
    assert write_if_changed(path, b"one")
    other = tmp_path / "hardlink"
    os.link(path, other)
    assert not write_if_changed(path, b"one")
    assert write_if_changed(path, b"two")
    assert other.read_bytes() == b"one" and path.read_bytes() == b"two"
    assert sync_files(tmp_path / "dir", {"x.txt": b"x"}) == 1
    assert sync_files(tmp_path / "dir", {"y.txt": b"y"}) == 2
    assert [p.name for p in (tmp_path / "dir").iterdir()] == ["y.txt"]


def test_shards_indexed_ahead_are_only_synced(built, records, tmp_path, monkeypatch):
    from generator.search import index, start_indexing
    from generator.search.store import RecordStore

    site, cache_dir, before = built
    last = plan_shards(records, SHARD_PAGES)[-1].records[0]
    edited = [dataclasses.replace(r, title=r.title + "预") if r is last else r for r in records]
    store = RecordStore.of(edited, tmp_path)
    assert start_indexing(store, cache_dir, max_shard_pages=SHARD_PAGES, max_shards=0) is None
    pending = start_indexing(store, cache_dir, max_shard_pages=SHARD_PAGES)
    assert pending is not None

    def no_indexing(*args):
        raise AssertionError("index_site indexed a shard itself")

    monkeypatch.setattr(index, "_index_shards", no_indexing)
    index_site(site, store, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir, pending=pending)
    assert start_indexing(store, cache_dir, max_shard_pages=SHARD_PAGES) is None  # all there
    monkeypatch.undo()
    assert tree(site) == fresh(tmp_path, edited)
    assert_unchanged_files_kept(before, site)


def test_indexing_ahead_can_be_cancelled(tmp_path, records):
    from generator.search import start_indexing
    from generator.search.store import RecordStore

    cache_dir = tmp_path / "cache"
    store = RecordStore.of(records[:30], tmp_path)
    pending = start_indexing(store, cache_dir, max_shard_pages=SHARD_PAGES)
    assert pending is not None
    pending.cancel()  # at once: the shards are not in the cache yet, index_site indexes them
    site = tmp_path / "site"
    index_site(site, store, max_shard_pages=SHARD_PAGES, cache_dir=cache_dir, pending=pending)
    assert tree(site) == fresh(tmp_path, records[:30])
