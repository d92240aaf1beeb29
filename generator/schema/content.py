"""The schemas of the three content types: agencies, reports, guides.

Report tables are not written out here: their rows and columns come from the
format definitions in ``generator/formats``.
"""

from __future__ import annotations

from functools import cache

from .. import records as r
from ..formats import FORMAT_CODES, Format, Table, get_format
from .spec import (
    Boolean,
    CellSpec,
    Date,
    Integer,
    Lines,
    ListOf,
    Obj,
    Spec,
    Text,
    Url,
)

AGENCY_ID = r"[0-9]{6}-[a-z0-9]+(?:-[a-z0-9]+)*"
AGENCY_ID_HINT = "机构 ID 由 6 位行政区划代码、连字符和小写字母缩写组成，如 371500-wjw。"
LEVELS = ("national", "province", "city", "county")
CHANNEL_TYPES = ("in_person", "post", "online", "fax", "email", "phone")
REMEDY_TYPES = ("correction", "reconsideration", "litigation", "complaint")
TIME_UNITS = ("working_days", "days", "months")
TIME_LIMIT_KEYS = ("proactive", "answer", "extension")
YEARS = (2007, 2100)
ROW_META_KEYS = ("lines", "label")  # keys of a table row that are not cells
# path segments may not start with a dot, so `..` cannot climb out of content/raw/
RAW_PATH = r"content/raw(?:/[A-Za-z0-9_\-\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*)+"

SOURCE = Obj(
    {
        "raw": Text(
            "原始文本在 content/raw/ 下的路径",
            pattern=RAW_PATH,
            hint="路径必须在 content/raw/ 之下，不能含 ..。",
        ),
        "lines": Lines(),
        "url": Url("原文网址"),
        "file_name": Text("原文件名（如 .pdf、.doc）"),
        "retrieved": Date("获取日期"),
    },
    build=r.Source,
    description="来源：原始文本、网址、文件名、获取日期",
)

CONTACT = Obj(
    {
        "address": Text("地址"),
        "postcode": Text("邮政编码", pattern=r"\d{6}", hint="邮编是 6 位数字。"),
        "phone": Text("电话"),
        "fax": Text("传真"),
        "email": Text("电子邮箱", pattern=r"[^@\s]+@[^@\s]+"),
    },
    build=r.Contact,
)

LINEAGE = Obj(
    {
        "name": Text("曾用名或前身机构名称"),
        "relation": Text("关系", enum=("renamed", "merged", "split")),
        "from": Integer("起始年份", *YEARS),
        "to": Integer("终止年份", *YEARS),
        "agency": Text("前身机构自己的 ID（若有文件）", pattern=AGENCY_ID, hint=AGENCY_ID_HINT),
        "note": Text("说明"),
    },
    required=("name", "relation"),
    build=r.LineageEntry,
    rename={"from": "from_year", "to": "to_year"},
)

AGENCY = Obj(
    {
        "id": Text("机构 ID", pattern=AGENCY_ID, hint=AGENCY_ID_HINT),
        "name": Text("现用全称"),
        "short_name": Text("简称"),
        "name_en": Text("英文名"),
        "level": Text("层级", enum=LEVELS),
        "division_code": Text(
            "行政区划代码（GB/T 2260）", pattern=r"\d{6}", hint="行政区划代码是 6 位数字。"
        ),
        "province": Text("省级行政区"),
        "city": Text("地级行政区"),
        "county": Text("县级行政区"),
        "sector": Text("领域，如 health"),
        "website": Url("网站"),
        "contact": CONTACT,
        "aliases": ListOf(Text(), "其他常用名称、简称"),
        "lineage": ListOf(LINEAGE, "曾用名与前身机构"),
        "dissolved": Integer("撤销年份", *YEARS),
        "notes": Text("编者说明"),
    },
    required=("id", "name", "level", "division_code", "province"),
    description="机构",
)

SECTION = Obj(
    {
        "heading": Text("标题，照原文"),
        "code": Text("格式中的节代码", enum=("overview", "problems", "other")),
        "lines": Lines(),
        "text": Text("正文（Markdown）"),
    },
    required=("heading",),
    build=lambda heading, text="", code="", lines=None: r.Section(heading, text, code, lines),
)

CORRECTION = Obj(
    {
        "field": Text("被更正的字段路径，如 requests.total.total"),
        "published": Text("原文公布的值"),
        "corrected": Text("更正后的值"),
        "reason": Text("更正理由与依据"),
        "date": Date("更正日期"),
    },
    required=("field", "published", "corrected", "reason"),
    build=r.Correction,
)

SOURCE_ISSUE = Obj(
    {
        "check": Text("校验项 ID，如 requests_balance"),
        "field": Text("字段路径，如 requests.carried_forward.total"),
        "note": Text("核对说明，如：原文如此，已核对第 191 行"),
    },
    required=("check", "field"),
    build=r.SourceIssue,
    description="已对照原文核实、确属原文自身的矛盾",
)

PERIOD = Obj({"start": Date(), "end": Date()}, required=("start", "end"), build=r.Period)


def _row_spec(columns) -> Obj:
    fields: dict[str, Spec] = {
        c.code: CellSpec(c.type, f"{c.label}（{c.unit}）" if c.unit else c.label) for c in columns
    }
    fields["lines"] = Lines()
    fields["label"] = Text("原文中的行标签（与标准标签不同时）")
    return Obj(fields)


