"""`qiframe external add|list` and `qiframe compare`: the inspection's grades and earlier evaluations."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, format_choices, show
from qiframe.render import compare as rendered

LIST_FORMAT = typer.Option("text", "--format", "-f", help="text for people, json for scripts.")

if TYPE_CHECKING:
    CompareFormat = str
    GradesFormat = str
    FindingsFormat = str
else:
    GradesFormat = format_choices("GradesFormat", rendered.GRADES)
    FindingsFormat = format_choices("FindingsFormat", rendered.FINDINGS)
    # The three comparisons render to the same formats; the registry says which.
    CompareFormat = format_choices("CompareFormat", rendered.EXTERNAL)

external_app = typer.Typer(
    help="Grades given by an inspection, to compare the self-evaluation with.", no_args_is_help=True
)


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
    done(
        f"{grade.indicator}: inspection grade {grade.grade}"
        + (" (replaced the earlier one)" if replaced else "")
    )


@external_app.command("list")
def external_list(evaluation: Path = EVALUATION_OPTION, fmt: GradesFormat = LIST_FORMAT) -> None:
    """List the inspection's grades."""
    from qiframe import store
    from qiframe.compare import external

    grades = external.grades(store.load(store.find_root(evaluation)))
    show(grades, fmt)
    if fmt != "json":
        done(f"{len(grades.rows)} inspection grade{'s' if len(grades.rows) != 1 else ''}")


finding_app = typer.Typer(
    help="What the inspection reported besides grades: strengths, areas for improvement, "
    "recommendations and key messages.",
    no_args_is_help=True,
)
external_app.add_typer(finding_app, name="finding")


@finding_app.command("add")
def finding_add(
    kind: str = typer.Option(..., "--kind", help="strength, improvement, recommendation or key-message."),
    qi: list[str] = typer.Option(
        None, "--qi", help="An indicator the finding is about (repeat for several)."
    ),
    text: str = typer.Option(..., "--text", help="What the inspection said."),
    source: str = typer.Option("", "--source", help="The inspection or report."),
    date: str = typer.Option("", "--date", help="ISO date of the report."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record one finding of the inspection and print its id."""
    from qiframe import store
    from qiframe.compare import findings

    found = findings.add(store.find_root(evaluation), kind, text, tuple(qi or ()), source, date)
    typer.echo(found.id)


@finding_app.command("list")
def finding_list(evaluation: Path = EVALUATION_OPTION, fmt: FindingsFormat = LIST_FORMAT) -> None:
    """List the inspection's findings."""
    from qiframe import store
    from qiframe.compare import findings

    listed = findings.listed(store.load(store.find_root(evaluation)))
    show(listed, fmt)
    if fmt != "json":
        done(f"{len(listed.findings)} finding{'s' if len(listed.findings) != 1 else ''}")


@finding_app.command("pair")
def finding_pair(
    finding_id: str = typer.Argument(..., metavar="FINDING", help="Finding id or a unique prefix of it."),
    qi: str = typer.Option(None, "--qi", help="The indicator whose points are numbered."),
    strength: list[int] = typer.Option(
        None,
        "--strength",
        metavar="N",
        help="Number of a strength of --qi that the finding matches (repeatable).",
    ),
    improvement: list[int] = typer.Option(
        None,
        "--improvement",
        metavar="N",
        help="Number of an area for improvement of --qi it matches (repeatable).",
    ),
    none: bool = typer.Option(False, "--none", help="Record that the self-evaluation named nothing like it."),
    auto: bool = typer.Option(False, "--auto", help="Forget the recorded pairing: match by indicator again."),
    keep: bool = typer.Option(
        False, "--add", help="Add to the points paired before instead of replacing them."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Confirm or correct which self-evaluation strengths or areas for improvement a finding matches."""
    from qiframe import store
    from qiframe.compare import findings

    f = findings.pair(
        store.find_root(evaluation),
        finding_id,
        qi or "",
        tuple(strength or ()),
        tuple(improvement or ()),
        none,
        auto,
        keep,
    )
    if f.pairs is None:
        done(f"{f.id}: matched by indicator again")
    else:
        done(
            f"{f.id}: paired with {len(f.pairs)} point{'s' if len(f.pairs) != 1 else ''} of the self-evaluation"
        )


def compare(
    external: bool = typer.Option(False, "--external", help="Compare the self grades with the inspection's."),
    others: list[Path] = typer.Option(
        None,
        "--with",
        metavar="OTHER_EVALUATION",
        help="An earlier evaluation folder to compare this one with; give it two or "
        "more times for grades over the years, in date order.",
    ),
    mapping: Path = typer.Option(
        None,
        "--map",
        metavar="FILE",
        help="YAML mapping of the earlier framework's ids to this one's (old: new).",
    ),
    fmt: CompareFormat = typer.Option("text", "--format", "-f", help="text, json or md."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE.xlsx",
        help="With two or more --with: also write the grades and a line chart to a workbook.",
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Compare the self-evaluation with the inspection (--external) or with earlier ones (--with).

    With one --with: what changed since that evaluation. With two or more: each indicator's grade in every
    evaluation, oldest first, brought across crosswalks where the framework edition changed.
    With --external: the grades side by side, and how the inspection's findings align with the
    self-evaluation's strengths and areas for improvement.
    """
    from qiframe import compare as core
    from qiframe import store
    from qiframe.errors import InputError

    others = list(others or [])
    if external == bool(others):
        raise InputError("give either --external or --with OTHER_EVALUATION")
    if mapping is not None and len(others) != 1:
        raise InputError("--map goes with one --with OTHER_EVALUATION")
    if output is not None and len(others) < 2:
        raise InputError("--output goes with two or more --with OTHER_EVALUATION (grades over the years)")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise InputError(f"--output {output} must be an .xlsx file")
    current = store.load(store.find_root(evaluation))
    if len(others) >= 2:
        _trend(current, others, output, fmt)
    elif external:
        show(core.compare_external(current), fmt)
    else:
        earlier = store.load(store.find_root(others[0]))
        pairs = core.load_mapping(mapping, earlier, current) if mapping is not None else None
        show(core.compare_years(earlier, current, pairs), fmt)


def _trend(current, others: list[Path], output: Path | None, fmt) -> None:
    """Grades over the years: the report, and the workbook with its chart when asked for."""
    from qiframe import store
    from qiframe.compare import trend

    series = trend.compare_trend([current] + [store.load(store.find_root(o)) for o in others])
    if output is not None:
        from qiframe.exports import trend_xlsx

        trend_xlsx.write(series, output)
    show(series, fmt)
    if output is not None:
        done(f"Wrote grades over {len(series.years)} evaluations and their chart to {output}")
