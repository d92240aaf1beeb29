"""GitHub workflows, issue forms and the PR validate step, checked locally."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.fmt import format_text
from generator.load import load
from generator.paths import REPO_ROOT
from generator.validate import validate

GITHUB = REPO_ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps it a string.
    return yaml.load((GITHUB / "workflows" / name).read_text(encoding="utf-8"), yaml.BaseLoader)


def steps(doc: dict) -> list[dict]:
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


def uses(doc: dict) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(doc) if "uses" in s]


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", [GITHUB / "ISSUE_TEMPLATE" / "data-error.yml"]),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ],
)
def test_files_pass_the_schema_linter(schema: str, files: list[Path]):
    cmd = [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_workflow_runs_pull_request_code_with_write_access():
    for path in WORKFLOWS:
        doc = workflow(path.name)
        triggers = doc["on"] if isinstance(doc["on"], (dict, list)) else [doc["on"]]
        assert "pull_request_target" not in triggers, path.name
        assert "workflow_run" not in triggers, path.name


def test_deploy_uses_pages_artifacts_never_a_branch():
    doc = workflow("deploy.yml")
    assert doc["on"]["push"]["branches"] == ["main"]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(doc))
    deploy = doc["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert doc["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") + str(s.get("with", "")) for s in steps(doc))
    assert "gh-pages" not in runs and "git push" not in runs
    assert "peaceiris/actions-gh-pages" not in uses(doc)
    setup = next(s for s in steps(doc) if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert any(str(s.get("run", "")).endswith("make site") for s in steps(doc))
    assert any("rm -rf .cache" in str(s.get("run", "")) for s in steps(doc))  # never trusted


def test_pr_workflow_validates_changed_files_with_annotations():
    doc = workflow("pr.yml")
    assert list(doc["on"]) == ["pull_request"]
    assert doc["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for s in steps(doc))
    assert "validate --format github" in runs and "GITHUB_STEP_SUMMARY" in runs
    assert "fmt --check" in runs and "package --check" in runs and "make site" in runs
    assert "diff" in runs and "BASE_SHA" in runs
    assert "actions/upload-artifact" in uses(doc)
    assert "${{ github.event.pull_request.head" not in runs  # no untrusted text in scripts


def _validate_step() -> str:
    return next(
        s["run"] for s in steps(workflow("pr.yml")) if "--format github" in s.get("run", "")
    )


def _clean_report() -> tuple[Path, Path]:
    for root in (REPO_ROOT / "content", REPO_ROOT / "tests" / "fixtures" / "package" / "content"):
        content = load(root)
        bad = {d.file for d in content.diagnostics + validate(content) if d.severity == "error"}
        for r in sorted(content.reports.values(), key=lambda r: r.file):
            if r.format == "gov2021" and r.file not in bad and "carried_forward" in str(r.tables):
                return root, root.parent / r.file
    pytest.skip("no clean gov2021 report")


def _break_balance(text: str) -> tuple[str, int]:
    """Add 1 to carried_forward's natural_person and total: only the 勾稽关系 breaks."""
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("  carried_forward: {"))

    def bump(m: re.Match) -> str:
        return f"{m.group(1)}{int(m.group(2)) + 1}"

    lines[at] = re.sub(r"(\b(?:natural_person|total): )(\d+)", bump, lines[at])
    return "\n".join(lines) + "\n", at + 1


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_pr_validate_step_annotates_the_broken_line(tmp_path):
    root, report = _clean_report()
    repo = tmp_path / "repo"
    shutil.copytree(root, repo / "content")
    (repo / ".venv").mkdir()
    (repo / ".venv" / "bin").symlink_to(BIN)
    rel = report.relative_to(root.parent).as_posix()
    broken, line = _break_balance(format_text(report.read_text(encoding="utf-8"), report))
    (repo / rel).write_text(broken, encoding="utf-8")
    temp, summary = tmp_path / "runner", tmp_path / "summary.md"
    temp.mkdir()
    (temp / "changed").write_bytes(rel.encode() + b"\0")
    env = {**os.environ, "RUNNER_TEMP": str(temp), "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(
        ["bash", "-e", "-c", _validate_step()],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    hits = [ln for ln in done.stdout.splitlines() if "title=requests_balance" in ln]
    assert hits and all(ln.startswith(f"::error file={rel},line={line},") for ln in hits)
    assert "requests_balance" in summary.read_text(encoding="utf-8")
