"""Incremental validation finds what full validation finds, validating only rows not seen before."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from package_helpers import FIXTURE_ROOT, build

from generator.package import check
from generator.package.check import validate_changed, validate_package
from generator.package.sheetxml import row_xml


@pytest.fixture
def pkg(tmp_path) -> Path:
    out = tmp_path / "pkg"
    build(FIXTURE_ROOT, out)
    return out


def where(problems) -> set[tuple]:
    return {(p.resource, p.row, p.field, p.type) for p in problems}


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row - 1][table[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)


def test_second_run_validates_nothing_again(pkg, tmp_path, monkeypatch):
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    seen = []
    monkeypatch.setattr(check, "validate_package", lambda d: seen.append(d) or [])
    assert validate_changed(pkg, state) == []
    assert seen == []


@pytest.mark.parametrize("parallel_rows", [1, 10**9], ids=["two-processes", "one-process"])
def test_changed_row_validated_with_its_row_number(pkg, tmp_path, monkeypatch, parallel_rows):
    monkeypatch.setattr(check, "PARALLEL_ROWS", parallel_rows)
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    edit_cell(pkg / "requests.csv", 5, "natural_person", "-4")
    got = where(validate_changed(pkg, state))
    assert ("requests", 5, "natural_person", "constraint-error") in got
    full = {w for w in where(validate_package(pkg)) if w[3] != "primary-key"}
    assert got == full
    assert ("requests", 5, "natural_person", "constraint-error") in where(
        validate_changed(pkg, state)
    ), "a failed row is validated again next time"


def test_keys_checked_every_run(pkg, tmp_path):
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    text = (pkg / "appeals.csv").read_text(encoding="utf-8")
    (pkg / "appeals.csv").write_text(
        text.replace("371500-wjw/2020,", "371500-wjw/1999,", 1), encoding="utf-8", newline="\n"
    )
    assert ("appeals", "foreign-key") in {
        (p.resource, p.type) for p in validate_changed(pkg, state)
    }
    lines = (pkg / "requests.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (pkg / "requests.csv").write_text("".join([*lines, lines[1]]), encoding="utf-8", newline="\n")
    types = {(p.resource, p.type) for p in validate_changed(pkg, state)}
    assert ("requests", "primary-key") in types


def test_unreadable_package_gets_full_validation(pkg, tmp_path):
    path = pkg / "agencies.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert validate_changed(pkg, tmp_path / "state") != []


def test_schema_change_revalidates_everything(pkg, tmp_path, monkeypatch):
    state = tmp_path / "state"
    validate_changed(pkg, state)
    descriptor = pkg / "datapackage.json"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace('"title": "机构"', '"title": "机构 "', 1),
        encoding="utf-8",
    )
    seen = []
    monkeypatch.setattr(check, "validate_package", lambda d: seen.append(d) or [])
    validate_changed(pkg, state)
    assert seen


def cell_of(path: Path, row: int, column: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    return table[row - 1][table[0].index(column)]


def pending_values(monkeypatch) -> list[int]:
    """Records how many values each run hands to frictionless."""
    counts: list[int] = []
    made = check.cell_resources

    def spy(identities):
        counts.append(sum(len(v) for v in identities.values()))
        return made(identities)

    monkeypatch.setattr(check, "cell_resources", spy)
    return counts


def test_only_new_values_validated(pkg, tmp_path, monkeypatch):
    counts = pending_values(monkeypatch)
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    cells = 0
    for path in pkg.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            cells += sum(len(row) for row in list(csv.reader(f))[1:])
    assert 0 < counts[0] < cells / 2, "each distinct value of a field type once, not every cell"
    edit_cell(pkg / "requests.csv", 3, "natural_person", "987654")
    assert validate_changed(pkg, state) == []
    assert counts[1] == 1


def test_value_known_in_one_field_checked_in_another(pkg, tmp_path):
    """A value that passed as an agency ID is not taken as valid for a count."""
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    agency = cell_of(pkg / "requests.csv", 4, "agency_id")
    edit_cell(pkg / "requests.csv", 4, "natural_person", agency)
    assert ("requests", 4, "natural_person", "type-error") in where(validate_changed(pkg, state))


def test_forged_state_does_not_pass_bad_values(pkg, tmp_path):
    """A state signed with another key counts as empty: the bad value is validated."""
    state = tmp_path / "state"
    edit_cell(pkg / "requests.csv", 5, "natural_person", "-4")
    descriptor = check._descriptor(pkg)
    found = check.scan(pkg, descriptor)
    every = {d for v in check.cell_digests(found.cells).values() for d in v.values()}
    digest = check.hashlib.blake2b(
        check.json.dumps(descriptor["resources"], sort_keys=True).encode(), digest_size=16
    ).hexdigest()
    forged = {"format": check.STATE_FORMAT, "schema": digest, "cells": every}
    check.write_signed(state, forged, key=b"someone else's key")
    assert ("requests", 5, "natural_person", "constraint-error") in where(
        validate_changed(pkg, state)
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [(lambda cells: cells[:-1], "missing-cell"), (lambda cells: [*cells, "1"], "extra-cell")],
    ids=["short", "long"],
)
def test_row_of_wrong_length_reported(pkg, tmp_path, change, error):
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    path = pkg / "appeals.csv"
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[2] = change(table[2])
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    assert ("appeals", 3, error) in {
        (p.resource, p.row, p.type) for p in validate_changed(pkg, state)
    }


def test_blank_row_reported(pkg, tmp_path):
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    path = pkg / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    blank = "," * (lines[0].count(",")) + "\n"
    path.write_text("".join([*lines[:2], blank, *lines[2:]]), encoding="utf-8", newline="\n")
    assert ("figures", 3, "blank-row") in {
        (p.resource, p.row, p.type) for p in validate_changed(pkg, state)
    }


def test_many_empty_values_make_no_blank_rows():
    """Columns whose values are all empty still give rows frictionless accepts."""
    identities = {
        check.json.dumps([{"type": t}, {}]): ["", "1"] if t == "integer" else [""]
        for t in ("integer", "string", "number")
    }
    made = check.cell_resources(identities)
    assert all(row[0] != "" for _res, rows in made for row in rows)
    assert sorted(v for _res, rows in made for row in rows for v in row[1:]).count("") >= 3


def test_sheet_cells(tmp_path):
    """Inline strings escaped, spaces kept, no cell for None or '', dates and booleans typed."""
    import datetime as dt
    import zipfile
    from decimal import Decimal

    xml = row_xml(["a<b&c", " x ", None, "", 7, Decimal("1.50"), True, dt.date(2024, 1, 2), "\x01"])
    assert "a&lt;b&amp;c" in xml and 'xml:space="preserve"> x </t>' in xml
    assert 'r="C' not in xml and 'r="D' not in xml
    assert (
        "<v>1.50</v>" in xml and 't="b"><v>1</v>' in xml and "\x01" not in xml.replace("\x00", "")
    )
    from generator.package.excel import Workbook
    from generator.package.meta import current_release

    book = Workbook(current_release())
    book.add("flags", [xml])
    data = book.save(tmp_path / "book.xlsx").read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    row = [c.value for c in wb["flags"][3]]
    assert row[:2] == ["a<b&c", " x "] and row[2] is None and row[3] is None
    assert row[4:7] == [7, 1.5, True] and row[7] == dt.datetime(2024, 1, 2)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()[0] == "[Content_Types].xml"


def test_other_validator_validates_again(pkg, tmp_path, monkeypatch):
    """What passed under one frictionless (or this module's code) is not trusted under another."""
    state = tmp_path / "state"
    assert validate_changed(pkg, state) == []
    scanned: list = []
    real = check.scan
    monkeypatch.setattr(check, "scan", lambda *a: scanned.append(a) or real(*a))
    assert validate_changed(pkg, state) == [] and scanned == []
    monkeypatch.setattr(check, "validator_digest", lambda: "frictionless 9")
    seen: list = []
    monkeypatch.setattr(check, "validate_package", lambda d: seen.append(d) or [])
    assert validate_changed(pkg, state) == []
    assert len(scanned) == 1 and seen, "every value validated again"


def test_long_columns_wrapped_every_value_kept(monkeypatch):
    """Values are packed CELL_ROWS to a column; each still sits under its own field's type."""
    monkeypatch.setattr(check, "CELL_ROWS", 100)
    integer = check.json.dumps([{"type": "integer", "constraints": {"minimum": 0}}, {}])
    string = check.json.dumps([{"type": "string"}, {}])
    identities = {integer: [str(i) for i in range(1234)], string: ["a", "b", ""]}
    made = check.cell_resources(identities)
    got: dict[str, list[str]] = {integer: [], string: []}
    for res, rows in made:
        assert len(rows) <= 100
        for j, fld in enumerate(res["schema"]["fields"][1:], 1):
            own = {k: v for k, v in fld.items() if k != "name"}
            got[check.json.dumps([own, {}])] += [row[j] for row in rows]
    assert set(got[integer]) == set(identities[integer])
    assert set(got[string]) == set(identities[string])
    assert len(got[integer]) < 2 * 1234, "filling short columns at most doubles the work"
