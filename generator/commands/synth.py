"""Write a synthetic but realistic content tree of any size, for benchmarks.

Agencies over the 31 provinces and generated cities and counties, every
report format, tables that pass every check (with carry-over between years),
about 3,000 characters of narrative per report built from clauses of the
real seed reports. The same --seed and --reports give identical bytes.
DIR/content is replaced.

Exit status: 0 written; 2 usage error.

Examples:
  gongkai synth --reports 200 --out /tmp/synth
  gongkai validate --root /tmp/synth
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..cli import UsageError
from ..synth import Counts, synthesize

HELP = "生成合成语料（基准测试用）/ write a synthetic corpus for benchmarks"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports", type=int, required=True, metavar="N", help="number of reports")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="writes DIR/content (replaced)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")


def _progress(started: float):
    def show(counts: Counts) -> None:
        rate = counts.reports / max(time.perf_counter() - started, 1e-9)
        print(
            f"  {counts.reports} reports, {counts.agencies} agencies ({rate:.0f}/s)",
            file=sys.stderr,
        )

    return show


def run(args: argparse.Namespace) -> int:
    if args.reports < 1:
        raise UsageError("--reports must be at least 1")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"{args.out} is not a directory")
    started = time.perf_counter()
    counts = synthesize(args.out, args.reports, args.seed, _progress(started))
    print(
        f"合成 {counts.reports} 份报告、{counts.agencies} 个机构、{counts.guides} 份指南"
        f" → {args.out / 'content'} ({counts.bytes / 1e6:.1f} MB,"
        f" {time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    return 0