def table_spec(table: Table) -> Obj:
    """Spec of one report table: a mapping from row code to a row of cells."""
    return Obj({row.code: _row_spec(row.columns) for row in table.rows}, description=table.title)


FIGURE = Obj(
    {"value": CellSpec("decimal"), "lines": Lines(), "quote": Text("原文中的句子")},
    required=("value",),
)

STATISTIC = Obj(
    {
        "indicator": Text("统计指标"),
        "unit": Text("单位"),
        "value": CellSpec("decimal"),
        "lines": Lines(),
    },
    required=("indicator",),
)


def _figures_spec(fmt: Format) -> Obj:
    return Obj({f.code: FIGURE for f in fmt.figures}, description="正文中明确写出的数字")


@cache
def report_spec(format_code: str) -> Obj:
    """Spec of a report file in the given format."""
    fmt = get_format(format_code)
    fields: dict[str, Spec] = {
        "agency": Text("机构 ID", pattern=AGENCY_ID, hint=AGENCY_ID_HINT),
        "year": Integer("报告所统计的年度", *YEARS),
        "format": Text("报告格式", enum=FORMAT_CODES),
        "title": Text("标题，照原文"),
        "published": Date("发布日期"),
        "filed_as": Text("发布时使用的机构名称（与现名不同时）"),
        "source": SOURCE,
        "period": PERIOD,
        "partial": Boolean("原文只留下了一部分"),
        "preface": Text("正文前的导语"),
        "sections": ListOf(SECTION, "各节正文"),
    }
    # the tables follow the narrative, in the order of the format definition
    fields |= {code: table_spec(table) for code, table in fmt.tables.items()}
    fields["figures"] = _figures_spec(fmt)
    if format_code == "legacy":
        fields["statistics"] = Obj(
            {"title": Text("统计表标题"), "rows": ListOf(STATISTIC)},
            description="统计表（统计指标 | 单位 | 统计数）",
        )
    fields |= {
        "corrections": ListOf(CORRECTION, "更正记录：原值、更正值、理由"),
        "source_issues": ListOf(SOURCE_ISSUE, "已核实的原文自身矛盾（校验降为警告并在网站上标出）"),
        "notes": Text("编者说明"),
    }
    return Obj(fields, required=("agency", "year", "format", "title"), description=fmt.name)


HOURS = Obj(
    {"season": Text("适用时段，如 5月1日至9月30日"), "text": Text("时间")},
    required=("text",),
    build=r.Hours,
)

TIME_LIMIT = Obj(
    {"days": Integer("天数", 0, 400), "unit": Text("单位", enum=TIME_UNITS), "text": Text("原文")},
    build=lambda days=None, unit="working_days", text="": r.TimeLimit(days, unit, text),
)

CHANNEL = Obj(
    {
        "type": Text("渠道", enum=CHANNEL_TYPES),
        "office": Text("受理机构或窗口"),
        "address": Text("地址"),
        "postcode": Text("邮编", pattern=r"\d{6}", hint="邮编是 6 位数字。"),
        "hours": ListOf(HOURS, "办公时间（可分季节）"),
        "phone": Text("电话"),
        "fax": Text("传真"),
        "email": Text("电子邮箱"),
        "url": Url("网址"),
        "notes": Text("注意事项（信封上写什么、附什么证件等）"),
    },
    required=("type",),
    build=r.Channel,
)

REMEDY = Obj(
    {
        "type": Text("救济途径", enum=REMEDY_TYPES),
        "body": Text("受理机关或法院"),
        "address": Text("地址"),
        "postcode": Text("邮编", pattern=r"\d{6}", hint="邮编是 6 位数字。"),
        "phone": Text("电话"),
        "hours": ListOf(HOURS, "办公时间"),
        "period": TIME_LIMIT,
        "notes": Text("说明"),
    },
    required=("type",),
    build=r.Remedy,
)

GUIDE = Obj(
    {
        "agency": Text("机构 ID", pattern=AGENCY_ID, hint=AGENCY_ID_HINT),
        "title": Text("标题"),
        "published": Date("发布或更新日期"),
        "source": SOURCE,
        "office": CHANNEL,
        "channels": ListOf(CHANNEL, "申请渠道"),
        "time_limits": Obj(
            {k: TIME_LIMIT for k in TIME_LIMIT_KEYS},
            description="时限：proactive 主动公开、answer 答复、extension 延长",
        ),
        "not_counted": ListOf(Text(), "不计入办理期限的时间"),
        "fees": Text("收费规定"),
        "remedies": ListOf(REMEDY, "救济途径"),
        "proactive_scope": ListOf(Text(), "主动公开的范围"),
        "proactive_where": ListOf(Text(), "主动公开的方式和场所"),
        "not_disclosed": ListOf(Text(), "不予公开的范围"),
        "form": Obj(
            {
                "name": Text(),
                "url": Url(),
                "fields": ListOf(Text()),
                "file_name": Text("表格文件名（无网址时），如 申请表.docx"),
                "notes": Text("表上印的注意事项"),
            },
            build=r.FormSpec,
            description="申请表",
        ),
        "notes": Text("编者说明"),
    },
    required=("agency", "title"),
    description="政府信息公开指南",
)
