"""Render stage: safe Markdown, official table layouts from the format definition, cells,
links, page collection, golden pages."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from site_helpers import FIXTURE

from generator.formats import get_format
from generator.load import load
from generator.model import build_corpus
from generator.records import BLANK, Cell, CellKind, ReportTable
from generator.render import collect_pages
from generator.render.env import environment
from generator.render.markdown import render_markdown, safe_link
from generator.render.static import expand
from generator.render.tables import cell_view, layout
from generator.render.urls import issue_url, page_url, rel
from generator.validate import validate

GOLDEN = Path(__file__).parent / "golden" / "render"


@pytest.fixture(scope="module")
def corpus():
    content = load(FIXTURE / "content")
    return build_corpus(content, validate(content))


@pytest.fixture(scope="module")
def pages(corpus):
    return {p.path: p for p in collect_pages(corpus, FIXTURE)}


# --- Markdown -----------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_markdown_is_inert(source):
    html = str(render_markdown(source))
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html.lower()
    assert 'href="data' not in html.lower()


def test_markdown_keeps_safe_links_and_drops_images():
    html = str(
        render_markdown(
            "[a](https://www.gov.cn/) [b](../x/) [c](mailto:a@b.cn) ![i](https://e.com/i.png)"
        )
    )
    assert 'href="https://www.gov.cn/"' in html
    assert 'href="../x/"' in html
    assert 'href="mailto:a@b.cn"' in html
    assert "<img" not in html  # an image would load from a third party


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.cn", True),
        ("/x", True),
        ("x/y", True),
        ("java\tscript:x", False),
        ("vbscript:x", False),
    ],
)
def test_safe_link(url, ok):
    assert safe_link(url) is ok


# --- Table layouts ----------------------------------------------------------


def test_requests_header_is_the_official_two_level_header():
    table = get_format("gov2021").table("requests")
    head, _ = layout(table, ReportTable("requests", {}))
    assert [h.text for h in head[0]][1] == "申请人情况"
    assert head[0][1].colspan == len(table.columns)
    corner = head[0][0]
    assert corner.rowspan == len(head) and corner.colspan == 3
    legal = next(h for h in head[1] if h.text == "法人或其他组织")
    assert legal.colspan == sum(1 for c in table.columns if c.group == "法人或其他组织")
    assert [h.text for h in head[2]] == [c.label for c in table.columns if c.group]


def test_requests_row_groups_span_their_rows():
    table = get_format("gov2021").table("requests")
    _, body = layout(table, ReportTable("requests", {}))
    spans = {h.text: h.rowspan for row in body for h in row.heads if h.scope == "rowgroup"}
    outcome_rows = [r for r in table.rows if r.group.startswith("三、本年度办理结果")]
    assert spans["三、本年度办理结果"] == len(outcome_rows)
    for sub in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        assert spans[sub] == sum(1 for r in table.rows if r.group.endswith(sub))
    # every body row has as many label columns as the corner spans
    for row in body:
        covered = sum(h.colspan for h in row.heads if h.scope == "row")
        assert covered >= 1
    assert [r.code for r in body] == [r.code for r in table.rows]


def test_gov2019_other_is_one_row():
    table = get_format("gov2019").table("requests")
    _, body = layout(table, ReportTable("requests", {}))
    assert "other" in [r.code for r in body]
    assert not [r for r in body if r.code.startswith("other.")]


def test_appeals_is_transposed_with_litigation_subgroups():
    table = get_format("gov2021").table("appeals")
    head, body = layout(table, ReportTable("appeals", {}))
    assert [(h.text, h.colspan) for h in head[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [h.text for h in head[1] if h.scope == "colgroup"] == ["未经复议直接起诉", "复议后起诉"]
    assert len(body) == 1 and len(body[0].cells) == 15


def test_proactive_groups_have_their_own_columns():
    table = get_format("gov2021").table("proactive")
    _, body = layout(table, ReportTable("proactive", {}))
    group_rows = [r for r in body if r.css == "gk-group"]
    assert [r.heads[0].text for r in group_rows] == [g.label for g in table.groups]
    fees = next(r for r in body if r.code == "fees")
    assert fees.span_last == 3  # one column stretched over the widest group's three


def _cell_macro(view) -> str:
    return environment().get_template("_macros.html.j2").module.cell(view)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (Cell(CellKind.NUMBER, 0, "0"), "<td>0"),
        (BLANK, '<td class="gk-blank" aria-label="空白">'),
        (Cell(CellKind.NOT_APPLICABLE, None, "/"), '<td class="gk-na">/'),
        (Cell(CellKind.TEXT, None, "详见<附件>"), '<td class="gk-text">详见&lt;附件&gt;'),
    ],
)
def test_cells_render_distinctly(cell, expected):
    """Each kind looks different; ``</td>`` is left out (optional in HTML, 5 bytes a cell)."""
    assert str(_cell_macro(cell_view(cell))) == expected


# --- Links --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.md", ""),
        ("quality.md", "quality/"),
        ("agencies/a/index.md", "agencies/a/"),
        ("agencies/a/2023.md", "agencies/a/2023/"),
    ],
)
def test_page_url(path, url):
    assert page_url(path) == url


def test_rel_links():
    assert rel("agencies/a/2023/", "agencies/a/") == "../"
    assert rel("agencies/a/2023/", "agencies/a/2022/") == "../2022/"
    assert rel("", "regions/") == "regions/"
    assert rel("quality/", "") == "../"
    assert (
        rel("agencies/a/2023/", "downloads/reports/a/2023.csv")
        == "../../../downloads/reports/a/2023.csv"
    )


def test_issue_url_is_prefilled_and_quoted():
    url = issue_url("content/reports/a b/2023.yaml", 30, "requests", "a", "2023")
    parts = urlsplit(url)
    assert parts.path.endswith("/issues/new") and " " not in url
    q = parse_qs(parts.query)
    assert q["template"] == ["data-error.yml"]
    assert q["field"] == ["content/reports/a b/2023.yaml 第 30 行 requests"]
    assert q["agency"] == ["a"] and q["year"] == ["2023"]


# --- Pages ------------------------------------------------------------------


def test_every_agency_and_report_has_a_page(corpus, pages):
    for agency in corpus.agencies:
        assert f"agencies/{agency}/index.md" in pages
    for report in corpus.reports.values():
        page = pages[f"agencies/{report.agency}/{report.year}.md"]
        assert page.edit_path == report.file and page.markup == "html"
        assert page.search is not None and page.search.filters["year"] == (str(report.year),)


def test_year_pages_stay_out_of_the_navigation(corpus, pages):
    for year in corpus.years():
        assert pages[f"years/{year}.md"].nav is None
    assert all(
        p.nav is None
        for path, p in pages.items()
        if path.startswith("agencies/") and p.markup == "html"
    )


def test_report_page_links_to_its_downloads_and_neighbours(pages):
    body = pages["agencies/371500-wjw/2023.md"].body
    assert 'href="../../../downloads/reports/371500-wjw/2023.csv"' in body
    assert 'rel="prev" href="../2020/"' in body
    assert "纠错" in body and "issues/new?template=data-error.yml" in body


def test_predecessor_reports_show_in_the_agency_history(pages):
    body = pages["agencies/371500-wjw/index.md"].body
    assert 'href="../371500-rkjsw/2012/"' in body
    assert "前身机关" in body


def test_blank_is_never_zero_on_the_page(pages):
    body = pages["agencies/371500-wjw/2023.md"].body
    row = re.search(r'<th scope="row">3.其他</th>(.*?)\n', body).group(1)
    assert '<td class="gk-blank" aria-label="空白"><td' in row
    assert '<td class="gk-na">/<td' in row and '<td class="gk-text">详见附件<td' in row


def test_raw_lines_behind_each_table(pages):
    body = pages["agencies/371500-wjw/2023.md"].body
    assert body.count('<details class="gk-raw">') == 3
    assert "原文第 30–54 行" in body


def test_methodology_rows_come_from_the_format_definition():
    text = expand("<!-- gk:rows gov2021 requests -->")
    table = get_format("gov2021").table("requests")
    assert text.count("\n| `") == len(table.rows)
    for row in table.rows:
        assert f"`{row.code}`" in text


# --- Golden pages -------------------------------------------------------------

GOLDEN_PAGES = (
    "agencies/371500-wjw/2023.md",
    "agencies/371500-wjw/index.md",
    "agencies/371502-wjj/2015.md",
    "index.md",
)


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_golden_pages(pages, path, update_golden):
    golden = GOLDEN / (path.replace("/", "__").removesuffix(".md") + ".html")
    actual = pages[path].body
    if update_golden or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        if not update_golden:
            pytest.fail(
                f"golden file {golden.name} was missing and has been written; review and commit it"
            )
        return
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), "golden", "actual", n=2
            )
        )
        pytest.fail(
            f"{path} differs from {golden.name} (pytest --update-golden to accept):\n{diff[:4000]}"
        )
