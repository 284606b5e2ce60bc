"""The evidence register: choosing items, editing them, and recording summaries as evidence.

The CLI parses options and renders; the choices live here so that every front end filters, edits and
records the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import model, store
from qiframe.errors import InputError

EDITABLE = (
    "title",
    "summary",
    "kind",
    "source",
    "date",
    "date_to",
    "agency",
    "owner",
    "location",
    "submission",
    "personal_data",
)
"""Fields `evidence edit` changes; links to indicators have `evidence link`/`unlink`."""


def select(
    evaluation: model.Evaluation,
    qi: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    agency: str | None = None,
) -> list[model.Evidence]:
    """Items matching every filter given, by date then id. An indicator that the framework does not have
    is an error, not an empty list: a typo must not look like "no evidence"."""
    ident = store.assessment_id(evaluation, qi) if qi is not None else None
    items = [
        e
        for e in evaluation.evidence.values()
        if (ident is None or ident in e.indicators)
        and (source is None or e.source == source)
        and (kind is None or e.kind == kind)
        and (agency is None or e.agency.casefold() == agency.casefold())
    ]
    return sorted(items, key=lambda e: (e.date, e.id))


@dataclass(frozen=True)
class Chosen:
    """The items `evidence list` shows, out of how many the register holds."""

    items: tuple[model.Evidence, ...]
    total: int


def choose(
    evaluation: model.Evaluation,
    qi: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    agency: str | None = None,
) -> Chosen:
    """`select`, with the size of the whole register."""
    return Chosen(tuple(select(evaluation, qi, source, kind, agency)), len(evaluation.evidence))


def edit(root: str | os.PathLike, evidence_id: str, changes: dict[str, Any]) -> model.Evidence:
    """Change fields of an item (`None` leaves a field as it is, "" clears it); through the store's update,
    so the file keeps its comments and is validated before it is replaced."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(EDITABLE)})")
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise InputError("nothing to change: give at least one field to edit (see {help})", options=("help",))
    if "title" in given and not str(given["title"]).strip():
        raise InputError("the title cannot be blank")
    return store.update_evidence(root, evidence_id, given)


@dataclass(frozen=True)
class Recorded:
    """A summary recorded in the register."""

    item: model.Evidence
    """The item as saved."""
    created: bool
    """True when the item is new; False when the item recorded from the same file earlier was updated."""


def record_summary(
    root: str | os.PathLike,
    file: str | os.PathLike,
    kind: str,
    source: str,
    title: str,
    summary: str,
    indicators: list[str],
    voice: list[str] | None = None,
) -> Recorded:
    """Add a summary of `file` to the register, or update the item made from the same file before.

    The file is named relative to the evaluation folder (`../audits/spring.csv`), never by an absolute
    path of this machine, so the register stays portable through git and a rerun finds its own item.
    """
    root = Path(root)
    location = location_of(file, root)
    evaluation = store.load(root)
    earlier = [e for e in evaluation.evidence.values() if e.location == location and e.kind == kind]
    if earlier:
        item = earlier[0]
        linked = list(item.indicators) + [q for q in indicators if q not in item.indicators]
        changes: dict[str, Any] = {"summary": summary, "indicators": linked}
        if voice:
            changes["voice"] = list(dict.fromkeys([*item.voice, *voice]))
        updated = store.update_evidence(root, item.id, changes)
        return Recorded(updated, False)
    item = store.add_evidence(
        root,
        title=title,
        summary=summary,
        kind=kind,
        source=source,
        location=location,
        indicators=list(indicators),
        voice=list(voice or []),
    )
    return Recorded(item, True)


def location_of(file: str | os.PathLike, root: str | os.PathLike) -> str:
    """`file` relative to the evaluation folder, with forward slashes."""
    path, base = Path(file).resolve(), Path(root).resolve()
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return path.as_posix()
