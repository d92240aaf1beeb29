"""The official tables' partially evaluated HTML (render/table_html.py) equals the
``official_table`` macro's: over the seed reports, a synthetic corpus, random cells of every
kind in every format's tables, and whole report pages against the macro-only path."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from generator.formats import FORMAT_CODES, get_format
from generator.load import load
from generator.records import BLANK, Cell, CellKind, Report, ReportTable, TableRow
from generator.render import table_html
from generator.render.contexts import CellView, RawLines
from generator.render.report import report_page, table_inputs, table_view
from generator.render.table_html import (
    cut,
    macro_html,
    mark,
    official_table_html,
    skeleton,
)
from generator.synth import synthesize

TABLES = [(f, code) for f in sorted(FORMAT_CODES) for code in get_format(f).tables]


def fast_and_macro(report: Report, root: Path) -> list[tuple[str, str, str]]:
    """(table code, fast HTML, macro HTML) of every official table of ``report``."""
    fmt = get_format(report.format)
    out = []
    for code in fmt.tables:
        fast = official_table_html(report.format, code, *table_inputs(report, fmt, code, root))
        out.append((code, str(fast), macro_html(table_view(report, fmt, code, root))))
    return out


def test_every_table_of_every_format_has_a_skeleton() -> None:
    """The fast path is really taken (else the equalities below would hold trivially)."""
    assert TABLES
    for format_code, code in TABLES:
        made = skeleton(format_code, code)
        assert made is not None, (format_code, code)
        assert made.cells and len(made.pieces) == len(made.order) + 1


def test_seed_reports_equal_the_macro(repo: Path) -> None:
    reports = list(load(repo / "content").reports.values())
    tabled = [r for r in reports if get_format(r.format).tables]
    assert len(tabled) > 5
    for report in tabled:
        for code, fast, macro in fast_and_macro(report, repo):
            assert fast == macro, (report.file, code)


def test_synthetic_reports_equal_the_macro(tmp_path: Path) -> None:
    synthesize(tmp_path, 60, seed=7)
    reports = list(load(tmp_path / "content").reports.values())
    formats = {r.format for r in reports if get_format(r.format).tables}
    assert len(formats) >= 2
    with_raw = 0
    for report in reports:
        for code, fast, macro in fast_and_macro(report, tmp_path):
            assert fast == macro, (report.file, code)
            with_raw += "gk-raw" in fast
    assert with_raw


CELLS = [
    Cell(CellKind.NUMBER, 0),
    Cell(CellKind.NUMBER, 1234567),
    Cell(CellKind.NUMBER, -3),
    Cell(CellKind.NUMBER, Decimal("12.50")),
    Cell(CellKind.NUMBER, Decimal("3.000")),
    Cell(CellKind.NUMBER, Decimal("1E+2")),
    Cell(CellKind.NUMBER, Decimal("0.0001")),
    Cell(CellKind.NUMBER, None),
    BLANK,
    Cell(CellKind.BLANK, None, "ignored?"),
    Cell(CellKind.NOT_APPLICABLE, None, "/"),
    Cell(CellKind.NOT_APPLICABLE, None, "——"),
    Cell(CellKind.NOT_APPLICABLE, None, "不适用"),
    Cell(CellKind.TEXT, None, "详见附件"),
    Cell(CellKind.TEXT, None, "<script>&\"'</script>"),
    Cell(CellKind.TEXT, None, "&amp; 已转义?"),
    Cell(CellKind.TEXT, None, ""),
    Cell(CellKind.TEXT, None, mark("caption")),  # a sentinel in content is only text
    Cell(CellKind.TEXT, None, "a\nb\u3000c"),
]


def random_table(rng: random.Random, format_code: str, code: str) -> ReportTable:
    """Table ``code`` with random cells, some rows or cells missing, some unknown rows."""
    rows: dict[str, TableRow] = {}
    for row in get_format(format_code).tables[code].rows:
        if rng.random() < 0.1:
            continue
        cells = {c.code: rng.choice(CELLS) for c in row.columns if rng.random() < 0.85}
        rows[row.code] = TableRow(row.code, cells)
    rows["no_such_row"] = TableRow("no_such_row", {"total": CELLS[1]})
    return ReportTable(code, rows)


RAWS = [
    None,
    RawLines("raw/a.txt", 1, ("只有一行",), "https://github.com/o/r/blob/main/raw/a.txt#L1"),
    RawLines("raw/b.txt", 40, ("<b>", "a & b", "", '"q"'), "https://x/?a=1&b=2#L40-L43"),
]


@pytest.mark.parametrize(("format_code", "code"), TABLES)
def test_random_tables_equal_the_macro(format_code: str, code: str) -> None:
    fmt = get_format(format_code)
    rng = random.Random(f"{format_code}/{code}")
    for i in range(60):
        data = random_table(rng, format_code, code) if i else ReportTable(code, {})
        caption = rng.choice(["2023年度 表", "<x> & “y”", "", mark("fix")])
        fix = rng.choice(["https://github.com/o/r/issues/new?title=a&body=b%20c", "'\"<>"])
        raw = rng.choice(RAWS)
        fast = official_table_html(format_code, code, data, caption, fix, raw)
        view = table_html.table_view(fmt, code, data, caption, fix, raw)
        assert str(fast) == macro_html(view), (format_code, code, i)


def test_report_pages_equal_the_macro_only_path(repo: Path, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Whole report pages are the same bytes with every table rendered by the macro."""
    from generator.commands.package import load_corpus
    from generator.render import plan_pages

    synthesize(tmp_path, 30, seed=3)
    checked = 0
    for root in (repo, tmp_path):
        corpus = load_corpus(root)
        site = plan_pages(corpus, root).site
        reports = sorted(corpus.reports.values(), key=lambda r: r.id)
        fast = [report_page(corpus, r, root, site).body for r in reports]
        with monkeypatch.context() as m:
            m.setattr(table_html, "skeleton", lambda format_code, code: None)
            slow = [report_page(corpus, r, root, site).body for r in reports]
        assert fast == slow
        checked += sum("gk-official" in body for body in fast)
    assert checked > 20


