"""First drafts of the position statement's sections, from the indicator assessments.

Drafting rule, decided per answer: a first draft goes into an answer only when it is empty (missing,
blank, or nothing but the draft marker). Text in an answer is never replaced, whoever wrote it and
whatever the section's `draft` flag says, so running it again never loses work; to get a fresh draft of an
answer, empty it first. A section is flagged `draft: true` only when it held no text before drafting; a
person's section that gains a drafted answer keeps its flag, and the drafted answer carries the visible
marker line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qiframe import model, store, yamlio
from qiframe.errors import InputError
from qiframe.statement import (
    DRAFT_MARKER,
    evidence_for,
    find_unit,
    indicator_label,
    indicator_title,
    is_unanswered,
    long_date,
    require_units,
)


@dataclass(frozen=True, slots=True)
class Drafted:
    """What drafting did to one section."""

    unit: str
    """The unit id."""
    path: str
    """The section file, relative to the evaluation."""
    created: bool
    """Whether the file is new."""
    drafted: tuple[str, ...]
    """Question ids that received a draft."""
    kept: tuple[str, ...]
    """Question ids left alone because they hold text."""
    nothing: tuple[str, ...]
    """Drafted question ids for which the assessments hold nothing yet (only the marker was written)."""
    changed: bool
    """Whether the file was written."""


def draft_sections(evaluation: model.Evaluation | str | Path, unit: str | None = None) -> list[Drafted]:
    """Write first drafts into the empty answers of the programme's sections (all, or one unit).

    One transaction: the evaluation (given, or its folder) is loaded again inside the lock and every
    section is written together, so concurrent drafting and editing never lose each other's text.
    """
    root = Path(evaluation if isinstance(evaluation, (str, Path)) else evaluation.root)
    with store.transaction(root) as tx:
        return _draft(tx, unit)


def _draft(tx: store.Transaction, unit: str | None) -> list[Drafted]:
    evaluation = tx.evaluation
    programme = require_units(evaluation)
    if not programme.questions:
        raise InputError(f"programme {programme.id} defines no statement questions to answer")
    units = [find_unit(programme, unit)] if unit else list(programme.units)
    results = []
    for u in units:
        section = evaluation.sections.get(u.id)
        answers = dict(section.answers) if section else {}
        kept = tuple(q.id for q in programme.questions if not is_unanswered(answers.get(q.id)))
        new = {q.id: text for q, text in _draft_answers(evaluation, programme, u).items() if q.id not in kept}
        nothing = tuple(qid for qid, text in new.items() if is_unanswered(text))
        relpath = section.path if section else f"{store.FOLDERS['section']}/{u.id}.yaml"
        changed = any(answers.get(qid) != text for qid, text in new.items())
        if section is None:
            order = {q.id: new[q.id] for q in programme.questions}
            tx.create(relpath, "section", {"unit": u.id, "draft": True, "answers": order})
        elif changed:
            tx.edit(relpath, "section", _fill(programme, new, flag=not kept))
        results.append(
            Drafted(u.id, relpath, section is None, tuple(new), kept, nothing, changed or section is None)
        )
    return results


def _fill(programme: model.Programme, new: dict[str, str], flag: bool):
    def mutate(doc):
        answers = doc.get("answers")
        if answers is None:
            store.set_field(doc, "answers", {}, ("unit", "draft", "answers"))
            answers = doc["answers"]
        for q in programme.questions:
            if q.id in new:
                if q.id in answers:
                    answers[q.id] = yamlio.to_commented(new[q.id])
                else:
                    position = sum(
                        1
                        for other in programme.questions[: programme.questions.index(q)]
                        if other.id in answers
                    )
                    answers.insert(position, q.id, yamlio.to_commented(new[q.id]))
        if flag:
            store.set_field(doc, "draft", True, ("unit", "draft", "answers"))

    return mutate


def _roles(programme: model.Programme) -> dict[str, str]:
    """What each question is drafted from: "judgement" (strengths and areas for improvement) for the
    questions before the evidence question, "evidence" for it, "plans" (next steps, open actions) after it.
    Without an evidence question the first is the judgement and the last the plans."""
    qs = programme.questions
    cites = [i for i, q in enumerate(qs) if q.cites_evidence]
    roles = {}
    for i, q in enumerate(qs):
        if cites:
            roles[q.id] = "evidence" if q.cites_evidence else ("judgement" if i < cites[0] else "plans")
        else:
            roles[q.id] = "judgement" if i == 0 else ("plans" if i == len(qs) - 1 else "")
    return roles


def _draft_answers(
    evaluation: model.Evaluation, programme: model.Programme, unit: model.Unit
) -> dict[model.Question, str]:
    ids = _assessment_ids(programme, unit)
    assessments = [evaluation.assessments[i] for i in ids if i in evaluation.assessments]
    roles = _roles(programme)
    writers = {
        "judgement": lambda: _judgement(evaluation, programme, assessments),
        "evidence": lambda: _evidence_text(evaluation, unit, ids),
        "plans": lambda: _plans(evaluation, assessments, ids),
    }
    out = {}
    for q in programme.questions:
        lines = writers[roles[q.id]]() if roles[q.id] else []
        out[q] = "\n".join([DRAFT_MARKER, "", *lines]).rstrip() + "\n" if lines else DRAFT_MARKER
    return out


def _assessment_ids(programme: model.Programme, unit: model.Unit) -> list[str]:
    """The unit's indicators, with the suite that grades an indicator as one alongside it."""
    out: list[str] = []
    for ind in unit.indicators:
        for ident in (ind, programme.grading_unit(ind)):
            if ident and ident not in out:
                out.append(ident)
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _judgement(evaluation, programme, assessments) -> list[str]:
    lines: list[str] = []
    framework = evaluation.framework
    for a in assessments:
        scale = framework.scale_for(a.indicator)
        level = scale.level(a.grade) if a.grade is not None else None
        if level and programme.grading_unit(a.indicator) == a.indicator:
            name = indicator_label(evaluation, a.indicator)
            if a.indicator in evaluation.framework.indicators:
                name += f" ({indicator_title(evaluation, a.indicator)})"
            if scale.judgement:
                lines.append(f"Our judgement of {name}: {level.label.lower()}.")
            else:
                lines.append(f"We evaluate {name} as {level.label.lower()}.")
    for heading, key in (("Strengths:", "strengths"), ("Areas for improvement:", "improvements")):
        items = [
            f"- {_one_line(t)} ({indicator_label(evaluation, a.indicator)})"
            for a in assessments
            for t in getattr(a, key)
            if t.strip()
        ]
        if items:
            lines += ["", heading, *items] if lines else [heading, *items]
    return lines


