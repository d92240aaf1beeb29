"""Downloads: deterministic files (CSV, JSON, xlsx, zip), the workbook, the downloads page, citation."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from package_helpers import FIXTURE_ROOT

from generator.commands.package import load_corpus
from generator.package.excel import workbook_bytes
from generator.package.meta import current_release
from generator.package.resources import resources
from generator.package.site import pages, report_download_paths, write_downloads
from generator.package.write import descriptor

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(FIXTURE_ROOT)


@pytest.fixture(scope="module")
def downloads(corpus, tmp_path_factory) -> tuple[Path, Path]:
    a, b = tmp_path_factory.mktemp("dl-a"), tmp_path_factory.mktemp("dl-b")
    write_downloads(corpus, a)
    write_downloads(corpus, b)
    return a, b


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_runs_identical_bytes(downloads):
    a, b = downloads
    ta, tb = tree(a), tree(b)
    assert ta.keys() == tb.keys()
    assert [k for k in ta if ta[k] != tb[k]] == []
    for name in ("gongkai-datapackage.zip", "gongkai.xlsx", "datapackage.json", "requests.csv"):
        assert name in ta


def test_package_identical_across_hash_seeds(tmp_path):
    """Set order must never leak into the output: two processes, two hash seeds."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "generator", "package", "--root", str(FIXTURE_ROOT)]
        subprocess.run([*cmd, "--out", str(out)], check=True, env=env, capture_output=True)
        outs.append(tree(out))
    assert outs[0] == outs[1]


def test_csv_bytes_utf8_lf(downloads):
    a, _ = downloads
    for spec in resources():
        data = (a / f"{spec.name}.csv").read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" not in data
        data.decode("utf-8")


def test_zip_sorted_fixed_dates(downloads):
    a, _ = downloads
    with zipfile.ZipFile(a / "gongkai-datapackage.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert "gongkai-datapackage/datapackage.json" in names
        stamp = current_release().timestamp.timetuple()[:6]
        assert {i.date_time for i in zf.infolist()} == {stamp}
        assert zf.read("gongkai-datapackage/requests.csv") == (a / "requests.csv").read_bytes()


def test_workbook(corpus):
    data = workbook_bytes(corpus)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert set(wb.sheetnames) >= {s.name for s in resources()}
    ws = wb["requests"]
    header = [c.value for c in ws[2]]
    assert header[:2] == ["report_id", "agency_id"]
    assert ws["F1"].value == "行标签"
    rows = {
        (r[0], r[4]): dict(zip(header, r, strict=True))
        for r in ws.iter_rows(min_row=3, values_only=True)
    }
    other = rows["371500-wjw/2023", "other.other"]
    assert other["natural_person"] is None and other["natural_person_note"] is None  # blank
    assert other["other_org"] == 0 and other["legal_services_note"] == "详见附件"
    assert rows["371500-wjw/2023", "new"]["row_label"] == "一、本年新收政府信息公开申请数量"
    assert wb.properties.modified == current_release().timestamp


def test_workbook_splits_long_tables(corpus):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(corpus, max_rows=10)))
    assert {"requests", "requests_2", "requests_3", "requests_4"} <= set(wb.sheetnames)


def test_report_files(downloads, corpus):
    a, _ = downloads
    report = corpus.reports["371500-wjw/2023"]
    csv_path, json_path = report_download_paths(report)
    assert csv_path == "downloads/reports/371500-wjw/2023.csv"
    assert json_path == "downloads/reports/371500-wjw/2023.json"
    doc = json.loads((a / "reports/371500-wjw/2023.json").read_text(encoding="utf-8"))
    cells = {r["row"]: r["cells"] for r in doc["tables"]["requests"]}
    assert cells["new"]["total"] == {"kind": "number", "value": 11}
    assert cells["other.other"]["natural_person"] == {"kind": "blank"}
    assert cells["other.other"]["commercial"] == {"kind": "not_applicable", "text": "/"}
    assert doc["data_version"] == current_release().version
    with open(a / "reports/371500-wjw/2023.csv", encoding="utf-8", newline="") as f:
        lines = list(csv.DictReader(f))
    fee = next(r for r in lines if r["row_code"] == "fees")
    assert (fee["value"], fee["cell_kind"], fee["unit"]) == ("66.280", "number", "万元")


def test_downloads_page_documents_every_field(corpus):
    page, changelog = pages(corpus)
    assert page.path == "downloads.md"
    desc = descriptor(current_release())
    for res in desc["resources"]:
        assert f"`{res['name']}`" in page.body
        for fld in res["schema"]["fields"]:
            assert f"`{fld['name']}`" in page.body
    assert "CC BY 4.0" in page.body and "MIT" in page.body
    assert current_release().citation() in page.body
    assert "[DS/OL]" in page.body
    assert changelog.path in page.body
    assert current_release().version in changelog.body


def test_citation_cff_matches_changelog():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    release = current_release()
    assert cff["version"] == release.version
    assert str(cff["date-released"]) == release.date.isoformat()
    assert cff["license"] == "CC-BY-4.0"
    committed = json.loads((REPO / "datapackage/datapackage.json").read_text(encoding="utf-8"))
    assert committed["version"] == release.version
