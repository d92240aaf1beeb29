"""`gongkai package` after a build copies the build's package: same bytes, never stale."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import pytest
from package_helpers import FIXTURE_ROOT

from generator.commands import package as command
from generator.commands.package import load_corpus
from generator.package import cache as cache_mod
from generator.package import check, reuse
from generator.package.site import write_downloads
from generator.package.write import package_files
from generator.statdigest import MARGIN_NS

REPORT = "content/reports/371500-wjw/2023.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A copy of the fixture content; its files count as older than this process."""
    shutil.copytree(FIXTURE_ROOT / "content", tmp_path / "repo" / "content")
    monkeypatch.setattr(cache_mod, "START_NS", time.time_ns() + 10 * MARGIN_NS)
    return tmp_path / "repo"


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """The roots `gongkai package` loaded content from (empty: the package was reused)."""
    calls: list[Path] = []
    real = command.load_corpus
    monkeypatch.setattr(command, "load_corpus", lambda r: calls.append(r) or real(r))
    return calls


def site_build(root: Path) -> Path:
    """What the site build does for the downloads: write them with the cache (and the note)."""
    out = root / "site" / "downloads"
    write_downloads(load_corpus(root), out, root=root)
    return out


def package(root: Path, out: Path | None = None) -> int:
    args = argparse.Namespace(check=False, out=out, root=root)
    return command.run(args)


def fresh(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The package made from the content alone: another root, no cache, no build."""
    other = tmp_path / "fresh"
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(root / "content", other / "content")
    assert package(other) == 0
    return tree(other / "datapackage")


def test_package_after_build_is_reused_and_identical(root, tmp_path, loads):
    site_build(root)
    assert package(root) == 0
    assert loads == []
    got = tree(root / "datapackage")
    assert sorted(got) == sorted(package_files())
    assert got == fresh(root, tmp_path)


def test_reused_from_the_site_when_the_kept_links_are_gone(root, tmp_path, loads):
    site_build(root)
    shutil.rmtree(root / cache_mod.CACHE_DIR / reuse.KEPT)
    assert package(root) == 0
    assert loads == []
    assert tree(root / "datapackage") == fresh(root, tmp_path)


def test_edited_content_is_not_reused(root, tmp_path, loads):
    site_build(root)
    path = root / REPORT
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "reconsideration: {upheld: 2", "reconsideration: {upheld: 3"
        ),
        encoding="utf-8",
    )
    assert package(root) == 0
    assert loads == [root.resolve()]
    got = tree(root / "datapackage")
    assert got == fresh(root, tmp_path)
    assert got["appeals.csv"] != tree(root / "site" / "downloads")["appeals.csv"]


def test_new_content_file_is_not_reused(root, loads):
    site_build(root)
    (root / "content" / "pages" / "extra.md").parent.mkdir(exist_ok=True)
    (root / "content" / "pages" / "extra.md").write_text("x\n", encoding="utf-8")
    assert package(root) == 0
    assert loads == [root.resolve()]


@pytest.mark.parametrize("how", ["in place", "replaced"])
def test_tampered_site_file_is_not_copied(root, tmp_path, loads, how):
    """A file changed after the build is never copied; the package is made from content."""
    downloads = site_build(root)
    target = downloads / "requests.csv"
    tampered = target.read_bytes().replace(b",2,", b",7,", 1)
    assert tampered != target.read_bytes()
    if how == "in place":  # also changes the kept hard link
        with open(target, "r+b") as f:
            f.write(tampered)
    else:
        target.unlink()
        target.write_bytes(tampered)
        shutil.rmtree(root / cache_mod.CACHE_DIR / reuse.KEPT)
    assert package(root) == 0
    assert loads == [root.resolve()]
    assert tree(root / "datapackage") == fresh(root, tmp_path)


def test_code_change_is_not_reused(root, loads, monkeypatch):
    site_build(root)
    monkeypatch.setattr(reuse, "code_digest", lambda: "other code")
    assert package(root) == 0
    assert loads == [root.resolve()]


def test_content_changed_during_the_build_is_not_noted(root, loads, monkeypatch):
    """A file newer than the build process may not be what its package was made from."""
    monkeypatch.setattr(cache_mod, "START_NS", time.time_ns() - 10 * MARGIN_NS)
    site_build(root)
    assert not (root / cache_mod.CACHE_DIR / reuse.RECORD).exists()
    assert package(root) == 0
    assert loads == [root.resolve()]


def test_forged_record_is_not_used(root, loads):
    site_build(root)
    record = root / cache_mod.CACHE_DIR / reuse.RECORD
    record.write_bytes(b"\0" * 32 + record.read_bytes()[32:])
    assert package(root) == 0
    assert loads == [root.resolve()]


def test_second_package_reuses_its_own_and_validates_nothing(root, tmp_path, loads, monkeypatch):
    assert package(root) == 0
    first = tree(root / "datapackage")
    assert loads == [root.resolve()]
    calls: list = []
    monkeypatch.setattr(check, "scan", lambda *a: calls.append(a))
    monkeypatch.setattr(check, "validate_package", lambda *a: calls.append(a))
    assert package(root) == 0
    assert loads == [root.resolve()] and calls == []
    assert tree(root / "datapackage") == first


def test_reused_package_is_still_validated(root, loads, monkeypatch):
    """Reusing the files does not reuse a validation they never had."""
    site_build(root)
    seen: list = []
    real = check.scan
    monkeypatch.setattr(check, "scan", lambda *a: seen.append(a) or real(*a))
    assert package(root) == 0
    assert loads == [] and len(seen) == 1


def test_rows_counted_when_the_writer_does_not_say(root, tmp_path):
    assert package(root) == 0
    record = reuse.read_signed(root / cache_mod.CACHE_DIR / reuse.RECORD)
    assert reuse.row_counts(root / "datapackage") == record["counts"]
    assert sum(record["counts"].values()) == 95


def test_same_size_edit_with_mtime_set_back_is_not_reused(root, tmp_path, loads):
    """The ctime of a written file moves on even when its size and mtime are put back."""
    site_build(root)
    path = root / REPORT
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("reconsideration: {upheld: 2", "reconsideration: {upheld: 3")
    assert edited != text and len(edited) == len(text)
    time.sleep(0.01)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert package(root) == 0
    assert loads == [root.resolve()]
    assert tree(root / "datapackage") == fresh(root, tmp_path)
