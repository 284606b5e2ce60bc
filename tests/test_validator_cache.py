"""The compiled validators are cached per machine, and a damaged or unwritable cache changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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


@pytest.mark.slow
def test_a_cached_validator_runs_without_fastjsonschema_or_decimal(tmp_path):
    # A first read of an evaluation runs validators from the cache; importing fastjsonschema (and the
    # decimal module its generated code names) would cost every such read some 7 ms.
    code = (
        "import sys\nfrom qiframe import schemas\n"
        f"assert schemas.is_valid({VALID!r}, 'evidence') and not schemas.is_valid({IMPOSSIBLE!r}, 'evidence')\n"
        "measure = {'name': 'm', 'unit': '%', 'baseline': 1.5, 'target': 2}\n"
        "assert schemas.is_valid({'id': 'A-abc234', 'title': 'T', 'measure': measure}, 'action')\n"
        "measure['target'] = 'high'\n"
        "assert not schemas.is_valid({'id': 'A-abc234', 'title': 'T', 'measure': measure}, 'action')\n"
        "print(sorted(m for m in ('fastjsonschema', 'decimal') if m in sys.modules))\n"
    )
    env = {**os.environ, "QIFRAME_CACHE_DIR": str(tmp_path / "v")}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr[-2000:]
    assert runs[0].stdout.strip() == "['decimal', 'fastjsonschema']"  # compiled the first time
    assert runs[1].stdout.strip() == "[]"


def test_generated_code_that_this_module_does_not_know_is_not_used(tmp_path, monkeypatch):
    import fastjsonschema

    _fresh(monkeypatch, tmp_path / "v")
    real = fastjsonschema.compile_to_code
    monkeypatch.setattr(fastjsonschema, "compile_to_code", lambda *a, **k: "import os\n" + real(*a, **k))
    assert schemas._fast("evidence") is None  # jsonschema alone decides
    assert schemas.is_valid(VALID, "evidence") and not schemas.is_valid(IMPOSSIBLE, "evidence")
    schemas._fast.cache_clear()
