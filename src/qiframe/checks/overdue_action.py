"""Rule `overdue-action`: an improvement action past its due date and not finished."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.model import parse_date

OPEN_WORDS = {"not-started": "not started", "in-progress": "still in progress"}


@rule("overdue-action", "error", options={})
def overdue_action(ctx: Context) -> Iterator[Finding]:
    """An improvement action whose due date has passed while its status is neither done nor dropped.

    Record what happened with `qiframe action update ID --status done` (or `dropped`, with a progress
    note saying why), or agree a new date with `--due`.

    Passes:

        # actions/A-k3m9qx.yaml, checked on 2026-11-22
        id: A-k3m9qx
        title: Run a multi-agency audit of chronologies
        due: 2026-09-30
        status: done

    Fails:

        # actions/A-k3m9qx.yaml, checked on 2026-11-22
        id: A-k3m9qx
        title: Run a multi-agency audit of chronologies
        due: 2026-09-30
        status: in-progress
    """
    today = parse_date(ctx.today)
    for action in ctx.evaluation.actions.values():
        if not action.is_overdue(ctx.today):
            continue
        due = parse_date(action.due)
        if today is None or due is None:  # is_overdue judged it, so both are dates; this keeps mypy sure
            continue
        days = (today - due).days
        yield Finding(
            f"action {action.id} ({action.title}) was due on {action.due}, {days} day{'s' if days != 1 else ''} "
            f"ago, and is {OPEN_WORDS.get(action.status, action.status)}",
            path=action.path,
            where=("due",),
            indicator=action.indicator,
            item=action.id,
        )
