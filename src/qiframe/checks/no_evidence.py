"""Rule `no-evidence`: an indicator with no evidence linked to it."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, _scope, rule


@rule("no-evidence", "warning")
def no_evidence(ctx: Context) -> Iterator[Finding]:
    """An indicator the evaluation assesses has no evidence item linked to it.

    It is an error when the programme grades the indicator (a grade needs evidence behind it) and a
    warning otherwise. A suite's evidence is the evidence linked to any of its indicators. Link an item
    with `qiframe evidence link ID --qi QI`.

    Passes:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Case file audit of child protection plans
        source: data
        indicators: ["2.1"]

    Fails:

        # indicators/2.2.yaml, and no file in evidence/ lists "2.2" under indicators
        indicator: "2.2"
        grade: 4
    """
    ev = ctx.evaluation
    graded = set(_scope.graded_ids(ev))
    index = ctx.linked()
    for subject in _scope.subjects(ev):
        if _scope.evidence_of(ev, subject, index):
            continue
        yield Finding(
            f"{_scope.name(ev, subject)} has no evidence linked to it",
            path=_scope.assessment_path(ev, subject),
            where=("indicator",),
            indicator=subject,
            severity="error" if subject in graded else "",
        )
