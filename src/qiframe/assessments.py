"""Recording grades, notes and roles on an indicator's assessment.

Each is one store transaction: what a change depends on (the indicator's id, its current rationale) is
read inside the evaluation's lock, so two people grading or noting at once never lose each other's work.
"""

from __future__ import annotations

from pathlib import Path

from qiframe import clock, integrity, store
from qiframe.errors import InputError


def grade(
    root: Path,
    indicator: str,
    level_text: str,
    rationale: str | None = None,
    by: str | None = None,
    agreed: bool = False,
    strengths: tuple[str, ...] = (),
    improvements: tuple[str, ...] = (),
) -> str:
    """Record the agreed grade (or, with `by`, one evaluator's proposal with its own rationale, strengths and
    areas for improvement, for the moderation pack). Returns a confirmation line."""
    with store.transaction(root) as tx:
        return _grade(tx, indicator, level_text, rationale, by, agreed, strengths, improvements)


def _grade(
    tx: store.Transaction,
    indicator: str,
    level_text: str,
    rationale: str | None,
    by: str | None,
    agreed: bool,
    strengths: tuple[str, ...],
    improvements: tuple[str, ...],
) -> str:
    evaluation = tx.evaluation
    ident = store.assessment_id(evaluation, indicator)
    scale = evaluation.framework.scale_for(ident)
    level = store.level(scale, level_text)
    if ident in integrity.suite_members(evaluation):
        raise InputError(integrity.alone_message(evaluation, ident))
    current = evaluation.assessments.get(ident)
    if (
        not by
        and not agreed
        and current is not None
        and current.status == "agreed"
        and current.grade is not None
        and current.grade != level.value
    ):
        # An agreed grade is the group's settled judgement: changing it is a new agreement, said so.
        raise InputError(
            f"{ident} has the agreed grade {scale.shown(current.grade)}; to change it, agree the new "
            "grade: add {agreed} and a rationale, or record a proposal with {by} NAME",
            options=("agreed", "by"),
        )
    if by is not None:
        by = " ".join(by.split())  # "Ann " and "Ann" are the same evaluator
        if not by:
            raise InputError("{by} needs a name", options=("by",))
    if by and agreed:
        raise InputError(
            "{by} records a proposal and {agreed} the agreed grade: give one of them",
            options=("by", "agreed"),
        )
    if (strengths or improvements) and not by:
        raise InputError(
            "{strength} and {improvement} with grade record one evaluator's reasons: give {by} NAME "
            "(use `qiframe note` for the assessment's own)",
            options=("strength", "improvement", "by"),
        )
    for text in (*strengths, *improvements):
        if not text.strip():
            raise InputError("a strength or area for improvement cannot be empty")
    if (
        agreed
        and not (rationale or "").strip()
        and not (evaluation.assessments.get(ident) and evaluation.assessments[ident].rationale)
    ):
        raise InputError(
            f"an agreed grade needs a rationale: add {{rationale}} saying why {ident} is {level.label}",
            options=("rationale",),
        )
    today = clock.today_iso()

    def mutate(doc):
        if by:
            # One evaluator's reasons stay with their proposal; the agreed rationale is not touched.
            proposals = [p for p in doc.get("proposed", []) or [] if p.get("by") != by]
            proposal = {"by": by, "grade": level.value, "date": today}
            if rationale:
                proposal["rationale"] = rationale
            if strengths:
                proposal["strengths"] = [" ".join(t.split()) for t in strengths]
            if improvements:
                proposal["improvements"] = [" ".join(t.split()) for t in improvements]
            proposals.append(proposal)
            store.set_field(doc, "proposed", proposals, store.ASSESSMENT_FIELDS)
            _started(doc)
            return
        else:
            store.set_field(doc, "grade", level.value, store.ASSESSMENT_FIELDS)
            if agreed:
                store.set_field(doc, "status", "agreed", store.ASSESSMENT_FIELDS)
        _started(doc)
        if rationale is not None:
            store.set_field(doc, "rationale", rationale, store.ASSESSMENT_FIELDS)

    store.stage_assessment_edit(tx, ident, mutate)
    if scale.judgement:
        if by:
            return f"{ident}: {by} proposes the judgement {level.label}"
        return f"{ident}: judged {level.label}" + (" (agreed)" if agreed else "")
    if by:
        return f"{ident}: {by} proposes {level.value} {level.label}"
    return f"{ident}: graded {level.value} {level.label}" + (" (agreed)" if agreed else "")


def _started(doc) -> None:
    """Recording a grade, a proposal or a note means work has started on the assessment."""
    if doc.get("status", "not-started") == "not-started":
        store.set_field(doc, "status", "in-progress", store.ASSESSMENT_FIELDS)


def add_notes(
    root: Path, indicator: str, strengths: list[str], improvements: list[str], next_steps: list[str]
) -> str:
    """Append strengths, areas for improvement and next steps; a note already present is not repeated."""
    for text in (*strengths, *improvements, *next_steps):
        if not text.strip():
            raise InputError("a note cannot be empty")
    added = [0]

    def mutate(doc):
        for key, new in (
            ("strengths", strengths),
            ("improvements", improvements),
            ("next_steps", next_steps),
        ):
            if not new:
                continue
            current = list(doc.get(key) or [])
            fresh = [t.strip() for t in new if t.strip() not in current]
            added[0] += len(fresh)
            if fresh:
                store.append_items(doc, key, fresh, store.ASSESSMENT_FIELDS)
        if added[0]:
            _started(doc)

    a = store.edit_assessment(root, indicator, mutate)
    ident = a.indicator
    return f"{ident}: {added[0]} note{'s' if added[0] != 1 else ''} added"


def assign(root: Path, indicator: str, lead: str | None, contributors: list[str], state: str | None) -> str:
    """Set the lead, add contributors, or change the status."""
    from qiframe.model import ASSESSMENT_STATUSES

    if state is not None and state not in ASSESSMENT_STATUSES:
        raise InputError(f"status {state!r} is not one of: {', '.join(ASSESSMENT_STATUSES)}")

    def mutate(doc):
        if lead is not None:
            store.set_field(doc, "lead", lead, store.ASSESSMENT_FIELDS)
        if contributors:
            current = list(doc.get("contributors") or [])
            store.set_field(
                doc,
                "contributors",
                current + [c for c in contributors if c not in current],
                store.ASSESSMENT_FIELDS,
            )
        if state is not None:
            store.set_field(doc, "status", state, store.ASSESSMENT_FIELDS)

    a = store.edit_assessment(root, indicator, mutate)
    ident = a.indicator
    return f"{ident}: lead {a.lead or '—'}, {len(a.contributors)} contributors, status {a.status}"
