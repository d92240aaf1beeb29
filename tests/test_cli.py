"""The command line: --help everywhere, exit codes scripts can rely on, output formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from spine_helpers import R2023, fixture_copy, mutate

from generator.cli import command_modules, main

BALANCE_ROW = (
    "carried_forward: {natural_person: 2, commercial: 0, research: 0, "
    "public_interest: 0, legal_services: 0, other_org: 0, total: 2}"
)
BROKEN_ROW = BALANCE_ROW.replace("total: 2", "total: 3").replace("person: 2", "person: 3")


def gongkai(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("name", sorted(command_modules()))
def test_every_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert f"gongkai {name}" in out and len(out.splitlines()) > 3


def test_a_command_imports_only_its_own_module():
    """`gongkai package` does not pay for importing the site builder (0.4 s a run)."""
    code = (
        "import sys; from generator.cli import main\n"
        "try: main(['package', '--help'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('generator.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "['generator.commands.package']"


def test_unknown_command_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    assert "package" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_validate_clean_fixture_exits_0(tmp_path):
    root = fixture_copy(tmp_path)
    assert gongkai("validate", "--root", str(root)).returncode == 0


def test_broken_balance_in_a_copy(tmp_path):
    """Copy a report, break the 勾稽关系: exit 1, FILE:LINE and check id in every format."""
    root = fixture_copy(tmp_path)
    copy = tmp_path / "copy.yaml"
    copy.write_text((root / R2023).read_text(encoding="utf-8"), encoding="utf-8")
    line = mutate(tmp_path, "copy.yaml", BALANCE_ROW, BROKEN_ROW)
    text = gongkai("validate", str(copy), "--root", str(root))
    assert text.returncode == 1
    assert f"copy.yaml:{line}: error [requests_balance]" in text.stdout
    github = gongkai("validate", str(copy), "--root", str(root), "--format", "github")
    assert github.returncode == 1
    assert any(
        x.startswith("::error file=") and f",line={line}," in x and "requests_balance" in x
        for x in github.stdout.splitlines()
    )
    data = json.loads(
        gongkai("validate", str(copy), "--root", str(root), "--format", "json").stdout
    )
    assert data["counts"]["error"] >= 1
    assert {"file", "line", "path", "check", "severity", "message"} <= set(data["diagnostics"][0])


def test_usage_errors_exit_2(tmp_path):
    root = fixture_copy(tmp_path)
    assert gongkai("validate", "no/such/file.yaml", "--root", str(root)).returncode == 2
    assert gongkai("validate", "--format", "xml").returncode == 2
    assert gongkai("nonsense").returncode == 2


HEAD = b"agency: 371500-wjw\nyear: 2023\nformat: gov2021\ntitle: t\n"


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b"a: [1\n", "yaml_syntax"),
        (b"a: &x [1, 2]\nb: [*x, *x]\n", "yaml_alias"),
        (HEAD + b"title: u\n", "yaml_duplicate_key"),
        (HEAD.replace(b"year: 2023", b"year: many"), "schema_type"),
    ],
)
def test_bad_files_get_one_diagnostic_exit_1_no_traceback(tmp_path, data, check):
    root = fixture_copy(tmp_path)
    (root / R2023).write_bytes(data)
    result = gongkai("validate", "--root", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    mine = [x for x in result.stdout.splitlines() if x.startswith(R2023 + ":")]
    assert len([x for x in mine if "error" in x]) == 1, mine
    assert f"[{check}]" in mine[0]


def test_text_in_a_count_cell_is_kept_and_flagged(tmp_path):
    """SPEC: a cell keeps text the source printed (详见附件); it is flagged, not refused."""
    root = fixture_copy(tmp_path)
    mutate(root, R2023, "punishment: {decisions: 101}", "punishment: {decisions: 详见附件}")
    result = gongkai("validate", "--root", str(root))
    assert result.returncode == 0
    assert "[cell_text]" in result.stdout


def test_schemas_are_up_to_date(repo):
    assert gongkai("schema", "--check", "--root", str(repo)).returncode == 0
