"""A report page is found by what the report says and who published it, not by the form."""

from __future__ import annotations

import re

from generator.render import collect_pages
from generator.render.common import html_text


def test_report_pages_index_the_narrative_not_the_forms_labels(repo) -> None:
    from generator.commands.package import load_corpus

    corpus = load_corpus(repo)
    pages = {p.path: p for p in collect_pages(corpus, repo)}
    report = corpus.reports["371500-wjw/2023"]
    page = pages["agencies/371500-wjw/2023.md"]
    text = page.search.text
    assert report.sections[0].text.split("\n")[0][:20] in text  # the narrative
    assert "聊城市卫生健康委员会" in text  # the publisher
    labels = set(re.findall(r'<th scope="row"[^>]*>([^<]{6,})</th>', page.body))
    assert len(labels) > 10 and [x for x in labels if x not in text]  # the form: shown only
    assert "引用本报告" not in text and "引用本报告" in page.body  # apparatus: shown only
    assert text == html_text(page.body)  # one definition for index and ground truth
    methodology = pages["methodology.md"]
    assert "行政复议" in methodology.search.text  # the form's labels are found there
