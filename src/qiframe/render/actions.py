"""The improvement plan: one action and a chosen list of them, as text and JSON."""

from __future__ import annotations

from qiframe.render import Column, Grid, Markup, Table, escape, json_text, renderer

ACTION = "qiframe.model.Action"
CHOSEN = "qiframe.actions.Chosen"
SHOWN = ("id", "title", "indicator", "improvement", "answers", "owner", "due", "status")
"""The fields `action show` prints, in order, before the measure and the progress notes."""


@renderer(ACTION, "text")
def action_text(action) -> Markup:
    from qiframe import actions

    record = actions.record(action)
    lines = [f"[bold]{key}[/]: {escape(str(record[key]))}" for key in SHOWN if key in record]
    if action.measure:
        lines.append(f"[bold]measure[/]: {escape(actions.measure_text(action.measure))}")
    lines += [f"[bold]{note.date}[/]: {escape(note.text)}" for note in action.progress]
    return Markup("".join(line + "\n" for line in lines))


@renderer(ACTION, "json")
def action_json(action) -> str:
    from qiframe import actions

    return json_text(actions.record(action))


@renderer(CHOSEN, "json")
def chosen_json(chosen) -> str:
    from qiframe import actions

    return json_text({"actions": [actions.record(a) for a in chosen.actions]})


@renderer(CHOSEN, "text")
def chosen_text(chosen) -> Grid:
    from qiframe import actions

    rows = tuple(
        tuple(
            escape(v)
            for v in (a.id, a.indicator, a.title, a.owner, a.due, a.status, actions.measure_brief(a.measure))
        )
        for a in chosen.actions
    )
    columns = tuple(Column(c) for c in ("id", "QI", "action", "owner", "due", "status", "measure"))
    return Grid([Table(columns, rows), f"{len(chosen.actions)} of {chosen.total} actions"])
