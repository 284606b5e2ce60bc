"""Trends over many years: each indicator's grade in every evaluation, oldest first.

The evaluations are put in order of their evaluation dates, and every indicator is named as the newest
evaluation's framework names it. An earlier evaluation on another framework edition is brought across by
the crosswalk between the two (found like `compare --with` finds it, in either direction); a grade brought
across is marked carried. Changes are counted in positions on each year's own scale, and only between two
years whose scales have the same number of levels, so nothing assumes six levels.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from qiframe import model
from qiframe.errors import InputError


@dataclass(frozen=True)
class Year:
    """One evaluation of the series."""

    root: str
    """Its folder."""
    title: str
    """Its title."""
    date: str
    """Its evaluation date."""
    framework: str
    """Its framework id."""
    crosswalk: str = ""
    """The crosswalk that brought its indicators across to the newest framework, or ""."""
    crosswalk_status: str = ""
    """How far that crosswalk can be trusted."""
    levels: tuple[str, ...] = ()
    """Its grading scale's labels from the lowest position upwards."""

    @property
    def label(self) -> str:
        """The year as a column heading: the evaluation date's year, or the date."""
        return self.date[:4] if self.date else self.title

    def to_json(self) -> dict:
        return {
            "root": self.root,
            "title": self.title,
            "date": self.date or None,
            "framework": self.framework,
            "crosswalk": {"path": self.crosswalk, "status": self.crosswalk_status}
            if self.crosswalk
            else None,
        }


@dataclass(frozen=True)
class Point:
    """One indicator's grade in one year."""

    grade: int | None
    """The grade, or None when that year did not grade it."""
    label: str
    """The grade's label, or ""."""
    position: int | None
    """The grade's position on that year's scale, 1 for the lowest level; None without a grade."""
    source: str
    """The indicator's id in that year's framework, or "" when it had none."""
    carried: bool
    """Whether the grade was brought across a crosswalk."""

    def to_json(self) -> dict:
        return {
            "grade": self.grade,
            "label": self.label or None,
            "position": self.position,
            "indicator": self.source or None,
            "carried": self.carried,
        }


@dataclass(frozen=True)
class TrendRow:
    """One indicator across the years."""

    id: str
    """Id in the newest evaluation's framework."""
    title: str
    """Its title there."""
    points: tuple[Point, ...]
    """One per year, oldest first."""
    changes: tuple[int | None, ...]
    """Positions moved from each year to the next (len(points) - 1); None where either has no grade or the
    two scales differ in size."""

    @property
    def graded(self) -> int:
        return sum(p.grade is not None for p in self.points)

    @property
    def overall(self) -> int | None:
        """Positions moved from the first graded year to the last, when both scales are the same size."""
        known = [c for c in self.changes if c is not None]
        return sum(known) if known and len(known) == self.graded - 1 else None

    def to_json(self) -> dict:
        return {
            "indicator": self.id,
            "title": self.title,
            "grades": [p.to_json() for p in self.points],
            "changes": list(self.changes),
            "overall": self.overall,
        }


@dataclass(frozen=True)
class Trend:
    """Grades per indicator over several evaluations."""

    years: tuple[Year, ...]
    """The evaluations, oldest first."""
    rows: tuple[TrendRow, ...]
    """Indicators graded in at least one year, in the newest framework's order."""
    levels: tuple[str, ...]
    """The newest scale's labels from the lowest position upwards (for the chart's axis)."""

    def summary(self) -> dict:
        return {
            "years": len(self.years),
            "indicators": len(self.rows),
            "up": sum((r.overall or 0) > 0 for r in self.rows),
            "down": sum((r.overall or 0) < 0 for r in self.rows),
            "same": sum(r.overall == 0 for r in self.rows),
        }

    def to_json(self) -> dict:
        return {
            "years": [y.to_json() for y in self.years],
            "scale": list(self.levels),
            "indicators": [r.to_json() for r in self.rows],
            "summary": self.summary(),
        }


def compare_trend(evaluations: list[model.Evaluation]) -> Trend:
    """Each indicator's grade in every evaluation, in date order, named as the newest framework names it."""
    if len(evaluations) < 2:
        raise InputError("a trend needs at least two evaluations")
    undated = [e for e in evaluations if not e.metadata.evaluation_date]
    if undated:
        raise InputError(
            "an evaluation without a date cannot be placed in order; set `date` (or `period`) in "
            "its evaluation.yaml",
            os.path.join(undated[0].root, model.EVALUATION_FILE),
        )
    ordered = sorted(evaluations, key=lambda e: e.metadata.evaluation_date)
    newest = ordered[-1]
    years, maps = [], []
    for ev in ordered:
        mapping, walk = _to_newest(ev, newest)
        maps.append(mapping)
        scale = ev.framework.scale
        years.append(
            Year(
                os.fspath(ev.root),
                ev.metadata.title,
                ev.metadata.evaluation_date,
                ev.framework.id,
                walk.path if walk else "",
                walk.provenance.status if walk else "",
                tuple(lv.label for lv in sorted(scale.levels, key=lambda lv: lv.value)),
            )
        )
    order = newest.order
    wanted: set[str] = set()
    for ev, mapping in zip(ordered, maps, strict=True):
        wanted.update(mapping[i] for i, a in ev.assessments.items() if a.grade is not None and i in mapping)
    rows = []
    for ident in sorted(wanted, key=lambda i: (order.get(i, len(order)), i)):
        points = tuple(
            _point(ev, mapping, ident, ev.framework.id != newest.framework.id)
            for ev, mapping in zip(ordered, maps, strict=True)
        )
        changes = tuple(
            _moved(ordered[k], a, ordered[k + 1], b)
            for k, (a, b) in enumerate(zip(points, points[1:], strict=False))
        )
        rows.append(TrendRow(ident, newest.title_of(ident), points, changes))
    levels = tuple(lv.label for lv in sorted(newest.framework.scale.levels, key=lambda lv: lv.value))
    return Trend(tuple(years), tuple(rows), levels)


def _to_newest(ev: model.Evaluation, newest: model.Evaluation):
    """Earlier id → newest id for every indicator or suite of `ev`, and the crosswalk used (or None)."""
    if ev.framework.id == newest.framework.id:
        return {i: i for i in ev.assessable_ids}, None
    from qiframe import crosswalks

    walk = crosswalks.find(ev.framework, newest.framework, start=newest.root)
    if walk is None:
        raise InputError(
            f"{ev.root} uses {ev.framework.id!r} and {newest.root} uses {newest.framework.id!r}, and no "
            "crosswalk maps one to the other; add one to a workspace frameworks/crosswalks/ folder"
        )
    return dict(walk.grades), walk


def _point(ev: model.Evaluation, mapping: dict[str, str], ident: str, across: bool) -> Point:
    sources = [old for old, new in mapping.items() if new == ident]
    source = sources[0] if sources else ""
    a = ev.assessments.get(source) if source else None
    grade = a.grade if a else None
    scale = ev.framework.scale_for(source) if source else ev.framework.scale
    level = scale.level(grade) if grade is not None else None
    if level is None or scale.judgement:
        return Point(None, "", None, source, False)
    return Point(grade, level.label, scale.rank(level.value) + 1, source, across)


def _moved(a_ev: model.Evaluation, a: Point, b_ev: model.Evaluation, b: Point) -> int | None:
    if a.position is None or b.position is None:
        return None
    if len(a_ev.framework.scale_for(a.source).levels) != len(b_ev.framework.scale_for(b.source).levels):
        return None
    return b.position - a.position
