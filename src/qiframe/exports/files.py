"""Output files of the exports: checked before the work starts, written atomically, errors reported.

Every export checks its output with `check_output` before doing anything slow and writes it with
`write_output`, so a wrong name, a missing folder or a read-only disk is one `qiframe: error:` line and
exit 2, and a failed write leaves no partial file behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from qiframe import yamlio
from qiframe.errors import InputError


def check_output(path: str | os.PathLike, suffixes: dict[str, str] | tuple[str, ...], what: str) -> str:
    """The format an output file names by its suffix, after refusing a name qiframe must not write to.

    `suffixes` maps each accepted suffix (".docx") to a format name, or lists them (the format is then the
    suffix without its dot). `what` names the document in messages ("the statement").
    """
    path = Path(path)
    formats = suffixes if isinstance(suffixes, dict) else {s: s.lstrip(".") for s in suffixes}
    names = list({fmt: suffix for suffix, fmt in reversed(formats.items())}.values())[::-1]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    fmt = formats.get(path.suffix.casefold())
    if fmt is None:
        raise InputError(
            f"cannot tell the format from {path.name!r}: give {what} a name ending in {listed}", path
        )
    if path.is_dir():
        raise InputError(f"is a folder; give a file name ending in {listed}", path)
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"folder {str(parent)!r} does not exist; create it first", path)
    return fmt


def write_output(path: str | os.PathLike, data: bytes | str) -> None:
    """Write an export atomically; an operating-system error becomes an InputError naming the file."""
    path = Path(path)
    try:
        if isinstance(data, str):
            yamlio.atomic_write(path, data)
        else:
            yamlio.atomic_write_bytes(path, data)
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", path) from None