def _evidence_text(evaluation, unit, ids) -> list[str]:
    items = evidence_for(evaluation, ids, (unit.id,))
    listed = [e for e in items if not e.personal_data]
    lines: list[str] = []
    for source in dict.fromkeys(e.source for e in listed):
        label = model.SOURCE_LABELS.get(source, source)
        group = [f"- {_one_line(e.title)} [{e.id}]" for e in listed if e.source == source]
        lines += ["", f"{label[0].upper()}{label[1:]}:"] if lines else [f"{label[0].upper()}{label[1:]}:"]
        lines += group
    withheld = len(items) - len(listed)
    if withheld:
        lines += [
            "",
            f"Not cited here: {withheld} item{'s' if withheld != 1 else ''} that may contain personal data.",
        ]
    return lines


def _plans(evaluation, assessments, ids) -> list[str]:
    lines = [
        f"- {_one_line(t)} ({indicator_label(evaluation, a.indicator)})"
        for a in assessments
        for t in a.next_steps
        if t.strip()
    ]
    steps = {_one_line(t).casefold() for a in assessments for t in a.next_steps}
    for act in sorted(evaluation.actions.values(), key=lambda x: (x.due or "9999", x.id)):
        if (
            act.indicator in ids
            and act.status in ("not-started", "in-progress")
            and _one_line(act.title).casefold() not in steps
        ):
            who = ", ".join(x for x in (act.owner, f"due {long_date(act.due)}" if act.due else "") if x)
            lines.append(
                f"- {_one_line(act.title)} ({indicator_label(evaluation, act.indicator)}{'; ' + who if who else ''})"
            )
    return lines
