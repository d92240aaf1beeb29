"""Where things are, relative to the repository root (one place to change them)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTENT = "content"
SITE = "site"
DATAPACKAGE = "datapackage"
TEMPLATES = "site_templates"


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest ancestor of ``start`` holding content/."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONTENT).is_dir():
            return candidate
    return REPO_ROOT
