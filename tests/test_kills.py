"""Writes killed with SIGKILL at random moments: the next command finds the evaluation exactly as before or
exactly as after, never in between, and nothing temporary is left where git would see it.

The writers are forked from the test process (qiframe already imported), so a kill costs milliseconds and
hundreds fit in a bounded time. Marked slow; CI runs them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qiframe import store, yamlio
from tests.conftest import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="forks writer processes")]


def _fork(work) -> int:
    """Run `work()` in a child process that never returns into pytest; returns its pid."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            work()
        finally:
            os._exit(0)
    return pid


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _tracked(root: Path) -> dict[str, bytes]:
    """The evaluation's own files, as git would see them (qiframe's private folder left out)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".qiframe" not in p.relative_to(root).parts
    }


ROWS = 2000


def test_sigkill_during_a_2000_row_import_leaves_it_before_or_after(tmp_path):
    template = store.init(tmp_path / "template", "ci-care-protection-2019", "risk-of-harm-2021")
    kept = store.add_evidence(template, title="Already there", indicators=["2.1"], source="views")
    register = tmp_path / "register.csv"
    register.write_text(
        "title,indicators,source,date\n"
        + "".join(f"Imported item {n},2.1;5.1,data,2025-0{1 + n % 9}-1{n % 10}\n" for n in range(ROWS)),
        encoding="utf-8",
    )
    before = _tracked(template)
    titles = {f"Imported item {n}" for n in range(ROWS)} | {kept.title}

    def attempt(folder: Path, delay: float | None) -> tuple[str, float]:
        """Import into a fresh copy, killed after `delay` seconds (None: let it finish)."""
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)
        started = time.monotonic()
        pid = _fork(lambda: run_cli("evidence", "import", register, "-e", folder))
        if delay is None:
            os.waitpid(pid, 0)
        else:
            time.sleep(delay)
            _kill(pid)
        took = time.monotonic() - started
        result = run_cli("evidence", "list", "--format", "json", "-e", folder)  # the next command
        assert result.code == 0, result.err
        assert not (folder / ".qiframe" / "tx").exists()
        found = {e["title"] for e in json.loads(result.out)["evidence"]}
        if found == {kept.title}:
            assert _tracked(folder) == before, "killed import left changes"
            return "before", took
        assert found == titles, f"half-applied import: {len(found) - 1} of {ROWS} rows"
        assert {k: v for k, v in _tracked(folder).items() if not k.startswith("evidence/")} == {
            k: v for k, v in before.items() if not k.startswith("evidence/")
        }
        return "after", took

    outcome, full = attempt(tmp_path / "run", None)
    assert outcome == "after"
    rng = random.Random(20261201)
    seen = []
    for _ in range(
        20
    ):  # kill moments across the second half, where the writing happens, and a little past it
        outcome, _ = attempt(tmp_path / "run", full * rng.uniform(0.4, 1.05))
        seen.append(outcome)
    assert len(seen) >= 20
    assert "before" in seen  # some kills landed before the commit point ...
    print(f"{seen.count('before')} before, {seen.count('after')} after, full import {full:.1f} s")


WRITER_ROUNDS = 10_000


def _writer(root: Path, seed: int) -> None:
    """Write for ever, as commands do: small imports (several files at once), adds, notes, removals."""
    rng = random.Random(seed)
    register = root.parent / f"rows-{seed}.csv"
    for n in range(WRITER_ROUNDS):
        choice = rng.random()
        if choice < 0.4:
            register.write_text(
                "title,indicators\n" + "".join(f"w{seed} {n} {k},2.1\n" for k in range(3)), encoding="utf-8"
            )
            run_cli("evidence", "import", register, "-e", root)
        elif choice < 0.6:
            run_cli("evidence", "add", "--title", f"single {seed} {n}", "--qi", "5.1", "-e", root)
        elif choice < 0.8:
            run_cli("note", "2.1", "-s", f"Strength {seed} {n} " + "x" * 2000, "-e", root)
        elif choice < 0.9:
            run_cli("assign", "5.1", "--lead", f"Lead {n}", "-e", root)
        else:
            ev = store.load(root)
            if ev.evidence:
                run_cli("evidence", "remove", sorted(ev.evidence)[0], "-e", root)


def test_two_hundred_kills_leave_nothing_for_git(tmp_path):
    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")

    def run_git(*args: str) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        }
        return subprocess.run(
            [git, *args], cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout

    run_git("init", "-q")
    run_git("add", "-A")
    run_git("commit", "-qm", "start")
    rng = random.Random(4242)
    for kill in range(200):
        pid = _fork(lambda seed=kill: _writer(root, seed))
        time.sleep(rng.uniform(0.005, 0.12))
        _kill(pid)
        if kill % 40 == 39:  # now and then the next command runs first, as a person would
            assert run_cli("status", "-e", root).code == 0
    assert run_cli("status", "-e", root).code == 0  # the next command: recovers whatever the last kill left
    ev = store.load(root)
    item_files = {a.path for a in ev.assessments.values()} | {e.path for e in ev.evidence.values()}
    changed = [line[3:] for line in run_git("status", "--porcelain", "--untracked-files=all").splitlines()]
    left = [path for path in changed if path not in item_files]
    assert not left, f"qiframe left files that git sees: {left[:10]}"
    assert not list(root.rglob("*.tmp")) or all(".qiframe" in p.parts for p in root.rglob("*.tmp"))
    assert len(ev.evidence) > 0  # the writers did get work done between the kills
    assert all(t.startswith("Strength ") for t in ev.assessments["2.1"].strengths)  # whole, never torn


def test_a_killed_init_leaves_nothing_a_second_init_refuses(tmp_path):
    rng = random.Random(7)
    for n in range(12):
        folder = tmp_path / f"ev{n}"
        pid = _fork(lambda f=folder: store.init(f, "ci-care-protection-2019", "risk-of-harm-2021"))
        time.sleep(rng.uniform(0.0, 0.25))
        _kill(pid)
        result = run_cli(
            "init", folder, "--framework", "ci-care-protection-2019", "--programme", "risk-of-harm-2021"
        )
        if result.code == 2:  # the first init had finished: the evaluation is complete, never partial
            assert "an evaluation already exists here" in result.err, result.err
        else:
            assert result.code == 0, result.err
        ev = store.load(folder)
        assert len(ev.assessments) == len(list((folder / "indicators").glob("*.yaml"))) > 0
        assert ev.metadata.framework == "ci-care-protection-2019"
        assert not (folder / ".qiframe" / "tx").exists()


def test_the_subprocess_kill_path_works_too(tmp_path):
    """One real `qiframe evidence import` process, killed mid-way: the forked tests' findings hold for it."""
    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    register = tmp_path / "r.csv"
    register.write_text(
        "title,indicators\n" + "".join(f"Row {n},2.1\n" for n in range(300)), encoding="utf-8"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from qiframe.cli.main import run; run()",
            "evidence",
            "import",
            str(register),
            "-e",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    result = run_cli("status", "--format", "json", "-e", root)
    assert result.code == 0, result.err
    assert json.loads(result.out)["summary"]["evidence"] in (0, 300)


def test_a_lock_held_by_a_killed_command_is_taken_over_at_once(tmp_path):
    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    ready = tmp_path / "ready"

    def hold():
        with store.writing(root):
            ready.touch()
            time.sleep(60)

    pid = _fork(hold)
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert yamlio.read_holder(root / ".qiframe" / "lock")["pid"] == pid  # it records who holds it
    _kill(pid)
    start = time.monotonic()
    store.add_evidence(root, title="After the kill", indicators=["2.1"])
    assert time.monotonic() - start < 5  # no waiting for a timeout: the dead holder's lock is gone
    assert [e.title for e in store.load(root).evidence.values()] == ["After the kill"]
