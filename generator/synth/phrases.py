"""Narrative text for synthetic reports, composed from a bank of real clauses.

The bank is read from the raw seed texts (``content/raw/seeds/*.txt``, real
reports copied from agency websites): sentences are split into clauses at
Chinese punctuation, and clauses that name real places, carry numbers or
numbering, or repeat a table label are dropped. Synthetic sentences join two
to four clauses, so the vocabulary and rhythm are those of real reports while
no two reports share long sentences (the copied-text check stays quiet, as it
would for a real corpus of distinct reports).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..formats import all_formats

_SENTENCES = re.compile(r"[。！？!?\n]")
_CLAUSES = re.compile(r"[，,；;：:]")
_CLEAN = re.compile(r"[\u4e00-\u9fff、《》“”（）]+")
_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、是]")
# Real places and agencies of the seeds: a clause naming one is dropped.
SEED_NAMES = ("聊城", "昌乐", "东昌府", "汤阴", "莱州", "保定", "莲池", "山东", "计生委", "卫生局")
TOPICS = {
    "proactive": ("主动公开", "发布", "解读", "目录"),
    "requests": ("申请", "答复", "依法"),
    "management": ("管理", "审查", "保密", "制度"),
    "platform": ("平台", "网站", "新媒体", "栏目", "公众号"),
    "supervision": ("监督", "考核", "培训", "领导", "保障"),
    "problems": ("问题", "不足", "进一步", "加强", "差距", "下一步"),
}
CLAUSE_LEN = (6, 40)
PAIRS = ("（）", "“”", "《》")  # a clause with an unbalanced pair is dropped


@dataclass(frozen=True)
class PhraseBank:
    """Clauses by topic, plus a general pool."""

    topics: dict[str, tuple[str, ...]]
    general: tuple[str, ...]

    def clause(self, rng: random.Random, topic: str) -> str:
        pool = self.topics.get(topic) if rng.random() < 0.5 else None
        return rng.choice(pool or self.general)


def _table_labels() -> set[str]:
    labels: set[str] = set()
    for fmt in all_formats():
        for table in fmt.tables.values():
            labels.update(label for row in table.rows for label in row.labels)
            labels.update(label for col in table.columns for label in col.labels)
            labels.update(g.label for g in table.groups)
        labels.update(s.heading for s in fmt.sections)
    return labels


def _keep(clause: str, labels: set[str]) -> bool:
    lo, hi = CLAUSE_LEN
    return (
        lo <= len(clause) <= hi
        and _CLEAN.fullmatch(clause) is not None
        and not _NUMBERED.match(clause)
        and clause not in labels
        and not any(name in clause for name in SEED_NAMES)
        and all(clause.count(a) == clause.count(b) for a, b in PAIRS)
    )


def clauses(texts: list[str]) -> list[str]:
    """The usable clauses of ``texts``, distinct, in first-seen order."""
    labels = _table_labels()
    found: dict[str, None] = {}
    for text in texts:
        for sentence in _SENTENCES.split(text):
            for clause in _CLAUSES.split(sentence):
                clause = clause.strip()
                if _keep(clause, labels):
                    found.setdefault(clause)
    return list(found)


@cache
def bank(seeds: Path) -> PhraseBank:
    """The phrase bank of the seed texts in ``seeds`` (sorted, so deterministic)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    pool = clauses(texts)
    if len(pool) < 50:
        raise ValueError(f"{seeds}: too few clauses for a phrase bank ({len(pool)})")
    topics = {
        topic: tuple(c for c in pool if any(k in c for k in keys)) for topic, keys in TOPICS.items()
    }
    return PhraseBank(topics, tuple(pool))


def sentence(bank_: PhraseBank, rng: random.Random, topic: str) -> str:
    """Two to four clauses joined with commas, ending with 。."""
    parts = [bank_.clause(rng, topic) for _ in range(rng.randint(2, 4))]
    return "，".join(parts) + "。"


def paragraph(bank_: PhraseBank, rng: random.Random, topic: str, chars: int, lead: str = "") -> str:
    """Sentences on ``topic`` until about ``chars`` characters; ``lead`` opens it."""
    out = lead
    while len(out) < chars:
        out += sentence(bank_, rng, topic)
    return out
