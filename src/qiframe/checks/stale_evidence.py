"""Rule `stale-evidence`: evidence too old to show the current position."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe import periods
from qiframe.checks import Context, Finding, _scope, positive_int, rule


@rule("stale-evidence", "warning", options={"months": positive_int})
def stale_evidence(ctx: Context) -> Iterator[Finding]:
    """An evidence item is dated more than 24 months before the evaluation date.

    Old evidence says how things were, not how they are. An item covering a period counts by the end of
    the period (`date_to`); an item dated by month or year counts by the last day of it (March 2023 is
    stale from 1 April 2025). The evaluation date is `date` in evaluation.yaml, else the end of its period,
    else today. Setting: `months` (default 24).

    Passes:

        # evaluation.yaml
        date: 2025-03-31
        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Case file audit
        date: 2024-09-01

    Fails:

        # evaluation.yaml
        date: 2025-03-31
        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Case file audit
        date: 2022-09-01
    """
    ev = ctx.evaluation
    months = ctx.setting("months", 24)
    on = _scope.evaluation_date(ev, ctx.today)
    cutoff = _scope.months_before(on, months)
    for item in ev.evidence.values():
        end = periods.end(item.end_date)
        if end is None or end >= cutoff:
            continue
        yield Finding(
            f"evidence {item.id} ({item.title}) is dated {item.end_date}, more than {months} months "
            f"before the evaluation date {on.isoformat()}",
            path=item.path,
            where=("date_to",) if item.date_to else ("date",),
            evidence=item.id,
        )
