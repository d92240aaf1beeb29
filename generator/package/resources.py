"""The resources of the data package, in the order they are written.

Each is a ``TableSpec``; the columns of the official tables come from the
format definitions through ``schema.cell_fields`` and ``schema.row_codes``.
"""

from __future__ import annotations

from functools import cache

from ..diagnostics import SEVERITIES
from ..schema.content import CHANNEL_TYPES, LEVELS, REMEDY_TYPES, TIME_UNITS
from .report_tables import (
    TO_AGENCIES,
    TO_REPORTS,
    appeals,
    corrections,
    figures,
    proactive,
    requests,
    statistics,
)
from .schema import (
    TableSpec,
    agency_id,
    field,
    format_code,
    lines,
    report_id,
    seq,
    text,
    year,
)

FILE = text("file", "源文件", "Path of the YAML source file in the repository.", required=True)
NOTES = text("notes", "编者说明", "Editors' notes.")
POSTCODE = text("postcode", "邮编", "Postcode (6 digits).", pattern=r"[0-9]{6}")


def agencies() -> TableSpec:
    return TableSpec(
        "agencies",
        "机构",
        "Agencies: one row per agency, with its current name, level, region and contact.",
        (
            agency_id(),
            text("name", "名称", "Current official Chinese name.", required=True),
            text("short_name", "简称", "Short name."),
            text("name_en", "英文名", "English name, if known."),
            text(
                "level",
                "层级",
                "national | province | city | county.",
                required=True,
                enum=list(LEVELS),
            ),
            text(
                "division_code",
                "行政区划代码",
                "GB/T 2260 administrative division code.",
                required=True,
                pattern=r"[0-9]{6}",
            ),
            text("province", "省级行政区", "Province.", required=True),
            text("city", "地级行政区", "Prefecture-level city."),
            text("county", "县级行政区", "County or district."),
            text("sector", "领域", "Sector, e.g. health."),
            text("website", "网站", "Website."),
            text("address", "地址", "Postal address."),
            POSTCODE,
            text("phone", "电话", "Phone."),
            text("fax", "传真", "Fax."),
            text("email", "电子邮箱", "Email."),
            text("aliases", "其他名称", "Other common names, separated by '；'."),
            field(
                "dissolved",
                "integer",
                "撤销年份",
                "Year the agency ceased to exist.",
                minimum=2007,
                maximum=2100,
            ),
            NOTES,
            FILE,
        ),
        primary_key=("agency_id",),
    )


def lineage() -> TableSpec:
    return TableSpec(
        "lineage",
        "机构沿革",
        "Earlier names of each agency and predecessors merged into it, oldest first.",
        (
            agency_id(),
            seq("lineage entry"),
            text("name", "曾用名或前身机构", "Earlier name or predecessor's name.", required=True),
            text(
                "relation",
                "关系",
                "renamed | merged | split.",
                required=True,
                enum=["renamed", "merged", "split"],
            ),
            year("from_year", "起始年份", required=False),
            year("to_year", "终止年份", required=False),
            text(
                "predecessor_id", "前身机构 ID", "The predecessor's own agency ID, if it has one."
            ),
            text("note", "说明", "Note."),
        ),
        primary_key=("agency_id", "seq"),
        foreign_keys=(TO_AGENCIES,),
    )


def reports() -> TableSpec:
    return TableSpec(
        "reports",
        "年度报告",
        "Annual reports: one row per agency and statistical year.",
        (
            report_id(),
            agency_id(),
            year(),
            format_code(),
            text("title", "标题", "Title as published.", required=True),
            field("published", "date", "发布日期", "Publication date, if known."),
            text(
                "filed_as",
                "发布时的机构名称",
                "Agency name the report was published under, if not the current one.",
            ),
            field(
                "partial",
                "boolean",
                "仅存部分",
                "True when only part of the report survives.",
                required=True,
            ),
            field("period_start", "date", "统计期起", "Start of the statistical period as stated."),
            field("period_end", "date", "统计期止", "End of the statistical period as stated."),
            text("source_raw", "原始文本", "Path of the raw text under content/raw/."),
            *lines("source_"),
            text("source_url", "原文网址", "URL of the published report."),
            text("source_file_name", "原文件名", "File name of the published report."),
            field("source_retrieved", "date", "获取日期", "Date the source was retrieved."),
            text(
                "statistics_title", "统计表标题", "Title of the statistics table (legacy reports)."
            ),
            NOTES,
            FILE,
        ),
        primary_key=("report_id",),
        foreign_keys=(TO_AGENCIES,),
    )


