"""The coverage matrix: collected, missing and late reports per agency and year."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from requester_helpers import fixture_corpus

from generator.requester import coverage


@pytest.fixture(scope="module")
def corpus():
    return fixture_corpus()


def statuses(ctx) -> dict[str, dict[int, str]]:
    return {
        row["agency"].id: {c.year: c.status for c in row["cells"]}
        for region in ctx["regions"]
        for row in region["rows"]
    }


def test_matrix_shows_collected_years_and_gaps(corpus):
    ctx = coverage.coverage_context(corpus, repo="https://github.com/o/r")
    assert ctx["years"] == list(range(2015, 2024))
    st = statuses(ctx)
    assert set(st) == set(corpus.agencies)
    for agency_id, years in st.items():
        have = {r.year for r in corpus.reports_of(agency_id)}
        assert {y for y, s in years.items() if s in ("collected", "late")} == have
        assert {y for y, s in years.items() if s == "missing"} == set(ctx["years"]) - have
    assert st["371500-wjw"][2023] == "late"  # published 2024-02-20, due 2024-01-31
    assert st["371500-wjw"][2021] == "collected"  # published 2022-01-25
    assert st["371521-wjj"][2023] == "collected"  # publication date unknown: not flagged


def test_regions_and_overall_totals(corpus):
    ctx = coverage.coverage_context(corpus, repo="https://github.com/o/r")
    names = [r["name"] for r in ctx["regions"]]
    assert names == ["北京市", "山东省"]
    overall = {t["year"]: t for t in ctx["overall"]}
    assert overall[2023] == {"year": 2023, "have": 2, "late": 1, "of": 4}
    assert ctx["counts"]["late"] == 1 and ctx["counts"]["missing"] == 4 * 9 - 5


def test_missing_cells_link_to_a_prefilled_new_file(corpus):
    ctx = coverage.coverage_context(corpus)
    body = "".join(coverage.region_page(ctx, r).body for r in ctx["regions"])
    m = re.search(
        r'data-agency="371502-wjj".*?data-year="2016" data-status="missing"><a href="([^"]+)"',
        body,
        re.S,
    )
    assert m
    url = urlparse(m.group(1).replace("&amp;", "&"))
    assert url.path.endswith("/new/main/content/reports/371502-wjj")
    q = parse_qs(url.query)
    assert q["filename"] == ["2016.yaml"]
    assert "agency: 371502-wjj\nyear: 2016\nformat: legacy" in q["value"][0]
    assert "/blob/main/CONTRIBUTING.md" in body
    assert "<caption>" in body and 'scope="row"' in body


def test_real_content_when_it_has_reports(repo):
    from generator.commands.package import load_corpus

    corpus = load_corpus(repo)
    if not corpus.reports:
        pytest.skip("content/ has no reports yet")
    st = statuses(coverage.coverage_context(corpus))
    for agency_id in corpus.agencies:
        have = {r.year for r in corpus.reports_of(agency_id)}
        assert {y for y, s in st[agency_id].items() if s in ("collected", "late")} == have
        assert "missing" in st[agency_id].values() or have >= set(
            range(min(corpus.years()), max(corpus.years()) + 1)
        )
