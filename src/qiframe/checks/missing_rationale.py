"""Rule `missing-rationale`: a grade with no reason given."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, _scope, rule


@rule("missing-rationale", "error")
def missing_rationale(ctx: Context) -> Iterator[Finding]:
    """An indicator has a grade but no rationale saying why.

    A grade that nobody can explain will not survive moderation or inspection; the rationale is the
    evaluative judgement that links the evidence to the level chosen. Add one with
    `qiframe grade QI LEVEL -r "why"` or `qiframe edit QI`.

    Passes:

        # indicators/2.1.yaml
        indicator: "2.1"
        grade: 4
        rationale: Most children we audited were safer because of the help they received.

    Fails:

        # indicators/2.1.yaml
        indicator: "2.1"
        grade: 4
    """
    ev = ctx.evaluation
    for subject in _scope.subjects(ev):
        a = ev.assessments.get(subject)
        if a is not None and a.grade is not None and not a.rationale.strip():
            scale = ev.framework.scale_for(subject)
            level = scale.level(a.grade)
            named = (
                (level.label if scale.judgement else f"{a.grade} {level.label}") if level else str(a.grade)
            )
            yield Finding(
                f"{_scope.name(ev, subject)} is graded {named} without a rationale",
                path=a.path,
                where=("grade",),
                indicator=subject,
            )
