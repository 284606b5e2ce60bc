"""Grades across many evaluations: per indicator distributions, the grid, alignment, outliers, coverage.

A scale is ordinal, so nothing here averages grades: a distribution is counts per level, its centre is
the median level (or the two levels it falls between), its spread the lowest and highest level given.
Evaluations are grouped by framework; a crosswalk folds one framework's indicators into another's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qiframe import model, store
from qiframe.errors import InputError

PEER_DISTANCE = 2
"""Levels between a grade and the median of the others graded on the same indicator that make it an outlier."""
INSPECTION_DISTANCE = 2
"""Levels between a self-evaluated grade and the inspection's grade that make it an outlier."""
MIN_PEERS = 5
"""Fewest other establishments graded on an indicator before a grade is compared with theirs."""
DEFAULT_SOURCES = 2
"""Triangulation sources a grade at or above the scale's threshold should rest on (as weak-triangulation)."""


@dataclass(frozen=True)
class Establishment:
    """One evaluation in the aggregate."""

    name: str
    """The organisation, else the evaluation's title, else its folder name."""
    root: str
    """The evaluation folder."""
    framework: str
    """Framework id of the evaluation as written."""
    programme: str
    """Programme id, or ""."""
    date: str
    """Date of the evaluation (ISO), or ""."""
    clean: bool
    """Whether `check` finds no errors in it."""
    errors: int
    """How many errors `check` finds."""


@dataclass(frozen=True)
class Cell:
    """One establishment's position on one indicator."""

    establishment: str
    """Establishment name."""
    indicator: str
    """Indicator (or suite) id in the group's framework."""
    grade: int | None
    """Self-evaluated (agreed) level value, or None."""
    external: int | None
    """The inspection's level value, or None."""
    evidence: int
    """Evidence items linked to the indicator."""
    sources: tuple[str, ...]
    """Triangulation sources of that evidence, in the standard order."""
    expected: bool = True
    """Whether the evaluation grades it (its programme grades it, or it has no programme)."""


@dataclass(frozen=True)
class Distribution:
    """The self-evaluated grades of one indicator across the group."""

    indicator: str
    """Indicator (or suite) id."""
    title: str
    """Its title."""
    counts: tuple[tuple[int, int], ...]
    """(level value, how many) for every level of the scale, best first."""
    graded: int
    """Establishments that gave a grade."""
    ungraded: int
    """Establishments expected to grade the indicator (see `Cell.expected`) that gave no grade."""
    median: tuple[int, int] | None
    """The median level as (lower, upper) values: equal unless the median falls between two levels."""
    lowest: int | None
    """Lowest level given."""
    highest: int | None
    """Highest level given."""
    matched: int
    """Establishments whose grade equals the inspection's."""
    above: int
    """Establishments whose grade is above the inspection's."""
    below: int
    """Establishments whose grade is below the inspection's."""


@dataclass(frozen=True)
class Outlier:
    """A grade that stands out, with the rule that found it."""

    establishment: str
    """Establishment name."""
    indicator: str
    """Indicator (or suite) id."""
    grade: int
    """The self-evaluated level value."""
    rule: str
    """"evidence" (a high grade on thin evidence), "peers" (far from the others) or "inspection"."""
    reason: str
    """One sentence saying why."""


@dataclass(frozen=True)
class Coverage:
    """How complete the group's evaluations are."""

    establishments: int
    """Evaluations in the group."""
    graded_all: int
    """Evaluations that gave a grade to every indicator they grade."""
    graded_any: int
    """Evaluations that gave at least one grade."""
    sources: tuple[tuple[str, int], ...]
    """(source, evaluations citing evidence of that source for at least one indicator), standard order."""
    clean: int
    """Evaluations in which `check` finds no errors."""


@dataclass(frozen=True)
class Group:
    """The evaluations on one framework (or folded into it by a crosswalk)."""

    framework: str
    """Framework id."""
    title: str
    """Framework title."""
    scale: model.Scale
    """The framework's scale."""
    establishments: tuple[Establishment, ...]
    """The evaluations, by name."""
    indicators: tuple[str, ...]
    """Indicator (and suite) ids assessed by any of them, in framework order."""
    titles: dict[str, str]
    """Title of each indicator id."""
    cells: tuple[Cell, ...]
    """One per establishment and indicator it assesses."""
    distributions: tuple[Distribution, ...]
    """One per indicator."""
    outliers: tuple[Outlier, ...]
    """Grades that stand out."""
    coverage: Coverage
    """Completeness of the group."""

    def cell(self, establishment: str, indicator: str) -> Cell | None:
        for c in self.cells:
            if c.establishment == establishment and c.indicator == indicator:
                return c
        return None

    def label(self, value: int | None) -> str:
        level = self.scale.level(value) if value is not None else None
        return level.label if level else ""


