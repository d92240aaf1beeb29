"""One pass over the corpus that streams every table into its outputs.

Reports are visited once, in package order (agency, year); each report's
parts (``parts.ReportParts``, from the cache when it has them) are appended to
the package CSVs, to the workbook's sheets and, for the site, written as the
report's own CSV and JSON. With many reports, forked workers get (or make and
cache) the parts and write the report's own files; only its CSV lines and
workbook rows come back to be appended in order (``cache.parallel_map``).
The tables that do not hold report contents (agencies, guides, flags …) are
small and made fresh every time. Memory holds the parts of a bounded number of
reports at once.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Corpus
from ..records import Report
from .cache import NoCache, PartsCache
from .meta import Release
from .parts import ReportParts, table_text
from .resources import resource, resources
from .tables import CORPUS_ROWS, REPORT_ROWS, sorted_reports

if TYPE_CHECKING:
    from .excel import Workbook


def _open_csvs(stack: ExitStack, out_dir: Path, names) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for spec in (s for s in resources() if s.name in names):
        f = stack.enter_context(
            open(out_dir / f"{spec.name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
        )
        csv.writer(f, lineterminator="\n").writerow(spec.field_names)
        files[spec.name] = f
    return files


def report_paths(reports_dir: Path, report: Report) -> tuple[Path, Path]:
    """Where a report's own CSV and JSON go."""
    folder = reports_dir / report.agency
    return folder / f"{report.year}.csv", folder / f"{report.year}.json"


def write_report_files(reports_dir: Path, report: Report, parts: ReportParts) -> None:
    """The report's own CSV and JSON (in a worker, when there are many)."""
    texts = (parts.report_csv, parts.report_json)
    for path, text in zip(report_paths(reports_dir, report), texts, strict=True):
        try:
            f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except FileNotFoundError:  # the agency's first report: one mkdir, not one per report
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        with f:
            f.write(text)


def write_tables(
    corpus: Corpus,
    release: Release,
    csv_dir: Path | None = None,
    workbook: Workbook | None = None,
    reports_dir: Path | None = None,
    cache: PartsCache | NoCache | None = None,
    corpus_tables: bool = True,
) -> tuple[dict[str, int], list[Path]]:
    """Stream the tables into the package CSVs in ``csv_dir``, ``workbook`` and ``reports_dir``.

    Each output is optional; ``corpus_tables=False`` leaves out the tables that
    do not hold report contents (the caller writes those). Returns (rows per
    resource, report files written).
    """
    cache = cache or NoCache()
    counts = {spec.name: 0 for spec in resources()}
    written: list[Path] = []
    with ExitStack() as stack:
        names = [*REPORT_ROWS, *(CORPUS_ROWS if corpus_tables else ())]
        files = _open_csvs(stack, csv_dir, names) if csv_dir is not None else {}
        reports = sorted_reports(corpus)

        def use(report: Report, parts: ReportParts) -> tuple[dict, dict, dict]:
            """What this process needs of a report: only what it writes, and counts."""
            if reports_dir is not None:
                write_report_files(reports_dir, report, parts)
            rows = {name: len(sheet) for name, sheet in parts.sheet.items()}
            return (parts.csv if files else {}), (parts.sheet if workbook is not None else {}), rows

        made = cache.map_parts(corpus, reports, release, use)
        for report, (csv_text, sheet, rows) in zip(reports, made, strict=True):
            for name in REPORT_ROWS:
                counts[name] += rows[name]
                if files:
                    files[name].write(csv_text[name])
                if workbook is not None:
                    workbook.add(name, sheet[name])
            if reports_dir is not None:
                written += report_paths(reports_dir, report)
        for name, rows in CORPUS_ROWS.items() if corpus_tables else ():
            text, sheet = table_text(resource(name), rows(corpus))
            counts[name] = len(sheet)
            if files:
                files[name].write(text)
            if workbook is not None:
                workbook.add(name, sheet)
    return {spec.name: counts[spec.name] for spec in resources()}, written
