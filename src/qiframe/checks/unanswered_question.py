"""Rule `unanswered-question`: a unit of the programme whose statement section leaves a question unanswered.

It applies when the evaluation's programme defines statement questions.
"""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.statement import is_unanswered


@rule("unanswered-question", "error", options={})
def unanswered_question(ctx: Context) -> Iterator[Finding]:
    """A unit of the programme has no statement section, or its section does not answer one of the
    programme's questions.

    An answer that is missing, blank, or holds nothing but the line qiframe puts at the top of a draft
    counts as unanswered. Draft the sections from the assessments with `qiframe statement draft`, then
    write them in your own words with `qiframe statement edit UNIT`.

    Passes:

        # statement/S1.yaml
        unit: S1
        answers:
          now: Most children on the register are seen within a day of a concern being raised.
          know: Our March audit of 40 records found risk assessed well in most of them [E-k3m9qx].
          next: We will extend the audit to children under pre-birth plans by June.

    Fails:

        # statement/S1.yaml
        unit: S1
        answers:
          now: Most children on the register are seen within a day of a concern being raised.
          know: ""
    """
    ev = ctx.evaluation
    prog = ev.programme
    if prog is None or not prog.questions:
        return
    for unit in prog.units:
        section = ev.sections.get(unit.id)
        if section is None:
            yield Finding(
                f"{unit.id} has no statement section: write statement/{unit.id}.yaml with "
                f"`qiframe statement draft {unit.id}` or `qiframe statement edit {unit.id}`",
                item=unit.id,
            )
            continue
        for q in prog.questions:
            if is_unanswered(section.answers.get(q.id)):
                where = ("answers", q.id) if q.id in section.answers else ("answers",)
                yield Finding(
                    f"{unit.id} does not answer {q.text!r} ({q.id})",
                    path=section.path,
                    where=where,
                    item=unit.id,
                )
