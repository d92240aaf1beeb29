"""Stage 2, validate: records -> diagnostics.

Checks are small named functions in two registries: ``REPORT_CHECKS`` (one
report at a time) and ``CORPUS_CHECKS`` (across files). Each yields
``Diagnostic`` records and never raises for bad data. The loader's own
diagnostics (YAML, schema, file names) come first.

Of the report checks, ``LOCAL_CHECKS`` need the report alone: the loader
runs them where it reads the file and caches their diagnostics with the
record (``Content.checked``), so here they run only for a record the loader
did not check (one replaced after loading, or a ``Content`` made by hand).
A ``slim`` load also runs the source check (it reads the raw text) in the
loader (``Content.sourced``). The result is the same either way (tested).
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from ..load import Content, gc_paused
from ..model import build_corpus
from .corpus_checks import CORPUS_CHECKS
from .report_checks import CONTEXT_CHECKS, LOCAL_CHECKS, REPORT_CHECKS, check_source

__all__ = ["CORPUS_CHECKS", "REPORT_CHECKS", "validate"]


def validate(content: Content) -> list[Diagnostic]:
    """Every diagnostic for ``content``, sorted by file and line."""
    with gc_paused():  # the checks make many small containers and no cycles
        return _validate(content)


def _validate(content: Content) -> list[Diagnostic]:
    out = list(content.diagnostics)
    root = Path(content.root)
    sentences: dict[str, bytes] = {}
    for rid, report in content.reports.items():
        done = content.checked.get(rid)
        sourced = None
        if done is not None and done[0] is report:
            out += done[1]
            sentences[rid] = done[2]
            sourced = content.sourced.get(rid)
        else:
            for check in LOCAL_CHECKS:
                out += check(report)
        for check in CONTEXT_CHECKS:
            if check is check_source and sourced is not None:
                out += sourced  # run by the loader, against the same root
            else:
                out += check(report, agencies=content.agencies, root=root)
    corpus = build_corpus(content, [])
    corpus.sentences = sentences
    for check in CORPUS_CHECKS:
        out += check(corpus)
    return sorted(set(out), key=sort_key)
