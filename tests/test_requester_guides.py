"""Guide pages: one per agency; the agency's own values and the law's, each marked."""

from __future__ import annotations

import re
from html import unescape

import pytest
from requester_helpers import all_pages, fixture_corpus, page_by_path

from generator import law
from generator.requester import guide_pages, letter
from generator.requester.guide_data import CHANNEL_LABELS, REMEDY_LABELS


@pytest.fixture(scope="module")
def corpus():
    return fixture_corpus()


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def section(html: str, attr: str, value: str) -> str:
    """The <section>/<tr> element carrying ``attr="value"`` (up to its closing tag)."""
    m = re.search(rf'<(section|tr)[^>]*{attr}="{re.escape(value)}"[^>]*>(.*?)</\1>', html, re.S)
    assert m, f"no element with {attr}={value}"
    return m.group(0)


def test_every_agency_has_a_guide_page_and_a_letter_page(corpus):
    paths = {p.path for p in all_pages(corpus)}
    for agency_id in corpus.agencies:
        assert f"agencies/{agency_id}/guide.md" in paths
        assert f"agencies/{agency_id}/apply.md" in paths


def test_liaocheng_shows_every_channel_time_limit_and_remedy(corpus):
    guide = corpus.guides["371500-wjw"]
    page = page_by_path(corpus, "agencies/371500-wjw/guide.md")
    body = page.body
    text = text_of(body)
    assert 'data-has-guide="yes"' in body
    assert len(re.findall(r'<section class="gk-channel" data-channel=', body)) == len(
        guide.channels
    )
    for ch in guide.channels:
        assert CHANNEL_LABELS[ch.type] in text
        for value in (ch.office, ch.address, ch.postcode, ch.phone, ch.fax, ch.url, ch.notes):
            assert value in text, value
        for h in ch.hours:
            assert h.season in text and h.text in text
    for key, limit in guide.time_limits.items():
        row = section(body, "data-limit", key)
        assert 'data-source="own"' in row
        assert law.describe(limit.days, limit.unit) in row
        assert limit.text in text_of(row)
        assert law.TIME_LIMITS[key].citation in row  # the article is cited for own values too
    for item in guide.not_counted:
        assert item in text
    for remedy in guide.remedies:
        block = section(body, "data-remedy", remedy.type)
        assert 'data-source="own"' in block
        assert REMEDY_LABELS[remedy.type] in block
        for value in (remedy.body, remedy.address, remedy.postcode, remedy.phone):
            assert value in text_of(block), value
        for h in remedy.hours:
            assert h.text in text_of(block)
        if remedy.period:
            assert law.describe(remedy.period.days, remedy.period.unit) in block
    assert guide.fees in text
    for item in (*guide.proactive_scope, *guide.proactive_where, *guide.not_disclosed):
        assert item in text
    for field in guide.form.fields:
        assert field in text
    assert "法定默认" in section(
        body, "data-remedy", "complaint"
    )  # the guide names no complaint body
    assert "gk-guide-flags" not in body  # nothing in it differs from current law


def test_agency_without_guide_gets_statutory_values_marked_as_such(corpus):
    assert "110000-wjw" not in corpus.guides
    body = page_by_path(corpus, "agencies/110000-wjw/guide.md").body
    assert 'data-has-guide="no"' in body and "尚未收录" in body
    for key, rule in law.TIME_LIMITS.items():
        row = section(body, "data-limit", key)
        assert 'data-source="law"' in row
        assert rule.period in row and rule.citation in row and "法定默认" in row
    recon = section(body, "data-remedy", "reconsideration")
    assert "北京市人民政府" in recon and law.RECONSIDERATION.citation in recon
    assert "复议前置" in recon
    lit = section(body, "data-remedy", "litigation")
    for rule in law.REMEDY_PERIODS["litigation"]:
        assert rule.period in lit and rule.citation in lit
    # contact data from the agency file, marked as such
    post = section(body, "data-channel", "post")
    assert "北京市通州区紫运西路1号" in post and "机构资料" in post
    assert body.count('data-source="own"') == 1  # only in the legend: nothing is the agency's own


def test_county_default_reconsideration_body_names_its_government(corpus):
    body = page_by_path(corpus, "agencies/371502-wjj/guide.md").body
    assert "聊城市东昌府区人民政府" in section(body, "data-remedy", "reconsideration")
    assert "尚未收集到" in body  # no contact data at all: says so, invites a contribution
    assert "/new/main/content/guides?filename=371502-wjj.yaml" in body


def test_guide_stating_outdated_rules_is_flagged(corpus):
    body = page_by_path(corpus, "agencies/371521-wjj/guide.md").body
    assert "gk-guide-flags" in body
    answer = section(body, "data-limit", "answer")
    assert 'class="gk-flagged"' in answer and "15个工作日" in answer and "20个工作日" in answer
    lit = section(body, "data-remedy", "litigation")
    assert "gk-flag" in lit and "3个月" in lit


def test_guide_pages_are_searchable_by_agency_names(corpus):
    page = page_by_path(corpus, "agencies/371500-wjw/guide.md")
    rec = page.search
    assert rec is not None and rec.kind == "guide" and rec.url == "agencies/371500-wjw/guide/"
    for name in corpus.agencies["371500-wjw"].all_names:
        assert name in rec.text
    assert rec.filters == {"province": ("山东省",), "level": ("city",)}
    assert page.edit_path == "content/guides/371500-wjw.yaml"


def test_content_is_escaped(corpus):
    import dataclasses

    agency = corpus.agencies["110000-wjw"]
    evil = dataclasses.replace(agency, name='<script>alert("x")</script>')
    corpus.agencies["110000-wjw"] = evil
    try:
        body = guide_pages.guide_page(corpus, "110000-wjw").body
        body += letter.letter_page(corpus, "110000-wjw").body
    finally:
        corpus.agencies["110000-wjw"] = agency
    assert '<script>alert("x")' not in body


def test_letter_uses_the_guides_form_fields_and_channel_notes(corpus):
    ctx = letter.letter_context(corpus, "371500-wjw")
    labels = [f["label"] for f in ctx["fields"]]
    assert labels == list(corpus.guides["371500-wjw"].form.fields)
    assert ctx["channels"][0]["type"] == "post"
    assert "信封左下角" in ctx["channels"][0]["notes"]
    default = letter.letter_context(corpus, "110000-wjw")
    assert any("特征性描述" in f["label"] for f in default["fields"])
    assert default["fields_source"].source == "law"


def test_real_liaocheng_guide_when_collected(repo):
    """On the real content/ once the Liaocheng guide is there."""
    from generator.commands.package import load_corpus

    if not (repo / "content/guides/371500-wjw.yaml").is_file():
        pytest.skip("content/guides/371500-wjw.yaml not collected yet")
    corpus = load_corpus(repo)
    if "371500-wjw" not in corpus.agencies:
        pytest.skip("content/agencies/371500-wjw.yaml not collected yet")
    guide = corpus.guides["371500-wjw"]
    body = guide_pages.guide_page(corpus, "371500-wjw").body
    text = text_of(body)
    assert len(re.findall(r'<section class="gk-channel" data-channel=', body)) == len(
        guide.channels
    )
    for ch in guide.channels:
        for value in (ch.address, ch.phone, ch.url, ch.notes):
            assert value in text
    for key in guide.time_limits:
        assert 'data-source="own"' in section(body, "data-limit", key)
    for remedy in guide.remedies:
        assert remedy.body in text_of(section(body, "data-remedy", remedy.type))
    assert {f"agencies/{a}/guide.md" for a in corpus.agencies} <= {
        p.path for p in all_pages(corpus)
    }
