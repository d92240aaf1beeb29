"""Stage 1, load: content files -> typed records, with diagnostics for what is wrong.

Layout under ``content/``::

    agencies/<agency-id>.yaml
    reports/<agency-id>/<year>.yaml
    guides/<agency-id>.yaml

A file that cannot be read or typed gives diagnostics and no record; the
other files still load, so one broken file never hides the rest.

Where a report is loaded (in a worker process for a large corpus) the checks
that need nothing but the report run too (``validate.report_checks.
local_results``); their diagnostics and sentence digests travel and are
cached with the record, in ``Content.checked``, and ``validate`` uses them
for as long as the record is the one in ``Content.reports``.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import loadcache, yamlsafe
from . import records as r
from .diagnostics import Diagnostic
from .formats import FORMAT_CODES, get_format
from .schema import AGENCY, GUIDE, Context, report_spec
from .schema.content import ROW_META_KEYS
from .schema.spec import MISSING
from .statdigest import current_stamp, settled_stamp

KINDS = ("agencies", "reports", "guides")
PARALLEL_MIN_FILES = 400  # below this, worker processes cost more than they save
PARALLEL_CHUNK = 64
Checked = tuple[r.Report, tuple[Diagnostic, ...], bytes]  # see ``Content.checked``


@dataclass
class Content:
    """Everything loaded from one content tree."""

    root: Path
    agencies: dict[str, r.Agency] = field(default_factory=dict)
    reports: dict[str, r.Report] = field(default_factory=dict)  # key: agency/year
    guides: dict[str, r.Guide] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # file (as in ``files``) -> SHA-256 (hex) of the bytes loaded: what the site build keys
    # its pages on (files that could not be read have none)
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    # report id -> (the record, its local check diagnostics, its sentence digests)
    checked: dict[str, Checked] = field(default_factory=dict, repr=False)
    # report id -> diagnostics of ``check_source`` on the record in ``checked``, when the
    # loader ran it (``slim`` loads: the raw texts are read in the worker processes)
    sourced: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict, repr=False)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored as it was after it).

    Loading makes millions of small containers and no cycles: each collection
    the allocations trigger walks every record made so far, for nothing
    (a fifth of the parent's load CPU at 5,000 reports, more as the heap grows).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def relpath(path: Path, root: Path) -> str:
    """Path relative to the repository (the parent of ``content/``), with / separators."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def kind_of(path: Path) -> str | None:
    """``agencies``, ``reports`` or ``guides`` from where the file sits; None otherwise."""
    parts = path.parts
    for kind in KINDS:
        if kind in parts[:-1]:
            return kind
    return None


def discover(root: Path) -> list[Path]:
    """Every content YAML file under ``root`` (a content/ directory), sorted."""
    found: list[Path] = []
    for kind in KINDS:
        base = root / kind
        if base.is_dir():
            found += sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml"))
    return found


def _report(values: dict, ctx: Context) -> r.Report:
    fmt = get_format(values["format"])
    tables = {}
    for code in fmt.tables:
        rows = values.pop(code, None) or {}
        built = {}
        for row_code, row in rows.items():
            cells = row.copy()  # the row without its meta keys, in order (a copy and pops: C)
            for key in ROW_META_KEYS:
                cells.pop(key, None)
            built[row_code] = r.TableRow(row_code, cells, row.get("lines"), row.get("label", ""))
        tables[code] = r.ReportTable(code, built)
    figures = {
        code: r.Figure(code, f["value"], f.get("lines"), f.get("quote", ""))
        for code, f in (values.pop("figures", None) or {}).items()
    }
    stats = values.pop("statistics", None) or {}
    statistics = tuple(
        r.Statistic(s["indicator"], s.get("unit", ""), s.get("value", r.BLANK), s.get("lines"))
        for s in stats.get("rows", ())
    )
    return r.Report(
        file=ctx.file,
        lines=ctx.lines,
        tables=tables,
        figures=figures,
        statistics_title=stats.get("title", ""),
        statistics=statistics,
        **values,
    )


def _read_report(node, ctx: Context) -> r.Report | None:
    if not isinstance(node, yamlsafe.Mapping):
        ctx.error(getattr(node, "line", 0), "", "schema_type", "报告文件应当是一个映射（键: 值）。")
        return None
    fmt_node = node.items.get("format")
    fmt = fmt_node.value if isinstance(fmt_node, yamlsafe.Scalar) else None
    if fmt not in FORMAT_CODES:
        line = node.key_lines.get("format", node.line)
        ctx.error(
            line, "format", "schema_format", f"`format` 必须是 {'、'.join(FORMAT_CODES)} 之一。"
        )
        return None
    values = report_spec(fmt).convert(node, "", ctx)
    return None if values is MISSING else _report(values, ctx)


