"""gongkai new: scaffolds with every field that, once filled, validate cleanly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import yamlsafe
from generator.cli import main
from generator.fmt import format_text, plan, write
from generator.load import load
from generator.paths import REPO_ROOT
from generator.schema.content import report_spec
from generator.validate import validate
from generator.yamlsafe import Mapping, Scalar, Sequence

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "package"


def seed_report() -> tuple[Path, Path]:
    """(content root, report file): a real report in table format with no errors."""
    for root in (REPO_ROOT / "content", FIXTURE / "content"):
        content = load(root)
        clean = {d.file for d in content.diagnostics + validate(content) if d.severity == "error"}
        for report in sorted(content.reports.values(), key=lambda r: r.file):
            if report.format == "gov2021" and report.file not in clean:
                return root, root.parent / report.file
    pytest.skip("no clean gov2021 report")


def node(value) -> yamlsafe.Node:
    """Plain data back to reader nodes (for writing a filled scaffold)."""
    if isinstance(value, dict):
        return Mapping(0, {k: node(v) for k, v in value.items()}, dict.fromkeys(value, 0))
    if isinstance(value, list):
        return Sequence(0, [node(v) for v in value])
    return Scalar("null", 0) if value is None else Scalar(value, 0, plain=False)


def fill(blank, seed):
    """The scaffold with the seed's values put in (lists taken whole from the seed)."""
    if isinstance(blank, dict) and isinstance(seed, dict):
        return {**blank, **{k: fill(blank.get(k), v) for k, v in seed.items()}}
    return seed


def plain(path: Path):
    return yamlsafe.to_plain(yamlsafe.parse(path.read_bytes()))


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "made"),
    [
        (["agency", "371500-wjw", "--name", "聊城市卫生健康委员会", "--level", "city"],
         "content/agencies/371500-wjw.yaml"),
        (["report", "371500-wjw", "2023"], "content/reports/371500-wjw/2023.yaml"),
        (["report", "371500-wjw", "2020"], "content/reports/371500-wjw/2020.yaml"),
        (["report", "371500-wjw", "2015"], "content/reports/371500-wjw/2015.yaml"),
        (["guide", "371500-wjw"], "content/guides/371500-wjw.yaml"),
    ],
)  # fmt: skip
def test_new_makes_a_canonical_file_and_never_overwrites(repo, capsys, argv, made):
    assert main(["new", *argv]) == 0
    assert capsys.readouterr().out.strip() == made
    text = (repo / made).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert format_text(text, repo / made) == text  # already in fmt's canonical form
    assert main(["new", *argv]) == 2
    assert (repo / made).read_text(encoding="utf-8") == text


def test_report_scaffold_has_every_row_with_blank_cells(repo):
    assert main(["new", "report", "371500-wjw", "2023"]) == 0
    data = plain(repo / "content/reports/371500-wjw/2023.yaml")
    assert data["format"] == "gov2021" and data["year"] == "2023"
    assert len(data["requests"]) == 25 and len(data["appeals"]) == 3
    assert set(data["requests"]["new"].values()) == {None}
    assert main(["new", "report", "371500-wjw", "2020"]) == 0
    assert plain(repo / "content/reports/371500-wjw/2020.yaml")["format"] == "gov2019"


def test_bad_arguments_exit_2(repo):
    assert main(["new", "report", "BAD", "2023"]) == 2
    assert main(["new", "report", "371500-wjw", "1900"]) == 2


def test_filled_scaffold_validates_cleanly(repo):
    root, report = seed_report()
    seed = plain(report)
    agency = seed["agency"]
    (repo / "content" / "agencies").mkdir()
    shutil.copy(root / "agencies" / f"{agency}.yaml", repo / "content" / "agencies")
    raw = seed.get("source", {}).get("raw")
    if raw:
        (repo / raw).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root.parent / raw, repo / raw)
    assert main(["new", "report", agency, seed["year"], "--format", seed["format"]]) == 0
    made = repo / "content" / "reports" / agency / f"{seed['year']}.yaml"
    filled = fill(plain(made), seed)
    made.write_text(write(plan(node(filled), report_spec(seed["format"]))), encoding="utf-8")
    content = load(repo / "content")
    errors = [d for d in content.diagnostics + validate(content) if d.severity == "error"]
    assert errors == []
    assert content.reports[f"{agency}/{seed['year']}"].tables["requests"].rows
