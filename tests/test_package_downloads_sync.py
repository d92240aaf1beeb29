"""Downloads synced in place: the same bytes as a build into an empty folder, only changes written."""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.commands.package import load_corpus
from generator.package import cache as cache_mod
from generator.package import deflate, downloads
from generator.package.cache import NoCache, PartsCache
from generator.package.downloads import download_names, sync_downloads
from generator.package.meta import current_release
from generator.package.site import write_downloads
from generator.statdigest import MARGIN_NS
from generator.synth import synthesize

N = 90


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth-dl")
    synthesize(out, N, seed=5)
    return out


@pytest.fixture(autouse=True)
def small_groups(monkeypatch) -> None:
    """Groups of about 8 reports: a corpus of 90 has a dozen of them."""
    monkeypatch.setattr(downloads, "GROUP", 8)


@pytest.fixture
def root(corpus_dir, tmp_path, monkeypatch) -> Path:
    """A copy of the synthetic corpus; its files count as older than this process."""
    shutil.copytree(corpus_dir / "content", tmp_path / "repo" / "content")
    monkeypatch.setattr(cache_mod, "START_NS", time.time_ns() + 10 * MARGIN_NS)
    return tmp_path / "repo"


@pytest.fixture
def made(monkeypatch) -> list[int]:
    """How many reports' parts each run asked for (all of them: a whole build)."""
    sizes: list[int] = []
    items = downloads.Sync._items

    def spy(self, indices, write_files):
        sizes.append(len(indices))
        return items(self, indices, write_files)

    monkeypatch.setattr(downloads.Sync, "_items", spy)
    return sizes


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def sync(root: Path, out: Path) -> list[Path]:
    return write_downloads(load_corpus(root), out, root=root)


def assert_fresh(root: Path, out: Path, tmp_path: Path) -> None:
    """``out`` holds exactly what a build into an empty folder, without any cache, holds."""
    fresh = tmp_path / f"fresh-{time.time_ns()}"
    write_downloads(load_corpus(root), fresh)
    got, want = tree(out), tree(fresh)
    assert sorted(got) == sorted(want)
    assert [k for k in want if got[k] != want[k]] == []


def changed(before: dict, out: Path) -> set[str]:
    """Files replaced, added or removed since ``before`` (a ``stats``)."""
    after = stats(out)
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def report_file(root: Path, needle: str) -> Path:
    for path in sorted((root / "content" / "reports").rglob("*.yaml")):
        if needle in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(needle)


def edit(path: Path, pattern: str, repl) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    assert new != text
    path.write_text(new, encoding="utf-8")


def downloads_of(path: Path) -> tuple[str, str]:
    agency, year = path.parent.name, path.stem
    return f"reports/{agency}/{year}.csv", f"reports/{agency}/{year}.json"


def test_unchanged_rebuild_touches_nothing(root, tmp_path, made):
    out = tmp_path / "out"
    sync(root, out)
    before = stats(out)
    assert sync(root, out) == []
    assert changed(before, out) == set()
    assert made[-2:] == [0, 0]  # no report's parts needed at all


def test_narrative_edit(root, tmp_path, made):
    out = tmp_path / "out"
    sync(root, out)
    before = stats(out)
    path = report_file(root, "preface: |")
    edit(path, r"^(preface: \|\n  .*)$", r"\1补充说明。")
    written = sync(root, out)
    assert changed(before, out) == {downloads_of(path)[1]}
    assert [p.relative_to(out).as_posix() for p in written] == [downloads_of(path)[1]]
    assert sum(made[-2:]) == 1  # the edited report's parts, nothing else
    assert_fresh(root, out, tmp_path)
    entries = list((root / ".cache/gongkai/package/parts").rglob("*/*"))
    assert len(entries) >= N  # the parts of reports not needed this time stay cached


def test_table_value_edit(root, tmp_path, made):
    out = tmp_path / "out"
    sync(root, out)
    before = stats(out)
    path = report_file(root, "licensing: {decisions: ")
    edit(
        path, r"licensing: \{decisions: (\d+)", lambda m: f"licensing: {{decisions: {int(m[1]) + 1}"
    )
    sync(root, out)
    got = changed(before, out)
    assert (
        set(downloads_of(path)) | {"proactive.csv", "gongkai.xlsx", "gongkai-datapackage.zip"}
        <= got
    )
    assert got <= set(downloads_of(path)) | {
        "proactive.csv", "gongkai.xlsx", "gongkai-datapackage.zip", "flags.csv"
    }  # fmt: skip
    assert sum(made[-2:]) < N // 3  # the edited report, then its group and the one before
    assert_fresh(root, out, tmp_path)


def test_table_edit_in_workers(root, tmp_path, monkeypatch):
    """Forked workers write the report files and return the parts: the same bytes."""
    monkeypatch.setattr(cache_mod, "PARALLEL_MIN", 1)
    out = tmp_path / "out"
    sync(root, out)
    path = report_file(root, "licensing: {decisions: ")
    edit(
        path, r"licensing: \{decisions: (\d+)", lambda m: f"licensing: {{decisions: {int(m[1]) + 7}"
    )
    sync(root, out)
    assert_fresh(root, out, tmp_path)


def test_report_deleted(root, tmp_path):
    out = tmp_path / "out"
    sync(root, out)
    before = stats(out)
    path = report_file(root, "licensing: {decisions: ")
    path.unlink()
    sync(root, out)
    csv_name, json_name = downloads_of(path)
    assert not (out / csv_name).exists() and not (out / json_name).exists()
    assert {csv_name, json_name, "reports.csv", "gongkai.xlsx"} <= changed(before, out)
    assert_fresh(root, out, tmp_path)


