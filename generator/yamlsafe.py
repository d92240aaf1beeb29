"""Read untrusted YAML into a tree of nodes that remember their line.

Volunteers' files are untrusted. We never let PyYAML build Python objects:
we read its event stream (C parser when present) and build our own tree in
which every scalar is a string (``0635`` stays ``"0635"``, ``no`` stays a
word) and carries its 1-based line. The schema converts strings to types.

Refused, each with a diagnostic and never a traceback: files over
``MAX_BYTES``, bytes that are not UTF-8, syntax errors, anchors and aliases
(a 201-byte alias bomb expands to 600,000 nodes), duplicate keys (PyYAML
silently keeps the last), non-scalar keys, explicit tags, more than one
document, nesting deeper than ``MAX_DEPTH`` and more than ``MAX_NODES`` nodes.

Files in gongkai's canonical form (nearly all) are read by a line-based fast
reader (``fast_parse``) that gives the same tree; it hands anything it is not
sure of, and so everything refused, to the event loop (``slow_parse``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Union

import yaml

from .diagnostics import Diagnostic

MAX_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_NODES = 200_000
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

try:  # the C parser alone: we need its events, not PyYAML's constructors or resolvers
    from yaml.cyaml import CParser as _LOADER
except ImportError:  # PyYAML built without libyaml
    _LOADER = yaml.BaseLoader


@dataclass(slots=True)
class Scalar:
    """A scalar, always a string; ``plain`` is False when it was quoted or a block."""

    value: str
    line: int
    plain: bool = True
    block: bool = False  # a literal (|) or folded (>) block: the text starts on the next line

    @property
    def is_null(self) -> bool:
        """True for an empty value or ``~``/``null`` written without quotes."""
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class Mapping:
    """A mapping; keys are strings, in file order, each with its key's line."""

    line: int
    items: dict[str, Node] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    flow: bool = False


@dataclass(slots=True)
class Sequence:
    line: int
    items: list[Node] = field(default_factory=list)
    flow: bool = False


Node = Union[Scalar, Mapping, Sequence]  # noqa: UP007 - a runtime alias


@dataclass(slots=True)
class FlowPairs:
    """A one-line flow mapping of plain scalars, ``{key: value, …}``, not yet made into nodes.

    Only ``parse(..., pairs=True)`` gives these (for the loader, whose schema
    converts the values of table rows without making a node for each);
    ``mapping()`` is the node every other reader gives for the same text.
    """

    line: int
    values: dict[str, str]  # key -> its plain value, in file order; every key on ``line``

    def mapping(self) -> Mapping:
        """The ``Mapping`` of these pairs: plain scalars, every key and value on ``line``."""
        line, intern = self.line, sys.intern
        items: dict[str, Node] = {intern(k): Scalar(v, line) for k, v in self.values.items()}
        return Mapping(line, items, dict.fromkeys(items, line), True)


class YamlRefused(Exception):
    """The file is refused; carries the line and a check id for the diagnostic."""

    def __init__(self, check: str, line: int, message: str):
        super().__init__(message)
        self.check, self.line, self.message = check, line, message


_EV = yaml.events
_SCALAR, _ALIAS = _EV.ScalarEvent, _EV.AliasEvent
_MAP_START, _MAP_END = _EV.MappingStartEvent, _EV.MappingEndEvent
_SEQ_START, _SEQ_END = _EV.SequenceStartEvent, _EV.SequenceEndEvent
_DOC_START, _STREAM_END = _EV.DocumentStartEvent, _EV.StreamEndEvent
_NODE_EVENTS = frozenset({_SCALAR, _ALIAS, _MAP_START, _SEQ_START})
_BLOCK_STYLES = ("|", ">")


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 0


