"""Write the Frictionless data package (datapackage.json + one CSV per table) and validate it.

The package is built from content/ into a temporary directory, validated
with frictionless and only then moved into place, so a failed run leaves the
previous package intact. Same content, same bytes. When the content and the
generator's code are the same as for the package written last (by a site
build or by this command), its files are copied, each checked against its
digest, instead of loading and formatting the content again (reuse.py).
Otherwise reports unchanged since an earlier run are not formatted again
(cache.py). Frictionless validates each distinct value of a field type once,
values validated before not again, and a package whose bytes were all found
valid before not again (check.py). The caches are in <root>/.cache/gongkai/.

With --check nothing is written: the package is regenerated in a temporary
directory, validated in full with frictionless, and compared with the
committed one (CI runs this, so the committed package never drifts from
content/).

Exit status: 0 valid (and, with --check, up to date); 1 invalid, or the
committed package differs (the differing files are listed); 2 usage error.

Examples:
  gongkai package
  gongkai package --check
  gongkai package --out /tmp/pkg
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..cli import UsageError
from ..fsutil import swap_in
from ..load import load
from ..model import Corpus, build_corpus
from ..package.cache import CACHE_DIR, PartsCache
from ..package.check import differing_files, validate_changed, validate_package
from ..package.meta import current_release
from ..package.reuse import record_package, reuse_package
from ..package.write import package_files, write_package
from ..paths import CONTENT, DATAPACKAGE, find_root
from ..validate import validate

VALIDATED = "validated.marshal"
HELP = "生成并校验数据包 / write and validate the data package"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate in a temporary directory and fail if the committed package differs",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="package directory (default: datapackage/)"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="repository root holding content/ (default: found from cwd)",
    )


def load_corpus(root: Path) -> Corpus:
    """Load and validate content/: the corpus with its diagnostics (for the flags table)."""
    content = load(root / CONTENT)
    return build_corpus(content, validate(content))


def say(message: str) -> None:
    print(message, file=sys.stderr)


def write(corpus: Corpus, root: Path, into: Path) -> dict[str, int]:
    """Write the package of ``corpus`` into ``into``; rows per resource."""
    with PartsCache(root) as cache:
        return write_package(corpus, into, current_release(root), cache=cache)


def make(root: Path, into: Path, out: Path) -> dict[str, int]:
    """Write the package of ``root`` into the empty ``into`` (to be moved to ``out``); rows per resource.

    The package written last, by a build or by this command, is copied when
    it was made from the same inputs (``reuse``: the files are checked against
    their digests as they are copied); otherwise the content is loaded and
    the package written, and noted for next time.
    """
    release = current_release(root)
    counts = reuse_package(root, release, into)
    if counts is not None:
        say(
            "数据包与上次生成时的输入相同，沿用其文件 / same inputs as the package written last: reused"
        )
        return counts
    counts = write(load_corpus(root), root, into)
    record_package(into, root, release, counts, found_in=out)
    return counts


def build(
    corpus: Corpus | None, root: Path, into: Path, full: bool = False, out: Path | None = None
) -> bool:
    """Write the package into ``into`` and validate it (``full``: all rows); True when valid.

    Without ``corpus`` it is loaded only if the package cannot be reused (``make``).
    """
    started = time.perf_counter()
    counts = make(root, into, out or into) if corpus is None else write(corpus, root, into)
    say("  ".join(f"{name} {n}" for name, n in counts.items()))
    if full:
        problems = validate_package(into)
    else:
        problems = validate_changed(into, root / CACHE_DIR / VALIDATED)
    for p in problems[:200]:
        print(p.text())
    if len(problems) > 200:
        print(f"… {len(problems) - 200} more")
    state = "有效 valid" if not problems else f"无效 invalid: {len(problems)} errors"
    say(f"数据包{state} ({sum(counts.values())} rows, {time.perf_counter() - started:.1f} s)")
    return not problems


def install(staged: Path, out: Path) -> None:
    """Put the staged package in place of ``out`` in one directory swap.

    Files in ``out`` that are not part of the package (a README, say) are kept;
    CSVs no longer in the package are dropped.
    """
    if out.is_dir():
        package = set(package_files())
        for path in out.iterdir():
            if path.name not in package and path.suffix != ".csv" and path.is_file():
                shutil.copy2(path, staged / path.name)
    swap_in(staged, out)


def check(corpus: Corpus, root: Path, out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="gongkai-package-") as tmp:
        fresh = Path(tmp)
        valid = build(corpus, root, fresh, full=True)
        differ = differing_files(out, fresh)
    for name in differ:
        print(f"{out / name}: 与 content/ 不一致 / differs from a fresh package")
    if differ:
        say("数据包已过期：请运行 gongkai package 并提交 datapackage/ (package is out of date)")
    return 0 if valid and not differ else 1


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / CONTENT).is_dir():
        raise UsageError(f"{root} 下没有 content/ 目录；请在仓库根目录运行或用 --root 指定。")
    out = (args.out or root / DATAPACKAGE).resolve()
    if args.check:
        return check(load_corpus(root), root, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".datapackage-", dir=out.parent))
    try:
        if not build(None, root, staged, False, out):
            say(f"{out} 未改动 / left unchanged")
            return 1
        install(staged, out)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    say(f"已写入 {out} / written")
    return 0
