"""Validate a package with frictionless, and compare a package with a fresh one.

Validation errors are records (resource, row, field, type, message), the
way frictionless reports them, so tests can assert on the error type.

Two ways to validate:

* ``validate_package``: frictionless on the whole package (``gongkai package
  --check``, CI and the tests). About 6,500 rows/s: 12 s at 3,200 reports,
  minutes at 55,000.
* ``validate_changed`` (``gongkai package``): the same guarantee at the cost
  of what is new. Every cell is still validated by frictionless against the
  current descriptor — in this run, or in an earlier run under the very same
  descriptor (a digest of each pair that passed is kept in a state file).
  Types and constraints (required, pattern, enum, minimum …) are properties
  of one cell: of its value and its field's type and constraints (the field's
  *identity*: ``field_identity``; the name and title do not count). So
  frictionless is run on each distinct (identity, value) pair once, packed
  into small tables (``cell_resources``): 75,753 rows at 3,200 reports hold
  24,137 such pairs, packed into 15,072 rows. What spans cells is checked
  here, on every run and over whole tables: the header, the number of cells
  of each row and blank rows while reading (``scan``), primary keys unique
  and non-empty and foreign keys found in their table (``key_problems``),
  the descriptor's ``encoding`` (``encoding_problems``). Anything unexpected
  — a file that is not UTF-8 CSV with the declared header, a row of the
  wrong length, a blank row, a value frictionless rejects — falls back to
  ``validate_package``, so problems carry frictionless' own row numbers and
  messages. A package whose every byte was found valid before, by the same
  validator (this module's code, the frictionless and Python versions), is
  not validated again (its digest is in the state). The state file is
  signed like the report-parts cache (``cache.sign``): a forged or foreign
  one counts as empty, and without a key every value is validated.
"""

from __future__ import annotations

import contextlib
import csv
import filecmp
import functools
import hashlib
import itertools
import json
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..gcutil import frozen
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

STATE_FORMAT = 2  # 2: digests of cells (field identity, value), was of rows
KEEP_PACKAGES = 4  # digests of whole packages found valid, newest first
BATCH = 8192  # rows read at once: columns are then handled whole, in C
ANNOTATIONS = frozenset({"name", "title", "description", "example"})  # no effect on a cell
KEY_TYPES = frozenset({"primary-key", "foreign-key"})
PLAIN_RESOURCE = frozenset(
    {"name", "type", "path", "format", "mediatype", "encoding", "title", "description", "schema"}
)


@dataclass
class Table:
    """What the key checks need of one resource: its key columns, as strings."""

    name: str
    schema: dict
    columns: dict[str, list[str]]  # key columns only

    def values(self, name: str) -> list[str]:
        return self.columns[name]


def key_fields(schema: dict) -> list[str]:
    names = list(schema.get("primaryKey", ()))
    names += [fk["fields"][0] for fk in schema.get("foreignKeys", ())]
    return list(dict.fromkeys(names))


def field_identity(field: dict, schema: dict) -> str:
    """What frictionless checks a cell of ``field`` against, as one string.

    The field's type, format and constraints and the table's own settings
    (``missingValues`` …); not its name, title or description. Two fields
    with the same identity accept the same values.
    """
    own = {k: v for k, v in field.items() if k not in ANNOTATIONS}
    table = {k: v for k, v in schema.items() if k not in ("fields", "primaryKey", "foreignKeys")}
    return json.dumps([own, table], sort_keys=True, ensure_ascii=False)


@dataclass
class Scan:
    """One streaming read of a package: key columns, and the distinct values of each field."""

    tables: dict[str, Table]
    cells: dict[str, set[str]]  # field identity -> every value its fields hold


def plain_descriptor(descriptor: dict) -> bool:
    """Every resource a UTF-8 CSV file beside the descriptor, with nothing that alters parsing."""
    return all(
        set(r) <= PLAIN_RESOURCE
        and r.get("format") == "csv"
        and isinstance(r.get("path"), str)
        and "/" not in r["path"]
        and not r["path"].startswith(".")
        for r in descriptor.get("resources", ())
    )


def scan(package_dir: Path, descriptor: dict) -> Scan | None:
    """Read every resource row by row; None when a file is not what the descriptor says.

    None also for what only frictionless reports well (a row with too few or
    too many cells, a blank row): the caller then validates in full.
    """
    out = Scan({}, {})
    try:
        for res in descriptor["resources"]:
            referenced = {
                fk["reference"]["fields"][0]
                for other in descriptor["resources"]
                for fk in other["schema"].get("foreignKeys", ())
                if fk["reference"]["resource"] == res["name"]
            }
            if not _scan_resource(package_dir, res, sorted(referenced), out):
                return None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, csv.Error):
        return None
    return out


