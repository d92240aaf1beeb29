"""Write the site's search index: bigram tokens, sharded, in Pagefind's format.

Layout written into the site directory::

    pagefind/               primary shard: site-wide pages (no province) when
                            there are any, plus Pagefind's runtime (pagefind.js
                            and the WebAssembly) and gk-search.json (the shard
                            manifest)
    pagefind-<n>/           further shards: whole provinces packed up to
                            ``max_shard_pages`` pages (a bigger province is
                            split into equal parts); index data only
    assets/gk-search.js     the search UI (attaches to #gk-search and the
    assets/gk-search.css    header form from partials/gk-search.html)

The records are spooled to disk first (:mod:`.store`; the site build spools
them as its pages are made), so only their urls, filters and digests are in
memory while the shards are planned. The shards are indexed ``jobs`` at a
time, largest first (one per CPU core), each in a forked worker process,
which reads its shard's records from the spool, tokenizes them (encoding
each distinct run once: :class:`ContentEncoder`) and writes the shard's
files in Pagefind's format itself (:mod:`.writer`; Pagefind's own indexer
took three times as long), so memory is bounded by the largest shards, not
the site. Pagefind's runtime comes from its binary
(:func:`.reference.runtime_files`). With a ``cache_dir``
(:mod:`generator.search.cache`) a shard whose records are unchanged is
taken from the previous build instead of indexed again.

A site directory that already holds the index of an earlier build is updated
in place (:mod:`generator.search.sync`): a shard directory that already holds
its shard is left alone, a changed one is synced file by file (files whose
bytes are unchanged are kept), shard directories no longer planned are
removed, and the manifest, gk-next and asset files are rewritten only when
their bytes change. The result is byte-identical to indexing into an empty
directory.
The browser merges the shards it needs with Pagefind's ``mergeIndex``, in
manifest order and a step at a time: the first screen of results usually
comes from the primary shard alone, the others are searched when the user
asks (assets/gk-search.js); a province filter merges only the primary and
the shards holding that province. Every shard costs the browser at least one
index chunk per query term (Pagefind cuts its index into chunks of about
20,000 word positions), so small shards make the first screen cheap and a
search of everything dear (see ``MAX_SHARD_PAGES``).

Every page is one Pagefind page whose content is the ASCII-encoded bigram
tokens (see :mod:`generator.search.tokens`) of each distinct maximal run of
:func:`indexed_text` once (:func:`page_runs`: exact, and a third fewer
positions than the whole text); title, excerpt and kind go into its meta,
year/province/level/kind into its filters. Its fragment file is written
without the content, which nothing reads (results show our own title and
excerpt): a result costs a few hundred bytes instead of kilobytes. The files
are those Pagefind would write, in a fixed order (see :mod:`.writer` and
:mod:`.canonical`), so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..gcutil import frozen
from ..pages import SearchRecord
from ..workers import default_jobs
from .reference import runtime_files
from .store import Entry, RecordStore, read_records
from .sync import stamp, sync_files, sync_tree, write_if_changed
from .tokens import run_content, runs, tokens_of_runs
from .writer import ShardPage, WordTable, check_version, prepare, present_words, write_shard

if TYPE_CHECKING:
    from .ahead import Prefetch

LANGUAGE = "zz"  # no stemmer, no segmenter: our tokens pass through untouched
PRIMARY = "pagefind"
MANIFEST = "gk-search.json"
NEXT_DIR = "gk-next"
ASSETS = Path(__file__).parent / "assets"
ASSET_FILES = ("gk-search.js", "gk-search.css")
FACETS = ("year", "province", "level", "kind")
EXCERPT_CHARS = 160
# Pages per shard. The first screen of results searches only the primary shard: at
# 3,200 reports, 依申请公开 downloads 255 KB of search files with shards of 400 pages,
# 268 KB with 500, 813 KB when every 1,000-page shard was searched (Pagefind's
# runtime is 111 KB of it). Smaller shards also make a one-edit rebuild re-index
# fewer pages; but every shard costs a search of the whole site at least one index
# chunk per query term (1.2 MB at 500, 1.5 MB at 400 for that query at 3,200).
MAX_SHARD_PAGES = 400
# Peak memory a shard worker adds per page of its shard (report pages: 225 MB for
# 400, most of it the writer's arrays of word positions), and the worker's own
# (~80 MB). Fewer shards run at once when memory is short; the shards themselves
# never depend on the machine.
WRITER_MB_PER_PAGE = 0.6
WORKER_MB = 100
RUN_MEMO = 200_000  # distinct runs whose encoding a shard worker keeps (about 40 MB)
LONG_LEADS = "yz"  # first letters of the 5-letter code words (tokens.py)


@dataclass
class Shard:
    """A group of records (or their spooled entries) indexed together into one directory."""

    path: str  # directory name under the site dir, e.g. "pagefind-2"
    records: list = field(default_factory=list)  # SearchRecord or Entry, in shard order
    provinces: set[str] = field(default_factory=set)  # "" stands for site-wide pages


@dataclass(frozen=True)
class IndexStats:
    """What was written (for build output and benchmarks)."""

    pages: int
    shards: int
    largest_shard_pages: int


def indexed_text(record: SearchRecord) -> str:
    """The text a page is found by: its title, then its text."""
    return f"{record.title}\n{record.text}"


def province_of(record: SearchRecord | Entry) -> str:
    """The shard key: the record's province, or "" for site-wide pages."""
    values = record.filters.get("province") or ()
    return values[0] if values else ""


