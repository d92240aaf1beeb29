"""Bulk pages filled into theme shells are byte for byte what mkdocs makes of them.

The proof: the same pages built with every page through mkdocs
(``shells=False``) and with shells give identical trees — pages, sitemap.xml
and sitemap.xml.gz — for the repository's content/, and for the fixture plus
pages made to be awkward (escaping, line breaks, <pre>, <h1>, TOC headings
with markup, hide, extra keys, other depths).
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from site_helpers import FIXTURE, REPO

from generator.commands.build import prepare
from generator.pages import Page
from generator.site import build as site_build
from generator.site import bulk, shells
from generator.site.hooks import squeeze_text

pytestmark = pytest.mark.slow


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _both_ways(root: Path, pages: list[Page], tmp: Path, monkeypatch) -> tuple[dict, dict]:
    """(all through mkdocs, with shells); search and offline zip are left out."""
    monkeypatch.setattr(site_build, "after_build", lambda *a, **k: None)
    prepared = prepare(root)
    assert prepared.ok
    lines: list[str] = []
    site_build.build_site(pages, prepared.corpus, root, tmp / "mkdocs", shells=False)
    site_build.build_site(pages, prepared.corpus, root, tmp / "shells", progress=lines.append)
    assert any(re.fullmatch(r"  pages: [1-9]\d* bulk pages in .* s", x) for x in lines), lines
    assert not any("unusable" in x for x in lines), lines
    return _files(tmp / "mkdocs"), _files(tmp / "shells")


def _assert_identical(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(set(a) ^ set(b)) == []
    assert [k for k in a if a[k] != b[k]] == []
    assert "sitemap.xml" in a and "sitemap.xml.gz" in a
    assert not [k for k in b if "gkshell" in k or b"gkshell" in b[k]]


def test_real_content_bulk_pages_byte_identical(tmp_path, monkeypatch):
    """The proof on content/: every page, sitemap.xml and .gz identical both ways."""
    pages = prepare(REPO).pages
    assert any(p.nav is None and p.markup == "html" for p in pages)
    a, b = _both_ways(REPO, pages, tmp_path, monkeypatch)
    _assert_identical(a, b)


def _awkward(pages: list[Page]) -> list[Page]:
    """Pages built to trip a filler that escaped or squeezed differently from the theme."""
    report = next(p for p in pages if p.nav is None and p.markup == "html" and "toc" in p.hide)
    body = (
        "\r\n\n<p>lead  \r\n   text</p>\n"
        '<h2 id="a-1">Name <i>x</i> &amp; &lt;y&gt; "q"</h2>\n'
        '<pre>  keep   \n\n    this\n</pre>\n   <h2 id="b">二</h2>\t\n'
        "<textarea>  a\n  b</textarea>\n<p>end \u3000\n\x0b \n</p>  \n"
    )
    odd = dict(
        title="<b>&\"' 标题",
        description="描述 <i>&\"'",
        edit_path="content/reports/x y/2023.yaml",
        raw_path="raw/a&b.txt",
        search=None,
    )
    return [
        *pages,
        dataclasses.replace(report, path="agencies/zz-odd/2023.md", body=body, **odd),
        dataclasses.replace(report, path="agencies/zz-odd/index.md", body=body, hide=(), **odd),
        dataclasses.replace(report, path="agencies/zz-h1/2024.md", body="<h1>t</h1>\n" + body),
        dataclasses.replace(report, path="regions/99/index.md", body="<p>no toc</p>\n"),
        dataclasses.replace(report, path="years/1999.md", body=body, extra={"k": 1}),
        dataclasses.replace(report, path="a/b/c/d.md", body=body, description=""),
        dataclasses.replace(report, path="zz-top.md", body=body, edit_path="", raw_path=""),
        dataclasses.replace(report, path="agencies/zz-cr/2023.md", title="a\rb", body=body),
    ]


def test_awkward_pages_byte_identical(tmp_path, monkeypatch):
    pages = _awkward(prepare(FIXTURE).pages)
    assert [shells.shape_of(p, set()) is None for p in pages[-8:]] == [False] * 7 + [True]
    a, b = _both_ways(FIXTURE, pages, tmp_path, monkeypatch)
    _assert_identical(a, b)
    assert b"<pre>  keep   \n\n    this\n</pre>" in b["agencies/zz-odd/2023/index.html"]


def test_two_writer_processes_write_the_same_bytes(tmp_path, monkeypatch):
    pages = prepare(FIXTURE).pages
    monkeypatch.setattr(site_build, "after_build", lambda *a, **k: None)
    prepared = prepare(FIXTURE)
    site_build.build_site(pages, prepared.corpus, FIXTURE, tmp_path / "one")
    monkeypatch.setattr(bulk, "PARALLEL_MIN", 1)
    monkeypatch.setattr(bulk.os, "cpu_count", lambda: 2)
    site_build.build_site(pages, prepared.corpus, FIXTURE, tmp_path / "two")
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_an_unusable_shell_falls_back_to_mkdocs(tmp_path, monkeypatch):
    def broken(text, shell):
        raise shells.ShellError("theme printed a sentinel in an unknown form")

    monkeypatch.setattr(site_build, "after_build", lambda *a, **k: None)
    monkeypatch.setattr(bulk, "compile_shell", broken)
    prepared = prepare(FIXTURE)
    lines: list[str] = []
    site_build.build_site(
        prepared.pages, prepared.corpus, FIXTURE, tmp_path / "site", progress=lines.append
    )
    assert any("shells unusable" in x for x in lines)
    assert not any(x.startswith("  pages:") and "bulk" in x for x in lines)
    assert (tmp_path / "site/agencies/371500-wjw/2023/index.html").is_file()
    assert not list((tmp_path / "site").rglob("*gkshell*"))


def test_which_pages_are_bulk():
    prefixes = {("regions",), ("assets",), ("assets", "x.css")}
    page = Page(path="agencies/a/2023.md", title="t", body="<p>x</p>", markup="html")
    shape = shells.shape_of(page, prefixes)
    assert shape is not None and shape.depth == 3 and shape.prefix == ()
    regional = shells.shape_of(dataclasses.replace(page, path="regions/37/index.md"), prefixes)
    assert regional is not None and regional.prefix == ("regions",) and regional.depth == 2
    for odd in (
        dict(nav=("首页",)),
        dict(markup="markdown"),
        dict(title=""),
        dict(title="a\rb"),
        dict(description="\u2028"),
        dict(path="agencies/空格/2023.md"),
        dict(path="agencies/a/README.md"),
        dict(path="assets/index.md"),  # its URL is a theme link target itself
    ):
        assert shells.shape_of(dataclasses.replace(page, **odd), prefixes) is None, odd


def test_squeeze_text_is_the_regex():
    regex = re.compile(r"[ \t]*\n\s*")
    alphabet = [" ", "\t", "\n", "\r", "\u3000", "\x0b", "\x85", "\xa0", "a", "<"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert squeeze_text(text) == regex.sub("\n", text), repr(text)


def test_piecewise_squeeze_is_squeeze():
    rng = random.Random(11)
    alphabet = [" ", "\t", "\n", "\r", "\u3000", "a", "b"]
    for _ in range(5_000):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(1, 5))
        ]
        pieces = [shells._piece(t) for t in texts]
        assert shells._join(pieces) == squeeze_text("".join(texts)), texts


@pytest.mark.parametrize("fault", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_fault_while_bulk_pages_are_written_keeps_previous_site(fault, tmp_path, monkeypatch):
    monkeypatch.setattr(site_build, "after_build", lambda *a, **k: None)
    prepared = prepare(FIXTURE)
    out = tmp_path / "site"
    site_build.build_site(prepared.pages, prepared.corpus, FIXTURE, out)
    before = _files(out)
    real = shells.PageWriter.write
    calls = []

    def failing(self, url, data):
        calls.append(url)
        if len(calls) > 3:
            raise fault
        real(self, url, data)

    monkeypatch.setattr(shells.PageWriter, "write", failing)
    with pytest.raises(type(fault)):
        site_build.build_site(prepared.pages, prepared.corpus, FIXTURE, out)
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
