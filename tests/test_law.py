"""Statutory defaults and the "guides against the law" check (SPEC §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import law
from generator.law import check_guide, effective_time_limits
from generator.load import load
from generator.records import Guide, Remedy, TimeLimit

REPO = Path(__file__).resolve().parent.parent
HEAD = "# yaml-language-server: $schema=../../schemas/guide.schema.json\n"
GUIDE = """agency: 110000-wjw
title: 某市卫生健康委员会政府信息公开指南
time_limits:
  proactive: {days: 20, unit: working_days}
  answer:
    days: 15
    unit: working_days
    text: 自收到申请之日起15个工作日内予以答复
  extension: {days: 20, unit: working_days}
remedies:
  - type: reconsideration
    body: 某市人民政府
    period: {days: 60, unit: days}
  - type: litigation
    body: 某区人民法院
    period: {days: 3, unit: months}
  - type: litigation
    period: {days: 15, unit: days}
"""


def _guide(tmp_path: Path, text: str) -> Guide:
    (tmp_path / "content" / "guides").mkdir(parents=True)
    (tmp_path / "content" / "guides" / "110000-wjw.yaml").write_text(HEAD + text, "utf-8")
    content = load(tmp_path / "content")
    assert not [d for d in content.diagnostics if d.severity == "error"], content.diagnostics
    return content.guides["110000-wjw"]


def _line_of(text: str, needle: str) -> int:
    return (HEAD + text).splitlines().index(needle) + 1


def test_liaocheng_guide_agrees_with_the_law():
    content = load(REPO / "content")
    guide = content.guides["371500-wjw"]
    assert check_guide(guide) == []
    errors = [d for d in content.diagnostics if d.file == guide.file and d.severity == "error"]
    assert errors == []


def test_outdated_15_working_days_is_flagged_at_its_line(tmp_path):
    guide = _guide(tmp_path, GUIDE)
    found = {d.path: d for d in check_guide(guide)}
    d = found["time_limits.answer.days"]
    assert d.check == "guide_against_law"
    assert d.severity == "warning"
    assert d.file == "content/guides/110000-wjw.yaml"
    assert d.line == _line_of(GUIDE, "    days: 15")
    assert "第三十三条" in d.message and "20个工作日" in d.message
    assert "旧规定" in d.message and "15个工作日" in d.message
    assert d.text().startswith(f"content/guides/110000-wjw.yaml:{d.line}: warning")


def test_remedy_periods_against_the_law(tmp_path):
    guide = _guide(tmp_path, GUIDE)
    found = {d.path: d for d in check_guide(guide)}
    assert set(found) == {"time_limits.answer.days", "remedies[1].period.days"}
    litigation = found["remedies[1].period.days"]
    assert litigation.line == _line_of(GUIDE, "    period: {days: 3, unit: months}")
    assert "第四十六条" in litigation.message and "第四十五条" in litigation.message
    assert "3个月" in litigation.message


@pytest.mark.parametrize(
    ("kind", "period", "flagged"),
    [
        ("reconsideration", TimeLimit(60, "days"), False),
        ("reconsideration", TimeLimit(30, "days"), True),
        ("reconsideration", TimeLimit(2, "months"), True),
        ("litigation", TimeLimit(6, "months"), False),
        ("litigation", TimeLimit(15, "days"), False),
        ("litigation", TimeLimit(3, "months"), True),
        ("correction", TimeLimit(10, "days"), False),
        ("litigation", TimeLimit(None, "months"), False),
    ],
)
def test_remedy_periods(kind, period, flagged):
    guide = Guide("x", "t", "g.yaml", {}, remedies=(Remedy(kind, period=period),))
    assert bool(check_guide(guide)) is flagged


def test_a_guide_that_states_nothing_is_not_flagged():
    assert check_guide(Guide("x", "t", "g.yaml", {})) == []


def test_unit_matters():
    guide = Guide("x", "t", "g.yaml", {}, time_limits={"answer": TimeLimit(20, "days")})
    (d,) = check_guide(guide)
    assert "20日" in d.message and d.line == 0


def test_statutory_values():
    assert (law.ANSWER.days, law.ANSWER.unit, law.ANSWER.article) == (
        20,
        "working_days",
        "第三十三条",
    )
    assert (law.EXTENSION.days, law.PROACTIVE.days, law.PROACTIVE.article) == (20, 20, "第二十六条")
    assert law.RECONSIDERATION.citation == "《中华人民共和国行政复议法》第二十条"
    assert (law.LITIGATION.days, law.LITIGATION.unit) == (6, "months")
    assert law.LITIGATION_AFTER_RECONSIDERATION.article == "第四十五条"
    assert law.outdated_rule("answer", TimeLimit(15, "working_days")) is not None


def test_effective_time_limits_mark_own_and_law_values():
    own = TimeLimit(10, "working_days", "10个工作日内答复")
    guide = Guide("x", "t", "g.yaml", {}, time_limits={"answer": own})
    values = effective_time_limits(guide)
    assert values["answer"] == (own, True)
    default, is_own = values["extension"]
    assert (default.days, is_own) == (20, False) and "第三十三条" in default.text
    assert all(not is_own for _, is_own in effective_time_limits(None).values())
