"""The mkdocs configuration for one build: the committed base ``mkdocs.yml`` plus the
generated docs dir, site dir, navigation and hooks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from ..pages import Page
from ..paths import REPO_ROOT
from . import hooks

# Top-level navigation order; sections not named here keep their first-seen order.
NAV_ORDER = (
    "首页",
    "按地区浏览",
    "按年度浏览",
    "申请指南",
    "收录情况",
    "数据下载",
    "数据质量",
    "关于",
)
NOT_IN_NAV = "/agencies/\n/regions/\n/years/\n/downloads/\n"


def base_root(root: Path) -> Path:
    """Where ``mkdocs.yml`` and the theme overrides are: ``root``, else this repository."""
    return root if (root / "mkdocs.yml").is_file() else REPO_ROOT


def load_base(root: Path) -> dict:
    """The committed ``mkdocs.yml``."""
    with open(base_root(root) / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def build_nav(pages: list[Page]) -> list:
    """mkdocs ``nav`` from every page's ``nav`` tuple; a page named like a section opens it."""
    tree: dict = {}
    for page in pages:
        if not page.nav:
            continue
        node = {"children": tree}
        for title in page.nav:
            node = node["children"].setdefault(title, {"page": None, "children": {}})
        node["page"] = page.path
    ordered = sorted(
        tree.items(), key=lambda kv: NAV_ORDER.index(kv[0]) if kv[0] in NAV_ORDER else 50
    )
    return [_entry(title, node) for title, node in ordered]


def _entry(title: str, node: dict) -> dict:
    if not node["children"]:
        return {title: node["page"]}
    items = [{title: node["page"]}] if node["page"] else []
    items += [_entry(t, n) for t, n in node["children"].items()]
    return {title: items}


def search_available() -> bool:
    return importlib.util.find_spec("generator.search") is not None


def site_config(
    root: Path, docs_dir: Path, site_dir: Path, pages: list[Page], strict: bool
) -> dict:
    """The full configuration, every path absolute."""
    cfg = load_base(root)
    theme = dict(cfg.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((base_root(root) / theme["custom_dir"]).resolve())
    cfg["theme"] = theme
    cfg["docs_dir"] = str(docs_dir)
    cfg["site_dir"] = str(site_dir)
    cfg["nav"] = build_nav(pages)
    cfg["not_in_nav"] = NOT_IN_NAV
    cfg["hooks"] = [str(Path(hooks.__file__).resolve())]
    cfg["strict"] = strict
    cfg["extra"] = {**(cfg.get("extra") or {}), "gk_search": search_available()}
    return cfg


def write_config(cfg: dict, path: Path) -> Path:
    """Write ``cfg`` as YAML to ``path``."""
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
