"""Pagefind's index files for one shard, written directly (without the Pagefind binary).


Pagefind's indexer costs about 10 ms of CPU per report page (building its
word map and gzipping it at the best level), most of a build at 55,000
reports and most of a one-report rebuild. Our records are already plain
ASCII code words (:mod:`.tokens`), so the index is simple to write: this
module writes the files Pagefind 1.5.2 writes for the same records, in the
same format, which Pagefind's own runtime (``pagefind.js`` and its
WebAssembly, taken from the binary: :func:`.reference.runtime_files`) then
searches.

What is written, for records in page order (page number = position):

* ``fragment/<lang>_<hash>.pf_fragment``: gzip of ``pagefind_dcd`` + the
  page's JSON (url, content, word count, filters, meta, anchors), named by
  Pagefind's hash of that JSON; shipped with its content emptied (results
  show our own title and excerpt; :func:`.reference.strip_fragment` does the
  same to Pagefind's).
* ``index/<lang>_<hash>.pf_index``: the words in code-point order, cut into
  chunks of about 20,000 positions; each word with, per page, ``[page,
  [-25, first position, deltas…], []]`` (-25 marks Pagefind's default weight).
* ``filter/…pf_filter``, ``pagefind.<lang>_<hash>.pf_meta`` and
  ``pagefind-entry.json``: as :mod:`.canonical` leaves Pagefind's (sorted).

One difference, on purpose: Pagefind 1.5 also indexes the words of each
meta field (title, excerpt, kind) as raw text. No query of ours can match
them (a query is code words), so they are left out: the index is smaller
and the search the same. ``tests/test_search_writer.py`` checks every file
against the Pagefind binary's for the same records (with the meta words left
out of the binary's input); a Pagefind version other than
:data:`FORMAT_VERSION` is refused (:func:`check_version`).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from itertools import pairwise

import numpy as np

from .canonical import (
    DCD,
    ENTRY,
    FILTER_HASH_CHARS,
    META_HASH_CHARS,
    cbor_encode,
    cbor_head,
    pagefind_hash,
)

FORMAT_VERSION = "1.5.2"  # the Pagefind release whose files this module writes
CHUNK_POSITIONS = 20_000  # Pagefind cuts its word index after this many entries
FRAGMENT_HASH_CHARS = 7
INDEX_HASH_CHARS = 7
DEFAULT_WEIGHT = -25  # Pagefind's marker for weight 24 (a plain word): -(24) - 1
GZIP_THREADS = 2
GZIP_LEVEL = 6  # Pagefind's best level is 4x slower for 0.7 % fewer bytes
# Pagefind's "include_characters" (the Unicode Pc category), as its entry file lists them.
_CONTENT = re.compile(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?")
WORD_SYMBOLS = ("_", "‿", "⁀", "⁔", "︳", "︴", "﹍", "﹎", "﹏", "＿")


class FormatError(RuntimeError):
    """The installed Pagefind is not the release whose format this module writes."""


@dataclass(frozen=True)
class ShardPage:
    """What the index holds of one page: its url, content, meta and filters.

    The content is words of ``0-9a-z`` separated by single spaces (as
    :mod:`.tokens` makes them): words Pagefind leaves as they are, so that
    the files written here are the ones it writes (:func:`shard_files`
    refuses any other content).
    """

    url: str
    content: str
    meta: Mapping[str, str]
    filters: Mapping[str, list[str]]


def installed_version() -> str:
    """The installed Pagefind binary's release."""
    for dist in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def check_version() -> None:
    """Refuse a Pagefind release whose runtime may not read the files written here."""
    found = installed_version()
    if found != FORMAT_VERSION:
        raise FormatError(
            f"generator/search/writer.py writes Pagefind {FORMAT_VERSION}'s index format, "
            f"but Pagefind {found} is installed: install pagefind[extended]=={FORMAT_VERSION} "
            "(pyproject.toml), or update writer.py to the new format until "
            "tests/test_search_writer.py passes"
        )


def _array(n: int) -> bytes:
    return cbor_head(4, n)


def _text(s: str) -> bytes:
    raw = s.encode("utf-8")
    return cbor_head(3, len(raw)) + raw


def gz(payload: bytes) -> bytes:
    """A Pagefind data file: gzip of ``pagefind_dcd`` + ``payload``, without a timestamp."""
    return gzip.compress(DCD + payload, compresslevel=GZIP_LEVEL, mtime=0)


def _short(full: str, chars: int, taken: Mapping[str, object] | set[str]) -> str:
    """``full`` cut to ``<lang>_`` + ``chars``, one longer per collision (as Pagefind)."""
    length = full.index("_") + 1 + chars
    while full[:length] in taken and length < len(full):
        length += 1
    return full[:length]


