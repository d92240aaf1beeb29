"""The load cache: same records with and without it; stale, corrupt or forged buckets never trusted."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

import generator.load as loader
from generator import loadcache, statdigest
from generator.load import load
from generator.synth import synthesize

ATTRS = ("reports", "agencies", "guides", "diagnostics", "files")


pytestmark = pytest.mark.usefixtures("own_cache_key")


@pytest.fixture
def corpus(tmp_path) -> Path:
    synthesize(tmp_path, 40, seed=11)
    return tmp_path / "content"


@pytest.fixture
def loaded_groups(monkeypatch) -> list[list[str]]:
    """The groups of files actually parsed (not taken from the cache), in order."""
    seen: list[list[str]] = []
    real = loader._load_group

    def spy(paths, *args):
        seen.append(list(paths))
        return real(paths, *args)

    monkeypatch.setattr(loader, "_load_group", spy)
    return seen


def _same(a, b) -> None:
    for attr in ATTRS:
        assert getattr(a, attr) == getattr(b, attr), attr
        assert repr(getattr(a, attr)) == repr(getattr(b, attr)), attr


def _buckets(content: Path) -> list[Path]:
    return sorted((content.parent / loadcache.CACHE_DIR).glob("*.pickle"))


def test_cached_records_equal_loaded_records(corpus, loaded_groups):
    fresh = load(corpus, cache=False)
    assert not (corpus.parent / ".cache").exists()
    cold = load(corpus)
    assert _buckets(corpus)
    loaded_groups.clear()
    warm = load(corpus)
    assert loaded_groups == []  # everything came from the cache
    _same(fresh, cold)
    _same(fresh, warm)


def test_one_bucket_per_agency(corpus):
    load(corpus)
    agencies = {p.stem for p in (corpus / "agencies").glob("*.yaml")}
    assert len(_buckets(corpus)) == len(agencies)


def test_an_edit_reloads_only_that_agency(corpus, loaded_groups):
    load(corpus)
    report = sorted((corpus / "reports").rglob("*.yaml"))[0]
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("title: ", "title: 改过的", 1), encoding="utf-8")
    loaded_groups.clear()
    after = load(corpus)
    assert len(loaded_groups) == 1
    agencies = {loadcache.bucket_name(Path(p).relative_to(corpus).parts) for p in loaded_groups[0]}
    assert agencies == {report.parent.name}
    assert str(report) in loaded_groups[0]
    rid = f"{report.parent.name}/{report.stem}"
    assert after.reports[rid].title.startswith("改过的")
    _same(after, load(corpus, cache=False))


def test_a_deleted_report_is_not_resurrected(corpus):
    load(corpus)
    report = sorted((corpus / "reports").rglob("*.yaml"))[0]
    report.unlink()
    after = load(corpus)
    assert f"{report.parent.name}/{report.stem}" not in after.reports
    _same(after, load(corpus, cache=False))


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped
        lambda b: b"",
        lambda b: b"not a cache file",
    ],
)
def test_a_corrupt_bucket_is_ignored_and_rewritten(corpus, loaded_groups, damage):
    expected = load(corpus, cache=False)
    load(corpus)
    bucket = _buckets(corpus)[0]
    bucket.write_bytes(damage(bucket.read_bytes()))
    loaded_groups.clear()
    _same(load(corpus), expected)
    assert len(loaded_groups) == 1
    loaded_groups.clear()
    _same(load(corpus), expected)
    assert loaded_groups == []  # rewritten, and good again


class _Planted:
    """Unpickling this writes a file: the proof that a bucket was unpickled."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).write_text, ("pwned",))


def test_a_planted_bucket_is_never_unpickled(corpus, tmp_path):
    """A bucket committed to the repository by someone else is not signed with our key."""
    load(corpus)
    marker = tmp_path / "marker"
    for bucket in _buckets(corpus):
        blob = bucket.read_bytes()
        head = len(loadcache.FORMAT)
        stamp = blob[head + 32 : head + 32 + 64]
        body = stamp + pickle.dumps(_Planted(str(marker)))
        bucket.write_bytes(loadcache.FORMAT + b"\0" * 32 + body)
    after = load(corpus)
    assert not marker.exists()
    _same(after, load(corpus, cache=False))


