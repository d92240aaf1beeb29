"""The copied-text check, made near-linear, flags exactly what comparing every pair flags."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict

import pytest

from generator.model import Corpus
from generator.records import Report, Section
from generator.validate import corpus_checks
from generator.validate.corpus_checks import COPY_MIN_SENTENCES, COPY_SHARE, check_copies


def _every_pair(corpus: Corpus) -> list[tuple[str, str, int, int]]:
    """(report, other, shared, sentences): the check as first written, every pair counted."""
    sentences = {
        rid: {
            hashlib.blake2b(s.strip().encode(), digest_size=8).digest()
            for s in corpus_checks._SENTENCE.findall(
                "\n".join([r.preface, *(x.text for x in r.sections)])
            )
        }
        for rid, r in corpus.reports.items()
    }
    out = []
    for rid, hashes in sorted(sentences.items()):
        if len(hashes) < COPY_MIN_SENTENCES:
            continue
        shared: dict[str, int] = defaultdict(int)
        for other, theirs in sentences.items():
            if other != rid:
                shared[other] = len(hashes & theirs)
        for other, n in sorted(shared.items()):
            if n and n / len(hashes) >= COPY_SHARE:
                out.append((rid, other, n, len(hashes)))
    return out


def _sentence(i: int) -> str:
    return f"第{i}句：本机关认真贯彻落实政府信息公开条例的各项要求并持续改进工作。"


def _corpus(seed: int, reports: int = 60, pool: int = 120) -> Corpus:
    """Reports drawing sentences from a shared pool; a boilerplate sentence in every one."""
    rng = random.Random(seed)
    out = {}
    for i in range(reports):
        agency = f"{110000 + i:06d}-wjw"
        picked = rng.sample(range(pool), rng.randint(3, 14))
        if rng.random() < 0.3 and out:  # a near copy of an earlier report
            source = rng.choice(list(out.values()))
            picked = [int(s.split("句")[0][1:]) for s in source.sections[0].text.split("\n")]
            picked = picked[: rng.randint(len(picked) // 2, len(picked))]
        text = "\n".join(_sentence(j) for j in [*picked, 10_000])
        out[f"{agency}/2023"] = Report(
            agency, 2023, "gov2021", "t", f"content/reports/{agency}/2023.yaml", {},
            sections=(Section("一、总体情况", text),),
        )  # fmt: skip
    return Corpus({}, out, {})


@pytest.mark.parametrize("seed", range(8))
def test_copies_equal_the_every_pair_comparison(seed):
    corpus = _corpus(seed)
    expected = _every_pair(corpus)
    found = list(check_copies(corpus))
    assert len(found) == len(expected)
    for diag, (rid, other, n, total) in zip(found, expected, strict=True):
        assert diag.file == corpus.reports[rid].file
        assert f"{n}/{total}" in diag.message and other in diag.message
    assert seed > 0 or expected  # the generator does make copies


@pytest.mark.parametrize("n", range(1, 200))
def test_needed_is_the_least_count_that_makes_a_copy(n):
    k = corpus_checks._needed(n)
    assert k / n >= COPY_SHARE
    assert k == 0 or (k - 1) / n < COPY_SHARE