class _Builder:
    """Turns PyYAML events into nodes, refusing what we do not accept.

    Events are pulled straight from the parser and told apart by exact type:
    this runs once per node of every file, and the generic ``yaml.parse``
    generator with ``isinstance`` chains cost as much as libyaml itself.
    Nesting is refused at ``MAX_DEPTH`` before descending, so recursion is
    bounded (PyYAML's own C composer recurses without limit and crashes the
    process on ``[[[[…`` 100,000 deep, which is why we do not use it).
    """

    def __init__(self, get_event) -> None:
        self.get = get_event
        self.nodes = 0

    def build(self) -> Node | None:
        root: Node | None = None
        documents = 0
        get = self.get
        while (event := get()) is not None:
            kind = type(event)
            if kind is _STREAM_END:
                break
            if kind is _DOC_START:
                documents += 1
                if documents > 1:
                    raise YamlRefused(
                        "yaml_multiple_documents",
                        _line(event),
                        "一个文件只能有一个 YAML 文档，请删除多余的 `---` 分隔的部分。",
                    )
            elif kind in _NODE_EVENTS:
                root = self._node(event, 1)
        return root

    def _guard(self, event: yaml.Event, depth: int) -> None:
        self.nodes += 1
        if type(event) is _ALIAS or event.anchor is not None:
            raise YamlRefused(
                "yaml_alias",
                _line(event),
                "内容文件不允许使用锚点和别名（& 与 *），请把内容直接写出来。",
            )
        tag = event.tag
        if tag is not None and tag != "!":  # only explicitly written tags get here
            raise YamlRefused(
                "yaml_tag", _line(event), f"内容文件不允许使用 YAML 标签 {tag}，请删除它。"
            )
        if depth > MAX_DEPTH:
            raise YamlRefused(
                "yaml_too_deep",
                _line(event),
                f"嵌套超过 {MAX_DEPTH} 层，内容文件不需要这么深的结构。",
            )
        if self.nodes > MAX_NODES:
            raise YamlRefused(
                "yaml_too_large", _line(event), f"文件的节点超过 {MAX_NODES} 个，请拆分或精简。"
            )

    def _node(self, event: yaml.Event, depth: int) -> Node:
        self._guard(event, depth)
        kind = type(event)
        if kind is _SCALAR:
            style = event.style
            return Scalar(event.value, event.start_mark.line + 1, not style, style in _BLOCK_STYLES)
        if kind is _SEQ_START:
            return self._sequence(event, depth)
        return self._mapping(event, depth)

    def _sequence(self, start, depth: int) -> Sequence:
        seq = Sequence(start.start_mark.line + 1, flow=bool(start.flow_style))
        items, get, node = seq.items, self.get, self._node
        depth += 1
        while (event := get()) is not None:
            if type(event) is _SEQ_END:
                return seq
            items.append(node(event, depth))
        raise YamlRefused("yaml_syntax", seq.line, "列表没有结束。")

    def _mapping(self, start, depth: int) -> Mapping:
        mapping = Mapping(start.start_mark.line + 1, flow=bool(start.flow_style))
        items, key_lines, get, node = mapping.items, mapping.key_lines, self.get, self._node
        depth += 1
        while (event := get()) is not None:
            if type(event) is _MAP_END:
                return mapping
            key = node(event, depth)
            if type(key) is not Scalar:
                raise YamlRefused("yaml_complex_key", key.line, "键必须是简单的文字。")
            name = sys.intern(key.value)  # keys repeat in every file: share them
            if name in items:
                raise YamlRefused(
                    "yaml_duplicate_key",
                    key.line,
                    f"键 `{name}` 重复出现（第一次在第 {key_lines[name]} 行）。"
                    "YAML 只会保留最后一个值，请合并或删除其中一个。",
                )
            value = node(get(), depth)
            items[name] = value
            key_lines[name] = key.line
        raise YamlRefused("yaml_syntax", mapping.line, "映射没有结束。")


