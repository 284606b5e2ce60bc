"""Setting a self-evaluation beside the inspection's grades, or beside an earlier self-evaluation.

Differences between grades are counted in positions on the scale (`Scale.rank`), never by subtracting the
recorded numbers, so they mean the same on any scale. Year-on-year comparison works across framework
editions through a mapping file (`old_id: new_id`); a grade brought across a mapping is marked carried.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import model
from qiframe.errors import InputError

# --- against the inspection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalRow:
    """One graded indicator or suite: the self-evaluation's grade beside the inspection's."""

    id: str
    """Indicator or suite id."""
    title: str
    """Its title."""
    self_grade: int | None
    """The self-evaluation's grade, or None."""
    self_label: str
    """Its label, or ""."""
    external_grade: int | None
    """The inspection's grade, or None."""
    external_label: str
    """Its label, or ""."""
    source: str
    """The inspection or report the external grade comes from."""
    date: str
    """ISO date of the external grade, or ""."""
    difference: int | None
    """Self minus inspection in levels (positive: the self-evaluation graded higher); None unless both exist."""
    judgement: bool = False
    """Whether both sides are judgements on the indicator's own scale (e.g. confidence), not grades."""

    def to_json(self) -> dict:
        return {
            "indicator": self.id,
            "title": self.title,
            "judgement": self.judgement,
            "self": _grade_json(self.self_grade, self.self_label),
            "external": {
                "grade": self.external_grade,
                "label": self.external_label or None,
                "source": self.source or None,
                "date": self.date or None,
            }
            if self.external_grade is not None
            else None,
            "difference": self.difference,
        }


@dataclass(frozen=True)
class ExternalComparison:
    """The self-evaluation beside the inspection, with a summary of how far they agree."""

    title: str
    """The evaluation's title."""
    rows: tuple[ExternalRow, ...]
    """Per graded indicator or suite, in the programme's order."""
    not_compared: tuple[str, ...]
    """Ids with an external grade that the comparison does not cover (e.g. not graded by the programme)."""
    alignment: Any = None
    """How the inspection's findings align with the self-evaluation (a `findings.Alignment`), or None."""

    @property
    def compared(self) -> tuple[ExternalRow, ...]:
        """Rows with both grades; a judgement (e.g. confidence) is shown but not counted with the grades."""
        return tuple(r for r in self.rows if r.difference is not None and not r.judgement)

    @property
    def _differences(self) -> tuple[int, ...]:
        return tuple(r.difference for r in self.rows if r.difference is not None)

    @property
    def matched(self) -> int:
        return sum(d == 0 for d in self._differences)

    @property
    def within_one(self) -> int:
        """Rows whose grades differ by at most one level (the matched ones included)."""
        return sum(abs(d) <= 1 for d in self._differences)

    @property
    def self_above(self) -> int:
        return sum(d > 0 for d in self._differences)

    @property
    def self_below(self) -> int:
        return sum(d < 0 for d in self._differences)

    @property
    def lean(self) -> str:
        """Which way the differences go: "none", "above", "below", "mixed" or "" when nothing compared."""
        if not self.compared:
            return ""
        above, below = self.self_above, self.self_below
        if not above and not below:
            return "none"
        if above and below:
            return "mixed"
        return "above" if above else "below"

    @property
    def lean_text(self) -> str:
        """The lean in words, for people."""
        above, below = self.self_above, self.self_below
        match self.lean:
            case "":
                return "no indicator has both a self-evaluation grade and an inspection grade"
            case "none":
                return "the self-evaluation matched the inspection on every indicator compared"
            case "above":
                return "where they differ, the self-evaluation graded higher than the inspection"
            case "below":
                return "where they differ, the self-evaluation graded lower than the inspection"
        if above == below:
            return f"the differences go both ways: {above} higher and {below} lower than the inspection"
        way = "higher" if above > below else "lower"
        return (
            f"the differences lean towards the self-evaluation grading {way} than the inspection "
            f"({above} higher, {below} lower)"
        )

    def summary(self) -> dict:
        return {
            "graded": sum(not r.judgement for r in self.rows),
            "compared": len(self.compared),
            "matched": self.matched,
            "within_one": self.within_one,
            "self_above": self.self_above,
            "self_below": self.self_below,
            "largest_gap": max((abs(d) for d in self._differences), default=None),
            "lean": self.lean or None,
            "lean_text": self.lean_text,
        }

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "indicators": [r.to_json() for r in self.rows],
            "not_compared": list(self.not_compared),
            "summary": self.summary(),
            "findings": self.alignment.to_json() if self.alignment is not None else None,
        }


