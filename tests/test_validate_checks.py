"""Every validator check: the fixture passes it, one mutation fails it at the exact line."""

from __future__ import annotations

import pytest
from spine_helpers import AGENCY, R2022, R2023, checks, diagnose, fixture_copy, mutate


@pytest.fixture
def root(tmp_path):
    return fixture_copy(tmp_path)


def test_fixture_corpus_is_clean(root):
    assert diagnose(root) == set()


# (name, file, old text, new text, expected check id, expected severity)
FAILURES = [
    (
        "balance",
        R2023,
        "carried_forward: {natural_person: 2, commercial: 0, research: 0, public_interest: 0, "
        "legal_services: 0, other_org: 0, total: 2}",
        "carried_forward: {natural_person: 3, commercial: 0, research: 0, public_interest: 0, "
        "legal_services: 0, other_org: 0, total: 3}",
        "requests_balance",
        "error",
    ),
    (
        "applicant sum",
        R2023,
        "partly_granted: {natural_person: 2, commercial: 0, research: 0, "
        "public_interest: 0, legal_services: 0, other_org: 0, total: 2}",
        "partly_granted: {natural_person: 2, commercial: 0, research: 0, "
        "public_interest: 0, legal_services: 0, other_org: 0, total: 5}",
        "requests_applicant_sum",
        "error",
    ),
    (
        "outcome sum",
        R2023,
        "granted: {natural_person: 2, commercial: 2, research: 0, "
        "public_interest: 0, legal_services: 0, other_org: 0, total: 4}",
        "granted: {natural_person: 3, commercial: 2, research: 0, "
        "public_interest: 0, legal_services: 0, other_org: 0, total: 5}",
        "requests_outcome_sum",
        "error",
        "  total: {natural_person: 7",
    ),
    (
        "appeals sum",
        R2023,
        "reconsideration: {upheld: 2, corrected: 0, other: 0, pending: 1, total: 3}",
        "reconsideration: {upheld: 2, corrected: 0, other: 0, pending: 1, total: 4}",
        "appeals_sum",
        "error",
    ),
    (
        "title year",
        R2023,
        "title: 聊城市卫生健康委2023年度",
        "title: 聊城市卫生健康委2022年度",
        "year_title",
        "warning",
    ),
    (
        "period year",
        R2023,
        "period: {start: 2023-01-01",
        "period: {start: 2022-01-01",
        "year_period",
        "warning",
    ),
    (
        "narrative",
        R2023,
        "共受理政府信息公开申请11件",
        "共受理政府信息公开申请12件",
        "narrative_table",
        "warning",
    ),
    ("late", R2023, "published: 2024-01-20", "published: 2024-03-01", "late_report", "info"),
    (
        "dated before year end",
        R2023,
        "published: 2024-01-20",
        "published: 2023-01-16",
        "year_published",
        "warning",
    ),
    (
        "raw missing",
        R2023,
        "raw: content/raw/sample.txt",
        "raw: content/raw/nothing.txt",
        "source_raw_missing",
        "error",
    ),
    ("raw lines", R2023, "lines: 1-68", "lines: 1-6800", "source_lines_range", "error"),
    (
        "unknown agency",
        R2023,
        "agency: 371500-wjw",
        "agency: 371500-abc",
        "agency_unknown",
        "error",
    ),
    (
        "carry over",
        R2023,
        "carried_over: {natural_person: 0",
        "carried_over: {natural_person: 1",
        "carry_over",
        "warning",
    ),
    ("unknown key", R2023, "partly_granted:", "partly_grantd:", "schema_unknown_key", "error"),
    (
        "count is a word",
        R2023,
        "punishment: {decisions: 101}",
        "punishment: {decisions: many}",
        "cell_text",
        "info",
    ),
    (
        "negative count",
        R2023,
        "punishment: {decisions: 101}",
        "punishment: {decisions: -1}",
        "cell_negative",
        "error",
    ),
    ("bad enum", AGENCY, "level: city", "level: town", "schema_enum", "error"),
    ("bad date", R2023, "published: 2024-01-20", "published: 2024/01/20", "schema_date", "error"),
    (
        "url scheme",
        R2023,
        "  raw: content/raw/sample.txt",
        "  url: javascript:alert(1)\n  raw: content/raw/sample.txt",
        "schema_url_scheme",
        "error",
    ),
    ("bad id", AGENCY, "id: 371500-wjw", "id: ../etc", "schema_pattern", "error"),
    ("year as word", R2023, "year: 2023", "year: twenty", "schema_type", "error"),
    (
        "duplicate key",
        R2023,
        "format: gov2021",
        "format: gov2021\nformat: gov2019",
        "yaml_duplicate_key",
        "error",
        "format: gov2019",
    ),
    ("syntax", R2023, "format: gov2021", "format: gov2021: x", "yaml_syntax", "error"),
]
FAILURES = [(*f, None) if len(f) == 6 else f for f in FAILURES]


