"""Reading many files on several processes (qiframe.workers) gives exactly what one process gives.

When to fork is tested here, in this process; forking itself in a fresh interpreter (tests/fork_cases.py),
as workers rightly refuse to fork in a test run that a data library has given threads of its own.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from qiframe import workers
from qiframe.errors import InputError, NotFound

CASES = Path(__file__).with_name("fork_cases.py")


@pytest.fixture
def alone(monkeypatch):
    """This process as a command sees it: one thread, two cores."""
    monkeypatch.setattr(workers, "_threads", lambda: 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QIFRAME_PROCESSES", raising=False)


def test_one_process_per_core_for_long_lists_only(alone, monkeypatch):
    assert workers.processes(5000) == 2
    assert workers.processes(workers.MIN_ITEMS - 1) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)))
    assert workers.processes(5000) == workers.MAX_PROCESSES
    assert workers.processes(900) == 3  # no more than one per half of MIN_ITEMS
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert workers.processes(5000) == 1


def test_the_setting_decides_the_number(alone, monkeypatch):
    monkeypatch.setenv("QIFRAME_PROCESSES", "1")
    assert workers.processes(10_000) == 1
    monkeypatch.setenv("QIFRAME_PROCESSES", "3")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert workers.processes(10_000) == 3
    monkeypatch.setenv("QIFRAME_PROCESSES", "lots")
    assert workers.processes(10_000) == 1  # not a number: one per core


def test_never_with_other_threads_or_off_linux(alone, monkeypatch):
    monkeypatch.setattr(workers, "_threads", lambda: 3)
    assert workers.processes(10_000) == 1
    monkeypatch.setattr(workers, "_threads", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert workers.processes(10_000) == 1


def test_native_threads_count_though_python_does_not_see_them():
    # The system's count (here, the test run's own), never fewer than the threads Python knows of.
    assert workers._threads() >= threading.active_count()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    before = workers._threads()
    thread.start()
    try:
        assert workers._threads() == before + 1
    finally:
        stop.set()
        thread.join()


def test_without_forking_errors_come_back_in_place_and_the_rest_is_not_worked(monkeypatch):
    monkeypatch.setenv("QIFRAME_PROCESSES", "1")
    seen = []

    def work(n: int) -> int:
        seen.append(n)
        if n == 3:
            raise InputError("bad", "f.yaml", 1, 2)
        return n

    results = workers.each(work, range(5000))
    got = [next(results) for _ in range(4)]
    assert got[:3] == [0, 1, 2] and isinstance(got[3], workers.Failed)
    assert (got[3].error.message, got[3].error.line, got[3].error.column) == ("bad", 1, 2)
    results.close()
    assert seen == [0, 1, 2, 3]  # lazy, like the loop it replaces


def test_errors_cross_a_pipe_whole():
    error = NotFound("no {what} here", Path("a") / "b.yaml", 3, 4, options=("what",))
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is NotFound
    assert (back.template, back.path, back.line, back.column, back.options) == (
        error.template,
        error.path,
        3,
        4,
        ("what",),
    )
    assert str(back) == str(error)
    plain = [((12, 34), {"id": "E-abc234", "indicators": ["2.1"], "submission": True, "n": None})]
    assert workers._encode(plain)[:1] == b"M"  # marshal, the fast way, for plain data
    assert workers._decode(workers._encode(plain)) == plain
    mixed = [*plain, workers.Failed(error)]
    assert workers._encode(mixed)[:1] == b"P"
    decoded = workers._decode(workers._encode(mixed))
    assert decoded[0] == plain[0] and str(decoded[1].error) == str(error)
    with pytest.raises(ValueError):
        workers._decode(b"X...")


def _case(name: str, folder: Path | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QIFRAME_PROCESSES"}
    env["QIFRAME_PROCESSES"] = "2"  # two processes whatever the machine's cores
    done = subprocess.run(
        [sys.executable, str(CASES), name, *([str(folder)] if folder else [])],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", ["results_in_order", "errors_in_place", "copy_dies", "bug_in_a_copy", "stopping_early"]
)
def test_forked_copies(case):
    _case(case)


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", ["aside", "same_read", "first_wrong_file", "merge_leftovers", "writers_do_not_fork"]
)
def test_forked_reads_of_an_evaluation(case, tmp_path):
    _case(case, tmp_path)
