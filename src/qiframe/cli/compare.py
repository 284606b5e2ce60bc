"""`qiframe external add|list` and `qiframe compare`: the inspection's grades and earlier evaluations."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, Format, ReportFormat, done, emit_json

external_app = typer.Typer(help="Grades given by an inspection, to compare the self-evaluation with.",
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(external_app, name="external")
    app.command("compare")(compare)


@external_app.command("add")
def external_add(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id, e.g. 2.1 or leadership."),
    level: str = typer.Argument(..., metavar="LEVEL", help="A value or label of the scale: 4 or good."),
    source: str = typer.Option("", "--source", help="The inspection or report that gave the grade."),
    date: str = typer.Option("", "--date", help="ISO date of the grade (e.g. the report's publication)."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record the inspection's grade of an indicator or suite (replacing any earlier one)."""
    from qiframe import store
    from qiframe.compare import external

    grade, replaced = external.add(store.find_root(evaluation), indicator, level, source, date)
    done(f"{grade.indicator}: inspection grade {grade.grade}" + (" (replaced the earlier one)" if replaced else ""))


@external_app.command("list")
def external_list(evaluation: Path = EVALUATION_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the inspection's grades."""
    from qiframe import store
    from qiframe.compare import external

    rows = external.listing(store.load(store.find_root(evaluation)))
    if fmt is Format.json:
        emit_json({"external": rows})
        return
    for r in rows:
        extra = "; ".join(x for x in (r["source"], r["date"]) if x)
        typer.echo(f"{r['indicator']}  {r['grade']} {r['label'] or ''}  {r['title']}" + (f"  ({extra})" if extra else ""))
    done(f"{len(rows)} inspection grade{'s' if len(rows) != 1 else ''}")


def compare(
    external: bool = typer.Option(False, "--external", help="Compare the self grades with the inspection's."),
    other: Path = typer.Option(None, "--with", metavar="OTHER_EVALUATION",
                               help="An earlier evaluation folder to compare this one with."),
    mapping: Path = typer.Option(None, "--map", metavar="FILE",
                                 help="YAML mapping of the earlier framework's ids to this one's (old: new)."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="text, json or md."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Compare the self-evaluation with the inspection (--external) or with an earlier one (--with)."""
    from qiframe import compare as core
    from qiframe import store
    from qiframe.compare import render as compare_render
    from qiframe.errors import InputError

    if external == (other is not None):
        raise InputError("give either --external or --with OTHER_EVALUATION")
    if mapping is not None and other is None:
        raise InputError("--map goes with --with OTHER_EVALUATION")
    current = store.load(store.find_root(evaluation))
    # An ExternalComparison or a YearComparison, each rendered by its own pair of functions.
    result: Any
    text: Callable[[Any], str]
    md: Callable[[Any], str]
    if external:
        result = core.compare_external(current)
        text, md = compare_render.external_text, compare_render.external_markdown
    else:
        earlier = store.load(store.find_root(other))
        pairs = core.load_mapping(mapping, earlier, current) if mapping is not None else None
        result = core.compare_years(earlier, current, pairs)
        text, md = compare_render.years_text, compare_render.years_markdown
    if fmt is ReportFormat.json:
        emit_json(result.to_json())
    else:
        sys.stdout.write((md if fmt is ReportFormat.md else text)(result))
