"""Crosswalks: which indicator of one framework becomes which in its successor.

A crosswalk file lives in a `crosswalks/` folder of the bundled frameworks or of a workspace `frameworks/`
folder (a workspace file wins), named `FROM--TO.yaml`:

    qiframe: 1
    from: ci-daycare-2022
    to: ci-es-elc-2025
    provenance: {status: assumed, source: "…"}
    map:
      - {from: "1.3", to: play-and-learning, grade: true}
      - {from: "1.4", to: nurturing-care-and-support}

Every pair carries evidence links across; `grade: true` marks the one earlier indicator whose grade is
carried to a newer one (a newer indicator carries one earlier grade only). `compare --with` finds a
crosswalk by itself when two evaluations use different frameworks, in either direction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from qiframe import model, yamlio
from qiframe.errors import InputError

FOLDER = "crosswalks"


@dataclass(frozen=True)
class Pair:
    """One earlier indicator and the newer one it becomes."""

    old: str
    """Indicator id in the earlier framework."""
    new: str
    """Indicator id in the newer framework."""
    grade: bool
    """Whether the earlier grade is carried to the newer indicator."""
    note: str = ""
    """Why they are paired."""


@dataclass(frozen=True)
class Crosswalk:
    """A mapping from one framework's indicators to another's."""

    old: str
    """The earlier framework's id."""
    new: str
    """The newer framework's id."""
    pairs: tuple[Pair, ...]
    """The pairs, as listed."""
    provenance: model.Provenance
    """How far the mapping can be trusted."""
    path: str
    """The file it came from."""

    @property
    def grades(self) -> dict[str, str]:
        """Earlier id → newer id of the pairs that carry a grade."""
        return {p.old: p.new for p in self.pairs if p.grade}

    @property
    def evidence(self) -> dict[str, tuple[str, ...]]:
        """Newer id → every earlier id whose evidence links carry to it."""
        out: dict[str, list[str]] = {}
        for p in self.pairs:
            out.setdefault(p.new, []).append(p.old)
        return {k: tuple(v) for k, v in out.items()}

    def reversed(self) -> Crosswalk:
        """The crosswalk read backwards: grade pairs (one per newer indicator) invert exactly."""
        pairs = tuple(Pair(p.new, p.old, True, p.note) for p in self.pairs if p.grade)
        return Crosswalk(self.new, self.old, pairs, self.provenance, self.path)


def folders(start: str | os.PathLike | None = None) -> list[Path]:
    """Crosswalk folders, nearest workspace first, bundled last."""
    from qiframe import frameworks

    return [d / FOLDER for d in frameworks.workspace_dirs(start)] + [frameworks.bundled_dir() / FOLDER]


def find(
    old: model.Framework, new: model.Framework, start: str | os.PathLike | None = None
) -> Crosswalk | None:
    """The crosswalk from `old` to `new` (or one from `new` to `old`, read backwards), or None."""
    for folder in folders(start):
        forward = folder / f"{old.id}--{new.id}.yaml"
        if forward.is_file():
            return load(forward, old, new)
        backward = folder / f"{new.id}--{old.id}.yaml"
        if backward.is_file():
            return load(backward, new, old).reversed()
    return None


def load(path: str | os.PathLike, old: model.Framework, new: model.Framework) -> Crosswalk:
    """A crosswalk file, each id checked against its framework; problems are located."""
    path = Path(path)
    data = yamlio.load(path)

    def fail(message: str, where: tuple = ()) -> InputError:
        line, column = yamlio.locate(path, where) if where else (1, 1)
        return InputError(message, path, line, column)

    if not isinstance(data, dict) or not isinstance(data.get("map"), list):
        raise fail("a crosswalk needs `from`, `to` and a `map` list of {from, to, grade} pairs")
    if data.get("from") != old.id or data.get("to") != new.id:
        raise fail(
            f"this crosswalk maps {data.get('from')!r} to {data.get('to')!r}, not {old.id!r} to {new.id!r}"
        )
    prov = data.get("provenance") or {}
    pairs = []
    carried: dict[str, str] = {}
    for n, entry in enumerate(data["map"]):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("from"), str)
            or not isinstance(entry.get("to"), str)
        ):
            raise fail('each pair needs `from` and `to` indicator ids (quoted: "1.1")', ("map", n))
        if entry["from"] not in old.indicators:
            raise fail(f"{entry['from']!r} is not an indicator of {old.id!r}", ("map", n, "from"))
        target = new.canonical(entry["to"])
        if target not in new.indicators:
            raise fail(f"{entry['to']!r} is not an indicator of {new.id!r}", ("map", n, "to"))
        grade = bool(entry.get("grade", False))
        if grade and target in carried:
            raise fail(
                f"{target!r} already carries the grade of {carried[target]!r}; a newer indicator carries "
                "one earlier grade only",
                ("map", n, "grade"),
            )
        if grade:
            carried[target] = entry["from"]
        pairs.append(Pair(entry["from"], target, grade, str(entry.get("note", ""))))
    return Crosswalk(
        old.id,
        new.id,
        tuple(pairs),
        model.Provenance(prov.get("status", "unconfirmed"), prov.get("source", "")),
        os.fspath(path),
    )


def carry_links(crosswalk: Crosswalk, indicators: tuple[str, ...]) -> tuple[str, ...]:
    """An evidence item's indicator links in the newer framework: each earlier id through the crosswalk."""
    out: list[str] = []
    for old in indicators:
        for pair in crosswalk.pairs:
            if pair.old == old and pair.new not in out:
                out.append(pair.new)
    return tuple(out)
