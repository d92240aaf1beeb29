"""The plain-paragraph fast path of render_markdown gives exactly markdown-it's HTML."""

from __future__ import annotations

import random
import re

import pytest

from generator.load import load
from generator.paths import REPO_ROOT
from generator.render.markdown import _parser, may_have_syntax, plain_paragraphs, render_markdown
from generator.synth import synthesize

CASES = [
    "a\nb",
    "a\n\n\nb",
    "\n\nx\n\n",
    "x\n",
    "",
    "“引号”\"x\" 'y' 1 < 2",
    "增长15%，2021-2022年；比例：3.5%！(括号)",
    "x -y +z =w #v @a $b ^c {d}",
    "a@b.com http://example.org www.example.org",
    "第1.2节\n2021.5月",
    # Markdown syntax: must go to the parser
    "a  \nb",
    "1. 一",
    "2) 二",
    "- 项",
    "+ 项",
    "# 标题",
    "标题\n===",
    "标题\n---",
    "    代码",
    "\t代码",
    "　　缩进",
    "行尾　",
    "*强调* _强调_ **粗**",
    "`代码`",
    "[链接](http://x)",
    "<b>html</b>",
    "&amp; &#1234;",
    "~~删除~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> 引用",
    "a\\b",
    "a\rb",
]


def both(text: str) -> tuple[str | None, str]:
    return plain_paragraphs(text), _parser().render(text)


@pytest.mark.parametrize("text", CASES)
def test_fast_path_equals_parser_or_declines(text: str) -> None:
    fast, parsed = both(text)
    assert fast is None or fast == parsed
    assert str(render_markdown(text)) == parsed


def test_plain_narratives_take_the_fast_path() -> None:
    assert plain_paragraphs("（一）主动公开。\n第二行\n\n（二）依申请公开。\n") == (
        "<p>（一）主动公开。\n第二行</p>\n<p>（二）依申请公开。</p>\n"
    )
    assert plain_paragraphs("*强调*") is None


def narratives(content) -> list[str]:  # type: ignore[no-untyped-def]
    texts = []
    for report in content.reports.values():
        texts.append(report.preface)
        texts += [s.text for s in report.sections]
    return texts


def test_every_real_narrative_renders_as_the_parser_does() -> None:
    texts = narratives(load(REPO_ROOT / "content"))
    assert len(texts) > 50
    for text in texts:
        assert str(render_markdown(text)) == _parser().render(text)


def test_synthetic_narratives_take_the_fast_path_and_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    synthesize(tmp_path, reports=30, seed=3)
    texts = [t for t in narratives(load(tmp_path / "content")) if t]
    fast = [t for t in texts if plain_paragraphs(t) is not None]
    assert len(fast) > len(texts) * 0.9  # the point of the fast path
    for text in fast:
        assert plain_paragraphs(text) == _parser().render(text)


def test_random_texts_over_the_special_characters() -> None:
    alphabet = list("ab中文 \n\n\t*_-+=#>.)1:[]()<>&\\`~|!　\u00a0%@")
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        fast, parsed = both(text)
        assert fast is None or fast == parsed, repr(text)


# The syntax check as one multi-line pattern (what may_have_syntax computes faster).
ONE_PATTERN = re.compile(r"[\\`*_\[\]<>&~|\t\r\f\v\x00]|^[-+=#]|^\d+[.)]|^[^\S\n]|[^\S\n]$", re.M)


def test_syntax_check_equals_the_single_pattern() -> None:
    alphabet = list("ab中文 \n\n\t*_-+=#>.)1:[]<>&\\`~|　\u00a0\r\x0b\x0c\x1c\x85٣٢")
    rng = random.Random(11)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))).strip("\n")
        assert may_have_syntax(text) == bool(ONE_PATTERN.search(text)), repr(text)
