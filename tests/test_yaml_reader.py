"""The fast reader gives the tree an independent reader gives: same strings, lines and styles.

``yamlsafe`` pulls events from libyaml and builds nodes in one tight loop.
The reference here is PyYAML's pure-Python composer (another parser, another
tree builder); both must agree on every content file, a synthetic corpus
and some tricky documents, down to each scalar's line and quoting.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import yamlsafe
from generator.synth import synthesize
from generator.yamlsafe import Mapping, Scalar, Sequence

REPO = Path(__file__).resolve().parent.parent


def reference(data: bytes):
    """The tree as PyYAML's pure-Python reader composes it, as yamlsafe nodes."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    node = yaml.compose(text, Loader=yaml.BaseLoader)
    return None if node is None else _convert(node)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _convert(node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, _line(node), not node.style, node.style in ("|", ">"))
    if isinstance(node, yaml.SequenceNode):
        return Sequence(_line(node), [_convert(n) for n in node.value], bool(node.flow_style))
    out = Mapping(_line(node), flow=bool(node.flow_style))
    for key, value in node.value:
        assert key.value not in out.items, "duplicates are refused, never composed"
        out.items[key.value] = _convert(value)
        out.key_lines[key.value] = _line(key)
    return out


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_every_content_file_reads_as_the_reference_reads_it():
    files = _files(REPO / "content")
    assert files
    for path in files:
        data = path.read_bytes()
        assert yamlsafe.parse(data) == reference(data), path


def test_a_synthetic_corpus_reads_as_the_reference_reads_it(tmp_path):
    synthesize(tmp_path, 30, seed=5)
    files = _files(tmp_path / "content")
    assert len(files) > 30
    for path in files:
        data = path.read_bytes()
        assert yamlsafe.parse(data) == reference(data), path


TRICKY = [
    "a: 1\nb: '2'\nc: \"3\"\nd:\ne: ~\nf: null\n",
    "text: |\n  line one\n\n  line three\nnext: x\n",
    "folded: >\n  one\n  two\nkeep: |+\n  k\n\nstrip: |-\n  s\n",
    "plain: a multi\n  line plain\n  scalar\nafter: 1\n",
    "flow: {a: 1, b: [x, 'y', \"z\"], c: {}}\nseq: []\n",
    "# comment\nlist:\n  - a\n  - b: 1\n    c: 2\n  -\n  - [1, 2]\n",
    "\ufeffbom: yes\n",
    "crlf: 1\r\nnext: 2\r\n",
    "- top\n- level\n- sequence\n",
    "just a scalar\n",
    "",
    "# only a comment\n",
    "---\nexplicit: start\n...\n",
    "url: http://x.cn/a?b=1#c\nhash: 'a # b'\ncolon: 'a: b'\n",
    "中文键: 中文值\n'引号': \"双引号\\n转义\"\n",
    "empty_block: |\nnext: 1\n",
    "nested:\n  deeper:\n    deepest:\n      - {k: v}\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_read_as_the_reference_reads_them(text):
    data = text.encode("utf-8")
    assert yamlsafe.parse(data) == reference(data)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("a: &x 1\nb: 2\n", "yaml_alias"),
        ("a: 1\nb: *x\n", "yaml_alias"),
        ("a: !tag 1\n", "yaml_tag"),
        ("a: 1\n---\nb: 1\n", "yaml_multiple_documents"),
        ("a:\n  b: 1\n  b: 2\n", "yaml_duplicate_key"),
        ("{[a]: 1}\n", "yaml_complex_key"),
        ("a: " + "[" * 30 + "]" * 30 + "\n", "yaml_too_deep"),
        ("a: " + "- " * 30 + "x\n", "yaml_syntax"),
        ("x:\n" + "".join(f"{'  ' * i}k:\n" for i in range(1, 30)), "yaml_too_deep"),
    ],
)
def test_refusals_keep_their_check(text, check):
    node, diags = yamlsafe.read(text.encode(), "f.yaml")
    assert node is None
    assert [d.check for d in diags] == [check]


def test_very_deep_flow_nesting_is_refused_without_crashing():
    """The C composer recurses without limit here (a crash); the reader stops at MAX_DEPTH."""
    depth = 200_000
    _, diags = yamlsafe.read(b"a: " + b"[" * depth + b"]" * depth, "f.yaml")
    assert [d.check for d in diags] == ["yaml_too_deep"]
    assert diags[0].line == 1


def test_too_many_nodes_are_refused():
    data = ("a: [" + ", ".join(["1"] * (yamlsafe.MAX_NODES + 5)) + "]\n").encode()
    _, diags = yamlsafe.read(data, "f.yaml")
    assert [d.check for d in diags] == ["yaml_too_large"]
