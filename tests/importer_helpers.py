"""Helpers for the importer tests: compare report records cell by cell."""

from __future__ import annotations

from pathlib import Path

from generator.load import load_file
from generator.records import Report

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "content" / "raw" / "seeds"
FIXTURES = REPO / "tests" / "fixtures" / "importer"
SEED_AGENCY = {"001_fe7de62670042d10.txt": "371500-wjw"}  # default for unnamed reports


def read_report(path: Path, content: Path) -> Report:
    _, record, diags = load_file(path, content)
    errors = [d for d in diags if d.severity == "error"]
    assert record is not None and not errors, errors
    return record


def numbers(report: Report) -> dict[str, tuple]:
    """Every table cell, figure and statistic of a report: path -> (kind, value, lines)."""
    out: dict[str, tuple] = {}
    for code, table in report.tables.items():
        for row_code, row in table.rows.items():
            out[f"{code}.{row_code}/lines"] = ("lines", str(row.source_lines))
            for col, cell in row.cells.items():
                out[f"{code}.{row_code}.{col}"] = (cell.kind, cell.value, cell.text)
    for code, fig in report.figures.items():
        out[f"figures.{code}"] = (fig.value.kind, fig.value.value, str(fig.source_lines))
    for i, stat in enumerate(report.statistics):
        out[f"statistics[{i}]"] = (stat.indicator, stat.unit, stat.value.kind, stat.value.value)
    return out
