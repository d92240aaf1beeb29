"""Corpus -> rows of each resource, as dicts keyed by field name, in a fixed order.

Agencies and guides are sorted by agency ID, reports by agency and year,
table rows in the order of the official format, flags by file and line. A
cell that is not a number never becomes 0: see ``schema`` for the encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from ..diagnostics import sort_key
from ..formats import Column, Row, get_format
from ..model import Corpus
from ..records import (
    BLANK,
    Cell,
    CellKind,
    Channel,
    Hours,
    LineRange,
    Report,
    TableRow,
    TimeLimit,
)

Rows = Iterator[dict]
NUMBER, NOT_APPLICABLE, TEXT = CellKind.NUMBER, CellKind.NOT_APPLICABLE, CellKind.TEXT
SEP = "；"


def span(lines: LineRange | None, prefix: str = "") -> dict:
    if lines is None:
        return {}
    return {f"{prefix}line_start": lines.start, f"{prefix}line_end": lines.end}


def note(cell: Cell) -> str | None:
    """The mark or text of a cell that is not a number (None for numbers and blanks)."""
    return cell.text if cell.kind in (CellKind.NOT_APPLICABLE, CellKind.TEXT) else None


def number(cell: Cell):
    return cell.value if cell.kind is CellKind.NUMBER else None


def long_cell(cell: Cell, value_field: str) -> dict:
    return {value_field: number(cell), "cell_kind": cell.kind._value_, "cell_text": note(cell)}


def sorted_reports(corpus: Corpus) -> list[Report]:
    return sorted(corpus.reports.values(), key=lambda r: (r.agency, r.year))


def report_keys(report: Report) -> dict:
    return {
        "report_id": report.id,
        "agency_id": report.agency,
        "year": report.year,
        "format": report.format,
    }


def hours(items: tuple[Hours, ...]) -> str:
    return SEP.join(f"{h.season}：{h.text}" if h.season else h.text for h in items)


# --- agencies ---------------------------------------------------------------------------


def agency_rows(corpus: Corpus) -> Rows:
    for a in sorted(corpus.agencies.values(), key=lambda a: a.id):
        yield {
            "agency_id": a.id,
            **{k: getattr(a, k) for k in ("name", "short_name", "name_en", "level")},
            **{k: getattr(a, k) for k in ("division_code", "province", "city", "county")},
            **{k: getattr(a, k) for k in ("sector", "website", "dissolved", "notes", "file")},
            **{k: getattr(a.contact, k) for k in ("address", "postcode", "phone", "fax", "email")},
            "aliases": SEP.join(a.aliases),
        }


def lineage_rows(corpus: Corpus) -> Rows:
    for a in sorted(corpus.agencies.values(), key=lambda a: a.id):
        for i, e in enumerate(a.lineage, 1):
            yield {
                "agency_id": a.id,
                "seq": i,
                "name": e.name,
                "relation": e.relation,
                "from_year": e.from_year,
                "to_year": e.to_year,
                "predecessor_id": e.agency,
                "note": e.note,
            }


# --- reports ----------------------------------------------------------------------------


def report_row(r: Report) -> Rows:
    s = r.source
    yield {
        **report_keys(r),
        **{k: getattr(r, k) for k in ("title", "published", "filed_as", "partial", "notes")},
        "period_start": r.period.start if r.period else None,
        "period_end": r.period.end if r.period else None,
        "source_raw": s.raw,
        **span(s.lines, "source_"),
        "source_url": s.url,
        "source_file_name": s.file_name,
        "source_retrieved": s.retrieved,
        "statistics_title": r.statistics_title,
        "file": r.file,
    }


@dataclass(frozen=True)
class RowSpec:
    """What the package needs of one row of an official table (computed once per format)."""

    row: Row
    group: str  # code of the format's row group that holds it
    full_label: str
    columns: tuple[Column, ...]


@cache
def row_specs(format_code: str, code: str) -> tuple[tuple[RowSpec, ...], tuple[Column, ...]]:
    """The rows of table ``code`` of a format, in order, and the table's columns."""
    fmt_table = get_format(format_code).table(code)
    if fmt_table is None:
        return (), ()
    rows = tuple(
        RowSpec(row, group.code, row.full_label, row.columns)
        for group in fmt_table.groups
        for row in group.rows
    )
    return rows, fmt_table.columns


def table_rows(report: Report, code: str) -> Iterator[tuple[RowSpec, TableRow, dict]]:
    """(row spec, the report's row, row keys) for each row the report holds, in format order."""
    data = report.tables.get(code)
    if data is None:
        return
    keys = report_keys(report)
    for spec in row_specs(report.format, code)[0]:
        if (got := data.rows.get(spec.row.code)) is not None:
            yield spec, got, {**keys, "printed_label": got.label, **span(got.source_lines)}


def wide_rows(report: Report, code: str, key: str, label_key: str) -> Rows:
    """Requests and appeals: one row per table row, a column pair per column."""
    columns = [(c.code, f"{c.code}_note") for c in row_specs(report.format, code)[1]]
    for spec, got, keys in table_rows(report, code):
        out = {**keys, key: spec.row.code, label_key: spec.full_label}
        cells = got.cells
        for col, note_col in columns:  # number() and note(), inline: this runs for every cell
            cell = cells.get(col, BLANK)
            kind = cell.kind
            out[col] = cell.value if kind is NUMBER else None
            out[note_col] = cell.text if kind is NOT_APPLICABLE or kind is TEXT else None
        yield out


