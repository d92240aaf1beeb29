"""The importer on small fixtures written from the real variety of layouts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from importer_helpers import FIXTURES, REPO, read_report

from generator.formats import get_format
from generator.importer.cells import alignments, parse_cell
from generator.importer.detect import detect_format
from generator.importer.layouts import to_rows
from generator.importer.run import import_file
from generator.importer.split import split_documents
from generator.importer.text import Line, label_key
from generator.records import CellKind

AGENCY = "371200-wjw"


def _import(name: str, tmp_path: Path):
    result = import_file(FIXTURES / name, REPO, AGENCY, out=tmp_path)
    reports = {p.stem: read_report(p, tmp_path) for p in (tmp_path / "reports").rglob("*.yaml")}
    return result, reports


def _cell(report, table, row, col):
    return report.tables[table].cell(row, col)


def test_pipe_rows_with_missing_labels(tmp_path: Path) -> None:
    result, reports = _import("pipe_missing_labels.txt", tmp_path)
    r = reports["2023"]
    assert r.format == "gov2021"
    assert [n for n, _ in result.drafts[0].unplaced] == []
    assert _cell(r, "requests", "new", "total").value == 6  # no label: by position
    assert (
        _cell(r, "requests", "not_processed.complaint", "natural_person").value == 1
    )  # group label
    confirm = r.tables["requests"].rows["not_processed.confirmation"]
    assert str(confirm.source_lines) == "44-45"  # a label broken before its row
    # other.other is missing from the print: the arithmetic puts the two unlabelled
    # rows on 总计 and 结转 rather than on 其他
    assert "other.other" not in r.tables["requests"].rows
    assert _cell(r, "requests", "total", "total").value == 6
    assert _cell(r, "requests", "carried_forward", "total").value == 1
    assert _cell(r, "proactive", "fees", "fee_amount").value == Decimal("12.5")  # 12.5万元
    assert _cell(r, "appeals", "reconsideration", "pending").value == 1  # 15 cells in one row
    assert r.source.file_name.endswith(".pdf")


def test_word_one_cell_per_line(tmp_path: Path) -> None:
    result, reports = _import("word_cells.txt", tmp_path)
    r = reports["2022"]
    assert r.title == "某县卫生健康局2022年政府信息公开工作年度报告"
    assert str(r.published) == "2023-01-20"
    assert result.drafts[0].unplaced == []
    assert _cell(r, "requests", "other.no_fee", "total").kind is CellKind.BLANK  # never 0
    assert _cell(r, "proactive", "enforcement", "decisions").kind is CellKind.BLANK
    assert _cell(r, "proactive", "fees", "fee_amount").kind is CellKind.NOT_APPLICABLE
    assert _cell(r, "requests", "not_processed.confirmation", "total").value == 0
    assert _cell(r, "appeals", "litigation_direct", "corrected").value == 1  # by its label
    assert [s.code for s in r.sections] == ["overview", "problems", "other"]


def test_pdf_tab_rows_with_repeated_header(tmp_path: Path) -> None:
    result, reports = _import("pdf_tabs.txt", tmp_path)
    r = reports["2020"]
    assert r.format == "gov2019"
    assert result.drafts[0].unplaced == []
    assert _cell(r, "proactive", "licensing", "change").value == 2  # +2
    assert _cell(r, "proactive", "punishment", "change").value == -3
    assert _cell(r, "proactive", "procurement", "amount").value == Decimal("1480.8758")
    rows = r.tables["requests"].rows
    assert len(rows) == 23  # the header repeated after the page break is not a row
    assert _cell(r, "requests", "carried_over", "total").value == 0
    assert _cell(r, "requests", "carried_over", "natural_person").kind is CellKind.BLANK
    assert _cell(r, "requests", "withheld.enforcement_file", "total").value == 0
    assert _cell(r, "requests", "withheld.query_matter", "total").value == 0
    assert _cell(r, "requests", "unavailable.not_held", "natural_person").value == 1
    assert _cell(r, "appeals", "litigation_direct", "other").value == 1
    assert _cell(r, "appeals", "litigation_direct", "upheld").kind is CellKind.BLANK


def test_website_scrape_with_legacy_reports(tmp_path: Path) -> None:
    result, reports = _import("scrape.txt", tmp_path)
    kinds = [d.kind for d in result.drafts]
    assert kinds == ["fragment", "report", "fragment", "report"]
    r2016, r2012 = reports["2016"], reports["2012"]
    assert r2016.format == "legacy" and not r2016.partial and r2012.partial
    assert r2016.figures["applications_received"].value.value == 7
    assert r2016.figures["reconsiderations"].value.value == 0
    stats = {s.indicator: s for s in r2016.statistics}
    assert stats["(二)通过不同渠道和方式公开政府信息的情况"].value.value == 900
    assert stats["2.延期办结数"].value.kind is CellKind.BLANK
    assert str(r2016.published) == "2017-01-20"
    assert {ln.no for ln in result.noise} >= {2, 3, 24, 25, 27, 28}


def test_split_keeps_text_sharing_a_line_with_noise() -> None:
    lines = [
        Line(1, "字号:"),
        Line(2, "大 中 小标题.pdf"),
        Line(3, "正文"),
        Line(4, "扫码使用手机浏览本页内容"),
    ]
    split = split_documents(lines)
    assert [[ln.text for ln in d] for d in split.documents] == [["标题.pdf", "正文"]]
    assert [ln.no for ln in split.noise] == [1, 2, 4]


def test_broken_word_cells_join() -> None:
    rows, text = to_rows([Line(1, "\t结果"), Line(2, "维持"), Line(3, "\t0"), Line(4, "")])
    assert rows[0].cells == ["结果维持", "0"] and rows[0].end == 3 and text == []


@pytest.mark.parametrize(
    ("text", "ctype", "kind", "value"),
    [
        ("60.62万元", "decimal", CellKind.NUMBER, Decimal("60.62")),
        ("+2", "signed_integer", CellKind.NUMBER, 2),
        ("", "integer", CellKind.BLANK, None),
        ("/", "integer", CellKind.NOT_APPLICABLE, None),
        ("详见附件", "integer", CellKind.TEXT, None),
        ("1,203", "integer", CellKind.NUMBER, 1203),
    ],
)
def test_parse_cell(text, ctype, kind, value) -> None:
    column = next(
        c for t in get_format("gov2019").tables.values() for c in t.columns if c.type == ctype
    )
    cell = parse_cell(text, column)
    assert cell.kind is kind and cell.value == value


def test_alignments_keep_printed_values_inside() -> None:
    assert alignments(["", "", "0"], 2) == [["", "0"]]
    assert alignments(["1", "2"], 3)[0] == ["1", "2", ""]


def test_labels_normalise() -> None:
    assert label_key("（二）部分公开（区分处理的，只计这一情形）") == label_key(
        "部分公开(区分处理的,只计这一情形)"
    )
    assert label_key("3.危及“三安全一稳定”") == label_key('危及"三安全一稳定"')
    assert label_key("5.要求行政机关确认或重新 出具已获取信息") == label_key(
        "要求行政机关确认或重新出具已获取信息"
    )


def test_format_is_detected_by_columns_not_year() -> None:
    gov2019_in_2021 = [
        Line(1, "2021年度报告"),
        Line(2, "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量"),
    ]
    assert detect_format(gov2019_in_2021)[0] == "gov2019"
    assert detect_format([Line(1, "规章 | 本年制发件数 | 现行有效件数")])[0] == "gov2021"
    assert detect_format([Line(1, "2020年度政府信息公开工作报告")])[0] == "legacy"
