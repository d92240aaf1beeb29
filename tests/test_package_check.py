"""Validation catches bad rows; `gongkai package --check` catches a package that drifted."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from package_helpers import FIXTURE_ROOT, build

from generator.cli import main
from generator.package.check import validate_package

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def pkg(tmp_path) -> Path:
    out = tmp_path / "pkg"
    build(FIXTURE_ROOT, out)
    return out


def types(problems) -> set[tuple[str, str | None, str]]:
    return {(p.resource, p.field, p.type) for p in problems}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="\n")


def test_unknown_report_id_fails(pkg):
    replace_in(pkg / "appeals.csv", "371500-wjw/2020,", "371500-wjw/1999,")
    assert ("appeals", None, "foreign-key") in types(validate_package(pkg))


def test_unknown_agency_fails(pkg):
    replace_in(pkg / "remedies.csv", "371500-wjw,", "110000-nobody,")
    assert ("remedies", None, "foreign-key") in types(validate_package(pkg))


def test_negative_count_fails(pkg):
    path = pkg / "requests.csv"
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    column = table[0].index("natural_person")
    table[1][column] = "-" + table[1][column]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    assert ("requests", "natural_person", "constraint-error") in types(validate_package(pkg))


def test_unknown_row_code_fails(pkg):
    replace_in(pkg / "requests.csv", ",carried_over,", ",carried_away,")
    assert ("requests", "row_code", "constraint-error") in types(validate_package(pkg))


def test_gbk_file_fails(pkg):
    """The declared utf-8 encoding is what makes a GBK-encoded CSV fail."""
    path = pkg / "agencies.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert validate_package(pkg) != []


def test_check_passes_then_fails_after_unpackaged_edit(tmp_path):
    """On a copy of the repository's content/ and committed datapackage/."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "datapackage", tmp_path / "datapackage")
    assert main(["package", "--check", "--root", str(tmp_path)]) == 0
    edit_content(tmp_path / "content")
    assert main(["package", "--check", "--root", str(tmp_path)]) == 1


def edit_content(content: Path) -> None:
    """Change one number of one report; with no report yet, add an agency."""
    for path in sorted((content / "reports").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"(total: )(\d+)", text)
        if m:
            bumped = f"{m.group(1)}{int(m.group(2)) + 1}"
            path.write_text(text[: m.start()] + bumped + text[m.end() :], encoding="utf-8")
            return
    target = content / "agencies" / "371502-wjj.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE_ROOT / "content" / "agencies" / "371502-wjj.yaml", target)


def test_check_lists_differing_files(tmp_path, capsys):
    shutil.copytree(FIXTURE_ROOT / "content", tmp_path / "content")
    assert main(["package", "--root", str(tmp_path)]) == 0
    replace_in(
        tmp_path / "content/reports/371500-wjw/2023.yaml",
        "reconsideration: {upheld: 2",
        "reconsideration: {upheld: 3",
    )
    assert main(["package", "--check", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "appeals.csv" in out and "requests.csv" not in out


def test_invalid_package_leaves_previous_intact(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE_ROOT / "content", tmp_path / "content")
    assert main(["package", "--root", str(tmp_path)]) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "datapackage").iterdir()}
    from generator.commands import package as command

    monkeypatch.setattr(command, "validate_package", lambda d: ["boom"])
    monkeypatch.setattr(command, "build", lambda *a: False)
    assert main(["package", "--root", str(tmp_path)]) == 1
    after = {p.name: p.read_bytes() for p in (tmp_path / "datapackage").iterdir()}
    assert after == before
    assert not list(tmp_path.glob(".datapackage-*"))


def test_help():
    with pytest.raises(SystemExit) as exc:
        main(["package", "--help"])
    assert exc.value.code == 0
