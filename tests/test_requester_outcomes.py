"""The outcome explainer (rows from the format definitions) and the outcome distribution."""

from __future__ import annotations

import dataclasses
import re

import pytest
from requester_helpers import fixture_corpus

from generator import law
from generator.formats import FORMAT_CODES, get_format
from generator.records import Cell, CellKind
from generator.requester import explainer


@pytest.fixture(scope="module")
def corpus():
    return fixture_corpus()


def test_every_outcome_row_of_every_format_is_explained_and_nothing_else():
    codes = set()
    for code in FORMAT_CODES:
        for row in explainer.outcome_rows(code):
            codes.add(row.code)
            info = explainer.meanings()[row.code]
            assert info["meaning"] and info["remedy"] in ("refused", "general", "granted")
    assert codes == set(explainer.meanings())  # no meaning for a row that no format has
    assert "total" not in codes and "new" not in codes


def test_explainer_page_shows_each_row_with_article_meaning_and_remedy():
    body = explainer.explainer_page().body
    table = get_format("gov2021").table("requests")
    for row in explainer.outcome_rows("gov2021"):
        m = re.search(
            rf'<section class="gk-outcome" id="{explainer.anchor(row.code)}">(.*?)</section>',
            body,
            re.S,
        )
        assert m, row.code
        block = m.group(1)
        assert row.label in block
        assert explainer.meanings()[row.code]["meaning"] in block
        if row.article:
            assert row.article.removeprefix("条例") in block
        assert (
            law.RECONSIDERATION.period in block
            and law.LITIGATION_AFTER_RECONSIDERATION.period in block
        )
    assert table.row("withheld.state_secret").article == "第十四条"
    refused = re.search(r'id="outcome-withheld-third_party">(.*?)</section>', body, re.S).group(1)
    assert "复议前置" in refused
    assert 'id="outcome-other"' in body  # the 2019 format's single 其他处理 row


def test_distribution_counts_denominators_and_no_shares_on_small_counts(corpus):
    report = corpus.reports["371500-wjw/2023"]
    dist = explainer.outcome_distribution(corpus, report)
    assert dist["available"]
    assert dist["own"]["denominator"] == 9  # 4 + 2 + 1 + 2
    rows = {r["code"]: r for r in dist["rows"]}
    assert rows["granted"]["own"] == 4
    assert all(r["own_share"] == "" for r in dist["rows"])  # 9 < 20: counts only
    # history: 2021 and 2023 share the format (2020 is gov2019)
    assert dist["history"]["years"] == [2021, 2023] and rows["granted"]["history"] == 8
    assert dist["history"]["denominator"] == 18
    # peers: same level (city), same year, other agencies: none in the fixture
    assert dist["peers"]["agencies"] == 0 and dist["peers"]["denominator"] == 0
    county = explainer.outcome_distribution(corpus, corpus.reports["371521-wjj/2023"])
    assert county["peers"]["agencies"] == 0  # 371502-wjj has no 2023 report


def test_shares_appear_from_the_minimum_denominator(corpus):
    report = corpus.reports["371500-wjw/2023"]
    table = report.tables["requests"]
    row = table.rows["granted"]
    big = dataclasses.replace(row, cells={**row.cells, "total": Cell(CellKind.NUMBER, 15)})
    bigger = dataclasses.replace(
        report,
        tables={
            **report.tables,
            "requests": dataclasses.replace(table, rows={**table.rows, "granted": big}),
        },
    )
    dist = explainer.outcome_distribution(corpus, bigger)
    rows = {r["code"]: r for r in dist["rows"]}
    assert dist["own"]["denominator"] == 20
    assert rows["granted"]["own_share"] == "75.0%"


def test_partial_renders_with_links_to_the_explainer(corpus):
    html = explainer.render_distribution(
        corpus, corpus.reports["371500-wjw/2023"], "agencies/371500-wjw/2023/"
    )
    assert "<caption>" in html and 'scope="row"' in html
    assert "../../../outcomes/#outcome-granted" in html
    assert "不排名" in html
    legacy = explainer.render_distribution(corpus, corpus.reports["371502-wjj/2015"], "x/")
    assert legacy.strip() == ""  # no table 3 in a legacy report: nothing shown


def test_agency_distribution_uses_the_latest_report_with_table_3(corpus):
    dist = explainer.agency_outcome_distribution(corpus, "371500-wjw")
    assert dist is not None and dist["report"] == {"agency": "371500-wjw", "year": 2023}
    assert explainer.agency_outcome_distribution(corpus, "371502-wjj") is None  # legacy only
