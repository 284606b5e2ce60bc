"""Many evaluations at once: a council's schools and settings, or a national view of partnerships.

`discover` finds the evaluation folders under the folders given; `aggregate` summarises their grades
per indicator; `dataset` lays them out as tidy tables for analysts. Everything here reads; nothing writes
to an evaluation.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from qiframe.errors import InputError

EVALUATION_FILE = "evaluation.yaml"


def discover(folders: Sequence[str | os.PathLike], depth: int = 2) -> list[Path]:
    """Evaluation folders: each folder given that is one, and those below it (up to `depth` levels).

    A council keeps one folder per establishment inside a folder per year, so two levels find them all
    without walking a whole drive. Hidden folders and qiframe's private folders are skipped.
    """
    found: list[Path] = []
    seen: set[str] = set()

    def visit(folder: Path, level: int) -> None:
        key = os.path.realpath(folder)
        if key in seen:
            return
        seen.add(key)
        if (folder / EVALUATION_FILE).is_file():
            found.append(folder)
            return
        if level >= depth:
            return
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError:
            return
        for child in children:
            visit(child, level + 1)

    for given in folders:
        folder = Path(given)
        if not folder.is_dir():
            raise InputError("not a folder", folder)
        before = len(found)
        visit(folder, 0)
        if len(found) == before:
            raise InputError(
                f"no evaluation folder here or in the {depth} levels below (no {EVALUATION_FILE})", folder
            )
    return found
