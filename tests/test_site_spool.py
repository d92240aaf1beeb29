"""The page spool: pages back in order, whole or part by part."""

from __future__ import annotations

from generator.pages import Page, SearchRecord
from generator.site.spool import Spool


def pages(n: int) -> list[Page]:
    return [
        Page(
            path=f"agencies/a{i}/2023.md",
            title=f"报告 {i}",
            body=f"<p>正文 {i}</p>\n" * (i % 5 + 1),
            markup="html",
            search=SearchRecord(f"agencies/a{i}/2023/", f"报告 {i}", "", "正文", "report"),
        )
        for i in range(n)
    ]


def test_pages_come_back_in_order_whole_and_by_part(tmp_path) -> None:  # type: ignore[no-untyped-def]
    given = pages(11)
    spool = Spool(tmp_path / "spool", parts=3)
    for page in given:
        spool.add(page)
    spool.close()
    assert len(spool) == 11
    assert list(spool) == given
    assert list(spool) == given  # read as often as needed
    parts = [list(spool.part(i)) for i in range(3)]
    assert sorted(p for part in parts for p, _ in part) == list(range(11))
    assert all(given[position] == page for part in parts for position, page in part)


def test_an_empty_spool(tmp_path) -> None:  # type: ignore[no-untyped-def]
    spool = Spool(tmp_path, parts=2)
    spool.close()
    assert list(spool) == [] and list(spool.part(1)) == []
