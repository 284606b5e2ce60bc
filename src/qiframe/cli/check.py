"""`qiframe check`: completeness and consistency rules, reported like a linter."""

import os
from enum import Enum
from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import emit_json


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
ANNOTATIONS = {"error": "error", "warning": "warning", "info": "notice"}


def register(app: typer.Typer) -> None:
    app.command()(check)


def check(
    evaluation: Path = EVALUATION_OPTION,
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f",
                                    help="text for people, json for scripts, github for workflow annotations."),
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
    if fmt is CheckFormat.json:
        emit_json(report.to_json())
    elif fmt is CheckFormat.github:
        _github(report)
    else:
        _text(report, ev)
    raise typer.Exit(1 if report.failed(strict) else 0)


def _where(report, problem) -> str:
    """path:line:col relative to the current folder, so terminals and editors can open it."""
    if not problem.path:
        return ""
    from qiframe.errors import display_path

    parts = [display_path(os.path.join(report.root, problem.path))]
    if problem.line is not None:
        parts += [str(problem.line), str(problem.column or 1)]
    return ":".join(parts) + ": "


def _heading(ev, indicator: str) -> str:
    if not indicator:
        return "Evidence and other files"
    found = ev.framework.indicators.get(indicator)
    suite = ev.programme.suite(indicator) if ev.programme else None
    return f"{indicator} {found.title if found else suite.title if suite else ''}".strip()


def _text(report, ev) -> None:
    from rich.console import Console
    from rich.markup import escape

    # One problem per line, never wrapped, so editors and scripts can read path:line:col.
    out = Console(highlight=False, soft_wrap=True)
    group = None
    for p in report.problems:
        if p.indicator != group or group is None:
            group = p.indicator
            out.print(f"[bold]{escape(_heading(ev, group))}[/]")
        colour = COLOURS[p.severity]
        out.print(f"  {escape(_where(report, p))}[{colour}]{p.severity}[/] [dim]{p.rule}[/] {escape(p.message)}")
    out.print(_summary(report))


def _summary(report) -> str:
    s = report.summary()
    if not report.problems:
        text = "No problems found"
    else:
        text = (f"{s['errors']} error{'s' * (s['errors'] != 1)}, {s['warnings']} warning"
                f"{'s' * (s['warnings'] != 1)}, {s['info']} info")
    return text + (f" ({s['suppressed']} suppressed)" if s["suppressed"] else "") + "."


def _github(report) -> None:
    for p in report.problems:
        props = []
        if p.path:
            props.append(f"file={_prop(os.path.relpath(os.path.join(report.root, p.path)))}")
            if p.line is not None:
                props += [f"line={p.line}", f"col={p.column or 1}"]
        props.append(f"title={_prop(p.rule)}")
        typer.echo(f"::{ANNOTATIONS[p.severity]} {','.join(props)}::{_data(p.message)}")
    typer.echo(_summary(report))


def _data(text: str) -> str:
    # Workflow commands end at a newline, and % starts an escape.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
