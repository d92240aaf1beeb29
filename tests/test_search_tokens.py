"""The bigram tokenizer: Python definition, and the browser copy agrees with it."""

from __future__ import annotations

import importlib
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_helpers import SEEDS

T = importlib.import_module("generator.search.tokens")

CASES = [
    "",
    "聊城市",
    "市",
    "聊城市卫生局（2008—2013）",
    "依申请公开、三安全一稳定",
    "２０２３年度 ＤＢ37/T 4539-2022",
    "电话：0635-8412345",
    "Hello World_x",
    "𠀀𠀁 and 𰀀",  # planes 2 and 3
    "ÉCOLE Straße İstanbul ΣΑΣ",
    "a\u0301 e\u0301 \u0301x",  # NFKC composes; a lone combining mark separates
    "①②③ ⅫⅣ ½",
    "\t\n  ，。！？",
]


def decode(tokens: list[str]) -> list[str]:
    return [T.decode_token(t) for t in tokens]


def test_bigrams_then_last_character():
    assert decode(T.tokens("聊城市")) == ["聊城", "城市", "市"]
    assert decode(T.tokens("市")) == ["市"]
    assert decode(T.tokens("聊城，市")) == ["聊城", "城", "市"]


def test_normalized_and_lower_case():
    assert T.runs("２０２３年 ＡＢｃ") == ["2023年", "abc"]
    assert T.tokens("ABC") == T.tokens("abc")


def _nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def test_normalize_is_nfkc_then_lower_case_for_every_character():
    # Runs of 256 code points: side by side, each after a full-width form, and each
    # before a combining mark (which NFKC may compose with the character before it).
    for start in range(0, 0x110000, 256):
        chars = [chr(cp) for cp in range(start, start + 256) if not 0xD800 <= cp <= 0xDFFF]
        for text in (
            "".join(chars),
            "".join("Ａ" + ch for ch in chars),
            "".join(ch + "\u0301\u3000" for ch in chars),
        ):
            assert T.normalize(text) == _nfkc_lower(text), hex(start)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFFF)))
def test_normalize_is_nfkc_then_lower_case(text):
    assert T.normalize(text) == _nfkc_lower(text)


def test_normalize_of_the_seed_texts():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert T.normalize(text) == _nfkc_lower(text)


def test_tokens_are_plain_lowercase_ascii():
    text = "".join(s.read_text(encoding="utf-8") for s in SEEDS)
    for token in set(T.tokens(text)):
        assert token.isascii() and token.isalnum() and token == token.lower()


@pytest.mark.parametrize("cp", [0, 0x41, 0x4E00, 0x9FFF, 0xAC1F, 0xAC20, 0xFFFF, 0x20000, 0x10FFFF])
def test_encoding_round_trips_and_is_prefix_free(cp):
    ch = chr(cp)
    code = T.encode_char(ch)
    assert T.decode_token(code) == ch
    assert len(code) == (3 if cp < T.SHORT_LIMIT else 5)
    assert code[0] in T.ALPHABET[:34] if len(code) == 3 else code[0] in "yz"


def test_fast_path_equals_definition():
    text = "".join(s.read_text(encoding="utf-8") for s in SEEDS) + "".join(CASES)
    assert T.tokens(text) == [t for run in T.runs(text) for t in T.run_tokens(run)]


@given(st.text(max_size=60))
def test_tokens_reconstruct_runs(text):
    """Bigrams + last character give back every run: nothing is lost or invented."""
    out, current = [], ""
    for token in decode(T.tokens(text)):
        current += token[0]
        if len(token) == 1:
            out.append(current)
            current = ""
    assert current == ""
    assert out == T.runs(text)


def _phrase_in_tokens(text: str, run: str) -> bool:
    """Pagefind's exact search: the query's bigrams at consecutive positions."""
    toks, want = T.tokens(text), T.run_tokens(run)[:-1]
    return any(toks[i : i + len(want)] == want for i in range(len(toks)))


def _prefix_in_tokens(text: str, ch: str) -> bool:
    code = T.encode_char(ch)
    return any(t.startswith(code) for t in T.tokens(text))


