"""A real full disk and a real read-only folder (Linux mount namespaces): an import exits 2, says why, and
changes nothing. Where namespaces are not available (not root, not Linux) these are skipped; the same
failures are injected in tests/test_transactions.py, which runs everywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qiframe import store

pytestmark = pytest.mark.slow

INSIDE = r"""
import hashlib, json, os, shutil, subprocess, sys
from pathlib import Path

mode, template, register, mountpoint = sys.argv[1:5]
target = Path(mountpoint) / "ev"

def digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".qiframe" not in p.relative_to(folder).parts}

if mode == "full":
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", mountpoint], check=True)
    shutil.copytree(template, target)
else:
    shutil.copytree(template, target)
    subprocess.run(["mount", "--bind", mountpoint, mountpoint], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", mountpoint], check=True)
before = digest(target)
run = subprocess.run([sys.executable, "-c", "from qiframe.cli.main import run; run()", "evidence", "import",
                      register, "-e", str(target)], capture_output=True, text=True)
status = subprocess.run([sys.executable, "-c", "from qiframe.cli.main import run; run()", "status", "--format",
                         "json", "-e", str(target)], capture_output=True, text=True)
print(json.dumps({"code": run.returncode, "err": run.stderr, "same": digest(target) == before,
                  "status": status.returncode, "status_err": status.stderr,
                  "left": sorted(str(p) for p in (target / ".qiframe").rglob("*") if "tx" in p.parts)}))
"""


def _in_namespace(mode: str, template: Path, register: Path, mountpoint: Path) -> dict:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        pytest.skip("needs Linux mount namespaces (unshare)")
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a mount namespace here (needs root)")
    mountpoint.mkdir()
    result = subprocess.run(
        [unshare, "-m", sys.executable, "-c", INSIDE, mode, str(template), str(register), str(mountpoint)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def template(tmp_path) -> Path:
    root = store.init(tmp_path / "template", "ci-care-protection-2019", "risk-of-harm-2021")
    store.add_evidence(root, title="Already there", indicators=["2.1"])
    return root


def _register(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(
        "title,summary,indicators\n"
        + "".join(
            f"Imported item {n},{'A long summary of what the item shows. ' * 8},2.1\n" for n in range(rows)
        ),
        encoding="utf-8",
    )
    return path


def test_an_import_onto_a_full_disk_exits_2_and_changes_nothing(template, tmp_path):
    outcome = _in_namespace("full", template, _register(tmp_path, 2000), tmp_path / "disk")
    assert outcome["code"] == 2, outcome["err"]
    assert "the disk is full" in outcome["err"] and "nothing was changed" in outcome["err"]
    assert outcome["err"].startswith("qiframe: error: ") and len(outcome["err"].splitlines()) == 1
    assert outcome["same"] and not outcome["left"]
    assert outcome["status"] == 0, outcome["status_err"]  # and the evaluation still reads


def test_an_import_into_a_read_only_folder_exits_2_and_changes_nothing(template, tmp_path):
    outcome = _in_namespace("ro", template, _register(tmp_path, 50), tmp_path / "ro")
    assert outcome["code"] == 2, outcome["err"]
    assert "read-only" in outcome["err"] and "Traceback" not in outcome["err"]
    assert outcome["err"].startswith("qiframe: error: ") and len(outcome["err"].splitlines()) == 1
    assert outcome["same"]
    assert outcome["status"] == 0, outcome["status_err"]  # a read-only evaluation can still be read
