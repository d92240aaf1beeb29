"""Check content files: YAML, schema, table arithmetic, years, continuity, guides.

Every problem is printed as FILE:LINE: severity [check-id] field.path: message.
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.

Examples:
  gongkai validate content/
  gongkai validate content/reports/371500-wjw/2023.yaml --format github
  gongkai validate /tmp/copy-of-a-report.yaml --format json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import UsageError
from ..diagnostics import has_errors, summary_line, to_json
from ..load import discover, load, relpath
from ..paths import CONTENT, find_root
from ..validate import validate

HELP = "校验内容文件 / validate content files"
SEVERITY_ORDER = ("error", "warning", "info")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or directories to report on (default: content/)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        dest="output",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--min-severity",
        choices=SEVERITY_ORDER,
        default="info",
        help="print only diagnostics at least this severe (default: info)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every file again instead of reusing records of unchanged files "
        "(kept in .cache/gongkai/)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="repository root holding content/ (default: found from cwd)",
    )


def _selected(paths: list[Path], root: Path) -> tuple[set[str] | None, list[Path]]:
    """(relative paths to report on, or None for all; files outside content/ to add)."""
    if not paths:
        return None, []
    content = root / CONTENT
    selected: set[str] = set()
    extra: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"没有这个文件或目录：{p}")
        files = (
            discover(p)
            if p.is_dir() and p.resolve() == content.resolve()
            else (
                sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml"))
                if p.is_dir()
                else [p]
            )
        )
        for f in files:
            rel = relpath(f, content)
            selected.add(rel)
            if not f.resolve().is_relative_to(content.resolve()):
                extra.append(f)
    return selected, extra


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / CONTENT).is_dir():
        raise UsageError(f"{root} 下没有 content/ 目录；请在仓库根目录运行或用 --root 指定。")
    selected, extra = _selected(args.paths, root)
    content = load(root / CONTENT, extra=extra, cache=not args.no_cache, slim=True)
    diagnostics = validate(content)
    if selected is not None:
        diagnostics = [d for d in diagnostics if d.file in selected]
    failed = has_errors(diagnostics)
    cutoff = SEVERITY_ORDER.index(args.min_severity)
    shown = [d for d in diagnostics if SEVERITY_ORDER.index(d.severity) <= cutoff]
    files = len(selected) if selected is not None else len(content.files)
    if args.output == "json":
        print(to_json(shown))
    elif args.output == "github":
        for d in shown:
            print(d.github())
    else:
        for d in shown:
            print(d.text())
        print(summary_line(diagnostics, files), file=sys.stderr)
    return 1 if failed else 0