@dataclass(frozen=True)
class Aggregate:
    """Everything `qiframe aggregate` reports."""

    groups: tuple[Group, ...]
    """One per framework."""

    def to_json(self) -> dict:
        return {"groups": [_group_json(g) for g in self.groups]}


@dataclass(frozen=True)
class Crosswalk:
    """A map from one framework's indicator ids to another's."""

    source: str
    """The framework mapped from."""
    target: str
    """The framework mapped to."""
    indicators: dict[str, str]
    """Old id → new id; ids not listed are left out of the target group."""


def median_text(d: Distribution) -> str:
    """The median level ("3", or "3–4" between two), or a dash when nothing is graded."""
    if d.median is None:
        return "–"
    low, high = d.median
    return str(low) if low == high else f"{low}–{high}"


def range_text(d: Distribution) -> str:
    """The lowest to the highest level given, or a dash when nothing is graded."""
    if d.lowest is None:
        return "–"
    return str(d.lowest) if d.lowest == d.highest else f"{d.lowest}–{d.highest}"


def aggregate(
    folders: Iterable[str | os.PathLike],
    framework: str | None = None,
    crosswalks: Iterable[Crosswalk] = (),
    today: str = "",
) -> Aggregate:
    """Read every evaluation under `folders` and summarise them, grouped by framework."""
    from qiframe import checks
    from qiframe.portfolio import discover

    walks = {c.source: c for c in crosswalks}
    grouped: dict[str, list[tuple[Establishment, model.Evaluation]]] = {}
    frameworks: dict[str, model.Evaluation] = {}
    names: dict[str, int] = {}
    for root in discover(list(folders)):
        evaluation = store.load(root)
        report = checks.run(evaluation, today=today, locate=False)
        errors = report.count("error")
        target = (
            walks[evaluation.framework.id].target
            if evaluation.framework.id in walks
            else evaluation.framework.id
        )
        name = _unique(evaluation.metadata.organisation or evaluation.metadata.title or root.name, names)
        grouped.setdefault(target, []).append(
            (
                Establishment(
                    name,
                    str(root),
                    evaluation.framework.id,
                    evaluation.metadata.programme,
                    evaluation.metadata.evaluation_date,
                    errors == 0,
                    errors,
                ),
                evaluation,
            )
        )
        if evaluation.framework.id == target:
            frameworks.setdefault(target, evaluation)
    if framework is not None:
        if framework not in grouped:
            known = ", ".join(sorted(grouped)) or "none"
            raise InputError(f"no evaluation on framework {framework!r} (found: {known})")
        grouped = {framework: grouped[framework]}
    groups = []
    for target, members in sorted(grouped.items()):
        reference = frameworks.get(target)
        if reference is None:
            raise InputError(
                f"the crosswalk maps to framework {target!r}, but no evaluation uses it; "
                "aggregate at least one evaluation on that framework"
            )
        groups.append(_group(reference.framework, members, walks))
    return Aggregate(tuple(groups))


def _unique(name: str, taken: dict[str, int]) -> str:
    """Two evaluations of the same organisation (two years, say) stay apart as "Name (2)"."""
    taken[name] = taken.get(name, 0) + 1
    return name if taken[name] == 1 else f"{name} ({taken[name]})"


