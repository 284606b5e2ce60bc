"""The improvement plan: actions that answer areas for improvement, one file each in actions/.

An action records what the partnership said it would do (title, the indicator and area for improvement it
answers, owner, due date, a measure with baseline and target) and, over time, what it has done (status,
the measure's current value, dated progress notes). Each change is one store transaction (read and
written inside the lock), and edits are round-trip, so a person's comments in an action file survive.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import clock, model, store, yamlio
from qiframe.errors import InputError

ACTION_FIELDS = (
    "id",
    "title",
    "indicator",
    "improvement",
    "answers",
    "owner",
    "due",
    "status",
    "measure",
    "progress",
)
MEASURE_FIELDS = ("name", "unit", "baseline", "target", "target_date", "interval", "current", "as_of")
FILE_MEASURE_FIELDS = MEASURE_FIELDS + ("values",)
CLOSED = ("done", "dropped")
"""Statuses of an action that is finished one way or the other."""


@dataclass(frozen=True)
class MeasureInput:
    """Measure values given on the command line; None means "not given"."""

    name: str | None = None
    """What is measured."""
    unit: str | None = None
    """Unit, e.g. "%"."""
    baseline: float | None = None
    """Value at the start."""
    target: float | None = None
    """Value aimed for."""
    current: float | None = None
    """Latest value."""
    as_of: str | None = None
    """ISO date of the latest value."""
    target_date: str | None = None
    """When the target is to be reached (ISO date or YYYY-MM)."""
    interval: str | None = None
    """How often a value is due: weekly, monthly (the default), quarterly, termly or yearly."""

    def given(self) -> bool:
        return any(getattr(self, f) is not None for f in MEASURE_FIELDS)


def add(
    root: str | Path,
    title: str,
    indicator: str = "",
    improvement: str = "",
    owner: str = "",
    due: str = "",
    status: str = "not-started",
    measure: MeasureInput | None = None,
    today: str = "",
    answers: str = "",
) -> model.Action:
    """Add an action; the indicator must exist, and `improvement` may be the number of one of its areas.

    `answers` names the inspection's recommendation (an external finding, by id or prefix) it answers.
    """
    with store.transaction(root) as tx:
        return _add(tx, title, indicator, improvement, owner, due, status, measure, today, answers)


def _add(
    tx: store.Transaction,
    title: str,
    indicator: str,
    improvement: str,
    owner: str,
    due: str,
    status: str,
    measure: MeasureInput | None,
    today: str,
    answers: str = "",
) -> model.Action:
    evaluation = tx.evaluation
    today = today or clock.today_iso()
    title = _text(title, "title", required=True)
    ident = store.assessment_id(evaluation, indicator) if indicator else ""
    improvement = _improvement(evaluation, ident, improvement)
    _date(due, "due")
    _status(status)
    answered = _recommendation(evaluation, answers) if answers else ""
    record: dict[str, Any] = {
        "title": title,
        "indicator": ident,
        "improvement": improvement,
        "answers": answered,
        "owner": " ".join(owner.split()),
        "due": due,
        "status": status,
    }
    if measure is not None and measure.given():
        record["measure"] = _measure_record(measure, today)
    record = {"id": tx.new_id("action"), **record}
    record = {k: v for k, v in record.items() if v not in ("", None, {}, [])}
    relpath = f"{store.FOLDERS['action']}/{record['id']}.yaml"
    tx.create(relpath, "action", record)
    return store.build_action(record, relpath)


def update(
    root: str | Path,
    action_id: str,
    status: str | None = None,
    owner: str | None = None,
    due: str | None = None,
    title: str | None = None,
    measure: MeasureInput | None = None,
    progress: str | None = None,
    date: str | None = None,
    today: str = "",
) -> model.Action:
    """Change an action's status, owner, due date or measure, and append a progress note."""
    with store.transaction(root) as tx:
        return _update(tx, action_id, status, owner, due, title, measure, progress, date, today)


