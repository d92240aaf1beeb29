"""Property tests: random and mutated content never crashes the loader or the validator."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spine_helpers import FIXTURE, R2023

from generator.load import load
from generator.validate import validate

SEED = (FIXTURE / R2023).read_text(encoding="utf-8")
KEYS = [
    "agency",
    "year",
    "format",
    "title",
    "requests",
    "appeals",
    "proactive",
    "new",
    "total",
    "natural_person",
    "sections",
    "heading",
    "text",
    "source",
    "raw",
    "lines",
    "published",
    "figures",
    "statistics",
    "source_issues",
    "gov2021",
    "legacy",
]
scalars = st.one_of(
    st.sampled_from(
        [
            "",
            "null",
            "0",
            "-1",
            "2023",
            "gov2021",
            "gov2019",
            "legacy",
            "/",
            "详见附件",
            "371500-wjw",
            "2024-01-31",
            "1-2",
            "javascript:x",
        ]
    ),
    st.integers(-5, 3000),
    st.text(max_size=8),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=30,
)

_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(root, data: bytes) -> None:
    path = root / R2023
    path.write_bytes(data)
    diags = validate(load(root / "content"))
    assert all(d.file and d.check and d.message for d in diags)


@_settings
@given(st.dictionaries(st.sampled_from(KEYS), trees, max_size=8))
def test_random_structures(tmp_path_factory, tree):
    root = _copy(tmp_path_factory)
    tree.setdefault("format", "gov2021")
    _check(root, yaml.safe_dump(tree, allow_unicode=True).encode())


@_settings
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(["del", "dup", "char"]),
            st.sampled_from(list(":{}[],-#&*| x0中\t")),
        ),
        max_size=6,
    )
)
def test_mutated_seed(tmp_path_factory, edits):
    root = _copy(tmp_path_factory)
    lines = SEED.splitlines(keepends=True)
    for pos, op, ch in edits:
        i = pos % len(lines)
        if op == "del":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        else:
            j = pos % max(1, len(lines[i]))
            lines[i] = lines[i][:j] + ch + lines[i][j + 1 :]
    _check(root, "".join(lines).encode())


_ROOTS: dict = {}


def _copy(factory):
    """One fixture copy per test function (hypothesis reuses it; the report is rewritten)."""
    import shutil

    key = id(factory)
    if key not in _ROOTS:
        root = factory.mktemp("fuzz") / "repo"
        shutil.copytree(FIXTURE, root)
        _ROOTS[key] = root
    return _ROOTS[key]
