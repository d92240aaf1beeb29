"""Write YAML text by hand: fast, deterministic, in the content files' own style.

Synthetic corpora run to tens of thousands of files, so this module writes
YAML with string formatting instead of a YAML library. Only the shapes that
content files use are supported: scalars, flow mappings, block mappings,
lists of flow mappings and literal text blocks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal

# Plain scalars that every YAML reader keeps as the same string.
_PLAIN = re.compile(r"[\u4e00-\u9fff\w（）、《》“”—.\-/]+")
_NUMBER_LIKE = re.compile(r"[-+.\d]")
_NULL_WORDS = frozenset({"~", "null", "Null", "NULL", "true", "false", "yes", "no", "on", "off"})

Value = str | int | Decimal | None


def scalar(value: Value) -> str:
    """A value as a YAML scalar: numbers plain, strings plain when safe, else double-quoted."""
    if value is None:
        return "~"
    if isinstance(value, bool):
        raise TypeError("booleans are written as the words true/false by the caller")
    if isinstance(value, int | Decimal):
        return str(value)
    if _PLAIN.fullmatch(value) and not _NUMBER_LIKE.match(value) and value not in _NULL_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def text_scalar(value: str) -> str:
    """A string that must stay a string even when it looks like a number (codes, postcodes)."""
    return json.dumps(value, ensure_ascii=False)


def flow(mapping: Mapping[str, object]) -> str:
    """``{key: value, …}`` on one line; nested mappings are written in flow style too."""
    items = []
    for key, value in mapping.items():
        shown = flow(value) if isinstance(value, Mapping) else _raw(value)
        items.append(f"{key}: {shown}")
    return "{" + ", ".join(items) + "}"


class Raw(str):
    """A string already in YAML form (written as is)."""


def _raw(value: object) -> str:
    return value if isinstance(value, Raw) else scalar(value)  # type: ignore[arg-type]


def block(text: str, indent: int) -> str:
    """A literal block scalar (``|``) holding ``text``, indented by ``indent`` spaces."""
    pad = " " * indent
    lines = [pad + line if line else "" for line in text.rstrip("\n").split("\n")]
    return "|\n" + "\n".join(lines)
