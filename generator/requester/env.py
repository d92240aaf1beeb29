"""Templates and links shared by the requester pages.

Pages are HTML rendered by the site's one Jinja2 environment
(``generator.render.env``: autoescape on, StrictUndefined), so that every
value from content is escaped. Links inside the HTML are relative, computed from the
page's URL, so the built site works from any base path and from the offline
zip.
"""

from __future__ import annotations

from ..render.env import environment
from ..render.urls import page_url, rel, repo_url

ASSETS = "assets/requester"  # folder under the docs dir for our CSS, JS and calendar data


def contributing_url(repo: str | None = None) -> str:
    """How to contribute, step by step (CONTRIBUTING.md in the repository: always there)."""
    return f"{repo or repo_url()}/blob/main/CONTRIBUTING.md"


def tidy(html: str) -> str:
    """No blank lines: Markdown would end a raw HTML block at one."""
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"


def render(template: str, **context: object) -> str:
    """Render ``site_templates/requester/<template>``, without blank lines."""
    return tidy(environment().get_template(f"requester/{template}").render(**context))


__all__ = ["ASSETS", "contributing_url", "page_url", "rel", "render", "repo_url", "tidy"]
