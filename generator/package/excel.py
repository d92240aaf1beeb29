"""The Excel workbook: one sheet per table, for spreadsheet users.

Excel misreads UTF-8 CSV without a BOM; an .xlsx keeps Chinese intact. The
first sheet (说明) lists the tables; each table sheet has the Chinese field
titles in row 1 and the field names in row 2. Numbers are numbers, a blank
cell stays empty (never 0). A table longer than a sheet allows continues on
``<name>_2``, ``<name>_3`` … The workbook is deterministic: its created and
modified properties and every zip entry carry the release date.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..model import Corpus
from .meta import TITLE, Release, current_release
from .resources import resources
from .schema import TableSpec
from .tables import ROWS

MAX_ROWS = 1_048_576 - 2  # Excel's sheet limit, less the two header rows


def chunks(rows: Iterable[list], size: int) -> Iterator[list[list]]:
    """``rows`` in lists of at most ``size``; at least one (maybe empty) list."""
    it = iter(rows)
    first = True
    while (chunk := list(islice(it, size))) or first:
        first = False
        yield chunk


def table_sheets(wb: Workbook, spec: TableSpec, rows: Iterable[dict], max_rows: int) -> None:
    names = spec.field_names
    values = ([row.get(n) for n in names] for row in rows)
    for i, chunk in enumerate(chunks(values, max_rows)):
        ws = wb.create_sheet(spec.name if i == 0 else f"{spec.name}_{i + 1}")
        ws.freeze_panes = "A3"
        ws.append([f["title"] for f in spec.fields])
        ws.append(list(names))
        for row in chunk:
            ws.append(row)


def readme_sheet(wb: Workbook, release: Release) -> None:
    ws = wb.create_sheet("说明")
    ws.append([TITLE])
    ws.append([f"版本 {release.version}（{release.date.isoformat()}）；数据许可 CC BY 4.0"])
    ws.append([release.citation()])
    ws.append([])
    ws.append(["工作表 sheet", "名称", "说明 description"])
    for spec in resources():
        ws.append([spec.name, spec.title, spec.description])


def workbook_bytes(
    corpus: Corpus, release: Release | None = None, max_rows: int = MAX_ROWS
) -> bytes:
    """The whole workbook as bytes (same corpus and release, same bytes)."""
    release = release or current_release()
    wb = Workbook(write_only=True)
    wb.properties.creator = "gongkai"
    wb.properties.title = TITLE
    wb.properties.created = wb.properties.modified = release.timestamp
    readme_sheet(wb, release)
    for spec in resources():
        table_sheets(wb, spec, ROWS[spec.name](corpus), max_rows)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(raw.getvalue(), release)


def fixed_zip(data: bytes, release: Release) -> bytes:
    """The same zip with every entry dated ``release.date`` (entry order kept)."""
    out = io.BytesIO()
    stamp = release.timestamp.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_workbook(corpus: Corpus, path: Path, release: Release | None = None) -> Path:
    path.write_bytes(workbook_bytes(corpus, release))
    return path
