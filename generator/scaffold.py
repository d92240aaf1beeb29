"""Scaffolds for ``gongkai new``: a file with every field, ready to fill in.

A scaffold is built from the same schema specs and format definitions as the
validator, written by the same writer as ``gongkai fmt`` (so it is already
in canonical form), with the schema comment first and a Chinese hint after
every field (the field's description in the spec). Table rows come from the
format definition with blank (``null``) cells; lists of records start empty,
with an example in the hint, so an untouched list never fails validation.
"""

from __future__ import annotations

from .fmt import FLOW, plan
from .formats import get_format
from .load import schema_comment
from .schema.content import AGENCY, GUIDE, report_spec
from .schema.spec import ListOf, Obj, Spec
from .yamlsafe import Mapping, Node, Scalar, Sequence
from .yamlwrite import Comments, Path, write

CHANNELS = ("in_person", "post", "online")
REMEDIES = ("reconsideration", "litigation")

EXAMPLES = {
    "lineage": "{name: 聊城市卫生局, relation: renamed, from: 2008, to: 2013}",
    "corrections": '{field: requests.total.total, published: "8", corrected: "9", reason: 核对原文第 52 行}',
    "source_issues": "{check: requests_balance, field: requests.carried_forward.total, note: 原文如此，已核对}",
    "figures": "applications_received: {value: 15, lines: 120, quote: 共受理申请15件}",
    "rows": "{indicator: （一）收到申请数, unit: 件, value: 15, lines: 493}",
    "hours": "{season: 5月1日至9月30日, text: 8:30-12:00 14:30-18:00}",
    "aliases": "[市卫健委]",
}
HINTS = {
    "period": "统计期限；原文写明时才填，如 period: {{start: {year}-01-01, end: {year}-12-31}}",
}


def _hint(key: str, spec: Spec | None) -> str:
    text = getattr(spec, "description", "") or ""
    if key in EXAMPLES:
        text = f"{text}；例：{EXAMPLES[key]}" if text else f"例：{EXAMPLES[key]}"
    return text


def _null() -> Scalar:
    return Scalar("null", 0)


def _map(items: list[tuple[str, Node]]) -> Mapping:
    return Mapping(0, dict(items), dict.fromkeys((k for k, _ in items), 0))


def blank(spec: Spec | None, path: Path, comments: Comments) -> Node:
    """Every field of ``spec`` with a blank value and a hint comment."""
    if isinstance(spec, ListOf):
        return Sequence(0)
    if not isinstance(spec, Obj):
        return _null()
    items = []
    for key, child in spec.fields.items():
        if key == "label" or (isinstance(child, Obj) and child.required):
            continue  # optional records with required parts: in the hint only
        items.append((key, blank(child, (*path, key), comments)))
        if _hint(key, child) and len(path) < 2 and id(spec) not in FLOW:
            comments.eol[(*path, key)] = [_hint(key, child)]
    return _map(items)


def _set(root: Mapping, spec: Obj, key: str, value: Node) -> None:
    """Put ``key`` into ``root`` at its place in the spec's key order."""
    root.items[key] = value
    order = [k for k in spec.fields if k in root.items]
    root.items = {k: root.items[k] for k in order}
    root.key_lines = dict.fromkeys(root.items, 0)


def _table(table, path: Path, comments: Comments) -> Mapping:
    rows = []
    for row in table.rows:
        rows.append(
            (row.code, _map([(c.code, _null()) for c in row.columns] + [("lines", _null())]))
        )
        comments.eol[(*path, row.code)] = [row.full_label]
    return _map(rows)


def _sections(fmt_code: str) -> Sequence:
    items = []
    for s in get_format(fmt_code).sections:
        if s.kind == "narrative":
            heading = Scalar(f"{s.number}、{s.heading}", 0)
            fields = [("heading", heading), ("code", Scalar(s.code, 0))]
            items.append(_map([*fields, ("lines", _null()), ("text", _null())]))
    return Sequence(0, items)


def _document(root: Mapping, spec: Obj, comments: Comments, kind: str, depth: int) -> str:
    return write(plan(root, spec), comments, schema_comment(kind, depth))


def report(agency: str, year: int, fmt_code: str) -> str:
    """The text of a blank report of ``agency`` for ``year`` in format ``fmt_code``."""
    spec, comments = report_spec(fmt_code), Comments()
    root = blank(spec, (), comments)
    _set(root, spec, "agency", Scalar(agency, 0))
    _set(root, spec, "year", Scalar(str(year), 0))
    _set(root, spec, "format", Scalar(fmt_code, 0))
    _set(root, spec, "sections", _sections(fmt_code))
    comments.before[("partial",)] = [HINTS["period"].format(year=year)]
    for code, table in get_format(fmt_code).tables.items():
        _set(root, spec, code, _table(table, (code,), comments))
    if fmt_code == "legacy":
        comments.eol[("statistics", "rows")] = [_hint("rows", None)]
    return _document(root, spec, comments, "reports", 2)


def agency(agency_id: str, name: str, level: str) -> str:
    """The text of a blank agency file; the division code comes from the ID."""
    comments = Comments()
    root = blank(AGENCY, (), comments)
    for key, value in (("id", agency_id), ("name", name), ("level", level)):
        _set(root, AGENCY, key, Scalar(value, 0))
    _set(root, AGENCY, "division_code", Scalar(agency_id[:6], 0))
    comments.eol[("lineage",)] = [f"曾用名与前身机构，从早到晚；例：{EXAMPLES['lineage']}"]
    return _document(root, AGENCY, comments, "agencies", 1)


def _record(spec: Obj, kind: str, path: Path, comments: Comments) -> Mapping:
    record = blank(spec, path, comments)
    _set(record, spec, "type", Scalar(kind, 0))
    return record


def guide(agency_id: str) -> str:
    """The text of a blank guide, with in-person and postal channels and both remedies."""
    comments = Comments()
    root = blank(GUIDE, (), comments)
    _set(root, GUIDE, "agency", Scalar(agency_id, 0))
    channel, remedy = GUIDE.fields["channels"].item, GUIDE.fields["remedies"].item
    _set(root, GUIDE, "office", _record(channel, "in_person", ("office",), comments))
    channels = [_record(channel, t, ("channels", i), comments) for i, t in enumerate(CHANNELS)]
    _set(root, GUIDE, "channels", Sequence(0, channels))
    remedies = [_record(remedy, t, ("remedies", i), comments) for i, t in enumerate(REMEDIES)]
    _set(root, GUIDE, "remedies", Sequence(0, remedies))
    return _document(root, GUIDE, comments, "guides", 1)
