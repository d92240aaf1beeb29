"""Problems as records: every check yields these, nothing raises for bad data.

A diagnostic names the file, the line, the field path, a stable check id, a
severity and a message (Chinese, saying how to fix it). ``error`` blocks the
build; ``warning`` and ``info`` show on the site's data-quality page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in one place of one content file."""

    file: str  # path relative to the repository root, with forward slashes
    line: int  # 1-based; 0 when the whole file is meant
    path: str  # field path inside the file, e.g. requests.new.total
    check: str  # stable English check id, e.g. requests_balance
    severity: str  # error | warning | info
    message: str  # Chinese, says what is wrong and how to fix it

    def text(self) -> str:
        """``file:line: severity [check] path: message``, one line."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}: {self.severity} [{self.check}]{field} {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line."""
        level = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        msg = f"[{self.check}] {self.path}: {self.message}" if self.path else self.message
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        line = f",line={self.line}" if self.line else ""
        title = self.check.replace(",", " ").replace("::", " ")
        return f"::{level} file={self.file}{line},title={title}::{msg}"


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.line, SEVERITIES.index(d.severity), d.check, d.path, d.message)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    items = [asdict(d) for d in sorted(diagnostics, key=sort_key)]
    counts = {s: sum(1 for d in items if d["severity"] == s) for s in SEVERITIES}
    return json.dumps({"counts": counts, "diagnostics": items}, ensure_ascii=False, indent=2)


def summary_line(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in SEVERITIES}
    return (
        f"{files} 个文件：{counts['error']} 个错误，{counts['warning']} 个警告，"
        f"{counts['info']} 条提示 ({files} files: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} notes)"
    )
