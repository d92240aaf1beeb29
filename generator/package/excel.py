"""The Excel workbook: one sheet per table, for spreadsheet users.

Excel misreads UTF-8 CSV without a BOM; an .xlsx keeps Chinese intact. The
first sheet (说明) lists the tables; each table sheet has the Chinese field
titles in row 1 and the field names in row 2, frozen. Numbers are numbers, a
blank cell stays empty (never 0). A table longer than a sheet allows (Excel:
1,048,576 rows) continues on ``<name>_2``, ``<name>_3`` … (right after it). The
workbook is deterministic: its created and modified properties and every zip
entry carry the release date.

The SpreadsheetML is written directly (``sheetxml``; openpyxl took 6 s for
400 reports): rows arrive as templates, already made per report, a group of
reports at a time (``add``); each group's rows are numbered and deflated as
one segment of the sheet (``deflate``), keyed by the group's key and its
place, so a rebuild given the previous workbook (``old``) copies the
segments of unchanged groups instead of compressing them again. Memory holds
one group's rows at a time.
"""

from __future__ import annotations

import hashlib
import struct
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..model import Corpus
from .deflate import Archive, OldArchive
from .meta import TITLE, Release, current_release
from .resources import resources
from .schema import TableSpec
from .sheetxml import escape, numbered, quoted_attr, row_xml

MAX_ROWS = 1_048_576 - 2  # Excel's sheet limit, less the two header rows
README = "说明"
# zlib's default, 6: at 3,200 reports (48 MB of sheet XML) 3.9 MB, where level 1
# gives 5.2 MB. (The workbook written by zipfile had it too: the level set on
# the ZipFile does not reach entries opened with a ZipInfo.)
COMPRESSLEVEL = 6
HEADER_ROWS = 2
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


def rows_key(templates: Sequence[str]) -> bytes:
    """The key of a run of row templates made of exactly these (``Workbook.add`` without one)."""
    return hashlib.blake2b("\x01".join(templates).encode(), digest_size=16).digest()


def sheet_xml(view: str, rows: Sequence[str]) -> str:
    """The start of a worksheet: declaration, view and the numbered ``rows``."""
    body = "".join(numbered(t, n) for n, t in enumerate(rows, 1))
    return f"{DECL}<worksheet {NS} {NS_R}>{view}<sheetData>{body}"


SHEET_END = b"</sheetData></worksheet>"


