"""gongkai synth: a synthetic corpus that validates, covers every format, and is deterministic."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load
from generator.synth import synthesize
from generator.validate import validate

N = 200


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    assert main(["synth", "--reports", str(N), "--out", str(out), "--seed", "7"]) == 0
    return out


@pytest.fixture(scope="module")
def content(corpus):
    return load(corpus / "content")


def test_exact_report_count_and_no_load_problems(content):
    assert len(content.reports) == N
    assert not [d for d in content.diagnostics if d.severity != "info"]


def test_validates_without_errors_or_warnings(content):
    bad = [d.text() for d in validate(content) if d.severity in ("error", "warning")]
    assert bad == []


def test_every_format_and_level(content):
    assert set(Counter(r.format for r in content.reports.values())) == {
        "legacy",
        "gov2019",
        "gov2021",
    }
    assert {a.level for a in content.agencies.values()} == {"province", "city", "county"}


def test_some_agencies_have_lineage_and_predecessors():
    # a larger corpus, so that the rarer merged predecessors appear
    from generator.synth.plan import plans

    found = list(plans("7", 2000))
    assert sum(len(p.years) for p in found) == 2000
    assert any(p.dissolved for p in found)
    assert all(p.lineage for p in found if not p.dissolved)


def test_narrative_length_and_vocabulary(content):
    report = next(r for r in content.reports.values() if r.format == "gov2021")
    text = report.preface + "".join(s.text for s in report.sections)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert 2000 <= chinese <= 4500
    assert "政府信息公开" in text


def test_same_seed_same_bytes(corpus, tmp_path):
    synthesize(tmp_path, N, seed=7)
    assert _digest(tmp_path / "content") == _digest(corpus / "content")


def test_other_seed_other_corpus(corpus, tmp_path):
    synthesize(tmp_path, 20, seed=8)
    first = sorted((tmp_path / "content" / "agencies").iterdir())[0]
    assert first.read_bytes() != (corpus / "content" / "agencies" / first.name).read_bytes()


def test_usage_error(tmp_path, capsys):
    assert main(["synth", "--reports", "0", "--out", str(tmp_path)]) == 2


def test_parallel_load_equals_sequential(tmp_path, monkeypatch):
    """A large corpus loads in worker processes; the result is the same as one by one."""
    import generator.load as loader

    synthesize(tmp_path, loader.PARALLEL_MIN_FILES + 10, seed=3)
    parallel = load(tmp_path / "content", cache=False)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 10**9)
    sequential = load(tmp_path / "content", cache=False)
    for attr in ("reports", "agencies", "guides", "diagnostics", "files"):
        assert getattr(parallel, attr) == getattr(sequential, attr), attr
