"""gongkai fmt: canonical, idempotent, keeps every value and every comment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import yamlsafe
from generator.cli import main
from generator.fmt import FmtError, format_text
from generator.load import discover
from generator.paths import REPO_ROOT

CONTENT = REPO_ROOT / "content"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
FILES = [*discover(CONTENT), *sorted(FIXTURES.rglob("content/*/**/*.yaml"))]
FILES = [f for f in FILES if f.parent.name != "raw" and "raw" not in f.parts]
TRICKY = """\
# 文件头注释
year: 2023   # 年度
agency: 371500-wjw
format: gov2021
title: '测试 # 不是注释'
extra_key: 0635
source:   # 来源
  # 原始文本
  lines: 1-2   # 行号

  raw: content/raw/x.txt
# 期间前
period: {start: 2023-01-01, end: 2023-12-31}
notes: >
  折叠
  文本
sections:
  - text: |
      第一行
        缩进
    heading: 一、总体情况   # 标题
  # 第二节前
  - heading: "no"
    text: "yes"
requests:
  total: {total: 9, natural_person: 9}
  new: {total: 11,   # 流内注释
     natural_person: 11}
  # 行间注释
  carried_over:
    total: ~
    natural_person: ''   # 块内
appeals: {}
# 文件尾
"""


def pairs(node, path=()) -> set[tuple]:
    """(field path, value) for every leaf, as the validator's reader sees it."""
    plain = yamlsafe.to_plain(node) if not isinstance(node, (dict, list, str)) else node
    if isinstance(plain, dict):
        return {p for k, v in plain.items() for p in pairs(v, (*path, k))}
    if isinstance(plain, list):
        return {p for i, v in enumerate(plain) for p in pairs(v, (*path, i))} | {(path, "[]")}
    return {(path, plain)}


def read(text: str):
    return yamlsafe.to_plain(yamlsafe.parse(text.encode("utf-8")))


def test_content_on_main_is_canonical(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    assert main(["fmt", "--check", "content/"]) == 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_values_never_change_and_twice_is_once(path: Path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text, path)
    assert pairs(read(once)) == pairs(read(text))
    assert format_text(once, path) == once


def test_comments_survive_and_go_where_they_belong(tmp_path):
    path = tmp_path / "content" / "reports" / "371500-wjw" / "2023.yaml"
    once = format_text(TRICKY, path)
    lines = once.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../schemas/report.schema.json"
    assert lines[1] == "# 文件头注释" and lines[-1] == "# 文件尾"
    assert lines[lines.index("# 期间前") + 1].startswith("period:")
    assert "  new: {natural_person: 11, total: 11}  # 流内注释" in lines
    assert lines[lines.index("  # 行间注释") + 1].startswith("  carried_over:")
    assert "year: 2023  # 年度" in lines and "source:  # 来源" in lines
    assert format_text(once, path) == once
    assert pairs(read(once)) == pairs(read(TRICKY))


def test_canonical_order_and_style(tmp_path):
    path = tmp_path / "content" / "reports" / "371500-wjw" / "2023.yaml"
    lines = format_text(TRICKY, path).splitlines()
    keys = [ln.split(":")[0] for ln in lines if ln[:1].isalpha()]
    assert keys[:4] == ["agency", "year", "format", "title"]
    assert keys[-1] == "extra_key"  # unknown keys kept, at the end
    rows = [ln.split(":")[0].strip() for ln in lines if ln.startswith("  ") and "{" in ln]
    assert rows[-3:] == ["new", "carried_over", "total"]  # the format's row order
    assert "notes: |" in lines and "    text: |-" in lines  # narrative as literal blocks
    assert '  - heading: "no"' in lines and 'extra_key: "0635"' in lines


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0635", '"0635"'),
        ("'010010'", '"010010"'),
        ('"no"', '"no"'),
        ("'yes'", '"yes"'),
        ("'on'", '"on"'),
        ("'off'", '"off"'),
        ("'1.0'", '"1.0"'),
        ("'8:30'", '"8:30"'),
        ("'~'", '"~"'),
        ("''", '""'),
        ("~", "null"),
        ("", "null"),
        ('"2024-01-20"', "2024-01-20"),
        ("0635-8436502", "0635-8436502"),
        ('"聊城市"', "聊城市"),
    ],
)
def test_quoting_of_what_yaml_would_misread(written: str, expected: str):
    text = f"id: 371500-wjw\nname: 甲\nsector: {written}\n"
    out = format_text(text).splitlines()
    assert f"sector: {expected}" in out
    assert read("\n".join(out)) == read(text)


def test_booleans_and_numbers_in_typed_fields_stay_plain():
    text = "agency: 371500-wjw\nyear: '2023'\nformat: legacy\ntitle: t\npartial: 'true'\n"
    out = format_text(text).splitlines()
    assert "partial: true" in out and "year: 2023" in out


def test_check_lists_changed_files_and_exits_1(tmp_path, capsys):
    target = tmp_path / "content" / "reports" / "371500-wjw"
    target.mkdir(parents=True)
    (target / "2023.yaml").write_text(TRICKY, encoding="utf-8")
    assert main(["fmt", "--check", str(tmp_path / "content")]) == 1
    assert "2023.yaml" in capsys.readouterr().out
    assert (target / "2023.yaml").read_text(encoding="utf-8") == TRICKY
    assert main(["fmt", str(tmp_path / "content")]) == 0
    assert main(["fmt", "--check", str(tmp_path / "content")]) == 0


def test_unreadable_file_is_reported_and_left_alone(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: &x 1\nb: *x\n", encoding="utf-8")
    assert main(["fmt", str(bad)]) == 1
    assert "锚点" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "a: &x 1\nb: *x\n"
    with pytest.raises(FmtError):
        format_text("a: [1\n")


def test_fixture_copy_keeps_its_schema_line(tmp_path):
    source = FIXTURES / "package" / "content" / "agencies" / "371500-wjw.yaml"
    copy = tmp_path / "agency.yaml"
    shutil.copy(source, copy)
    assert (
        format_text(copy.read_text(encoding="utf-8"), copy)
        .splitlines()[0]
        .startswith("# yaml-language-server: $schema=../../schemas/agency")
    )