def _update(
    tx: store.Transaction,
    action_id: str,
    status: str | None,
    owner: str | None,
    due: str | None,
    title: str | None,
    measure: MeasureInput | None,
    progress: str | None,
    date: str | None,
    today: str,
) -> model.Action:
    action = store.resolve(tx.evaluation.actions, action_id, "action")
    today = today or clock.today_iso()
    if status is not None:
        _status(status)
    if due is not None:
        _date(due, "due")
    if date is not None:
        _date(date, "date", required=True)
    if title is not None:
        title = _text(title, "title", required=True)
    if progress is not None:
        progress = _text(progress, "progress", required=True)
    when = date or today
    values = None
    if measure is not None and measure.given():
        # A new current value with no date of its own is as of the note's date (or today).
        if measure.current is not None and measure.as_of is None:
            measure = MeasureInput(**{**_fields(measure), "as_of": when})
        values = _measure_record(measure, when, fill_as_of=False)

    def mutate(doc):
        for key, value in (("title", title), ("owner", owner), ("due", due), ("status", status)):
            if value is not None:
                store.set_field(
                    doc, key, " ".join(value.split()) if key in ("title", "owner") else value, ACTION_FIELDS
                )
        if values:
            if isinstance(doc.get("measure"), dict):
                for key, value in values.items():
                    store.set_field(doc["measure"], key, value, MEASURE_FIELDS)
            else:
                store.set_field(doc, "measure", values, ACTION_FIELDS)
        if progress is not None:
            note = yamlio.to_commented({"date": dt.date.fromisoformat(when), "text": progress})
            if isinstance(doc.get("progress"), list):
                doc["progress"].append(note)
            else:
                store.set_field(doc, "progress", [{"date": when, "text": progress}], ACTION_FIELDS)

    data = tx.edit(action.path, "action", mutate)
    return store.build_action(data, action.path)


def listing(
    evaluation: model.Evaluation, indicator: str | None = None, status: str | None = None, today: str = ""
) -> list[model.Action]:
    """Actions in indicator order, then by due date; optionally one indicator's or one status's."""
    if status is not None:
        _status(status, allow_open=True)
    ident = store.assessment_id(evaluation, indicator) if indicator else None
    today = today or clock.today_iso()
    chosen = [
        a
        for a in evaluation.actions.values()
        if (ident is None or a.indicator == ident) and _has_status(a, status, today)
    ]
    order = evaluation.order
    return sorted(chosen, key=lambda a: (order.get(a.indicator, len(order)), a.due or "9999", a.id))


def _has_status(action: model.Action, status: str | None, today: str) -> bool:
    """Whether an action matches a `--status` filter: a stored status, or "open" or "overdue"."""
    if status is None:
        return True
    if status == "open":
        return action.status not in CLOSED
    if status == "overdue":
        return is_overdue(action, today)
    return action.status == status


@dataclass(frozen=True)
class Chosen:
    """The actions `action list` shows, out of how many the plan holds."""

    actions: tuple[model.Action, ...]
    total: int


def choose(
    evaluation: model.Evaluation, indicator: str | None = None, status: str | None = None, today: str = ""
) -> Chosen:
    """`listing`, with the size of the whole plan."""
    return Chosen(tuple(listing(evaluation, indicator, status, today)), len(evaluation.actions))


def is_overdue(action: model.Action, today: str) -> bool:
    """Past its due date and neither done nor dropped (`model.Action.is_overdue`)."""
    return action.is_overdue(today)


def record(action: model.Action) -> dict:
    """An action as file fields in the stable order, leaving out empty values (for JSON and display)."""
    out: dict[str, Any] = {}
    for key in ACTION_FIELDS:
        value = getattr(action, key)
        if key == "measure":
            value = measure_record(value) if value else None
        elif key == "progress":
            value = [{"date": p.date, "text": p.text} for p in value]
        if value not in ("", None, [], {}):
            out[key] = value
    return out


