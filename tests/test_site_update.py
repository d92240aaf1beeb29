"""A cached ``gongkai build`` updates the site in place, and the result is byte for
byte that of a fresh full build, whatever was edited (site/update.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.state import STATE_DIR

pytestmark = pytest.mark.slow

NARRATIVE = "content/reports/370683-wjj/2020.yaml"
UNRELATED_PAGE = "agencies/130606-wjj/2024/index.html"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build(root: Path, capsys) -> str:  # type: ignore[no-untyped-def]
    """A cached build of ``root`` into ``root/site``; its progress output."""
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--out", str(root / "site")]) == 0
    return capsys.readouterr().err


def _same_as_fresh(root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``root/site`` equals a build of the same content with no cache, into a new directory."""
    fresh = root.parent / f"{root.name}-fresh"
    assert main(["build", "--root", str(root), "--out", str(fresh), "--no-cache", "-q"]) == 0
    capsys.readouterr()
    a, b = _files(root / "site"), _files(fresh)
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []


def _edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _in_place(log: str) -> bool:
    return "pages made again" in log and "full build" not in log


@pytest.fixture
def built(content_copy, own_cache_key, capsys) -> Path:  # type: ignore[no-untyped-def]
    log = _build(content_copy, capsys)
    assert "full build: no state of an earlier build" in log
    assert (content_copy / STATE_DIR / "state.pickle").is_file()
    return content_copy


def test_edits_update_the_site_in_place_as_a_full_build_would(built, capsys):
    root = built
    unrelated = root / "site" / UNRELATED_PAGE
    stamp = unrelated.stat().st_mtime_ns

    log = _build(root, capsys)  # nothing changed
    assert _in_place(log)
    assert re.search(r"render: \d+ pages made again, 22 agency and report page tasks", log)

    _edit(root, NARRATIVE, "    text: |\n", "    text: |\n      志愿者补上的一句话。\n")
    log = _build(root, capsys)
    assert _in_place(log)
    assert "志愿者补上的一句话" in (root / "site/agencies/370683-wjj/2020/index.html").read_text()
    assert unrelated.stat().st_mtime_ns == stamp  # pages of other agencies are not rewritten
    _same_as_fresh(root, capsys)

    # a value of table 3, kept consistent: the page, the agency's trends, its peers' shares
    for line in ("  new: {", "  granted: {", "  total: {"):
        text = (root / NARRATIVE).read_text(encoding="utf-8")
        i = text.index(line)
        j = text.index("total: 0", i)
        (root / NARRATIVE).write_text(text[:j] + "total: 2" + text[j + 8 :], encoding="utf-8")
    assert _in_place(_build(root, capsys))
    _same_as_fresh(root, capsys)

    # a predecessor's name shows on its successor's pages
    _edit(root, "content/agencies/371500-rkjsw.yaml", "name: ", "name: 改名后的")
    assert _in_place(_build(root, capsys))
    _same_as_fresh(root, capsys)

    _edit(root, "content/guides/371500-wjw.yaml", 'postcode: "252000"', 'postcode: "252001"')
    assert _in_place(_build(root, capsys))
    _same_as_fresh(root, capsys)


def test_a_removed_report_or_a_hand_edited_site_makes_a_full_build(built, capsys):
    root = built
    (root / NARRATIVE).unlink()
    log = _build(root, capsys)
    assert "full build: pages were added or removed" in log
    assert not (root / "site/agencies/370683-wjj/2020").exists()
    _same_as_fresh(root, capsys)

    page = root / "site" / UNRELATED_PAGE
    page.write_bytes(page.read_bytes() + b"<!-- by hand -->")
    log = _build(root, capsys)
    assert "is not as the last build left it" in log
    _same_as_fresh(root, capsys)
    assert _in_place(_build(root, capsys))  # the full build recorded a state again