def compare_external(evaluation: model.Evaluation) -> ExternalComparison:
    """The self grades beside the inspection's: every graded indicator or suite of the programme, or,
    without a programme, every indicator that has both grades."""
    external = {x.indicator: x for x in evaluation.metadata.external}
    programme = evaluation.programme

    def self_grade(ident: str) -> int | None:
        a = evaluation.assessments.get(ident)
        return a.grade if a else None

    if programme:
        ids = list(programme.graded)
    else:
        order = list(evaluation.framework.indicators)
        ids = [i for i in order if i in external and self_grade(i) is not None]
    rows = []
    for ident in ids:
        own, theirs = self_grade(ident), external.get(ident)
        their_grade = theirs.grade if theirs else None
        scale = evaluation.framework.scale_for(ident)  # a judgement (confidence) is compared on its own scale
        rows.append(
            ExternalRow(
                id=ident,
                title=evaluation.title_of(ident),
                self_grade=own,
                self_label=_label(scale, own),
                external_grade=their_grade,
                external_label=_label(scale, their_grade),
                source=theirs.source if theirs else "",
                date=theirs.date if theirs else "",
                difference=levels_apart(scale, own, their_grade),
                judgement=scale.judgement,
            )
        )
    covered = set(ids)
    not_compared = tuple(x.indicator for x in evaluation.metadata.external if x.indicator not in covered)
    from qiframe.compare import findings

    alignment = findings.align(evaluation) if evaluation.metadata.findings else None
    return ExternalComparison(evaluation.metadata.title, tuple(rows), not_compared, alignment)


def levels_apart(scale: model.Scale, first: int | None, second: int | None) -> int | None:
    """first minus second in positions on the scale; None when either is missing or not on the scale."""
    if first is None or second is None or scale.level(first) is None or scale.level(second) is None:
        return None
    return scale.rank(first) - scale.rank(second)


# --- year on year --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """What one evaluation holds for one indicator or suite."""

    present: bool
    """Whether the evaluation assesses it or links evidence to it."""
    grade: int | None
    """The grade, or None."""
    label: str
    """The grade's label, or ""."""
    evidence: tuple[str, ...]
    """Ids of the evidence items linked (for a suite: to any of its indicators), sorted."""
    sources: tuple[str, ...]
    """Triangulation sources among them, in the standard order."""
    strengths: tuple[str, ...]
    """Strengths as written."""
    improvements: tuple[str, ...]
    """Areas for improvement as written."""
    judgement: bool = False
    """Whether the indicator is judged on a scale of its own (e.g. confidence): its label, never a grade."""