def request_rows(report: Report) -> Rows:
    return wide_rows(report, "requests", "row_code", "row_label")


def appeal_rows(report: Report) -> Rows:
    return wide_rows(report, "appeals", "group", "group_label")


VALUE_FIELD = {"integer": "count", "signed_integer": "change", "decimal": "amount"}


def proactive_rows(report: Report) -> Rows:
    for spec, got, keys in table_rows(report, "proactive"):
        row = spec.row
        for col in spec.columns:
            cell = got.cells.get(col.code, BLANK)
            yield {
                **keys,
                "group_code": spec.group,
                "row_code": row.code,
                "column_code": col.code,
                "row_label": row.label,
                "column_label": col.label,
                "unit": col.unit,
                **long_cell(cell, VALUE_FIELD[col.type]),
            }


def figure_rows(report: Report) -> Rows:
    for spec in get_format(report.format).figures:
        fig = report.figures.get(spec.code)
        if fig is None:
            continue
        yield {
            **report_keys(report),
            "figure_code": spec.code,
            "label": spec.label,
            "unit": spec.unit,
            **long_cell(fig.value, "value"),
            "quote": fig.quote,
            **span(fig.source_lines),
        }


def statistic_rows(report: Report) -> Rows:
    for i, s in enumerate(report.statistics, 1):
        yield {
            **report_keys(report),
            "seq": i,
            "indicator": s.indicator,
            "unit": s.unit,
            **long_cell(s.value, "value"),
            **span(s.source_lines),
        }


def correction_rows(report: Report) -> Rows:
    for i, c in enumerate(report.corrections, 1):
        yield {"report_id": report.id, "seq": i, **vars(c)}


# --- guides -----------------------------------------------------------------------------


def limit(key: str, tl: TimeLimit | None) -> dict:
    if tl is None:
        return {}
    return {f"{key}_days": tl.days, f"{key}_unit": tl.unit}


def guide_rows(corpus: Corpus) -> Rows:
    for agency in sorted(corpus.guides):
        g = corpus.guides[agency]
        yield {
            "agency_id": agency,
            **{k: getattr(g, k) for k in ("title", "published", "fees", "notes", "file")},
            **{
                k: v
                for key in ("proactive", "answer", "extension")
                for k, v in limit(key, g.time_limits.get(key)).items()
            },
            "not_counted": SEP.join(g.not_counted),
            "source_raw": g.source.raw,
            **span(g.source.lines, "source_"),
            "source_url": g.source.url,
        }


def channel_row(agency: str, i: int, role: str, c: Channel) -> dict:
    fields = ("type", "office", "address", "postcode", "phone", "fax", "email", "url", "notes")
    return {
        "agency_id": agency,
        "seq": i,
        "role": role,
        **{k: getattr(c, k) for k in fields},
        "hours": hours(c.hours),
    }


def channel_rows(corpus: Corpus) -> Rows:
    for agency in sorted(corpus.guides):
        g = corpus.guides[agency]
        listed = [("office", g.office)] if g.office else []
        listed += [("channel", c) for c in g.channels]
        for i, (role, c) in enumerate(listed, 1):
            yield channel_row(agency, i, role, c)


def remedy_rows(corpus: Corpus) -> Rows:
    for agency in sorted(corpus.guides):
        for i, r in enumerate(corpus.guides[agency].remedies, 1):
            fields = ("type", "body", "address", "postcode", "phone", "notes")
            yield {
                "agency_id": agency,
                "seq": i,
                **{k: getattr(r, k) for k in fields},
                "hours": hours(r.hours),
                **limit("period", r.period),
                "period_text": r.period.text if r.period else None,
            }


# --- flags ------------------------------------------------------------------------------


def flag_rows(corpus: Corpus) -> Rows:
    reports = {r.file: r for r in corpus.reports.values()}
    agencies = {a.file: a.id for a in corpus.agencies.values()}
    agencies |= {g.file: g.agency for g in corpus.guides.values()}
    for d in sorted(set(corpus.diagnostics), key=sort_key):
        report = reports.get(d.file)
        agency = report.agency if report else agencies.get(d.file)
        yield {
            **{k: getattr(d, k) for k in ("file", "line", "path", "check", "severity", "message")},
            "report_id": report.id if report else None,
            "agency_id": agency if agency in corpus.agencies else None,
        }


# Rows of one report, for the resources that hold report contents (in package order).
REPORT_ROWS: dict[str, Callable[[Report], Rows]] = {
    "reports": report_row,
    "proactive": proactive_rows,
    "requests": request_rows,
    "appeals": appeal_rows,
    "figures": figure_rows,
    "statistics": statistic_rows,
    "corrections": correction_rows,
}

# Rows of the resources that do not hold report contents.
CORPUS_ROWS: dict[str, Callable[[Corpus], Rows]] = {
    "agencies": agency_rows,
    "lineage": lineage_rows,
    "guides": guide_rows,
    "guide_channels": channel_rows,
    "remedies": remedy_rows,
    "flags": flag_rows,
}


def _over_reports(each: Callable[[Report], Rows]) -> Callable[[Corpus], Rows]:
    def rows(corpus: Corpus) -> Rows:
        for report in sorted_reports(corpus):
            yield from each(report)

    return rows


ROWS: dict[str, Callable[[Corpus], Rows]] = {
    **CORPUS_ROWS,
    **{name: _over_reports(each) for name, each in REPORT_ROWS.items()},
}
