"""Stage 2, validate: records -> diagnostics.

Checks are small named functions in two registries: ``REPORT_CHECKS`` (one
report at a time) and ``CORPUS_CHECKS`` (across files). Each yields
``Diagnostic`` records and never raises for bad data. The loader's own
diagnostics (YAML, schema, file names) come first.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from ..load import Content
from ..model import build_corpus
from .corpus_checks import CORPUS_CHECKS
from .report_checks import REPORT_CHECKS

__all__ = ["CORPUS_CHECKS", "REPORT_CHECKS", "validate"]


def validate(content: Content) -> list[Diagnostic]:
    """Every diagnostic for ``content``, sorted by file and line."""
    out = list(content.diagnostics)
    root = Path(content.root)
    for report in content.reports.values():
        for check in REPORT_CHECKS:
            out += check(report, agencies=content.agencies, root=root)
    corpus = build_corpus(content, [])
    for check in CORPUS_CHECKS:
        out += check(corpus)
    return sorted(set(out), key=sort_key)
