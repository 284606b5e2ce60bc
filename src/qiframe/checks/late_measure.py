"""Rule `late-measure`: an open action's measure has had no new value for longer than its interval."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from qiframe import model
from qiframe.checks import Context, Finding, rule

CLOSED = ("done", "dropped")


@rule("late-measure", "warning", options={})
def late_measure(ctx: Context) -> Iterator[Finding]:
    """An open action's measure has no value for longer than its reporting interval.

    A run chart needs its values on time. Each measure says how often a value is due (`interval`: weekly,
    monthly — the default —, quarterly, termly or yearly); a value for a month (`2026-03`) counts to that
    month's end. Record the latest value with `qiframe action measure ID VALUE --date YYYY-MM`. Done and
    dropped actions, and measures with no value yet, are not checked.

    Passes:

        # actions/A-k3m9qx.yaml, checked on 2026-04-20
        id: A-k3m9qx
        title: Share next steps with every family
        status: in-progress
        measure:
          name: Children with shared next steps
          values:
            - {date: 2026-02, value: 52}
            - {date: 2026-03, value: 58}

    Fails:

        # actions/A-k3m9qx.yaml, checked on 2026-04-20
        id: A-k3m9qx
        title: Share next steps with every family
        status: in-progress
        measure:
          name: Children with shared next steps
          values:
            - {date: 2026-01, value: 52}
            - {date: 2026-02, value: 58}
    """
    today = model.parse_date(ctx.today)
    if today is None:
        return
    for action in ctx.evaluation.actions.values():
        m = action.measure
        if m is None or not m.values or action.status in CLOSED:
            continue
        last = _end(m.values[-1].date)
        if last is None:
            continue
        months = model.MEASURE_INTERVALS.get(m.interval, 1)
        due = last + dt.timedelta(days=7) if months < 1 else _months_after(last, int(months))
        if today <= due:
            continue
        late = (today - due).days
        yield Finding(
            f"action {action.id} ({action.title}): the measure's latest value is for {m.values[-1].date}; a "
            f"{m.interval} value was due by {due.isoformat()}, {late} day{'s' if late != 1 else ''} ago",
            path=action.path,
            where=("measure",),
            indicator=action.indicator,
            item=action.id,
        )


def _end(text: str) -> dt.date | None:
    """The last day a value's date covers: its day, or the last day of its month."""
    if len(text) == 7:
        start = model.parse_date(text + "-01")
        return start.replace(day=calendar.monthrange(start.year, start.month)[1]) if start else None
    return model.parse_date(text)


def _months_after(day: dt.date, months: int) -> dt.date:
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
