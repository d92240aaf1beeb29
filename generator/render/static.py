"""Hand-written pages from ``content/pages/*.md`` (about, methodology, glossary …).

Each file starts with front matter (``title``, ``nav`` as ``关于/方法说明``,
optional ``order``). A line ``<!-- gk:rows <format> <table> -->`` is replaced
by the table's rows generated from the format definition, so the methodology
page never drifts from ``generator/formats``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..formats import get_format
from ..pages import Page, SearchRecord
from .urls import page_url

MARKER = re.compile(r"^<!-- gk:(rows|columns) (\w+) (\w+) -->$", re.M)
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rows_table(format_code: str, table_code: str) -> str:
    """A Markdown table of a format table's rows: code, printed label, article."""
    table = get_format(format_code).tables[table_code]
    lines = ["| 代码 | 行 | 条例依据 |", "| --- | --- | --- |"]
    for row in table.rows:
        lines.append(f"| `{row.code}` | {_cell(row.full_label)} | {_cell(row.article)} |")
    return "\n".join(lines)


def columns_table(format_code: str, table_code: str) -> str:
    """A Markdown table of a format table's columns: code, label, group, unit."""
    table = get_format(format_code).tables[table_code]
    lines = ["| 代码 | 列 | 上级表头 | 单位 |", "| --- | --- | --- | --- |"]
    for col in table.columns:
        lines.append(f"| `{col.code}` | {_cell(col.label)} | {_cell(col.group)} | {col.unit} |")
    return "\n".join(lines)


def expand(text: str) -> str:
    """Replace every gk:rows / gk:columns marker by its generated table."""
    makers = {"rows": rows_table, "columns": columns_table}
    return MARKER.sub(lambda m: makers[m.group(1)](m.group(2), m.group(3)), text)


def read_page(path: Path, repo_path: str) -> Page:
    """One hand-written page."""
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    m = FRONT.match(text)
    if m:
        meta = yaml.safe_load(m.group(1)) or {}
        text = text[m.end() :]
    title = str(meta.get("title") or path.stem)
    nav = tuple(str(meta["nav"]).split("/")) if meta.get("nav") else None
    body = expand(text)
    plain = re.sub(r"[`*#|>\-\[\]()]", " ", body)
    return Page(
        path=path.name,
        title=title,
        body=body,
        edit_path=repo_path,
        nav=nav,
        description=str(meta.get("description", "")),
        search=SearchRecord(
            page_url(path.name), title, str(meta.get("description", "")), plain, "page"
        ),
        extra={"order": int(meta.get("order", 100))},
    )


def pages(root: Path) -> list[Page]:
    """Every ``content/pages/*.md``, in nav order."""
    folder = root / "content" / "pages"
    found = (
        [read_page(p, f"content/pages/{p.name}") for p in sorted(folder.glob("*.md"))]
        if folder.is_dir()
        else []
    )
    return sorted(found, key=lambda p: (p.extra.get("order", 100), p.path))