@dataclass(frozen=True)
class YearRow:
    """One indicator or suite in the newer evaluation (or only in the earlier one)."""

    id: str
    """Id in the newer evaluation's framework (the earlier id when the indicator was not carried)."""
    title: str
    """Its title."""
    old_id: str
    """The earlier evaluation's id for it, or "" when it has none."""
    carried: bool
    """Whether the earlier side was brought across a mapping between framework editions."""
    old: Side
    """The earlier evaluation."""
    new: Side
    """The newer evaluation."""

    @property
    def grade_changed(self) -> bool:
        return self.old.grade != self.new.grade

    @property
    def evidence_added(self) -> tuple[str, ...]:
        return _added(self.old.evidence, self.new.evidence)

    @property
    def evidence_removed(self) -> tuple[str, ...]:
        return _added(self.new.evidence, self.old.evidence)

    @property
    def strengths_added(self) -> tuple[str, ...]:
        return _added(self.old.strengths, self.new.strengths)

    @property
    def strengths_removed(self) -> tuple[str, ...]:
        return _added(self.new.strengths, self.old.strengths)

    @property
    def improvements_added(self) -> tuple[str, ...]:
        return _added(self.old.improvements, self.new.improvements)

    @property
    def improvements_removed(self) -> tuple[str, ...]:
        return _added(self.new.improvements, self.old.improvements)

    @property
    def changed(self) -> bool:
        return bool(
            self.grade_changed
            or self.evidence_added
            or self.evidence_removed
            or self.old.sources != self.new.sources
            or self.strengths_added
            or self.strengths_removed
            or self.improvements_added
            or self.improvements_removed
            or self.old.present != self.new.present
        )

    def to_json(self) -> dict:
        return {
            "indicator": self.id,
            "title": self.title,
            "old_indicator": self.old_id or None,
            "carried": self.carried,
            "changed": self.changed,
            "in_old": self.old.present,
            "in_new": self.new.present,
            "grade": {
                "old": self.old.grade,
                "old_label": self.old.label or None,
                "new": self.new.grade,
                "new_label": self.new.label or None,
                "changed": self.grade_changed,
                "carried": self.carried and self.old.grade is not None,
            },
            "evidence": {
                "old": len(self.old.evidence),
                "new": len(self.new.evidence),
                "added": list(self.evidence_added),
                "removed": list(self.evidence_removed),
                "old_sources": list(self.old.sources),
                "new_sources": list(self.new.sources),
            },
            "strengths": {"added": list(self.strengths_added), "removed": list(self.strengths_removed)},
            "improvements": {
                "added": list(self.improvements_added),
                "removed": list(self.improvements_removed),
            },
        }


@dataclass(frozen=True)
class YearComparison:
    """A newer evaluation set beside an earlier one, indicator by indicator."""

    old: dict
    """The earlier evaluation: folder, title, framework, programme, date."""
    new: dict
    """The newer evaluation, likewise."""
    rows: tuple[YearRow, ...]
    """Per indicator and suite, in the newer framework's order, then those only in the earlier one."""
    evidence_added: tuple[str, ...]
    """Evidence ids in the newer register only."""
    evidence_removed: tuple[str, ...]
    """Evidence ids in the earlier register only."""
    mapped: bool = False
    """Whether a mapping between framework editions was used."""
    crosswalk: str = ""
    """The crosswalk file that supplied the mapping, when one was found rather than given with --map."""
    crosswalk_status: str = ""
    """How far that crosswalk can be trusted (its provenance status)."""

    @property
    def changed(self) -> tuple[YearRow, ...]:
        return tuple(r for r in self.rows if r.changed)

    def summary(self) -> dict:
        return {
            "indicators": len(self.rows),
            "changed": len(self.changed),
            "grades_changed": sum(r.grade_changed for r in self.rows),
            "carried": sum(r.carried for r in self.rows),
            "evidence": {
                "old": self.old["evidence"],
                "new": self.new["evidence"],
                "added": list(self.evidence_added),
                "removed": list(self.evidence_removed),
            },
        }

    def to_json(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "mapped": self.mapped,
            "crosswalk": {"path": self.crosswalk, "status": self.crosswalk_status}
            if self.crosswalk
            else None,
            "indicators": [r.to_json() for r in self.rows],
            "summary": self.summary(),
        }


