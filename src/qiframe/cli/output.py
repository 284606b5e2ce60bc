"""What the command modules share to print: the consoles, `--format` choices from the rendering layer's
registry, and `show`, which prints a rendered result."""

import sys
from enum import Enum
from typing import Any

import typer


def format_choices(name: str, kind: str) -> Any:
    """An Enum of the formats the rendering layer has for result type `kind`, for a `--format` option:
    the choices come from the registry. (Type checkers see `str`: declare the class under TYPE_CHECKING.)"""
    from qiframe import render

    return Enum(name, {fmt: fmt for fmt in render.formats(kind)}, type=str)


FORMAT_OPTION = typer.Option("text", "--format", "-f", help="text for people, json for scripts.")
"""A `--format` option; its choices are the annotation's (`format_choices`), its default text."""


def _safe_console_class():
    """rich's Console, with every string it renders (markup, table cells, tree labels) passed through
    `safetext.terminal_safe` first: text from files cannot send escape sequences to the terminal."""
    from rich.console import Console

    from qiframe.safetext import terminal_safe

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs):
            return super().render_str(terminal_safe(text), **kwargs)

    return SafeConsole


def console():
    return _safe_console_class()(highlight=False, soft_wrap=False)


def err_console():
    return _safe_console_class()(stderr=True, highlight=False)


def echo(text: str, err: bool = False) -> None:
    """One line of plain text (an id, a path), made safe for the terminal."""
    from qiframe.safetext import terminal_safe

    typer.echo(terminal_safe(text), err=err)


def show(result: Any, fmt: Any, err: bool = False, soft_wrap: bool = False) -> None:
    """Print `result` rendered by the rendering layer in `fmt`: console markup through the console,
    everything else as it is."""
    from qiframe.render import Grid, Markup, render

    text = render(result, fmt)
    if isinstance(text, Markup):
        out = err_console() if err else console()
        out.soft_wrap = soft_wrap
        if isinstance(text, Grid):
            for part in text.parts:
                out.print(
                    part
                    if isinstance(part, str)
                    else _tree(part)
                    if hasattr(part, "children")
                    else _table(part)
                )
        else:
            out.print(text, end="")
    else:
        if getattr(fmt, "value", fmt) == "text":  # text from files, shown to people: made terminal-safe
            from qiframe.safetext import terminal_safe

            text = terminal_safe(text)
        (sys.stderr if err else sys.stdout).write(text)


def _tree(spec, into=None):
    """A rich Tree drawn as the rendering layer's `Tree` describes it."""
    from rich.tree import Tree

    node = Tree(spec.label) if into is None else into.add(spec.label)
    for child in spec.children:
        _tree(child, node)
    return node


def _table(spec):
    """A rich Table laid out as the rendering layer's `Table` describes it."""
    from rich.table import Table

    table = Table(**dict(spec.layout))
    for column in spec.columns:
        table.add_column(column.header, **dict(column.layout))
    for row in spec.rows:
        table.add_row(*row)
    return table


def edit_again(problem) -> bool:
    """Asked when an edit is invalid: at a terminal, whether to edit it again (yes unless the user says no);
    elsewhere never, so a script's edit fails at once."""
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(f"{problem}\nEdit again? [Y/n] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("", "y", "yes")


def done(message: str) -> None:
    """A one-line confirmation on stderr, so stdout stays clean for pipes."""
    err_console().print(message)


def warn_personal_data(evaluation, report=None) -> int:
    """Flag likely personal identifiers before a document leaves the evaluation; returns how many.

    `report` is a run of every check the caller has made already, which holds these findings too."""
    from qiframe import checks

    if report is None:
        report = checks.run(evaluation, only=["personal-data"])
    found = [p for p in report.problems if p.rule == "personal-data"]
    out = err_console()
    for problem in found:
        where = ":".join(str(x) for x in (problem.path, problem.line, problem.column) if x)
        out.print(f"warning: {where}: {problem.message}", markup=False)
    if found:
        out.print(
            f"warning: {len(found)} likely personal identifier(s) in text this export contains; remove "
            "them, or suppress each with a reason in evaluation.yaml (see `qiframe check`).",
            markup=False,
        )
    return len(found)
