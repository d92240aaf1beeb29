"""Make Pagefind's output byte-identical from one build to the next.

Pagefind (1.x) writes each filter's values in Rust ``HashMap`` order, and the
filters' list in the ``.pf_meta`` file in that order too; files are named by a
hash of their content, so the filter files, the meta file and
``pagefind-entry.json`` (which names the meta file) change from build to build
although the index means the same. :func:`canonical_files` rewrites them in a
fixed order and renames them as Pagefind would:

* a ``filter/<lang>_<hash>.pf_filter`` is gzip of ``pagefind_dcd`` + CBOR
  ``[filter, [[value, [page, ...]], ...]]``; its values are sorted;
* the ``pagefind.<lang>_<hash>.pf_meta`` holds a list of ``[filter, hash]``;
  it is sorted by filter and points to the new filter names;
* names are ``<lang>_`` + the start of Pagefind's SHA-1 hex of the CBOR (7
  characters for a filter, 10 for the meta), extended on a collision;
* ``pagefind-entry.json`` gets the new meta name.

Only the small CBOR subset Pagefind writes is handled (integers, text,
arrays); anything else raises :class:`ValueError`, so a Pagefind that
changes its format fails the build instead of silently losing reproducibility.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from typing import Any

DCD = b"pagefind_dcd"
FILTER_RE = re.compile(r"^filter/(?P<hash>(?P<lang>.+)_[0-9a-f]+)\.pf_filter$")
META_RE = re.compile(r"^pagefind\.(?P<hash>(?P<lang>.+)_[0-9a-f]+)\.pf_meta$")
ENTRY = "pagefind-entry.json"
FILTER_HASH_CHARS = 7
META_HASH_CHARS = 10


def _head(data: bytes, pos: int) -> tuple[int, int | None, int]:
    """Major type, argument (None for indefinite length) and the next position."""
    byte = data[pos]
    major, info = byte >> 5, byte & 0x1F
    pos += 1
    if info < 24:
        return major, info, pos
    if info == 31:
        return major, None, pos
    if info > 27:
        raise ValueError(f"unsupported CBOR additional info {info}")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[pos : pos + size], "big"), pos + size


def cbor_decode(data: bytes, pos: int = 0) -> tuple[Any, int]:
    """Decode one CBOR item (integer, text or array) at ``pos``; return it and the end."""
    major, arg, pos = _head(data, pos)
    if major == 0 and arg is not None:
        return arg, pos
    if major == 1 and arg is not None:  # the weight markers of a word index
        return -1 - arg, pos
    if major == 3 and arg is not None:
        return data[pos : pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        items: list[Any] = []
        while (arg is None and data[pos] != 0xFF) or (arg is not None and len(items) < arg):
            item, pos = cbor_decode(data, pos)
            items.append(item)
        return items, pos + (1 if arg is None else 0)
    raise ValueError(f"unsupported CBOR major type {major}")


def cbor_head(major: int, arg: int) -> bytes:
    """The shortest head for ``arg``, as minicbor writes it."""
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError(f"integer too large for CBOR: {arg}")


def cbor_encode(item: Any) -> bytes:
    """Encode an unsigned integer, a string or a list (of those) as definite CBOR."""
    if isinstance(item, bool) or not isinstance(item, int | str | list):
        raise ValueError(f"unsupported type for CBOR: {type(item).__name__}")
    if isinstance(item, int):
        if item < 0:
            raise ValueError("negative integers are not used by Pagefind")
        return cbor_head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return cbor_head(3, len(raw)) + raw
    return cbor_head(4, len(item)) + b"".join(cbor_encode(i) for i in item)


def unpack(data: bytes) -> Any:
    """Decode a gzipped ``pagefind_dcd`` + CBOR file."""
    raw = gzip.decompress(data)
    if not raw.startswith(DCD):
        raise ValueError("not a pagefind_dcd file")
    item, end = cbor_decode(raw, len(DCD))
    if end != len(raw):
        raise ValueError("trailing bytes after the CBOR item")
    return item


def pack(cbor: bytes) -> bytes:
    """gzip ``pagefind_dcd`` + ``cbor`` with no timestamp."""
    return gzip.compress(DCD + cbor, compresslevel=9, mtime=0)


def pagefind_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1 hex, each byte *without* zero padding."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


def short_name(lang: str, cbor: bytes, chars: int, taken: set[str]) -> str:
    """``<lang>_<hash prefix>``, one character longer per collision (as Pagefind)."""
    full = f"{lang}_{pagefind_hash(cbor)}"
    length = len(lang) + 1 + chars
    while full[:length] in taken and length < len(full):
        length += 1
    return full[:length]


def canonical_filter(item: list) -> list:
    """A decoded filter index with its values (and each value's pages) sorted."""
    name, values = item
    return [name, sorted(([v, sorted(pages)] for v, pages in values), key=lambda vp: vp[0])]


def _meta_filters(meta: list, old_names: set[str]) -> int:
    """Index of the meta's ``[[filter, hash], ...]`` list (found by the hashes)."""
    for i, part in enumerate(meta):
        if (
            isinstance(part, list)
            and part
            and all(isinstance(p, list) and len(p) == 2 and p[1] in old_names for p in part)
        ):
            return i
    raise ValueError("no filter list in the Pagefind meta index")


def canonical_files(files: list[dict]) -> list[dict]:
    """Pagefind's ``get_files()`` output with filters and meta in a fixed order."""
    by_path = {f["path"]: f for f in files}
    renamed: dict[str, str] = {}
    out: dict[str, dict] = {}
    taken: set[str] = set()
    filter_paths = sorted(p for p in by_path if FILTER_RE.match(p))
    decoded = {p: canonical_filter(unpack(by_path[p]["content"])) for p in filter_paths}
    for path in sorted(filter_paths, key=lambda p: decoded[p][0]):
        m = FILTER_RE.match(path)
        assert m
        cbor = cbor_encode(decoded[path])
        name = short_name(m["lang"], cbor, FILTER_HASH_CHARS, taken)
        taken.add(name)
        renamed[m["hash"]] = name
        out[path] = {"path": f"filter/{name}.pf_filter", "content": pack(cbor)}
    meta_names: dict[str, str] = {}
    for path in [p for p in by_path if META_RE.match(p)]:
        m = META_RE.match(path)
        assert m
        meta = unpack(by_path[path]["content"])
        if renamed:
            i = _meta_filters(meta, set(renamed))
            meta[i] = sorted(([f, renamed[h]] for f, h in meta[i]), key=lambda fh: fh[0])
        cbor = cbor_encode(meta)
        name = short_name(m["lang"], cbor, META_HASH_CHARS, set())
        meta_names[m["hash"]] = name
        out[path] = {"path": f"pagefind.{name}.pf_meta", "content": pack(cbor)}
    if ENTRY in by_path:
        text = by_path[ENTRY]["content"]
        for old, new in meta_names.items():
            text = text.replace(f'"{old}"'.encode(), f'"{new}"'.encode())
        out[ENTRY] = {"path": ENTRY, "content": text}
    return [out.get(f["path"], f) for f in files]
