"""Import a raw report text (copied from a web page, Word or PDF) as draft YAML.

Splits a whole-website scrape into its documents, detects each report's
format by its tables' columns, places every table row (by label, else by the
format's row order, checked by the table arithmetic) and writes a draft per
report (and an agency stub for a new agency). Nothing is overwritten without
--force. The summary says, per document, what went where and what did not.

Exit status: 0 every line placed, 1 some lines or documents need a look,
2 usage error.

Examples:
  gongkai import content/raw/seeds/000_ec87497b9b11f791.txt
  gongkai import page.txt --agency 371500-wjw --year 2023 --out /tmp/drafts
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..cli import UsageError
from ..importer.run import import_file
from ..importer.summary import print_summary
from ..paths import find_root
from ..schema.content import AGENCY_ID

HELP = "导入原始文本为 YAML 草稿 / import a raw report text as draft YAML"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("raw_file", type=Path, metavar="RAW_FILE", help="raw text file")
    parser.add_argument("--agency", help="agency ID, e.g. 371500-wjw (default: from the text)")
    parser.add_argument("--year", type=int, help="statistical year (a single report only)")
    parser.add_argument(
        "--out", type=Path, help="content directory to write to (default: content/)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--root", type=Path, help="repository root (default: found from cwd)")


def run(args: argparse.Namespace) -> int:
    if not args.raw_file.is_file():
        raise UsageError(f"no such file: {args.raw_file}")
    if args.agency and not re.fullmatch(AGENCY_ID, args.agency):
        raise UsageError(f"--agency {args.agency}: expected an ID like 371500-wjw")
    if args.year is not None and not 2007 <= args.year <= 2100:
        raise UsageError(f"--year {args.year}: out of range")
    root = args.root or find_root()
    result = import_file(args.raw_file, root, args.agency, args.year, args.out, args.force)
    print_summary(result.raw, result.drafts, result.noise, result.written)
    return 1 if result.problems else 0