def test_report_added(root, tmp_path):
    path = report_file(root, "licensing: {decisions: ")
    away = tmp_path / "away.yaml"
    shutil.move(path, away)
    out = tmp_path / "out"
    sync(root, out)
    before = stats(out)
    shutil.move(away, path)
    sync(root, out)
    assert set(downloads_of(path)) <= changed(before, out)
    assert_fresh(root, out, tmp_path)


def test_agency_removed_leaves_no_empty_folder(root, tmp_path):
    out = tmp_path / "out"
    sync(root, out)
    agency = sorted((root / "content" / "reports").iterdir())[0]
    shutil.rmtree(agency)
    sync(root, out)
    assert not (out / "reports" / agency.name).exists()
    assert_fresh(root, out, tmp_path)


@pytest.mark.parametrize("how", ["edited", "deleted", "added", "truncated-zip", "touched"])
def test_tampered_folder_is_repaired(root, tmp_path, how):
    out = tmp_path / "out"
    sync(root, out)
    victim = sorted((out / "reports").rglob("*.json"))[3]
    if how == "edited":
        victim.write_bytes(victim.read_bytes().replace(b'"', b"'", 1))
    elif how == "deleted":
        victim.unlink()
    elif how == "added":
        (victim.parent / "9999.json").write_text("{}", encoding="utf-8")
    elif how == "truncated-zip":
        zip_path = out / "gongkai-datapackage.zip"
        zip_path.write_bytes(zip_path.read_bytes()[:-100])
    else:
        victim.touch()
    before = stats(out)
    sync(root, out)
    assert_fresh(root, out, tmp_path)
    kept = [k for k in before if k != victim.relative_to(out).as_posix() and k.endswith(".csv")]
    assert all(stats(out)[k] == before[k] for k in kept)  # untouched, though not trusted


def test_other_files_left_alone(root, tmp_path):
    """The downloads page's own HTML may live in the same folder."""
    out = tmp_path / "out"
    (out / "changelog").mkdir(parents=True)
    (out / "index.html").write_text("page", encoding="utf-8")
    (out / "changelog" / "index.html").write_text("page", encoding="utf-8")
    sync(root, out)
    sync(root, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "page"
    assert (out / "changelog" / "index.html").exists()


def test_state_not_in_out_dir_and_forged_state_ignored(root, tmp_path):
    out = tmp_path / "out"
    sync(root, out)
    states = list((root / ".cache/gongkai/package/downloads").glob("*.marshal"))
    assert len(states) == 1
    assert not [p for p in out.rglob("*") if p.suffix == ".marshal"]
    states[0].write_bytes(b"\0" * 32 + states[0].read_bytes()[32:])
    victim = sorted((out / "reports").rglob("*.csv"))[0]
    victim.write_bytes(b"x")
    sync(root, out)
    assert_fresh(root, out, tmp_path)


def test_states_of_old_folders_pruned(root, tmp_path):
    for i in range(downloads.KEEP_STATES + 2):
        sync(root, tmp_path / f"out{i}")
    states = list((root / ".cache/gongkai/package/downloads").glob("*.marshal"))
    assert len(states) == downloads.KEEP_STATES


def test_download_names(root, tmp_path):
    out = tmp_path / "out"
    corpus = load_corpus(root)
    write_downloads(corpus, out)
    assert download_names(corpus) == sorted(tree(out))


def test_split_sheets_in_place(root, tmp_path):
    """Tables continued on further sheets: a rebuild in place equals a whole one."""
    release = current_release()
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    with PartsCache(root) as cache:
        sync_downloads(load_corpus(root), out, cache, release, max_rows=40)
    path = report_file(root, "licensing: {decisions: ")
    edit(
        path, r"licensing: \{decisions: (\d+)", lambda m: f"licensing: {{decisions: {int(m[1]) + 1}"
    )
    corpus = load_corpus(root)
    with PartsCache(root) as cache:
        sync_downloads(corpus, out, cache, release, max_rows=40)
    sync_downloads(corpus, fresh, NoCache(), release, max_rows=40)
    assert tree(out) == tree(fresh)
    book = openpyxl.load_workbook(out / "gongkai.xlsx", read_only=True)
    assert {"proactive", "proactive_2", "proactive_3"} <= set(book.sheetnames)
    names = book.sheetnames
    assert names.index("proactive_2") == names.index("proactive") + 1


def test_zip64_members(root, tmp_path, monkeypatch):
    """Past the Zip64 limit (made tiny here) sizes and offsets go in Zip64 extras, readably."""
    monkeypatch.setattr(deflate, "ZIP64_LIMIT", 1000)
    out = tmp_path / "out"
    write_downloads(load_corpus(root), out)
    with zipfile.ZipFile(out / "gongkai-datapackage.zip") as zf:
        assert zf.testzip() is None
        assert zf.read("gongkai-datapackage/requests.csv") == (out / "requests.csv").read_bytes()
    with zipfile.ZipFile(out / "gongkai.xlsx") as zf:
        assert zf.testzip() is None
    openpyxl.load_workbook(out / "gongkai.xlsx")


def test_crc32_combine():
    import os
    import zlib

    for n in (0, 1, 5, deflate.ZEROS_MAX, deflate.ZEROS_MAX + 1, 100_003):
        a, b = os.urandom(777), os.urandom(n)
        assert deflate.crc32_combine(zlib.crc32(a), zlib.crc32(b), n) == zlib.crc32(a + b)