def test_another_key_is_not_trusted(corpus, loaded_groups, tmp_path, monkeypatch):
    load(corpus)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    loadcache.signing_key.cache_clear()
    loaded_groups.clear()
    load(corpus)
    assert sum(len(g) for g in loaded_groups) == len(load(corpus, cache=False).files)


def test_a_changed_loader_invalidates_every_bucket(corpus, loaded_groups, monkeypatch):
    load(corpus)
    monkeypatch.setattr(loadcache, "version", lambda: "another loader")
    loaded_groups.clear()
    load(corpus)
    assert len(loaded_groups) == len(_buckets(corpus))


def test_a_copied_repository_reloads(corpus, loaded_groups, tmp_path_factory):
    """Paths and the depth of the schema comment depend on where content/ is."""
    load(corpus)
    other = tmp_path_factory.mktemp("copy")
    shutil.copytree(corpus.parent, other, dirs_exist_ok=True)
    loaded_groups.clear()
    moved = load(other / "content")
    assert len(loaded_groups) == len(_buckets(corpus))
    _same(moved, load(other / "content", cache=False))


def test_no_key_means_no_cache(corpus, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the key directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    loadcache.signing_key.cache_clear()
    _same(load(corpus), load(corpus, cache=False))
    assert not (corpus.parent / ".cache").exists()


def test_the_key_is_private(corpus):
    load(corpus)
    key = loadcache.key_path()
    assert len(key.read_bytes()) == 32
    assert key.stat().st_mode & 0o077 == 0


def test_parallel_cold_and_warm_loads_are_the_same(corpus, monkeypatch):
    """Workers write the buckets; the parent reads them back: same records as one by one."""
    expected = load(corpus, cache=False)
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    _same(load(corpus), expected)
    _same(load(corpus), expected)


def test_extra_files_are_not_cached(corpus, tmp_path):
    copy = tmp_path / "copy.yaml"
    report = sorted((corpus / "reports").rglob("*.yaml"))[0]
    copy.write_bytes(report.read_bytes())
    load(corpus)
    before = _buckets(corpus)
    with_copy = load(corpus, extra=[copy])
    assert _buckets(corpus) == before
    assert "copy.yaml" in with_copy.files
    _same(with_copy, load(corpus, extra=[copy], cache=False))


def test_validate_no_cache_flag(corpus, capsys):
    from generator.cli import main

    root = str(corpus.parent)
    code = main(["validate", "--root", root, "--no-cache", "--format", "json"])
    uncached = capsys.readouterr().out
    assert not (corpus.parent / ".cache").exists()
    assert main(["validate", "--root", root, "--format", "json"]) == code
    assert capsys.readouterr().out == uncached
    assert _buckets(corpus)
    assert main(["validate", "--root", root, "--format", "json"]) == code
    assert capsys.readouterr().out == uncached


def test_source_checks_are_reused_only_while_the_raw_texts_are_unchanged(corpus, monkeypatch):
    """The buckets keep each report's source check with the stat of its raw text; a raw
    text changed since is checked again."""
    from generator.validate import validate

    monkeypatch.setattr(statdigest, "MARGIN_NS", 0)  # the files were written just now
    load(corpus)  # cold: writes the buckets
    warm = load(corpus)
    with_raw = [r for r in warm.reports.values() if r.source.raw]
    assert with_raw and set(warm.sourced) == {r.id for r in with_raw}
    assert validate(warm) == validate(load(corpus, cache=False))

    report = with_raw[0]
    raw = corpus.parent / report.source.raw
    raw.write_text("只剩一行\n", encoding="utf-8")  # its line range now runs past the end
    again = load(corpus)
    assert report.id not in again.sourced
    found = validate(again)
    assert found == validate(load(corpus, cache=False))
    assert any(d.check == "source_lines_range" and d.file == report.file for d in found)
