"""Summary pages kept between builds, by a digest of what they show.

The year pages list every report of their year: at 3,200 reports they are
three quarters of the time the summary pages take, and a one-report edit
changes at most one of them. ``PageCache.page(parts, make)`` returns the page
made earlier from the same ``parts`` (and the same generator code), or makes
it. The cache is one file, ``<root>/.cache/gongkai/site/pages.pickle``,
signed with the user's cache key (``loadcache``) like every cache file that
is unpickled; it holds only the pages of the last build.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import loadcache
from ..pages import Page
from .keys import code_digest

CACHE_FILE = Path(".cache") / "gongkai" / "site" / "pages.pickle"  # under the root


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class PageCache:
    """Pages by the digest of their inputs; ``save`` keeps those used this build."""

    def __init__(self, root: Path | None) -> None:
        self.path = Path(root) / CACHE_FILE if root is not None else None
        self.key = loadcache.signing_key() if root is not None else None
        self.stamp = hashlib.sha256(b"pages 1\0" + code_digest()).hexdigest()
        self.old: dict[str, Page] = {}
        self.new: dict[str, Page] = {}
        if self.path is not None and self.key is not None:
            stored = loadcache.read(self.path, self.key, self.stamp)
            if isinstance(stored, dict):
                self.old = stored

    def page(self, parts: Iterable[str], make: Callable[[], Page]) -> Page:
        """The page made from ``parts`` (strings naming every input of ``make``)."""
        digest = _digest(parts)
        page = self.old.get(digest)
        if not isinstance(page, Page):
            page = make()
        self.new[digest] = page
        return page

    def save(self) -> None:
        """Keep this build's pages for the next (nothing without a signing key)."""
        if self.path is None or self.key is None or self.new.keys() == self.old.keys():
            return
        payload = pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL)
        loadcache.write(self.path, self.key, self.stamp, payload)


NO_CACHE = PageCache(None)
