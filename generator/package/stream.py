"""One pass over the corpus that streams every table into the package CSVs.

Reports are visited once, in package order (agency, year); each report's
parts (``parts.ReportParts``, from the cache when it has them) are appended to
the package CSVs. With many reports, forked workers get (or make and cache)
the parts; only its CSV lines come back to be appended in order
(``cache.parallel_map``). The tables that do not hold report contents
(agencies, guides, flags …) are small and made fresh every time. Memory holds
the parts of a bounded number of reports at once. (The site's downloads,
workbook and zip included, are made by ``downloads``.)
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path

from ..model import Corpus
from ..records import Report
from .cache import NoCache, PartsCache
from .meta import Release
from .parts import ReportParts, table_text
from .resources import resource, resources
from .tables import CORPUS_ROWS, REPORT_ROWS, sorted_reports


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


def write_tables(
    corpus: Corpus,
    release: Release,
    csv_dir: Path | None = None,
    cache: PartsCache | NoCache | None = None,
    corpus_tables: bool = True,
) -> dict[str, int]:
    """Stream the tables into the package CSVs in ``csv_dir`` (if given); rows per resource.

    ``corpus_tables=False`` leaves out the tables that do not hold report
    contents (the caller writes those).
    """
    cache = cache or NoCache()
    counts = {spec.name: 0 for spec in resources()}
    with ExitStack() as stack:
        names = [*REPORT_ROWS, *(CORPUS_ROWS if corpus_tables else ())]
        files = _open_csvs(stack, csv_dir, names) if csv_dir is not None else {}
        reports = sorted_reports(corpus)

        def use(report: Report, parts: ReportParts) -> tuple[dict, dict]:
            """What this process needs of a report: only what it writes, and counts."""
            rows = {name: len(sheet) for name, sheet in parts.sheet.items()}
            return (parts.csv if files else {}), rows

        made = cache.map_parts(corpus, reports, release, use)
        for csv_text, rows in made:
            for name in REPORT_ROWS:
                counts[name] += rows[name]
                if files:
                    files[name].write(csv_text[name])
        for name, rows in CORPUS_ROWS.items() if corpus_tables else ():
            text, sheet = table_text(resource(name), rows(corpus))
            counts[name] = len(sheet)
            if files:
                files[name].write(text)
    return {spec.name: counts[spec.name] for spec in resources()}
