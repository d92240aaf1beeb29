"""Property: the importer never raises on mutated seed text, and never loses a line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_helpers import REPO, SEEDS

from generator.importer.run import import_file

SEED_LINES = {p.name: p.read_text(encoding="utf-8").splitlines() for p in SEEDS.glob("*.txt")}
NOISE = ["\t", "|", " | ||", "字号:", "大 中 小", "扫码使用手机浏览本页内容", "一、", "（三）", "0", "+2",
         "万元", "<b>", "**", "#", "2023年1月1日", "x.pdf", "\x00", "\u3000"]  # fmt: skip


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SEED_LINES)))
    lines = list(SEED_LINES[name])
    start = draw(st.integers(0, max(len(lines) - 1, 0)))
    lines = lines[start : start + draw(st.integers(1, 150))]
    for _ in range(draw(st.integers(0, 12))):
        op = draw(st.sampled_from(["drop", "dup", "insert", "splice"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "drop" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, "".join(draw(st.lists(st.sampled_from(NOISE), max_size=6))))
        elif lines:
            cut = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:cut] + draw(st.sampled_from(NOISE)) + lines[i][cut:]
    return lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_import_never_raises_and_loses_nothing(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.txt"
        raw.write_text("\n".join(lines), encoding="utf-8")
        result = import_file(raw, REPO, "371500-wjw", out=Path(tmp) / "out")
        accounted = {n for d in result.drafts for n in d.placed}
        accounted |= {n for d in result.drafts for n, _ in d.unplaced}
        accounted |= {ln.no for ln in result.noise}
        text = raw.read_bytes().decode("utf-8").splitlines()
        assert [i for i, t in enumerate(text, 1) if t.strip() and i not in accounted] == []
