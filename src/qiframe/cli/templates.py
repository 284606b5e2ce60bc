"""`qiframe template evidence-return|record-reading|survey`: workbooks to fill in and read back."""

from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done

app = typer.Typer(
    help="Write a workbook to fill in: an evidence return, a record-reading sheet or a survey sheet.",
    no_args_is_help=True,
)

OUTPUT = typer.Option(..., "--output", "-o", metavar="FILE.xlsx", help="The workbook to write.")
FRAMEWORK = typer.Option(
    None,
    "--framework",
    metavar="ID",
    help="Framework whose scale, indicators and voice "
    "groups to use; default: the evaluation's, else ci-care-protection-2019.",
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="template")


@app.command("evidence-return")
def evidence_return(
    output: Path = OUTPUT,
    agency: str = typer.Option("", "--agency", metavar="NAME", help="The agency that will fill it in."),
    framework: str = FRAMEWORK,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """An Evidence sheet with the framework's drop-downs, for an agency to fill in; read it with evidence import."""
    from qiframe.exports import templates

    fw, agencies = _context(framework, evaluation)
    written = templates.evidence_return(fw, templates.output_path(output), agency.strip(), agencies)
    _done(written, "qiframe evidence import FILE")


@app.command("record-reading")
def record_reading(
    output: Path = OUTPUT,
    qi: list[str] = typer.Option(
        None, "--qi", metavar="QI", help="Add an overall evaluation item for this indicator (repeatable)."
    ),
    item: list[str] = typer.Option(
        None,
        "--item",
        metavar="TEXT=TYPE",
        help="A reading item and its type "
        "(repeatable); replaces the default items. Types: scale, effectiveness, "
        "yes-no, present-absent, agree, frequency, number, text.",
    ),
    framework: str = FRAMEWORK,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """A record-reading sheet, an item per column with its type; read it with records summarise."""
    from qiframe.exports import templates

    fw, _ = _context(framework, evaluation)
    columns = templates.parse_columns(item or [], "--item")
    written = templates.record_reading(fw, templates.output_path(output), tuple(qi or ()), columns)
    _done(
        written,
        "qiframe records summarise FILE --by Agency (records read twice: qiframe records agreement FILE)",
    )


@app.command("survey")
def survey(
    output: Path = OUTPUT,
    question: list[str] = typer.Option(
        None,
        "--question",
        metavar="TEXT=TYPE",
        help="A question and its type (repeatable); replaces the default questions.",
    ),
    framework: str = FRAMEWORK,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """A survey sheet, a question per column with a type row; read it with survey summarise."""
    from qiframe.exports import templates

    fw, _ = _context(framework, evaluation)
    columns = templates.parse_columns(question or [], "--question")
    written = templates.survey(fw, templates.output_path(output), columns)
    _done(written, "qiframe survey summarise FILE --by Group")


def _context(framework: str | None, evaluation: Path | None):
    """The framework (named, the evaluation's, or the default) and the evaluation's agencies."""
    from qiframe import frameworks, store
    from qiframe.cli.analysis import DEFAULT_FRAMEWORK
    from qiframe.errors import InputError

    try:
        root = store.find_root(evaluation)
    except InputError:
        if evaluation is not None:
            raise
        return frameworks.load(framework or DEFAULT_FRAMEWORK), ()
    ev = store.load(root)
    return (frameworks.load(framework, start=root) if framework else ev.framework), ev.metadata.agencies


def _done(written, command: str) -> None:
    done(
        f"Wrote {written.path} (sheet {written.sheet}, {len(written.columns)} columns); read it back with "
        f"{command}."
    )
