"""Rule `ungraded`: an indicator without a grade."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, _scope, rule


@rule("ungraded", "error")
def ungraded(ctx: Context) -> Iterator[Finding]:
    """An indicator has no agreed grade.

    It is an error for an indicator (or suite) that the evaluation's programme grades, because the
    inspection will ask for that grade. Any other indicator the evaluation assesses (one with a file in
    indicators/) is reported as info. An indicator graded as part of a suite (9.1 in the leadership
    suite) is graded through the suite's file. Record a grade with `qiframe grade QI LEVEL -r "why"`.

    Passes:

        # indicators/2.1.yaml (programme risk-of-harm-2021 grades 2.1)
        indicator: "2.1"
        grade: 4
        rationale: Most children we audited were safer because of the help they received.

    Fails:

        # indicators/2.1.yaml (programme risk-of-harm-2021 grades 2.1)
        indicator: "2.1"
        status: in-progress
    """
    ev = ctx.evaluation
    graded = set(_scope.graded_ids(ev))
    for subject in _scope.subjects(ev):
        a = ev.assessments.get(subject)
        if a is not None and a.grade is not None:
            continue
        pending = f" ({len(a.proposed)} proposed grades await moderation)" if a and a.proposed else ""
        if subject in graded:
            where = "" if a else f"; there is no indicators/{subject}.yaml yet"
            yield Finding(
                f"{_scope.name(ev, subject)} is graded by programme {ev.metadata.programme} but has "
                f"no grade{pending}{where}",
                path=_scope.assessment_path(ev, subject),
                where=("grade",),
                indicator=subject,
            )
        else:
            yield Finding(
                f"{_scope.name(ev, subject)} has no grade{pending}",
                path=_scope.assessment_path(ev, subject),
                where=("grade",),
                indicator=subject,
                severity="info",
            )
