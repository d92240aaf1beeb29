"""Validate a package with frictionless, and compare a package with a fresh one.

Validation errors are records (resource, row, field, type, message), the
way frictionless reports them, so tests can assert on the error type.
"""

from __future__ import annotations

import filecmp
import json
from dataclasses import dataclass
from pathlib import Path

from .write import DESCRIPTOR, package_files


@dataclass(frozen=True, order=True)
class Problem:
    """One validation error: where (resource, row, field) and what (frictionless type)."""

    resource: str
    row: int | None
    field: str | None
    type: str
    message: str

    def text(self) -> str:
        where = self.resource + (f":{self.row}" if self.row else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.type}: {self.message}"


def encoding_problems(package_dir: Path) -> list[Problem]:
    """Every resource must declare ``"encoding": "utf-8"`` (else a GBK file passes)."""
    data = json.loads((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    return [
        Problem(r.get("name", "?"), None, None, "encoding-undeclared", "encoding must be utf-8")
        for r in data.get("resources", ())
        if r.get("encoding") != "utf-8"
    ]


def validate_package(package_dir: Path) -> list[Problem]:
    """Every frictionless error of the package in ``package_dir`` (empty: valid)."""
    from frictionless import validate  # slow import: only when validating

    report = validate(str(package_dir / DESCRIPTOR))
    problems = [Problem("", None, None, e.type, e.message) for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            row = getattr(e, "row_number", None)
            field = getattr(e, "field_name", None)
            problems.append(Problem(task.name or "", row, field, e.type, e.message))
    return encoding_problems(package_dir) + problems


def differing_files(committed: Path, fresh: Path) -> list[str]:
    """Files of the package that differ between two directories (missing counts as differing)."""
    names = set(package_files())
    names |= {p.name for d in (committed, fresh) if d.is_dir() for p in d.glob("*.csv")}
    out = []
    for name in sorted(names):
        a, b = committed / name, fresh / name
        if a.is_file() != b.is_file() or (a.is_file() and not filecmp.cmp(a, b, shallow=False)):
            out.append(name)
    return out
