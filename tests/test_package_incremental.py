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
