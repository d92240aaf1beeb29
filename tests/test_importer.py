"""The importer on the seed corpus: every number as in content/, no raw line lost, no overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import REPO, SEED_AGENCY, SEEDS, numbers, read_report

from generator.cli import main
from generator.importer.run import import_file
from generator.load import load

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus():
    return load(REPO / "content")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_reimport_matches_content(seed: Path, tmp_path: Path, corpus) -> None:
    """Re-import a seed into a tmp dir: the same reports, every cell of the same kind and value."""
    result = import_file(seed, REPO, SEED_AGENCY.get(seed.name), out=tmp_path)
    raw = f"content/raw/seeds/{seed.name}"
    expected = {k: r for k, r in corpus.reports.items() if r.source.raw == raw}
    got = {
        f"{p.parent.name}/{p.stem}": read_report(p, tmp_path)
        for p in sorted((tmp_path / "reports").glob("*/*.yaml"))
    }
    assert sorted(got) == sorted(expected), result.written
    for key, report in got.items():
        want = expected[key]
        assert report.format == want.format, key
        assert numbers(report) == numbers(want), key
        assert report.source.lines == want.source.lines, key


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_no_raw_line_is_lost(seed: Path, tmp_path: Path) -> None:
    """Each non-blank raw line is placed in a field, listed as unplaced, or listed as noise."""
    result = import_file(seed, REPO, SEED_AGENCY.get(seed.name), out=tmp_path)
    accounted = {n for d in result.drafts for n in d.placed}
    accounted |= {n for d in result.drafts for n, _ in d.unplaced}
    accounted |= {ln.no for ln in result.noise}
    lines = seed.read_text(encoding="utf-8").splitlines()
    lost = [i for i, text in enumerate(lines, 1) if text.strip() and i not in accounted]
    assert lost == []
    for draft in result.drafts:  # the reports of the seeds place every line
        if draft.kind == "report":
            assert draft.unplaced == [], (draft.start, draft.unplaced)


def test_corpus_loads_without_errors(corpus) -> None:
    assert [d for d in corpus.diagnostics if d.severity == "error"] == []
    assert len(corpus.reports) == 16
    assert set(corpus.agencies) == {
        "371500-wjw", "371500-rkjsw", "370725-wjj", "410523-wjw", "370683-wjj", "130606-wjj",
    }  # fmt: skip


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    seed = SEEDS / "003_f4ea7d55a816a5a1.txt"
    import_file(seed, REPO, out=tmp_path)
    target = tmp_path / "reports" / "370683-wjj" / "2020.yaml"
    target.write_text("edited by hand\n", encoding="utf-8")
    result = import_file(seed, REPO, out=tmp_path)
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert any("exists, kept" in w for w in result.written)
    import_file(seed, REPO, out=tmp_path, force=True)
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert not list(target.parent.glob(".*.tmp"))  # atomic writes leave no temp files


def test_cli(tmp_path: Path, capsys) -> None:
    seed = SEEDS / "000_ec87497b9b11f791.txt"
    assert main(["import", str(seed), "--out", str(tmp_path), "--root", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert "370725-wjj 2023 gov2021" in out and "table requests: 25 rows" in out
    assert main(["import", str(tmp_path / "missing.txt")]) == 2
    assert main(["import", str(seed), "--agency", "Bad ID"]) == 2


def test_new_agency_gets_a_stub(tmp_path: Path) -> None:
    seed = SEEDS / "004_dc3e789ec4419b81.txt"
    import_file(seed, REPO, agency="130600-test", out=tmp_path)
    stub = tmp_path / "agencies" / "130600-test.yaml"
    content = load(tmp_path)
    assert stub.exists() and "130600-test" in content.agencies
    assert content.agencies["130600-test"].province == "河北省"
    assert "130600-test/2024" in content.reports
