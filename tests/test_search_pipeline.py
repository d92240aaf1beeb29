"""The indexing pipeline's fast paths give exactly what their definitions give.

The index must stay byte-identical, so each fast path is checked against the
plain definition it replaces (tokens.py's steps, the successor map of all
tokens, the first page_runs).
"""

from __future__ import annotations

import importlib
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_helpers import SEEDS

from generator.search.index import ContentEncoder, page_runs, successor_map
from generator.search.service import PagefindError, PagefindProcess
from generator.search.writer import ShardPage, WordTable, prepare, present_words

T = importlib.import_module("generator.search.tokens")

# Word and non-word characters, "_", full-width forms, combining marks, ligatures,
# 5-letter code words (planes 2-3, Hangul), case changes.
ALPHABET = "聊城市卫生局依申请公开 ，。、_-Aa1２ＡÉé\u0301ßİΣς①½ﬁ㈠𠀀𰀀가\n\t"
TEXT = st.text(alphabet=ALPHABET, max_size=80)


def definition_runs(text: str) -> list[str]:
    """Maximal runs of word characters (tokens.py, step 2), character by character."""
    out, current = [], ""
    for ch in T.normalize(text):
        if T.is_word_char(ch):
            current += ch
        elif current:
            out.append(current)
            current = ""
    return [*out, current] if current else out


@given(TEXT)
def test_runs_are_the_maximal_word_character_runs(text):
    assert T.runs(text) == definition_runs(text)


def test_runs_of_the_seed_texts():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert T.runs(text) == definition_runs(text)


def test_runs_of_every_character():
    """One character at a time (planes 0-3), between word characters and alone."""
    for cp in range(0x40000):
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(chr(cp)) == "Cn":
            continue
        text = f"a{chr(cp)}b"
        assert T.runs(text) == definition_runs(text), hex(cp)


@given(TEXT)
def test_run_content_is_the_joined_tokens(text):
    for run in T.runs(text):
        assert T.run_content(run) == " ".join(T.run_tokens(run))


def reference_page_runs(title: str, text: str) -> list[str]:
    """page_runs as first written: each body run checked against the kept runs."""
    head = list(dict.fromkeys(T.runs(title)))
    heads = set(head)
    body = [run for run in dict.fromkeys(T.runs(text)) if run not in heads]
    seen = "\x00".join(head)
    kept: set[str] = set()
    for run in sorted(body, key=len, reverse=True):
        if run not in seen:
            kept.add(run)
            seen += "\x00" + run
    return head + [run for run in body if run in kept]


@settings(max_examples=500)
@given(
    title=st.text(alphabet="公开依申请市县，。 ab1", max_size=20),
    text=st.text(alphabet="公开依申请市县，。 ab1", max_size=120),
)
def test_page_runs_equal_the_reference(title, text):
    assert page_runs(title, text) == reference_page_runs(title, text)


def test_page_runs_of_the_seed_texts_equal_the_reference():
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    for title, text in zip(["", *texts], texts, strict=False):
        assert page_runs(title[:40], text) == reference_page_runs(title[:40], text)


@settings(max_examples=100)
@given(pages=st.lists(st.lists(st.text(alphabet="公开依申请市𠀀a1", min_size=1, max_size=6))))
def test_content_encoder_equals_tokens_and_the_shard_words_give_their_successors(pages):
    """Contents are the joined tokens, also when the encoder drops its remembered
    runs (a small limit); the words a shard's pages have give the successors of
    all their tokens."""
    for limit in (2, 1000):
        encoder = ContentEncoder(limit=limit)
        every: list[str] = []
        table = WordTable(["unused"])
        prepared = []
        for i, run_list in enumerate(pages):
            toks = T.tokens_of_runs(run_list)
            content = encoder.content(run_list)
            assert content == " ".join(toks)
            every += toks
            prepared.append(prepare(ShardPage(f"/{i}/", content, {}, {}), table, "zz"))
        words = present_words([p.ids for p in prepared if p is not None], table.words)
        assert successor_map(words) == successor_map(every)


# ---------- the Pagefind process ----------


def test_pagefind_answers_in_order_and_reports_errors():
    with PagefindProcess(in_flight=2) as pagefind:
        config = {"force_language": "zz", "write_playground": False}
        index_id = pagefind.call({"type": "NewIndex", "config": config})["index_id"]
        for i in range(5):  # more than in flight: each waits for an earlier answer
            record = {"url": f"/{i}/", "content": "abc abcdef", "language": "zz"}
            pagefind.send({"type": "AddRecord", "index_id": index_id, **record})
        files = pagefind.call({"type": "GetFiles", "index_id": index_id})["files"]
        assert sum(f["path"].startswith("fragment/") for f in files) == 5
        pagefind.send({"type": "GetFiles", "index_id": index_id + 7})  # no such index
        with pytest.raises(PagefindError, match="index"):
            pagefind.call({"type": "GetFiles", "index_id": index_id})


def test_pagefind_exiting_early_fails_the_waiting_call():
    with PagefindProcess() as pagefind:
        pagefind._proc.kill()
        with pytest.raises(PagefindError):
            for _ in range(100):
                pagefind.call({"type": "NewIndex", "config": {}})


# ---------- scheduling ----------


def _fake_index_shard(spool, entries, out_dir, primary, reuse, keep):
    with open(spool, "a", encoding="utf-8") as log:
        log.write(f"{len(entries)}\n")
    return {"shard": {str(out_dir)}}


def test_shards_start_largest_first_and_results_keep_plan_order(tmp_path, monkeypatch):
    from generator.search import index

    monkeypatch.setattr(index, "index_shard", _fake_index_shard)
    monkeypatch.setattr(index, "available_mb", lambda: None)
    sizes = [3, 9, 1, 7, 5]
    work = [
        (index.Shard(f"pagefind-{i}", list(range(n))), tmp_path / str(i))
        for i, n in enumerate(sizes)
    ]
    started = tmp_path / "started"
    found = index._index_shards(started, work, jobs=2)
    assert found == [{"shard": {str(out)}} for _, out in work]
    order = [int(n) for n in started.read_text().split()]
    assert sorted(order) == sorted(sizes)
    assert order[0] in (9, 7) and 1 in order[-2:]  # two run at once: taken largest first
