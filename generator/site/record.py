"""Taking down, as a build goes, what the next build needs to update the site in place.

The page stream of a cached build carries markers between the pages
(``render.TaskDone`` after a task's pages, ``render.TaskReused`` instead of
them); :class:`Recorder` turns them into :class:`~.state.TaskState` entries,
copies the search records of reused tasks from the previous build's records
file into the new one, and keeps the shells and keys the state needs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..pages import Page
from ..render import TaskDone, TaskReused, TaskStart
from ..search.store import RecordStore
from .state import RECORDS_FILE, SiteState, TaskState, site_files, state_dir

DOWNLOADS = "downloads/"


@dataclass
class ShellSet:
    """The shells of a build, by shape, with their compiled templates and the link prefixes."""

    shells: list  # Shell
    templates: list  # Template, same order
    prefixes: set

    def sid(self, shape) -> int | None:  # type: ignore[no-untyped-def]
        for shell in self.shells:
            if shell.shape == shape:
                return shell.sid
        return None


@dataclass
class Recorder:
    """Builds the :class:`SiteState` of the build under way."""

    keys: dict  # PageTask -> key
    previous: SiteState | None = None
    tasks: dict = field(default_factory=dict)
    shellset: ShellSet | None = None
    mkdocs_key: bytes = b""
    offline_key: bytes = b""
    downloads: tuple[str, ...] = ()  # static files mkdocs saw under downloads/
    raw_digests: dict = field(default_factory=dict)  # the raw texts' (StatDigests.remembered)
    reused: int = 0
    _paths: list[str] = field(default_factory=list)
    _start: int = 0
    _kept: bool = False
    _old: BinaryIO | None = None

    def page(self, page: Page, kept: bool) -> None:
        """A page of the task under way; ``kept``: mkdocs builds it (the task is then
        rendered again by every build, so that mkdocs always has it)."""
        self._paths.append(page.path)
        self._kept = self._kept or kept

    def task(
        self, item: TaskStart | TaskDone | TaskReused, paths: list[str], store: RecordStore
    ) -> None:
        """A task starts, is finished (its pages seen) or is reused (its pages' paths
        added to ``paths``, its records copied into ``store``)."""
        if isinstance(item, TaskStart):
            pass
        elif isinstance(item, TaskReused):
            assert self.previous is not None
            old = self.previous.tasks[item.task]
            start = len(store.entries)
            for entry in old.records:
                store.add_stored(self._read_old(store, entry), entry)
            self.tasks[item.task] = TaskState(
                old.key, old.paths, tuple(store.entries[start:]), old.bulk
            )
            paths += old.paths
            self.reused += 1
        elif item.key is not None:
            records = tuple(store.entries[self._start :])
            bulk = not self._kept
            self.tasks[item.task] = TaskState(item.key, tuple(self._paths), records, bulk)
        self._paths = []
        self._kept = False
        self._start = len(store.entries)

    def _read_old(self, store: RecordStore, entry) -> bytes:  # type: ignore[no-untyped-def]
        if self._old is None:
            self._old = open(store.path.parent.parent / RECORDS_FILE, "rb")  # noqa: SIM115
        self._old.seek(entry.offset)
        return self._old.read(entry.size)

    def close(self) -> None:
        if self._old is not None:
            self._old.close()
            self._old = None

    def not_bulk(self, paths: set[str]) -> None:
        """Pages built by mkdocs after all: their tasks are rendered again by every build."""
        for state in self.tasks.values():
            if state.bulk and not paths.isdisjoint(state.paths):
                state.bulk = False

    def state(self, out: Path, base: bytes, files: dict, paths: list[str]) -> SiteState:
        return SiteState(
            out=os.fspath(out),
            base=base,
            files=files,
            tasks=self.tasks,
            paths=frozenset(paths),
            plan=self.shellset,
            mkdocs_key=self.mkdocs_key,
            offline_key=self.offline_key,
            downloads=self.downloads,
            raw_digests=self.raw_digests,
        )


def offline_key(site_dir: Path) -> bytes:
    """Digest of the files the offline zip packs (``requester.offline``), b"" without it."""
    try:
        from ..requester.offline import site_files as packed_files
    except ImportError:
        return b""
    h = hashlib.sha256()
    for path in packed_files(site_dir):
        h.update(path.relative_to(site_dir).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def records_dir(root: Path) -> Path:
    """Where a cached build writes its search records (moved to ``RECORDS_FILE`` at the end)."""
    return state_dir(root) / "records.new"


def keep_records(root: Path, store: RecordStore) -> None:
    """Make the build's records file the one the next build reads."""
    os.replace(store.path, state_dir(root) / RECORDS_FILE)


def docs_key(docs_dir: Path, cfg: dict, downloads: tuple[str, ...]) -> bytes:
    """What mkdocs builds from: the configuration (its own paths left out), the
    ``downloads`` by name (mkdocs copies them as they are; a rebuild gives it empty
    stand-ins) and every other docs file by name and bytes."""
    h = hashlib.sha256()
    plain = {k: v for k, v in cfg.items() if k not in ("docs_dir", "site_dir")}
    h.update(repr(sorted(plain.items(), key=lambda kv: kv[0])).encode("utf-8"))
    h.update("\n".join(downloads).encode("utf-8") + b"\0")
    names = set(downloads)
    for rel in sorted(site_files(docs_dir)):
        if rel in names:
            continue
        h.update(rel.encode("utf-8") + b"\0")
        with open(docs_dir / rel, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.digest()
