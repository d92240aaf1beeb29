"""mkdocs hooks (loaded by path from the generated config; nothing imports this module).

* Pages whose front matter says ``gk_markup: html`` carry finished HTML from
  our templates: Markdown parsing is skipped and the HTML goes to the theme as
  is, with a table of contents made from its ``<h2 id>`` headings.
* Indentation and blank lines the theme's templates leave are dropped
  (outside ``<pre>``): a report page loses a third of its bytes.
* ``gk_edit`` in the front matter is the page's "edit on GitHub" URL: the YAML
  behind a generated page, not the generated Markdown file.
* ``gk_shell`` marks a theme shell (``shells.py``): its output is kept
  unsqueezed, the site stage fills it and squeezes each filled page.
"""

from __future__ import annotations

import html
import re

from mkdocs.structure.toc import get_toc

_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
_HTML: dict[str, str] = {}
_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)


def on_page_markdown(markdown, page, config, files):  # type: ignore[no-untyped-def]
    """Set finished HTML aside; Markdown has nothing to parse."""
    if page.meta.get("gk_markup") == "html":
        _HTML[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(content, page, config, files):  # type: ignore[no-untyped-def]
    """Put the finished HTML back, with its table of contents."""
    body = _HTML.pop(page.file.src_uri, None)
    if body is None:
        return content
    page.toc = get_toc(toc_tokens(body))
    return body


def toc_tokens(body: str) -> list[dict]:
    """Table-of-contents entries of finished HTML: its ``<h2 id>`` headings, as plain text."""
    return [
        {
            "level": 2,
            "id": anchor,
            "name": html.escape(html.unescape(_TAG.sub("", name))),
            "children": [],
        }
        for anchor, name in _H2.findall(body)
    ]


def on_page_context(context, page, config, nav):  # type: ignore[no-untyped-def]
    """The edit link points at the content file, not at the generated page."""
    page.edit_url = page.meta.get("gk_edit") or None
    return context


def squeeze(html_text: str) -> str:
    """Collapse whitespace runs that hold a line break to one line break, outside <pre>."""
    parts = _PRE.split(html_text)
    return "".join(p if i % 2 else squeeze_text(p) for i, p in enumerate(parts))


def squeeze_text(text: str) -> str:
    r"""``re.sub(r"[ \t]*\n\s*", "\n", text)``, six times faster: line by line.

    A match lies inside one run of whitespace: the spaces and tabs right before
    its first line break, then every whitespace character after it. So each
    line loses its trailing spaces and tabs (not the last line), each line
    after the first its leading whitespace, and lines left empty go (the last
    one leaves its line break).
    """
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    middle = [t.rstrip(" \t") for t in (line.lstrip() for line in lines[1:-1]) if t]
    return "\n".join([lines[0].rstrip(" \t"), *middle, lines[-1].lstrip()])


def on_post_page(output, page, config):  # type: ignore[no-untyped-def]
    """Leaner pages: drop template indentation (shells are squeezed once filled)."""
    if page.meta.get("gk_shell"):
        return output
    return squeeze(output)