def compare_years(
    old: model.Evaluation, new: model.Evaluation, mapping: dict[str, str] | None = None
) -> YearComparison:
    """What changed from an earlier evaluation to a newer one, per indicator.

    Indicators are matched by id, except those `mapping` (earlier id → newer id) names. Across framework
    editions a mapping is required, so that crossing editions is always deliberate; ids it leaves out
    are matched by id where the newer framework still has them, and every grade brought across editions
    or through the mapping is marked carried.
    """
    same = old.framework.id == new.framework.id
    crosswalk = None
    if not same and mapping is None:
        from qiframe import crosswalks

        crosswalk = crosswalks.find(old.framework, new.framework, start=new.root)
        if crosswalk is None:
            raise InputError(
                f"the evaluations use different frameworks ({old.framework.id} earlier, "
                f"{new.framework.id} now) and no crosswalk maps one to the other; give {{map}} FILE "
                "saying which earlier indicator becomes which",
                options=("map",),
            )
        mapping = crosswalk.grades
    # Evidence of every earlier indicator a crosswalk pairs with a newer one is brought across with it.
    brought = crosswalk.evidence if crosswalk else {}
    mapping = dict(mapping or {})
    targets = set(mapping.values())
    old_ids, new_ids = assessed_ids(old), assessed_ids(new)
    # Earlier ids for each newer id: the mapping first, then the same id when the framework is the same.
    source_of: dict[str, tuple[str, bool]] = {n: (o, True) for o, n in mapping.items()}
    still_there = new.assessable_ids
    for ident in old_ids:
        if ident not in mapping and ident not in targets and ident in still_there:
            source_of.setdefault(ident, (ident, not same))
    order = new.order
    wanted = [i for i in new_ids] + [n for n in targets if n not in new_ids]
    wanted.sort(key=lambda i: order.get(i, len(order)))
    rows = []
    used: set[str] = set()
    for ident in wanted:
        old_id, carried = source_of.get(ident, ("", False))
        if old_id:
            used.add(old_id)
        extra = tuple(i for i in brought.get(ident, ()) if i != old_id)
        used.update(extra)
        if old_id or extra:
            earlier = _side(old, old_id or extra[0], also=extra)
            if not old_id:
                earlier = dataclasses.replace(earlier, grade=None, label="")
        else:
            earlier = _absent()
        rows.append(
            YearRow(ident, new.title_of(ident), old_id, carried or bool(extra), earlier, _side(new, ident))
        )
    for ident in old_ids:
        if ident not in used:
            rows.append(YearRow(ident, old.title_of(ident), ident, False, _side(old, ident), _absent()))
    return YearComparison(
        _about(old),
        _about(new),
        tuple(rows),
        evidence_added=tuple(sorted(set(new.evidence) - set(old.evidence))),
        evidence_removed=tuple(sorted(set(old.evidence) - set(new.evidence))),
        mapped=bool(mapping),
        crosswalk=crosswalk.path if crosswalk else "",
        crosswalk_status=crosswalk.provenance.status if crosswalk else "",
    )


def assessed_ids(evaluation: model.Evaluation) -> list[str]:
    """Indicators and suites the evaluation assesses or links evidence to, in framework order."""
    ids = set(evaluation.assessments)
    for item in evaluation.evidence.values():
        ids.update(i for i in item.indicators if i in evaluation.framework.indicators)
    order = evaluation.order
    return sorted(ids, key=lambda i: (order.get(i, len(order)), i))


def _side(evaluation: model.Evaluation, ident: str, also: tuple[str, ...] = ()) -> Side:
    a = evaluation.assessments.get(ident)
    covers = _covers(evaluation, ident) + also
    items = sorted({e.id for e in evaluation.evidence.values() if any(i in covers for i in e.indicators)})
    present = {evaluation.evidence[e].source for e in items}
    grade = a.grade if a else None
    return Side(
        present=a is not None or bool(items),
        grade=grade,
        label=_label(evaluation.framework.scale_for(ident), grade),
        evidence=tuple(items),
        sources=tuple(s for s in model.SOURCES if s in present),
        strengths=a.strengths if a else (),
        improvements=a.improvements if a else (),
        judgement=evaluation.framework.scale_for(ident).judgement,
    )


