"""Shared fixtures. Feature-specific fixtures live beside their tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files instead of comparing (review the diff!)",
    )


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    """True when golden files should be rewritten (flag or GONGKAI_UPDATE_GOLDEN=1)."""
    return bool(
        request.config.getoption("--update-golden")
        or os.environ.get("GONGKAI_UPDATE_GOLDEN") == "1"
    )


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the repository's content/ (returns the new repo root)."""
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


@pytest.fixture
def own_cache_key(tmp_path_factory, monkeypatch):
    """A test's own cache-signing key, kept outside the corpus (XDG_CACHE_HOME in a temp dir)."""
    from generator import loadcache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    loadcache.signing_key.cache_clear()
    yield
    loadcache.signing_key.cache_clear()


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing but GONGKAI_REQUIRE_BROWSER=1 (CI must run it)")
    pytest.skip("Debian chromium not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright, shared by the session."""
    path = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