def _check_names(record, path: Path, ctx: Context) -> None:
    """IDs must match file names: agencies/<id>.yaml, reports/<id>/<year>.yaml."""
    kind = kind_of(path)
    if kind == "reports":
        expected = (path.parent.name, path.stem)
        actual = (record.agency, str(record.year))
        what = "reports/<机构ID>/<年度>.yaml"
    else:
        expected = (path.stem,)
        actual = (record.id,) if kind == "agencies" else (record.agency,)
        what = f"{kind}/<机构ID>.yaml"
    if expected != actual:
        field_name = "id" if kind == "agencies" else "agency"
        if kind == "reports" and expected[0] == actual[0]:
            field_name = "year"
        ctx.error(
            record.line_of(field_name),
            field_name,
            "id_filename",
            f"文件名与内容不符：文件应放在 {what}，内容是 {'/'.join(actual)}，"
            f"文件名是 {'/'.join(expected)}。请改文件名或改内容。",
        )


def sniff(node: yamlsafe.Node) -> str | None:
    """Guess the kind of a file outside content/ from its keys."""
    if not isinstance(node, yamlsafe.Mapping):
        return None
    keys = set(node.items)
    if "format" in keys or "year" in keys:
        return "reports"
    if "level" in keys or "division_code" in keys:
        return "agencies"
    return "guides" if "agency" in keys else None


SCHEMA_FILES = {"agencies": "agency", "reports": "report", "guides": "guide"}


def schema_comment(kind: str, depth: int) -> str:
    """The first line a content file should have, for a file ``depth`` folders below content/."""
    up = "../" * (depth + 1)
    return f"# yaml-language-server: $schema={up}schemas/{SCHEMA_FILES[kind]}.schema.json"


def _check_schema_comment(data: bytes, depth: int, kind: str, ctx: Context) -> None:
    expected = schema_comment(kind, depth)
    first = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    if first != expected:
        ctx.warn(
            1,
            "",
            "schema_comment",
            f"第一行应当是 `{expected}`，编辑器才能自动补全和检查。",
            severity="info",
        )


def _below(path: Path | str, base: Path | str) -> str | None:
    """``path`` relative to the directory ``base`` (both resolved), or None if not below it.

    String work: ``Path.relative_to`` for every file cost more than reading the cache.
    """
    path, base = os.fspath(path), os.fspath(base)
    prefix = base if base.endswith(os.sep) else base + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None


def _rel(resolved: Path, root: Path) -> str:
    """``relpath`` for a resolved path and a resolved root (no file system calls)."""
    below = _below(resolved, os.path.dirname(root))  # root.parent, without making a Path
    return below.replace(os.sep, "/") if below is not None else resolved.as_posix()


def _entries(base: str) -> Iterator[os.DirEntry]:
    """Every entry below ``base``, as ``Path.rglob("*")`` finds them (symlinked dirs not entered)."""
    try:
        with os.scandir(base) as it:
            entries = list(it)
    except OSError:
        return
    for entry in entries:
        yield entry
        try:
            descend = entry.is_dir() and not entry.is_symlink()
        except OSError:
            descend = False
        if descend:
            yield from _entries(entry.path)


def _suffix(name: str) -> str:
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""  # as Path.suffix


def _discover_resolved(root: Path) -> list[str]:
    """``[p.resolve() for p in discover(root)]`` as strings, with one ``realpath`` per kind.

    Below a kind directory nothing is a symlinked directory (those are not
    entered), so a file resolves to its directory's real path plus its name
    unless it is a symlink itself. ``Path.resolve`` per file cost a dozen
    system calls each, more than reading the whole cache.
    """
    found: list[str] = []
    for kind in KINDS:
        base = os.path.join(root, kind)
        if not os.path.isdir(base):
            continue
        real = os.path.realpath(base)
        entries = [e for e in _entries(base) if _suffix(e.name) in (".yaml", ".yml")]
        entries.sort(key=lambda e: e.path.split(os.sep))  # the order of sorted Paths
        for e in entries:
            found.append(os.path.realpath(e.path) if e.is_symlink() else real + e.path[len(base) :])
    return found


def load_file(path: Path, root: Path) -> tuple[str | None, object | None, list[Diagnostic]]:
    """Load one file: (kind, record or None, diagnostics).

    The kind comes from where the file sits (agencies/, reports/, guides/);
    a file elsewhere (a copy being checked) is recognised by its keys, and
    then its file name is not checked against its ID.
    """
    return _load_one(path, path.resolve(), root.resolve())[0]


def _load_one(path: Path, resolved: Path, root: Path) -> tuple[tuple, str, str | None]:
    """(``load_file`` result, the file's ``relpath``, SHA-256 of the bytes read or None);
    ``root`` resolved."""
    rel = _rel(resolved, root)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        diag = Diagnostic(rel, 0, "", "file_unreadable", "error", f"无法读取：{exc}")
        return (kind_of(path), None, [diag]), rel, None
    below = _below(resolved, root)
    depth = below.count(os.sep) if below is not None else 0
    return _load_data(data, path, rel, depth), rel, loadcache.file_digest(data)


