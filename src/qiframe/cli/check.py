"""`qiframe check`: completeness and consistency rules, reported like a linter."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe import render
from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import format_choices, show

if TYPE_CHECKING:
    CheckFormat = str
else:
    CheckFormat = format_choices("CheckFormat", render.check.REPORT)


def register(app: typer.Typer) -> None:
    app.command()(check)


def check(
    evaluation: Path = EVALUATION_OPTION,
    fmt: CheckFormat = typer.Option(
        "text", "--format", "-f", help="text for people, json for scripts, github for workflow annotations."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings as well as errors."),
    rules: list[str] = typer.Option(None, "--rule", metavar="ID", help="Run only this rule (repeatable)."),
) -> None:
    """Check the evaluation for missing and inconsistent information (rules: docs/checks.md).

    Exits 0 when nothing fails, 1 on errors (or on warnings with --strict), 2 on unreadable input.
    """
    from qiframe import checks, store

    root = store.find_root(evaluation)
    ev = store.load(root)
    report = checks.run(ev, only=rules or ())
    show(report, fmt, soft_wrap=True)  # one problem per line, never wrapped
    raise typer.Exit(1 if report.failed(strict) else 0)