def plan_shards(
    records: Iterable[SearchRecord | Entry], max_shard_pages: int = MAX_SHARD_PAGES
) -> list[Shard]:
    """Pack whole provinces into shards of at most ``max_shard_pages`` pages.

    Site-wide pages (no province) come first, so they are in the primary
    shard, which the browser always searches first; provinces follow in name
    order, small ones packed together. A province larger than a shard is
    split into equal parts (so there are no near-empty remainder shards: a
    shard costs the browser at least one index chunk per query term, however
    few pages it holds); a part joins the shard before it when it fits.
    """
    groups: dict[str, list] = defaultdict(list)
    for record in records:
        groups[province_of(record)].append(record)
    shards: list[Shard] = []
    current = Shard(PRIMARY)
    for province in sorted(groups, key=lambda p: (p != "", p)):
        group = sorted(groups[province], key=lambda r: r.url)
        for part in equal_parts(group, max_shard_pages):
            if current.records and len(current.records) + len(part) > max_shard_pages:
                shards.append(current)
                current = Shard(f"pagefind-{len(shards) + 1}")
            current.records += part
            current.provinces.add(province)
    if current.records:
        shards.append(current)
    return shards


def equal_parts(group: list, max_size: int) -> list[list]:
    """``group`` cut, in order, into the fewest parts of at most ``max_size``, sizes within one."""
    count = -(-len(group) // max_size)
    size, extra = divmod(len(group), count) if count else (0, 0)
    parts, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        parts.append(group[start:end])
        start = end
    return parts


def record_filters(record: SearchRecord | Entry) -> dict[str, list[str]]:
    """Pagefind filters of a record: its own, plus its kind."""
    out = {k: [str(v) for v in vs] for k, vs in record.filters.items() if vs}
    out.setdefault("kind", [record.kind])
    return out


def record_meta(record: SearchRecord) -> dict[str, str]:
    """Pagefind meta of a record: what a result shows."""
    excerpt = record.excerpt.strip()
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[: EXCERPT_CHARS - 1] + "…"
    return {"title": record.title, "excerpt": excerpt, "kind": record.kind}


def page_runs(title: str, text: str) -> list[str]:
    """The runs a page is indexed by: every run of the title, then the text's runs
    that are neither repeated nor contained in another run of the page.

    A query part (a run) is a substring of the page's normalized text exactly
    when it is a substring of one of the page's runs, so indexing each
    distinct maximal run once keeps search exact while reports, which repeat
    the same table labels and phrases many times, index a third fewer
    positions (the postings of a common bigram such as 公开 are most of what
    a search downloads). The title's runs stay first so that a title match
    still ranks first.
    """
    head = list(dict.fromkeys(runs(title)))
    heads = set(head)
    body = [run for run in dict.fromkeys(runs(text)) if run not in heads]
    # A body run is dropped when it is in a title run or in a longer body run (a
    # distinct run of the same length cannot hold it; one held by a dropped run is
    # held by the run that dropped it): in ``joined``, before its own place.
    longest_first = sorted(body, key=len, reverse=True)
    joined = "\x00".join([*head, *longest_first])
    start = len(joined) - sum(len(run) + 1 for run in longest_first) + 1
    kept: set[str] = set()
    for run in longest_first:
        if joined.find(run, 0, start) < 0:
            kept.add(run)
        start += len(run) + 1
    return head + [run for run in body if run in kept]


def indexed_tokens(record: SearchRecord) -> list[str]:
    """The tokens given to Pagefind for a record (see :func:`page_runs`)."""
    return tokens_of_runs(page_runs(record.title, record.text))


def successor_map(toks: Iterable[str]) -> dict[str, set[str]]:
    """First code word → the code words that follow it in the bigrams of ``toks``."""
    out: dict[str, set[str]] = defaultdict(set)
    for token in set(toks):
        n = 5 if token[0] in LONG_LEADS else 3
        if len(token) > n:
            out[token[:n]].add(token[n:])
    return out


def _merge(into: dict[str, set[str]], more: dict[str, Iterable[str]]) -> None:
    for code, following in more.items():
        into.setdefault(code, set()).update(following)


class ContentEncoder:
    """The content strings of a shard's pages: their tokens, space-separated.

    Pages repeat runs (table labels, set phrases), so each distinct run is
    encoded once (:func:`.tokens.run_content`) and its encoding reused, at
    most ``limit`` runs at a time.
    """

    def __init__(self, limit: int = RUN_MEMO):
        self.limit = limit
        self._pieces: dict[str, str] = {}

    def content(self, run_list: Iterable[str]) -> str:
        """``" ".join(tokens_of_runs(run_list))``."""
        pieces = self._pieces
        out = []
        for run in run_list:
            piece = pieces.get(run)
            if piece is None:
                if len(pieces) >= self.limit:
                    pieces.clear()
                piece = pieces[run] = run_content(run)
            out.append(piece)
        return " ".join(out)


def shard_pages(records: Iterable[SearchRecord], encoder: ContentEncoder) -> Iterator[ShardPage]:
    """What the index holds of each record, tokenized one at a time."""
    for record in records:
        yield ShardPage(
            record.url,
            encoder.content(page_runs(record.title, record.text)),
            record_meta(record),
            record_filters(record),
        )


def index_shard(
    spool: Path,
    entries: list[Entry],
    out_dir: Path,
    primary: bool,
    reuse: Path | None = None,
    keep: tuple[Path, str] | None = None,
) -> dict:
    """Index one shard (its records read from the ``spool`` file) into ``out_dir``;
    return its successor map (code → following codes).

    ``reuse``: a cache entry whose prepared pages (:func:`.cache.load_prepared`)
    stand in for the records with the same digest, so that only the others are
    read and tokenized; ``keep``: (entry dir, shard path) to keep this shard's
    prepared pages in. The files are the same either way. Runs in a worker
    process when shards are indexed concurrently.
    """
    from . import cache

    table, known = (cache.load_prepared(reuse) if reuse else None) or (WordTable(), {})
    missing = [e for e in entries if e.digest not in known]
    encoder = ContentEncoder()
    records = read_records(Path(spool), missing)
    made = {
        e.digest: prepare(page, table, LANGUAGE)
        for e, page in zip(missing, shard_pages(records, encoder), strict=True)
    }
    kept = [(e.digest, known.get(e.digest) or made[e.digest]) for e in entries]
    kept = [(digest, page) for digest, page in kept if page is not None]
    pages = [page for _, page in kept]
    files = write_shard(pages, table, LANGUAGE)
    if primary:
        files.update(runtime_files())
    for path in sorted(files):
        target = Path(out_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
    if keep is not None:
        cache.save_prepared(keep[0], keep[1], [digest for digest, _ in kept], pages, table)
    return successor_map(present_words([page.ids for page in pages], table.words))


def check_shard(shard_dir: Path, pages: int) -> None:
    """Fail loudly unless Pagefind wrote a complete index of ``pages`` pages."""
    try:
        entry = json.loads((shard_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        written = sum(lang["page_count"] for lang in entry["languages"].values())
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"search index {shard_dir} is incomplete: {exc}") from exc
    fragments = sum(1 for _ in (shard_dir / "fragment").glob("*.pf_fragment"))
    if written != pages or fragments != pages:
        raise RuntimeError(
            f"search index {shard_dir}: {pages} records, {written} indexed, {fragments} fragments"
        )


def facet_values(records: Iterable[SearchRecord | Entry]) -> dict[str, list[str]]:
    """Every value of every filter, for the filter controls (years newest first)."""
    values: dict[str, set[str]] = {k: set() for k in FACETS}
    for record in records:
        for key, vs in record_filters(record).items():
            values.setdefault(key, set()).update(vs)
    out = {k: sorted(v) for k, v in values.items() if v}
    if "year" in out:
        out["year"].sort(reverse=True)
    return out


def manifest(
    shards: list[Shard],
    records: Iterable[SearchRecord | Entry],
    max_shard_pages: int = MAX_SHARD_PAGES,
) -> dict:
    """The shard list and filter values the browser reads first.

    The browser searches the shards in this order, a step at a time (the
    first step about half of ``max_shard_pages`` pages), until it has a page
    of results; the user asks for the rest.
    """
    return {
        "version": 1,
        "language": LANGUAGE,
        "max_shard_pages": max_shard_pages,
        "shards": [
            {"path": s.path + "/", "provinces": sorted(s.provinces), "pages": len(s.records)}
            for s in shards
        ],
        "facets": facet_values(records),
    }


def copy_assets(site_dir: Path) -> None:
    """Put gk-search.js and gk-search.css into ``<site_dir>/assets/`` (unless already there)."""
    for name in ASSET_FILES:
        write_if_changed(site_dir / "assets" / name, (ASSETS / name).read_bytes())


def _remove_stale(site_dir: Path, keep: set[str]) -> None:
    """Remove the pagefind* directories of an earlier build that this one has no shard for."""
    for old in site_dir.glob("pagefind*"):
        if old.name not in keep and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)


def _extras(path: str) -> tuple[str, ...]:
    """Files of a shard directory that are not Pagefind's (left alone when it is synced)."""
    return (NEXT_DIR, MANIFEST) if path == PRIMARY else ()


def available_mb() -> float | None:
    """The memory available to start new processes (Linux ``MemAvailable``), if known."""
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return None
    m = re.search(r"^MemAvailable:\s+(\d+) kB", meminfo, re.M)
    return int(m.group(1)) / 1024 if m else None


def fitting_jobs(jobs: int, shard_pages: int, available: float | None) -> int:
    """``jobs``, or fewer (at least one) if ``available`` MB would not hold that many
    shard workers with shards of ``shard_pages`` pages. The output is the same."""
    if available is None:
        return jobs
    each = WORKER_MB + shard_pages * WRITER_MB_PER_PAGE
    return max(1, min(jobs, int(available // each)))


def _index_shards(
    spool: Path, jobs_: list[tuple[Shard, Path]], jobs: int, cache_dir: Path | None = None
) -> list[dict]:
    """Index every (shard, output dir); one worker process per shard when ``jobs`` > 1
    (fewer when memory is short, see :func:`fitting_jobs`). With ``cache_dir``, each
    output dir is in a cache entry, which keeps the shard's prepared pages, and the
    entry of the shard's last index lends it the pages whose records are unchanged."""
    from . import cache

    def args(i: int) -> tuple:
        shard, out = jobs_[i]
        reuse = cache.previous_prepared(cache_dir, shard.path) if cache_dir else None
        keep = (out.parent, shard.path) if cache_dir else None
        return (spool, shard.records, out, shard.path == PRIMARY, reuse, keep)

    largest = max((len(s.records) for s, _ in jobs_), default=0)
    jobs = fitting_jobs(jobs, largest, available_mb())
    if jobs <= 1 or len(jobs_) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [index_shard(*args(i)) for i in range(len(jobs_))]
    # fork, not spawn: spawn re-runs the caller's __main__ (python -m generator has no guard).
    context = multiprocessing.get_context("fork")
    # Frozen objects are left out of the workers' garbage collections, which
    # would otherwise write to (and so copy) every page of the parent's heap.
    gc.collect()
    # One fresh process per shard (maxtasksperchild=1): a reused worker's heap
    # keeps growing by what the shards before left behind.
    with frozen(), context.Pool(min(jobs, len(jobs_)), maxtasksperchild=1) as pool:
        # Largest first: the last shards, which run with a core to spare, are small.
        order = sorted(range(len(jobs_)), key=lambda i: -len(jobs_[i][0].records))
        results = {i: pool.apply_async(index_shard, args(i)) for i in order}
        return [results[i].get() for i in range(len(jobs_))]


def index_site(
    site_dir: Path,
    records: Iterable[SearchRecord] | RecordStore,
    *,
    max_shard_pages: int = MAX_SHARD_PAGES,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    pending: Prefetch | None = None,
) -> IndexStats:
    """Write the sharded search index and the search UI assets into ``site_dir``.

    ``records`` are the search records, or a closed :class:`RecordStore` of
    them (the site build's; other records are spooled into a temporary one).
    ``jobs`` shards are indexed at once (default: one per CPU core). With a
    ``cache_dir``, a shard whose records are unchanged since a previous build
    is taken from the cache instead of indexed again (see :mod:`.cache`);
    the output is byte-identical either way. ``pending`` (from
    :func:`.ahead.start_indexing`) is waited for first.

    A ``site_dir`` that holds the index of an earlier build is updated in
    place: only the files whose bytes change are replaced (see the module
    docstring).
    """
    check_version()
    if pending is not None and (cache_dir is None or not isinstance(records, RecordStore)):
        pending.wait()
        pending = None
    if isinstance(records, RecordStore):
        return _index_store(Path(site_dir), records, max_shard_pages, jobs, cache_dir, pending)
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as work:
        store = RecordStore.of(records, Path(work))
        return _index_store(Path(site_dir), store, max_shard_pages, jobs, cache_dir)


def _index_store(
    site_dir: Path,
    store: RecordStore,
    max_shard_pages: int,
    jobs: int | None,
    cache_dir: Path | None,
    pending: Prefetch | None = None,
) -> IndexStats:
    site_dir.mkdir(parents=True, exist_ok=True)
    shards = plan_shards(store.entries, max_shard_pages)
    jobs = default_jobs() if jobs is None else jobs
    if cache_dir is None:
        successors = _index_uncached(site_dir, shards, store.path, jobs)
    else:
        successors = _index_cached(site_dir, shards, store.path, Path(cache_dir), jobs, pending)
    for shard in shards:
        check_shard(site_dir / shard.path, len(shard.records))
    primary = site_dir / PRIMARY
    if not shards:  # no primary shard: only the manifest and gk-next stay in pagefind/
        _clear(primary, keep=_extras(PRIMARY))
    write_successors(successors, primary / NEXT_DIR)
    # Compact: every visitor of the search downloads it (13 KB indented at 55,000 pages).
    text = json.dumps(
        manifest(shards, store.entries, max_shard_pages), ensure_ascii=False, separators=(",", ":")
    )
    write_if_changed(primary / MANIFEST, (text + "\n").encode("utf-8"))
    copy_assets(site_dir)
    _remove_stale(site_dir, {PRIMARY, *(s.path for s in shards)})
    return IndexStats(
        pages=len(store),
        shards=len(shards),
        largest_shard_pages=max((len(s.records) for s in shards), default=0),
    )


def write_successors(successors: dict[str, set[str]], directory: Path) -> None:
    """``<code>.txt``: the code words that follow ``code`` in some bigram, sorted.

    Pagefind's prefix search loads only the one index chunk where the prefix
    falls, so a one-character query (a prefix of all bigrams starting with
    that character) would miss bigrams in neighbouring chunks. The browser
    reads ``pagefind/gk-next/<code>.txt`` and preloads the chunks of every
    such bigram before searching, which makes one-character search exact.
    Files already holding the right text are left alone; others are removed.
    """
    files = {
        f"{code}.txt": " ".join(sorted(following)).encode("ascii")
        for code, following in successors.items()
    }
    sync_files(directory, files)


def _index_uncached(site_dir: Path, shards: list[Shard], spool: Path, jobs: int) -> dict:
    """Index every shard: straight into the site where its directory is new, else into a
    temporary directory beside the site that is then synced into it."""
    successors: dict[str, set[str]] = {}
    with contextlib.ExitStack() as stack:
        work, tmp = [], None
        for shard in shards:
            out = site_dir / shard.path
            if out.exists() or out.is_symlink():
                if tmp is None:  # the first shard whose directory is already there
                    tmp = Path(
                        stack.enter_context(
                            tempfile.TemporaryDirectory(
                                prefix=f".{site_dir.name}.search-", dir=site_dir.parent
                            )
                        )
                    )
                out = tmp / shard.path
            work.append((shard, out))
        for found in _index_shards(spool, work, jobs):
            _merge(successors, found)
        for shard, out in work:
            if out != site_dir / shard.path:
                _sync_shard(out, site_dir / shard.path, shard.path, move=True)
    return successors


def _sync_shard(source: Path, dest: Path, path: str, move: bool = False) -> None:
    """:func:`.sync.sync_tree` for the shard directory ``path``; one that cannot be
    synced file by file (a file where a directory should be) is emptied first."""
    try:
        sync_tree(source, dest, move=move, skip=_extras(path))
    except OSError:
        _clear(dest, keep=_extras(path))
        sync_tree(source, dest, move=move, skip=_extras(path))


def _clear(directory: Path, keep: tuple[str, ...] = ()) -> None:
    """Remove everything in ``directory`` but the names in ``keep`` (and anything that is
    not a directory at its path)."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        directory.unlink()
    if not directory.is_dir():
        return
    for entry in list(os.scandir(directory)):
        if entry.name in keep:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _index_cached(
    site_dir: Path,
    shards: list[Shard],
    spool: Path,
    cache_dir: Path,
    jobs: int,
    pending: Prefetch | None = None,
) -> dict[str, set[str]]:
    """Index the shards missing from the cache into it; sync the site's shard directories
    that do not already hold their entry; return the successor map of every shard.

    ``cache.SITES`` records, per site directory, the entry each shard directory
    was synced to and its stamp then; a directory whose files still have that
    stamp is left alone without reading a file. ``pending`` (shards being indexed
    into new cache entries) is waited for once the site's directories are
    stamped, which needs none of its entries.
    """
    from . import cache

    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = shard_keys(shards)
    site_key = str(site_dir.resolve())
    held = cache.load_sites(cache_dir).get(site_key, {})
    stamps = {s.path: stamp(site_dir / s.path, _extras(s.path)) for s in shards}
    in_place = {
        s.path
        for s in shards
        if held.get(s.path) == [keys[s.path], stamps[s.path]] and cache.has(cache_dir, keys[s.path])
    }
    if pending is not None:
        pending.wait()
    missing = [
        s for s in shards if s.path not in in_place and not cache.valid(cache_dir, keys[s.path])
    ]
    fill_cache(spool, missing, keys, cache_dir, jobs)
    successors: dict[str, set[str]] = {}
    for shard in shards:
        key, dest = keys[shard.path], site_dir / shard.path
        if shard.path not in in_place:
            _sync_shard(cache.shard_dir(cache_dir, key), dest, shard.path)
            stamps[shard.path] = stamp(dest, _extras(shard.path))
        _merge(successors, cache.successors(cache_dir, key))
    sites = cache.load_sites(cache_dir)
    sites[site_key] = {s.path: [keys[s.path], stamps[s.path]] for s in shards}
    cache.save_sites(cache_dir, sites)
    cache.prune(cache_dir, set(keys.values()))
    return successors


def shard_keys(shards: list[Shard]) -> dict[str, str]:
    """The cache key of each shard, by its path."""
    from . import cache

    return {s.path: cache.shard_key(s.records, s.path == PRIMARY) for s in shards}


def fill_cache(
    spool: Path, shards: list[Shard], keys: dict[str, str], cache_dir: Path, jobs: int
) -> None:
    """Index ``shards`` into new cache entries."""
    from . import cache

    if not shards:
        return
    work = [(s, cache.start(cache_dir, keys[s.path])) for s in shards]
    try:
        found_all = _index_shards(spool, work, jobs, cache_dir)
        for (shard, out), found in zip(work, found_all, strict=True):
            cache.finish(cache_dir, keys[shard.path], out, found)
    finally:
        for _, out in work:
            cache.discard(out)