def test_cut() -> None:
    assert cut("a<1>b<2>c", {2: "<2>", 1: "<1>"}) == (("a", "b", "c"), (1, 2))
    assert cut("<1><2>", {1: "<1>", 2: "<2>"}) == (("", "", ""), (1, 2))
    assert cut("a<1>b<1>", {1: "<1>"}) is None  # twice
    assert cut("ab", {1: "<1>"}) is None  # missing
    assert cut("a<12>", {1: "<12", 2: "12>"}) is None  # overlapping


def test_a_skeleton_that_does_not_reproduce_the_macro_is_not_used(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """If the macro printed something the skeleton cannot hold, the macro renders the table."""
    skeleton.cache_clear()
    real = table_html.macro_html
    calls = {"n": 0}

    def every_other_render_differs(view):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(view) + ("<!--x-->" if calls["n"] % 2 else "")

    monkeypatch.setattr(table_html, "macro_html", every_other_render_differs)
    try:
        assert table_html._checked("gov2021", "appeals") is None
    finally:
        skeleton.cache_clear()


def _forms(skeletons: dict) -> dict:
    return {k: (s.pieces, s.order, s.cells) if s else None for k, s in skeletons.items()}


def test_skeletons_are_kept_signed_for_the_same_code(own_cache_key) -> None:  # type: ignore[no-untyped-def]
    """Made once, then read back by the next build; never from a store it did not sign
    or that other code made."""
    from generator import loadcache

    table_html._skeletons.cache_clear()
    made = table_html._skeletons()
    store = table_html._store_path()
    assert store.is_file() and set(made) == {(f, t) for f, t in TABLES}
    assert all(s is not None for s in made.values())
    table_html._skeletons.cache_clear()
    assert _forms(table_html._skeletons()) == _forms(made)

    forged = {k: None for k in made}  # every table through the macro: visible if read
    payload = __import__("pickle").dumps(forged)
    loadcache.write(store, b"\0" * 32, table_html._store_stamp(), payload)  # another key
    table_html._skeletons.cache_clear()
    assert _forms(table_html._skeletons()) == _forms(made)
    loadcache.write(store, loadcache.signing_key(), "0" * 64, payload)  # other code's store
    table_html._skeletons.cache_clear()
    assert _forms(table_html._skeletons()) == _forms(made)
    table_html._skeletons.cache_clear()


def test_cell_markup_equals_the_cell_macro() -> None:
    """``cell_html`` in templates is the ``cell`` macro partially evaluated."""
    from markupsafe import Markup

    from generator.render.table_html import cell_markup, macros
    from generator.render.tables import cell_view

    views = [cell_view(c) for c in CELLS]
    views += [
        CellView("number", Markup("<b>1</b>")),  # Markup is not escaped, by either
        CellView("number", "<b>1</b>"),
        CellView("odd-kind", "x"),
        CellView("blank", "", "requests.total.total"),
    ]
    for view in views:
        for span in (1, 2, 3):
            assert cell_markup(view, span) == macros().cell(view, span), (view, span)
