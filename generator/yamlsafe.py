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
"""

from __future__ import annotations

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


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlRefused(
            "yaml_encoding", line, "文件不是 UTF-8 编码（可能是 GBK）。请用 UTF-8 重新保存。"
        ) from None
    return text.removeprefix("\ufeff")


def parse(data: bytes) -> Node | None:
    """Parse bytes into a node tree; raises YamlRefused for anything refused."""
    if len(data) > MAX_BYTES:
        raise YamlRefused(
            "yaml_too_large", 0, f"文件有 {len(data)} 字节，超过上限 {MAX_BYTES} 字节，请拆分。"
        )
    text = _decode(data)
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


def read(data: bytes, file: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse ``data`` (the bytes of ``file``) and return the tree or one diagnostic."""
    try:
        return parse(data), []
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
