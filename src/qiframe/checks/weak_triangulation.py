"""Rule `weak-triangulation`: an indicator's evidence comes from too few kinds of source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qiframe import model
from qiframe.checks import Context, Finding, _scope, rule


def _threshold(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= len(_scope.TRIANGULATING):
        return f"expected a whole number from 1 to {len(_scope.TRIANGULATING)}, found {value!r}"
    return None


@rule("weak-triangulation", "warning", options={"threshold": _threshold})
def weak_triangulation(ctx: Context) -> Iterator[Finding]:
    """An indicator's evidence comes from fewer than two of the three triangulation sources: quantitative
    data, people's views and direct observation.

    A judgement is trusted when different kinds of evidence point the same way. Documentation (policies,
    plans, minutes) shows intent rather than impact, so it does not count towards triangulation. The rule
    looks at indicators with at least one evidence item and at every graded indicator. Setting:
    `threshold` (default 2), the number of sources required.

    Passes:

        # evidence/E-k3m9qx.yaml
        {id: E-k3m9qx, title: Case file audit, source: data, indicators: ["2.1"]}
        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Focus group with young people, source: views, indicators: ["2.1"]}

    Fails:

        # evidence/E-k3m9qx.yaml
        {id: E-k3m9qx, title: Case file audit, source: data, indicators: ["2.1"]}
        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Child protection procedures, source: documentation, indicators: ["2.1"]}
    """
    ev = ctx.evaluation
    needed = ev.triangulation_threshold
    graded = set(_scope.graded_ids(ev))
    index = ctx.linked()
    for subject in _scope.subjects(ev):
        items = _scope.evidence_of(ev, subject, index)
        if not items and subject not in graded:
            continue
        present = [s for s in _scope.TRIANGULATING if any(e.source == s for e in items)]
        if len(present) >= needed:
            continue
        have = ", ".join(model.SOURCE_LABELS[s] for s in present) or "none"
        missing = " or ".join(model.SOURCE_LABELS[s] for s in _scope.TRIANGULATING if s not in present)
        yield Finding(
            f"{_scope.name(ev, subject)} draws on {len(present)} of the 3 triangulation sources "
            f"({have}); {needed} expected: add {missing}",
            path=_scope.assessment_path(ev, subject),
            where=("indicator",),
            indicator=subject,
        )