def measure_record(measure: model.Measure) -> dict:
    """A measure's fields for display and JSON: the latest value as `current` and `as_of`, and the whole
    series under `values` when it holds more than that one value."""
    out = {f: getattr(measure, f) for f in MEASURE_FIELDS if getattr(measure, f) not in ("", None)}
    if out.get("interval") == "monthly":
        del out["interval"]
    if len(measure.values) > 1 or any(v.note for v in measure.values):
        out["values"] = [
            {"date": v.date, "value": v.value} | ({"note": v.note} if v.note else {}) for v in measure.values
        ]
    return out


def record_value(
    root: str | Path, action_id: str, value: float, date: str = "", note: str = "", today: str = ""
) -> model.Action:
    """Add a dated value to an action's measure (replacing a value of the same date).

    An older file's single `current` value (as of `as_of`) becomes the first value of the series.
    """
    with store.transaction(root) as tx:
        return _record_value(tx, action_id, value, date, note, today)


def _record_value(
    tx: store.Transaction, action_id: str, value: float, date: str, note: str, today: str
) -> model.Action:
    action = store.resolve(tx.evaluation.actions, action_id, "action")
    when = date or (today or clock.today_iso())
    if not _is_month_or_day(when):
        raise InputError(
            f"{{date}} {when!r} is not an ISO date or month (YYYY-MM-DD or YYYY-MM)", options=("date",)
        )
    number = _number(value, "VALUE")
    note = _text(note, "note")
    entry = {"date": when, "value": number} | ({"note": note} if note else {})

    def mutate(doc):
        measure = doc.get("measure")
        if not isinstance(measure, dict):
            store.set_field(doc, "measure", {"values": [entry]}, ACTION_FIELDS)
            return
        series = [dict(v) for v in measure.get("values") or ()]
        if measure.get("current") is not None:
            old = {"date": str(measure.get("as_of") or ""), "value": measure["current"]}
            if old["date"] and not any(str(v.get("date")) == old["date"] for v in series):
                series.append(old)
        for key in ("current", "as_of"):
            if key in measure:
                del measure[key]
        series = [v for v in series if str(v.get("date")) != when] + [entry]
        series.sort(key=lambda v: str(v["date"]))
        store.set_field(
            measure,
            "values",
            [{k: (str(x) if k == "date" else x) for k, x in v.items()} for v in series],
            FILE_MEASURE_FIELDS,
        )

    data = tx.edit(action.path, "action", mutate)
    return store.build_action(data, action.path)


def _is_month_or_day(text: str) -> bool:
    if len(text) == 7:
        return model.parse_date(text + "-01") is not None
    return len(text) == 10 and model.parse_date(text) is not None


def _recommendation(evaluation: model.Evaluation, text: str) -> str:
    """The id of the inspection finding an action answers: a recommendation or area for improvement."""
    findings = {f.id: f for f in evaluation.metadata.findings}
    if not findings:
        raise InputError("no inspection findings are recorded; add them with `qiframe external finding add`")
    finding = store.resolve(findings, text, "inspection finding")
    if finding.kind not in ("recommendation", "improvement"):
        raise InputError(f"{finding.id} is a {finding.kind}, not a recommendation or area for improvement")
    return finding.id


def measure_text(measure: model.Measure | None) -> str:
    """A measure in one line: "Plans reviewed on time: 62% → 78% (as of 2026-09-30), target 90%"."""
    if measure is None:
        return ""
    unit = measure.unit

    def num(value: float | None) -> str:
        if value is None:
            return "?"
        shown = f"{value:g}"
        return f"{shown}{unit}" if unit in ("%", "") else f"{shown} {unit}"

    parts = []
    if measure.baseline is not None or measure.current is not None:
        latest = num(measure.current) if measure.current is not None else "no value yet"
        as_of = f" (as of {measure.as_of})" if measure.current is not None and measure.as_of else ""
        parts.append(f"{num(measure.baseline)} → {latest}{as_of}")
    if measure.target is not None:
        parts.append(f"target {num(measure.target)}")
    values = ", ".join(parts)
    if measure.name:
        return f"{measure.name}: {values}" if values else measure.name
    return values