# --- The fast reader -------------------------------------------------------------------
#
# Content files are written by gongkai in one canonical form (``yamlwrite``):
# block mappings and sequences indented by two, flow mappings on one line,
# literal blocks, plain or simply double-quoted scalars. Reading those
# line by line gives the same tree as the event loop at a fraction of the cost
# (libyaml makes a Python event and two marks per node). The fast reader takes
# only what it is sure of and gives up (``None``) on anything else, from a
# tab to an anchor: then the event loop reads the file and refuses what it must.
# So every refusal stays where it was; tests compare both readers on corpora
# and on mutated files.

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]{0,127}):(?: |$)")
# characters the fast reader accepts anywhere; the rest (tabs, CR, NEL, LS, PS, BOM,
# controls, non-characters) go to the event loop
_UNSURE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# a plain scalar on one line: no indicator first, no comment, no `: `, no trailing blank
_PLAIN_BLOCK = re.compile(
    r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\s]|-(?=\d))(?:[^#:\s]|:(?=[^\s])|\s(?=[^#\s]))*"
)
_PLAIN_FLOW = re.compile(
    r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\s]|-(?=\d))(?:[^#:,\[\]{}\s]|\s(?=[^#,\[\]{}\s]))*"
)
_KEY_PATTERN = r"[A-Za-z_][A-Za-z0-9_.\-]{0,127}"
_PAIR = f"{_KEY_PATTERN}: {_PLAIN_FLOW.pattern}"
_SIMPLE_FLOW_MAP = re.compile(rf"\{{(?:{_PAIR}(?:, {_PAIR})*)?\}}")
_QUOTED = re.compile(r'"([^"\\]*)"')
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]{0,127}): ")
_FLOW_LIMIT = MAX_DEPTH - 4
_NOT_PLAIN_FIRST = frozenset('|{["')  # what ``_inline`` reads as other than a plain scalar


class _Unsure(Exception):
    """The fast reader is not sure: the event loop reads the file instead."""


