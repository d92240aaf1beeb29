"""Make a new content file with every field, ready to fill in; never overwrites.

The file has the schema comment first (editors then autocomplete and check
it), a Chinese hint after each field, and for reports every table row of the
format with blank (null) cells. Fill in what the source says, delete what it
does not, then run `gongkai validate` on the file. The path is printed.

Examples:
  gongkai new agency 371500-wjw --name 聊城市卫生健康委员会 --level city
  gongkai new report 371500-wjw 2023
  gongkai new report 371500-wjw 2020 --format gov2019
  gongkai new guide 371500-wjw
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .. import scaffold
from ..cli import UsageError
from ..formats import FORMAT_CODES, get_format
from ..paths import CONTENT, find_root
from ..schema.content import AGENCY_ID, AGENCY_ID_HINT, LEVELS, YEARS

HELP = "新建内容文件（机构、报告、指南）/ scaffold a new content file"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help="repository root")
    sub = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    agency = sub.add_parser("agency", help="机构 / an agency")
    agency.add_argument("id", metavar="ID", help="机构 ID，如 371500-wjw")
    agency.add_argument("--name", required=True, help="现用全称")
    agency.add_argument("--level", required=True, choices=LEVELS, help="层级")
    report = sub.add_parser("report", help="年度报告 / an annual report")
    report.add_argument("agency", metavar="AGENCY", help="机构 ID")
    report.add_argument("year", metavar="YEAR", type=int, help="报告所统计的年度")
    report.add_argument(
        "--format",
        choices=FORMAT_CODES,
        default=None,
        dest="fmt",
        help="报告格式（默认按年度：2021 起 gov2021，2019—2020 gov2019，更早 legacy）",
    )
    guide = sub.add_parser("guide", help="公开指南 / a disclosure guide")
    guide.add_argument("agency", metavar="AGENCY", help="机构 ID")


def default_format(year: int) -> str:
    """The format the year's reports normally use."""
    for code in FORMAT_CODES:
        fmt = get_format(code)
        if fmt.year_from <= year and (fmt.year_to is None or year <= fmt.year_to):
            return code
    return "legacy"


def _agency_id(value: str) -> str:
    if not re.fullmatch(AGENCY_ID, value):
        raise UsageError(f"`{value}` 不是机构 ID。{AGENCY_ID_HINT}")
    return value


def _plan(args: argparse.Namespace) -> tuple[Path, str]:
    """(path under content/, text) of the file to write."""
    if args.kind == "agency":
        agency_id = _agency_id(args.id)
        return Path("agencies", f"{agency_id}.yaml"), scaffold.agency(
            agency_id, args.name, args.level
        )
    agency_id = _agency_id(args.agency)
    if args.kind == "guide":
        return Path("guides", f"{agency_id}.yaml"), scaffold.guide(agency_id)
    if not YEARS[0] <= args.year <= YEARS[1]:
        raise UsageError(f"年度 {args.year} 超出范围 {YEARS[0]}—{YEARS[1]}。")
    fmt = args.fmt or default_format(args.year)
    return Path("reports", agency_id, f"{args.year}.yaml"), scaffold.report(
        agency_id, args.year, fmt
    )


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    rel, text = _plan(args)
    path = root / CONTENT / rel
    if path.exists():
        raise UsageError(f"{CONTENT}/{rel.as_posix()} 已存在，不会覆盖。请直接编辑它。")
    agency = getattr(args, "agency", None)
    if agency and not (root / CONTENT / "agencies" / f"{agency}.yaml").is_file():
        print(f"提示：还没有机构文件，请先运行 gongkai new agency {agency} …", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(text)
    print(f"{CONTENT}/{rel.as_posix()}")
    return 0
