"""The index writer against the Pagefind binary: the same pages give the same files.

``generator.search.writer`` writes the files Pagefind 1.5.2 writes, minus the
words of the meta fields (which no query of ours can match). So for the
same pages: the fragments, filters and the meta file's page list equal the
binary's; the word index chunks (and the meta's chunk list) equal the
binary's for the pages without meta. Decompressed bytes are compared (the
gzip level differs), and the names, which Pagefind derives from them.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from search_helpers import fixture_records

from generator.search import writer
from generator.search.canonical import DCD, ENTRY, cbor_encode, pagefind_hash, unpack
from generator.search.index import ContentEncoder, shard_pages
from generator.search.reference import pagefind_files, runtime_files
from generator.search.writer import FormatError, ShardPage, check_version, shard_files

LANG = "zz"


def _plain(files: dict[str, bytes]) -> dict[str, bytes]:
    """Every file decompressed (the entry file is not compressed)."""
    return {p: b if p == ENTRY else gzip.decompress(b) for p, b in files.items()}


def _kind(files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    return {p: b for p, b in files.items() if p.startswith(prefix)}


def _meta(files: dict[str, bytes]) -> tuple[str, list]:
    (path,) = [p for p in files if p.endswith(".pf_meta")]
    return path, unpack(files[path])


def assert_same_as_pagefind(pages: list[ShardPage]) -> dict[str, bytes]:
    """Check :func:`shard_files` against the binary; return ours."""
    ours = shard_files(pages, LANG)
    with_meta = pagefind_files(pages, LANG)
    without_meta = pagefind_files([ShardPage(p.url, p.content, {}, p.filters) for p in pages], LANG)
    plain, ref, ref_index = _plain(ours), _plain(with_meta), _plain(without_meta)
    assert _kind(plain, "fragment/") == _kind(ref, "fragment/")
    assert _kind(plain, "filter/") == _kind(ref, "filter/")
    assert _kind(plain, "index/") == _kind(ref_index, "index/")
    meta_path, meta = _meta(ours)
    _, expected = _meta(with_meta)
    expected[2] = _meta(without_meta)[1][2]  # the chunks of the index without meta words
    assert meta == expected
    name = f"{LANG}_{pagefind_hash(cbor_encode(expected))[:10]}"
    assert meta_path == f"pagefind.{name}.pf_meta"
    entry = json.loads(ref[ENTRY])
    entry["languages"][LANG]["hash"] = name
    assert json.loads(plain[ENTRY]) == entry
    assert plain[ENTRY] == json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    others = set(with_meta) - set(_kind(with_meta, "index/")) - {_meta(with_meta)[0]}
    assert set(ours) == others | set(_kind(without_meta, "index/")) | {meta_path}
    return ours


def _seed_pages() -> list[ShardPage]:
    return list(shard_pages(fixture_records(), ContentEncoder()))


def test_seed_pages_are_written_as_pagefind_writes_them():
    pages = _seed_pages()
    assert len(pages) > 50
    ours = assert_same_as_pagefind(pages)
    assert len(_kind(ours, "index/")) > 1  # chunk boundaries and their prefixes compared


def test_large_numbers_and_many_chunks_are_written_as_pagefind_writes_them():
    # Positions and counts past 2**16 and 2**8 (CBOR heads of every size), a word on
    # hundreds of pages, a word many times on a page, words sharing long prefixes
    # across chunk boundaries, and a page with no words (dropped by both).
    words = [f"w{i % 5000}" for i in range(10_000)] + ["rep"] * 66_000
    long_page = " ".join(words + [f"late{i}" for i in range(300)])
    pages = [ShardPage("/long/", long_page, {"title": "长"}, {})]
    for i in range(300):
        words = ["common"] * (1 + i % 30) + [f"prefixword{i:04d}", "rare" if i % 97 == 0 else "x"]
        pages.append(ShardPage(f"/p/{i}/", " ".join(words), {"title": f"页{i}"}, {}))
    pages.append(ShardPage("/empty/", "", {"title": "空"}, {}))
    ours = assert_same_as_pagefind(pages)
    assert json.loads(ours[ENTRY])["languages"][LANG]["page_count"] == 301


def test_meta_filters_and_urls_with_odd_characters():
    pages = [
        ShardPage(
            '/a/"quoted"/<tag>/\\/',
            "abc abd abc",
            {"title": 'T "1" \\ \t\n é 中文', "excerpt": "\x01ctl\x7f", "kind": "report"},
            {"year": ["2023", "2022"], "province": ["广东省"], "kind": ["report"]},
        ),
        ShardPage("/b/", "abd", {"title": "b", "other": "only here"}, {"year": ["2023"]}),
        ShardPage("/c/", "zz9", {}, {"level": ["county"]}),
    ]
    assert_same_as_pagefind(pages)


def test_fragment_name_collisions_are_resolved_as_pagefind_resolves_them():
    # Two pages whose fragments' hashes share Pagefind's 7-character prefix.
    seen: dict[str, int] = {}
    for i in range(1_000_000):
        page = ShardPage(f"/c/{i}/", "ab", {}, {})
        data = writer.fragment_json(page, 1, page.content)
        prefix = "".join(format(b, "x") for b in hashlib.sha1(data).digest())[:7]
        if prefix in seen:
            pair = [ShardPage(f"/c/{seen[prefix]}/", "ab", {}, {}), page]
            break
        seen[prefix] = i
    ours = assert_same_as_pagefind(pair)
    names = sorted(p.removeprefix("fragment/") for p in _kind(ours, "fragment/"))
    assert len(names[0]) != len(names[1])  # one of them extended by a character


def test_content_pagefind_would_change_is_refused():
    for content in ("Abc", "a  b", " a", "a,b", "a\tb", "中文"):
        with pytest.raises(ValueError, match="0-9a-z"):
            shard_files([ShardPage("/x/", content, {}, {})], LANG)


def test_fragments_are_shipped_without_their_content():
    ours = shard_files(_seed_pages()[:5], LANG)
    for path, data in _kind(ours, "fragment/").items():
        fragment = json.loads(gzip.decompress(data)[len(DCD) :])
        assert fragment["content"] == "" and fragment["word_count"] > 0, path


def test_runtime_comes_from_the_binary():
    files = runtime_files()
    assert set(files) == {"pagefind.js", "wasm.unknown.pagefind"}
    assert b"pagefind" in files["pagefind.js"]


def test_another_pagefind_release_is_refused(monkeypatch):
    check_version()  # the installed one is the release the writer writes
    monkeypatch.setattr(writer, "installed_version", lambda: "1.6.0")
    with pytest.raises(FormatError, match=r"pagefind\[extended\]==1\.5\.2"):
        check_version()
