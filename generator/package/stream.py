"""One pass over the corpus that streams every table into its outputs.

Reports are visited once, in package order (agency, year); each report's
parts (``parts.ReportParts``, from the cache when it has them) are appended to
the package CSVs, to the workbook's sheets and, for the site, written as the
report's own CSV and JSON. The tables that do not hold report contents
(agencies, guides, flags …) are small and made fresh every time. Nothing
holds more than one report's parts at once.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Corpus
from .cache import NoCache, PartsCache
from .meta import Release
from .parts import table_text
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


def write_report_files(folder: Path, year: int, csv_text: str, json_text: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path, text in ((folder / f"{year}.csv", csv_text), (folder / f"{year}.json", json_text)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        out.append(path)
    return out


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
        for report, parts in zip(reports, cache.iter_parts(corpus, reports, release), strict=True):
            for name in REPORT_ROWS:
                counts[name] += len(parts.sheet[name])
                if files:
                    files[name].write(parts.csv[name])
                if workbook is not None:
                    workbook.add(name, parts.sheet[name])
            if reports_dir is not None:
                folder = reports_dir / report.agency
                written += write_report_files(
                    folder, report.year, parts.report_csv, parts.report_json
                )
        for name, rows in CORPUS_ROWS.items() if corpus_tables else ():
            text, sheet = table_text(resource(name), rows(corpus))
            counts[name] = len(sheet)
            if files:
                files[name].write(text)
            if workbook is not None:
                workbook.add(name, sheet)
    return {spec.name: counts[spec.name] for spec in resources()}, written
