"""The baseline: plain mkdocs-material with its built-in search (lang zh) on the same reports.

One plain Markdown page per report, with the same narrative text and the
same tables (Markdown pipe tables, rows and columns from the format
definitions), under ``docs/reports/<agency>/<year>.md``; a plain
``mkdocs.yml`` (material theme, Chinese, the search plugin) and the default
navigation, which lists every page, as a site made the obvious way would.
"""

from __future__ import annotations

from pathlib import Path

from generator.formats import Table, get_format
from generator.load import discover, load_file
from generator.records import Report

MKDOCS_YML = """\
site_name: 政府信息公开年度报告（基线）
site_url: http://127.0.0.1/
use_directory_urls: true
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
markdown_extensions:
  - tables
"""


def _cell_text(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: Table, report: Report) -> str:
    """A format table of ``report`` as a Markdown pipe table."""
    columns = table.columns
    head = ["项目", *(c.label for c in columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = report.tables.get(table.code)
    for row in table.rows:
        cells = [rows.cell(row.code, c.code).display() if rows else "" for c in columns]
        label = _cell_text(f"{row.number}{row.label}")
        lines.append("| " + " | ".join([label, *map(_cell_text, cells)]) + " |")
    return "\n".join(lines)


def _statistics(report: Report) -> list[str]:
    if not report.statistics:
        return []
    out = [
        f"## {report.statistics_title or '统计表'}",
        "",
        "| 统计指标 | 单位 | 统计数 |",
        "|---|---|---|",
    ]
    out += [f"| {s.indicator} | {s.unit} | {s.value.display()} |" for s in report.statistics]
    return [*out, ""]


def page_markdown(report: Report) -> str:
    """The report as one plain Markdown page."""
    fmt = get_format(report.format)
    out = [f"# {report.title}", "", report.preface, ""]
    tables = dict(fmt.tables)
    sections = {s.code: s for s in report.sections if s.code}
    for sec in fmt.sections or ():
        out.append(f"## {sec.number}、{sec.heading}\n")
        if sec.kind == "table" and sec.code in tables:
            out += [table_markdown(tables[sec.code], report), ""]
        elif sec.code in sections:
            out += [sections[sec.code].text, ""]
    if not fmt.sections:
        for s in report.sections:
            out += [f"## {s.heading}", "", s.text, ""]
        out += _statistics(report)
    return "\n".join(out)


def write_docs(content: Path, out: Path) -> int:
    """Write ``out/mkdocs.yml`` and ``out/docs`` from the reports in ``content``; the page count."""
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (out / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# 政府信息公开年度报告\n\n基线站点。\n", encoding="utf-8")
    n = 0
    for path in discover(content):
        kind, record, _ = load_file(path, content)
        if kind != "reports" or record is None:
            continue
        target = docs / "reports" / record.agency / f"{record.year}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_markdown(record), encoding="utf-8")
        n += 1
    return n
