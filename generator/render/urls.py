"""Page paths, relative links and the GitHub links every page carries.

Paths are docs paths (``agencies/371500-wjw/2023.md``); URLs are the
site-relative directory URLs they become (``agencies/371500-wjw/2023/``).
Links inside generated HTML are relative, so the site works under any base
path and from the offline zip.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

from ..paths import REPO_ROOT

DEFAULT_REPO_URL = "https://github.com/gongkai-data/gongkai"
DEFAULT_EDIT_URI = "edit/main/"
ISSUE_FORM = "data-error.yml"  # .github/ISSUE_TEMPLATE/, its field ids: agency, year, field
OUTCOMES_URL = "outcomes/"  # the outcome explainer (generator.requester.explainer)
_SETTING = re.compile(r"^(repo_url|edit_uri|site_url):\s*['\"]?([^'\"\s#]+)", re.M)


def page_url(path: str) -> str:
    """Directory URL of a docs path: a/b.md -> a/b/, a/index.md -> a/, index.md -> ''."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/" if stem else ""


def rel(from_url: str, to: str) -> str:
    """Relative link from the page at ``from_url`` to the site URL ``to`` (keeps a trailing /)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    fragment = ""
    if "#" in to:
        to, fragment = to.split("#", 1)
        fragment = "#" + fragment
    out = _relpath(to, base)
    if (to.endswith("/") or not to) and not out.endswith("/"):
        out += "/"
    return ("./" if out == "./" else out) + fragment


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath("/" + path, "/" + start)`` without its normalising passes
    (links are made by the thousand on every page of a large build)."""
    to = [x for x in path.split("/") if x]
    base = [x for x in start.split("/") if x]
    if "." in to or ".." in to or "." in base or ".." in base:
        return posixpath.relpath("/" + path, "/" + start)
    i, n = 0, min(len(to), len(base))
    while i < n and to[i] == base[i]:
        i += 1
    return "/".join([".."] * (len(base) - i) + to[i:]) or "."


@cache
def settings(root: Path = REPO_ROOT) -> dict[str, str]:
    """``repo_url`` and ``edit_uri`` from the committed mkdocs.yml (the one place they are set)."""
    found = {"repo_url": DEFAULT_REPO_URL, "edit_uri": DEFAULT_EDIT_URI}
    config = root / "mkdocs.yml"
    if config.is_file():
        found.update(dict(_SETTING.findall(config.read_text(encoding="utf-8"))))
    found["repo_url"] = found["repo_url"].rstrip("/")
    return found


def site_url(path: str = "") -> str:
    """The public URL of a site path, for citations; empty when mkdocs.yml sets no site_url."""
    base = settings().get("site_url", "")
    return f"{base.rstrip('/')}/{path.lstrip('/')}" if base else ""


def repo_url() -> str:
    """The GitHub repository's URL."""
    return settings()["repo_url"]


def edit_url(repo_path: str) -> str:
    """GitHub's editor for a repository file (``content/reports/…/2023.yaml``)."""
    edit_uri = settings()["edit_uri"].strip("/")
    return f"{repo_url()}/{edit_uri}/{quote(repo_path)}"


def blob_url(repo_path: str, line: int | str | None = None) -> str:
    """A repository file on GitHub, optionally at a line (``#L12`` or ``#L12-L20``)."""
    anchor = ""
    if line:
        start, _, end = str(line).partition("-")
        anchor = f"#L{start}" + (f"-L{end}" if end else "")
    edit_uri = settings()["edit_uri"].strip("/")
    branch = edit_uri.split("/", 1)[1] if "/" in edit_uri else "main"
    return f"{repo_url()}/blob/{quote(branch)}/{quote(repo_path)}{anchor}"


def issue_url(file: str, line: int, field: str, agency: str = "", year: str = "") -> str:
    """The "报告数据错误" issue form on GitHub, prefilled with the agency, year, file, line and field."""
    where = f"{file} 第 {line} 行 {field}".strip() if line else f"{file} {field}".strip()
    params = [
        ("template", ISSUE_FORM),
        ("title", f"[数据错误] {agency} {year} {field}".strip()),
        ("agency", agency),
        ("year", year),
        ("field", where),
    ]
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params if v)
    return f"{repo_url()}/issues/new?{query}"
