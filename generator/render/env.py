"""The Jinja2 environment for every generated page.

``autoescape=True`` is set outright (not ``select_autoescape``, which would
leave ``*.md.j2`` templates unescaped): every value from content is escaped
unless it is ``Markup`` made by our own safe Markdown renderer.
``StrictUndefined`` turns a misspelt context name into an error at build time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..paths import REPO_ROOT, TEMPLATES
from ..records import Cell, format_number


def json_script(value: object) -> Markup:
    """JSON safe inside a <script type="application/json"> element (no </script> breakout)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _number(value: object) -> str:
    """A number for display; '' for None."""
    if value is None:
        return ""
    if isinstance(value, Cell):
        return value.display()
    return format_number(value)  # type: ignore[arg-type]


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's own cache directory (beside the cache
    signing key, ``loadcache``; private to the user), so that a build does not compile
    every template again: about half a second. None if that directory cannot be made."""
    from ..loadcache import key_path

    directory = key_path().parent / "jinja"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))


@cache
def environment(root: Path = REPO_ROOT) -> jinja2.Environment:
    """Our environment: autoescape on, undefined names are errors, templates in site_templates/."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES),
        bytecode_cache=bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _number
    env.filters["json_script"] = json_script
    from .table_html import cell_markup  # it reads this environment's ``cell`` macro

    env.globals["cell_html"] = cell_markup
    return env


def render(template: str, **context: object) -> str:
    """Render ``site_templates/<template>`` with ``context``."""
    return environment().get_template(template).render(**context)
