"""Write a planned tree as YAML in gongkai's one canonical form.

The tree says what to write (keys already in order, each container flow or
block, each scalar's kind); this module decides how each scalar is spelled
and lays the lines out: 2-space indentation, sequences indented under their
key, a flow mapping on one line, narrative text as a literal block (``|``),
``null`` for blank, and quotes exactly where a YAML 1.1 or 1.2 reader would
misread a string (``0635``, ``010010``, ``no``, ``on``, ``1.0``) or a plain
scalar is impossible. ISO dates and numbers in numeric fields stay plain.

Comments are placed by field path: full-line comments before the line of
their field, end-of-line comments after it. A comment that belongs inside a
flow mapping goes to the end of that mapping's line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Union

import yaml
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from .yamlsafe import NULL_WORDS

Path = tuple[Union[str, int], ...]  # noqa: UP007 - a runtime alias
INDENT = 2
STR_TAG = "tag:yaml.org,2002:str"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_RESOLVE_11 = yaml.resolver.Resolver()
_RESOLVE_12 = VersionedResolver(version=(1, 2))
_ANALYZER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


@dataclass
class OutScalar:
    """A scalar to write; ``text`` None is null. kind: text | number | narrative."""

    text: str | None
    kind: str = "text"


@dataclass
class OutMap:
    items: list[tuple[str, Out]] = field(default_factory=list)
    flow: bool = False


@dataclass
class OutSeq:
    items: list[Out] = field(default_factory=list)
    flow: bool = False


Out = Union[OutScalar, OutMap, OutSeq]  # noqa: UP007 - a runtime alias


@dataclass
class Comments:
    """Comment lines (without the ``#``-less whitespace) placed by field path."""

    header: list[str] = field(default_factory=list)
    before: dict[Path, list[str]] = field(default_factory=dict)
    eol: dict[Path, list[str]] = field(default_factory=dict)
    footer: list[str] = field(default_factory=list)


def misread(text: str) -> bool:
    """True when a YAML 1.1 or 1.2 reader would not read ``text`` (plain) as a string."""
    node = (True, False)
    return (
        _RESOLVE_11.resolve(yaml.ScalarNode, text, node) != STR_TAG
        or _RESOLVE_12.resolve(ScalarNode, text, node) != STR_TAG
    )


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or 0x10000 <= o <= 0x10FFFF
    )


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, escaping what is not printable."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _plain_ok(text: str, kind: str, flow: bool) -> bool:
    if text in NULL_WORDS:
        return False  # a string that only looks like null must keep its quotes
    analysis = _ANALYZER.analyze_scalar(text)
    if analysis.multiline or not (
        analysis.allow_flow_plain if flow else analysis.allow_block_plain
    ):
        return False
    typed = kind == "number" and (NUMBER.fullmatch(text) or text in ("true", "false"))
    if ISO_DATE.fullmatch(text) or typed:
        return True
    return not misread(text)


def literal_ok(text: str) -> bool:
    """True when ``text`` can be written as a literal block and read back unchanged."""
    if not text.strip() or (text.startswith((" ", "\t")) and "\n" not in text):
        return False
    return _ANALYZER.analyze_scalar(text).allow_block


def inline(scalar: OutScalar, flow: bool) -> str:
    """A scalar written on one line: null, plain or double-quoted."""
    if scalar.text is None:
        return "null"
    if _plain_ok(scalar.text, scalar.kind, flow):
        return scalar.text
    return double_quoted(scalar.text)


def wants_literal(scalar: OutScalar) -> bool:
    text = scalar.text
    if text is None:
        return False
    return (scalar.kind == "narrative" or "\n" in text) and literal_ok(text)


def literal(text: str, indent: int) -> tuple[str, list[str]]:
    """(header such as ``|-``, content lines indented by ``indent``)."""
    body = text[:-1] if text.endswith("\n") else text
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
    if text.endswith("\n\n"):
        chomp = "+"
    first = body.lstrip("\n")
    hint = str(INDENT) if first.startswith((" ", "\t")) else ""
    pad = " " * indent
    return f"|{hint}{chomp}", [pad + line if line else "" for line in body.split("\n")]


