"""The safe reader: strings stay strings, hostile YAML is refused with one diagnostic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.yamlsafe import MAX_BYTES, Mapping, Scalar, read, to_plain


def test_scalars_stay_strings_exactly():
    text = "phone: 0635-8221579\npostcode: 010010\narea: 0635\nflag: no\nv: 1.0\nd: 2023-01-01\n"
    node, diags = read(text.encode(), "f.yaml")
    assert diags == []
    assert to_plain(node) == {
        "phone": "0635-8221579",
        "postcode": "010010",
        "area": "0635",
        "flag": "no",
        "v": "1.0",
        "d": "2023-01-01",
    }


def test_lines_are_remembered():
    node, _ = read(b"a: 1\nb:\n  c: [1, 2]\n", "f.yaml")
    assert isinstance(node, Mapping)
    assert node.key_lines == {"a": 1, "b": 2}
    assert node.items["b"].key_lines["c"] == 3


def test_plain_null_differs_from_quoted():
    node, _ = read(b"a: null\nb: 'null'\nc: ~\nd:\n", "f.yaml")
    assert [node.items[k].is_null for k in "abcd"] == [True, False, True, True]


BILLION_LAUGHS = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
"""


@pytest.mark.parametrize(
    ("data", "check", "line"),
    [
        (b"a: [1, 2\nb: 3\n", "yaml_syntax", 2),
        (BILLION_LAUGHS, "yaml_alias", 1),
        (b"a: 1\nb: 2\na: 3\n", "yaml_duplicate_key", 3),
        ("a: 中文\n".encode("gbk"), "yaml_encoding", 1),
        (b"a: !!python/object/apply:os.system [ls]\n", "yaml_tag", 1),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "yaml_too_deep", 1),
        (b"a: 1\n---\nb: 2\n", "yaml_multiple_documents", 2),
        (b"? [a, b]\n: 1\n", "yaml_complex_key", 1),
        (b"a: " + b"x" * (MAX_BYTES + 1), "yaml_too_large", 0),
    ],
)
def test_hostile_yaml_is_refused_with_one_diagnostic(data, check, line):
    node, diags = read(data, "f.yaml")
    assert node is None
    assert [(d.check, d.line, d.severity) for d in diags] == [(check, line, "error")]
    assert diags[0].message  # Chinese, says what to do


yaml_text = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t 0125中文,?.%@")), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(yaml_text)
def test_random_text_never_raises(text):
    node, diags = read(text.encode("utf-8"), "f.yaml")
    assert node is None or isinstance(node, (Mapping, Scalar)) or diags == []
