"""Citations pinned to the data version; the offline zip of the site."""

from __future__ import annotations

import dataclasses
import zipfile

from requester_helpers import fixture_corpus

from generator.package.meta import current_release
from generator.requester import citation, data_version, write_offline_zip
from generator.requester.offline import offline_html


def test_data_version_is_deterministic_and_follows_content():
    a, b = fixture_corpus(), fixture_corpus()
    v = data_version(a)
    assert v == data_version(b)
    assert v.startswith(current_release().version + "+") and len(v.split("+")[1]) == 8
    r = b.reports["371500-wjw/2023"]
    b.reports[r.id] = dataclasses.replace(r, title=r.title + "（修订）")
    assert data_version(b) != v


def test_a_report_citation_pins_to_that_report():
    a, b = fixture_corpus(), fixture_corpus()
    report = a.reports["371500-wjw/2023"]
    v = citation.report_version(report)
    assert v.startswith(current_release().version + "+") and v != data_version(a)
    other = next(r for k, r in sorted(b.reports.items()) if k != report.id)
    b.reports[other.id] = dataclasses.replace(other, title=other.title + "（修订）")
    assert citation.report_version(b.reports[report.id]) == v  # another report's edit
    changed = dataclasses.replace(report, title=report.title + "（修订）")
    assert citation.report_version(changed) != v


def test_citations_are_gbt7714_style_and_pinned():
    corpus = fixture_corpus()
    report = corpus.reports["371500-wjw/2023"]
    text = citation.report_citation(corpus, report, "https://example.org/agencies/371500-wjw/2023/")
    assert text.startswith(
        "聊城市卫生健康委员会. 聊城市卫生健康委2023年度政府信息公开工作年度报告[EB/OL]. (2024-02-20)[2026-11-01]."
    )
    assert f"版本 {citation.report_version(report)}" in text and "[DS/OL]" in text
    assert text.endswith("https://example.org/agencies/371500-wjw/2023/.")
    old = corpus.reports["371502-wjj/2015"]
    assert citation.report_citation(corpus, old).startswith("聊城市东昌府区卫生局. ")  # filed_as


def test_offline_zip_is_deterministic_and_opens_from_disk(tmp_path):
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">A</a><a href="https://x.org/">x</a><a href="/abs/">y</a>', encoding="utf-8"
    )
    (site / "a" / "b" / "index.html").write_text(
        '<a href="../../#top">up</a><img src="../x.png">', encoding="utf-8"
    )
    (site / "a" / "x.png").write_bytes(b"\x89PNG")
    for page in ("agencies/x/guide", "agencies/x/2023", "agencies/x", "years/2023", "pagefind"):
        (site / page).mkdir(parents=True, exist_ok=True)
        (site / page / "index.html").write_text("<p>x</p>", encoding="utf-8")
    first = write_offline_zip(site).read_bytes()
    again = write_offline_zip(site).read_bytes()
    assert first == again  # the zip itself is never packed, and entries are dated the release
    with zipfile.ZipFile(site / "downloads" / "gongkai-site.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert "gongkai-site/a/x.png" in names and not any(n.endswith(".zip") for n in names)
        assert "gongkai-site/agencies/x/guide/index.html" in names
        left_out = ("agencies/x/2023/", "agencies/x/index.html", "years/", "pagefind/")
        assert not [n for n in names if n.startswith(tuple("gongkai-site/" + p for p in left_out))]
        index = zf.read("gongkai-site/index.html").decode()
        assert 'href="a/index.html"' in index and 'href="https://x.org/"' in index
        assert 'href="/abs/"' in index
        assert 'href="../../index.html#top"' in zf.read("gongkai-site/a/b/index.html").decode()


def test_offline_html_leaves_files_alone():
    assert (
        offline_html('<link href="x.css"><a href="p/?q=1">')
        == '<link href="x.css"><a href="p/index.html?q=1">'
    )
