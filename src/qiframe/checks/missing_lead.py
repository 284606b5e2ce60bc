"""Rule `missing-lead`: an indicator nobody leads."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, _scope, rule


@rule("missing-lead", "warning")
def missing_lead(ctx: Context) -> Iterator[Finding]:
    """An indicator the evaluation assesses has no lead.

    Work that belongs to everybody tends to be done by nobody. Name a lead with
    `qiframe assign QI --lead NAME`.

    Passes:

        # indicators/2.1.yaml
        indicator: "2.1"
        lead: Morven Quinn

    Fails:

        # indicators/2.1.yaml
        indicator: "2.1"
        status: in-progress
    """
    ev = ctx.evaluation
    for subject in _scope.subjects(ev):
        a = ev.assessments.get(subject)
        if a is None or not a.lead.strip():
            yield Finding(
                f"{_scope.name(ev, subject)} has no lead",
                path=_scope.assessment_path(ev, subject),
                where=("lead",),
                indicator=subject,
            )
