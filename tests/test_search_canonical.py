"""Pagefind's HashMap-ordered filter and meta files are rewritten in one order."""

from __future__ import annotations

import json

from generator.search.canonical import (
    canonical_files,
    cbor_decode,
    cbor_encode,
    pack,
    pagefind_hash,
    short_name,
    unpack,
)


def _bundle(values_order: list[int], filters_order: list[int]) -> list[dict]:
    """A fake Pagefind output, its filters and values in the given orders."""
    filters = [
        ["year", [["2023", [0, 2]], ["2022", [1]], ["2021", [300]]]],
        ["kind", [["report", [0, 1]], ["page", [2, 300]]]],
    ]
    files: list[dict] = []
    meta_filters = []
    for fi in filters_order:
        name, values = filters[fi]
        cbor = cbor_encode([name, [values[i % len(values)] for i in values_order]])
        short = short_name("zz", cbor, 7, set())
        files.append({"path": f"filter/{short}.pf_filter", "content": pack(cbor)})
        meta_filters.append([name, short])
    meta = cbor_encode(["1.5.2", [["zz_abc", 42]], [], meta_filters, [], []])
    meta_name = short_name("zz", meta, 10, set())
    files.append({"path": f"pagefind.{meta_name}.pf_meta", "content": pack(meta)})
    entry = {"version": "1.5.2", "languages": {"zz": {"hash": meta_name, "page_count": 3}}}
    files.append({"path": "pagefind-entry.json", "content": json.dumps(entry).encode()})
    files.append({"path": "fragment/zz_abc.pf_fragment", "content": b"untouched"})
    return files


def _as_dict(files: list[dict]) -> dict[str, bytes]:
    return {f["path"]: f["content"] for f in files}


def test_cbor_round_trip_of_every_size():
    item = ["省", [0, 23, 24, 255, 256, 65535, 65536, 2**32], ["x" * 300, []]]
    raw = cbor_encode(item)
    assert cbor_decode(raw) == (item, len(raw))


def test_indefinite_arrays_are_read():
    assert cbor_decode(bytes([0x9F, 0x01, 0x02, 0xFF])) == ([1, 2], 4)


def test_pagefind_hash_does_not_pad_bytes():
    """Pagefind formats each SHA-1 byte with {:x}: 0x0a is "a", not "0a"."""
    # sha1(b"") = da39a3ee5e6b4b 0d 3255bfef95601890afd8 07 09
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


def test_any_order_gives_the_same_files():
    a = _as_dict(canonical_files(_bundle([0, 1, 2], [0, 1])))
    b = _as_dict(canonical_files(_bundle([2, 0, 1], [1, 0])))
    assert a == b


def test_names_and_references_are_consistent():
    out = _as_dict(canonical_files(_bundle([2, 0, 1], [1, 0])))
    entry = json.loads(out["pagefind-entry.json"])
    meta_name = entry["languages"]["zz"]["hash"]
    meta = unpack(out[f"pagefind.{meta_name}.pf_meta"])
    assert [f for f, _ in meta[3]] == ["kind", "year"]
    for name, short in meta[3]:
        filt = unpack(out[f"filter/{short}.pf_filter"])
        assert filt[0] == name
        assert [v for v, _ in filt[1]] == sorted(v for v, _ in filt[1])
        assert short == short_name("zz", cbor_encode(filt), 7, set())
    assert meta_name == short_name("zz", cbor_encode(meta), 10, set())
    assert out["fragment/zz_abc.pf_fragment"] == b"untouched"