def measure_brief(measure: model.Measure | None) -> str:
    """A measure's numbers only, for tables: "48% → 63% (target 80%)"."""
    if measure is None:
        return ""
    text = measure_text(model.Measure(unit=measure.unit, baseline=measure.baseline, current=measure.current))
    if measure.target is not None:
        target = measure_text(model.Measure(unit=measure.unit, target=measure.target))
        text = f"{text} ({target})" if text else target
    return text


# --- validation --------------------------------------------------------------------------------------


def _named(option: str) -> tuple[str, tuple[str, ...]]:
    """How a message names the parameter `option`: `{option}` for a front end to spell (an option), or as it
    is (an argument's metavar such as VALUE)."""
    return (option, ()) if option.isupper() else ("{" + option + "}", (option,))


def _text(value: str, option: str, required: bool = False) -> str:
    said, options = _named(option)
    if "\x00" in value:
        raise InputError(f"{said} contains a NUL character", options=options)
    value = value.strip()
    if required and not value:
        raise InputError(f"{said} cannot be empty", options=options)
    return value


def _improvement(evaluation: model.Evaluation, ident: str, text: str) -> str:
    """The area for improvement: the text given, or the indicator's Nth area when a number is given."""
    text = _text(text, "improvement")
    if not text.isdigit():
        return text
    if not ident:
        raise InputError(
            "{improvement} NUMBER needs {qi}, whose areas for improvement it counts",
            options=("improvement", "qi"),
        )
    areas = evaluation.assessments.get(ident, model.Assessment(ident)).improvements
    number = int(text)
    if not 1 <= number <= len(areas):
        shown = "; ".join(f"{i}. {a}" for i, a in enumerate(areas, 1)) or "none recorded"
        raise InputError(f"{ident} has no area for improvement number {number} (areas: {shown})")
    return areas[number - 1]


def _date(value: str | None, option: str, required: bool = False) -> None:
    if not value and not required:
        return
    if model.parse_date(value or "") is None or len(value or "") != 10:
        said, options = _named(option)
        raise InputError(f"{said} {value!r} is not an ISO date (YYYY-MM-DD)", options=options)


def _status(value: str, allow_open: bool = False) -> None:
    choices = model.ACTION_STATUSES + (("open", "overdue") if allow_open else ())
    if value not in choices:
        raise InputError(f"status {value!r} is not one of: {', '.join(choices)}")


def _number(value: float | None, option: str) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        said, options = _named(option)
        raise InputError(f"{said} must be a finite number, not {value!r}", options=options)
    # Whole numbers are written without ".0" so the files read naturally.
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _fields(measure: MeasureInput) -> dict:
    return {f: getattr(measure, f) for f in MEASURE_FIELDS}


def _measure_record(measure: MeasureInput, today: str, fill_as_of: bool = True) -> dict:
    """Validated measure fields (only the ones given); a current value is dated today unless told."""
    values: dict[str, Any] = {}
    for key in ("baseline", "target", "current"):
        number = _number(getattr(measure, key), key)
        if number is not None:
            values[key] = number
    for key in ("name", "unit"):
        text = getattr(measure, key)
        if text is not None:
            values[key] = " ".join(text.split())
    if measure.target_date is not None:
        if not _is_month_or_day(measure.target_date):
            raise InputError(
                f"{{target_date}} {measure.target_date!r} is not an ISO date or month (YYYY-MM-DD or "
                "YYYY-MM)",
                options=("target_date",),
            )
        values["target_date"] = measure.target_date
    if measure.interval is not None:
        if measure.interval not in model.MEASURE_INTERVALS:
            raise InputError(
                f"{{interval}} {measure.interval!r} is not one of: {', '.join(model.MEASURE_INTERVALS)}",
                options=("interval",),
            )
        values["interval"] = measure.interval
    as_of = measure.as_of
    if as_of is not None:
        _date(as_of, "as_of", required=True)
        values["as_of"] = as_of
    elif fill_as_of and "current" in values:
        values["as_of"] = today
    return {k: values[k] for k in MEASURE_FIELDS if k in values}