class _Fast:
    """Reads the canonical form, line by line; raises ``_Unsure`` for anything else."""

    def __init__(self, text: str, pairs: bool = False) -> None:
        self.pairs = pairs  # simple flow mappings as ``FlowPairs``
        self.lines = text.split("\n")
        self.n = len(self.lines)
        self.i = 0
        self.nodes = 0
        self.seen = -1  # the line ``_next`` last found, and what it gave for it
        self.seen_next: tuple[int, str] | None = None

    def read(self) -> Node:
        start = self._next()
        if start is None or start[0] != 0:
            raise _Unsure
        root = self._mapping(0, None, 1)
        if self._next() is not None or self.nodes > MAX_NODES // 2:
            raise _Unsure  # a node count near the limit is left to the event loop
        return root

    def _next(self) -> tuple[int, str] | None:
        """(indent, text) of the next line that is not a comment; None at the end.

        Leaves ``self.i`` on that line. A blank line is only accepted at the end.
        A line is mostly asked for twice (by its mapping, after its parent's
        look at it): the last answer is kept.
        """
        lines, i = self.lines, self.i
        if i == self.seen:
            return self.seen_next
        while i < self.n:
            line = lines[i]
            body = line.lstrip(" ")
            if not body:
                if any(lines[j].strip(" ") for j in range(i, self.n)):
                    raise _Unsure
                self.i = self.n
                return None
            if body[0] != "#":
                self.i = self.seen = i
                self.seen_next = len(line) - len(body), body
                return self.seen_next
            i += 1
        self.i = i
        return None

    def _mapping(self, indent: int, first: str | None, depth: int) -> Mapping:
        """A block mapping at ``indent``; ``first`` is its first line after ``- `` if any."""
        if depth > _FLOW_LIMIT:
            raise _Unsure
        mapping = Mapping(self.i + 1)
        items, key_lines = mapping.items, mapping.key_lines
        body = first
        while True:
            if body is None:
                nxt = self._next()
                if nxt is None or nxt[0] < indent:
                    break
                if nxt[0] > indent:
                    raise _Unsure
                body = nxt[1]
            m = _KEY.match(body)
            if m is None:
                raise _Unsure
            name = sys.intern(m.group(1))
            if name in items:
                raise _Unsure
            line = self.i + 1
            rest = body[m.end() :]
            self.i += 1
            self.nodes += 1
            if rest and rest[0] not in _NOT_PLAIN_FIRST:  # ``_inline`` of a plain scalar
                if _PLAIN_BLOCK.fullmatch(rest) is None:
                    raise _Unsure
                self.nodes += 1
                items[name] = Scalar(rest, line)
            else:
                items[name] = self._value(rest, indent, line, depth + 1)
            key_lines[name] = line
            body = None
        if not items:
            raise _Unsure
        return mapping

    def _value(self, rest: str, indent: int, line: int, depth: int) -> Node:
        """The value after ``key: `` (``rest``) of a key at ``indent`` on ``line``."""
        if rest:
            return self._inline(rest, indent, line, depth)
        nxt = self._next()
        if nxt is None or nxt[0] <= indent:
            raise _Unsure  # an empty value: left to the event loop
        if nxt[1].startswith("- "):
            return self._sequence(nxt[0], depth)
        return self._mapping(nxt[0], None, depth)

    def _sequence(self, indent: int, depth: int) -> Sequence:
        if depth > _FLOW_LIMIT:
            raise _Unsure
        seq = Sequence(self.i + 1)
        items = seq.items
        while True:
            nxt = self._next()
            if nxt is None or nxt[0] < indent:
                break
            if nxt[0] > indent or not nxt[1].startswith("- "):
                raise _Unsure
            body = nxt[1][2:]
            self.nodes += 1
            if _KEY.match(body):
                items.append(self._mapping(indent + 2, body, depth + 1))
            else:
                line = self.i + 1
                self.i += 1
                items.append(self._inline(body, indent, line, depth + 1))
        return seq

    def _inline(self, text: str, indent: int, line: int, depth: int) -> Node:
        """A value written on its line (``self.i`` already past it): scalar, flow or block."""
        if not text:
            raise _Unsure
        self.nodes += 1
        first = text[0]
        if first == "|":
            if text not in ("|", "|-"):
                raise _Unsure
            return Scalar(self._literal(indent, text == "|-"), line, False, True)
        if first == "{" and _SIMPLE_FLOW_MAP.fullmatch(text):
            return self._simple_flow_map(text, line)
        if first == "{" or first == "[":
            node, end = self._flow(text, 0, line, depth)
            if end != len(text):
                raise _Unsure
            return node
        if first == '"':
            m = _QUOTED.fullmatch(text)
            if m is None:
                raise _Unsure
            return Scalar(m.group(1), line, False)
        if _PLAIN_BLOCK.fullmatch(text) is None:
            raise _Unsure
        return Scalar(text, line)

    def _literal(self, indent: int, strip: bool) -> str:
        """The lines of a literal block below a key at ``indent``."""
        lines, i, n = self.lines, self.i, self.n
        if i >= n or not lines[i]:
            raise _Unsure  # empty first line: indentation rules left to the event loop
        first = lines[i]
        width = len(first) - len(first.lstrip(" "))
        if width <= indent or not first.strip(" "):
            raise _Unsure
        pad = " " * width
        out: list[str] = []
        while i < n:
            line = lines[i]
            if not line:
                out.append("")
            elif line.startswith(pad):
                if line[-1] == " " and not line.strip(" "):  # (no copy of a long line)
                    raise _Unsure  # a line of spaces only
                out.append(line[width:])
            elif not line.strip(" "):
                raise _Unsure
            else:
                break
            i += 1
        if i == n and lines[-1]:
            raise _Unsure  # no line break at the end of the file: chomping left to the event loop
        while out and not out[-1]:
            out.pop()
        if i < n and len(lines[i]) - len(lines[i].lstrip(" ")) > indent:
            raise _Unsure  # what follows is neither in the block nor after it
        self.i = i
        text = "\n".join(out)
        return text if strip else text + "\n"

    def _simple_flow_map(self, text: str, line: int) -> Mapping | FlowPairs:
        """``{key: plain, …}``, checked by ``_SIMPLE_FLOW_MAP``: split at `, ` and `: `."""
        if len(text) == 2:
            return Mapping(line, flow=True)
        # neither keys nor plain flow values hold a comma or a colon: split at both at once
        flat = text[1:-1].replace(": ", ", ").split(", ")
        values = dict(zip(flat[::2], flat[1::2], strict=False))  # odd: refused below
        if 2 * len(values) != len(flat):
            raise _Unsure  # a duplicate key
        self.nodes += len(flat)
        flow = FlowPairs(line, values)
        return flow if self.pairs else flow.mapping()

    def _flow(self, text: str, pos: int, line: int, depth: int) -> tuple[Node, int]:
        """A flow mapping or sequence starting at ``text[pos]``; (node, position after it)."""
        if depth > _FLOW_LIMIT:
            raise _Unsure
        is_map = text[pos] == "{"
        close = "}" if is_map else "]"
        node: Mapping | Sequence = Mapping(line, flow=True) if is_map else Sequence(line, flow=True)
        pos += 1
        if text.startswith(close, pos):
            return node, pos + 1
        while True:
            if is_map:
                m = _FLOW_KEY.match(text, pos)
                if m is None:
                    raise _Unsure
                name = sys.intern(m.group(1))
                if name in node.items:  # type: ignore[union-attr]
                    raise _Unsure
                pos = m.end()
                self.nodes += 1
            if text.startswith(("{", "["), pos):
                value, pos = self._flow(text, pos, line, depth + 1)
            elif text.startswith('"', pos):
                m = _QUOTED.match(text, pos)
                if m is None:
                    raise _Unsure
                value, pos = Scalar(m.group(1), line, False), m.end()
            else:
                m = _PLAIN_FLOW.match(text, pos)
                if m is None:
                    raise _Unsure
                value, pos = Scalar(m.group(0), line), m.end()
            self.nodes += 1
            if is_map:
                node.items[name] = value  # type: ignore[union-attr]
                node.key_lines[name] = line  # type: ignore[union-attr]
            else:
                node.items.append(value)  # type: ignore[arg-type]
            if text.startswith(", ", pos):
                pos += 2
            elif text.startswith(close, pos):
                return node, pos + 1
            else:
                raise _Unsure


