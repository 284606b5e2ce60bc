"""`qiframe action add|list|show|update` (the improvement plan) and `qiframe export progress`."""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, format_choices, warn_personal_data
from qiframe.cli.output import show as show_result
from qiframe.render import actions as rendered
from qiframe.vocabulary import ACTION_STATUSES

if TYPE_CHECKING:
    ChosenFormat = str
    ActionFormat = str
else:
    ChosenFormat = format_choices("ChosenFormat", rendered.CHOSEN)
    ActionFormat = format_choices("ActionFormat", rendered.ACTION)

app = typer.Typer(
    help="The improvement plan: actions answering areas for improvement, and their progress.",
    no_args_is_help=True,
)

# Members come from the vocabulary at run time, which mypy cannot follow; hence the ignores.
Status = Enum("Status", {s: s for s in ACTION_STATUSES}, type=str)  # type: ignore[misc]
ListStatus = Enum("ListStatus", {s: s for s in (*ACTION_STATUSES, "open", "overdue")}, type=str)  # type: ignore[misc]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="action")
    from qiframe.cli import exports

    exports.app.command("progress")(export_progress)


MEASURE_NAME = typer.Option(None, "--measure", help="What the measure counts, e.g. 'Plans reviewed on time'.")
UNIT = typer.Option(None, "--unit", help="Unit of the measure, e.g. %.")
BASELINE = typer.Option(None, "--baseline", help="The measure's value at the start.")
TARGET = typer.Option(None, "--target", help="The value aimed for.")
CURRENT = typer.Option(None, "--current", help="The latest value.")
AS_OF = typer.Option(None, "--as-of", metavar="DATE", help="ISO date of the latest value (default: today).")
TARGET_DATE = typer.Option(
    None, "--target-date", metavar="DATE", help="When the target is to be reached (YYYY-MM-DD or YYYY-MM)."
)
INTERVAL = typer.Option(
    None,
    "--interval",
    metavar="EVERY",
    help="How often a value is due: weekly, monthly (default), quarterly, termly or yearly.",
)


@app.command()
def add(
    title: str = typer.Option(..., "--title", "-t", help="What we said we would do."),
    qi: str = typer.Option(None, "--qi", help="The indicator (or suite) the action answers."),
    improvement: str = typer.Option(
        "", "--improvement", "-i", help="The area for improvement it answers: text, or its number under --qi."
    ),
    owner: str = typer.Option("", "--owner", help="Who owns the action."),
    due: str = typer.Option("", "--due", metavar="DATE", help="ISO due date."),
    status: Status = typer.Option(Status["not-started"], "--status", help="Status."),
    measure: str = MEASURE_NAME,
    unit: str = UNIT,
    baseline: float = BASELINE,
    target: float = TARGET,
    current: float = CURRENT,
    as_of: str = AS_OF,
    target_date: str = TARGET_DATE,
    interval: str = INTERVAL,
    answers: str = typer.Option(
        "",
        "--answers",
        metavar="FINDING",
        help="The inspection's recommendation it answers (a finding id, e.g. F-…).",
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add an improvement action and print its id."""
    from qiframe import actions, store

    values = actions.MeasureInput(measure, unit, baseline, target, current, as_of, target_date, interval)
    action = actions.add(
        store.find_root(evaluation),
        title,
        qi or "",
        improvement,
        owner,
        due,
        status.value,
        values,
        answers=answers,
    )
    typer.echo(action.id)


@app.command("list")
def list_(
    qi: str = typer.Option(None, "--qi", help="Only actions answering this indicator."),
    status: ListStatus = typer.Option(
        None, "--status", help="Only this status, or open (not done or dropped), or overdue."
    ),
    fmt: ChosenFormat = typer.Option("text", "--format", "-f", help="text for people, json for scripts."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """List the improvement actions, by indicator and due date."""
    from qiframe import actions, store

    chosen = actions.choose(store.load(store.find_root(evaluation)), qi, status.value if status else None)
    show_result(chosen, fmt)


@app.command()
def show(
    action_id: str = typer.Argument(..., metavar="ID", help="Action id or a unique prefix of it."),
    fmt: ActionFormat = typer.Option("text", "--format", "-f", help="text for people, json for scripts."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Show one action with its measure and progress notes."""
    from qiframe import store

    ev = store.load(store.find_root(evaluation))
    show_result(store.resolve(ev.actions, action_id, "action"), fmt)


@app.command()
def update(
    action_id: str = typer.Argument(..., metavar="ID", help="Action id or a unique prefix of it."),
    status: Status = typer.Option(None, "--status", help="New status."),
    owner: str = typer.Option(None, "--owner", help="New owner."),
    due: str = typer.Option(None, "--due", metavar="DATE", help="New ISO due date."),
    title: str = typer.Option(None, "--title", "-t", help="New wording of the action."),
    measure: str = MEASURE_NAME,
    unit: str = UNIT,
    baseline: float = BASELINE,
    target: float = TARGET,
    current: float = CURRENT,
    as_of: str = AS_OF,
    target_date: str = TARGET_DATE,
    interval: str = INTERVAL,
    progress: str = typer.Option(None, "--progress", "-p", help="Append a note of what has been done."),
    date: str = typer.Option(
        None, "--date", metavar="DATE", help="Date of the progress note (default: today)."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Change an action's status, owner, due date or measure, and record progress."""
    from qiframe import actions, store

    values = actions.MeasureInput(measure, unit, baseline, target, current, as_of, target_date, interval)
    if (
        status is None
        and owner is None
        and due is None
        and title is None
        and progress is None
        and not values.given()
    ):
        raise typer.BadParameter(
            "give something to change: --status, --owner, --due, --current, --progress, …"
        )
    action = actions.update(
        store.find_root(evaluation),
        action_id,
        status.value if status else None,
        owner,
        due,
        title,
        values,
        progress,
        date,
    )
    brief = actions.measure_brief(action.measure)
    done(
        f"{action.id}: {action.status}"
        + (f", {brief}" if brief else "")
        + f", {len(action.progress)} progress note{'s' if len(action.progress) != 1 else ''}"
    )


@app.command("measure")
def measure_value(
    action_id: str = typer.Argument(..., metavar="ID", help="Action id or a unique prefix of it."),
    value: float = typer.Argument(..., metavar="VALUE", help="The measure's value."),
    date: str = typer.Option(
        None,
        "--date",
        metavar="DATE",
        help="The date or month the value is for: YYYY-MM-DD or YYYY-MM (default: today).",
    ),
    note: str = typer.Option("", "--note", help="What the value needs to be read with."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record a dated value of an action's measure (a value of the same date is replaced)."""
    from qiframe import actions, store

    action = actions.record_value(store.find_root(evaluation), action_id, value, date or "", note)
    count = len(action.measure.values) if action.measure else 0
    latest = action.measure.as_of if action.measure else ""
    done(f"{action.id}: {count} value{'s' if count != 1 else ''}, latest {latest}")


def export_progress(
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="FILE", help="The report to write: .docx, .xlsx or .md."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """The improvement plan's progress: what we said we would do and what we have done, by indicator."""
    from qiframe import exports, store

    ev = store.load(store.find_root(evaluation))
    warn_personal_data(ev)
    written = exports.write_progress(ev, output)
    done(f"Wrote {written.count} action{'s' if written.count != 1 else ''} to {output}")
