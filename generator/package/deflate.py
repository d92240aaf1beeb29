"""Zip files whose members are deflated in independent segments, so unchanged ones are copied.

A member's data is a sequence of segments, each compressed by a fresh
compressor and ended with a sync flush (so it starts and ends on a byte
boundary, refers to nothing before it, and is not final), followed by one
final empty block: concatenated, they are one valid deflate stream. Each
segment has a key (a digest of what its bytes are made from); a segment
whose key the previous file holds (``OldArchive``) is copied from it instead
of compressed again, and the member's CRC-32 is combined from the
segments' (``crc32_combine``). The same segments compressed the same way
give the same bytes whether they were copied or made, so an archive
rebuilt in part equals one built whole.

The container (``Archive.write``) is written here, in the layout ``zipfile``
writes (no data descriptors; Zip64 extra fields only for members or offsets
past ``ZIP64_LIMIT``), with every date set to the release's.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

END = b"\x03\x00"  # a final, empty block with fixed codes: ends the deflate stream
ZIP64_LIMIT = (1 << 31) - 1  # as zipfile: past this, sizes and offsets go in a Zip64 extra
ATTR = 0o644 << 16
CHUNK = 1 << 20
WINDOW = 32768  # how far back deflate refers
THREADS = 2  # compressing at once
PENDING = 32  # segments compressed ahead of the spool, at most (bounds the memory)

# Segment: (key, raw length, CRC-32 of the raw bytes, compressed length)
Segment = tuple[bytes, int, int, int]


def _multmodp(a: int, b: int) -> int:
    """a × b modulo the CRC-32 polynomial (reflected bit order, as zlib's ``multmodp``)."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                return p
        m >>= 1
        b = (b >> 1) ^ 0xEDB88320 if b & 1 else b >> 1


def _x2n_table() -> list[int]:
    table, p = [], 1 << 30  # x^1
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _x2n_table()  # x^(2^n) modulo the polynomial
ZEROS_MAX = 40_000  # measured: below this, zlib over zeros beats the GF(2) arithmetic
_ZEROS = memoryview(bytes(ZEROS_MAX))


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from CRC-32 of A, of B and the length of B (zlib's ``crc32_combine``).

    Short B: the CRC is affine in its start value, so running zlib over zeros
    is quickest; long B: multiplication by x^(8 len2) in GF(2), as zlib does.
    """
    if len2 <= ZEROS_MAX:
        zeros = _ZEROS[:len2]
        return zlib.crc32(zeros, crc1) ^ zlib.crc32(zeros, 0) ^ crc2
    p, k = 1 << 31, 3  # x^0; a byte is 2^3 bits
    while len2:
        if len2 & 1:
            p = _multmodp(_X2N[k & 31], p)
        len2 >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


def deflate_segment(raw: bytes, level: int, before: bytes | None = None) -> bytes:
    """``raw`` compressed, ending on a byte boundary with no final block.

    ``before``: the data just before ``raw`` in the stream (at most ``WINDOW``
    bytes), which the segment may refer back to, as if compressed in one go.
    """
    if before:
        c = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=before)
    else:
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(raw) + c.flush(zlib.Z_SYNC_FLUSH)


@dataclass
class Member:
    """One member being assembled: its segments and where their compressed bytes are."""

    name: str
    segments: list[Segment] = field(default_factory=list)
    pieces: list[tuple[bool, int, int]] = field(default_factory=list)  # (from old, offset, len)

    def keys(self) -> tuple[bytes, ...]:
        return tuple(s[0] for s in self.segments)


class OldArchive:
    """The previous build of an archive: its file (verified unchanged) and what it holds."""

    def __init__(self, path: Path, members: list) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        self.segments: dict[bytes, tuple[int, int, int, int]] = {}
        self.members: dict[str, tuple[tuple[bytes, ...], int]] = {}
        self.listing: dict[str, tuple[int, list[Segment]]] = {}  # name -> (data offset, segments)
        for name, crc, _raw, _comp, offset, segments in members:
            self.members[name] = (tuple(s[0] for s in segments), crc)
            self.listing[name] = (offset, segments)
            for key, raw_len, seg_crc, comp_len in segments:
                self.segments[key] = (offset, comp_len, raw_len, seg_crc)
                offset += comp_len

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Archive:
    """A zip being assembled from segments, made or copied from ``old``."""

    def __init__(self, date_time: tuple, old: OldArchive | None = None) -> None:
        self.date_time = date_time
        self.old = old
        self.members: dict[str, Member] = {}
        self.spool: BinaryIO | None = None
        self.spooled = 0
        self.pool: ThreadPoolExecutor | None = None
        self.pending: deque[tuple[Member, int, Future]] = deque()
        # Chained segments (``add(chain=True)``), per member: the key of the last
        # one and the tail of its data (None: not given), and the same keys as
        # ``probe`` has seen them.
        self.last: dict[str, bytes] = {}
        self.tail: dict[str, bytes | None] = {}
        self.probed: dict[str, bytes] = {}

    def member(self, name: str) -> Member:
        got = self.members.get(name)
        if got is None:
            got = self.members[name] = Member(name)
        return got

    def has(self, key: bytes) -> bool:
        return self.old is not None and key in self.old.segments

    def reuse(self, name: str) -> bool:
        """Member ``name`` of the old archive, whole, as this one's; False if it has none."""
        if self.old is None or name not in self.old.listing or name in self.members:
            return False
        offset, segments = self.old.listing[name]
        member = self.member(name)
        member.segments = list(segments)
        member.pieces = [(True, offset, sum(s[3] for s in segments))]
        return True

    def probe(self, name: str, key: bytes) -> bool:
        """Whether ``add(name, key, chain=True)`` in this order would copy the segment from old.

        Call for every chained segment, in order, before the first ``add``.
        """
        got = chained(self.probed.get(name, b""), key)
        self.probed[name] = key
        return self.has(got)

    def add(
        self,
        name: str,
        key: bytes,
        raw: bytes | None,
        level: int,
        chain: bool = False,
        before: bytes | None = None,
    ) -> None:
        """Append a segment to member ``name``: copied when ``old`` has it, else made of ``raw``.

        ``chain``: the segment may refer back to the previous chained segment
        of the member (far better compression of small segments), so it is
        made again when that one changed, which must then be given with its
        ``raw`` data too. Or ``before``: the data before the segment (see
        ``deflate_segment``), which ``key`` must then take into account.
        """
        member = self.member(name)
        if chain:
            before = self.tail.get(name)
            prev = self.last.get(name, b"")
            self.last[name] = key
            self.tail[name] = raw[-WINDOW:] if raw is not None else None
            if prev and before is None and not self.has(chained(prev, key)):
                raise ValueError(f"{name}: the segment before a changed one was not given")
            key = chained(prev, key)
        if self.old is not None and (got := self.old.segments.get(key)) is not None:
            offset, comp_len, raw_len, crc = got
            member.segments.append((key, raw_len, crc, comp_len))
            member.pieces.append((True, offset, comp_len))
            return
        if raw is None:
            raise ValueError(f"{name}: segment not in the previous archive and no data given")
        if not raw:
            return  # an empty segment adds nothing to the stream
        # Compressed in a thread (zlib lets go of the GIL), spooled in order.
        at = len(member.segments)
        member.segments.append((key, len(raw), 0, 0))  # CRC and length when done
        member.pieces.append((False, 0, 0))
        if self.pool is None:
            self.pool = ThreadPoolExecutor(THREADS, thread_name_prefix="gongkai-deflate")
        self.pending.append((member, at, self.pool.submit(_compress, raw, level, before)))
        self._drain(len(self.pending) > PENDING)

    def _drain(self, wait: bool = False) -> None:
        """Spool the compressed segments done, in order; ``wait``: the oldest at least."""
        while self.pending and (wait or self.pending[0][2].done()):
            member, at, future = self.pending.popleft()
            crc, data = future.result()
            if self.spool is None:
                self.spool = tempfile.TemporaryFile(prefix="gongkai-zip-")  # noqa: SIM115
            self.spool.write(data)
            key, raw_len, _, _ = member.segments[at]
            member.segments[at] = (key, raw_len, crc, len(data))
            member.pieces[at] = (False, self.spooled, len(data))
            self.spooled += len(data)
            wait = False

    def done(self) -> None:
        """Wait for every segment being compressed."""
        while self.pending:
            self._drain(True)

    def add_bytes(self, name: str, raw: bytes, level: int) -> None:
        """A segment keyed by its own bytes (small parts, made fresh every time)."""
        self.add(name, digest(raw), raw, level)

    def key(self, order: list[str]) -> bytes:
        """What decides the archive's bytes: the members' names and segments, in ``order``."""
        self.done()
        h = _hasher()
        h.update(repr(self.date_time).encode())
        for name in order:
            h.update(name.encode() + b"\0")
            for key, raw_len, crc, comp_len in self.members[name].segments:
                h.update(key + struct.pack("<QLQ", raw_len, crc, comp_len))
        return h.digest()

    def write(self, out: BinaryIO, order: list[str]) -> list:
        """Write the zip of the members in ``order`` to ``out``; returns what ``OldArchive`` reads."""
        self.done()
        if self.spool is not None:
            self.spool.flush()
        dostime, dosdate = _dos(self.date_time)
        entries, listing = [], []
        pos = 0
        for name in order:
            member = self.members[name]
            raw_len = sum(s[1] for s in member.segments)
            comp_len = sum(s[3] for s in member.segments) + len(END)
            crc = self._crc(member)
            head = _local_header(name.encode(), crc, comp_len, raw_len, dostime, dosdate)
            out.write(head)
            self._copy(out, member.pieces)
            out.write(END)
            entries.append((name.encode(), crc, comp_len, raw_len, pos))
            listing.append((name, crc, raw_len, comp_len, pos + len(head), member.segments))
            pos += len(head) + comp_len
        _central_directory(out, entries, pos, dostime, dosdate)
        return listing

    def _crc(self, member: Member) -> int:
        if self.old is not None:
            old = self.old.members.get(member.name)
            if old is not None and old[0] == member.keys():
                return old[1]
        crc = 0
        for _key, raw_len, seg_crc, _comp in member.segments:
            crc = crc32_combine(crc, seg_crc, raw_len)
        return crc

    def _copy(self, out: BinaryIO, pieces: list[tuple[bool, int, int]]) -> None:
        merged: list[list] = []
        for old, offset, length in pieces:  # adjacent pieces of one source: one read
            if merged and merged[-1][0] == old and merged[-1][1] + merged[-1][2] == offset:
                merged[-1][2] += length
            else:
                merged.append([old, offset, length])
        for old, offset, length in merged:
            fd = self.old.fd if old else self.spool.fileno()  # type: ignore[union-attr]
            while length:
                data = os.pread(fd, min(length, CHUNK), offset)
                if not data:
                    raise OSError("archive piece shorter than recorded")
                out.write(data)
                offset += len(data)
                length -= len(data)

    def close(self) -> None:
        if self.pool is not None:
            for _, _, future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True)
            self.pool = None
            self.pending.clear()
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def _compress(raw: bytes, level: int, before: bytes | None) -> tuple[int, bytes]:
    return zlib.crc32(raw), deflate_segment(raw, level, before)


def chained(prev: bytes, key: bytes) -> bytes:
    """The key of segment ``key`` compressed after segment ``prev`` (b"": the first)."""
    return hashlib.blake2b(prev + key, digest_size=16).digest() if prev else key


def _hasher():
    return hashlib.blake2b(digest_size=16)


def digest(data: bytes) -> bytes:
    """The key of a segment made of exactly ``data``."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _dos(date_time: tuple) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _local_header(name: bytes, crc: int, comp: int, raw: int, dostime: int, dosdate: int) -> bytes:
    extra = b""
    version = 20
    if comp > ZIP64_LIMIT or raw > ZIP64_LIMIT:
        extra = struct.pack("<HHQQ", 1, 16, raw, comp)
        comp = raw = 0xFFFFFFFF
        version = 45
    head = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", version, 0, 0, 8, dostime, dosdate,
                       crc, comp, raw, len(name), len(extra))  # fmt: skip
    return head + name + extra


def _central_directory(
    out: BinaryIO, entries: list, start: int, dostime: int, dosdate: int
) -> None:
    size = 0
    for name, crc, comp, raw, offset in entries:
        extra = []
        if raw > ZIP64_LIMIT:
            extra.append(raw)
            raw = 0xFFFFFFFF
        if comp > ZIP64_LIMIT:
            extra.append(comp)
            comp = 0xFFFFFFFF
        if offset > ZIP64_LIMIT:
            extra.append(offset)
            offset = 0xFFFFFFFF
        extra_bytes = struct.pack(f"<HH{len(extra)}Q", 1, 8 * len(extra), *extra) if extra else b""
        version = 45 if extra else 20
        record = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", version, 3, version, 0, 0, 8,
                             dostime, dosdate, crc, comp, raw, len(name), len(extra_bytes), 0,
                             0, 0, ATTR, offset)  # fmt: skip
        out.write(record + name + extra_bytes)
        size += len(record) + len(name) + len(extra_bytes)
    count = len(entries)
    if count > 0xFFFF or size > ZIP64_LIMIT or start > ZIP64_LIMIT:
        end64 = start + size
        out.write(
            struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start)
        )
        out.write(struct.pack("<4sLQL", b"PK\x06\x07", 0, end64, 1))
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF),
                              min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF), 0))  # fmt: skip
        return
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
