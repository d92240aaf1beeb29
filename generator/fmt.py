"""``gongkai fmt``: one canonical form for content YAML, so diffs show only real changes.

The canonical form: the schema comment first; keys in the order of the
schema spec (unknown keys kept, at the end, in their own order); table rows
one flow mapping per line, rows and columns in the order of the format
definition; small records (period, contact, lineage, corrections, hours,
time limits, figures, statistics rows) as flow mappings; narrative text as
literal blocks; 2-space indentation; ``null`` for blank; quotes only where a
YAML 1.1 or 1.2 reader would misread a string (see ``yamlwrite``); no blank
lines; a trailing newline.

Values are read with ``yamlsafe`` (the reader the validator uses) and
comments with ruamel.yaml's round-trip scanner. We lay the text out
ourselves rather than dumping ruamel's round-trip tree because, measured
with ruamel.yaml 0.19, its loader silently drops a comment written inside a
flow mapping and files a full-line comment under the key *before* it, so
reordering keys would move or lose comments. Every result is checked before
it is returned: read back, it must hold exactly the same values, and the
same comments, as the input; otherwise ``FmtError`` and nothing is written.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path as FsPath

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from . import yamlsafe
from .formats import FORMAT_CODES
from .fsutil import write_atomic
from .load import kind_of, schema_comment, sniff
from .schema.content import (
    AGENCY,
    CONTACT,
    CORRECTION,
    FIGURE,
    GUIDE,
    HOURS,
    LINEAGE,
    PERIOD,
    SECTION,
    SOURCE_ISSUE,
    STATISTIC,
    TIME_LIMIT,
    report_spec,
)
from .schema.spec import Boolean, CellSpec, Date, Integer, Lines, ListOf, Obj, Spec
from .yamlwrite import Comments, Out, OutMap, OutScalar, OutSeq, Path, write

SCHEMA_MARK = "# yaml-language-server:"
NUMERIC_SPECS = (Integer, CellSpec, Lines, Boolean, Date)


class FmtError(Exception):
    """The file cannot be formatted (unreadable, or the result would not be faithful)."""


def _flow_specs() -> set[int]:
    """Specs written as one flow mapping (or list) per line."""
    specs: list[Spec] = [PERIOD, CONTACT, LINEAGE, CORRECTION, SOURCE_ISSUE, HOURS, TIME_LIMIT]
    specs += [FIGURE, STATISTIC, AGENCY.fields["aliases"], GUIDE.fields["not_counted"]]
    specs.append(GUIDE.fields["form"].fields["fields"])
    for code in FORMAT_CODES:
        spec = report_spec(code)
        for table in (spec.fields[t] for t in spec.fields if _is_table(spec, t)):
            specs += table.fields.values()  # the rows
    return {id(s) for s in specs}


def _is_table(report: Obj, key: str) -> bool:
    child = report.fields[key]
    return isinstance(child, Obj) and all(
        isinstance(row, Obj) and "lines" in row.fields and "label" in row.fields
        for row in child.fields.values()
    )


FLOW = _flow_specs()
NARRATIVE = {id(SECTION.fields["text"])} | {
    id(report_spec(c).fields["preface"]) for c in FORMAT_CODES
}


# -- plan: the value tree in canonical order and style -------------------------


def root_spec(node: yamlsafe.Node, kind: str | None) -> Spec | None:
    """The spec of a whole file of ``kind``; None when unknown (then nothing is reordered)."""
    if kind == "agencies":
        return AGENCY
    if kind == "guides":
        return GUIDE
    if kind == "reports" and isinstance(node, yamlsafe.Mapping):
        fmt = node.items.get("format")
        if isinstance(fmt, yamlsafe.Scalar) and fmt.value in FORMAT_CODES:
            return report_spec(fmt.value)
    return None


def _scalar_kind(spec: Spec | None) -> str:
    if spec is not None and id(spec) in NARRATIVE:
        return "narrative"
    return "number" if isinstance(spec, NUMERIC_SPECS) else "text"


def plan(node: yamlsafe.Node, spec: Spec | None, flow: bool = False) -> Out:
    """The canonical output tree of ``node`` read against ``spec``."""
    if isinstance(node, yamlsafe.Scalar):
        return OutScalar(None if node.is_null else node.value, _scalar_kind(spec))
    flow = flow or (spec is not None and id(spec) in FLOW)
    if isinstance(node, yamlsafe.Sequence):
        item = spec.item if isinstance(spec, ListOf) else None
        return OutSeq([plan(i, item, flow) for i in node.items], flow)
    fields = spec.fields if isinstance(spec, Obj) else {}
    keys = [k for k in fields if k in node.items] + [k for k in node.items if k not in fields]
    return OutMap([(k, plan(node.items[k], fields.get(k), flow)) for k in keys], flow)


# -- comments ------------------------------------------------------------------


def _tokens(value) -> list:
    """Every CommentToken inside a token's ``comment`` attribute (nested lists)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [t for v in value for t in _tokens(v)]
    return [value]


