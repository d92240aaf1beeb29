"""Loading with ``FlowPairs`` gives what loading from whole node trees gives.

The loader reads one-line flow mappings of plain scalars (table rows, figures)
as ``FlowPairs`` and the schema converts their values without making a node
for each. The records, the line of every field and the diagnostics must be
those of converting the full tree, also for rows with wrong, empty, unknown,
repeated or odd values.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from generator import load, yamlsafe
from generator.schema import Context
from generator.synth import synthesize

REPO = Path(__file__).resolve().parent.parent
VALUES = ["-3", "abc", "null", "~", "NULL", "/", "1.5", "-1.5", "0", "007", "12-3", "3-12", "+4"]
VALUES += ["—", "不适用", "1e3", ".5", "x y", "-", "true", "2024-01-31", "-0"]
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-]*): ([^,{}]+)")


def _converted(data: bytes, pairs: bool):
    node = yamlsafe.parse(data, pairs)
    ctx = Context("content/reports/a/2020.yaml")
    ctx.lines[""] = node.line
    record = load._read_report(node, ctx)
    return record, ctx.diagnostics, list(ctx.lines.items())


def _has_pairs(node) -> bool:
    if type(node) is yamlsafe.FlowPairs:
        return True
    items = getattr(node, "items", None)
    values = items.values() if isinstance(items, dict) else items or ()
    return any(_has_pairs(child) for child in values)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[bytes]:
    out = tmp_path_factory.mktemp("synth")
    synthesize(out, 40, seed=11)
    dirs = [out / "content" / "reports", REPO / "content" / "reports"]
    return [p.read_bytes() for d in dirs for p in sorted(d.rglob("*.yaml"))]


def test_reports_load_the_same(reports):
    assert sum(_has_pairs(yamlsafe.parse(data, True)) for data in reports) >= 0.9 * len(reports)
    for data in reports:
        assert _converted(data, True) == _converted(data, False)


def _mutate_row(text: str, rng: random.Random) -> str:
    """One flow-mapping line changed: a value, a key, a pair added, dropped or repeated."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.rstrip().endswith("}") and ": {" in line]
    i = rng.choice(rows)
    head, body = lines[i].split(": {", 1)
    pairs = _PAIR.findall(body[:-1])
    what = rng.randrange(5)
    k = rng.randrange(len(pairs))
    if what == 0:
        pairs[k] = (pairs[k][0], rng.choice(VALUES))
    elif what == 1:
        pairs[k] = (rng.choice(["zzz", pairs[k][0] + "s", "lines", "label", "value"]), pairs[k][1])
    elif what == 2:
        pairs.insert(k, (rng.choice(["label", "quote", "zzz"]), rng.choice(VALUES)))
    elif what == 3 and len(pairs) > 1:
        del pairs[k]
    else:
        pairs.insert(k, pairs[k])  # a duplicate key: the event loop refuses it
    lines[i] = head + ": {" + ", ".join(f"{a}: {b}" for a, b in pairs) + "}"
    return "\n".join(lines)


def _outcome(data: bytes, pairs: bool):
    try:
        return _converted(data, pairs)
    except yamlsafe.YamlRefused as exc:
        return ("refused", exc.check, exc.line)


@pytest.mark.parametrize("seed", range(3))
def test_changed_rows_load_the_same(reports, seed):
    rng = random.Random(seed)
    diagnosed = 0
    for _ in range(400):
        text = rng.choice(reports).decode()
        for _ in range(rng.choice((1, 1, 2, 3))):
            text = _mutate_row(text, rng)
        data = text.encode()
        result = _outcome(data, True)
        assert result == _outcome(data, False), text
        diagnosed += result[0] != "refused" and bool(result[1])
    assert diagnosed > 100  # the changes were seen, not only refused