def _load_data(data: bytes, path: Path, rel: str, depth: int) -> tuple:
    kind = located = kind_of(path)
    node, diags = yamlsafe.read(data, rel, pairs=True)
    if node is None:
        if not diags:
            diags = [Diagnostic(rel, 1, "", "file_empty", "error", "文件是空的。")]
        return kind, None, diags
    kind = kind or sniff(node)
    if kind is None:
        return (
            None,
            None,
            [
                Diagnostic(
                    rel,
                    1,
                    "",
                    "file_kind",
                    "error",
                    "无法判断这是机构、报告还是指南文件。请放在 content/agencies、"
                    "content/reports/<机构ID>/ 或 content/guides/ 下。",
                )
            ],
        )
    ctx = Context(rel)
    ctx.lines[""] = node.line
    if kind == "reports":
        record = _read_report(node, ctx)
    else:
        spec = AGENCY if kind == "agencies" else GUIDE
        values = spec.convert(node, "", ctx)
        if values is MISSING:
            record = None
        elif kind == "agencies":
            record = r.Agency(file=rel, lines=ctx.lines, **values)
        else:
            record = r.Guide(file=rel, lines=ctx.lines, **values)
    if record is not None and located:
        _check_names(record, path, ctx)
        _check_schema_comment(data, depth, kind, ctx)
    return kind, record, ctx.diagnostics