def fragment_json(page: ShardPage, word_count: int, content: str) -> bytes:
    """The fragment as Pagefind's serde_json writes it (maps in key order)."""
    data = {
        "url": page.url,
        "content": content,
        "word_count": word_count,
        "filters": {k: list(page.filters[k]) for k in sorted(page.filters)},
        "meta": {k: page.meta[k] for k in sorted(page.meta)},
        "anchors": [],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's ``get_prefixes``: the shortest prefixes that still tell a chunk's last
    word ``a`` from the next chunk's first word ``b``."""
    common = 0
    for x, y in zip(b, a, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


class WordTable:
    """A shard's words by id and ids by word (ids in no particular order: the files
    written never depend on them)."""

    def __init__(self, words: Iterable[str] = ()):
        self.words: list[str] = list(words)
        self._ids = {word: i for i, word in enumerate(self.words)}

    def ids(self, words: list[str]) -> np.ndarray:
        """The ids of ``words``, new words added."""
        ids = self._ids
        for word in dict.fromkeys(words).keys() - ids.keys():
            ids[word] = len(self.words)
            self.words.append(word)
        return np.fromiter(map(ids.__getitem__, words), np.uint32, len(words))


@dataclass(frozen=True)
class PreparedPage:
    """A page made ready for :func:`write_shard`: its words as ids of a :class:`WordTable`,
    its fragment file (content emptied) and the hash Pagefind names it by."""

    url: str
    ids: np.ndarray
    full_hash: str  # <lang>_<Pagefind's hash of the fragment with its content>
    fragment: bytes
    filters: Mapping[str, list[str]]
    meta: Mapping[str, str]


def prepare(page: ShardPage, table: WordTable, language: str) -> PreparedPage | None:
    """``page`` made ready for :func:`write_shard` (None for a page without words, which
    Pagefind drops)."""
    if not _CONTENT.fullmatch(page.content):
        raise ValueError(
            f"search record {page.url}: content must be words of 0-9a-z separated by "
            f"single spaces (generator.search.tokens), not {page.content[:60]!r}"
        )
    if not page.content:
        return None
    words = page.content.split(" ")
    full = fragment_json(page, len(words), page.content)
    return PreparedPage(
        page.url,
        table.ids(words),
        f"{language}_{pagefind_hash(full)}",
        gz(fragment_json(page, len(words), "")),
        page.filters,
        page.meta,
    )


def shard_files(pages: Iterable[ShardPage], language: str) -> dict[str, bytes]:
    """Every data file of the shard (path → bytes) but the runtime: as Pagefind writes
    them for ``pages``, with its meta words left out, made canonical and with the
    fragments' content emptied (:func:`.reference.pagefind_files`)."""
    table = WordTable()
    prepared = [p for p in (prepare(page, table, language) for page in pages) if p is not None]
    return write_shard(prepared, table, language)


def fragment_names(pages: list[PreparedPage]) -> list[str]:
    """The fragment file names of ``pages``: Pagefind's short hashes, one character
    longer where one would collide with a name before it."""
    taken: set[str] = set()
    names = []
    for page in pages:
        name = _short(page.full_hash, FRAGMENT_HASH_CHARS, taken)
        taken.add(name)
        names.append(name)
    return names


def write_shard(pages: list[PreparedPage], table: WordTable, language: str) -> dict[str, bytes]:
    """The files of :func:`shard_files`, for pages already prepared (:func:`prepare`)."""
    files: dict[str, bytes] = {}
    filters: dict[str, dict[str, list[int]]] = {}
    meta_fields: set[str] = set()
    meta_pages = []
    for number, (page, name) in enumerate(zip(pages, fragment_names(pages), strict=True)):
        for key, values in page.filters.items():
            by_value = filters.setdefault(key, {})
            for value in values:
                by_value.setdefault(value, []).append(number)
        meta_fields.update(page.meta)
        files[f"fragment/{name}.pf_fragment"] = page.fragment
        meta_pages.append([name, len(page.ids)])
    index = WordIndex.of([page.ids for page in pages], table.words)
    chunks = _index_chunks(index, language, files)
    filter_list = _filter_files(filters, language, files)
    meta = cbor_encode([FORMAT_VERSION, meta_pages, chunks, filter_list, [], sorted(meta_fields)])
    meta_name = f"{language}_{pagefind_hash(meta)[:META_HASH_CHARS]}"
    files[f"pagefind.{meta_name}.pf_meta"] = gz(meta)
    entry = {
        "version": FORMAT_VERSION,
        "languages": {language: {"hash": meta_name, "wasm": None, "page_count": len(pages)}},
        "include_characters": list(WORD_SYMBOLS),
    }
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


@dataclass
class WordIndex:
    """The CBOR of every word's entry, in word order, one after the other.

    ``stream[offsets[i]:offsets[i + 1]]`` is the entry of ``words[i]``:
    ``[word, [[page, [-25, first position, deltas…], []], …], []]`` (each page
    number the difference from the word's page before); ``sizes[i]`` is what
    the word adds to its chunk (see :func:`_index_chunks`).
    """

    words: list[str]
    stream: bytes
    offsets: list[int]
    sizes: list[int]

    @classmethod
    def of(cls, page_ids: list[np.ndarray], table_words: list[str]) -> WordIndex:
        """The index of pages given as their words' ids (in ``table_words``, which may
        hold words no page has), page by page."""
        if not page_ids:
            return cls([], b"", [0], [])
        ids = np.concatenate(page_ids)
        present = _present(ids, len(table_words))
        words = [table_words[i] for i in present.tolist()]
        order = sorted(range(len(words)), key=words.__getitem__)
        rank = np.zeros(len(table_words), np.int64)
        rank[present[order]] = np.arange(len(words))
        lengths = np.array([len(ids) for ids in page_ids], np.int64)
        key = rank[ids]
        page = np.repeat(np.arange(len(page_ids), dtype=np.int64), lengths)
        position = np.arange(len(key), dtype=np.int64) - np.repeat(
            np.cumsum(lengths) - lengths, lengths
        )
        # Word by word, then page by page, then position: a stable sort by word keeps
        # the last two, and sorting (word << 32 | place) is a stable argsort, 4x faster.
        places = np.arange(len(key), dtype=np.int64)
        by_word = np.sort((key << 32) | places) & 0xFFFFFFFF
        key, page, position = key[by_word], page[by_word], position[by_word]
        return cls._encode([words[i] for i in order], key, page, position)

    @classmethod
    def _encode(
        cls, words: list[str], key: np.ndarray, page: np.ndarray, position: np.ndarray
    ) -> WordIndex:
        n = len(key)
        new_word = np.ones(n, bool)
        new_word[1:] = key[1:] != key[:-1]
        new_group = new_word.copy()  # a (word, page) pair starts
        new_group[1:] |= page[1:] != page[:-1]
        end_group = np.ones(n, bool)
        end_group[:-1] = new_group[1:]
        end_word = np.ones(n, bool)
        end_word[:-1] = new_word[1:]
        # Each position is the difference from the one before it on the page.
        value = position.copy()
        value[~new_group] -= position[np.flatnonzero(~new_group) - 1]
        groups = np.flatnonzero(new_group)
        group_size = np.diff(np.append(groups, n))
        group_page = page[groups]
        page_delta = group_page.copy()
        follows = ~new_word[groups]  # the word's page before is in the group before
        page_delta[follows] -= group_page[np.flatnonzero(follows) - 1]
        word_starts = np.flatnonzero(new_word)
        word_groups = np.flatnonzero(new_word[groups])
        pages_of_word = np.diff(np.append(word_groups, len(groups)))
        texts = [_text(w) for w in words]
        # One row per position, one column per CBOR item it may be preceded or followed by.
        columns = [
            (new_word, _RAW, 0x83),
            (new_word, _TEXT, np.array([len(t) for t in texts], np.int64)),
            (new_word, 4, pages_of_word),
            (new_group, _RAW, 0x83),
            (new_group, 0, page_delta),
            (new_group, 4, group_size + 1),
            (new_group, _RAW, 0x38),  # -25: major type 1, argument 24 in one byte
            (new_group, _RAW, 0x18),
            (None, 0, value),
            (end_group, _RAW, 0x80),  # the page's empty meta locations
            (end_word, _RAW, 0x80),  # the word's empty third field
        ]
        sizes = []
        for where, kind, arg in columns:
            size = np.zeros(n, np.int32 if kind == _TEXT else np.uint8)
            rows = slice(None) if where is None else where
            if kind == _RAW:
                size[rows] = 1
            elif kind == _TEXT:
                size[rows] = arg
            else:
                size[rows] = _head_size(arg)
            sizes.append(size)
        row_size = np.zeros(n, np.int64)
        for size in sizes:
            row_size += size
        row_start = np.cumsum(row_size) - row_size
        out = np.zeros(int(row_size.sum()), np.uint8)
        start = row_start
        for (where, kind, arg), size in zip(columns, sizes, strict=True):
            at = start if where is None else start[where]
            if kind == _RAW:
                out[at] = arg
            elif kind == _TEXT:
                for offset, text in zip(at.tolist(), texts, strict=True):
                    out[offset : offset + len(text)] = np.frombuffer(text, np.uint8)
            else:
                _put_heads(out, at, kind, arg)
            start = start + size
        offsets = [*row_start[word_starts].tolist(), len(out)]
        occurrences = np.diff(np.append(word_starts, n))
        return cls(words, out.tobytes(), offsets, (occurrences + 2 * pages_of_word).tolist())


def _present(ids: np.ndarray, size: int) -> np.ndarray:
    """The ids, of ``size`` possible, that occur in ``ids``, in order."""
    return np.flatnonzero(np.bincount(ids, minlength=size))


def present_words(page_ids: list[np.ndarray], table_words: list[str]) -> list[str]:
    """The words of a :class:`WordTable` that some page has."""
    if not page_ids:
        return []
    return [table_words[i] for i in _present(np.concatenate(page_ids), len(table_words)).tolist()]


_RAW, _TEXT = -1, -2  # column kinds besides CBOR major types 0 (uint) and 4 (array)


def _head_size(arg: np.ndarray) -> np.ndarray:
    """Bytes of the shortest CBOR head of each argument."""
    return 1 + (arg >= 24) + (arg >= 1 << 8) + 2 * (arg >= 1 << 16)


def _put_heads(out: np.ndarray, at: np.ndarray, major: int, arg: np.ndarray) -> None:
    """Write the shortest CBOR head of major type ``major`` for each ``arg`` at ``at``."""
    if (arg >= 1 << 32).any():
        raise ValueError("a Pagefind index count or position past 2**32")
    base = major << 5
    small = arg < 24
    out[at[small]] = base | arg[small]
    for info, lo, hi, width in (
        (24, 24, 1 << 8, 1),
        (25, 1 << 8, 1 << 16, 2),
        (26, 1 << 16, 1 << 32, 4),
    ):
        pick = (arg >= lo) & (arg < hi)
        if not pick.any():
            continue
        where, value = at[pick], arg[pick]
        out[where] = base | info
        for k in range(width):
            out[where + 1 + k] = (value >> (8 * (width - 1 - k))) & 0xFF


def _index_chunks(index: WordIndex, language: str, files: dict[str, bytes]) -> list[list[str]]:
    """Write the word index chunks into ``files``; return the meta's ``[from, to, name]``.

    A chunk ends after the word that brings its size to ``CHUNK_POSITIONS``,
    counted as Pagefind does: per page of a word, its locations (the weight
    marker and the positions), its empty meta locations list and one.
    """
    chunks: list[list[str]] = []
    payloads: dict[str, bytes] = {}
    taken: set[str] = set()
    first, size = 0, 0

    def close(end: int) -> None:
        body = index.stream[index.offsets[first] : index.offsets[end]]
        cbor = b"\x81" + _array(end - first) + body
        name = _short(f"{language}_{pagefind_hash(cbor)}", INDEX_HASH_CHARS, taken)
        taken.add(name)
        payloads[f"index/{name}.pf_index"] = cbor
        chunks.append([index.words[first], index.words[end - 1], name])

    for i, word_size in enumerate(index.sizes):
        size += word_size
        if size >= CHUNK_POSITIONS:
            close(i + 1)
            first, size = i + 1, 0
    if first < len(index.words):
        close(len(index.words))
    # gzip is most of the time left, and zlib lets other threads run meanwhile: a shard
    # indexed alone (a one-report rebuild) uses a second core if there is one idle.
    with ThreadPoolExecutor(GZIP_THREADS) as pool:
        files.update(zip(payloads, pool.map(gz, payloads.values()), strict=True))
    for left, right in pairwise(chunks):
        left[1], right[0] = _prefixes(left[1], right[0])
    return chunks


def _filter_files(
    filters: dict[str, dict[str, list[int]]], language: str, files: dict[str, bytes]
) -> list[list[str]]:
    """Write one filter file per filter into ``files``; return the meta's ``[filter, name]``."""
    out: list[list[str]] = []
    taken: set[str] = set()
    for name in sorted(filters):
        values = filters[name]
        cbor = cbor_encode([name, [[v, sorted(values[v])] for v in sorted(values)]])
        short = _short(f"{language}_{pagefind_hash(cbor)}", FILTER_HASH_CHARS, taken)
        taken.add(short)
        files[f"filter/{short}.pf_filter"] = gz(cbor)
        out.append([name, short])
    return out