def _group(
    fw: model.Framework, members: list[tuple[Establishment, model.Evaluation]], walks: dict[str, Crosswalk]
) -> Group:
    cells: list[Cell] = []
    titles: dict[str, str] = {}
    for est, evaluation in members:
        walk = walks.get(evaluation.framework.id)
        for ident, cell in _cells(est, evaluation).items():
            target = walk.indicators.get(ident) if walk else ident
            if target is None:
                continue
            cells.append(
                Cell(est.name, target, cell.grade, cell.external, cell.evidence, cell.sources, cell.expected)
            )
            titles.setdefault(
                target,
                fw.indicators[target].title
                if target in fw.indicators
                else evaluation.title_of(ident) or target,
            )
    order = {ident: i for i, ident in enumerate(fw.indicators)}
    indicators = tuple(sorted(titles, key=lambda i: (order.get(i, len(order)), i)))
    distributions = tuple(
        _distribution(fw.scale, ident, titles[ident], [c for c in cells if c.indicator == ident])
        for ident in indicators
    )
    thresholds = {est.name: _sources_needed(ev) for est, ev in members}
    outliers = tuple(_outliers(fw.scale, cells, distributions, thresholds))
    establishments = tuple(est for est, _ in members)
    return Group(
        fw.id,
        fw.title,
        fw.scale,
        establishments,
        indicators,
        titles,
        tuple(cells),
        distributions,
        outliers,
        _coverage(members),
    )


def _cells(est: Establishment, evaluation: model.Evaluation) -> dict[str, Cell]:
    """The evaluation's assessed indicators and suites, with grade, inspection grade and evidence."""
    external = {x.indicator: x.grade for x in evaluation.metadata.external}
    prog = evaluation.programme
    covers = {s.id: s.indicators for s in prog.suites} if prog else {}
    graded = set(prog.graded) if prog else None
    out = {}
    for ident, a in evaluation.assessments.items():
        linked = {e.id: e for i in covers.get(ident, (ident,)) for e in evaluation.evidence_for(i)}
        present = {e.source for e in linked.values()}
        out[ident] = Cell(
            est.name,
            ident,
            a.grade,
            external.get(ident),
            len(linked),
            tuple(s for s in model.SOURCES if s in present),
            graded is None or ident in graded,
        )
    for ident, grade in external.items():  # graded by the inspection but not assessed: still a cell
        out.setdefault(ident, Cell(est.name, ident, None, grade, 0, (), graded is None or ident in graded))
    return out


