"""Site stage: a page for every agency and report, no broken internal links, nothing
from third parties, byte-identical rebuilds, atomic replacement of site/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_helpers import FIXTURE, REPO, broken_links, build, is_external, is_third_party, parse

from generator.cli import main
from generator.site import build as site_build

pytestmark = pytest.mark.slow
ASSET_TAGS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("fixture") / "site")


def test_a_page_for_every_agency_and_report(site):
    for agency in (FIXTURE / "content" / "agencies").glob("*.yaml"):
        assert (site / "agencies" / agency.stem / "index.html").is_file()
    for report in (FIXTURE / "content" / "reports").glob("*/*.yaml"):
        assert (site / "agencies" / report.parent.name / report.stem / "index.html").is_file()
    for page in (
        "index.html",
        "regions/index.html",
        "regions/37/index.html",
        "years/2023/index.html",
        "quality/index.html",
    ):
        assert (site / page).is_file(), page


def test_no_broken_internal_links(site):
    assert broken_links(site) == []


def test_nothing_loads_from_third_parties(site):
    offenders = []
    for page in site.rglob("*.html"):
        for tag, attr, url in parse(page).links:
            if (tag, attr) in ASSET_TAGS and is_third_party(url):
                offenders.append(f"{page.relative_to(site)}: {url}")
    assert offenders == []
    css = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_every_generated_page_links_to_its_yaml(site):
    html = (site / "agencies/371500-wjw/2023/index.html").read_text(encoding="utf-8")
    assert "在 GitHub 上修改此页" in html
    assert "/edit/main/content/reports/371500-wjw/2023.yaml" in html
    agency = (site / "agencies/371500-wjw/index.html").read_text(encoding="utf-8")
    assert "/edit/main/content/agencies/371500-wjw.yaml" in agency


def test_year_pages_are_not_in_the_navigation(site):
    html = (site / "agencies/371500-wjw/2023/index.html").read_text(encoding="utf-8")
    assert "years/2023/" not in html.split('<div class="md-content"', 1)[0]


def test_repository_link_does_not_call_the_github_api(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="source"' not in html  # would fetch api.github.com


def _files(site: Path) -> dict[str, bytes]:
    """Every file under ``site`` (search index and downloads included), by path."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Paths only in one tree, or with different bytes."""
    return sorted(set(a) ^ set(b)) + [k for k in a if k in b and a[k] != b[k]]


def test_same_content_same_bytes(site, tmp_path):
    again = build(FIXTURE, tmp_path / "again")
    assert _differing(_files(site), _files(again)) == []


def _cli_twice(command: str, tmp_path: Path) -> list[dict[str, bytes]]:
    """``gongkai <command> --root REPO --out …`` in two processes with different hash seeds."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"{command}-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "generator", command, "--root", str(REPO), "--out", str(out)]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        trees.append(_files(out))
    return trees


def test_real_content_site_byte_identical_including_search(tmp_path):
    """Every file of two builds of content/: pages, Pagefind index, gongkai-site.zip."""
    a, b = _cli_twice("build", tmp_path)
    assert any(k.endswith(".pf_filter") for k in a)
    assert any(k.endswith(".pf_meta") for k in a)
    assert "downloads/gongkai-site.zip" in a
    assert _differing(a, b) == []


def test_real_content_package_byte_identical(tmp_path):
    a, b = _cli_twice("package", tmp_path)
    assert "datapackage.json" in a
    assert _differing(a, b) == []


def test_failed_build_leaves_the_previous_site(tmp_path, monkeypatch):
    out = build(FIXTURE, tmp_path / "site")
    before = _files(out)

    def boom(config_file):
        raise site_build.SiteBuildError("mkdocs exploded")

    monkeypatch.setattr(site_build, "run_mkdocs", boom)
    with pytest.raises(site_build.SiteBuildError):
        build(FIXTURE, out)
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no site.tmp-* left behind


def test_content_errors_stop_the_build(tmp_path, capsys):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.html").write_text("old", encoding="utf-8")
    report = root / "content/reports/371500-wjw/2023.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("format: gov2021", "format: gov1999"),
        encoding="utf-8",
    )
    assert main(["build", "--root", str(root), "--out", str(out), "-q"]) == 1
    assert "schema_format" in capsys.readouterr().err
    assert (out / "keep.html").read_text(encoding="utf-8") == "old"


def test_out_must_not_be_the_repository(tmp_path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    assert main(["build", "--root", str(tmp_path), "--out", str(tmp_path)]) == 2


@pytest.mark.parametrize("command", ["build", "serve"])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "--root" in capsys.readouterr().out


def test_real_content_every_report_has_a_page(tmp_path):
    """`make site` on the repository's own content/: a page for every agency and report file."""
    content = REPO / "content"
    reports = sorted((content / "reports").glob("*/*.yaml"))
    if not reports:
        pytest.skip("content/reports is still empty")
    site = build(REPO, tmp_path / "site")
    missing = [
        r.relative_to(content).as_posix()
        for r in reports
        if not (site / "agencies" / r.parent.name / r.stem / "index.html").is_file()
    ]
    assert missing == []
    for agency in (content / "agencies").glob("*.yaml"):
        assert (site / "agencies" / agency.stem / "index.html").is_file()
    assert broken_links(site) == []  # page sizes: tests/test_size_budget.py


def test_relative_links_only_inside_generated_bodies(site):
    """Our pages link within the site relatively, so the site works under any base path."""
    for page in (site / "agencies").rglob("index.html"):
        for _tag, _attr, url in parse(page).links:
            if not is_external(url):
                assert not urlsplit(url).path.startswith("/"), (page, url)
