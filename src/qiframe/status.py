"""The at-a-glance state of an evaluation, per indicator."""

from __future__ import annotations

from dataclasses import dataclass, field

from qiframe import model


@dataclass(frozen=True)
class Row:
    """One indicator (or suite) in the status table."""

    id: str
    """Indicator or suite id."""
    title: str
    """Its title."""
    key_question: str
    """Key question id ("" for a suite)."""
    graded: bool
    """Whether the programme grades it."""
    lead: str
    """Who leads it."""
    grade: int | None
    """Agreed grade value, or None."""
    grade_label: str
    """Label of the grade, or ""."""
    proposed: tuple[int, ...]
    """Proposed grades from individual evaluators."""
    evidence: int
    """Number of evidence items linked."""
    sources: tuple[str, ...]
    """Triangulation sources present, in the standard order."""
    state: str
    """Assessment status."""
    judgement: bool = False
    """Whether it is judged on a scale of its own (e.g. confidence): the label is printed, never a value."""
    last_year: model.LastYear | None = None
    """The previous evaluation's grade, carried by `init --from` as context (never counted as a grade)."""


@dataclass(frozen=True)
class Status:
    """The status of a whole evaluation."""

    title: str
    """Evaluation title."""
    framework: str
    """Framework id."""
    programme: str
    """Programme id, or ""."""
    rows: tuple[Row, ...]
    """Indicators grouped by key question, then suites."""
    evidence_total: int
    """Evidence items in the register."""
    definition: model.Framework | None = field(default=None, compare=False, repr=False)
    """The framework itself (its scales and key questions), for laying the report out."""

    def to_json(self) -> dict:
        graded = [r for r in self.rows if r.graded]
        return {
            "title": self.title,
            "framework": self.framework,
            "programme": self.programme or None,
            "indicators": [
                {
                    "id": r.id,
                    "title": r.title,
                    "key_question": r.key_question or None,
                    "graded": r.graded,
                    "lead": r.lead or None,
                    "grade": r.grade,
                    "grade_label": r.grade_label or None,
                    "proposed": list(r.proposed),
                    "evidence": r.evidence,
                    "sources": list(r.sources),
                    "status": r.state,
                    "judgement": r.judgement,
                    "last_year": _last_year(r.last_year),
                }
                for r in self.rows
            ],
            "summary": {
                "indicators": len(self.rows),
                "graded": len(graded),
                "graded_with_grade": sum(r.grade is not None for r in graded),
                "with_grade": sum(r.grade is not None for r in self.rows),
                "evidence": self.evidence_total,
                "without_evidence": sum(r.evidence == 0 for r in self.rows),
            },
        }


def status(evaluation: model.Evaluation) -> Status:
    fw = evaluation.framework
    prog = evaluation.programme
    linked: dict[str, list[model.Evidence]] = {}
    for item in evaluation.evidence.values():
        for ind in item.indicators:
            linked.setdefault(ind, []).append(item)
    graded_ids = set(prog.graded) if prog else set()
    rows = []
    ids: list[tuple[str, str, str, tuple[str, ...]]] = []
    for kq in fw.key_questions:
        for ind in kq.indicators:
            if ind in evaluation.assessments or (prog and ind in prog.graded_indicators):
                ids.append((ind, fw.indicators[ind].title, kq.id, (ind,)))
    for suite in prog.suites if prog else ():
        ids.append((suite.id, suite.title, "", suite.indicators))
    for ident, title, kq_id, covers in ids:
        a = evaluation.assessments.get(ident) or model.Assessment(ident)
        items = {e.id: e for ind in covers for e in linked.get(ind, ())}
        present = {e.source for e in items.values()}
        scale = fw.scale_for(ident)
        level = scale.level(a.grade) if a.grade is not None else None
        rows.append(
            Row(
                id=ident,
                title=title,
                key_question=kq_id,
                graded=ident in graded_ids,
                lead=a.lead,
                grade=a.grade,
                grade_label=level.label if level else "",
                proposed=tuple(p.grade for p in a.proposed),
                evidence=len(items),
                sources=tuple(s for s in model.SOURCES if s in present),
                state=a.status,
                judgement=scale.judgement,
                last_year=a.last_year,
            )
        )
    return Status(
        evaluation.metadata.title,
        fw.id,
        evaluation.metadata.programme,
        tuple(rows),
        len(evaluation.evidence),
        fw,
    )


def _last_year(last: model.LastYear | None) -> dict | None:
    if last is None:
        return None
    return {
        "grade": last.grade,
        "label": last.label or None,
        "indicator": last.indicator or None,
        "framework": last.framework or None,
        "date": last.date or None,
    }
