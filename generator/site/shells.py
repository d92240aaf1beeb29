"""Bulk pages without mkdocs: one theme "shell" per page shape, filled by string substitution.

Agency, report, year and region pages are not in the navigation and carry
finished HTML; mkdocs would spend ~10 ms on each only to wrap the same theme
around it. Instead mkdocs renders one *shell* page per *shape* — everything
that changes the theme's output apart from plain per-page values: the page's
position relative to every URL the theme links to, ``hide``, which
front-matter keys are present, the extra keys, whether the body has an
``<h1>`` and whether it has a table of contents. A shell carries sentinel
strings (with ``<&"'>`` in them, so any escaping the theme did would show) for
the title, description, edit and raw links, URL, content and TOC entries.
:func:`compile_shell` cuts the rendered shell into literal text and slots,
checking that no sentinel is left over in a form it does not know;
:meth:`Template.fill` puts a page's values in, exactly as mkdocs, the theme and
``hooks.py`` would have produced them, and ``squeeze`` finishes the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..pages import Page
from ..render.urls import page_url
from .docs import front_matter, page_source
from .hooks import squeeze, squeeze_text, toc_tokens

MARK = "gkshell"
PROBE = "<&\"'>"
PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\.md")
# Characters YAML or the universal-newline read of a docs file could change.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
URL_LITERAL = re.compile(r"""(['"])([^'"{}]+)\1\s*\|\s*url\b""")
_SLOT = re.compile("\x00(\\w+)\x00")
_PRE_START = re.compile(r"<(?:pre|textarea)\b", re.I)  # where squeeze leaves text alone
TOC_PROBES = 3


class ShellError(Exception):
    """A rendered shell holds a sentinel in a form the filler does not know."""


@dataclass(frozen=True)
class Shape:
    """Everything about a page that changes the theme's output beyond plain values."""

    depth: int  # URL directory levels
    prefix: tuple[str, ...]  # leading directories the page shares with theme link targets
    hide: tuple[str, ...]
    description: bool
    edit: bool
    raw: bool
    extra: str  # repr of the sorted extra front-matter items
    h1: bool  # the theme adds an <h1> when the content has none
    toc: bool


def content_of(page: Page) -> str:
    """The body as the hooks receive it: mkdocs reads the docs file with universal
    newlines and strips the newlines after the front matter."""
    body = page.body
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body.lstrip("\n")


def theme_dirs(cfg: dict) -> list[Path]:
    """The theme's template directories, overrides first."""
    import mkdocs
    from mkdocs.utils import get_theme_dir

    theme = cfg.get("theme") or {}
    dirs = [Path(theme["custom_dir"])] if theme.get("custom_dir") else []
    dirs.append(Path(get_theme_dir(theme.get("name", "mkdocs"))))
    dirs.append(Path(mkdocs.__file__).parent / "templates")
    return dirs


def _walk(base: Path, skip_md: bool) -> Iterator[str]:
    """Site-relative paths of the files under ``base`` (hidden entries skipped)."""
    for parent, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel = os.path.relpath(parent, base)
        for name in filenames:
            if name.startswith(".") or (skip_md and name.endswith(".md")):
                continue
            yield name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")


def link_prefixes(nav_urls: Iterable[str], docs_dir: Path, dirs: list[Path]) -> set[tuple]:
    """Every leading run of path parts of every URL the theme may link to.

    Those are the navigation pages, the static files (docs dir and theme) and
    the ``'…' | url`` literals of the theme's templates. A superset is safe: it
    can only make shapes finer.
    """
    targets = set(nav_urls)
    targets.update(_walk(docs_dir, skip_md=True))
    for d in dirs:
        for rel in _walk(d, skip_md=False):
            targets.add(rel)
            if rel.endswith(".html"):
                text = (d / rel).read_text(encoding="utf-8", errors="replace")
                targets.update(m.group(2) for m in URL_LITERAL.finditer(text))
    prefixes: set[tuple] = set()
    for target in targets:
        parts = tuple(p for p in target.split("/") if p and p != ".")
        prefixes.update(parts[:i] for i in range(1, len(parts) + 1))
    return prefixes


def _safe(*values: str) -> bool:
    return not any(UNSAFE.search(v) for v in values)


def shape_of(page: Page, prefixes: set[tuple]) -> Shape | None:
    """The page's shape, or None when mkdocs must build it (in the navigation,
    Markdown, an unusual path or characters a docs file would not carry through)."""
    if page.nav is not None or page.markup != "html" or not page.title:
        return None
    path = page.path
    if not PLAIN_PATH.fullmatch(path) or path.endswith("README.md") or MARK in path:
        return None
    if not _safe(page.title, page.description, page.edit_path, page.raw_path):
        return None
    parts = tuple(page_url(page.path).strip("/").split("/"))
    k = 0
    while k < len(parts) and parts[: k + 1] in prefixes:
        k += 1
    if not parts[0] or k == len(parts):
        return None
    content = content_of(page)
    return Shape(
        depth=len(parts),
        prefix=parts[:k],
        hide=tuple(page.hide),
        description=bool(page.description),
        edit=bool(page.edit_path),
        raw=bool(page.raw_path),
        extra=repr(sorted(page.extra.items())),
        h1="<h1" in content,
        toc=bool(toc_tokens(content)),
    )


@dataclass
class Shell:
    """The page mkdocs renders for one shape, and the sentinel values it carries."""

    sid: int
    shape: Shape
    model: Page  # a page of this shape (its extra keys go into the shell)

    @property
    def url(self) -> str:
        """The shell's own URL: the shape's prefix, then directories no target shares."""
        fill = [f"{MARK}{self.sid}"] + [
            f"{MARK}{self.sid}d{j}" for j in range(self.shape.depth - len(self.shape.prefix) - 1)
        ]
        return "/".join((*self.shape.prefix, *fill)) + "/"

    @property
    def path(self) -> str:
        return f"{self.url}index.md"

    def _sentinel(self, slot: str) -> str:
        return f"{MARK}{slot}{self.sid}x"

    def anchors(self) -> list[tuple[str, str]]:
        """(id, heading) of the shell's TOC probes, as written in its body."""
        if not self.shape.toc:
            return []
        return [
            (self._sentinel(f"A{i}"), self._sentinel(f"N{i}") + "&lt;&amp;&gt;")
            for i in range(TOC_PROBES)
        ]

    def page(self) -> Page:
        s = self.shape
        body = f"<p>{self._sentinel('C')}</p>\n"
        if s.h1:
            body += f"<h1>{self._sentinel('H')}</h1>\n"
        body += "".join(f'<h2 id="{a}">{n}</h2>\n' for a, n in self.anchors())
        return Page(
            path=self.path,
            title=self._sentinel("T") + PROBE,
            body=body,
            edit_path="x" if s.edit else "",
            raw_path="x" if s.raw else "",
            description=self._sentinel("D") + PROBE if s.description else "",
            hide=s.hide,
            extra=self.model.extra,
            markup="html",
        )

    def meta(self) -> dict:
        """The shell's front matter: the page's, with sentinel links and the shell mark."""
        meta = front_matter(self.page())
        if self.shape.edit:
            meta["gk_edit"] = self._sentinel("E") + PROBE
        if self.shape.raw:
            meta["gk_raw"] = self._sentinel("R") + PROBE
        meta["gk_shell"] = True
        return meta

    def source(self) -> str:
        """The shell's docs file."""
        return page_source(self.page(), self.meta())

    def values(self) -> tuple[dict[str, str], list[dict]]:
        """Its per-page values, as the theme received them."""
        return page_values(self.page(), self.meta())


def page_values(page: Page, meta: dict | None = None) -> tuple[dict[str, str], list[dict]]:
    """What the theme prints for ``page``: front-matter strings, URL, content; TOC entries."""
    fm = front_matter(page) if meta is None else meta
    content = content_of(page)
    values = {
        "title": fm["title"],
        "description": fm.get("description", ""),
        "edit": fm.get("gk_edit", ""),
        "raw": fm.get("gk_raw", ""),
        "url": page_url(page.path),
        "content": content,
    }
    tokens = toc_tokens(content)
    if tokens:
        values["a0"] = tokens[0]["id"]
        values["n0"] = tokens[0]["name"]
    return values, tokens


@dataclass
class Template:
    """Literal text and named slots, alternating (``parts[odd]`` are slot names)."""

    parts: list[str]
    item: Template | None = None  # one TOC entry, slots "a" and "n"
    sep: str = ""  # between TOC entries
    slots: set[str] = field(default_factory=set)
    _pieces: list[_Piece | None] = field(default_factory=list)  # literal parts, squeezed

    @classmethod
    def parse(cls, text: str) -> Template:
        parts = _SLOT.split(text)
        for literal in parts[::2]:
            at = literal.find(MARK) if MARK in literal else literal.find("\x00")
            if at >= 0:
                raise ShellError(f"unrecognised sentinel: {literal[max(at - 60, 0) : at + 60]!r}")
        return cls(parts, slots=set(parts[1::2]))

    def fill(self, values: dict[str, str], tokens: list[dict] = ()) -> str:  # type: ignore[assignment]
        """The text with every slot replaced by ``values[slot]``, ``toc`` by the entries."""
        out = self.parts[:]
        for i in range(1, len(out), 2):
            name = out[i]
            out[i] = self._toc(tokens) if name == "toc" else values[name]
        return "".join(out)

    def _toc(self, tokens: list[dict]) -> str:
        assert self.item is not None
        return self.sep.join(self.item.fill({"a": t["id"], "n": t["name"]}) for t in tokens)

    def fill_squeezed(self, values: dict[str, str], tokens: list[dict]) -> str:
        """``squeeze(self.fill(values, tokens))``, squeezing only the values.

        ``squeeze`` turns each run of whitespace on its own (outside ``<pre>``
        and ``<textarea>``), so the literal parts are squeezed once and only the
        runs where parts meet are squeezed per page.
        """
        if not self._pieces:
            self._pieces = [_piece(p) if i % 2 == 0 else None for i, p in enumerate(self.parts)]
        pieces = [
            piece
            if piece is not None
            else _piece(self._toc(tokens) if self.parts[i] == "toc" else values[self.parts[i]])
            for i, piece in enumerate(self._pieces)
        ]
        text = _join(pieces)
        if _PRE_START.search(text):
            return squeeze(self.fill(values, tokens))
        return text


@dataclass(frozen=True)
class _Piece:
    """A text cut at its leading and trailing whitespace; the middle squeezed."""

    lead: str
    core: str
    trail: str


def _piece(text: str) -> _Piece:
    stripped = text.lstrip()
    if not stripped:
        return _Piece(text, "", "")
    core = stripped.rstrip()
    return _Piece(text[: len(text) - len(stripped)], squeeze_text(core), stripped[len(core) :])


def _join(pieces: list[_Piece]) -> str:
    """The squeezed concatenation of the texts of ``pieces`` (no ``<pre>`` among them)."""
    out: list[str] = []
    pending = ""
    for piece in pieces:
        if not piece.core:
            pending += piece.lead
            continue
        out.append(squeeze_text(pending + piece.lead))
        out.append(piece.core)
        pending = piece.trail
    out.append(squeeze_text(pending))
    return "".join(out)


def _unique(text: str, needle: str, what: str) -> int:
    i = text.find(needle)
    if i < 0 or text.find(needle, i + 1) >= 0:
        raise ShellError(f"{what} is not in the shell exactly once")
    return i


def _cut_toc(text: str, probes: list[tuple[str, str]]) -> tuple[str, Template, str]:
    """Replace the TOC entries (``<li>…</li>`` around each probe) with one ``toc`` slot."""
    pos = [0] * len(probes)
    for i in range(len(probes) - 1, 0, -1):
        pos[i] = _unique(text, probes[i][0], "a TOC entry")
    pos[0] = text.rfind(probes[0][0], 0, pos[1])
    starts = [text.rfind("<li", 0, p) for p in pos]
    ends = [text.find("</li>", p) + len("</li>") for p in pos]
    items = [
        text[s:e].replace(a, "\x00a\x00").replace(n, "\x00n\x00")
        for (a, n), s, e in zip(probes, starts, ends, strict=True)
    ]
    seps = {text[ends[i] : starts[i + 1]] for i in range(len(probes) - 1)}
    if min(starts) < 0 or len(set(items)) != 1 or len(seps) != 1 or MARK in seps.pop():
        raise ShellError("the TOC entries of the shell do not repeat one pattern")
    sep = text[ends[0] : starts[1]]
    return text[: starts[0]] + "\x00toc\x00" + text[ends[-1] :], Template.parse(items[0]), sep


def compile_shell(text: str, shell: Shell) -> Template:
    """The rendered (unsqueezed) shell as a template; raises ShellError if any
    sentinel is left in a form the filler would not reproduce."""
    values, tokens = shell.values()
    i = _unique(text, values["content"], "the content")
    work = text[:i] + "\x00content\x00" + text[i + len(values["content"]) :]
    item, sep = None, ""
    probes = shell.anchors()
    if probes and probes[-1][0] in work:  # a page that hides its TOC has none in the theme
        work, item, sep = _cut_toc(work, probes)
    for slot in ("title", "description", "edit", "raw", "url", "a0", "n0"):
        if values.get(slot):
            work = work.replace(values[slot], f"\x00{slot}\x00")
    template = Template.parse(work)
    template.item, template.sep = item, sep
    if template.fill(values, tokens) != text:
        raise ShellError("the shell does not refill to itself")
    if template.fill_squeezed(values, tokens) != squeeze(text):
        raise ShellError("the shell does not squeeze piecewise")
    return template


def render_page(template: Template, page: Page) -> bytes:
    """The finished page file, byte for byte what mkdocs and hooks.py would write."""
    text = template.fill_squeezed(*page_values(page))
    return text.encode("utf-8", errors="xmlcharrefreplace")


class PageWriter:
    """Writes pages under the site directory, creating each directory once."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = str(site_dir)
        self._made: set[str] = set()
        self.count = 0

    def write(self, url: str, data: bytes) -> None:
        folder = os.path.join(self.site_dir, url)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        with open(os.path.join(folder, "index.html"), "wb") as f:
            f.write(data)
        self.count += 1


def remove_shell(site_dir: Path, shell: Shell) -> str:
    """Read a rendered shell and take it (and its now empty directories) out of the site."""
    target = site_dir / shell.url / "index.html"
    text = target.read_bytes().decode("utf-8")
    target.unlink()
    folder = target.parent
    while folder != site_dir and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return text
