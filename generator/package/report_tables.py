"""The tables of the report contents: the official tables, figures, statistics, corrections.

Their columns and codes come from the format definitions (``schema.cell_fields``,
``schema.row_codes``); nothing here lists a row or a column of an official table.
"""

from __future__ import annotations

from ..formats import all_formats
from .schema import (
    TableSpec,
    agency_id,
    cell_fields,
    cell_kind,
    field,
    format_code,
    lines,
    report_id,
    row_codes,
    seq,
    table_columns,
    text,
    year,
)

TO_AGENCIES = ("agency_id", "agencies", "agency_id")
TO_REPORTS = ("report_id", "reports", "report_id")


def _report_keys() -> tuple[dict, ...]:
    return (report_id(), agency_id(), year(), format_code())


def requests() -> TableSpec:
    cells = [f for c in table_columns("requests") for f in cell_fields(c)]
    return TableSpec(
        "requests",
        "收到和处理政府信息公开申请情况",
        "Table 3 of the report: one row per report and row code, one column per applicant "
        "type (natural_person … total). Row codes and labels follow the official format.",
        (
            *_report_keys(),
            text(
                "row_code",
                "行代码",
                "Row code of table 3 (ours), e.g. withheld.state_secret.",
                required=True,
                enum=row_codes("requests"),
            ),
            text(
                "row_label", "行标签", "Official Chinese row label, with its groups.", required=True
            ),
            text("printed_label", "原文行标签", "Row label as printed, when it differs."),
            *lines(),
            *cells,
        ),
        primary_key=("report_id", "row_code"),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


def appeals() -> TableSpec:
    cells = [f for c in table_columns("appeals") for f in cell_fields(c)]
    return TableSpec(
        "appeals",
        "政府信息公开行政复议、行政诉讼情况",
        "Table 4 of the report: administrative reconsideration and litigation, one row per "
        "report and group (reconsideration, litigation_direct, litigation_after_reconsideration).",
        (
            *_report_keys(),
            text(
                "group",
                "类别",
                "reconsideration | litigation_direct | litigation_after_reconsideration.",
                required=True,
                enum=row_codes("appeals"),
            ),
            text("group_label", "类别标签", "Official Chinese label.", required=True),
            text("printed_label", "原文行标签", "Row label as printed, when it differs."),
            *lines(),
            *cells,
        ),
        primary_key=("report_id", "group"),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


def proactive() -> TableSpec:
    groups = sorted(
        {
            g.code
            for f in all_formats()
            for t in f.tables.values()
            if t.code == "proactive"
            for g in t.groups
        }
    )
    return TableSpec(
        "proactive",
        "主动公开政府信息情况",
        "Table 2 of the report (条例第二十条 items), long layout: one row per report, row and "
        "column. The columns differ between formats (gov2021, gov2019), so each cell is a row; "
        "its number is in 'count' (non-negative integers), 'change' (本年增/减, signed) or "
        "'amount' (decimal, 万元), by the column's type.",
        (
            *_report_keys(),
            text(
                "group_code",
                "条目",
                "Item of article 20: item1, item5 …",
                required=True,
                enum=groups,
            ),
            text(
                "row_code",
                "行代码",
                "Row code, e.g. normative_documents.",
                required=True,
                enum=row_codes("proactive"),
            ),
            text(
                "column_code",
                "列代码",
                "Column code, e.g. in_force.",
                required=True,
                enum=[c.code for c in table_columns("proactive")],
            ),
            text("row_label", "行标签", "Official Chinese row label.", required=True),
            text("column_label", "列标签", "Official Chinese column label.", required=True),
            text("unit", "单位", "Unit of the column (件, 项, 万元)."),
            field("count", "integer", "数量", "The number, for count columns.", minimum=0),
            field("change", "integer", "增减", "The number, for 本年增/减 (may be negative)."),
            field("amount", "number", "金额", "The number, for amounts (万元).", minimum=0),
            *cell_kind(),
            text("printed_label", "原文行标签", "Row label as printed, when it differs."),
            *lines(),
        ),
        primary_key=("report_id", "row_code", "column_code"),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


def figures() -> TableSpec:
    codes = list(dict.fromkeys(fig.code for f in all_formats() for fig in f.figures))
    return TableSpec(
        "figures",
        "正文中的数字",
        "Figures stated in the prose of a report (legacy reports): applications received, fees …",
        (
            *_report_keys(),
            text("figure_code", "数字代码", "Figure code.", required=True, enum=codes),
            text("label", "名称", "Chinese name of the figure.", required=True),
            text("unit", "单位", "Unit."),
            field(
                "value", "number", "数值", "The number as stated; empty if not a number.", minimum=0
            ),
            *cell_kind(),
            text("quote", "原文", "The sentence that states it."),
            *lines(),
        ),
        primary_key=("report_id", "figure_code"),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


def statistics() -> TableSpec:
    return TableSpec(
        "statistics",
        "统计表",
        "Rows of a provincial statistics table in a legacy report (统计指标 | 单位 | 统计数).",
        (
            *_report_keys(),
            seq("row in the statistics table"),
            text("indicator", "统计指标", "Indicator as printed.", required=True),
            text("unit", "单位", "Unit as printed."),
            field("value", "number", "统计数", "The number; empty if not a number.", minimum=0),
            *cell_kind(),
            *lines(),
        ),
        primary_key=("report_id", "seq"),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


def corrections() -> TableSpec:
    return TableSpec(
        "corrections",
        "更正记录",
        "Corrections of published numbers: the value published, the corrected value and why.",
        (
            report_id(),
            seq("correction"),
            text("field", "字段", "Field path, e.g. requests.total.total.", required=True),
            text("published", "原值", "Value as published.", required=True),
            text("corrected", "更正值", "Corrected value.", required=True),
            text("reason", "理由", "Reason and evidence.", required=True),
            field("date", "date", "更正日期", "Date of the correction."),
        ),
        primary_key=("report_id", "seq"),
        foreign_keys=(TO_REPORTS,),
    )