def flow_text(node: Out) -> str:
    """A container (or scalar) in flow style, on one line."""
    if isinstance(node, OutScalar):
        return inline(node, flow=True)
    if isinstance(node, OutSeq):
        return "[" + ", ".join(flow_text(i) for i in node.items) + "]"
    parts = [f"{key_text(k, True)}: {flow_text(v)}" for k, v in node.items]
    return "{" + ", ".join(parts) + "}"


def key_text(key: str, flow: bool) -> str:
    return inline(OutScalar(key), flow)


def _one_line(node: Out) -> bool:
    if isinstance(node, OutScalar):
        return not wants_literal(node)
    return node.flow or not node.items


def _descendants(path: Path, table: dict[Path, list[str]]) -> list[str]:
    n = len(path)
    return [c for p, cs in table.items() if p[:n] == path for c in cs]


class Writer:
    """Lays out one document."""

    def __init__(self, comments: Comments | None = None):
        self.c = comments or Comments()
        self.lines: list[str] = []

    def document(self, root: Out, first_line: str = "") -> str:
        if first_line:
            self.lines.append(first_line)
        self.lines += [f"# {c}" if c else "#" for c in self.c.header]
        if isinstance(root, OutMap) and root.items and not root.flow:
            self._map(root, (), 0)
        elif isinstance(root, OutSeq) and root.items and not root.flow:
            self._seq(root, (), 0)
        else:
            self._line(0, flow_text(root), ())
        self.lines += [f"# {c}" if c else "#" for c in self.c.footer]
        return "\n".join(self.lines) + "\n"

    def _comments_before(self, path: Path, indent: int, deep: bool) -> None:
        found = _descendants(path, self.c.before) if deep else self.c.before.get(path, [])
        self.lines += [" " * indent + (f"# {c}" if c else "#") for c in found]

    def _line(self, indent: int, text: str, path: Path, deep: bool = True, extra=()) -> None:
        found = [*extra, *(_descendants(path, self.c.eol) if deep else self.c.eol.get(path, []))]
        tail = "  # " + " # ".join(found) if found else ""
        self.lines.append(" " * indent + text + tail)

    def _entry(self, head: str, node: Out, path: Path, indent: int, extra=()) -> None:
        """``head`` (``key:`` or ``-``) and its value, starting at ``indent``."""
        if isinstance(node, OutScalar) and wants_literal(node):
            header, body = literal(node.text or "", indent + INDENT)
            self._line(indent, f"{head} {header}", path, extra=extra)
            self.lines += body
        elif _one_line(node):
            text = inline(node, False) if isinstance(node, OutScalar) else flow_text(node)
            self._line(indent, f"{head} {text}", path, extra=extra)
        elif isinstance(node, OutMap) and head == "-":
            self._map(node, path, indent + INDENT, dash=indent, extra=extra)
        else:
            self._line(indent, head, path, deep=False, extra=extra)
            body = self._map if isinstance(node, OutMap) else self._seq
            body(node, path, indent + INDENT)

    def _map(self, node: OutMap, path: Path, indent: int, dash: int = -1, extra=()) -> None:
        for i, (key, value) in enumerate(node.items):
            p = (*path, key)
            self._comments_before(p, indent if i or dash < 0 else dash, not _deep_ok(value))
            head = f"{key_text(key, False)}:"
            if i == 0 and dash >= 0:
                self._entry_after_dash(head, value, p, dash, extra)
            else:
                self._entry(head, value, p, indent)

    def _entry_after_dash(self, head: str, value: Out, path: Path, dash: int, extra) -> None:
        start = len(self.lines)
        self._entry(head, value, path, dash + INDENT, extra=extra)
        first = self.lines[start]
        self.lines[start] = " " * dash + "- " + first[dash + INDENT :]

    def _seq(self, node: OutSeq, path: Path, indent: int) -> None:
        for i, item in enumerate(node.items):
            p = (*path, i)
            deep = _one_line(item)
            self._comments_before(p, indent, deep)
            if isinstance(item, OutMap) and not deep:
                self._entry("-", item, p, indent, extra=self.c.eol.get(p, []))
            else:
                self._entry("-", item, p, indent)


def _deep_ok(value: Out) -> bool:
    """True when the value has lines of its own, so its comments stay inside it."""
    return not _one_line(value)


def write(root: Out, comments: Comments | None = None, first_line: str = "") -> str:
    """The canonical text of ``root`` with ``comments`` and an optional first line."""
    return Writer(comments).document(root, first_line)
