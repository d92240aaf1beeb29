"""A build or package run that fails halfway leaves the previous output intact.

Each fault is injected in the middle of writing: a template error while mkdocs
renders pages, the disk filling up while mkdocs writes pages or while the
search index is written, an interrupt (Ctrl-C) during the search index. The
previous ``site/`` must be byte-identical afterwards and no ``site.tmp-*``
directory left behind; the same for ``gongkai package`` and ``datapackage/``,
and for the importer's atomic file writes.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import mkdocs.utils
import pytest
from site_helpers import FIXTURE, build

from generator import fsutil
from generator.cli import main
from generator.commands.build import prepare
from generator.package import write as package_write
from generator.search import index as search_index
from generator.site import build_site

pytestmark = pytest.mark.slow
PACKAGE_FIXTURE = Path(__file__).parent / "fixtures" / "package"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _after(n: int, exc: BaseException, real: Callable) -> Callable:
    """``real``, except that its ``n``-th call (and later ones) raises ``exc``."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] >= n:
            raise exc
        return real(*args, **kwargs)

    return wrapper


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One good site, copied for each test."""
    return build(FIXTURE, tmp_path_factory.mktemp("good") / "site")


@pytest.fixture
def previous(built, tmp_path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(built, out)
    return out


def _enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


FAULTS = {
    "template error while mkdocs renders": (
        jinja2.environment.Template,
        "render",
        lambda real: _after(5, jinja2.TemplateError("template exploded"), real),
    ),
    "disk full while mkdocs writes pages": (
        mkdocs.utils,
        "write_file",
        lambda real: _after(5, _enospc(), real),
    ),
    "disk full while the search index is written": (
        Path,
        "write_bytes",
        lambda real: _after(5, _enospc(), real),
    ),
    "interrupted while the search index is written": (
        search_index,
        "write_shard",
        lambda real: _after(1, KeyboardInterrupt(), real),
    ),
    "interrupted while mkdocs writes pages": (
        mkdocs.utils,
        "write_file",
        lambda real: _after(10, KeyboardInterrupt(), real),
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_build_keeps_previous_site(fault, previous, tmp_path, monkeypatch):
    before = _tree(previous)
    prepared = prepare(FIXTURE)  # rendered first: the fault hits the site stage itself
    owner, name, make = FAULTS[fault]
    monkeypatch.setattr(owner, name, make(getattr(owner, name)))
    with pytest.raises((Exception, KeyboardInterrupt)):
        build_site(prepared.pages, prepared.corpus, FIXTURE, previous)
    monkeypatch.undo()
    assert _tree(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no site.tmp-*/site.old-*


@pytest.fixture
def package_root(tmp_path) -> Path:
    shutil.copytree(PACKAGE_FIXTURE / "content", tmp_path / "content")
    assert main(["package", "--root", str(tmp_path)]) == 0
    return tmp_path


@pytest.mark.parametrize("exc", [_enospc(), KeyboardInterrupt()], ids=["disk-full", "interrupt"])
def test_failed_package_keeps_previous_package(exc, package_root, monkeypatch):
    out = package_root / "datapackage"
    before = _tree(out)
    monkeypatch.setattr(package_write, "write_csv", _after(3, exc, package_write.write_csv))
    try:
        status = main(["package", "--root", str(package_root)])  # Ctrl-C: exit 130
    except OSError:
        status = None
    assert status != 0
    assert _tree(out) == before
    assert sorted(p.name for p in package_root.iterdir() if p.name != ".cache") == [
        "content",
        "datapackage",
    ]


class _HalfWriter:
    """A text file that writes half of what it gets, then fails."""

    def __init__(self, f, exc: BaseException) -> None:  # type: ignore[no-untyped-def]
        self.f, self.exc = f, exc

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *a):  # type: ignore[no-untyped-def]
        self.f.close()

    def write(self, text: str) -> int:
        self.f.write(text[: len(text) // 2])
        self.f.flush()
        raise self.exc


@pytest.mark.parametrize("exc", [_enospc(), KeyboardInterrupt()], ids=["disk-full", "interrupt"])
@pytest.mark.parametrize("existing", [None, "old: 1\n"], ids=["new-file", "forced-overwrite"])
def test_interrupted_atomic_write_leaves_no_partial_file(exc, existing, tmp_path, monkeypatch):
    """The importer's writes (generator.fsutil.write_atomic): old file or nothing, no debris."""
    target = tmp_path / "reports" / "x" / "2020.yaml"
    if existing is not None:
        target.parent.mkdir(parents=True)
        target.write_text(existing, encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(fsutil.os, "fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k), exc))
    with pytest.raises((OSError, KeyboardInterrupt)):
        fsutil.write_atomic(target, "new: 2\n" * 1000, force=True)
    monkeypatch.undo()
    if existing is None:
        assert not target.exists()
    else:
        assert target.read_text(encoding="utf-8") == existing
    assert [p.name for p in target.parent.iterdir()] == ([] if existing is None else ["2020.yaml"])
