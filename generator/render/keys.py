"""What each agency and report page is made from, as a digest: a rebuild renders
only the pages whose digest changed.

A page task's key covers everything its pages show:

* the build's **base key** (:func:`base_key`): the generator's code and
  templates, the theme and its versions, the release, the site's known URLs
  and the paths of the pages made up front — anything that can change every page;
* its agency's **lineage group** (:func:`lineage_groups`): the agencies joined
  by predecessor and successor links (an agency page shows its predecessors'
  reports and its successor's name), with the files of their records, guides
  and reports, the raw texts those reports quote, and the diagnostics of those
  files (shown as data-quality flags);
* for a report, the **peer tally** its outcome table compares it with: every
  report of the same year, format and level (``requester.explainer``).

Files are keyed by the SHA-256 the loader took of their bytes
(``Corpus.digests``); raw texts are hashed here. A corpus without digests
(not loaded from files) gets no keys, and every page is rendered.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..model import Corpus
from ..paths import REPO_ROOT
from ..statdigest import StatDigests

# Distributions whose version changes what a page looks like.
RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown-it-py", "pymdown-extensions")
CODE_DIRS = ("generator", "site_templates")
CODE_SUFFIXES = (".py", ".j2", ".html", ".js", ".css", ".json", ".yml", ".yaml", ".md", ".svg")


def _digest(parts: Iterable[str | bytes]) -> bytes:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def _files_below(base: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(CODE_SUFFIXES)]
    return out


def code_digest(extra_dirs: Iterable[Path] = ()) -> bytes:
    """The generator's code and templates, ``extra_dirs`` (theme overrides) and the
    versions of the packages that render pages."""
    return _code_digest(tuple(Path(d) for d in extra_dirs))


@cache
def _code_digest(extra_dirs: tuple[Path, ...]) -> bytes:
    parts: list[str | bytes] = []
    for base in [*(REPO_ROOT / d for d in CODE_DIRS), *extra_dirs]:
        for path in _files_below(base):
            parts += [path.relative_to(base).as_posix(), path.read_bytes()]
    for dist in RENDERING_PACKAGES:
        try:
            parts.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist} absent")
    return _digest(parts)


def base_key(
    code: bytes, root: Path, known_urls: Iterable[str], taken: Iterable[str], release: str
) -> bytes:
    """What every page task depends on: code, repository root, site URLs, the up-front
    pages' paths and the release."""
    return _digest(
        [
            code,
            str(Path(root).resolve()),
            "\n".join(sorted(known_urls)),
            "\n".join(sorted(taken)),
            release,
        ]
    )


def lineage_groups(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Agency ID -> the sorted IDs of the agencies linked to it by lineage, itself included."""
    parent = {a: a for a in corpus.agencies}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for agency in corpus.agencies.values():
        for entry in agency.lineage:
            if entry.agency and entry.agency in parent:
                ra, rb = find(agency.id), find(entry.agency)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for a in sorted(corpus.agencies):
        members.setdefault(find(a), []).append(a)
    return {a: tuple(members[find(a)]) for a in corpus.agencies}


def group_digest(
    corpus: Corpus,
    agencies: tuple[str, ...],
    digests: StatDigests,
) -> bytes:
    """The records, raw texts and diagnostics of the agencies of one lineage group
    (the raw texts' digests from ``digests``: unchanged files are not read)."""
    parts: list[str | bytes] = []
    for agency_id in agencies:
        files = [corpus.agencies[agency_id].file]
        if agency_id in corpus.guides:
            files.append(corpus.guides[agency_id].file)
        reports = corpus.reports_of(agency_id)
        files += [r.file for r in reports]
        for f in files:
            parts += [f, corpus.digests.get(f, "?"), repr(corpus.diagnostics_for(f))]
        for r in reports:
            if r.source.raw:
                parts += [r.source.raw, digests.digest(r.source.raw) or b"absent"]
    return _digest(parts)


def peer_digests(corpus: Corpus) -> dict[tuple, bytes]:
    """(year, format, level) -> digest of the outcome tally of its reports."""
    from ..requester.explainer import _group, outcome_rows

    out: dict[tuple, bytes] = {}
    for report in corpus.reports.values():
        agency = corpus.agencies.get(report.agency)
        level = agency.level if agency else ""
        key = (report.year, report.format, level)
        if key in out:
            continue
        codes = tuple(r.code for r in outcome_rows(report.format))
        tally = _group(corpus, report.year, report.format, level, codes)
        fields = [repr(tally["counts"]), str(tally["denominator"]), str(tally["reports"])]
        out[key] = _digest([*fields, "\n".join(sorted(tally["agency_ids"]))])
    return out


def task_keys(
    corpus: Corpus, tasks: Iterable, root: Path, base: bytes, digests: StatDigests | None = None
) -> dict:
    """Each task's key (``PageTask`` -> bytes); empty when the corpus has no file digests.

    ``digests`` gives the raw texts' digests (an earlier build's, for files whose
    stat is unchanged: a one-report rebuild then reads none of them).
    """
    if not corpus.digests:
        return {}
    digests = digests or StatDigests(root)
    groups = lineage_groups(corpus)
    by_group: dict[tuple[str, ...], bytes] = {}
    peers = peer_digests(corpus)
    keys = {}
    for task in tasks:
        if task.kind == "agency":
            agency_id, extra = task.key, b""
        else:
            report = corpus.reports[task.key]
            agency_id = report.agency
            level = corpus.agencies[agency_id].level
            extra = peers[(report.year, report.format, level)]
        group = groups[agency_id]
        if group not in by_group:
            by_group[group] = group_digest(corpus, group, digests)
        keys[task] = _digest([base, task.kind, task.key, by_group[group], extra])
    return keys
