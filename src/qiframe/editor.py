"""Editing one file in the user's $EDITOR, validated before it replaces the original."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from qiframe import schemas, store, yamlio
from qiframe.errors import InputError


def editor_command() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        fallback = "notepad" if os.name == "nt" else "vi"
        if shutil.which(fallback) is None:
            raise InputError("no editor: set the EDITOR environment variable")
        command = fallback
    return shlex.split(command, posix=os.name != "nt")


def edit_file(root: Path, relpath: str, kind: str, validate_extra=None) -> str:
    """Let the user edit a copy; save it only if it is valid. Returns a confirmation line.

    When the edited text is invalid the problem is shown; at a terminal the user may edit again, and
    otherwise (or if they decline) the original file is kept unchanged and the error is raised.
    """
    path = root / relpath
    original = yamlio.read_text(path)
    with tempfile.TemporaryDirectory(prefix="qiframe-edit-") as tmp:
        draft = Path(tmp) / path.name
        draft.write_text(original, encoding="utf-8")
        while True:
            result = subprocess.run([*editor_command(), str(draft)], check=False)
            if result.returncode != 0:
                raise InputError(f"the editor exited with status {result.returncode}; nothing was saved", path)
            text = draft.read_text(encoding="utf-8")
            if text == original:
                return f"{relpath}: unchanged"
            try:
                data = yamlio.parse(text, draft)
                if not isinstance(data, dict):
                    raise InputError("expected a mapping of fields", draft, 1, 1)
                schemas.validate(data, kind, draft)
                id_field = store.ID_FIELDS[kind]
                if data[id_field] != path.stem:
                    raise InputError(f"{id_field} must stay {path.stem!r}", draft, *yamlio.locate(draft, (id_field,)))
                if validate_extra:
                    validate_extra(data, draft)
            except InputError as problem:
                located = InputError(problem.message, path, problem.line, problem.column)
                if not (sys.stdin.isatty() and _ask(f"{located}\nEdit again? [Y/n] ")):
                    raise InputError(f"{problem.message} (your edit was not saved)", path, problem.line,
                                     problem.column) from None
                continue
            break
    with store.writing(root):
        if yamlio.read_text(path) != original:
            raise InputError("the file changed while you were editing it; nothing was saved", path)
        yamlio.atomic_write(path, text)
    return f"{relpath}: saved"


def _ask(prompt: str) -> bool:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("", "y", "yes")