def _line_of(root, rel: str, text: str) -> int:
    content = (root / rel).read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


@pytest.mark.parametrize(
    ("name", "rel", "old", "new", "check", "severity", "at"), FAILURES, ids=[f[0] for f in FAILURES]
)
def test_check_fails_at_line(root, name, rel, old, new, check, severity, at):
    """The mutation is reported with this check id, at the mutated line (or at ``at``)."""
    line = mutate(root, rel, old, new)
    if at is not None:
        line = _line_of(root, rel, at)
    found = diagnose(root)
    assert (rel, line, check, severity) in found, sorted(found)


def test_requests_missing_row_is_reported(root):
    path = root / R2023
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [x for x in lines if not x.startswith("  withheld.third_party:")]
    path.write_text("".join(kept), encoding="utf-8")
    assert "table_row_missing" in checks(root)


def test_filename_must_match_id(root):
    (root / R2023).rename(root / "content/reports/371500-wjw/2021.yaml")
    found = diagnose(root)
    assert ("content/reports/371500-wjw/2021.yaml", 3, "id_filename", "error") in found


def test_preface_naming_another_year(root):
    mutate(root, R2023, "sections:", "preface: 现公布2022年政府信息公开工作年度报告。\nsections:")
    assert "year_text" in checks(root)


def test_confirmed_source_issue_becomes_warning(root):
    line = (
        mutate(
            root,
            R2023,
            "appeals:\n  reconsideration: {upheld: 2, corrected: 0, other: 0, "
            "pending: 1, total: 3}",
            "appeals:\n  reconsideration: {upheld: 2, corrected: 0, "
            "other: 0, pending: 1, total: 4}",
        )
        + 1
    )
    assert (R2023, line, "appeals_sum", "error") in diagnose(root)
    mutate(
        root,
        R2023,
        "proactive:",
        "source_issues:\n  - {check: appeals_sum, field: "
        "appeals.reconsideration.total, note: 原文如此}\nproactive:",
    )
    found = diagnose(root)
    assert any(d[2] == "appeals_sum" and d[3] == "warning" for d in found)
    assert not any(d[3] == "error" for d in found)


def test_copied_text_between_reports(root):
    sentences = "".join(
        f"这是第{i}句很长的关于政府信息公开工作的重复叙述文字内容，用来检测照抄。" for i in range(8)
    )
    for rel in (R2022, R2023):
        mutate(root, rel, "    text: |\n", f"    text: |\n      {sentences}\n")
    assert "copied_text" in checks(root)


def test_schema_comment_is_expected_on_the_first_line(root):
    mutate(root, AGENCY, "# yaml-language-server", "# yaml-language-sever")
    assert (AGENCY, 1, "schema_comment", "info") in diagnose(root)


@pytest.mark.parametrize(
    "raw",
    [
        "content/raw/../../etc/passwd",
        "/etc/passwd",
        "content/raw/.hidden",
        "content/raw/a/../../../x",
    ],
)
def test_raw_path_cannot_leave_content_raw(root, raw):
    line = mutate(root, R2023, "raw: content/raw/sample.txt", f"raw: {raw}")
    assert (R2023, line, "schema_pattern", "error") in diagnose(root)


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (R2023, "title: 聊城市卫生健康委2023年度政府信息公开工作年度报告", "title: null"),
        (R2023, "title: 聊城市卫生健康委2023年度政府信息公开工作年度报告", "title:"),
        (AGENCY, "province: 山东省", "province: ~"),
    ],
)
def test_required_key_left_empty_is_an_error(root, rel, old, new):
    line = mutate(root, rel, old, new)
    assert (rel, line, "schema_required", "error") in diagnose(root)


def test_required_key_missing_is_an_error(root):
    mutate(root, AGENCY, "province: 山东省\n", "")
    assert (AGENCY, 2, "schema_required", "error") in diagnose(root)