def _scan_resource(package_dir: Path, res: dict, referenced: list, out: Scan) -> bool:
    schema = res["schema"]
    names = [fld["name"] for fld in schema["fields"]]
    values = [out.cells.setdefault(field_identity(f, schema), set()) for f in schema["fields"]]
    wanted = list(dict.fromkeys(key_fields(schema) + referenced))
    where = [(w, names.index(w)) for w in wanted]
    columns: dict[str, list[str]] = {w: [] for w in wanted}
    with open(package_dir / res["path"], encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        if next(reader, None) != names:
            return False
        while batch := list(itertools.islice(reader, BATCH)):
            cols = list(zip(*batch, strict=True))  # ValueError: rows of unequal length
            if len(cols) != len(names) or ("" in cols[0] and "" in map("".join, batch)):
                return False  # a row of the wrong length, or a blank row
            for seen, col in zip(values, cols, strict=True):
                seen.update(col)
            for w, c in where:
                columns[w].extend(cols[c])
    out.tables[res["name"]] = Table(res["name"], schema, columns)
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
    columns = [t.values(n) for n in names]
    keys = columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))
    if len(set(keys)) == len(keys) and not any("" in c for c in columns):
        return []
    out, seen = [], set()
    for i, key in enumerate(zip(*columns, strict=True), 2):
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


def cell_digests(cells: dict[str, set[str]]) -> dict[str, dict[str, bytes]]:
    """Field identity -> value -> digest of the pair (what the state remembers)."""
    out = {}
    for identity, values in cells.items():
        prefix = hashlib.blake2b(identity.encode(), digest_size=16).digest()
        out[identity] = {
            v: hashlib.blake2b(prefix + v.encode(), digest_size=12).digest() for v in values
        }
    return out


