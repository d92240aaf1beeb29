"""Search records spooled to disk as pages are made, so the build never holds them all.

A page's :class:`SearchRecord` (title, excerpt, several KB of text) is needed
only by the worker that indexes its shard. :class:`RecordStore` appends each
record, pickled, to one file and keeps an :class:`Entry` in memory: what
planning the shards (url, province), the manifest's filter values (kind,
filters) and the shard cache key (a digest of the record) need, and where the
record is in the file. A shard worker reads its own records back with
:func:`read_records`.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..pages import SearchRecord

FILE = "search-records.pickle"


class Entry(NamedTuple):
    """A spooled record: its url, kind and filters, its digest, and where it is stored."""

    url: str
    kind: str
    filters: dict[str, tuple[str, ...]]
    digest: bytes  # record_digest of the record
    offset: int
    size: int


def record_digest(record: SearchRecord) -> bytes:
    """SHA-256 of everything in a record that shapes its shard (see :mod:`.cache`)."""
    filters = sorted((k, list(v)) for k, v in record.filters.items())
    fields = [record.url, record.title, record.excerpt, record.text, record.kind, filters]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).digest()


class RecordStore:
    """Records appended to ``<directory>/search-records.pickle``, their entries in memory."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / FILE
        self.entries: list[Entry] = []
        self._file: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 (closed by close())
        self._offset = 0

    @classmethod
    def of(cls, records: Iterable[SearchRecord], directory: Path) -> RecordStore:
        """A closed store holding ``records``."""
        store = cls(directory)
        for record in records:
            store.add(record)
        store.close()
        return store

    def add(self, record: SearchRecord) -> None:
        """Append ``record``."""
        assert self._file is not None, "store is closed"
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self.entries.append(
            Entry(
                record.url,
                record.kind,
                record.filters,
                record_digest(record),
                self._offset,
                len(data),
            )
        )
        self._offset += len(data)

    def add_stored(self, data: bytes, entry: Entry) -> None:
        """Append a record as another store holds it: ``data`` (its pickle) and ``entry``."""
        assert self._file is not None, "store is closed"
        self._file.write(data)
        url, kind, filters, digest = entry[:4]  # not _replace: 10 µs a call, 16,000 calls
        self.entries.append(Entry(url, kind, filters, digest, self._offset, len(data)))
        self._offset += len(data)

    def close(self) -> None:
        """Flush the file; the store is read-only from here on."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __len__(self) -> int:
        return len(self.entries)


def read_records(path: Path, entries: Iterable[Entry]) -> Iterator[SearchRecord]:
    """The records of ``entries``, in their order, read one at a time from ``path``."""
    with open(path, "rb") as f:
        for entry in entries:
            f.seek(entry.offset)
            yield pickle.loads(f.read(entry.size))
