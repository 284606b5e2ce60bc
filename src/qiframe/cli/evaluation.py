"""`qiframe init`, `status`, `grade`, `note`, `assign` and `edit`."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.output import done, edit_again, format_choices, show
from qiframe.render import status as rendered

if TYPE_CHECKING:
    StatusFormat = str
else:
    StatusFormat = format_choices("StatusFormat", rendered.STATUS)

EVALUATION_OPTION = typer.Option(
    None,
    "--evaluation",
    "-e",
    metavar="DIR",
    help="The evaluation folder; default: the one containing the current folder.",
)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(status)
    app.command()(grade)
    app.command()(note)
    app.command()(assign)
    app.command()(edit)


def init(
    folder: Path = typer.Argument(..., metavar="DIR", help="Folder to create for the evaluation."),
    framework: str = typer.Option(
        None,
        "--framework",
        help="Framework id (see `qiframe frameworks list`); with --from, default: the "
        "earlier evaluation's (a newer edition is reached through a crosswalk).",
    ),
    programme: str = typer.Option(None, "--programme", help="Programme id, e.g. risk-of-harm-2021."),
    title: str = typer.Option("", "--title", help="Title of the evaluation."),
    organisation: str = typer.Option("", "--organisation", help="The partnership or establishment."),
    period: str = typer.Option(
        None,
        "--period",
        metavar="FROM:TO",
        help="Period evaluated as two ISO dates, e.g. 2025-04-01:2026-03-31.",
    ),
    start_from: Path = typer.Option(
        None,
        "--from",
        metavar="OLD_EVALUATION",
        help="Start from last year's evaluation: leads, open actions, in-date evidence "
        "and last year's grades (as context only) are carried.",
    ),
    evidence: str = typer.Option(
        "current",
        "--evidence",
        metavar="WHICH",
        help="With --from: evidence to carry: current (within the staleness window), all or none.",
    ),
) -> None:
    """Start an evaluation: a folder with evaluation.yaml and one assessment file per indicator."""
    from qiframe import store
    from qiframe.errors import InputError

    span = _period(period) if period else None
    if start_from is not None:
        from qiframe import rollforward

        if programme or organisation:
            raise InputError("--programme and --organisation come from the earlier evaluation with --from")
        result = rollforward.roll_forward(start_from, folder, framework or "", evidence, title, span)
        show(result, "text", err=True)  # what was carried and what was left behind
        return
    if framework is None:
        raise InputError("give --framework ID (or --from OLD_EVALUATION)")
    if evidence != "current":
        raise InputError("--evidence goes with --from OLD_EVALUATION")
    root = store.init(folder, framework, programme, title, organisation, span)
    count = len(list((root / "indicators").glob("*.yaml")))
    done(f"Created evaluation {root} with {count} indicator files.")


def _period(text: str) -> tuple[str, str]:
    from qiframe import periods

    if ":" not in text:
        raise typer.BadParameter("expected FROM:TO as ISO dates, FROM not after TO", param_hint="--period")
    start, end = periods.span(text, "--period", ("day",))
    return start, end or start


def status(
    evaluation: Path = EVALUATION_OPTION,
    fmt: StatusFormat = typer.Option("text", "--format", "-f", help="text for people, json for scripts."),
) -> None:
    """Per indicator: lead, grade, evidence count, sources present and state."""
    from qiframe import status as core
    from qiframe import store

    show(core.status(store.load(store.find_root(evaluation))), fmt)


def grade(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id, e.g. 2.1 or leadership."),
    level: str = typer.Argument(..., metavar="LEVEL", help="A value or label of the scale: 4 or good."),
    rationale: str = typer.Option(
        None,
        "--rationale",
        "-r",
        help="Why this grade (with --by: that evaluator's reasons, kept with the proposal).",
    ),
    by: str = typer.Option(None, "--by", metavar="NAME", help="Record NAME's proposed grade (moderation)."),
    strength: list[str] = typer.Option(
        None, "--strength", "-s", help="With --by: a strength that evaluator found (repeatable)."
    ),
    improvement: list[str] = typer.Option(
        None,
        "--improvement",
        "-i",
        help="With --by: an area for improvement that evaluator found (repeatable).",
    ),
    agreed: bool = typer.Option(False, "--agreed", help="Mark the grade as agreed after moderation."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record the grade of an indicator, or one evaluator's proposed grade and reasons with --by.

    An agreed grade is the group's settled judgement: changing it needs --agreed again (a new agreement,
    with its rationale), and without it the command refuses. An indicator that the programme grades as
    part of a suite (9.1-9.4 as leadership) is graded through the suite.
    """
    from qiframe import assessments, store

    root = store.find_root(evaluation)
    result = assessments.grade(
        root,
        indicator,
        level,
        rationale=rationale,
        by=by,
        agreed=agreed,
        strengths=tuple(strength or ()),
        improvements=tuple(improvement or ()),
    )
    done(result)


def note(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    strength: list[str] = typer.Option(None, "--strength", "-s", help="Add a strength (repeatable)."),
    improvement: list[str] = typer.Option(None, "--improvement", "-i", help="Add an area for improvement."),
    next_step: list[str] = typer.Option(None, "--next-step", "-n", help="Add a next step."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add strengths, areas for improvement and next steps to an indicator's assessment."""
    from qiframe import assessments, store

    if not (strength or improvement or next_step):
        raise typer.BadParameter("give at least one of --strength, --improvement, --next-step")
    root = store.find_root(evaluation)
    added = assessments.add_notes(root, indicator, strength or [], improvement or [], next_step or [])
    done(added)


def assign(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    lead: str = typer.Option(None, "--lead", help="Who leads the assessment."),
    contributor: list[str] = typer.Option(None, "--contributor", help="Add a contributor (repeatable)."),
    state: str = typer.Option(None, "--status", help="not-started, in-progress, draft or agreed."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Set the lead, contributors or status of an indicator's assessment."""
    from qiframe import assessments, store

    if lead is None and not contributor and state is None:
        raise typer.BadParameter("give --lead, --contributor or --status")
    root = store.find_root(evaluation)
    done(assessments.assign(root, indicator, lead, contributor or [], state))


def edit(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Open an indicator's assessment in $EDITOR; the result is validated before it is saved."""
    from qiframe import editor, store

    done(editor.edit_assessment(store.find_root(evaluation), indicator, again=edit_again))