def scan_comments(text: str) -> list[tuple[int, str, bool]]:
    """(1-based line, comment text without ``#``, end-of-line?) for every comment."""
    lines = text.split("\n")
    seen: dict[tuple[int, int], tuple[int, str, bool]] = {}
    try:
        for token in YAML(typ="rt").scan(text):
            for ct in _tokens(getattr(token, "comment", None)):
                _split_token(ct, lines, seen)
    except YAMLError as exc:
        raise FmtError(f"YAML 语法错误：{exc}") from None
    return [seen[k] for k in sorted(seen)]


def _split_token(ct, lines: list[str], seen: dict) -> None:
    """One comment token may hold several lines; its mark is that of its first comment."""
    value = ct.value
    line, col = ct.start_mark.line, ct.start_mark.column
    for i, piece in enumerate(value.lstrip("\n").split("\n")):
        stripped = piece.strip()
        if stripped.startswith("#"):
            at = col if i == 0 and not value.startswith("\n") else len(piece) - len(piece.lstrip())
            eol = bool(lines[line + i][:at].strip()) if line + i < len(lines) else False
            seen[(line + i, at)] = (line + i + 1, stripped[1:].strip(), eol)


def doc_order(node: yamlsafe.Node, path: Path = ()) -> list[tuple[int, Path]]:
    """(line, path) of every key and list item, in document order."""
    out: list[tuple[int, Path]] = []
    if isinstance(node, yamlsafe.Mapping):
        for key, child in node.items.items():
            out.append((node.key_lines[key], (*path, key)))
            out += doc_order(child, (*path, key))
    elif isinstance(node, yamlsafe.Sequence):
        for i, child in enumerate(node.items):
            out.append((child.line, (*path, i)))
            out += doc_order(child, (*path, i))
    return out


def attach(found: list[tuple[int, str, bool]], order: list[tuple[int, Path]]) -> Comments:
    """Give each comment a place: end-of-line ones to the last field starting on or
    before their line, full-line ones to the first field after them."""
    c = Comments()
    for line, text, eol in found:
        if text.startswith(SCHEMA_MARK[2:]):
            continue
        if eol:
            path = next((p for ln, p in reversed(order) if ln <= line), None)
            (c.eol.setdefault(path, []) if path is not None else c.header).append(text)
            continue
        nxt = next((p for ln, p in order if ln > line), None)
        if nxt is None:
            c.footer.append(text)
        elif order and line < order[0][0]:
            c.header.append(text)
        else:
            c.before.setdefault(nxt, []).append(text)
    return c


def _fragments(text: str) -> Counter:
    """Comment words, for checking that formatting kept every comment."""
    out: Counter = Counter()
    for _, comment, _ in scan_comments(text):
        if not comment.startswith(SCHEMA_MARK[2:]):
            out.update(f.strip() for f in comment.split("#") if f.strip())
    return out


# -- the whole file ------------------------------------------------------------


def first_line(text: str, path: FsPath | None, kind: str | None) -> str:
    """The schema comment the file should start with (or keeps, when not under content/)."""
    if path is not None and kind is not None:
        parts = path.resolve().parts
        if "content" in parts and kind_of(path):
            below = len(parts) - (len(parts) - 1 - parts[::-1].index("content")) - 1
            return schema_comment(kind, below - 1)  # below: parts under content/
    head = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return head if head.startswith(SCHEMA_MARK) else ""


def _read(text: str) -> yamlsafe.Node:
    try:
        node = yamlsafe.parse(text.encode("utf-8"))
    except yamlsafe.YamlRefused as exc:
        raise FmtError(f"第 {exc.line} 行：{exc.message}") from None
    if node is None:
        raise FmtError("文件是空的。")
    return node


def format_text(text: str, path: FsPath | None = None) -> str:
    """The canonical form of ``text`` (the content of ``path``, if given)."""
    node = _read(text)
    kind = (kind_of(path) if path is not None else None) or sniff(node)
    comments = attach(scan_comments(text), doc_order(node))
    out = write(plan(node, root_spec(node, kind)), comments, first_line(text, path, kind))
    _check_faithful(text, node, out)
    return out


def _check_faithful(text: str, node: yamlsafe.Node, out: str) -> None:
    try:
        after = yamlsafe.parse(out.encode("utf-8"))
    except yamlsafe.YamlRefused as exc:  # a bug in the writer: never write such a file
        raise FmtError(f"内部错误：格式化结果无法读取（{exc.message}）；文件未改动。") from None
    if yamlsafe.to_plain(after) != yamlsafe.to_plain(node):
        raise FmtError("内部错误：格式化会改变数值；文件未改动。请报告此问题。")
    if _fragments(out) != _fragments(text):
        raise FmtError("内部错误：格式化会丢失注释；文件未改动。请报告此问题。")


def format_file(path: FsPath, check: bool = False) -> bool:
    """Format one file in place (or only compare, with ``check``); True if it changes."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FmtError(f"无法读取：{exc}") from None
    new = format_text(text, path)
    if new == text:
        return False
    if not check:
        write_atomic(path, new, force=True)
    return True
