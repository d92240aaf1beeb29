"""Validate a package with frictionless, and compare a package with a fresh one.

Validation errors are records (resource, row, field, type, message), the
way frictionless reports them, so tests can assert on the error type.

Two ways to validate:

* ``validate_package``: frictionless on the whole package (``gongkai package
  --check``, CI and the tests). About 6,500 rows/s: 12 s at 3,200 reports,
  minutes at 55,000.
* ``validate_changed`` (``gongkai package``): the same guarantee at the cost
  of what changed. Every row is still validated by frictionless against the
  current descriptor — in this run, or in an earlier run that saw the very
  same row bytes under the very same descriptor (a digest of each row that
  passed is kept in a state file). Types and constraints (required, pattern,
  enum, minimum …) are properties of one row, so a row that passed once
  passes again. What spans rows — primary keys unique and non-empty, foreign
  keys found in their table — is checked by ``key_problems`` over the whole
  tables on every run, and the descriptor's ``encoding`` by
  ``encoding_problems``. Anything unexpected (a file that is not UTF-8 CSV
  with the declared header) falls back to ``validate_package``. The state
  file is signed like the report-parts cache (``cache.sign``): a forged or
  foreign one counts as empty, and without a key every row is validated.
"""

from __future__ import annotations

import contextlib
import csv
import filecmp
import gc
import hashlib
import json
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import read_signed, write_signed
from .write import DESCRIPTOR, package_files


@dataclass(frozen=True, order=True)
class Problem:
    """One validation error: where (resource, row, field) and what (frictionless type)."""

    resource: str
    row: int | None
    field: str | None
    type: str
    message: str

    def text(self) -> str:
        where = self.resource + (f":{self.row}" if self.row else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.type}: {self.message}"


