"""Rule `future-evidence`: evidence dated after the evaluation."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe import periods
from qiframe.checks import Context, Finding, _scope, rule


@rule("future-evidence", "warning")
def future_evidence(ctx: Context) -> Iterator[Finding]:
    """An evidence item is dated after the evaluation date.

    Usually a typing slip in the year; otherwise the evaluation date needs moving. An item dated by month
    or year counts from the first day of it. The evaluation date is
    `date` in evaluation.yaml, else the end of its period, else today.

    Passes:

        # evaluation.yaml
        date: 2025-03-31
        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Survey of parents
        date: 2025-02-14

    Fails:

        # evaluation.yaml
        date: 2025-03-31
        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Survey of parents
        date: 2052-02-14
    """
    ev = ctx.evaluation
    on = _scope.evaluation_date(ev, ctx.today)
    for item in ev.evidence.values():
        start = periods.start(item.date)
        if start is None or start <= on:
            continue
        yield Finding(
            f"evidence {item.id} ({item.title}) is dated {item.date}, after the evaluation date "
            f"{on.isoformat()}",
            path=item.path,
            where=("date",),
            evidence=item.id,
        )
