"""Everything the package and the downloads hold of one report, computed once.

``report_parts`` turns a report into its rows of every report resource
(reports, proactive, requests, appeals, figures, statistics, corrections),
already written as CSV lines and as workbook row templates, plus its own CSV
and JSON download. The package CSVs, the workbook and the per-report files
are then concatenations of these parts in report order, so a report is
formatted once per build, or not at all when ``cache`` has its parts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..model import Corpus
from ..records import Report
from .meta import Release
from .report_files import report_csv, report_json
from .resources import resource
from .schema import TableSpec
from .sheetxml import row_xml
from .tables import REPORT_ROWS, Rows
from .values import csv_row


@dataclass(frozen=True)
class ReportParts:
    """One report's share of every output."""

    csv: dict[str, str]  # resource -> its CSV lines (no header)
    sheet: dict[str, tuple[str, ...]]  # resource -> workbook row templates
    report_csv: str
    report_json: str

    def to_plain(self) -> tuple:
        """Only str/dict/tuple: what ``marshal`` stores."""
        return (self.csv, self.sheet, self.report_csv, self.report_json)

    @classmethod
    def from_plain(cls, data: tuple) -> ReportParts:
        csv_, sheet, rep_csv, rep_json = data
        if not (isinstance(csv_, dict) and isinstance(sheet, dict)):
            raise ValueError("not report parts")
        return cls(csv_, sheet, rep_csv, rep_json)


def check_fields(spec: TableSpec, row: dict) -> None:
    if spec.name_set.issuperset(row):
        return
    unknown = set(row) - spec.name_set
    if unknown:
        raise KeyError(f"{spec.name}: fields not in the schema: {sorted(unknown)}")


def table_text(spec: TableSpec, rows: Rows) -> tuple[str, tuple[str, ...]]:
    """(CSV lines, workbook row templates) of ``rows``."""
    names = spec.field_names
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    sheet = []
    for row in rows:
        check_fields(spec, row)
        values = [row.get(n) for n in names]
        out.writerow(csv_row(values))
        sheet.append(row_xml(values))
    return buf.getvalue(), tuple(sheet)


def report_parts(corpus: Corpus, report: Report, release: Release) -> ReportParts:
    """The parts of ``report`` (deterministic: same report, agency name and release)."""
    csv_out, sheet_out = {}, {}
    for name, rows in REPORT_ROWS.items():
        csv_out[name], sheet_out[name] = table_text(resource(name), rows(report))
    return ReportParts(csv_out, sheet_out, report_csv(report), report_json(corpus, report, release))
