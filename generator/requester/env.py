"""Templates and links shared by the requester pages.

Pages are HTML rendered by our own Jinja2 environment (autoescape on,
StrictUndefined, loader on ``site_templates/``), so that every value from
content is escaped. Links inside the HTML are relative, computed from the
page's URL, so the built site works from any base path and from the offline
zip.
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..paths import REPO_ROOT, TEMPLATES

ASSETS = "assets/requester"  # folder under the docs dir for our CSS, JS and calendar data
DEFAULT_REPO_URL = "https://github.com/gongkai-data/gongkai"
_REPO_URL = re.compile(r"^repo_url:\s*['\"]?([^'\"\s#]+)", re.M)


def page_url(path: str) -> str:
    """Site-relative URL of a docs path with directory URLs: a/b.md -> a/b/, a/index.md -> a/."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/" if stem else ""


def rel(from_url: str, to: str) -> str:
    """Relative link from the page at ``from_url`` to site path ``to`` (keeps a trailing /)."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    out = posixpath.relpath("/" + to, "/" + base)
    if to.endswith("/") and not out.endswith("/"):
        out += "/"
    return out


def repo_url(root: Path = REPO_ROOT) -> str:
    """The GitHub repository, from mkdocs.yml's ``repo_url`` (else the default)."""
    mkdocs = root / "mkdocs.yml"
    if mkdocs.is_file():
        m = _REPO_URL.search(mkdocs.read_text(encoding="utf-8"))
        if m:
            return m.group(1).rstrip("/")
    return DEFAULT_REPO_URL


def contributing_url(repo: str | None = None) -> str:
    """How to contribute, step by step (CONTRIBUTING.md in the repository: always there)."""
    return f"{repo or repo_url()}/blob/main/CONTRIBUTING.md"


def json_script(value: object) -> Markup:
    """JSON safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@cache
def environment() -> jinja2.Environment:
    """Our Jinja2 environment: autoescape on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO_ROOT / TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_script"] = json_script
    return env


def tidy(html: str) -> str:
    """No blank lines: Markdown would end a raw HTML block at one."""
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"


def render(template: str, **context: object) -> str:
    """Render ``site_templates/requester/<template>``, without blank lines."""
    return tidy(environment().get_template(f"requester/{template}").render(**context))
