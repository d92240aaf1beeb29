"""Checks across files: references, year-to-year continuity, copied text, guides."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..formats import get_format
from ..model import Corpus
from ..records import Report
from .report_checks import SENTENCE, sentence_digests

_SENTENCE = SENTENCE
COPY_SHARE = 0.5  # share of a report's long sentences found in one other report
COPY_MIN_SENTENCES = 6


def check_references(corpus: Corpus) -> Iterator[Diagnostic]:
    """Reports and guides name an existing agency; lineage names existing agencies."""
    for record in [*corpus.reports.values(), *corpus.guides.values()]:
        if record.agency not in corpus.agencies:
            yield Diagnostic(
                record.file,
                record.line_of("agency"),
                "agency",
                "agency_unknown",
                "error",
                f"机构 `{record.agency}` 不存在。请先在 content/agencies/ "
                f"下建立 {record.agency}.yaml，或改正机构 ID。",
            )
    for agency in corpus.agencies.values():
        for i, entry in enumerate(agency.lineage):
            if entry.agency and entry.agency not in corpus.agencies:
                path = f"lineage[{i}].agency"
                yield Diagnostic(
                    agency.file,
                    agency.line_of(path),
                    path,
                    "agency_unknown",
                    "error",
                    f"沿革中的机构 `{entry.agency}` 不存在。",
                )


def _carry_pairs(corpus: Corpus) -> Iterator[tuple[Report, Report]]:
    """(year N-1, year N) report pairs of one agency or its predecessor."""
    for agency_id in corpus.agencies:
        history = corpus.history_of(agency_id)
        by_year = defaultdict(list)
        for r in history:
            by_year[r.year].append(r)
        for r in corpus.reports_of(agency_id):
            for prev in by_year.get(r.year - 1, ()):
                yield prev, r


def check_carry_over(corpus: Corpus) -> Iterator[Diagnostic]:
    """carried_over of year N equals carried_forward of year N-1 (same agency or predecessor)."""
    for prev, cur in _carry_pairs(corpus):
        table = get_format(cur.format).table("requests")
        if table is None or table.carry is None or "requests" not in prev.tables:
            continue
        src, dst = table.carry
        for column in table.columns:
            a = prev.tables["requests"].cell(src, column.code)
            b = cur.tables["requests"].cell(dst, column.code)
            if a.is_number and b.is_number and a.value != b.value:
                path = f"requests.{dst}.{column.code}"
                yield Diagnostic(
                    cur.file,
                    cur.line_of(path),
                    path,
                    "carry_over",
                    "warning",
                    f"上年结转（{column.label}）是 {b.display()}，但 {prev.year} 年报告的"
                    f"「结转下年度继续办理」是 {a.display()}（{prev.file}:"
                    f"{prev.line_of(f'requests.{src}.{column.code}')}）。请核对两份原文。",
                )


def _sentences(digests: bytes) -> set[int]:
    """The set of a report's sentence digests (``sentence_digests``), as integers."""
    return set(memoryview(digests).cast("Q").tolist())  # DIGEST_SIZE bytes each


def _digests(corpus: Corpus) -> dict[str, bytes]:
    """Each report's sentence digests: made by the loader when given, else made here."""
    given = corpus.sentences
    return {
        rid: given[rid] if rid in given else sentence_digests(r)
        for rid, r in corpus.reports.items()
    }


def _needed(n: int) -> int:
    """The fewest shared sentences, of ``n``, that make a copy: ``k / n >= COPY_SHARE``."""
    k = math.ceil(COPY_SHARE * n)
    while k > 0 and (k - 1) / n >= COPY_SHARE:
        k -= 1
    while k / n < COPY_SHARE:
        k += 1
    return k


def _shared(sentences: list[set[int]]) -> set[int]:
    """The sentences found in more than one of ``sentences`` (set operations, no loop per item)."""
    seen: set[int] = set()
    shared: set[int] = set()
    for hashes in sentences:
        shared |= hashes & seen
        seen |= hashes
    return shared


def _owners(sentences: list[set[int]], wanted: set[int]) -> dict[int, list[int]]:
    """Sentence of ``wanted`` -> the index of every report that has it, in order."""
    owners: dict[int, list[int]] = {h: [] for h in wanted}
    for i, hashes in enumerate(sentences):
        for h in hashes & wanted:
            owners[h].append(i)
    return owners


def check_copies(corpus: Corpus) -> Iterator[Diagnostic]:
    """Reports whose text is mostly another report's (another agency's or year's).

    Near-linear by prefix filtering: a report sharing ``k`` of a report's
    ``n`` sentences shares at least one of its ``n - k + 1`` rarest ones, so
    only the owners of those are compared (by exact set intersection). A
    boilerplate sentence found in every report is then never a reason to
    compare every report with every other. A sentence in this report only
    names no candidate, so a report with fewer than ``n - k + 1`` sentences
    also in others is never compared, and (most reports) costs two set
    operations; the owners of sentences are listed only for the others.
    """
    digests = _digests(corpus)
    ids = sorted(digests)
    sentences = [_sentences(digests[rid]) for rid in ids]
    shared = _shared(sentences)
    compared: list[tuple[int, list[int], int]] = []  # (report, its shared sentences, how many)
    for i, hashes in enumerate(sentences):
        n = len(hashes)
        if n < COPY_MIN_SENTENCES:
            continue
        common = hashes & shared
        wanted = n - _needed(n) + 1 - (n - len(common))
        if wanted > 0:
            compared.append((i, list(common), wanted))
    owners = _owners(sentences, {h for _, common, _ in compared for h in common})
    for i, common, wanted in compared:
        hashes, n = sentences[i], len(sentences[i])
        rarest = sorted(common, key=lambda h: (len(owners[h]), h))[:wanted]
        candidates = {j for h in rarest for j in owners[h] if j != i}
        for j in sorted(candidates):  # ``ids`` is sorted: the order of the other reports' ids
            other = ids[j]
            shared_n = len(hashes & sentences[j])
            if shared_n / n >= COPY_SHARE:
                report = corpus.reports[ids[i]]
                yield Diagnostic(
                    report.file,
                    report.line_of("sections"),
                    "sections",
                    "copied_text",
                    "warning",
                    f"正文有 {shared_n}/{n} 个长句与 {other} 的报告相同，"
                    f"可能是照抄。请核对原文是否确实如此。",
                )


def check_guides(corpus: Corpus) -> Iterator[Diagnostic]:
    """Guides that state time limits or remedies differing from current law."""
    try:
        from ..law import check_guide
    except ImportError:  # the law module is optional until guides are modelled
        return
    for guide in corpus.guides.values():
        yield from check_guide(guide)


CORPUS_CHECKS = (check_references, check_carry_over, check_copies, check_guides)
