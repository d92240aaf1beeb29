"""StatDigests: a file is read again only when its stat changed, or when it changed recently."""

from __future__ import annotations

import hashlib
import os
import time

from generator import statdigest
from generator.statdigest import StatDigests


def _old(path, seconds_ago: int = 60) -> None:
    t = time.time_ns() - seconds_ago * 10**9
    os.utime(path, ns=(t, t))


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(statdigest, "START_NS", time.time_ns() + 10 * statdigest.MARGIN_NS)
    (tmp_path / "a.txt").write_bytes(b"one")
    first = StatDigests(tmp_path)
    assert first.digest("a.txt") == hashlib.sha256(b"one").digest()
    assert first.digest("missing.txt") is None

    reads = []
    real_open = open

    def counting_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    second = StatDigests(tmp_path, first.remembered)
    assert second.digest("a.txt") == hashlib.sha256(b"one").digest()
    assert reads == [] and second.remembered == first.remembered


def test_a_changed_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(statdigest, "START_NS", time.time_ns() + 10 * statdigest.MARGIN_NS)
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    _old(path, 120)
    first = StatDigests(tmp_path)
    first.digest("a.txt")
    path.write_bytes(b"two")  # same size; new mtime and ctime
    _old(path, 60)
    second = StatDigests(tmp_path, first.remembered)
    assert second.digest("a.txt") == hashlib.sha256(b"two").digest()


def test_recent_files_are_read_and_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(statdigest, "START_NS", time.time_ns() - 10 * statdigest.MARGIN_NS)
    (tmp_path / "a.txt").write_bytes(b"one")
    digests = StatDigests(tmp_path)
    assert digests.digest("a.txt") == hashlib.sha256(b"one").digest()
    assert digests.remembered == {}
    forged = {"a.txt": (*(0, 0, 0, 0), b"x" * 32)}  # a remembered stat that cannot match
    assert StatDigests(tmp_path, forged).digest("a.txt") == hashlib.sha256(b"one").digest()
