"""A small declarative schema language for content files.

A spec converts a node of ``yamlsafe`` (all strings) into a typed value and
reports what is wrong as diagnostics, recording the line of every field path
on the way. The same spec objects export JSON Schema, so the files in
``schemas/`` that editors use for autocomplete can never disagree with what
the validator accepts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..diagnostics import Diagnostic
from ..records import NOT_APPLICABLE_MARKS, Cell, CellKind, shared_cell, shared_range
from ..yamlsafe import FlowPairs, Mapping, Node, Scalar, Sequence

MISSING = object()
JOIN_CACHE_MAX = 4096  # field paths kept per mapping spec (list items make new paths)
URL_SCHEMES = ("http://", "https://")
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_LINES = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")
_RANGES: dict[str, Any] = {}  # written line range -> its LineRange, for those that parse
_KIND_NAMES = {Mapping: "映射（键: 值）", Sequence: "列表", Scalar: "文字或数字"}


@dataclass
class Context:
    """Collects diagnostics and the line of every field path of one file."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def error(self, node_line: int, path: str, check: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, node_line, path, check, "error", message))

    def warn(self, node_line: int, path: str, check: str, message: str, severity="warning"):
        self.diagnostics.append(Diagnostic(self.file, node_line, path, check, severity, message))


def _join(path: str, key: str) -> str:
    # interned: every report has the same few hundred field paths as ``lines`` keys
    return sys.intern(f"{path}.{key}") if path else sys.intern(key)


