"""The Excel workbook: one sheet per table, for spreadsheet users.

Excel misreads UTF-8 CSV without a BOM; an .xlsx keeps Chinese intact. The
first sheet (说明) lists the tables; each table sheet has the Chinese field
titles in row 1 and the field names in row 2, frozen. Numbers are numbers, a
blank cell stays empty (never 0). A table longer than a sheet allows (Excel:
1,048,576 rows) continues on ``<name>_2``, ``<name>_3`` … The workbook is
deterministic: its created and modified properties and every zip entry carry
the release date.

The SpreadsheetML is written directly (``sheetxml``; openpyxl took 6 s for
400 reports): rows arrive as templates, already made per report, and are
streamed into one temporary file per sheet, so memory stays bounded at any
corpus size; the sheets are then stored into the zip in order.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..model import Corpus
from .meta import TITLE, Release, current_release
from .resources import resources
from .schema import TableSpec
from .sheetxml import escape, numbered, row_xml

MAX_ROWS = 1_048_576 - 2  # Excel's sheet limit, less the two header rows
README = "说明"
# zlib level 1: measured at 3,200 reports (48 MB of sheet XML), 0.4 s and 5.2 MB
# against level 6's 2.7 s and 3.9 MB.
COMPRESSLEVEL = 1

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument"
FROZEN = (
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" '
    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A3" '
    'sqref="A3"/></sheetView></sheetViews>'
)
PLAIN_VIEW = '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
STYLES = (
    f"{DECL}<styleSheet {NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class Sheet:
    """One worksheet being streamed into a temporary file."""

    def __init__(self, name: str, path: Path, view: str) -> None:
        self.name = name
        self.path = path
        self.file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.file.write(f"{DECL}<worksheet {NS} {NS_R}>{view}<sheetData>")
        self.rows = 0

    def add(self, template: str) -> None:
        self.rows += 1
        self.file.write(numbered(template, self.rows))

    def add_many(self, templates: Sequence[str]) -> None:
        """``add`` each of ``templates``, in one write."""
        first = self.rows + 1
        self.file.write("".join([numbered(t, n) for n, t in enumerate(templates, first)]))
        self.rows += len(templates)

    def close(self) -> None:
        if not self.file.closed:
            self.file.write("</sheetData></worksheet>")
            self.file.close()


class Workbook:
    """A workbook streamed sheet by sheet; ``add`` the row templates of each table."""

    def __init__(self, release: Release, max_rows: int = MAX_ROWS) -> None:
        self.release = release
        self.max_rows = max_rows
        self.tmp = Path(tempfile.mkdtemp(prefix="gongkai-xlsx-"))
        self.sheets: list[Sheet] = []
        self.current: dict[str, Sheet] = {}
        self.specs: dict[str, TableSpec] = {}
        self._readme()
        for spec in resources():
            self.specs[spec.name] = spec
            self._new_sheet(spec.name)

    def _readme(self) -> None:
        sheet = self._sheet(README, PLAIN_VIEW)
        rows: list[list] = [
            [TITLE],
            [f"版本 {self.release.version}（{self.release.date.isoformat()}）；数据许可 CC BY 4.0"],
            [self.release.citation()],
            [],
            ["工作表 sheet", "名称", "说明 description"],
            *([s.name, s.title, s.description] for s in resources()),
        ]
        for row in rows:
            sheet.add(row_xml(row))
        sheet.close()

    def _sheet(self, name: str, view: str) -> Sheet:
        sheet = Sheet(name, self.tmp / f"sheet{len(self.sheets) + 1}.xml", view)
        self.sheets.append(sheet)
        return sheet

    def _new_sheet(self, table: str) -> Sheet:
        if table in self.current:
            self.current[table].close()
        n = sum(1 for s in self.sheets if s.name == table or s.name.startswith(f"{table}_"))
        sheet = self._sheet(table if n == 0 else f"{table}_{n + 1}", FROZEN)
        spec = self.specs[table]
        sheet.add(row_xml([f["title"] for f in spec.fields]))
        sheet.add(row_xml(list(spec.field_names)))
        self.current[table] = sheet
        return sheet

    def add(self, table: str, templates: Sequence[str]) -> None:
        """Append row templates (``sheetxml.row_xml``) to ``table``'s sheet."""
        sheet = self.current[table]
        while templates:
            room = self.max_rows - (sheet.rows - 2)
            if room <= 0:
                sheet = self._new_sheet(table)
                continue
            sheet.add_many(templates[:room])
            templates = templates[room:]

    def save(self, path: Path) -> Path:
        """Close every sheet and write the .xlsx to ``path``; the temporary files go."""
        try:
            for sheet in self.current.values():
                sheet.close()
            with open(path, "wb") as out:
                self._zip(out)
        finally:
            self.discard()
        return path

    def discard(self) -> None:
        for sheet in self.current.values():
            sheet.file.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _zip(self, out) -> None:
        stamp = self.release.timestamp.timetuple()[:6]

        def info(name: str) -> zipfile.ZipInfo:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            return entry

        with zipfile.ZipFile(out, "w", compresslevel=COMPRESSLEVEL) as zf:
            for name, text in self._parts():
                zf.writestr(info(name), text)
            for i, sheet in enumerate(self.sheets, 1):
                big = sheet.path.stat().st_size > 2**31 - 2**26
                with open(sheet.path, "rb") as src:
                    entry = info(f"xl/worksheets/sheet{i}.xml")
                    with zf.open(entry, "w", force_zip64=big) as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)

    def _parts(self) -> list[tuple[str, str]]:
        """The package parts other than the sheets, in zip order."""
        n = len(self.sheets)
        sheet_ct = f"{CT}.spreadsheetml.worksheet+xml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_ct}"/>'
            for i in range(1, n + 1)
        )
        content_types = (
            f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{CT}.extended-properties+xml"/>'
            f"{overrides}</Types>"
        )
        root_rels = (
            f'{DECL}<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        )
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, 1)
        )
        workbook = f"{DECL}<workbook {NS} {NS_R}><sheets>{sheets}</sheets></workbook>"
        wb_rels = "".join(
            f'<Relationship Id="rId{i}" Type="{DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        wb_rels = (
            f'{DECL}<Relationships xmlns="{PKG_REL}">{wb_rels}'
            f'<Relationship Id="rId{n + 1}" Type="{DOC_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )
        when = f"{self.release.timestamp.isoformat()}Z"
        core = (
            f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(TITLE)}</dc:title><dc:creator>gongkai</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )
        app = (
            f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>gongkai</Application></Properties>'
        )
        return [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", root_rels),
            ("docProps/core.xml", core),
            ("docProps/app.xml", app),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", wb_rels),
            ("xl/styles.xml", STYLES),
        ]


def workbook_bytes(
    corpus: Corpus, release: Release | None = None, max_rows: int = MAX_ROWS
) -> bytes:
    """The whole workbook as bytes (same corpus and release, same bytes)."""
    from .stream import write_tables  # stream imports this module

    release = release or current_release()
    book = Workbook(release, max_rows)
    with tempfile.TemporaryDirectory(prefix="gongkai-xlsx-out-") as tmp:
        write_tables(corpus, release, workbook=book)
        path = book.save(Path(tmp) / "book.xlsx")
        return path.read_bytes()


def write_workbook(corpus: Corpus, path: Path, release: Release | None = None) -> Path:
    path.write_bytes(workbook_bytes(corpus, release))
    return path
