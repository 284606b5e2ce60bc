"""The compiled validators are cached per machine, and a damaged or unwritable cache changes nothing."""

from __future__ import annotations

from qiframe import schemas

VALID = {"id": "E-abc234", "title": "A survey", "date": "2025-02-28"}
IMPOSSIBLE = {"id": "E-abc234", "title": "A survey", "date": "2025-02-30"}


def _fresh(monkeypatch, folder):
    monkeypatch.setenv("QIFRAME_CACHE_DIR", str(folder))
    schemas._fast.cache_clear()


def test_the_validator_is_written_once_and_read_back(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "v")
    assert schemas.is_valid(VALID, "evidence") and not schemas.is_valid(IMPOSSIBLE, "evidence")
    cached = list((tmp_path / "v").glob("evidence-*.marshal"))
    assert len(cached) == 1
    before = cached[0].stat().st_mtime_ns
    _fresh(monkeypatch, tmp_path / "v")
    assert schemas.is_valid(VALID, "evidence") and not schemas.is_valid(IMPOSSIBLE, "evidence")
    assert cached[0].stat().st_mtime_ns == before  # read, not written again


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "v")
    schemas.is_valid(VALID, "evidence")
    for path in (tmp_path / "v").glob("*.marshal"):
        path.write_bytes(b"not marshal data")
    _fresh(monkeypatch, tmp_path / "v")
    assert schemas.is_valid(VALID, "evidence") and not schemas.is_valid(IMPOSSIBLE, "evidence")


def test_an_unwritable_cache_place_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    _fresh(monkeypatch, blocker / "v")
    assert schemas.is_valid(VALID, "evidence") and not schemas.is_valid(IMPOSSIBLE, "evidence")
    _fresh(monkeypatch, "")  # empty: no cache at all
    assert not schemas.is_valid(IMPOSSIBLE, "evidence")
