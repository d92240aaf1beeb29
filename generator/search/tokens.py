"""The search tokenizer: overlapping two-character pieces, ASCII-encoded.

This is the ONE definition of how text becomes search tokens. The browser
side (``assets/gk-search.js``, functions ``gkNormalize``, ``gkRuns``,
``gkEncodeChar``, ``gkTokens``, ``gkQueryParts``) implements exactly the same
steps; ``tests/test_search_tokens.py`` runs both on the same cases.

Steps
-----
1. **Normalize**: NFKC, then lower case (full-width ``２０２３`` → ``2023``).
2. **Runs**: maximal sequences of *word characters* — Unicode letters (L*),
   numbers (N*), and every code point of planes 2–3 (CJK extensions, so that
   Python's and the browser's Unicode versions agree on new ideographs).
   Everything else (spaces, punctuation) separates runs.
3. **Tokens** of a run ``c1 … cn``: the bigrams ``c1c2, c2c3, …, c(n-1)cn``
   followed by the single last character ``cn`` (a run of one character gives
   just that character). The trailing single character lets a one-character
   query find a character at the end of a run, and it separates runs, so a
   phrase of bigrams can never match across a punctuation mark.
4. **Encoding**: every character becomes an ASCII code word from a
   prefix-free code over ``0-9a-z`` (3 letters for code points below 44,064 —
   all common CJK, Latin and digits — otherwise ``y``/``z`` and 4 letters).
   Pagefind then sees plain lower-case ASCII words, which no stemmer,
   diacritic folding or Chinese word segmenter (Pagefind splits queries with
   ``Intl.Segmenter`` when the page is ``lang="zh"``) will alter.

Queries
-------
The normalized query is split into runs the same way; every run is a *part*.
A part of one character is a prefix search for its code word (it matches the
bigrams starting with it and the trailing single character); a longer part is
a Pagefind exact-phrase search (``"b1 b2 …"``) of its bigrams, i.e. the
bigrams at consecutive positions. A page matches a query when it matches every
part, which is exactly when every part is a substring of the page's
normalized text (see :func:`matches`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHORT_LEADS = 34  # leading letters 0-9a-x start a 3-letter code word
SHORT_LIMIT = _SHORT_LEADS * 36 * 36  # 44,064 code points get 3 letters
_LONG_SPAN = 36**4
# str.isalnum() is exactly "category L* or N*"; \w is isalnum() plus "_", so runs are
# matched in the text with "_" replaced by a space (one character class: fast).
_RUN = re.compile(r"[\w\U00020000-\U0003FFFF]+")


# NFKC maps the full-width forms U+FF01–FF5E to ASCII and the ideographic space to a
# space, each to one character that no later step changes; Chinese text is full of
# them (，：（）) and, once they are replaced, usually already in NFKC, which
# unicodedata checks far faster than it normalizes.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_HALF_WIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def normalize(text: str) -> str:
    """NFKC, then lower case: the form both index and query are compared in."""
    text = _FULL_WIDTH.sub(lambda m: _HALF_WIDTH[m.group()], text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def is_word_char(ch: str) -> bool:
    """Letters, numbers, and the CJK extension planes 2–3."""
    return ch.isalnum() or 0x20000 <= ord(ch) <= 0x3FFFF


def runs(text: str) -> list[str]:
    """Maximal runs of word characters of the normalized text."""
    return _RUN.findall(normalize(text).replace("_", " "))


@lru_cache(maxsize=65536)
def encode_char(ch: str) -> str:
    """The ASCII code word of one character (prefix-free, fixed per character)."""
    cp = ord(ch)
    if cp < SHORT_LIMIT:
        return ALPHABET[cp // 1296] + ALPHABET[cp // 36 % 36] + ALPHABET[cp % 36]
    v = cp - SHORT_LIMIT
    lead = ALPHABET[_SHORT_LEADS + v // _LONG_SPAN]
    v %= _LONG_SPAN
    return lead + "".join(ALPHABET[v // 36**k % 36] for k in (3, 2, 1, 0))


def code_length(token: str) -> int:
    """Length of the first code word of a token (3, or 5 after a ``y``/``z`` lead)."""
    return 3 if ALPHABET.index(token[0]) < _SHORT_LEADS else 5


def decode_token(token: str) -> str:
    """The characters behind a token (inverse of the encoding; for debugging)."""
    out = []
    i = 0
    while i < len(token):
        lead = ALPHABET.index(token[i])
        if lead < _SHORT_LEADS:
            cp = lead * 1296 + ALPHABET.index(token[i + 1]) * 36 + ALPHABET.index(token[i + 2])
            i += 3
        else:
            v = (lead - _SHORT_LEADS) * _LONG_SPAN
            for k, letter in zip((3, 2, 1, 0), token[i + 1 : i + 5], strict=True):
                v += ALPHABET.index(letter) * 36**k
            cp = v + SHORT_LIMIT
            i += 5
        out.append(chr(cp))
    return "".join(out)


def run_tokens(run: str) -> list[str]:
    """Bigrams of one run, then its last character."""
    codes = [encode_char(ch) for ch in run]
    return [a + b for a, b in pairwise(codes)] + codes[-1:]


class _Codes(dict):
    """Code point → code word, filled on first use (a ``str.translate`` table)."""

    def __missing__(self, cp: int) -> str:
        code = encode_char(chr(cp))
        self[cp] = code
        return code


_CODES = _Codes()


class _Pairs(dict):
    """Code point → its code word, a space, its code word again (a ``str.translate`` table)."""

    def __missing__(self, cp: int) -> str:
        code = encode_char(chr(cp))
        self[cp] = pair = f"{code} {code}"
        return pair


_PAIRS = _Pairs()


def run_content(run: str) -> str:
    """``" ".join(run_tokens(run))``, written for speed (a run is not empty).

    Every character after the first ends one bigram and starts the next (or
    is the final single character), so its code word is written twice around
    a space: ``c1 c2 c3`` → ``c1`` + ``c2 c2`` + ``c3 c3`` = ``c1c2 c2c3 c3``.
    """
    return run[:1].translate(_CODES) + run[1:].translate(_PAIRS)


def tokens(text: str) -> list[str]:
    """The token sequence that is indexed for ``text`` (positions matter)."""
    return tokens_of_runs(runs(text))


def tokens_of_runs(run_list: Iterable[str]) -> list[str]:
    """The tokens of already normalized runs, one run after another.

    Same result as ``run_tokens`` over the runs, written for speed: a run of
    characters that all have 3-letter code words is translated in one call
    and cut into 6-letter bigrams.
    """
    out: list[str] = []
    for run in run_list:
        encoded = run.translate(_CODES)
        if len(encoded) == 3 * len(run):
            out += [encoded[i : i + 6] for i in range(0, len(encoded) - 3, 3)]
            out.append(encoded[-3:])
        else:
            out += run_tokens(run)
    return out


def index_content(text: str) -> str:
    """The content string handed to Pagefind: tokens separated by spaces."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class QueryPart:
    """One run of the query and the Pagefind search string that finds it."""

    text: str  # the normalized run, e.g. "聊城市"
    pagefind: str  # e.g. '"bgfaj4 aj4b2m"' (exact phrase) or 'bgf' (prefix)
    exact: bool


def query_part(run: str) -> QueryPart:
    """The Pagefind search for one query run."""
    if len(run) == 1:
        return QueryPart(run, encode_char(run), exact=False)
    bigrams = run_tokens(run)[:-1]
    return QueryPart(run, '"' + " ".join(bigrams) + '"', exact=True)


def query_parts(query: str) -> list[QueryPart]:
    """The parts of a query; duplicates removed, order kept."""
    seen: dict[str, QueryPart] = {}
    for run in runs(query):
        seen.setdefault(run, query_part(run))
    return list(seen.values())


def matches(text: str, query: str) -> bool:
    """Whether search finds ``text`` for ``query``: every part is a substring.

    This is the ground truth the index must reproduce exactly. A query with
    no word characters matches nothing.
    """
    parts = runs(query)
    if not parts:
        return False
    norm = normalize(text)
    return all(part in norm for part in parts)
