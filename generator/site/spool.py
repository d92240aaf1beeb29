"""Pages kept on disk between rendering and writing, so that memory does not grow with N.

The site stage must see every page before mkdocs runs (the navigation and the
shapes of the bulk pages decide what mkdocs renders), and can only fill the
bulk pages into their shells after it. At 55,000 reports the finished HTML is
gigabytes of Python strings; instead the pages are pickled, as they arrive,
into ``parts`` temporary files (page *k* into part *k* mod ``parts``), read
back once to plan the shells and once more — one part per writer process — to
fill and write them. Only each page's path and search record stay in memory.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

from ..pages import Page


class Spool:
    """An append-only sequence of pages in ``parts`` files under ``directory``."""

    def __init__(self, directory: Path, parts: int = 2) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.parts = max(1, parts)
        self._files = [open(self._path(i), "wb") for i in range(self.parts)]  # noqa: SIM115
        self.count = 0

    def _path(self, part: int) -> Path:
        return self.directory / f"pages-{part}.pickle"

    def add(self, page: Page) -> None:
        """Append one page."""
        pickle.dump(page, self._files[self.count % self.parts], protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def close(self) -> None:
        """Finish writing (reading before this sees only part of the pages)."""
        for f in self._files:
            f.close()

    def part(self, index: int) -> Iterator[tuple[int, Page]]:
        """(position in the whole sequence, page) of every page in part ``index``."""
        position = index
        with open(self._path(index), "rb") as f:
            while position < self.count:
                yield position, pickle.load(f)
                position += self.parts

    def __iter__(self) -> Iterator[Page]:
        """Every page, in the order added."""
        readers = [self.part(i) for i in range(self.parts)]
        for position in range(self.count):
            yield next(readers[position % self.parts])[1]

    def __len__(self) -> int:
        return self.count