@given(
    st.text(alphabet="聊城市卫生局 ，A1a", max_size=30),
    st.text(alphabet="聊城市卫A1", min_size=1, max_size=4),
)
def test_token_matching_equals_substring(text, query):
    """The index semantics (phrase of bigrams / prefix) equal substring containment."""
    parts = T.runs(query)
    found = all(
        _prefix_in_tokens(text, p) if len(p) == 1 else _phrase_in_tokens(text, p) for p in parts
    )
    assert found == T.matches(text, query)


def test_query_parts():
    parts = T.query_parts("聊城市 行政复议 市 聊城市")
    assert [p.text for p in parts] == ["聊城市", "行政复议", "市"]
    assert parts[0].exact and parts[0].pagefind.startswith('"')
    assert not parts[2].exact and parts[2].pagefind == T.encode_char("市")
    assert T.query_parts("，。 ") == []
    assert not T.matches("任何文字", "，。")


def test_matches_is_normalized_substring():
    assert T.matches("本机关2023年度", "２０２３")
    assert T.matches("聊城市卫生局", "卫生 聊城")
    assert not T.matches("聊城 城市", "聊城市")


# ---------- the browser's copy (assets/gk-search.js) ----------


def _random_texts(n: int) -> list[str]:
    rng = random.Random(7)
    pool = "聊城市卫生局依申请公开三安全一稳定 ，。、Aa1２ＡÉé\u0301ß İΣς①½𠀀𰀀_-\n\t"
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(n)]


@pytest.fixture(scope="module")
def js_page(browser, tmp_path_factory):
    """A blank page with gk-search.js loaded (no index needed for the tokenizer)."""
    from generator.search.index import ASSETS

    site = tmp_path_factory.mktemp("tok")
    (site / "assets").mkdir()
    (site / "assets" / "gk-search.js").write_bytes((ASSETS / "gk-search.js").read_bytes())
    (site / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><script src="assets/gk-search.js"></script>',
        encoding="utf-8",
    )
    from search_helpers import serve

    with serve(site) as server:
        page = browser.new_page()
        page.goto(server.url)
        yield page
        page.close()


@pytest.mark.browser
def test_js_tokenizer_matches_python(js_page):
    texts = CASES + _random_texts(300) + [s.read_text(encoding="utf-8") for s in SEEDS]
    got = js_page.evaluate(
        """(texts) => texts.map(t => ({
            runs: gkSearchApi.runs(t),
            tokens: gkSearchApi.tokens(t),
            parts: gkSearchApi.queryParts(t).map(p => [p.text, p.pagefind, p.exact]),
        }))""",
        texts,
    )
    for text, js in zip(texts, got, strict=True):
        assert js["runs"] == T.runs(text), text
        assert js["tokens"] == T.tokens(text), text
        assert js["parts"] == [[p.text, p.pagefind, p.exact] for p in T.query_parts(text)], text


@pytest.mark.browser
def test_js_word_characters_match_python(js_page):
    """Every code point Python knows (planes 0–3) is a word character in both or neither."""
    js_ranges = js_page.evaluate(
        """() => {
            const out = []; let start = -1;
            for (let cp = 0; cp <= 0x40000; cp++) {
                const word = cp < 0x40000 && !(cp >= 0xD800 && cp <= 0xDFFF)
                    && gkSearchApi.runs(String.fromCodePoint(cp)).length === 1
                    && gkSearchApi.runs(String.fromCodePoint(cp))[0] === gkSearchApi.normalize(String.fromCodePoint(cp));
                if (word && start < 0) start = cp;
                if (!word && start >= 0) { out.push([start, cp - 1]); start = -1; }
            }
            return out;
        }"""
    )
    js_word = set()
    for lo, hi in js_ranges:
        js_word.update(range(lo, hi + 1))
    import unicodedata

    mismatches = []
    for cp in range(0x40000):
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(chr(cp)) == "Cn":
            continue  # unassigned in Python's Unicode 14: newer in the browser
        ch = chr(cp)
        py = T.runs(ch) == [T.normalize(ch)]
        if py != (cp in js_word):
            mismatches.append(hex(cp))
    assert not mismatches, mismatches[:20]
