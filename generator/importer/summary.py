"""The per-document summary the importer prints: what went where, what did not."""

from __future__ import annotations

from collections.abc import Callable

from .report import Draft
from .text import Line

MAX_QUOTE = 40


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _ranges(nos: list[int]) -> str:
    out: list[str] = []
    for n in sorted(nos):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def draft_lines(draft: Draft, raw: dict[int, str]) -> list[str]:
    """Summary lines of one document."""
    d = draft.data
    head = f"[{draft.start}-{draft.end}] {draft.kind}"
    if draft.kind != "report":
        out = [f"{head}: {d.get('title') or d.get('description', '')}".rstrip()]
    else:
        out = [
            f"{head}: {draft.agency or '?'} {draft.year or '?'} {draft.format}"
            f" — {d.get('title', '')}"
        ]
        if d.get("filed_as"):
            out.append(f"  filed as: {d['filed_as']}")
        if d.get("partial"):
            out.append("  partial: only part of the report survives")
    for code, result in draft.tables.items():
        by_label = [c for c, r in result.rows.items() if r.how == "label"]
        by_pos = [c for c, r in result.rows.items() if r.how == "position"]
        out.append(
            f"  table {code}: {len(result.rows)} rows"
            f" ({len(by_label)} by label, {len(by_pos)} by position)"
        )
        if by_pos:
            out.append(f"    by position only: {', '.join(by_pos)}")
        for m in result.mismatches:
            out.append(
                f"    check {m.check} fails: {m.row}.{m.column} is {m.actual},"
                f" parts add up to {m.expected}"
            )
    if "statistics" in d:
        out.append(f"  statistics table: {len(d['statistics'].rows)} rows")
    if "figures" in d:
        out.append(f"  figures: {', '.join(d['figures'])}")
    if "sections" in d:
        out.append(f"  sections: {len(d['sections'])}")
    out += [f"  warning: {w}" for w in draft.warnings]
    for n, reason in draft.unplaced:
        out.append(f"  unplaced line {n}: {reason}: {_short(raw.get(n, ''))}")
    return out


def print_summary(
    raw_path: str,
    drafts: list[Draft],
    noise: list[Line],
    written: list[str],
    echo: Callable[[str], None] = print,
) -> None:
    """Print the summary of one raw file."""
    raw = {}
    for draft in drafts:
        raw.update(draft.raw_lines)
    echo(f"{raw_path}: {len(drafts)} document(s)")
    for draft in drafts:
        for line in draft_lines(draft, raw):
            echo(line)
    if noise:
        echo(f"  page noise (placed as noise): lines {_ranges([ln.no for ln in noise])}")
    for path in written:
        echo(f"  {path}")
