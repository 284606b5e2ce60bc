"""All-or-nothing commits of several files, and the recovery of a commit that was interrupted.

A commit stages every new file's bytes under `.qiframe/tx/<id>/` (flushed to disk), then records the
plan — which staged file replaces which evaluation file, which files go — in `.qiframe/tx/<id>.json`,
written atomically. Only then does it rename the staged files into place and delete the removed ones,
and finally it deletes the journal. The journal's appearance is the moment of commit:

- killed before it exists: the staged files are orphans; the next command deletes them (rolled back);
- killed after: the next command finds the journal and finishes the renames and deletions (completed).

Every step of finishing is idempotent, so a recovery that is itself killed is simply run again. The
caller holds the evaluation's lock throughout, and recovery runs under the same lock before any other
read or write, so nobody ever sees a half-applied commit. A commit of a single file skips the journal:
one rename is already all-or-nothing.

Everything temporary lives in `.qiframe/`, which the evaluation's `.qiframe/.gitignore` keeps out of git.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from qiframe.errors import InputError

TX_DIR = Path(".qiframe") / "tx"
FORMAT = 1


@dataclass(frozen=True)
class Change:
    """One file of a commit: its new bytes, or None to delete it."""

    relpath: str
    """Path relative to the evaluation folder, with forward slashes."""
    data: bytes | None
    """The file's new content; None removes the file."""
    existed: bool = True
    """Whether the file existed before (a rolled-back creation is deleted again)."""


@dataclass(frozen=True)
class Recovered:
    """What recovery did to one interrupted commit."""

    completed: bool
    """True when the commit was finished, False when it was undone."""
    files: int
    """How many files it concerned."""


class WriteFailed(InputError):
    """The operating system refused a write (disk full, read-only folder, permission): nothing changed."""


