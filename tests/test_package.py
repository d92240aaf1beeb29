"""The data package: valid, typed from the format definitions, and lossless (YAML -> CSV -> records)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from package_helpers import FIXTURE_ROOT, build, differences

from generator.formats import all_formats
from generator.package.check import validate_package
from generator.package.read import read_reports
from generator.package.resources import resource, resources
from generator.records import CellKind

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def fixture_pkg(tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg")
    corpus = build(FIXTURE_ROOT, out)
    return corpus, out


@pytest.fixture(scope="module")
def repo_pkg(tmp_path_factory):
    """A fresh package of the repository's own content/."""
    out = tmp_path_factory.mktemp("repo-pkg")
    corpus = build(REPO, out)
    return corpus, out


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_fixture_package_is_valid(fixture_pkg):
    _, out = fixture_pkg
    assert validate_package(out) == []


def test_repo_package_is_valid(repo_pkg):
    _, out = repo_pkg
    assert validate_package(out) == []


def test_committed_package_valid_with_frictionless_cli():
    descriptor = REPO / "datapackage" / "datapackage.json"
    assert descriptor.is_file(), "run `gongkai package` and commit datapackage/"
    done = subprocess.run(
        [str(BIN / "frictionless"), "validate", str(descriptor)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_descriptor_form(fixture_pkg):
    _, out = fixture_pkg
    data = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert data["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert data["version"]
    for res in data["resources"]:
        assert res["encoding"] == "utf-8"
        assert res["type"] == "table"
        for fld in res["schema"]["fields"]:
            assert fld["title"] and fld["description"], fld["name"]
        for fk in res["schema"].get("foreignKeys", ()):
            assert isinstance(fk["fields"], list)


def test_schema_comes_from_the_format_definitions():
    req = resource("requests").schema()
    fields = {f["name"]: f for f in req["fields"]}
    enum = fields["row_code"]["constraints"]["enum"]
    for fmt in all_formats():
        table = fmt.table("requests")
        if table is None:
            continue
        assert {r.code for r in table.rows} <= set(enum)
        for col in table.columns:
            assert fields[col.code]["constraints"]["minimum"] == 0
            assert f"{col.code}_note" in fields
    appeals = {f["name"] for f in resource("appeals").schema()["fields"]}
    assert {"upheld", "corrected", "other", "pending", "total"} <= appeals


def test_every_table_is_keyed():
    for spec in resources():
        if spec.name != "flags":
            assert spec.primary_key, spec.name
        for name, _, _ in spec.foreign_keys:
            assert name in spec.field_names


def test_blank_is_never_zero(fixture_pkg):
    _, out = fixture_pkg
    row = next(
        r
        for r in rows(out / "requests.csv")
        if r["report_id"] == "371500-wjw/2023" and r["row_code"] == "other.other"
    )
    assert (row["natural_person"], row["natural_person_note"]) == ("", "")  # blank
    assert (row["commercial"], row["commercial_note"]) == ("", "/")  # not applicable
    assert (row["legal_services"], row["legal_services_note"]) == ("", "详见附件")  # text
    assert (row["other_org"], row["other_org_note"]) == ("0", "")  # a real 0
    pro = {(r["report_id"], r["row_code"]): r for r in rows(out / "proactive.csv")}
    lic = pro["371500-wjw/2023", "licensing"]
    assert (lic["count"], lic["cell_kind"]) == ("", "blank")
    assert pro["371500-wjw/2023", "fees"]["amount"] == "66.280"  # as published


def test_one_report_rebuilt_from_csv_alone(fixture_pkg):
    """Read the CSVs through frictionless only and get the YAML's numbers and kinds back."""
    corpus, out = fixture_pkg
    got = read_reports(out)["371500-wjw/2023"]
    yaml = corpus.reports["371500-wjw/2023"]
    req = got.tables["requests"]
    assert req.cell("new", "total").value == 11
    assert req.cell("carried_forward", "natural_person").value == 2
    assert req.cell("other.other", "natural_person").kind is CellKind.BLANK
    assert req.cell("other.other", "research").kind is CellKind.NOT_APPLICABLE
    assert req.cell("other.other", "legal_services").text == "详见附件"
    assert got.tables["proactive"].cell("fees", "fee_amount").value == Decimal("66.28")
    assert got.tables["appeals"].cell("reconsideration", "pending").value == 1
    assert differences(yaml, got) == []


@pytest.mark.parametrize("which", ["fixture_pkg", "repo_pkg"])
def test_whole_corpus_round_trip(which, request):
    """YAML -> CSV -> records: every report, every cell, kinds and line ranges included."""
    corpus, out = request.getfixturevalue(which)
    back = read_reports(out)
    assert set(back) == set(corpus.reports)
    problems = [d for r in corpus.reports.values() for d in differences(r, back.get(r.id))]
    assert problems == []


def test_signed_and_decimal_columns(fixture_pkg):
    _corpus, out = fixture_pkg
    got = read_reports(out)["371500-wjw/2020"]
    assert got.tables["proactive"].cell("licensing", "change").value == -3
    assert got.tables["proactive"].cell("procurement", "amount").value == Decimal("123.45")
    assert "other" in got.tables["requests"].rows  # the 2019 format's single 其他处理 row


def test_row_counts(fixture_pkg):
    corpus, out = fixture_pkg
    assert len(rows(out / "reports.csv")) == len(corpus.reports)
    assert len(rows(out / "agencies.csv")) == len(corpus.agencies)
    n_requests = sum(len(r.tables["requests"].rows) for r in corpus.reports.values() if r.tables)
    assert len(rows(out / "requests.csv")) == n_requests
    assert len(rows(out / "flags.csv")) == len(set(corpus.diagnostics))