def _sources_needed(evaluation: model.Evaluation) -> int:
    raw = evaluation.metadata.checks.get("weak-triangulation")
    value = raw.get("threshold") if isinstance(raw, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_SOURCES


def _distribution(scale: model.Scale, ident: str, title: str, cells: list[Cell]) -> Distribution:
    grades = [c.grade for c in cells if c.grade is not None]
    counts = tuple((lv.value, sum(g == lv.value for g in grades)) for lv in scale.levels)
    ranks = sorted(scale.rank(g) for g in grades)
    ordered = sorted(scale.values)
    median = None
    if ranks:
        low, high = ranks[(len(ranks) - 1) // 2], ranks[len(ranks) // 2]
        median = (ordered[low], ordered[high])
    paired = [
        (scale.rank(c.grade), scale.rank(c.external))
        for c in cells
        if c.grade is not None and c.external is not None
    ]
    return Distribution(
        ident,
        title,
        counts,
        len(grades),
        sum(c.grade is None and c.expected for c in cells),
        median,
        ordered[ranks[0]] if ranks else None,
        ordered[ranks[-1]] if ranks else None,
        sum(s == x for s, x in paired),
        sum(s > x for s, x in paired),
        sum(s < x for s, x in paired),
    )


def _outliers(
    scale: model.Scale, cells: list[Cell], distributions: tuple[Distribution, ...], thresholds: dict[str, int]
) -> Iterable[Outlier]:
    threshold_rank = scale.rank(scale.default_threshold)
    by_indicator: dict[str, list[Cell]] = {}
    for c in cells:
        by_indicator.setdefault(c.indicator, []).append(c)
    for d in distributions:
        peers = [c for c in by_indicator[d.indicator] if c.grade is not None]
        for c in peers:
            assert c.grade is not None  # peers are the graded cells
            rank = scale.rank(c.grade)
            label = _label(scale, c.grade)
            needed = thresholds.get(c.establishment, DEFAULT_SOURCES)
            if rank >= threshold_rank and len(c.sources) < needed:
                yield Outlier(
                    c.establishment,
                    c.indicator,
                    c.grade,
                    "evidence",
                    f"graded {label} on evidence from {len(c.sources)} of the {needed} sources "
                    "a grade this high should rest on",
                )
            others = sorted(scale.rank(o.grade) for o in peers if o is not c and o.grade is not None)
            if len(others) >= MIN_PEERS:
                middle = (others[(len(others) - 1) // 2] + others[len(others) // 2]) / 2
                if abs(rank - middle) >= PEER_DISTANCE:
                    side = "above" if rank > middle else "below"
                    yield Outlier(
                        c.establishment,
                        c.indicator,
                        c.grade,
                        "peers",
                        f"graded {label}, {abs(rank - middle):g} levels {side} the median of the "
                        f"other {len(others)} establishments",
                    )
            if c.external is not None and abs(rank - scale.rank(c.external)) >= INSPECTION_DISTANCE:
                apart = rank - scale.rank(c.external)
                side = "above" if apart > 0 else "below"
                yield Outlier(
                    c.establishment,
                    c.indicator,
                    c.grade,
                    "inspection",
                    f"graded {label}, {abs(apart)} levels {side} the inspection's "
                    f"{_label(scale, c.external)}",
                )


def _coverage(members: list[tuple[Establishment, model.Evaluation]]) -> Coverage:
    graded_all = graded_any = 0
    cited = dict.fromkeys(model.SOURCES, 0)
    for _, evaluation in members:
        grades = {i: a.grade for i, a in evaluation.assessments.items()}
        graded_any += any(g is not None for g in grades.values())
        # What "everything" is: the programme's graded indicators and suites, else every assessed one.
        expected = evaluation.programme.graded if evaluation.programme else tuple(grades)
        graded_all += bool(expected) and all(grades.get(i) is not None for i in expected)
        assessed = set(evaluation.assessable_ids)
        present = {e.source for e in evaluation.evidence.values() if assessed.intersection(e.indicators)}
        for source in present:
            cited[source] += 1
    return Coverage(
        len(members), graded_all, graded_any, tuple(cited.items()), sum(est.clean for est, _ in members)
    )


def _label(scale: model.Scale, value: int | None) -> str:
    level = scale.level(value) if value is not None else None
    return f"{value} {level.label}" if level else str(value)


def load_crosswalk(path: str | os.PathLike) -> Crosswalk:
    """A crosswalk file: `from: FRAMEWORK`, `to: FRAMEWORK`, `indicators: {old: new, …}`."""
    from qiframe import yamlio

    path = Path(path)
    data = yamlio.load(path)
    if not isinstance(data, dict):
        raise InputError("a crosswalk is a mapping with from, to and indicators", path, 1, 1)
    for key in ("from", "to", "indicators"):
        if key not in data:
            raise InputError(f"the crosswalk has no {key!r}", path, 1, 1)
    pairs = data["indicators"]
    if not isinstance(pairs, dict) or not all(isinstance(v, (str, int, float)) for v in pairs.values()):
        line, col = yamlio.locate(path, ("indicators",))
        raise InputError("indicators must map each old id to one new id", path, line, col)
    return Crosswalk(str(data["from"]), str(data["to"]), {str(k): str(v) for k, v in pairs.items()})


def _group_json(g: Group) -> dict:
    return {
        "framework": g.framework,
        "title": g.title,
        "scale": [{"value": lv.value, "label": lv.label} for lv in g.scale.levels],
        "establishments": [
            {
                "name": e.name,
                "framework": e.framework,
                "programme": e.programme or None,
                "date": e.date or None,
                "clean": e.clean,
                "errors": e.errors,
            }
            for e in g.establishments
        ],
        "indicators": [
            {
                "id": d.indicator,
                "title": d.title,
                "graded": d.graded,
                "ungraded": d.ungraded,
                "counts": {str(v): n for v, n in d.counts},
                "median": list(d.median) if d.median else None,
                "lowest": d.lowest,
                "highest": d.highest,
                "inspection": {"matched": d.matched, "above": d.above, "below": d.below},
            }
            for d in g.distributions
        ],
        "grid": [
            {
                "establishment": c.establishment,
                "indicator": c.indicator,
                "grade": c.grade,
                "inspection": c.external,
                "evidence": c.evidence,
                "sources": list(c.sources),
            }
            for c in g.cells
        ],
        "outliers": [
            {
                "establishment": o.establishment,
                "indicator": o.indicator,
                "grade": o.grade,
                "rule": o.rule,
                "reason": o.reason,
            }
            for o in g.outliers
        ],
        "coverage": {
            "establishments": g.coverage.establishments,
            "graded_all": g.coverage.graded_all,
            "graded_any": g.coverage.graded_any,
            "sources": dict(g.coverage.sources),
            "clean": g.coverage.clean,
        },
    }