class Workbook:
    """A workbook assembled from groups of rows; ``add`` the row templates of each table.

    With ``old`` (the previous build of this workbook, unchanged on disk),
    groups whose segments it holds are copied from it: ``needs`` tells
    whether a group's templates must be given at all.
    """

    def __init__(
        self, release: Release, max_rows: int = MAX_ROWS, old: OldArchive | None = None
    ) -> None:
        self.release = release
        self.max_rows = max_rows
        self.archive = Archive(release.timestamp.timetuple()[:6], old)
        self.specs: dict[str, TableSpec] = {spec.name: spec for spec in resources()}
        self.rows = dict.fromkeys(self.specs, 0)  # data rows so far, per table
        self.parts = dict.fromkeys(self.specs, 0)  # sheets begun, per table

    def slices(self, table: str, count: int, start: int) -> Iterator[tuple[int, int, int, int]]:
        """Where ``count`` rows from data row ``start`` go: (sheet part, first row there, lo, hi)."""
        lo = 0
        while lo < count:
            part, at = divmod(start + lo, self.max_rows)
            hi = min(count, lo + self.max_rows - at)
            yield part + 1, at + HEADER_ROWS + 1, lo, hi
            lo = hi

    def slice_key(self, table: str, key: bytes, where: tuple[int, int, int, int]) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        h.update(f"sheet\0{table}\0{self.max_rows}\0".encode() + struct.pack("<4Q", *where))
        h.update(key)
        return h.digest()

    def needs(self, table: str, key: bytes, count: int, start: int) -> bool:
        """Whether rows ``start``… of ``table`` keyed ``key`` must be made (not all in ``old``).

        Call for every run of rows, in order, before the first ``add`` (see
        ``Archive.probe``); a run made again needs the run before it too.
        """
        found = [
            self.archive.probe(f"{table}\0{w[0]}", self.slice_key(table, key, w))
            for w in self.slices(table, count, start)
        ]  # every slice probed, in order: a list, not all()'s short cut
        return not all(found)

    def add(
        self,
        table: str,
        templates: Sequence[str] | None,
        key: bytes | None = None,
        count: int | None = None,
    ) -> None:
        """Append rows to ``table``: ``templates`` (``sheetxml.row_xml``), or ``count`` rows
        keyed ``key`` that the old workbook holds (``templates`` None)."""
        if key is None:
            key = rows_key(templates or ())
        if count is None:
            count = len(templates or ())
        for where in self.slices(table, count, self.rows[table]):
            part, first, lo, hi = where
            name = self._part(table, part)
            raw = None
            if templates is not None:
                rows = templates[lo:hi]
                raw = "".join([numbered(t, n) for n, t in enumerate(rows, first)]).encode()
            skey = self.slice_key(table, key, where)
            self.archive.add(name, skey, raw, COMPRESSLEVEL, chain=True)
        self.rows[table] += count

    def _part(self, table: str, part: int) -> str:
        """The member holding sheet ``part`` of ``table``, begun with its header rows if new."""
        name = f"{table}\0{part}"
        while self.parts[table] < part:
            self.parts[table] += 1
            spec = self.specs[table]
            head = [row_xml([f["title"] for f in spec.fields]), row_xml(list(spec.field_names))]
            member = f"{table}\0{self.parts[table]}"
            self.archive.add_bytes(member, sheet_xml(FROZEN, head).encode(), COMPRESSLEVEL)
        return name

    def _readme(self) -> bytes:
        rows: list[list] = [
            [TITLE],
            [f"版本 {self.release.version}（{self.release.date.isoformat()}）；数据许可 CC BY 4.0"],
            [self.release.citation()],
            [],
            ["工作表 sheet", "名称", "说明 description"],
            *([s.name, s.title, s.description] for s in resources()),
        ]
        return sheet_xml(PLAIN_VIEW, [row_xml(r) for r in rows]).encode() + SHEET_END

    def _sheets(self) -> list[tuple[str, str]]:
        """(sheet name, member) of every sheet, in workbook order, each sheet ended."""
        out = [(README, f"{README}\0")]
        self.archive.add_bytes(out[0][1], self._readme(), COMPRESSLEVEL)
        for table in self.specs:
            self._part(table, 1)
            for part in range(1, self.parts[table] + 1):
                member = f"{table}\0{part}"
                self.archive.add_bytes(member, SHEET_END, COMPRESSLEVEL)
                out.append((table if part == 1 else f"{table}_{part}", member))
        return out

    def write(self, out: BinaryIO) -> tuple[bytes, list]:
        """Write the .xlsx to ``out``; returns its key and what ``OldArchive`` reads back."""
        order = self.finish()
        return self.archive.key(order), self.archive.write(out, order)

    def finish(self) -> list[str]:
        """End every sheet and add the other parts; returns the members in zip order."""
        sheets = self._sheets()
        self.sheet_names = [name for name, _ in sheets]
        members = self.archive.members
        for i, (_, member) in enumerate(sheets, 1):  # internal names -> the sheets' own
            got = members.pop(member)
            got.name = f"xl/worksheets/sheet{i}.xml"
            members[got.name] = got
        order = []
        for name, text in self._parts():
            self.archive.add_bytes(name, text.encode(), COMPRESSLEVEL)
            order.append(name)
        return order + [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(sheets) + 1)]

    def save(self, path: Path) -> Path:
        """Write the .xlsx to ``path``."""
        try:
            with open(path, "wb") as out:
                self.write(out)
        finally:
            self.discard()
        return path

    def discard(self) -> None:
        self.archive.close()

    def _parts(self) -> list[tuple[str, str]]:
        """The package parts other than the sheets, in zip order."""
        n = len(self.sheet_names)
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
            f'<sheet name={quoted_attr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self.sheet_names, 1)
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
    """The whole workbook as bytes (same corpus and release, same bytes as the downloads')."""
    from .cache import NoCache
    from .downloads import sync_downloads  # it imports this module

    with tempfile.TemporaryDirectory(prefix="gongkai-xlsx-out-") as tmp:
        sync_downloads(corpus, Path(tmp), NoCache(), release or current_release(), max_rows)
        return (Path(tmp) / "gongkai.xlsx").read_bytes()


def write_workbook(corpus: Corpus, path: Path, release: Release | None = None) -> Path:
    path.write_bytes(workbook_bytes(corpus, release))
    return path
