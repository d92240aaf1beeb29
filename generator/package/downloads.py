"""The site's downloads, synced into a directory that may hold the previous build's.

Files (see ``site``): the package CSVs and ``datapackage.json``, the workbook,
the package zip, and each report's CSV and JSON under ``reports/``.

Reports are taken in package order, in groups whose bounds depend only on
the report IDs (``group_bounds``), so adding or removing a report changes
only its own group. Each group is one segment of every report table: a run
of lines in its CSV, a deflated segment of that CSV's member of the zip
(``deflate``), a deflated run of rows of its sheet in the workbook
(``excel``). A segment's key is a digest of the digests of its reports'
parts (and, for sheets, of where its rows start), so unchanged groups are
copied from the previous build's files rather than made again.

What the previous build wrote is kept in a state file in the package cache
(``<cache dir>/downloads/<digest of out_dir>.marshal``, signed, never in
``out_dir``, which is published): each file's stat and key, each report's
parts key with the digests and row counts of its parts, each CSV's layout
and each archive's segments. It is used only when it was written by the
same code for the same directory and release and the directory holds
exactly the files it lists with the stats it lists (``outdir.OutDir``);
otherwise everything is made again and compared with what is there. Either
way the directory ends byte-identical to a build into an empty one, with
only the changed files replaced.

One edited report then costs: its parts, its two files, and for each table
it changed one group of ~``GROUP`` reports, read from the parts cache and
compressed again; the CSVs, zip and workbook it did not change are not
touched.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..load import gc_paused
from ..model import Corpus
from ..paths import REPO_ROOT
from ..records import Report
from .cache import NoCache, PartsCache, code_digest, read_signed, write_signed
from .deflate import WINDOW, Archive, OldArchive, digest
from .downloads_page import XLSX_NAME, ZIP_NAME
from .excel import MAX_ROWS, Workbook
from .meta import Release
from .outdir import OutDir, Record, put_bytes
from .parts import ReportParts, check_fields
from .resources import resource, resources
from .schema import TableSpec
from .sheetxml import row_xml
from .tables import CORPUS_ROWS, REPORT_ROWS, Rows, sorted_reports
from .values import csv_row
from .write import DESCRIPTOR, descriptor, dumps

ZIP_EXTRA = ("LICENSE-DATA.md", "CHANGELOG-DATA.md", "CITATION.cff")
ZIP_FOLDER = "gongkai-datapackage"
ZIP_LEVEL = 6  # zlib's default, as zipfile used
GROUP = 16  # reports per group, on average
STATE_FORMAT = 1
STATE_DIR = "downloads"
KEEP_STATES = 4  # output folders whose state is kept (a state is ~1 MB per 2,000 reports)
TABLES = tuple(REPORT_ROWS)  # the report tables, in package order
T = len(TABLES)
# Share of changed reports above which everything is made in one pass (in
# workers) rather than the changed reports first and then their groups.
FULL_SHARE = 0.25

# A report's state: (parts key, digests, rows per table). Digests: 16 bytes
# each, one after the other: each table's CSV lines, each table's sheet rows,
# the report's CSV, its JSON.
ReportState = tuple[str, bytes, tuple[int, ...]]


@dataclass
class Item:
    """What the main process gets of one report's parts."""

    csv: dict[str, str]
    sheet: dict[str, tuple[str, ...]]
    digests: bytes
    rows: tuple[int, ...]
    files: list[tuple[str, Record]]  # report files written or checked (in the worker)


def report_paths(report: Report) -> tuple[str, str]:
    """A report's CSV and JSON, relative to the downloads folder."""
    base = f"reports/{report.agency}/{report.year}"
    return f"{base}.csv", f"{base}.json"


def download_names(corpus: Corpus) -> list[str]:
    """Every file ``write_downloads`` makes for ``corpus``, relative to its folder, sorted."""
    names = [*package_names(), XLSX_NAME, ZIP_NAME]
    names += [p for r in corpus.reports.values() for p in report_paths(r)]
    return sorted(names)


def package_names() -> list[str]:
    return [DESCRIPTOR, *(f"{s.name}.csv" for s in resources())]


def group_bounds(reports: list[Report]) -> list[tuple[int, int]]:
    """(start, stop) of each group: a group ends at a report whose ID's digest says so."""
    bounds, start = [], 0
    for i, report in enumerate(reports):
        h = hashlib.blake2b(report.id.encode(), digest_size=4).digest()
        if int.from_bytes(h, "little") % GROUP == 0 or i == len(reports) - 1:
            bounds.append((start, i + 1))
            start = i + 1
    return bounds


