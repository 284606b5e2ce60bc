"""The assessment workbook's contract: what `export assessments` writes and `import assessments` reads.

One sheet per indicator (or suite graded as one), each a form that prints on one A4 page width: the
indicator's title and themes, where it stands, the evaluator's proposed grade (a drop-down of the scale's
labels), reasons, strengths, areas for improvement, next steps, and the linked evidence. The cells are
found again by their labels in column A, so a workbook re-saved by Excel or LibreOffice still reads.

A hidden sheet records what the workbook was made from: the evaluation, the evaluator, and per indicator a
digest of the parts of its assessment an import could be in conflict with (the agreed grade, status and
rationale, and each evaluator's proposal). Other evaluators' proposals and notes are not part of the
digest of an evaluator's own proposal, so every pair's workbook imports on its own, in any order.
"""

from __future__ import annotations

import hashlib
import json

from qiframe import model

FORMAT = "qiframe assessment workbook 1"
"""The value of the hidden sheet's `format` row; a workbook without it is not one of ours."""
META_SHEET = "qiframe"
COVER_SHEET = "Instructions"
SCALE_NAME = "ScaleLabels"
"""The defined name of the grading scale's labels, which the grade drop-downs list (a judgement scale of its
own gets a name of its own: see `scale_name`)."""
EVALUATOR_LABEL = "Evaluator"
INDICATOR_LABEL = "Indicator"

FIELDS = {
    "grade": "Proposed grade",
    "rationale": "Reasons for the grade",
    "strengths": "Strengths",
    "improvements": "Areas for improvement",
    "next_steps": "Next steps",
}
"""Input field -> the label in column A of its row (the import finds rows by these labels)."""
HINTS = {
    "grade": "pick from the list",
    "rationale": "why this grade, not the one above or below",
    "strengths": "one per line",
    "improvements": "one per line",
    "next_steps": "one per line",
}
LIST_FIELDS = ("strengths", "improvements", "next_steps")
META_KEYS = ("format", "evaluation", "framework", "organisation", "evaluator", "made")
META_TABLE = ("sheet", "indicator", "base", "proposals")
"""Header of the hidden sheet's table: one row per indicator sheet."""


def base_digest(a: model.Assessment | None) -> str:
    """A digest of what an import must not contradict: the agreed grade, the status and the rationale."""
    a = a or model.Assessment("")
    return _digest({"grade": a.grade, "status": a.status, "rationale": a.rationale})


def proposal_digest(p: model.Proposal | None) -> str:
    """A digest of one evaluator's proposal (its date left out: re-recording the same is no change)."""
    if p is None:
        return ""
    return _digest(
        {
            "grade": p.grade,
            "rationale": p.rationale,
            "strengths": list(p.strengths),
            "improvements": list(p.improvements),
        }
    )


def proposal_digests(a: model.Assessment | None) -> dict[str, str]:
    return {p.by: proposal_digest(p) for p in (a.proposed if a else ())}


def _digest(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def split_lines(text: str) -> tuple[str, ...]:
    """A cell of "one per line" notes as items: blank lines dropped, bullet marks taken off."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        for mark in ("- ", "• ", "* ", "– "):
            if line.startswith(mark):
                line = line[len(mark) :].strip()
                break
        if line:
            out.append(line)
    return tuple(dict.fromkeys(out))


def normal_name(name: str) -> str:
    """An evaluator's name as recorded: "Ann " and "Ann" are the same evaluator."""
    return " ".join(name.split())


def sheet_names(ids: list[str]) -> dict[str, str]:
    """A worksheet name per indicator id: at most 31 characters, none Excel forbids, all different."""
    out: dict[str, str] = {}
    used: set[str] = {COVER_SHEET.casefold(), META_SHEET.casefold()}
    for ident in ids:
        base = "".join("-" if c in "[]:*?/\\" else c for c in ident).strip("'")[:28] or "QI"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            name = f"{base[: 28 - len(str(n))]} ({n})"
        used.add(name.casefold())
        out[ident] = name
    return out


def form_indicators(evaluation: model.Evaluation, wanted: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The indicators (and suites) a workbook covers: those asked for, else the programme's graded ones,
    else every assessed indicator, in framework order."""
    from qiframe import store

    if wanted:
        return list(dict.fromkeys(store.assessment_id(evaluation, w) for w in wanted))
    programme = evaluation.programme
    if programme and programme.graded:
        return list(programme.graded)
    order = list(evaluation.framework.indicators)
    ids = [i for i in order if i in evaluation.assessments]
    return ids + sorted(i for i in evaluation.assessments if i not in order)


def members(evaluation: model.Evaluation, ident: str) -> tuple[str, ...]:
    """The framework indicators an id stands for: itself, or a suite's indicators."""
    suite = evaluation.programme.suite(ident) if evaluation.programme else None
    return suite.indicators if suite else (ident,)


def scale_name(framework: model.Framework, scale: model.Scale) -> str:
    """The workbook's defined name for a scale's list of labels."""
    if scale is framework.scale:
        return SCALE_NAME
    return SCALE_NAME + "_" + "".join(c if c.isalnum() else "_" for c in scale.id)
