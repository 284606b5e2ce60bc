"""Scenarios of reading on several processes, each run by tests/test_workers.py in a fresh interpreter.

A fresh interpreter because `qiframe.workers` rightly refuses to fork in a process that runs other
threads, and a test run has them once a data library (pyarrow, DuckDB) has started its thread pool.
Each case raises AssertionError when it fails and prints "ok" when it passes.

    python tests/fork_cases.py CASE [FOLDER]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from qiframe import store, workers
from qiframe.errors import InputError, NotFound


class Forks(list):
    """The pids of the copies forked since `watch()`, and whether all have been waited for."""

    def reaped(self) -> bool:
        for pid in self:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            return False
        return True


def watch() -> Forks:
    forks = Forks()
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
        return pid

    os.fork = fork
    return forks


def results_in_order() -> None:
    forks = watch()
    parent = os.getpid()
    results = list(workers.each(lambda n: (n * n, os.getpid()), range(3000)))
    assert [value for value, _ in results] == [n * n for n in range(3000)]
    pids = [pid for _, pid in results]
    assert set(pids) == {parent, *forks} and len(forks) == workers.processes(3000) - 1 >= 1, (forks, pids)
    assert pids.index(forks[0]) > pids.count(parent) - 1  # this process's share comes first
    assert forks.reaped()


def errors_in_place() -> None:
    def work(n: int) -> int:
        if n % 700 == 3:
            raise NotFound(f"no item {{what}} {n}", Path("items") / f"{n}.yaml", n, 2, options=("what",))
        return n

    forks = watch()
    results = list(workers.each(work, range(3000)))
    assert forks, "no copy was forked"
    failed = [(i, r) for i, r in enumerate(results) if isinstance(r, workers.Failed)]
    assert [i for i, _ in failed] == [3, 703, 1403, 2103, 2803]
    for i, f in failed:
        assert type(f.error) is NotFound
        assert (f.error.path, f.error.line, f.error.column) == (os.fspath(Path("items") / f"{i}.yaml"), i, 2)
        assert f.error.said(lambda name: "--" + name) == f"no item --what {i}"
    assert forks.reaped()


def copy_dies() -> None:
    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent:
            os._exit(7)  # a copy killed half-way, as by the out-of-memory killer
        return n + 1

    forks = watch()
    assert list(workers.each(work, range(3000))) == [n + 1 for n in range(3000)]
    assert forks and forks.reaped()


def bug_in_a_copy() -> None:
    def work(n: int) -> int:
        if n == 2999:
            raise ZeroDivisionError("a bug")
        return n

    forks = watch()
    try:
        list(workers.each(work, range(3000)))
    except ZeroDivisionError as exc:
        assert str(exc) == "a bug"
    else:
        raise AssertionError("the bug was not raised")
    assert forks and forks.reaped()


def stopping_early() -> None:
    forks = watch()
    seen: list[int] = []
    results = workers.each(lambda n: seen.append(n) or n, range(3000))
    assert next(results) == 0
    results.close()
    assert seen == [0] and forks and forks.reaped()


def aside() -> None:
    forks = watch()
    folder = Path(sys.argv[2])
    done = folder / "done"
    with workers.alongside(lambda: done.write_text(str(os.getpid())), 5000):
        pass
    assert done.read_text() == str(forks[0]) and forks.reaped()
    with workers.alongside(lambda: done.write_text("here"), 10):  # too small to pay: done here, first
        assert done.read_text() == "here"
    assert len(forks) == 1


# --- the store's first read ------------------------------------------------------------------------


def large(folder: Path, count: int = 1500) -> Path:
    """An evaluation whose evidence files were written straight to disk, as a clone brings them."""
    root = store.init(
        folder / "ev",
        "ci-care-protection-2019",
        "risk-of-harm-2021",
        title="Large",
        organisation="A partnership",
        period=("2025-04-01", "2026-03-31"),
    )
    for n in range(count):
        (root / "evidence" / f"E-{n:06d}.yaml").write_text(
            f"id: E-{n:06d}\ntitle: Case file audit, sample {n}\nkind: case-file-audit\n"
            f"date: 2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}\nindicators:\n  - '2.1'\n",
            encoding="utf-8",
        )
    old = 1_600_000_000  # older than two seconds, so the parse cache keeps them
    for path in (root / "evidence").iterdir():
        os.utime(path, (old, old))
    return root


def cold(root: Path, processes: str):
    (root / ".qiframe" / "cache.json").unlink(missing_ok=True)
    os.environ["QIFRAME_PROCESSES"] = processes
    return store.load(root)


def same_read() -> None:
    root = large(Path(sys.argv[2]))
    forks = watch()
    one = cold(root, "1")
    assert forks == []
    cache_one = (root / ".qiframe" / "cache.json").read_bytes()
    two = cold(root, "2")
    assert len(forks) == 2, forks  # a copy reads half the files, another saves the cache
    assert forks.reaped()
    assert len(two.evidence) == 1500
    assert two.evidence == one.evidence and list(two.evidence) == list(one.evidence)
    assert two.evidence["E-001499"].date == "2025-12-16"
    assert (root / ".qiframe" / "cache.json").read_bytes() == cache_one  # the copy saved the same cache


def first_wrong_file() -> None:
    root = large(Path(sys.argv[2]))
    (root / "evidence" / "E-001400.yaml").write_text("id: E-001400\ntitle: [unclosed\n", encoding="utf-8")
    (root / "evidence" / "E-001450.yaml").write_text(
        "id: E-001450\ntitle: A\nkind: rumour\n", encoding="utf-8"
    )
    forks = watch()
    messages = []
    for processes in ("1", "2"):
        try:
            cold(root, processes)
        except InputError as exc:
            messages.append(str(exc))
    assert len(messages) == 2 and messages[0] == messages[1], messages
    assert "E-001400.yaml:3:1: malformed YAML" in messages[0]
    (root / "evidence" / "E-001400.yaml").unlink()
    try:
        cold(root, "2")
    except InputError as exc:
        assert "E-001450.yaml:3:7: " in str(exc) and "kind" in str(exc), str(exc)
    else:
        raise AssertionError("the wrong kind was not reported")
    assert forks and forks.reaped()


def merge_leftovers() -> None:
    root = large(Path(sys.argv[2]))
    (root / "evidence" / "E-001300.yaml").write_text(
        "id: E-001300\n<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> other\n", encoding="utf-8"
    )
    forks = watch()
    found = [(c.path, c.cause, c.line) for c in cold(root, "1").conflict_copies]
    assert found == [(c.path, c.cause, c.line) for c in cold(root, "2").conflict_copies]
    assert found and found[0][0] == "evidence/E-001300.yaml" and found[0][2] == 2, found
    assert forks and forks.reaped()


def writers_do_not_fork() -> None:
    root = large(Path(sys.argv[2]))
    (root / ".qiframe" / "cache.json").unlink(missing_ok=True)
    os.environ["QIFRAME_PROCESSES"] = "2"
    forks = watch()
    with store.transaction(root) as tx:
        assert len(tx.evaluation.evidence) == 1500
    assert forks == []  # a copy would hold the evaluation's lock too
    cold(root, "2")
    assert len(forks) == 2 and forks.reaped()


if __name__ == "__main__":
    globals()[sys.argv[1]]()
    print("ok")
