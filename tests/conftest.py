"""Shared test helpers: run the CLI in-process through its real error boundary."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "evaluations" / "example-partnership"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: str | os.PathLike | None = None, stdin: str = "") -> Result:
    """Run `qiframe ARGS` in-process; returns exit code, stdout and stderr."""
    from qiframe.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    old_stdin = os.sys.stdin
    code = 0
    try:
        if cwd is not None:
            os.chdir(cwd)
        os.sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                run([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(old_cwd)
        os.sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory):
    """Folders built once per test session and copied for each test that asks.

    `prebuilt(build, target)` calls `build(folder)` the first time a test asks for that builder (it creates
    `folder`, usually an evaluation made through the CLI as a user would), then copies the folder to
    `target` for this test and returns what `build` returned, e.g. the ids it created. Tests change their
    copy freely; the built original is never handed out.
    """
    made: dict[str, tuple[Path, object]] = {}

    def copy(build, target: Path):
        key = f"{build.__module__}.{build.__qualname__}"
        if key not in made:
            folder = tmp_path_factory.mktemp(build.__name__.strip("_")) / "built"
            made[key] = (folder, build(folder))
        folder, extra = made[key]
        # The parse cache comes along: its entries are keyed by size and modification time, which the
        # copy keeps, so they stay true of the copied files.
        shutil.copytree(folder, target)
        return extra

    return copy


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    # rich wraps at the terminal width; a fixed width keeps text assertions stable.
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder and its bytes, to prove a failed command wrote nothing.

    Left out: the parse cache, and text a refused editor session kept for the user in .qiframe/unsaved/.
    """
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and ".qiframe/cache" not in str(p)
        and ".qiframe/unsaved/" not in str(p)
        and not p.name.startswith(".lock")
    }


@pytest.fixture(autouse=True, scope="session")
def _private_validator_cache(tmp_path_factory):
    # Compiled schema validators are cached per machine; the tests keep theirs out of the user's home.
    import os

    os.environ.setdefault("QIFRAME_CACHE_DIR", str(tmp_path_factory.mktemp("validators")))


def pytest_sessionstart(session):
    # CI must run every test: a missing real client would otherwise turn its tests into quiet skips.
    import os
    import shutil

    if os.environ.get("CI") == "true":
        missing = [
            name
            for name, found in (
                ("LibreOffice (soffice)", shutil.which("soffice")),
                ("pdftoppm", shutil.which("pdftoppm")),
                ("Chromium (/usr/bin/chromium)", os.path.exists("/usr/bin/chromium")),
            )
            if not found
        ]
        if missing:
            pytest.exit(
                f"CI=true but {', '.join(missing)} not installed: .ci/run installs them", returncode=1
            )