def encoding_problems(package_dir: Path) -> list[Problem]:
    """Every resource must declare ``"encoding": "utf-8"`` (else a GBK file passes)."""
    data = json.loads((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    return [
        Problem(r.get("name", "?"), None, None, "encoding-undeclared", "encoding must be utf-8")
        for r in data.get("resources", ())
        if r.get("encoding") != "utf-8"
    ]


def validate_package(package_dir: Path) -> list[Problem]:
    """Every frictionless error of the package in ``package_dir`` (empty: valid)."""
    from frictionless import validate  # slow import: only when validating

    report = validate(str(package_dir / DESCRIPTOR))
    problems = [Problem("", None, None, e.type, e.message) for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            row = getattr(e, "row_number", None)
            field = getattr(e, "field_name", None)
            problems.append(Problem(task.name or "", row, field, e.type, e.message))
    return encoding_problems(package_dir) + problems


def differing_files(committed: Path, fresh: Path) -> list[str]:
    """Files of the package that differ between two directories (missing counts as differing)."""
    names = set(package_files())
    names |= {p.name for d in (committed, fresh) if d.is_dir() for p in d.glob("*.csv")}
    out = []
    for name in sorted(names):
        a, b = committed / name, fresh / name
        if a.is_file() != b.is_file() or (a.is_file() and not filecmp.cmp(a, b, shallow=False)):
            out.append(name)
    return out


# --- incremental validation ---------------------------------------------------------------

STATE_FORMAT = 1


@dataclass
class Table:
    """What the key checks need of one resource: its key columns, as strings."""

    name: str
    schema: dict
    columns: dict[str, list[str]]  # key columns only ('' where a short row lacks one)

    def values(self, name: str) -> list[str]:
        return self.columns[name]


def key_fields(schema: dict) -> list[str]:
    names = list(schema.get("primaryKey", ()))
    names += [fk["fields"][0] for fk in schema.get("foreignKeys", ())]
    return list(dict.fromkeys(names))


@dataclass
class Scan:
    """One streaming read of a package: key columns, new rows, digests of every row."""

    descriptor: dict
    tables: dict[str, Table]
    pending: MiniPackages  # rows whose digest is not known
    digests: set[bytes]


def scan(package_dir: Path, known: set[bytes], pending: MiniPackages) -> Scan | None:
    """Read every resource row by row; None when a file cannot be read as expected."""
    try:
        descriptor = pending.descriptor
        out = Scan(descriptor, {}, pending, set())
        for res in descriptor["resources"]:
            referenced = {
                fk["reference"]["fields"][0]
                for other in descriptor["resources"]
                for fk in other["schema"].get("foreignKeys", ())
                if fk["reference"]["resource"] == res["name"]
            }
            if not _scan_resource(package_dir, res, sorted(referenced), known, out):
                return None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, csv.Error):
        return None
    return out


def _scan_resource(package_dir: Path, res: dict, referenced: list, known: set, out: Scan) -> bool:
    name, schema = res["name"], res["schema"]
    wanted = list(dict.fromkeys(key_fields(schema) + referenced))
    with open(package_dir / res["path"], encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != [fld["name"] for fld in schema["fields"]]:
            return False
        where = [(w, header.index(w)) for w in wanted]
        columns: dict[str, list[str]] = {w: [] for w in wanted}
        for i, row in enumerate(reader, 2):
            for w, c in where:
                columns[w].append(row[c] if c < len(row) else "")
            digest = row_digest(name, row)
            out.digests.add(digest)
            if digest not in known:
                out.pending.add(name, i, row)
    out.tables[name] = Table(name, schema, columns)
    return True


def key_problems(tables: dict[str, Table]) -> list[Problem]:
    """Primary keys unique and non-empty; every non-empty foreign key found in its table.

    Whole columns are compared as sets first; rows are looked at only when that fails.
    """
    out = []
    for t in tables.values():
        out += _primary_key_problems(t)
        for fk in t.schema.get("foreignKeys", ()):
            ref = fk["reference"]
            target = tables[ref["resource"] or t.name]
            known = set(target.values(ref["fields"][0]))
            values = t.values(fk["fields"][0])
            if set(values) - known <= {""}:
                continue
            for i, value in enumerate(values, 2):
                if value and value not in known:
                    message = f"{fk['fields'][0]} {value!r} not in {ref['resource']}"
                    out.append(Problem(t.name, i, None, "foreign-key", message))
    return out


def _primary_key_problems(t: Table) -> list[Problem]:
    names = t.schema.get("primaryKey", ())
    if not names:
        return []
    keys = list(zip(*(t.values(n) for n in names), strict=True))
    if len(set(keys)) == len(keys) and not any("" in t.values(n) for n in names):
        return []
    out, seen = [], set()
    for i, key in enumerate(keys, 2):
        if key in seen or "" in key:
            what = "duplicate" if key in seen else "empty"
            out.append(Problem(t.name, i, None, "primary-key", f"{what} primary key {key}"))
        seen.add(key)
    return out


def _descriptor(package_dir: Path) -> dict | None:
    try:
        return json.loads((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def row_digest(name: str, row: list[str]) -> bytes:
    return hashlib.blake2b("\x1f".join([name, *row]).encode(), digest_size=12).digest()


def _load_state(path: Path, schema_digest: str) -> set[bytes]:
    state = read_signed(path)
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        return set()
    rows = state.get("rows")
    return rows if state.get("schema") == schema_digest and isinstance(rows, set) else set()


def _save_state(path: Path, schema_digest: str, rows: set[bytes]) -> None:
    with contextlib.suppress(OSError):
        write_signed(path, {"format": STATE_FORMAT, "schema": schema_digest, "rows": rows})


PARALLEL_ROWS = 4000  # fewer rows than this are validated in this process


class MiniPackages:
    """New rows streamed into two small packages (alternately), to validate with frictionless.

    Their schemas keep the fields and drop the keys (``key_problems`` checks
    those over the whole tables). Row numbers of the problems found are mapped
    back to those of the full CSVs.
    """

    def __init__(self, descriptor: dict, folder: Path) -> None:
        self.descriptor = descriptor
        self.folder = folder
        self.count = 0
        self.numbers: list[dict[str, list[int]]] = [{}, {}]
        self.files: dict[tuple[int, str], tuple] = {}

    def add(self, name: str, number: int, row: list[str]) -> None:
        half = self.count % 2
        self.count += 1
        if (half, name) not in self.files:
            res = next(r for r in self.descriptor["resources"] if r["name"] == name)
            (self.folder / str(half)).mkdir(exist_ok=True)
            f = open(self.folder / str(half) / res["path"], "w", encoding="utf-8", newline="")  # noqa: SIM115
            out = csv.writer(f, lineterminator="\n")
            out.writerow([fld["name"] for fld in res["schema"]["fields"]])
            self.files[half, name] = (f, out)
            self.numbers[half][name] = []
        self.files[half, name][1].writerow(row)
        self.numbers[half][name].append(number)

    def close(self) -> None:
        for f, _ in self.files.values():
            f.close()

    def validate(self) -> list[Problem]:
        """Frictionless on both halves (two forked processes when there are many rows)."""
        self.close()
        halves = [h for h in (0, 1) if self.numbers[h]]
        for h in halves:
            resources = [
                {**r, "schema": {"fields": r["schema"]["fields"]}}
                for r in self.descriptor["resources"]
                if r["name"] in self.numbers[h]
            ]
            mini = {**self.descriptor, "resources": resources}
            text = json.dumps(mini, ensure_ascii=False)
            (self.folder / str(h) / DESCRIPTOR).write_text(text, encoding="utf-8")
        folders = [self.folder / str(h) for h in halves]
        if self.count < PARALLEL_ROWS or len(halves) < 2 or not _can_fork():
            found = [validate_package(f) for f in folders]
        else:
            context = multiprocessing.get_context("fork")
            gc.freeze()  # what this process holds stays shared with the workers (no GC copy)
            try:
                with ProcessPoolExecutor(2, mp_context=context) as pool:
                    found = list(pool.map(validate_package, folders))
            finally:
                gc.unfreeze()
        return [
            self._renumber(p, self.numbers[h])
            for h, ps in zip(halves, found, strict=True)
            for p in ps
        ]

    @staticmethod
    def _renumber(p: Problem, numbers: dict[str, list[int]]) -> Problem:
        rows = numbers.get(p.resource, [])
        if p.row and 0 <= p.row - 2 < len(rows):
            return replace(p, row=rows[p.row - 2])
        return p


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def digests_of(package_dir: Path, descriptor: dict, rows: set[tuple[str, int]]) -> set[bytes]:
    """Row digests of the given (resource, row number) pairs, read again from the CSVs."""
    out = set()
    for res in descriptor["resources"]:
        wanted = {n for name, n in rows if name == res["name"]}
        if not wanted:
            continue
        with open(package_dir / res["path"], encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.reader(f), 1):
                if i in wanted:
                    out.add(row_digest(res["name"], row))
    return out


def validate_changed(package_dir: Path, state: Path) -> list[Problem]:
    """Every problem of the package, running frictionless only on rows not validated before.

    ``state`` remembers the digests of the rows that passed, under a digest of
    the descriptor; a row whose bytes and schema are unchanged is not validated
    again. Keys are checked over the whole tables every time. A package whose
    files cannot be read as UTF-8 CSV with the expected headers gets the full
    frictionless validation.
    """
    descriptor = _descriptor(package_dir)
    if descriptor is None:
        return validate_package(package_dir)
    schema_digest = hashlib.blake2b(
        json.dumps(descriptor["resources"], sort_keys=True).encode(), digest_size=16
    ).hexdigest()
    with tempfile.TemporaryDirectory(prefix="gongkai-validate-") as tmp:
        pending = MiniPackages(descriptor, Path(tmp))
        try:
            found = scan(package_dir, _load_state(state, schema_digest), pending)
        finally:
            pending.close()
        if found is None:
            return validate_package(package_dir)
        problems = encoding_problems(package_dir) + key_problems(found.tables)
        row_problems = pending.validate()
    if not any(p.row is None for p in row_problems):
        failed = {(p.resource, p.row) for p in row_problems if p.row}
        passed = found.digests - digests_of(package_dir, descriptor, failed)
        _save_state(state, schema_digest, passed)
    return problems + row_problems
