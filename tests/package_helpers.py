"""Helpers shared by the data-package tests: build a package, compare a report with its CSVs."""

from __future__ import annotations

from pathlib import Path

from generator.commands.package import load_corpus
from generator.formats import get_format
from generator.model import Corpus
from generator.package.read import ReadReport
from generator.package.write import write_package
from generator.records import Cell, Report

HERE = Path(__file__).parent
FIXTURE_ROOT = HERE / "fixtures" / "package"  # holds content/


def build(root: Path, out: Path) -> Corpus:
    """Load ``root/content`` and write its package into ``out``."""
    corpus = load_corpus(root)
    write_package(corpus, out)
    return corpus


def cell_key(c: Cell) -> tuple:
    """What must survive the round trip: the kind, the number, or the mark/text."""
    return (c.kind, c.value if c.is_number else None, "" if c.is_number else c.text)


def table_differences(report: Report, got: ReadReport) -> list[str]:
    out = []
    fmt = get_format(report.format)
    for code, table in report.tables.items():
        read = got.tables.get(code)
        read_rows = read.rows if read else {}
        if set(table.rows) != set(read_rows):
            out.append(f"{code}: rows {sorted(table.rows)} != {sorted(read_rows)}")
            continue
        for row_code, row in table.rows.items():
            back = read_rows[row_code]
            if (row.source_lines, row.label) != (back.source_lines, back.label):
                out.append(f"{code}.{row_code}: lines/label differ")
            for col in fmt.table(code).row(row_code).columns:
                a, b = table.cell(row_code, col.code), read.cell(row_code, col.code)
                if cell_key(a) != cell_key(b):
                    out.append(f"{code}.{row_code}.{col.code}: {a} != {b}")
    return out


def legacy_differences(report: Report, got: ReadReport) -> list[str]:
    out = []
    mine = {k: (cell_key(f.value), f.source_lines, f.quote) for k, f in report.figures.items()}
    theirs = {k: (cell_key(f.value), f.source_lines, f.quote) for k, f in got.figures.items()}
    if mine != theirs:
        out.append(f"figures: {mine} != {theirs}")
    stats = [(s.indicator, s.unit, cell_key(s.value), s.source_lines) for s in report.statistics]
    back = [(s.indicator, s.unit, cell_key(s.value), s.source_lines) for s in got.statistics]
    if stats != back:
        out.append(f"statistics: {stats} != {back}")
    return out


def meta_differences(report: Report, got: ReadReport) -> list[str]:
    m = got.meta
    pairs = {
        "agency_id": report.agency,
        "year": report.year,
        "format": report.format,
        "title": report.title,
        "published": report.published,
        "partial": report.partial,
        "file": report.file,
        "source_line_start": report.source.lines.start if report.source.lines else None,
    }
    return [f"reports.{k}: {m.get(k)!r} != {v!r}" for k, v in pairs.items() if m.get(k) != v]


def differences(report: Report, got: ReadReport | None) -> list[str]:
    """Every way the package's copy of ``report`` differs from the YAML (empty: equal)."""
    if got is None:
        return [f"{report.id}: not in the package"]
    found = meta_differences(report, got)
    found += table_differences(report, got) + legacy_differences(report, got)
    return [f"{report.id}: {d}" for d in found]