def _absent() -> Side:
    return Side(False, None, "", (), (), (), ())


def _covers(evaluation: model.Evaluation, ident: str) -> tuple[str, ...]:
    suite = evaluation.programme.suite(ident) if evaluation.programme else None
    return suite.indicators if suite else (ident,)


def _added(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, ...]:
    """Texts in `after` with no counterpart in `before`, comparing with whitespace normalised."""
    seen = {_words(t) for t in before}
    return tuple(t for t in after if _words(t) not in seen)


def _words(text: str) -> str:
    return " ".join(text.split())


def _about(evaluation: model.Evaluation) -> dict:
    m = evaluation.metadata
    return {
        "root": os.fspath(evaluation.root),
        "title": m.title,
        "framework": m.framework,
        "programme": m.programme or None,
        "date": m.evaluation_date or None,
        "evidence": len(evaluation.evidence),
    }


# --- the mapping between framework editions --------------------------------------------------------------

_TOKEN = re.compile(r"[^\s:#,\[\]{}]+(?::[^\s#,\[\]{}]+)*")


def load_mapping(path: str | os.PathLike, old: model.Evaluation, new: model.Evaluation) -> dict[str, str]:
    """A mapping file (`old_id: new_id` per line), every id checked against its framework.

    Ids written without quotes (`2.1: 2.10`) are taken exactly as typed, not as numbers.
    """
    from qiframe import yamlio

    path = Path(path)
    text = yamlio.read_text(path)
    data = yamlio.parse(text, path)
    if not isinstance(data, dict) or not data:
        raise InputError(
            'expected a mapping of earlier indicator ids to newer ones, e.g. `"2.1": "2.1"`', path, 1, 1
        )
    doc = yamlio.parse_roundtrip(text, path)
    lines = text.splitlines()
    old_known, new_known = old.assessable_ids, new.assessable_ids
    mapping: dict[str, str] = {}
    first_for: dict[str, str] = {}
    for key, value in doc.items():
        k_line, k_col = doc.lc.key(key)
        old_id = _as_written(key, lines, k_line, k_col)
        if old_id not in old_known:
            raise InputError(
                f"{old_id!r} is not an indicator or suite of the earlier evaluation's framework "
                f"{old.framework.id!r}",
                path,
                k_line + 1,
                k_col + 1,
            )
        v_line, v_col = doc.lc.value(key)
        if value is None or isinstance(value, (dict, list)):
            raise InputError(f"{old_id!r} needs one newer indicator id", path, v_line + 1, v_col + 1)
        new_id = _as_written(value, lines, v_line, v_col)
        if new_id not in new_known:
            raise InputError(
                f"{new_id!r} is not an indicator or suite of the newer evaluation's framework "
                f"{new.framework.id!r}",
                path,
                v_line + 1,
                v_col + 1,
            )
        if new_id in first_for:
            raise InputError(
                f"{old_id!r} and {first_for[new_id]!r} both map to {new_id!r}; a newer indicator "
                "can carry one earlier grade only",
                path,
                v_line + 1,
                v_col + 1,
            )
        first_for[new_id] = old_id
        mapping[old_id] = new_id
    return mapping


def _as_written(value, lines: list[str], line: int, col: int) -> str:
    """A scalar as the user typed it: text stays text, and a number keeps its digits (2.10 is not 2.1)."""
    if isinstance(value, str):
        return value
    found = _TOKEN.match(lines[line], col) if line < len(lines) else None
    return found.group(0) if found else str(value)


# --- shared ------------------------------------------------------------------------------------------


def _label(scale: model.Scale, value: int | None) -> str:
    level = scale.level(value) if value is not None else None
    return level.label if level else ""


def _grade_json(value: int | None, label: str) -> dict | None:
    return None if value is None else {"grade": value, "label": label or None}