class Spec:
    """Base of all specs: ``convert`` returns a value or MISSING after reporting."""

    description = ""

    def convert(self, node: Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def quiet(self) -> dict[str, Any] | None:
        """What ``convert`` gives for a plain scalar, by its text, where that makes no
        diagnostic and records no line; None when the spec keeps no such table.

        ``Obj`` looks values of ``FlowPairs`` up here before making a node for them.
        The table may hold only some such values (it fills as ``convert`` meets them).
        """
        return None

    def _scalar(self, node: Node, path: str, ctx: Context) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        ctx.error(
            node.line, path, "schema_type", f"这里应当是一个值，而不是{_KIND_NAMES[type(node)]}。"
        )
        return None


@dataclass
class Text(Spec):
    """A string; optional pattern, enum, and a length cap."""

    description: str = ""
    pattern: str = ""
    enum: tuple[str, ...] = ()
    max_len: int = 100_000
    hint: str = ""

    def convert(self, node, path, ctx):
        s = self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        if s.is_null:
            return None
        value = s.value
        if self.enum and value not in self.enum:
            ctx.error(
                s.line,
                path,
                "schema_enum",
                f"`{value}` 不是可用的值；可用的值：{'、'.join(self.enum)}。",
            )
            return MISSING
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.error(s.line, path, "schema_pattern", f"`{value}` 的格式不对。{self.hint}".strip())
            return MISSING
        if len(value) > self.max_len:
            ctx.error(s.line, path, "schema_too_long", f"文字超过 {self.max_len} 个字符。")
            return MISSING
        if s.block:  # where the text itself starts, for pointing into it
            ctx.lines[sys.intern(f"{path}/text")] = s.line + 1
        return value

    def json_schema(self):
        d: dict = {"type": ["string", "null"]}
        if self.enum:
            d["enum"] = [*self.enum, None]
        if self.pattern:
            d["pattern"] = f"^(?:{self.pattern})$"
        if self.description:
            d["description"] = self.description
        return d


@dataclass
class Url(Text):
    """An http(s) URL: other schemes (javascript:, data:) are refused."""

    def convert(self, node, path, ctx):
        value = super().convert(node, path, ctx)
        if isinstance(value, str) and not value.lower().startswith(URL_SCHEMES):
            line = node.line if isinstance(node, Scalar) else 0
            ctx.error(
                line,
                path,
                "schema_url_scheme",
                f"链接 `{value[:60]}` 必须以 http:// 或 https:// 开头。",
            )
            return MISSING
        return value

    def json_schema(self):
        return {**super().json_schema(), "pattern": "^https?://", "format": "uri"}


@dataclass
class Integer(Spec):
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None

    def convert(self, node, path, ctx):
        s = self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        if s.is_null:
            return None
        if not _INT.match(s.value.strip()):
            ctx.error(s.line, path, "schema_type", f"`{s.value}` 应当是整数。")
            return MISSING
        value = int(s.value)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            ctx.error(
                s.line, path, "schema_range", f"{value} 超出范围 {self.minimum}—{self.maximum}。"
            )
            return MISSING
        return value

    def json_schema(self):
        d: dict = {"type": ["integer", "string", "null"]}
        if self.minimum is not None:
            d["minimum"] = self.minimum
        if self.maximum is not None:
            d["maximum"] = self.maximum
        if self.description:
            d["description"] = self.description
        return d


@dataclass
class Boolean(Spec):
    description: str = ""

    def convert(self, node, path, ctx):
        s = self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        if s.is_null:
            return None
        if s.value in ("true", "false"):
            return s.value == "true"
        ctx.error(s.line, path, "schema_type", f"`{s.value}` 应当是 true 或 false。")
        return MISSING

    def json_schema(self):
        return {"type": ["boolean", "null"], "description": self.description}


@dataclass
class Date(Spec):
    description: str = ""

    def convert(self, node, path, ctx):
        s = self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        if s.is_null:
            return None
        try:
            return dt.date.fromisoformat(s.value.strip())
        except ValueError:
            ctx.error(
                s.line,
                path,
                "schema_date",
                f"`{s.value}` 不是日期，请写成 YYYY-MM-DD，例如 2024-01-31。",
            )
            return MISSING

    def json_schema(self):
        return {"type": ["string", "null"], "format": "date", "description": self.description}


@dataclass
class Lines(Spec):
    """A line range of the raw text: ``12`` or ``12-15``."""

    description: str = "原始文本中的行号范围，如 12 或 12-15"

    def convert(self, node, path, ctx):
        s = self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        if s.is_null:
            return None
        hit = _RANGES.get(s.value)
        if hit is not None:
            return hit
        m = _LINES.match(s.value.strip())
        if not m or int(m.group(2) or m.group(1)) < int(m.group(1)):
            ctx.error(
                s.line, path, "schema_lines", f"`{s.value}` 不是行号范围，请写成 12 或 12-15。"
            )
            return MISSING
        lines = shared_range(int(m.group(1)), int(m.group(2) or m.group(1)))
        if len(_RANGES) < CELL_TABLE_MAX:
            _RANGES[s.value] = lines
        return lines

    def quiet(self):
        return _RANGES  # written ranges that parse (never a null word)

    def json_schema(self):
        return {
            "type": ["string", "integer", "null"],
            "pattern": r"^\d+(-\d+)?$",
            "description": self.description,
        }


_CELLS: dict[tuple[str, bool, str], Cell] = {}
# column type -> plain written cell -> its cell, for cells that make no diagnostic
_QUIET_CELLS: dict[str, dict[str, Cell]] = {}
CELL_TABLE_MAX = 100_000  # distinct written cells kept for sharing; counts repeat a lot


def parse_cell(raw: str, plain: bool, column_type: str) -> Cell:
    """Classify a written cell: number, blank, not-applicable mark or text.

    Cells are frozen, so equal ones are shared: a corpus of 55,000 reports
    holds millions of cells but few distinct ones (``0``, ``1``, ``null``).
    """
    key = (raw, plain, column_type)
    cell = _CELLS.get(key)
    if cell is None:
        cell = _parse_cell(raw, plain, column_type)
        if len(_CELLS) < CELL_TABLE_MAX:
            _CELLS[key] = cell
    return cell


def _parse_cell(raw: str, plain: bool, column_type: str) -> Cell:
    text = raw.strip()
    if text == "" or (plain and text in ("~", "null", "Null", "NULL")):
        return shared_cell(CellKind.BLANK)
    if text in NOT_APPLICABLE_MARKS:
        return shared_cell(CellKind.NOT_APPLICABLE, text=text)
    if column_type in ("integer", "signed_integer") and _INT.match(text):
        return shared_cell(CellKind.NUMBER, int(text), text)
    if column_type == "decimal" and _DEC.match(text):
        try:
            return shared_cell(CellKind.NUMBER, Decimal(text), text)
        except InvalidOperation:
            pass
    return shared_cell(CellKind.TEXT, text=text)


@dataclass
class CellSpec(Spec):
    """A table cell: a number (0 included), blank (null), a not-applicable mark, or text."""

    column_type: str = "integer"
    description: str = ""

    def convert(self, node, path, ctx):
        s = node if type(node) is Scalar else self._scalar(node, path, ctx)
        if s is None:
            return MISSING
        cell = _CELLS.get((s.value, s.plain, self.column_type)) or parse_cell(
            s.value, s.plain, self.column_type
        )
        if cell.kind is CellKind.NUMBER and self.column_type != "signed_integer" and cell.value < 0:
            ctx.error(s.line, path, "cell_negative", f"计数不能为负数（{cell.text}）。请核对原文。")
        elif cell.kind is CellKind.TEXT:
            ctx.warn(
                s.line,
                path,
                "cell_text",
                f"单元格是文字 `{cell.text[:40]}` 而不是数字；若原文如此请保留，否则请改为数字。",
                severity="info",
            )
        elif s.plain:
            quiet = self.quiet()
            if len(quiet) < CELL_TABLE_MAX:
                quiet[s.value] = cell
        return cell

    def quiet(self):
        table = _QUIET_CELLS.get(self.column_type)
        if table is None:
            table = _QUIET_CELLS[self.column_type] = {}
        return table

    def json_schema(self):
        kind = "number" if self.column_type == "decimal" else "integer"
        return {
            "type": [kind, "string", "null"],
            "description": self.description or "数字；空白写 null；不适用写 /；原文是文字则照录",
        }


@dataclass
class ListOf(Spec):
    item: Spec = field(default_factory=Text)
    description: str = ""
    build: Callable | None = None

    def convert(self, node, path, ctx):
        if isinstance(node, Scalar) and node.is_null:
            return ()
        if not isinstance(node, Sequence):
            ctx.error(node.line, path, "schema_type", "这里应当是一个列表（每项以 - 开头）。")
            return MISSING
        out = []
        spec = self.item
        for i, item in enumerate(node.items):
            p = sys.intern(f"{path}[{i}]")
            ctx.lines[p] = item.line
            if type(item) is FlowPairs and not isinstance(spec, Obj):
                item = item.mapping()
            value = spec.convert(item, p, ctx)
            if value is not MISSING and value is not None:
                out.append(value)
        return tuple(out)

    def json_schema(self):
        d = {"type": ["array", "null"], "items": self.item.json_schema()}
        if self.description:
            d["description"] = self.description
        return d


def _unknown_key(key: str, spec: Obj) -> str:
    close = difflib.get_close_matches(key, list(spec.fields), n=3, cutoff=0.6)
    if close:
        return f"未知的键 `{key}`。是不是 {'、'.join(f'`{c}`' for c in close)}？请检查拼写。"
    names = list(spec.fields)
    more = f" 等 {len(names)} 个" if len(names) > 12 else ""
    return f"未知的键 `{key}`。可用的键：{', '.join(names[:12])}{more}。请检查拼写。"


@dataclass
class Obj(Spec):
    """A mapping with known keys; unknown keys are errors; builds ``build(**values)``."""

    fields: dict[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    build: Callable | None = None
    description: str = ""
    rename: dict[str, str] = field(default_factory=dict)  # yaml key -> build argument
    # path -> key -> the joined field path: every report repeats the same few hundred
    _joined: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # path -> key -> ``_step``: how ``_convert_pairs`` takes a known key
    _plans: dict[str, dict[str, tuple]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def convert(self, node, path, ctx):
        if type(node) is FlowPairs:
            return self._convert_pairs(node, path, ctx)
        if isinstance(node, Scalar) and node.is_null and not self.required:
            return None
        if not isinstance(node, Mapping):
            ctx.error(node.line, path, "schema_type", "这里应当是一个映射（键: 值）。")
            return MISSING
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        ok = True
        lines, key_lines, fields, rename = ctx.lines, node.key_lines, self.fields, self.rename
        joined = self._paths(path)
        for key, child in node.items.items():
            p = joined.get(key) if joined is not None else None
            if p is None:
                p = _join(path, key)
                if joined is not None and len(joined) < JOIN_CACHE_MAX:
                    joined[key] = p
            lines[p] = key_lines[key]
            spec = fields.get(key)
            if spec is None:
                ctx.error(key_lines[key], p, "schema_unknown_key", _unknown_key(key, self))
                ok = False
                continue
            if type(child) is FlowPairs and not isinstance(spec, Obj):
                child = child.mapping()
            value = spec.convert(child, p, ctx)
            if value is MISSING:
                invalid.add(key)
                ok = False
            elif value is not None:
                values[rename.get(key, key) if rename else key] = value
        return self._finish(node, path, ctx, values, invalid, ok)

    def _paths(self, path: str) -> dict[str, str] | None:
        """The joined field paths below ``path`` by key, kept while there are not too many."""
        joined = self._joined.get(path)
        if joined is None and len(self._joined) < JOIN_CACHE_MAX:
            joined = self._joined[path] = {}
        return joined

    def _convert_pairs(self, node: FlowPairs, path: str, ctx: Context) -> Any:
        """``convert(node.mapping(), …)``, with no node made for a value that converts quietly.

        A value is looked up in its spec's table of quiet conversions
        (``Spec.quiet``: what the spec gives for that plain value, with no
        diagnostic); any other value is converted from its node.
        """
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        ok = True
        lines, line = ctx.lines, node.line
        plan = self._plans.get(path)
        if plan is None:
            plan = {} if len(self._plans) >= JOIN_CACHE_MAX else self._plans.setdefault(path, {})
        for key, raw in node.values.items():
            step = plan.get(key)
            if step is None:
                step = self._step(path, key)
                if step[3] is not None:  # a known key: at most one step per field
                    plan[key] = step
            p, table, out, spec = step
            lines[p] = line
            value = table.get(raw) if table is not None else None
            if value is None:
                if spec is None:
                    ctx.error(line, p, "schema_unknown_key", _unknown_key(key, self))
                    ok = False
                    continue
                value = spec.convert(Scalar(raw, line), p, ctx)
                if value is MISSING:
                    invalid.add(key)
                    ok = False
                    continue
                if value is None:
                    continue
            values[out] = value
        return self._finish(node, path, ctx, values, invalid, ok)

    def _step(self, path: str, key: str) -> tuple[str, dict | None, str, Spec | None]:
        """How ``_convert_pairs`` takes ``key`` below ``path``: (field path, the spec's quiet
        table, the key of its value, the spec); the spec is None for an unknown key."""
        spec = self.fields.get(key)
        joined = self._paths(path)
        p = joined.get(key) if joined is not None else None
        if p is None:
            p = _join(path, key)
            if joined is not None and len(joined) < JOIN_CACHE_MAX:
                joined[key] = p
        if spec is None:
            return p, None, key, None
        canonical = next(k for k in self.fields if k == key)  # shared by every record
        return p, spec.quiet(), self.rename.get(key, key) if self.rename else canonical, spec

    def _finish(
        self, node: Mapping | FlowPairs, path: str, ctx: Context, values: dict, invalid: set, ok
    ) -> Any:
        """The required keys checked, then the value (``build(**values)`` or ``values``)."""
        for key in self.required:
            if self.rename.get(key, key) in values or key in invalid:
                continue  # present, or invalid and already reported
            ok = False
            if type(node) is FlowPairs:
                node = node.mapping()
            if key in node.items:  # written but empty (null)
                ctx.error(
                    node.key_lines[key],
                    _join(path, key),
                    "schema_required",
                    f"`{key}` 是必填的，不能为空。请填写。",
                )
            else:
                ctx.error(node.line, _join(path, key), "schema_required", f"缺少必填的键 `{key}`。")
        if not ok and self.required:
            return MISSING
        return self.build(**values) if self.build else values

    def json_schema(self):
        d = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: v.json_schema() for k, v in self.fields.items()},
        }
        if self.required:
            d["required"] = list(self.required)
        if self.description:
            d["description"] = self.description
        return d