def _load_group(
    paths: list[str],
    root: Path,
    cache_file: Path | None,
    key: bytes | None,
    slim_root: Path | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Load a group of (resolved) files: the pickled ``({path: result}, {path: local
    results})``, and the SHA-256 of each file read (by its ``relpath``).

    The local results are those of ``report_checks.local_results`` for each
    report. Returning the pickle (rather than the results) lets the same
    bytes go both to the cache (as a bucket) and back to the parent process,
    so caching costs a cold build one small file write per agency.

    With ``slim_root`` (the content root as ``load`` was given it) the parent
    gets reports cut to what ``validate`` still reads (``report_checks.
    for_checks``) and a third item, the ``check_source`` diagnostics of each
    report, made here against that root; the cache always gets whole records.
    """
    # validate imports this module
    from .validate.report_checks import check_source, for_checks, local_results

    results, digests, checked = {}, {}, {}
    with gc_paused():
        for name in paths:
            path = Path(name)
            result, rel, digests[rel] = _load_one(path, path, root)
            results[name] = result
            if result[0] == "reports" and result[1] is not None:
                checked[name] = local_results(result[1])
        cached = cache_file is not None and key is not None and None not in digests.values()
        sourced, raw_stamps = {}, {}
        if cached or slim_root is not None:
            for name in checked:
                record = results[name][1]
                sourced[name] = tuple(check_source(record, root=slim_root or root))
                if cached and record.source.raw:
                    raw_stamps[record.source.raw] = settled_stamp(root.parent / record.source.raw)
        payload = b""
        if cached or slim_root is None:
            payload = pickle.dumps((results, checked, sourced, raw_stamps), pickle.HIGHEST_PROTOCOL)
        if cached:
            loadcache.write(cache_file, key, loadcache.stamp(str(root), digests), payload)
        if slim_root is not None:
            for name in checked:
                kind, record, diags = results[name]
                results[name] = (kind, for_checks(record), diags)
            payload = pickle.dumps((results, checked, sourced, {}), pickle.HIGHEST_PROTOCOL)
    return payload, {rel: d for rel, d in digests.items() if d is not None}


def _raws_unchanged(stamps: dict, root: Path) -> bool:
    """Whether every raw text a bucket's source checks read still has its stamp
    (``statdigest``: a file too recent to be trusted had none)."""
    parent = root.parent
    return all(
        stamp is not None and current_stamp(parent / raw) == stamp for raw, stamp in stamps.items()
    )


def _load_group_args(args: tuple) -> tuple[bytes, dict[str, str]]:
    return _load_group(*args)


def _cached(
    group: list[str], root: Path, cache_file: Path, key: bytes
) -> tuple[tuple, dict[str, str]] | None:
    """The stored results of a bucket whose files are all unchanged, and the files'
    digests (by ``relpath``); None otherwise."""
    parent = os.fspath(root.parent)
    digests = {}
    try:
        for name in group:
            with open(name, "rb") as f:
                rel = (_below(name, parent) or name).replace(os.sep, "/")
                digests[rel] = loadcache.file_digest(f.read())
    except OSError:
        return None
    hit = loadcache.read(cache_file, key, loadcache.stamp(str(root), digests))
    if not isinstance(hit, tuple) or len(hit) != 4 or hit[0].keys() != set(group):
        return None
    return hit, digests


def _groups(paths: list[str], root: Path) -> dict[str, list[str]]:
    """Files by agency (cache buckets); files outside ``root`` in groups of their own."""
    groups: dict[str, list[str]] = {}
    outside = []
    for path in paths:
        below = _below(path, root)
        if below is None:
            outside.append(path)
        else:
            groups.setdefault(loadcache.bucket_name(below.split(os.sep)), []).append(path)
    for i in range(0, len(outside), PARALLEL_CHUNK):
        groups[f"\0outside{i}"] = outside[i : i + PARALLEL_CHUNK]
    return groups


def _load_files(
    paths: list[str], root: Path, cache: bool = True, slim: bool = False
) -> tuple[list[tuple], dict[str, tuple], dict[str, tuple], dict[str, str]]:
    """(``load_file`` of every (resolved) path, in order; local results by path; source
    check diagnostics by path, for reports loaded with ``slim``; SHA-256 of each file
    read, by its ``relpath``).

    From the cache, or loaded. Files are loaded per agency (a cache bucket),
    in worker processes for a large corpus. Loading and the local checks are
    pure functions of one file, so the result is the same either way (tested).
    With ``slim``, reports loaded here (not those from the cache) are cut to
    what ``validate`` reads (``_load_group``).
    """
    slim_root = root if slim else None
    root = root.resolve()
    key = loadcache.signing_key() if cache else None
    cache_dir = root.parent / loadcache.CACHE_DIR
    done: dict[str, tuple] = {}
    checked: dict[str, tuple] = {}
    sourced: dict[str, tuple] = {}
    digests: dict[str, str] = {}
    todo: list[tuple] = []
    for name, group in _groups(paths, root).items():
        cache_file = None
        if key is not None and not name.startswith("\0"):
            cache_file = loadcache.bucket_file(cache_dir, name)
            hit = _cached(group, root, cache_file, key)
            if hit is not None:
                done.update(hit[0][0])
                checked.update(hit[0][1])
                if _raws_unchanged(hit[0][3], root):  # else validate runs check_source itself
                    sourced.update(hit[0][2])
                digests.update(hit[1])
                continue
        todo.append((group, root, cache_file, key, slim_root))
    for payload, group_digests in _run(todo):
        loaded = pickle.loads(payload)
        done.update(loaded[0])
        checked.update(loaded[1])
        digests.update(group_digests)
        sourced.update(loaded[2])
    return [done[p] for p in paths], checked, sourced, digests


def _run(todo: list[tuple]) -> Iterator[tuple[bytes, dict[str, str]]]:
    """The payload of each group, in worker processes when there are many files.

    Payloads are yielded as they arrive, so the caller unpickles them while
    the workers load the rest rather than after them all.
    """
    workers = os.cpu_count() or 1
    files = sum(len(t[0]) for t in todo)
    if files < PARALLEL_MIN_FILES or workers < 2:
        yield from (_load_group(*t) for t in todo)
        return
    chunk = max(1, round(PARALLEL_CHUNK * len(todo) / files))  # about 64 files per trip
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(_load_group_args, todo, chunksize=chunk)


def load(root: Path, extra: Iterable[Path] = (), cache: bool = True, slim: bool = False) -> Content:
    """Load every content file under ``root``, and the ``extra`` files (copies elsewhere).

    An extra file replaces the content file with the same ID, so a copy can be
    checked against the rest of the corpus. With ``cache``, records of
    unchanged files come from ``<repository>/.cache/gongkai/`` (see
    ``loadcache``); the records are the same either way. With ``slim`` (for
    ``validate`` alone) a report record may hold only what ``validate`` reads
    after the loader's checks (``report_checks.for_checks``): same diagnostics,
    less to send from the worker processes.
    """
    with gc_paused():
        return _load(root, extra, cache, slim)


def _load(root: Path, extra: Iterable[Path], cache: bool, slim: bool) -> Content:
    content = Content(root)
    parent = os.fspath(root.resolve().parent)
    found = _discover_resolved(root)
    known = set(found)
    paths = [*found, *(p for p in (str(q.resolve()) for q in extra) if p not in known)]
    results, checked, sourced, content.digests = _load_files(paths, root, cache, slim)
    for path, (kind, record, diags) in zip(paths, results, strict=True):
        below = _below(path, parent)
        content.files.append(below.replace(os.sep, "/") if below is not None else path)
        content.diagnostics += diags
        if record is None:
            continue
        if kind == "agencies":
            content.agencies[record.id] = record
        elif kind == "reports":
            content.reports[record.id] = record
            content.checked[record.id] = (record, *checked[path])
            if path in sourced:
                content.sourced[record.id] = sourced[path]
        elif kind == "guides":
            content.guides[record.agency] = record
    return content
