"""Helpers for tests of the spine: a copy of the fixture corpus, mutations, running checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.load import load
from generator.validate import validate

FIXTURE = Path(__file__).parent / "fixtures" / "spine"
R2022 = "content/reports/371500-wjw/2022.yaml"
R2023 = "content/reports/371500-wjw/2023.yaml"
AGENCY = "content/agencies/371500-wjw.yaml"


def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the spine fixture repository; returns its root."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    return root


def mutate(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first ``old`` in file ``rel`` by ``new``; return that line (1-based)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    i = text.index(old)
    path.write_text(text[:i] + new + text[i + len(old) :], encoding="utf-8")
    return text[:i].count("\n") + 1


def diagnose(root: Path) -> set[tuple[str, int, str, str]]:
    """(file, line, check, severity) of every diagnostic for the repo at ``root``."""
    return {(d.file, d.line, d.check, d.severity) for d in validate(load(root / "content"))}


def checks(root: Path) -> set[str]:
    return {d[2] for d in diagnose(root)}