def group_key(kind: str, table: str, digests: list[bytes]) -> bytes:
    data = f"{kind}\0{table}\0".encode() + b"".join(digests)
    return hashlib.blake2b(data, digest_size=16).digest()


def file_digests(digests: bytes) -> tuple[bytes, bytes]:
    """The digests of a report's CSV and JSON, from all its digests (``ReportState``)."""
    return digests[32 * T : 32 * T + 16], digests[32 * T + 16 : 32 * T + 32]


def state_file(cache: PartsCache | NoCache, out_dir: Path) -> Path | None:
    """Where the state of ``out_dir`` is kept (by the directory's path)."""
    if not isinstance(cache, PartsCache) or cache.signing_key is None:
        return None
    name = hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=16).hexdigest()
    return cache.dir / STATE_DIR / f"{name}.marshal"


def state_header(out_dir: Path, release: Release, max_rows: int) -> tuple:
    """What the state must have been written for, to be used at all."""
    extras = tuple(digest(p.read_bytes()) if p.is_file() else b"" for p in _extras())
    return (STATE_FORMAT, code_digest(), str(out_dir.resolve()), release.version,
            release.date.isoformat(), max_rows, GROUP, extras)  # fmt: skip


def _extras() -> list[Path]:
    return [REPO_ROOT / name for name in ZIP_EXTRA]


def load_state(path: Path | None, header: tuple, key: bytes | None) -> dict | None:
    if path is None:
        return None
    state = read_signed(path, key)
    if not isinstance(state, dict) or state.get("header") != header:
        return None
    return state


def sync_downloads(
    corpus: Corpus,
    out_dir: Path,
    cache: PartsCache | NoCache,
    release: Release,
    max_rows: int = MAX_ROWS,
    state_as: Path | None = None,
) -> list[Path]:
    """Make ``out_dir`` hold exactly the downloads of ``corpus`` (see the module).

    ``state_as``: the directory the state is kept for, when ``out_dir`` is to be
    renamed to it (a full site build writes into a new directory, then swaps it in).
    Returns the paths of the files it wrote (made or replaced).
    """
    with gc_paused():  # the state alone makes enough objects to set off several collections
        return _sync(corpus, out_dir, cache, release, max_rows, state_as or out_dir)


