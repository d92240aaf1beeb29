"""Write the package: one CSV per resource and ``datapackage.json``.

CSV: UTF-8 without BOM, ``\\n`` line endings, a header of field names, rows
streamed in the order ``tables`` gives. Numbers are written as published
(decimals in plain notation, never rounded); an empty field is null. The
descriptor is Data Package v2 (``$schema``, ``type: table``) using only what
v1 also has. Same corpus, same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from ..model import Corpus
from .cache import NoCache, PartsCache
from .meta import DATA_LICENSE, DESCRIPTION, NAME, TITLE, Release, current_release
from .parts import check_fields
from .resources import resource, resources
from .schema import TableSpec
from .stream import write_tables
from .tables import CORPUS_ROWS
from .values import cell

DESCRIPTOR = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
KEYWORDS = ["政府信息公开", "年度报告", "政府信息公开指南", "open government information", "China"]


def write_csv(path: Path, spec: TableSpec, rows: Iterable[dict]) -> int:
    """Stream ``rows`` into ``path``; returns the number of rows written."""
    names = spec.field_names
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(names)
        for row in rows:
            check_fields(spec, row)
            out.writerow([cell(row.get(n)) for n in names])
            count += 1
    return count


def resource_descriptor(spec: TableSpec) -> dict:
    return {
        "name": spec.name,
        "type": "table",
        "path": f"{spec.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec.title,
        "description": spec.description,
        "schema": spec.schema(),
    }


def descriptor(release: Release) -> dict:
    """The whole ``datapackage.json``, pinned to the data release."""
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": release.version,
        "created": f"{release.timestamp.isoformat()}Z",
        "licenses": [DATA_LICENSE],
        "keywords": KEYWORDS,
        "resources": [resource_descriptor(s) for s in resources()],
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_package(
    corpus: Corpus,
    out_dir: Path,
    release: Release | None = None,
    cache: PartsCache | NoCache | None = None,
) -> dict[str, int]:
    """Write every CSV and the descriptor into ``out_dir``; returns rows per resource.

    ``cache`` (``cache.PartsCache``) supplies the parts of unchanged reports.
    """
    release = release or current_release()
    counts = write_tables(corpus, release, csv_dir=out_dir, cache=cache, corpus_tables=False)
    for name, rows in CORPUS_ROWS.items():
        counts[name] = write_csv(out_dir / f"{name}.csv", resource(name), rows(corpus))
    write_descriptor(out_dir, release)
    return counts


def write_descriptor(out_dir: Path, release: Release) -> Path:
    path = out_dir / DESCRIPTOR
    path.write_text(dumps(descriptor(release)), encoding="utf-8", newline="\n")
    return path


def package_files() -> list[str]:
    """Names of the files a package directory holds, descriptor first."""
    return [DESCRIPTOR, *(f"{s.name}.csv" for s in resources())]
