"""Write the JSON Schemas of the content files into schemas/ (for editors).

The schemas are generated from the same specs the validator uses, so what an
editor accepts and what `gongkai validate` accepts cannot drift apart.
With --check, nothing is written: exit 1 if the committed files are stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import find_root
from ..schema import jsonschema

HELP = "生成编辑器用的 JSON Schema / write JSON Schemas for editors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail (exit 1) if schemas/ differs from what would be written",
    )
    parser.add_argument("--root", type=Path, default=None, help="repository root")


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    stale = []
    for name, doc in jsonschema.schemas().items():
        path = root / jsonschema.SCHEMA_DIR / name
        text = jsonschema.render(doc)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    for path in stale:
        print(f"stale: {path.relative_to(root)} (run `gongkai schema`)")
    return 1 if stale else 0
