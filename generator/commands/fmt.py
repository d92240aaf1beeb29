"""Rewrite content YAML in one canonical form, keeping every value and comment.

Key order from the schema, table rows one per line in the format's order,
narrative text as literal blocks, quotes where YAML would misread a value
(0635, 010010, no, 1.0), 2-space indentation, the schema comment first.
Formatting twice changes nothing the second time.

With --check nothing is written: the files that would change are listed
and the exit status is 1. Exit 1 also when a file cannot be read.

Examples:
  gongkai fmt                       # every file under content/
  gongkai fmt --check content/
  gongkai fmt content/reports/371500-wjw/2023.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import UsageError
from ..fmt import FmtError, format_file
from ..load import discover
from ..paths import CONTENT, find_root

HELP = "统一内容文件格式 / rewrite content YAML in canonical form"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or directories (default: content/)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list files that would change and exit 1 if any",
    )


def files_of(paths: list[Path]) -> list[Path]:
    """The YAML files named by ``paths`` (a content/ directory: its content files)."""
    found: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"没有这个文件或目录：{p}")
        if p.is_file():
            found.append(p)
        elif p.name == CONTENT or (p / "agencies").is_dir() or (p / "reports").is_dir():
            found += discover(p)
        else:
            found += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml"))
    return list(dict.fromkeys(found))


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [find_root() / CONTENT]
    changed, failed = [], []
    for path in files_of(paths):
        try:
            if format_file(path, check=args.check):
                changed.append(path)
        except FmtError as exc:
            failed.append(path)
            print(f"{path}: {exc}", file=sys.stderr)
    verb = "would reformat" if args.check else "reformatted"
    for path in changed:
        print(f"{verb}: {path}")
    total = len(files_of(paths))
    print(
        f"{total} 个文件，{len(changed)} 个{'需要' if args.check else '已'}重新格式化，"
        f"{len(failed)} 个无法处理 ({total} files, {len(changed)} {verb}, {len(failed)} failed)",
        file=sys.stderr,
    )
    return 1 if failed or (args.check and changed) else 0
