"""Planned changes to evaluation files, as data, and the one place that writes them.

The readers in this package (assessment workbooks, grids, statements edited in Word) first plan: they
compare what they read with the evaluation and return, per file, what would change. Nothing is written
until `apply` hands the whole plan to one store transaction (all files or none); `verify` runs inside the lock on a fresh load, so
an edit made between planning and writing makes the import stop instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import model, store


@dataclass(frozen=True)
class Imported:
    """What an import command reports: the plan, what was written (None for a dry run or a refused plan),
    and whether it was a dry run. One subclass per reader, so the rendering layer knows which it is."""

    plan: Any
    written: Any = None
    """The files written (`evidence`'s: the `Applied`), or None."""
    dry_run: bool = False


class EvidenceImported(Imported):
    """`evidence import`: an `evidence.ImportPlan` and its `Applied`."""


class AssessmentsImported(Imported):
    """`import assessments`: an `assessments.AssessmentImport` and the files written."""


class GridImported(Imported):
    """`import grid`: a `grid.GridImport` and the files written."""


class StatementImported(Imported):
    """`statement import`: a `statement_docx.StatementImport` and the files written."""


@dataclass(frozen=True)
class FileChange:
    """One file an import changes."""

    relpath: str
    """The file, relative to the evaluation."""
    kind: str
    """Its schema: indicator, section, …"""
    mutate: Callable[[Any], None]
    """The round-trip edit to make (comments and layout are kept)."""
    create: dict | None = None
    """The file's first content, when it does not exist yet."""


def apply(
    root: str | Path, changes: list[FileChange], verify: Callable[[model.Evaluation], None] | None = None
) -> tuple[str, ...]:
    """Write every change in one store transaction (all or nothing), after `verify` has passed on the
    evaluation loaded inside the lock; returns the files."""
    if not changes:
        return ()
    with store.transaction(root) as tx:
        if verify is not None:
            verify(tx.evaluation)
        for change in changes:
            if not tx.exists(change.relpath):
                tx.create(change.relpath, change.kind, change.create or {})
            tx.edit(change.relpath, change.kind, change.mutate)
    return tuple(c.relpath for c in changes)
