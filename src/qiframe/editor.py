"""Editing one file in the user's $EDITOR, validated before it replaces the original.

The user's typing is never thrown away: when the edited text does not validate, the editor opens again
on it with the problem at the top (at a terminal, if they want), and if they give up the text is kept
under `.qiframe/unsaved/` and the message says where.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from qiframe import integrity, store, yamlio
from qiframe.errors import InputError

UNSAVED = Path(store.PRIVATE) / "unsaved"
ERROR_BANNER = "# qiframe: this text was not saved: "
ERROR_HINT = "# Fix it and save to try again (these comment lines are removed), or quit without saving.\n"


def editor_command() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        fallback = "notepad" if os.name == "nt" else "vi"
        if shutil.which(fallback) is None:
            raise InputError("no editor: set the EDITOR environment variable")
        command = fallback
    try:
        return shlex.split(command, posix=os.name != "nt")
    except ValueError as exc:
        raise InputError(
            f"cannot read the editor command {command!r} from $VISUAL or $EDITOR: {exc}"
        ) from None


def run_editor(file: Path) -> subprocess.CompletedProcess:
    """Run the user's editor on a file; an editor that cannot be started is the user's to fix (exit 2)."""
    command = editor_command()
    if not command:
        raise InputError("the EDITOR environment variable is empty: set it to an editor, e.g. EDITOR=nano")
    try:
        return subprocess.run([*command, str(file)], check=False)
    except FileNotFoundError:
        raise InputError(
            f"the editor {command[0]!r} (from $VISUAL or $EDITOR) was not found: set EDITOR to an "
            "installed editor, e.g. EDITOR=nano"
        ) from None
    except PermissionError:
        raise InputError(
            f"the editor {command[0]!r} (from $VISUAL or $EDITOR) cannot be run (permission "
            "denied): set EDITOR to an installed editor"
        ) from None
    except OSError as exc:
        raise InputError(f"the editor {command[0]!r} could not be started: {exc.strerror or exc}") from None


def edit_file(
    root: Path,
    relpath: str,
    kind: str,
    validate_extra=None,
    start: str | None = None,
    finish: Callable[[store.Transaction, dict], None] | None = None,
    again: Callable[[InputError], bool] | None = None,
) -> str:
    """Let the user edit a copy; save it only if it is valid. Returns a confirmation line.

    `start` is the text to begin from when the file does not exist yet (it is created only if the user
    writes something); `finish` may stage further changes in the saving transaction. When the edited
    text is invalid, `again(problem)` says whether the user wants to edit it again (the command line asks
    at a terminal; this module never reads stdin); without it, or if they decline, the file is left as it
    was, their text is kept under `.qiframe/unsaved/`, and the error says where.
    """
    path = root / relpath
    original = yamlio.read_text(path) if path.exists() or start is None else None
    begin = original if original is not None else start
    assert begin is not None  # with no `start`, the file was read (or reading it raised)
    with tempfile.TemporaryDirectory(prefix="qiframe-edit-") as tmp:
        draft = Path(tmp) / path.name
        draft.write_text(begin, encoding="utf-8")
        while True:
            result = run_editor(draft)
            try:
                text = _without_banner(yamlio.read_text(draft))  # UTF-8, no NUL or hidden line breaks
            except InputError as problem:
                raise InputError(
                    f"{problem.message} (your edit was not saved)", path, problem.line, problem.column
                ) from None
            if result.returncode != 0:
                kept = _keep(root, relpath, text) if text != begin else None
                raise InputError(
                    f"the editor exited with status {result.returncode}; nothing was saved"
                    + (f" (your text is kept in {kept})" if kept else ""),
                    path,
                )
            if text == begin:
                return f"{relpath}: unchanged"
            try:
                data = _validated(text, draft, path, kind, validate_extra, root, relpath)
            except InputError as problem:
                located = InputError(problem.message, path, problem.line, problem.column)
                if again is not None and again(located):
                    draft.write_text(_with_banner(str(located), text), encoding="utf-8")
                    continue
                kept = _keep(root, relpath, text)
                raise InputError(
                    f"{problem.message} (your edit was not saved; your text is kept in {kept})",
                    path,
                    problem.line,
                    problem.column,
                ) from None
            break
    with store.transaction(root) as tx:
        if tx.text(relpath) != original:
            kept = _keep(root, relpath, text)
            raise InputError(
                f"the file changed while you were editing it; nothing was saved (your text is kept "
                f"in {kept})",
                path,
            )
        tx.write_text(relpath, kind, text, validate=False)
        if finish:
            finish(tx, data)
    return f"{relpath}: saved"


def edit_assessment(root: Path, indicator: str, again: Callable[[InputError], bool] | None = None) -> str:
    """`qiframe edit QI`: the indicator's (or suite's) assessment in $EDITOR; a missing file starts empty."""
    ident = store.assessment_id(store.load(root), indicator)
    start = yamlio.dump_roundtrip(
        yamlio.to_commented({"indicator": ident, "status": "not-started"}), store.header("indicator")
    )
    return edit_file(
        root, f"{store.FOLDERS['indicator']}/{ident}.yaml", "indicator", start=start, again=again
    )


def _validated(
    text: str, draft: Path, path: Path, kind: str, validate_extra, root: Path | None = None, relpath: str = ""
) -> dict:
    from qiframe import schemas

    data = yamlio.parse(text, draft)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of fields", draft, 1, 1)
    schemas.validate(data, kind, draft)
    id_field = store.ID_FIELDS[kind]
    if data[id_field] != path.stem:
        raise InputError(f"{id_field} must stay {path.stem!r}", draft, *yamlio.locate(draft, (id_field,)))
    # Grades must be levels of the scale and so on, exactly as `store.load` will check.
    new = (
        store.build_assessment(data, relpath)
        if kind == "indicator"
        else store.build_metadata(data)
        if kind == "evaluation"
        else None
    )
    if root is not None and new is not None:
        integrity.check_change(store.load(root), relpath, new, draft)
    if validate_extra:
        validate_extra(data, draft)
    return data


def _with_banner(error: str, text: str) -> str:
    lines = [ERROR_BANNER + " ".join(error.split()) + "\n", ERROR_HINT]
    return "".join(lines) + text


def _without_banner(text: str) -> str:
    """The text without the error lines qiframe put at its top (the user may have left them)."""
    if text.startswith(ERROR_BANNER):
        first, _, rest = text.partition("\n")
        text = rest[len(ERROR_HINT) :] if rest.startswith(ERROR_HINT) else rest
    return text


def _keep(root: Path, relpath: str, text: str) -> str:
    """Save text the user typed under .qiframe/unsaved/ (out of git); returns where, for the message."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = relpath.replace("/", "-").removesuffix(".yaml")
    target = root / UNSAVED / f"{name}-{stamp}.yaml"
    n = 1
    while target.exists():
        n += 1
        target = root / UNSAVED / f"{name}-{stamp}-{n}.yaml"
    try:
        yamlio.atomic_write(target, text)
    except OSError:
        fd, fallback = tempfile.mkstemp(prefix=f"qiframe-{name}-", suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return fallback
    from qiframe.errors import display_path

    return display_path(target)
