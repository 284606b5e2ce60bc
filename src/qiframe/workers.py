"""Work on many files shared between this process and forked copies of it, one per spare core.

A first read of a large evaluation (after a clone, on a new machine) parses and validates thousands of
small files: Python work that holds the interpreter's lock, so threads would not help, while a second
core sits idle. `each` splits such a list: this process does the first share, forked copies of it do the
others and send their results back through a pipe. It is a plain loop wherever forking is unsafe or does
not pay: outside Linux, with one core, with other threads running (a fork copies only the calling thread,
so a lock held by another could never be released in the copy), for short lists, or when
`QIFRAME_PROCESSES=1`. `QIFRAME_PROCESSES=N` asks for N processes whatever the cores.

The function must be pure (its effects in a copy are lost) and its results picklable. Expected errors
(`QiframeError`) come back in place as `Failed`, so the caller raises the first in order, as the loop
would. Anything else — a bug, a copy killed or crashing — makes this process do that share itself, where
the error is raised as it would be without workers.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from qiframe.errors import QiframeError

MIN_ITEMS = 600
"""Shortest list worth forking for: a copy and the transfer of its results cost a few milliseconds."""
MAX_PROCESSES = 4
"""Most processes used: past this the transfer of results back, which is serial, eats the gain."""
OWN_SHARE = 0.5
"""This process's share of the list, with one copy. A copy works about a fifth slower (its first writes to
memory it shares with this process copy pages) but starts first, while this process does other work
(the store reads the framework and the assessments meanwhile): half each measured best on an
evaluation of 5,000 items."""


@dataclass(frozen=True)
class Failed:
    """An item whose function raised an expected error."""

    error: QiframeError
    """The error, to be raised by the caller when it reaches this item."""


def each(
    func: Callable[[Any], Any], items: Sequence[Any], min_items: int = MIN_ITEMS, shared: bool = True
) -> Generator[Any, None, None]:
    """`func(item)` for each item, in order, with expected errors given as `Failed` in their places.

    The copies start at once, so the caller can do other work while they read; this process's share is
    worked out lazily, as the caller asks for it, like a loop. Closing the generator (as a caller that
    stops at a `Failed` does, or one that fails before it asks) stops the copies and waits for them.
    `shared=False` keeps the work in this process (the caller holds something a copy must not).
    """
    count = processes(len(items), min_items) if shared else 1
    if count <= 1:
        return (_call(func, item) for item in items)
    own = max(1, int(len(items) * OWN_SHARE)) if count == 2 else len(items) // count
    rest = items[own:]
    step = -(-len(rest) // (count - 1))
    results = _shared(func, items[:own], [rest[i : i + step] for i in range(0, len(rest), step)])
    next(results)  # runs to the point where the copies have started and a close() will stop them
    return results


def _shared(
    func: Callable[[Any], Any], own: Sequence[Any], shares: list[Sequence[Any]]
) -> Generator[Any, None, None]:
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe) of each copy not yet collected
    try:
        for share in shares:
            children.append(_fork(func, share))
        yield None  # started
        for item in own:
            yield _call(func, item)
        for share in shares:
            pid, fd = children[0]
            with open(fd, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(pid, 0)
            children.pop(0)
            got = _results(payload, status, len(share))
            yield from got if got is not None else map(functools.partial(_call, func), share)
    finally:
        for pid, fd in children:  # stopped or failed before all came back: stop the rest and reap them
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(fd)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


@contextlib.contextmanager
def alongside(
    func: Callable[[], Any], size: int, min_items: int = MIN_ITEMS, shared: bool = True
) -> Generator[None, None, None]:
    """Run `func()` in a forked copy while the with-block runs here, and wait for it as the block ends.

    For work whose effect is a file (saving a cache): its effects in this process would be lost, and it
    must not raise (in a copy an error is only lost with it). `size` is how many items it works on;
    where a copy does not pay or is unsafe (as for `each`), `func()` runs here before the block.
    """
    if not shared or processes(size, min_items) < 2:
        func()
        yield
        return
    pid = _copy(func)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


def processes(count: int, min_items: int = MIN_ITEMS) -> int:
    """How many processes would share a list of `count` items here and now (1: no forking).

    One per core, up to MAX_PROCESSES; `QIFRAME_PROCESSES=N` sets the number instead (1 turns forking
    off). Never more than one per `min_items / 2` items, and never where forking is unsafe.
    """
    if count < min_items or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    if _threads() != 1:
        return 1
    wanted = os.environ.get("QIFRAME_PROCESSES", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        limit = min(int(wanted), 16)
    else:
        try:
            limit = min(len(os.sched_getaffinity(0)), MAX_PROCESSES)
        except OSError:
            return 1
    return max(1, min(limit, count // (min_items // 2)))


def _threads() -> int:
    """Threads of this process, as the system counts them: a library's own native threads (a thread pool
    started by a data library, say) count too, though Python's `threading` does not see them."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0  # unknown: treated as unsafe


def _call(func: Callable[[Any], Any], item: Any) -> Any:
    try:
        return func(item)
    except QiframeError as exc:
        return Failed(exc)


def _fork(func: Callable[[Any], Any], share: Sequence[Any]) -> tuple[int, int]:
    """A copy working out `func` over its share, and the pipe its results come back through."""
    read_end, write_end = os.pipe()

    def work() -> None:
        os.close(read_end)
        payload = _encode([_call(func, item) for item in share])
        with open(write_end, "wb") as out:
            out.write(payload)

    pid = _copy(work)
    os.close(write_end)
    return pid, read_end


def _copy(work: Callable[[], Any]) -> int:
    """The pid of a forked copy of this process that does `work` and exits: with 0 when it is done, with 1
    when it raised (whatever went wrong, this process goes on, or redoes the work itself), and in
    neither case running any of this process's exit code or flushing its buffers a second time."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        except BaseException:  # noqa: BLE001 - see above
            pass
        finally:
            os._exit(code)
    return pid


def _results(payload: bytes, status: int, count: int) -> list[Any] | None:
    """What a copy sent, or None when it did not finish its share."""
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        results = _decode(payload)
    except Exception:  # noqa: BLE001 - a copy cut short mid-write: redo its share
        return None
    return results if isinstance(results, list) and len(results) == count else None


def _encode(results: list[Any]) -> bytes:
    """Results for the pipe: marshal (about three times faster than pickle both ways) for plain data,
    which is nearly always what comes back; pickle when some result is an object (a `Failed`, say)."""
    import marshal

    try:
        return b"M" + marshal.dumps(results)
    except ValueError:
        import pickle

        return b"P" + pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(payload: bytes) -> Any:
    # Both formats are for trusted data only, and this is: our own copy of this very process wrote it,
    # through a pipe only the two hold. Nothing from a user's files is unmarshalled or unpickled here.
    kind, body = payload[:1], memoryview(payload)[1:]
    if kind == b"M":
        import marshal

        return marshal.loads(body)
    if kind == b"P":
        import pickle

        return pickle.loads(body)
    raise ValueError("not a payload of a worker")