def _limit(key: str, title: str) -> tuple[dict, dict]:
    return (
        field(
            f"{key}_days",
            "integer",
            f"{title}时限",
            f"Time limit '{key}': number of units.",
            minimum=0,
        ),
        text(
            f"{key}_unit",
            f"{title}时限单位",
            "working_days | days | months.",
            enum=list(TIME_UNITS),
        ),
    )


def guides() -> TableSpec:
    return TableSpec(
        "guides",
        "政府信息公开指南",
        "Disclosure guides: one row per agency, with the time limits the guide states.",
        (
            agency_id(),
            text("title", "标题", "Title.", required=True),
            field("published", "date", "发布日期", "Publication or update date."),
            *_limit("proactive", "主动公开"),
            *_limit("answer", "答复"),
            *_limit("extension", "延长"),
            text("not_counted", "不计入期限的时间", "Time not counted, separated by '；'."),
            text("fees", "收费规定", "Fee rule."),
            text("source_raw", "原始文本", "Path of the raw text under content/raw/."),
            *lines("source_"),
            text("source_url", "原文网址", "URL of the published guide."),
            NOTES,
            FILE,
        ),
        primary_key=("agency_id",),
        foreign_keys=(TO_AGENCIES,),
    )


def _contact() -> tuple[dict, ...]:
    return (
        text("address", "地址", "Address."),
        POSTCODE,
        text("phone", "电话", "Phone."),
        text("hours", "办公时间", "Opening hours, 'season：hours' joined by '；'."),
    )


def guide_channels() -> TableSpec:
    return TableSpec(
        "guide_channels",
        "申请渠道",
        "Where and how to apply: the disclosure office (role office) and each channel.",
        (
            agency_id(),
            seq("channel in the guide (the office first)"),
            text(
                "role",
                "角色",
                "office (the disclosure office) | channel.",
                required=True,
                enum=["office", "channel"],
            ),
            text(
                "type",
                "渠道",
                "in_person | post | online | fax | email | phone.",
                required=True,
                enum=list(CHANNEL_TYPES),
            ),
            text("office", "受理机构或窗口", "Office or counter."),
            *_contact(),
            text("fax", "传真", "Fax."),
            text("email", "电子邮箱", "Email."),
            text("url", "网址", "URL."),
            text("notes", "注意事项", "Notes (what to write on the envelope …)."),
        ),
        primary_key=("agency_id", "seq"),
        foreign_keys=(TO_AGENCIES,),
    )


def remedies() -> TableSpec:
    return TableSpec(
        "remedies",
        "救济途径",
        "Remedies named in the guide: correction, reconsideration, litigation, complaint.",
        (
            agency_id(),
            seq("remedy in the guide"),
            text(
                "type",
                "救济途径",
                "correction | reconsideration | litigation | complaint.",
                required=True,
                enum=list(REMEDY_TYPES),
            ),
            text("body", "受理机关或法院", "Body or court."),
            *_contact(),
            *_limit("period", "期限"),
            text("period_text", "期限原文", "The period as the guide words it."),
            text("notes", "说明", "Notes."),
        ),
        primary_key=("agency_id", "seq"),
        foreign_keys=(TO_AGENCIES,),
    )


def flags() -> TableSpec:
    return TableSpec(
        "flags",
        "数据质量标记",
        "Data-quality diagnostics of the validator: file, line, field path, check, severity.",
        (
            text("file", "文件", "Content file the flag is about.", required=True),
            field(
                "line",
                "integer",
                "行",
                "Line in the file (0: the whole file).",
                required=True,
                minimum=0,
            ),
            text("path", "字段路径", "Field path, e.g. requests.new.total."),
            text(
                "check", "校验项", "Stable English check id.", required=True, pattern=r"[a-z0-9_]+"
            ),
            text(
                "severity",
                "严重程度",
                "error | warning | info.",
                required=True,
                enum=list(SEVERITIES),
            ),
            text("message", "说明", "Message (Chinese).", required=True),
            report_id(required=False),
            agency_id(required=False),
        ),
        foreign_keys=(TO_REPORTS, TO_AGENCIES),
    )


@cache
def resources() -> tuple[TableSpec, ...]:
    """Every resource, in the order of the package."""
    makers = (
        agencies,
        lineage,
        reports,
        proactive,
        requests,
        appeals,
        figures,
        statistics,
        corrections,
        guides,
        guide_channels,
        remedies,
        flags,
    )
    return tuple(m() for m in makers)


def resource(name: str) -> TableSpec:
    return next(r for r in resources() if r.name == name)