def os_reason(exc: OSError) -> str:
    """A short, plain reason for an operating-system error."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the folder is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EIO: "an input/output error",
    }
    return reasons.get(exc.errno or -1, exc.strerror or str(exc))


def pending(root: Path) -> bool:
    """Whether an interrupted commit (or its leftovers) waits in this evaluation: one stat when not."""
    return (root / TX_DIR).is_dir()


def commit(root: Path, changes: list[Change], mkdirs: tuple[str, ...] = ()) -> None:
    """Apply the changes all-or-nothing (the caller holds the lock).

    An operating-system error before the commit point removes what was staged and raises `WriteFailed`
    naming the file; the evaluation is as it was.
    """
    if not changes and not mkdirs:
        return
    import secrets  # here, not at the top: reads import this module and need not pay for it

    tx_dir = root / TX_DIR
    ident = secrets.token_hex(6)
    staging = tx_dir / ident
    journal = tx_dir / f"{ident}.json"
    current = changes[0].relpath if changes else ""
    moves: list[list[str]] = []
    batch = len(changes) > BATCH and _can_sync_fs()
    try:
        staging.mkdir(parents=True, exist_ok=True)
        for n, change in enumerate(changes):
            current = change.relpath
            if change.data is None:
                continue
            staged = staging / f"{n:05d}"
            _write_synced(staged, change.data, _mode_of(root / change.relpath), sync=not batch)
            moves.append([staged.relative_to(root).as_posix(), change.relpath])
        if batch:
            current = staging.relative_to(root).as_posix()
            _sync_fs(staging)  # one flush for all the staged files instead of one per file
        single = len(changes) == 1 and not mkdirs
        if not single:
            current = journal.relative_to(root).as_posix()
            plan = {
                "qiframe-journal": FORMAT,
                "mkdirs": list(mkdirs),
                "moves": moves,
                "removes": [c.relpath for c in changes if c.data is None],
                "created": [c.relpath for c in changes if c.data is not None and not c.existed],
            }
            _write_synced(tx_dir / f"{ident}.tmp", json.dumps(plan, indent=1).encode("utf-8"), None)
            os.replace(tx_dir / f"{ident}.tmp", journal)
            _fsync_dir(tx_dir)
    except OSError as exc:
        _discard(tx_dir, ident)
        raise WriteFailed(f"could not write: {os_reason(exc)}; nothing was changed", root / current) from None
    except BaseException:
        _discard(tx_dir, ident)
        raise
    # The commit point is behind us: from here on, finish (a failure leaves the journal for the next command).
    try:
        if single:
            _apply(
                root,
                {"mkdirs": [], "moves": moves, "removes": [c.relpath for c in changes if c.data is None]},
            )
            _discard(tx_dir, ident)
        else:
            _apply(root, json.loads(journal.read_text(encoding="utf-8")))
            _discard(tx_dir, ident)
    except OSError as exc:
        raise WriteFailed(
            f"could not finish writing: {os_reason(exc)}; the next qiframe command here will "
            "complete the write",
            root / current,
        ) from None


def recover(root: Path, undo_creations: bool = False) -> list[Recovered]:
    """Finish the interrupted commits found in `.qiframe/tx`, delete orphaned staging (caller holds the lock).

    With `undo_creations` a commit that only created files is undone instead of finished (a killed `init`
    leaves nothing behind). Raises `WriteFailed` if the folder cannot be written.
    """
    tx_dir = root / TX_DIR
    done: list[Recovered] = []
    try:
        names = sorted(os.listdir(tx_dir))
    except FileNotFoundError:
        return done
    except OSError as exc:
        raise WriteFailed(f"cannot read an interrupted write: {os_reason(exc)}", tx_dir) from None
    try:
        for name in names:
            path = tx_dir / name
            if name.endswith(".json"):
                try:
                    plan = json.loads(path.read_text(encoding="utf-8"))
                except ValueError:
                    plan = None  # the journal is written atomically; an unreadable one was never committed
                if isinstance(plan, dict) and plan.get("qiframe-journal") == FORMAT:
                    count = len(plan.get("moves", [])) + len(plan.get("removes", []))
                    if (
                        undo_creations
                        and not plan.get("removes")
                        and len(plan.get("created", [])) == len(plan.get("moves", []))
                    ):
                        _undo(root, plan)
                        done.append(Recovered(False, count))
                    else:
                        _apply(root, plan)
                        done.append(Recovered(True, count))
                _discard(tx_dir, name[: -len(".json")])
        leftovers = sorted(os.listdir(tx_dir)) if tx_dir.is_dir() else []
        for name in leftovers:  # staging without a journal: never committed
            if not name.endswith(".json"):
                staged = tx_dir / name
                files = sum(1 for _ in staged.iterdir()) if staged.is_dir() else 1
                _discard(tx_dir, name.removesuffix(".tmp"))
                with contextlib.suppress(FileNotFoundError):
                    (tx_dir / name).unlink()
                if files:
                    done.append(Recovered(False, files))
        with contextlib.suppress(OSError):
            tx_dir.rmdir()
    except OSError as exc:
        raise WriteFailed(f"cannot finish an interrupted write: {os_reason(exc)}", tx_dir) from None
    return done


# --- steps -------------------------------------------------------------------------------------------


def _apply(root: Path, plan: dict) -> None:
    """Rename staged files into place and delete removed ones; safe to run again after a kill."""
    folders: set[Path] = set()
    for rel in plan.get("mkdirs", []):
        (root / rel).mkdir(parents=True, exist_ok=True)
        folders.add((root / rel).parent)
    for staged, target in plan.get("moves", []):
        source, dest = root / staged, root / target
        if source.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, dest)
            folders.add(dest.parent)
    for target in plan.get("removes", []):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / target)
            folders.add((root / target).parent)
    for folder in folders:
        _fsync_dir(folder)


def _undo(root: Path, plan: dict) -> None:
    """Delete the files a creation-only commit put in place, and the folders it made if left empty."""
    parents: set[Path] = set()
    for _staged, target in plan.get("moves", []):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / target)
        parents.add((root / target).parent)
    # Folders the moves made (`indicators/` of a killed init) go too when left empty, or the next init
    # would find a folder that is not empty; the evaluation folder itself always stays.
    for folder in [*(root / rel for rel in reversed(plan.get("mkdirs", []))), *sorted(parents, reverse=True)]:
        if folder != root:
            with contextlib.suppress(OSError):
                folder.rmdir()


def _discard(tx_dir: Path, ident: str) -> None:
    """Remove a commit's staging folder and journal (best effort), and the tx folder once empty."""
    shutil.rmtree(tx_dir / ident, ignore_errors=True)
    for suffix in (".tmp", ".json"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tx_dir / f"{ident}{suffix}")
    with contextlib.suppress(OSError):
        tx_dir.rmdir()


def _write_synced(path: Path, data: bytes, mode: int | None, sync: bool = True) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        if mode is not None and os.name == "posix":
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


BATCH = 16
"""Above this many files a commit flushes its staged files to disk with one call (Linux's syncfs)."""


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _can_sync_fs() -> bool:
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        return hasattr(_libc(), "syncfs")
    except OSError:
        return False


def _sync_fs(folder: Path) -> None:
    """Flush everything written to the file system holding `folder` (errors such as a full disk surface)."""
    import ctypes

    fd = os.open(folder, os.O_RDONLY)
    try:
        if _libc().syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
    finally:
        os.close(fd)


def _mode_of(path: Path) -> int | None:
    """The permissions the new file gets: the old file's, or None for the usual ones (the umask's)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
