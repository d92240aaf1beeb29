"""Stage 1, load: content files -> typed records, with diagnostics for what is wrong.

Layout under ``content/``::

    agencies/<agency-id>.yaml
    reports/<agency-id>/<year>.yaml
    guides/<agency-id>.yaml

A file that cannot be read or typed gives diagnostics and no record; the
other files still load, so one broken file never hides the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import records as r
from . import yamlsafe
from .diagnostics import Diagnostic
from .formats import FORMAT_CODES, get_format
from .schema import AGENCY, GUIDE, Context, report_spec
from .schema.content import ROW_META_KEYS
from .schema.spec import MISSING

KINDS = ("agencies", "reports", "guides")
PARALLEL_MIN_FILES = 400  # below this, worker processes cost more than they save
PARALLEL_CHUNK = 64


@dataclass
class Content:
    """Everything loaded from one content tree."""

    root: Path
    agencies: dict[str, r.Agency] = field(default_factory=dict)
    reports: dict[str, r.Report] = field(default_factory=dict)  # key: agency/year
    guides: dict[str, r.Guide] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


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
        tables[code] = r.ReportTable(
            code,
            {
                row_code: r.TableRow(
                    row_code,
                    {k: v for k, v in row.items() if k not in ROW_META_KEYS},
                    row.get("lines"),
                    row.get("label", ""),
                )
                for row_code, row in rows.items()
            },
        )
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


def _check_schema_comment(data: bytes, path: Path, kind: str, root: Path, ctx: Context) -> None:
    depth = len(path.resolve().relative_to(root.resolve()).parts) - 1
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


def load_file(path: Path, root: Path) -> tuple[str | None, object | None, list[Diagnostic]]:
    """Load one file: (kind, record or None, diagnostics).

    The kind comes from where the file sits (agencies/, reports/, guides/);
    a file elsewhere (a copy being checked) is recognised by its keys, and
    then its file name is not checked against its ID.
    """
    rel = relpath(path, root)
    kind = located = kind_of(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return kind, None, [Diagnostic(rel, 0, "", "file_unreadable", "error", f"无法读取：{exc}")]
    node, diags = yamlsafe.read(data, rel)
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
        _check_schema_comment(data, path, kind, root, ctx)
    return kind, record, ctx.diagnostics


def _load_files(paths: list[Path], root: Path) -> list[tuple]:
    """``load_file`` of every path, in order; in worker processes for a large corpus.

    Loading is a pure function of one file, so the result is the same either
    way (tested). Measured on a loaded 2-core machine: 1.2x at 800 reports,
    no gain at 400; benchmarks/RESULTS.md has the figures.
    """
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_MIN_FILES or workers < 2:
        return [load_file(p, root) for p in paths]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(load_file, paths, [root] * len(paths), chunksize=PARALLEL_CHUNK))


def load(root: Path, extra: Iterable[Path] = ()) -> Content:
    """Load every content file under ``root``, and the ``extra`` files (copies elsewhere).

    An extra file replaces the content file with the same ID, so a copy can be
    checked against the rest of the corpus.
    """
    content = Content(root)
    found = [p.resolve() for p in discover(root)]
    paths = [*found, *(p for p in (q.resolve() for q in extra) if p not in found)]
    for path, (kind, record, diags) in zip(paths, _load_files(paths, root), strict=True):
        content.files.append(relpath(path, root))
        content.diagnostics += diags
        if record is None:
            continue
        if kind == "agencies":
            content.agencies[record.id] = record
        elif kind == "reports":
            content.reports[record.id] = record
        elif kind == "guides":
            content.guides[record.agency] = record
    return content