@functools.cache
def validator_digest() -> str:
    """What else a validation's outcome depends on: this module's code, frictionless, Python."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        frictionless = version("frictionless")
    except PackageNotFoundError:
        frictionless = "?"
    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16)
    h.update(f"\0{frictionless}\0{sys.version}".encode())
    return h.hexdigest()


def package_digest(package_dir: Path, descriptor: dict) -> str | None:
    """Digest of the descriptor and every file it names; None when one cannot be read."""
    h = hashlib.blake2b(digest_size=20)
    try:
        for name in (DESCRIPTOR, *(r["path"] for r in descriptor["resources"])):
            file = hashlib.blake2b(digest_size=20)
            with open(package_dir / name, "rb") as f:
                while chunk := f.read(1 << 20):
                    file.update(chunk)
            h.update(name.encode() + b"\0" + file.digest())
    except (OSError, KeyError, TypeError):
        return None
    return h.hexdigest()


@dataclass
class State:
    """What earlier runs found valid under one descriptor: cell pairs, and whole packages."""

    cells: set[bytes]
    packages: list[str]


def _load_state(path: Path, schema_digest: str) -> State:
    state = read_signed(path)
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        return State(set(), [])
    cells, packages = state.get("cells"), state.get("packages")
    if state.get("schema") != schema_digest or not isinstance(cells, set):
        return State(set(), [])
    return State(cells, packages if isinstance(packages, list) else [])


def _save_state(path: Path, schema_digest: str, state: State) -> None:
    value = {"format": STATE_FORMAT, "schema": schema_digest, "cells": state.cells,
             "packages": state.packages[:KEEP_PACKAGES]}  # fmt: skip
    with contextlib.suppress(OSError):
        write_signed(path, value)


PARALLEL_ROWS = 4000  # fewer rows than this are validated in this process
CELL_ROWS = 500  # values of one field identity per column of a cell resource


def cell_resources(identities: dict[str, list[str]]) -> list[tuple[dict, list[list[str]]]]:
    """Resources holding every given value under a field of its identity: (descriptor, rows).

    One column per field identity and ``CELL_ROWS`` values (frictionless
    spends about as much on a row as on its cells: wide and short is cheaper);
    columns of similar length share a resource (the shorter ones repeat their
    values to fill the rows, at most doubling what is validated). A first
    column numbers the rows, so that no row is blank however many empty
    values there are.
    """
    pieces = [
        (identity, values[start : start + CELL_ROWS])
        for identity, values in identities.items()
        for start in range(0, len(values), CELL_ROWS)
    ]
    by_length = sorted(pieces, key=lambda kv: (-len(kv[1]), kv[0]))
    groups: list[list[tuple[str, list[str]]]] = []
    for identity, values in by_length:
        if not values:
            continue
        group = groups[-1] if groups else None
        if (
            group is None
            or 2 * len(values) < len(group[0][1])
            or _table(group) != _table_of(identity)
        ):
            groups.append([(identity, values)])
        else:
            group.append((identity, values))
    out = []
    for k, group in enumerate(groups):
        fields = [{"name": "n", "type": "string"}]  # never empty: no row is blank
        for j, (identity, _values) in enumerate(group):
            own, _table_settings = json.loads(identity)
            fields.append({**own, "name": f"c{j}"})
        schema = {**_table_of(group[0][0]), "fields": fields}
        name = f"cells{k}"
        res = {"name": name, "type": "table", "path": f"{name}.csv", "format": "csv",
               "mediatype": "text/csv", "encoding": "utf-8", "dialect": {"delimiter": ","},
               "schema": schema}  # fmt: skip
        n = len(group[0][1])
        columns = [values for _identity, values in group]
        rows = [[str(i), *(c[i % len(c)] for c in columns)] for i in range(n)]
        out.append((res, rows))
    return out


def _table_of(identity: str) -> dict:
    return json.loads(identity)[1]


def _table(group: list[tuple[str, list[str]]]) -> dict:
    return _table_of(group[0][0])


def validate_cells(
    descriptor: dict, identities: dict[str, list[str]], folder: Path
) -> list[Problem]:
    """Frictionless on packages of the given values (two forked processes when many)."""
    made = cell_resources(identities)
    if not made:
        return []
    halves: list[list] = [[], []]
    sizes = [0, 0]
    for res, rows in made:
        h = sizes.index(min(sizes))
        halves[h].append((res, rows))
        sizes[h] += len(rows) * len(res["schema"]["fields"])
    folders = []
    for h, part in enumerate(halves):
        if not part:
            continue
        where = folder / str(h)
        where.mkdir()
        for res, rows in part:
            with open(where / res["path"], "w", encoding="utf-8", newline="") as f:
                out = csv.writer(f, lineterminator="\n")
                out.writerow([fld["name"] for fld in res["schema"]["fields"]])
                out.writerows(rows)
        profile = {k: descriptor[k] for k in ("$schema",) if k in descriptor}  # as validated
        mini = {
            **profile,
            "name": descriptor.get("name", "cells"),
            "resources": [r for r, _ in part],
        }
        (where / DESCRIPTOR).write_text(json.dumps(mini, ensure_ascii=False), encoding="utf-8")
        folders.append(where)
    if sum(sizes) < PARALLEL_ROWS or len(folders) < 2 or not _can_fork():
        found = [validate_package(f) for f in folders]
    else:
        context = multiprocessing.get_context("fork")
        # what this process holds stays shared with the workers (no GC copy)
        with frozen(), ProcessPoolExecutor(2, mp_context=context) as pool:
            found = list(pool.map(validate_package, folders))
    return [p for ps in found for p in ps]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def validate_changed(package_dir: Path, state: Path) -> list[Problem]:
    """Every problem of the package, running frictionless only on values not validated before.

    A cell's validity depends only on its value and its field's type and
    constraints (``field_identity``), so frictionless validates each distinct
    (identity, value) pair once — in this run, or in an earlier one under the
    same descriptor (``state`` keeps a digest of each pair that passed). Row
    shape (cells per row, blank rows) and the header are checked while the
    files are read, keys over the whole tables (``key_problems``), the encoding
    by ``encoding_problems``. Whatever else looks wrong — a file that is not
    UTF-8 CSV with the declared header, a row of the wrong length, a value
    frictionless rejects — gets the full frictionless validation, so its
    problems carry frictionless' own row numbers and messages.
    """
    descriptor = _descriptor(package_dir)
    if descriptor is None or not plain_descriptor(descriptor):
        return validate_package(package_dir)
    schema_digest = hashlib.blake2b(
        json.dumps(descriptor["resources"], sort_keys=True).encode() + validator_digest().encode(),
        digest_size=16,
    ).hexdigest()
    known = _load_state(state, schema_digest)
    whole = package_digest(package_dir, descriptor)
    if whole is not None and whole in known.packages:
        return []  # these very bytes passed before, under the same validator
    found = scan(package_dir, descriptor)
    if found is None:
        return validate_package(package_dir)
    problems = encoding_problems(package_dir) + key_problems(found.tables)
    digests = cell_digests(found.cells)
    found.cells.clear()
    pending = {
        identity: sorted(v for v, d in values.items() if d not in known.cells)
        for identity, values in digests.items()
    }
    with tempfile.TemporaryDirectory(prefix="gongkai-validate-") as tmp:
        cell_problems = validate_cells(descriptor, pending, Path(tmp))
    if cell_problems:
        full = validate_package(package_dir)
        return problems + [p for p in full if p.type not in KEY_TYPES and p not in problems]
    passed = [whole] if whole is not None and not problems else []
    cells = {d for values in digests.values() for d in values.values()}
    _save_state(state, schema_digest, State(cells, passed + known.packages))
    return problems
