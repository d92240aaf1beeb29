"""The Pagefind binary, for what gongkai does not write itself.

:mod:`.writer` writes a shard's index files; the binary (``pagefind
--service``, :mod:`.service`) still gives the browser runtime
(:func:`runtime_files`) and is the reference the writer is tested against
(:func:`pagefind_files`: the files Pagefind writes for the same pages, made
canonical by :mod:`.canonical` and kept as the site keeps them).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from functools import lru_cache

from .canonical import DCD, canonical_files
from .service import PagefindProcess
from .writer import ShardPage, check_version

IN_FLIGHT = 64  # records sent to one Pagefind process ahead of its answers
# Pagefind's runtime, needed only where the browser starts: the primary shard.
RUNTIME_ONLY = ("pagefind.js",)
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",  # gk-search.js searches on the main thread (noWorker)
)


def is_runtime(path: str) -> bool:
    """Whether ``path`` is a file of Pagefind's browser runtime (kept in the primary shard)."""
    return path in RUNTIME_ONLY or path.startswith("wasm.")


def keep_file(path: str, primary: bool) -> bool:
    """Pagefind's default UIs are never used; its runtime only in the primary shard."""
    if path in UNUSED_FILES:
        return False
    return primary or not is_runtime(path)


def strip_fragment(data: bytes) -> bytes:
    """A fragment without its (token) content; url, meta and filters kept."""
    raw = gzip.decompress(data)
    if not raw.startswith(DCD):
        return data
    fragment = json.loads(raw[len(DCD) :])
    fragment["content"] = ""
    body = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(DCD + body, mtime=0)


def pagefind_files(
    pages: Iterable[ShardPage], language: str, primary: bool = False
) -> dict[str, bytes]:
    """The files the Pagefind binary writes for ``pages`` (path → bytes): canonical,
    pruned as the site prunes them, fragments without their content."""
    with PagefindProcess(IN_FLIGHT) as pagefind:
        config = {"force_language": language, "write_playground": False}
        index_id = pagefind.call({"type": "NewIndex", "config": config})["index_id"]
        for page in pages:
            pagefind.send(
                {
                    "type": "AddRecord",
                    "index_id": index_id,
                    "url": page.url,
                    "content": page.content,
                    "language": language,
                    "meta": dict(page.meta),
                    "filters": {k: list(v) for k, v in page.filters.items()},
                    "sort": None,
                }
            )
        files = pagefind.call({"type": "GetFiles", "index_id": index_id})["files"]
    decoded = [{"path": f["path"], "content": base64.b64decode(f["content"])} for f in files]
    out = {}
    for file in canonical_files(decoded):
        path, data = file["path"], file["content"]
        if keep_file(path, primary):
            out[path] = strip_fragment(data) if path.startswith("fragment/") else data
    return out


@lru_cache(maxsize=1)
def runtime_files() -> dict[str, bytes]:
    """Pagefind's browser runtime (``pagefind.js`` and the WebAssembly), from the binary."""
    check_version()
    files = pagefind_files([ShardPage("/", "x", {}, {})], "zz", primary=True)
    return {path: data for path, data in files.items() if is_runtime(path)}