def fast_parse(text: str, pairs: bool = False) -> Node | None:
    """The tree of ``text`` if it is in the canonical form; None when unsure (not refused).

    With ``pairs``, one-line flow mappings of plain scalars may be ``FlowPairs``.
    """
    if _UNSURE.search(text):
        return None
    try:
        return _Fast(text, pairs).read()
    except _Unsure:
        return None


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlRefused(
            "yaml_encoding", line, "文件不是 UTF-8 编码（可能是 GBK）。请用 UTF-8 重新保存。"
        ) from None
    return text.removeprefix("\ufeff")


def parse(data: bytes, pairs: bool = False) -> Node | None:
    """Parse bytes into a node tree; raises YamlRefused for anything refused.

    With ``pairs``, one-line flow mappings of plain scalars may come as
    ``FlowPairs`` (whose ``mapping()`` is the node they stand for).
    """
    if len(data) > MAX_BYTES:
        raise YamlRefused(
            "yaml_too_large", 0, f"文件有 {len(data)} 字节，超过上限 {MAX_BYTES} 字节，请拆分。"
        )
    text = _decode(data)
    fast = fast_parse(text, pairs)
    if fast is not None:
        return fast
    return slow_parse(text)


def slow_parse(text: str) -> Node | None:
    """Parse decoded text with the event loop; raises YamlRefused for anything refused."""
    parser = _LOADER(text)
    try:
        return _Builder(parser.get_event).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or str(exc)
        raise YamlRefused(
            "yaml_syntax",
            line,
            f"YAML 语法错误：{problem}。请检查缩进、冒号后的空格和引号是否成对。",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlRefused("yaml_syntax", 0, f"YAML 语法错误：{exc}") from None
    except RecursionError:
        raise YamlRefused("yaml_too_deep", 0, "嵌套太深，无法读取。") from None
    finally:
        parser.dispose()


def read(data: bytes, file: str, pairs: bool = False) -> tuple[Node | None, list[Diagnostic]]:
    """Parse ``data`` (the bytes of ``file``) and return the tree or one diagnostic."""
    try:
        return parse(data, pairs), []
    except YamlRefused as exc:
        return None, [Diagnostic(file, exc.line, "", exc.check, "error", exc.message)]


def to_plain(node: Node | None):
    """The tree as plain str/list/dict (for tests and JSON export)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return None if node.is_null else node.value
    if isinstance(node, Sequence):
        return [to_plain(n) for n in node.items]
    return {k: to_plain(v) for k, v in node.items.items()}
