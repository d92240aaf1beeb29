"""The search page (``search/``): where the header box sends its query."""

from __future__ import annotations

from ..model import Corpus
from ..pages import Page

BODY = """<p>输入机构名称（含曾用名）、年份或任何词语，如“行政复议”“依申请公开”“聊城市”。
可按年度、省份、层级和类型筛选。搜索在浏览器里完成，不向任何第三方发送数据。</p>
<div id="gk-search" data-gk-search></div>
<noscript><p>搜索需要启用 JavaScript。也可以从<a href="../regions/">地区</a>或<a href="../years/">年度</a>浏览。</p></noscript>
"""


def pages(corpus: Corpus) -> list[Page]:
    """The search page; kept out of the search index itself."""
    return [
        Page(
            path="search.md",
            title="搜索",
            body=BODY,
            nav=("搜索",),
            markup="html",
            description="搜索政府信息公开年度报告、机构和公开指南",
            hide=("toc",),
        )
    ]