def _sync(
    corpus: Corpus,
    out_dir: Path,
    cache: PartsCache | NoCache,
    release: Release,
    max_rows: int,
    state_as: Path,
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = state_file(cache, state_as)
    header = state_header(state_as, release, max_rows)
    state = load_state(path, header, cache.signing_key)
    out = OutDir(out_dir, state["files"] if state else None)
    run = Sync(corpus, out, cache, release, max_rows, state if out.trusted else None)
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()  # a run that fails half-way must leave no state behind
    try:
        new_state = run.run()
    finally:
        run.close()
    out.finish()
    if path is not None:
        new_state["header"] = header
        new_state["files"] = out.files
        with contextlib.suppress(OSError):
            write_signed(path, new_state, cache.signing_key)
            prune_states(path.parent)
    return [out_dir / rel for rel in out.written()]


def prune_states(folder: Path, keep: int = KEEP_STATES) -> None:
    """Only the states of the ``keep`` folders written to last (others may be long gone)."""
    states = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in states[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


class CsvOut:
    """A report table's CSV being assembled from group runs, new or from the old file."""

    def __init__(self, out: OutDir, table: str, old: list[tuple[bytes, int]] | None) -> None:
        self.out = out
        self.rel = f"{table}.csv"
        self.header = csv_header(table)
        self.layout: list[tuple[bytes, int]] = []
        self.pieces: list[tuple[bool, int, int]] = []  # (from the old file, offset, length)
        self.old: dict[bytes, tuple[int, int]] = {}
        self.spool: tuple[BinaryIO, str] | None = None
        self.spooled = 0
        self.old_layout = old or []
        self.old_file: BinaryIO | None = None
        offset = len(self.header)
        for key, length in old or ():
            self.old[key] = (offset, length)
            offset += length

    def has(self, key: bytes) -> bool:
        return key in self.old

    def add(self, key: bytes, raw: bytes | None, want: bool = True) -> bytes | None:
        """Append the run of lines ``key``: from the old file if there, else ``raw``.

        Returns its bytes (read from the old file if need be), if ``want``.
        """
        if key in self.old:
            offset, length = self.old[key]
            self.pieces.append((True, offset, length))
            if raw is None and want:
                if self.old_file is None:
                    self.old_file = open(os.path.join(self.out.path, self.rel), "rb")  # noqa: SIM115
                raw = os.pread(self.old_file.fileno(), length, offset)
        elif raw is None:
            raise ValueError(f"{self.rel}: group not in the previous file and no data given")
        else:
            if self.spool is None:
                fd, tmp = self.out.temp()
                self.spool = (os.fdopen(fd, "w+b"), tmp)
                self.spool[0].write(self.header)
                self.spooled = len(self.header)
            self.spool[0].write(raw)
            length = len(raw)
            self.pieces.append((False, self.spooled, length))
            self.spooled += length
        self.layout.append((key, length))
        return raw

    def key(self) -> bytes:
        return group_key("csvfile", self.rel, [self.header, *(k for k, _ in self.layout)])

    def finish(self) -> None:
        """Write the file if it changed."""
        key = self.key()
        if self.out.keep(self.rel, key):
            return self.close()
        whole = not any(p[0] for p in self.pieces)
        if self.spool is not None and whole:  # every run made, in order: the spool is the file
            f, tmp = self.spool
            f.close()
            self.spool = None
            return self.out.put_temp(self.rel, tmp, key)
        fd, tmp = self.out.temp()
        path = os.path.join(self.out.path, self.rel)
        if self.spool is not None:
            self.spool[0].flush()
        with (
            open(path, "rb") if not whole else contextlib.nullcontext() as old,
            os.fdopen(fd, "wb") as f,
        ):
            f.write(self.header)
            for from_old, offset, length in self.pieces:
                src = old if from_old else self.spool[0]  # type: ignore[index]
                f.write(os.pread(src.fileno(), length, offset))  # type: ignore[union-attr]
        self.close()
        self.out.put_temp(self.rel, tmp, key)

    def close(self) -> None:
        if self.old_file is not None:
            self.old_file.close()
            self.old_file = None
        if self.spool is not None:
            f, tmp = self.spool
            f.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            self.spool = None


def table_values(spec: TableSpec, rows: Rows) -> list[list]:
    """Each row's values in the order of ``spec``'s fields."""
    names = spec.field_names
    out = []
    for row in rows:
        check_fields(spec, row)
        out.append([row.get(n) for n in names])
    return out


def csv_text(values: list[list]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(csv_row(v) for v in values)
    return buf.getvalue()


def value_types(values: list[list]) -> bytes:
    """A digest of the type of every value (what the CSV text does not show)."""
    names = "\0".join(",".join(type(v).__name__ for v in row) for row in values)
    return digest(names.encode())


def csv_header(table: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(resource(table).field_names)
    return buf.getvalue().encode()


class Sync:
    """One run of ``sync_downloads``: what changed, made; what did not, copied or kept."""

    def __init__(
        self,
        corpus: Corpus,
        out: OutDir,
        cache: PartsCache | NoCache,
        release: Release,
        max_rows: int,
        state: dict | None,
    ) -> None:
        self.corpus = corpus
        self.out = out
        self.cache = cache
        self.release = release
        self.state = state
        self.reports = sorted_reports(corpus)
        self.keys = cache.keys(corpus, self.reports, release)
        old_archives = state["archives"] if state else {}
        self.old_zip = self._old_archive(ZIP_NAME, old_archives)
        self.old_book = self._old_archive(XLSX_NAME, old_archives)
        date_time = release.timestamp.timetuple()[:6]
        self.zip = Archive(date_time, self.old_zip)
        self.book = Workbook(release, max_rows, self.old_book)
        old_csv = state["csv"] if state else {}
        self.csv = {t: CsvOut(out, t, old_csv.get(t)) for t in TABLES}
        # Report tables whose zip member is the old one (their CSV did not change), and,
        # of the others, the end of the CSV so far: the data the next run refers back to.
        self.same: set[str] = set()
        self.before = {t: self.csv[t].header[-WINDOW:] for t in TABLES}
        self.infos: list[ReportState | None] = [None] * len(self.reports)

    def _old_archive(self, name: str, archives: dict) -> OldArchive | None:
        if name not in archives or name not in self.out.old:
            return None
        return OldArchive(self.out.path / name, archives[name])

    def close(self) -> None:
        for x in (self.old_zip, self.old_book):
            if x is not None:
                x.close()
        self.zip.close()
        self.book.discard()
        for c in self.csv.values():
            c.close()

    # --- per report --------------------------------------------------------------------

    def _use(self, write_files: bool):
        out, found, old = self.out, self.out.found, self.out.old

        def use(report: Report, parts: ReportParts) -> Item:
            texts = (parts.report_csv.encode(), parts.report_json.encode())
            file_digests = tuple(digest(t) for t in texts)
            digests = b"".join(
                [
                    *(digest(parts.csv[t].encode()) for t in TABLES),
                    *(digest("\x01".join(parts.sheet[t]).encode()) for t in TABLES),
                    *file_digests,
                ]
            )
            files = []
            if write_files:
                for rel, data, key in zip(report_paths(report), texts, file_digests, strict=True):
                    rec = old.get(rel)
                    if rec is not None and rec[3] == key:
                        files.append((rel, rec))
                    else:
                        stat = put_bytes(os.path.join(out.path, rel), data, rel in found)
                        files.append((rel, (*stat, key)))
            rows = tuple(len(parts.sheet[t]) for t in TABLES)
            return Item(parts.csv, parts.sheet, digests, rows, files)

        return use

    def _items(self, indices: list[int], write_files: bool):
        reports = [self.reports[i] for i in indices]
        keys = [self.keys[i] for i in indices]
        use = self._use(write_files)
        return self.cache.map_parts(self.corpus, reports, self.release, use, keys=keys)

    def _took(self, i: int, item: Item) -> None:
        self.infos[i] = (self.keys[i] or "", item.digests, item.rows)
        for rel, rec in item.files:
            self.out.files[rel] = rec

    # --- the run ------------------------------------------------------------------------

    def run(self) -> dict:
        """Make what changed; returns the new state (less its header and files)."""
        n = len(self.reports)
        old_reports = self.state["reports"] if self.state else {}
        dirty = []
        for i, (report, key) in enumerate(zip(self.reports, self.keys, strict=True)):
            got = old_reports.get(report.id)
            if key is not None and got is not None and got[0] == key and self._kept(report, got):
                self.infos[i] = got
            else:
                dirty.append(i)
        groups = group_bounds(self.reports)
        full = self.state is None or len(dirty) > FULL_SHARE * n
        ready: dict[int, Item] = {}
        plans: list[list | None] = [None] * len(groups)
        if full:
            needed = [True] * len(groups)
        else:
            for i, item in zip(dirty, self._items(dirty, True), strict=True):
                ready[i] = item
                self._took(i, item)
            plans = [self._plan(a, b) for a, b in groups]
            needed = self._needed(plans)  # type: ignore[arg-type]
            self.same = {t for t in TABLES if self._same_csv(t, plans)}  # type: ignore[arg-type]
        for t in TABLES:  # each report table's member of the zip: the old one, or begun
            if t not in self.same or not self.zip.reuse(f"{ZIP_FOLDER}/{t}.csv"):
                self.same.discard(t)
                self.zip.add_bytes(f"{ZIP_FOLDER}/{t}.csv", self.csv[t].header, ZIP_LEVEL)
        todo = [i for g, (a, b) in enumerate(groups) if needed[g] for i in range(a, b)
                if i not in ready]  # fmt: skip
        stream = iter(self._items(todo, full))
        for g, (a, b) in enumerate(groups):
            items = None
            if needed[g]:
                items = []
                for i in range(a, b):
                    item = ready.pop(i) if i in ready else next(stream)
                    if full:
                        self._took(i, item)
                    items.append(item)
            self._add_group(plans[g] or self._plan(a, b), items)
        for c in self.csv.values():
            c.finish()
        self._corpus_tables()
        return {
            "reports": {r.id: self.infos[i] for i, r in enumerate(self.reports)},
            "csv": {t: self.csv[t].layout for t in TABLES},
            "archives": self._archives(),
        }

    def _kept(self, report: Report, got: ReportState) -> bool:
        """Keep the report's files if they hold what ``got`` says (else False: remake them)."""
        old = self.out.old
        keys = file_digests(got[1])
        rels = report_paths(report)
        if any(rel not in old or old[rel][3] != key for rel, key in zip(rels, keys, strict=True)):
            return False
        for rel in rels:
            self.out.files[rel] = old[rel]
        return True

    def _plan(self, a: int, b: int) -> list[tuple[str, int, bytes, bytes]]:
        """Each report table of the group of reports ``a``…``b``: (table, rows, CSV key, sheet key).

        Tables without rows in the group are left out: they add nothing.
        """
        infos = self.infos[a:b]
        out = []
        for t, table in enumerate(TABLES):
            count = sum(info[2][t] for info in infos)  # type: ignore[index]
            if count:
                c, s = 16 * t, 16 * (T + t)
                key = group_key("csv", table, [info[1][c : c + 16] for info in infos])  # type: ignore[index]
                skey = group_key("sheet", table, [info[1][s : s + 16] for info in infos])  # type: ignore[index]
                out.append((table, count, key, skey))
        return out

    def _needed(self, plans: list[list[tuple[str, int, bytes, bytes]]]) -> list[bool]:
        """Whether each group's parts are needed: the previous files do not hold its CSV
        lines or its rows in the workbook, or the next group's rows (which refer back)."""
        start = dict.fromkeys(TABLES, 0)
        last: dict[str, int] = {}  # the group before, in each table
        out = [False] * len(plans)
        for g, plan in enumerate(plans):
            for table, count, key, skey in plan:
                in_book = not self.book.needs(table, skey, count, start[table])
                if not in_book or not self.csv[table].has(key):
                    out[g] = True
                if not in_book and table in last:
                    out[last[table]] = True
                start[table] += count
                last[table] = g
        return out

    def _same_csv(self, table: str, plans: list[list[tuple[str, int, bytes, bytes]]]) -> bool:
        """Whether ``table``'s CSV is made of the same runs as before."""
        keys = [key for plan in plans for t, _, key, _ in plan if t == table]
        return keys == [key for key, _ in self.csv[table].old_layout]

    def _add_group(
        self, plan: list[tuple[str, int, bytes, bytes]], items: list[Item] | None
    ) -> None:
        for table, count, key, skey in plan:
            raw = templates = None
            if items is not None:
                raw = "".join([item.csv[table] for item in items]).encode()
                templates = [row for item in items for row in item.sheet[table]]
            raw = self.csv[table].add(key, raw, want=table not in self.same)
            if raw is not None and table not in self.same:
                # Refers back to the CSV's previous 32 KB, whatever runs they are of.
                before = self.before[table]
                zkey = group_key("zip", table, [key, digest(before)])
                self.zip.add(f"{ZIP_FOLDER}/{table}.csv", zkey, raw, ZIP_LEVEL, before=before)
                self.before[table] = (before + raw)[-WINDOW:]
            self.book.add(table, templates, skey, count)

    def _corpus_tables(self) -> None:
        """The package files that do not hold report contents, and the extras of the zip."""
        for name, rows in CORPUS_ROWS.items():
            spec = resource(name)
            values = table_values(spec, rows(self.corpus))
            data = csv_header(name) + csv_text(values).encode()
            key = digest(data)
            self.out.put(f"{name}.csv", data, key)
            self.zip.add(f"{ZIP_FOLDER}/{name}.csv", key, data, ZIP_LEVEL)
            # The rows' cells follow from their CSV text and the values' types: the
            # sheet is made again only when those changed.
            skey = group_key("corpus", name, [key, value_types(values)])
            if self.book.needs(name, skey, len(values), 0):
                self.book.add(name, [row_xml(v) for v in values], skey)
            else:
                self.book.add(name, None, skey, len(values))
        data = dumps(descriptor(self.release)).encode()
        self.out.put(DESCRIPTOR, data, digest(data))
        self.zip.add_bytes(f"{ZIP_FOLDER}/{DESCRIPTOR}", data, ZIP_LEVEL)
        for path in _extras():
            if path.is_file():
                self.zip.add_bytes(f"{ZIP_FOLDER}/{path.name}", path.read_bytes(), ZIP_LEVEL)

    def _archives(self) -> dict:
        listing = {}
        for name, archive, order in (
            (ZIP_NAME, self.zip, sorted(self.zip.members)),
            (XLSX_NAME, self.book.archive, self.book.finish()),
        ):
            key = archive.key(order)
            if self.out.keep(name, key):
                listing[name] = self.state["archives"][name]  # type: ignore[index]
                continue
            fd, tmp = self.out.temp()
            with os.fdopen(fd, "wb") as f:
                listing[name] = archive.write(f, order)
            self.out.put_temp(name, tmp, key)
        return listing
