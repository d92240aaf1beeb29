"""Export the content schemas as JSON Schema files for editors (``schemas/``).

Each content file starts with ``# yaml-language-server: $schema=…`` naming
one of these, so that editors autocomplete keys and flag mistakes while a
volunteer types. They are generated from the same specs the validator uses.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..formats import FORMAT_CODES
from .content import AGENCY, GUIDE, report_spec

SCHEMA_DIR = "schemas"


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema document."""
    report = {
        "oneOf": [
            {
                **report_spec(code).json_schema(),
                "properties": {
                    **report_spec(code).json_schema()["properties"],
                    "format": {"const": code},
                },
            }
            for code in FORMAT_CODES
        ],
        "description": "年度报告",
    }
    out = {
        "agency.schema.json": AGENCY.json_schema(),
        "report.schema.json": report,
        "guide.schema.json": GUIDE.json_schema(),
    }
    for name, doc in out.items():
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        doc["$id"] = name
    return out


def render(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(root: Path) -> list[Path]:
    """Write every schema under ``root/schemas``; returns the paths written."""
    target = root / SCHEMA_DIR
    target.mkdir(exist_ok=True)
    written = []
    for name, doc in schemas().items():
        path = target / name
        path.write_text(render(doc), encoding="utf-8")
        written.append(path)
    return written
