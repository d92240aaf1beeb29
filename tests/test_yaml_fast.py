"""The fast reader of canonical files gives the event loop's tree, or gives up.

``yamlsafe.fast_parse`` reads the canonical form line by line and returns
None whenever it is not sure; then the event loop (``slow_parse``) reads the
file and refuses what it must. So: on every file it accepts, the tree must be
the event loop's, node for node (values, lines, quoting, flow style); and a
file the event loop refuses must never be accepted.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from generator import yamlsafe as y
from generator.synth import synthesize

REPO = Path(__file__).resolve().parent.parent
TRICKY = [":", ": ", " #", "#", "-", "- ", "?", "&a ", "*a", "!", "!!str ", "|", ">", "'", '"']
TRICKY += ["%", "@", "`", "\\", "{", "}", "[", "]", ",", ", ", "\t", "\r", "\u2028", "\x85"]
TRICKY += ["\ufeff", " ", "  ", "\n", "\n\n", "---", "...", "~", "null", "0x1", "\u3000", "é"]


def _tree(node):
    """Everything a node says, for comparing the two readers."""
    if node is None:
        return None
    if isinstance(node, y.Scalar):
        return ("scalar", node.value, node.line, node.plain, node.block)
    if isinstance(node, y.Sequence):
        return ("seq", node.line, node.flow, [_tree(n) for n in node.items])
    items = [(k, _tree(v)) for k, v in node.items.items()]
    return ("map", node.line, node.flow, list(node.key_lines.items()), items)


def _slow(text: str):
    try:
        return _tree(y.slow_parse(text))
    except y.YamlRefused as exc:
        return exc


def _agrees(text: str) -> bool:
    """True when the fast reader accepted ``text``; fails if it disagrees with the event loop."""
    fast = y.fast_parse(text)
    if fast is None:
        return False
    slow = _slow(text)
    assert not isinstance(slow, Exception), (text, slow)
    assert _tree(fast) == slow, text
    return True


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> list[str]:
    """Canonical files: a small synthetic corpus, the repository's content and fixtures."""
    out = tmp_path_factory.mktemp("synth")
    synthesize(out, 30, seed=7)
    dirs = [out / "content", REPO / "content", *sorted((REPO / "tests" / "fixtures").iterdir())]
    files = [p for d in dirs for p in sorted(d.rglob("*.yaml"))]
    return [y._decode(p.read_bytes()) for p in files]


def test_every_canonical_file_reads_the_same(samples):
    accepted = [_agrees(text) for text in samples]
    assert sum(accepted) >= 0.9 * len(accepted)  # the fast reader is used for almost all


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    what = rng.randrange(6)
    if what == 0:  # insert something tricky
        pos = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:pos] + rng.choice(TRICKY) + lines[i][pos:]
    elif what == 1:  # delete a few characters
        pos = rng.randint(0, len(lines[i]))
        lines[i] = lines[i][:pos] + lines[i][pos + rng.randint(1, 3) :]
    elif what == 2:  # indent or dedent a line
        lines[i] = " " * rng.choice((1, 2, 3, 4)) + lines[i] if rng.random() < 0.5 else lines[i][1:]
    elif what == 3:  # repeat a line (a duplicate key, or an extra item)
        lines.insert(i, lines[i])
    elif what == 4:  # drop a line
        del lines[i]
    else:  # swap two lines
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_mutated_files_read_the_same_or_go_to_the_event_loop(samples, seed):
    rng = random.Random(seed)
    accepted = refused = 0
    for _ in range(1500):
        text = rng.choice(samples)
        for _ in range(rng.choice((1, 1, 2, 3))):
            text = _mutate(text, rng)
        if _agrees(text):
            accepted += 1
        elif isinstance(_slow(text), y.YamlRefused):
            refused += 1
    assert accepted > 100 and refused > 50  # both sides of the line were tried


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: &x 1\nb: *x\n",  # anchor, alias
        "a: !!python/object 1\n",  # tag
        "a: 1\n---\nb: 2\n",  # two documents
        "a: {b: 1, b: 2}\n",  # duplicate key in a flow mapping
        "a: 1\n\tb: 2\n",  # tab
        "a: [" * 30 + "]" * 30 + "\n",  # too deep
    ],
)
def test_what_is_refused_is_left_to_the_event_loop(text):
    assert y.fast_parse(text) is None
    with pytest.raises(y.YamlRefused):
        y.parse(text.encode())
