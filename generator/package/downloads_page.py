"""The downloads page and the data changelog page, documented from the descriptor itself.

The field tables are rendered from ``write.descriptor`` (the very dict that
becomes ``datapackage.json``), so the page cannot drift from the package.
"""

from __future__ import annotations

from functools import cache

import jinja2

from ..model import Corpus
from ..pages import Page, SearchRecord
from ..paths import REPO_ROOT, TEMPLATES
from .meta import CHANGELOG, DATA_LICENSE, Release
from .write import descriptor

DOWNLOADS = "downloads"  # folder under the docs dir, next to downloads.md
ZIP_NAME = "gongkai-datapackage.zip"
XLSX_NAME = "gongkai.xlsx"
PAGE = "downloads.md"
CHANGELOG_PAGE = "downloads/changelog.md"
NAV = ("数据下载",)


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def constraints_text(c: dict) -> str:
    parts = []
    if c.get("required"):
        parts.append("必填 required")
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        parts.append(f"≤ {c['maximum']}")
    if "pattern" in c:
        parts.append(f"模式 pattern `{c['pattern']}`")
    if "enum" in c:
        parts.append("取值 one of: " + ", ".join(f"`{v}`" for v in c["enum"]))
    return "; ".join(parts)


def keys_text(schema: dict) -> tuple[str, str]:
    pk = ", ".join(f"`{k}`" for k in schema.get("primaryKey", ())) or "无 none"
    fks = "; ".join(
        f"`{fk['fields'][0]}` → `{fk['reference']['resource']}.{fk['reference']['fields'][0]}`"
        for fk in schema.get("foreignKeys", ())
    )
    return pk, fks


def table_context(res: dict) -> dict:
    pk, fks = keys_text(res["schema"])
    fields = [
        {**f, "constraints": constraints_text(f.get("constraints", {}))}
        for f in res["schema"]["fields"]
    ]
    return {**res, "fields": fields, "primary_key": pk, "foreign_keys": fks}


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO_ROOT / TEMPLATES / "package"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown out; every value here is ours, not content
    )
    env.filters["cell"] = md_cell
    return env


def downloads_body(release: Release) -> str:
    desc = descriptor(release)
    return (
        environment()
        .get_template("downloads.md.j2")
        .render(
            release=release,
            folder=DOWNLOADS,
            zip_name=ZIP_NAME,
            xlsx_name=XLSX_NAME,
            tables=[table_context(r) for r in desc["resources"]],
            data_license=DATA_LICENSE,
            citation=release.citation(),
            changelog=CHANGELOG_PAGE,
        )
    )


def downloads_page(corpus: Corpus, release: Release) -> Page:
    body = downloads_body(release)
    text = "数据下载 数据包 CSV Excel datapackage.json 许可 引用 " + " ".join(
        r["title"] for r in descriptor(release)["resources"]
    )
    return Page(
        path=PAGE,
        title="数据下载",
        body=body,
        nav=NAV,
        description=f"下载全部数据：Frictionless 数据包（CSV）、Excel 工作簿；版本 {release.version}",
        search=SearchRecord(
            url="downloads/",
            title="数据下载",
            excerpt="数据包（CSV + datapackage.json）、Excel 工作簿、每份报告的 CSV 和 JSON。",
            text=text,
            kind="page",
        ),
    )


def changelog_page(release: Release) -> Page:
    text = (REPO_ROOT / CHANGELOG).read_text(encoding="utf-8")
    return Page(
        path=CHANGELOG_PAGE,
        title="数据版本记录",
        body=text,
        nav=(*NAV, "数据版本记录"),
        description=f"数据包各版本的变化；当前版本 {release.version}",
    )
