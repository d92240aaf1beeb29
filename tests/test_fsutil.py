"""Filesystem helpers: tree_size counts what rglob + stat would count."""

from __future__ import annotations

import os
from pathlib import Path

from generator.fsutil import tree_size


def rglob_size(base: Path) -> tuple[int, int]:
    """The reference: every regular file rglob finds (symlinked dirs not entered)."""
    files = [p for p in base.rglob("*") if p.is_file() and not p.is_symlink()]
    return len(files), sum(p.stat().st_size for p in files)


def test_tree_size_counts_nested_files_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "top.html").write_bytes(b"x" * 10)
    (tmp_path / "a" / "one.css").write_bytes(b"y" * 300)
    (tmp_path / "a" / "b" / "c" / "deep.js").write_bytes(b"")
    (tmp_path / "empty").mkdir()
    assert tree_size(tmp_path) == (3, 310) == rglob_size(tmp_path)


def test_tree_size_does_not_follow_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big").write_bytes(b"z" * 1000)
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_bytes(b"p" * 7)
    os.symlink(outside, site / "linked-dir")
    os.symlink(outside / "big", site / "linked-file")
    assert tree_size(site) == (1, 7) == rglob_size(site)


def test_tree_size_of_an_empty_directory(tmp_path: Path) -> None:
    assert tree_size(tmp_path) == (0, 0)
