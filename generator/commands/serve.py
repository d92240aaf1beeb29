"""Preview the site on localhost with live reload.

Edits to content/, site_templates/ or mkdocs.yml re-render the pages; the
pages whose text changed are rebuilt and the browser reloads. Content with
errors keeps the last good preview and prints the diagnostics. Search is not
indexed in the preview (run `gongkai build`).

  gongkai serve                 http://127.0.0.1:8000/
  gongkai serve --port 8001
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import UsageError
from ..paths import CONTENT, find_root
from ..site.serve import serve
from .build import prepare

HELP = "本地预览网站，修改后自动刷新 (preview the site on localhost with live reload)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--root", type=Path, default=None, help="仓库根目录（含 content/）")


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / CONTENT).is_dir():
        raise UsageError(f"{root} 下没有 content/ 目录；请在仓库根目录运行或用 --root 指定。")
    if not 0 < args.port < 65536:
        raise UsageError(f"端口应在 1–65535 之间：{args.port}")

    def again():  # type: ignore[no-untyped-def]
        prepared = prepare(root)
        return prepared.corpus, (prepared.pages if prepared.ok else None)

    return serve(root, again, port=args.port)
