"""`qiframe frameworks list|show|validate`."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, format_choices
from qiframe.cli.output import show as show_result
from qiframe.render import frameworks as rendered

if TYPE_CHECKING:
    ListedFormat = str
    ShownFormat = str
else:
    ListedFormat = format_choices("ListedFormat", rendered.LISTED)
    ShownFormat = format_choices("ShownFormat", rendered.SHOWN)

FORMAT_HELP = "text for people, json for scripts."

app = typer.Typer(help="List, show and validate framework definitions.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="frameworks")


@app.command("list")
def list_(fmt: ListedFormat = typer.Option("text", "--format", "-f", help=FORMAT_HELP)) -> None:
    """List the frameworks found: bundled ones and those in the workspace's frameworks/ folder."""
    from qiframe import frameworks

    listed = frameworks.listing()
    for problem in listed.problems:
        typer.echo(f"warning: {problem} (left out)", err=True)
    show_result(listed, fmt)


@app.command()
def show(
    framework_id: str = typer.Argument(..., metavar="ID", help="Framework id, e.g. ci-care-protection-2019."),
    programme: str = typer.Option(
        None, "--programme", "-p", help="Mark the indicators this programme grades."
    ),
    owner: str = typer.Option(
        None,
        "--owner",
        metavar="INSPECTORATE",
        help='Only the indicators this inspectorate owns, e.g. "Care Inspectorate".',
    ),
    fmt: ShownFormat = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Show a framework as a tree of key questions, areas, indicators and themes.

    Every title not confirmed against a published source is marked with how far it can be trusted
    (assumed, paraphrased, unofficial); so are programme units, suites, the scale and the quantity terms.
    """
    from qiframe import frameworks

    show_result(frameworks.show(framework_id, programme, owner), fmt)


@app.command()
def confirm(
    framework_id: str = typer.Argument(..., metavar="ID", help="The evaluation's framework id."),
    item: str = typer.Argument(
        ...,
        metavar="ITEM",
        help="The title: 2.1, kq:A, area:5, theme:2.1/1, unit:S1, suite:leadership, scale or quantity-terms.",
    ),
    source: str = typer.Option(
        ..., "--source", help="Where the partnership's copy of the wording comes from."
    ),
    title: str = typer.Option(None, "--title", help="Replace qiframe's wording with the partnership's copy."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record in evaluation.yaml that the partnership checked a title against its own copy of the framework.

    With --title, the partnership's wording replaces qiframe's in every export. Either way the title no
    longer counts as unconfirmed wording (`qiframe check`, rule unconfirmed-wording).
    """
    from qiframe import store

    done(str(store.record_wording(store.find_root(evaluation), framework_id, item, source, title)))


@app.command()
def validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Framework YAML files to validate."),
) -> None:
    """Validate framework files: schema and meaning (unique ids, references, scale order, bands).

    Prints each problem as FILE:LINE:COL: message and exits 2 when there is any.
    """
    from qiframe import frameworks

    problems = [p for path in files for p in frameworks.validate_file(path)]
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(2)
    typer.echo(f"{len(files)} framework file{'s' if len(files) != 1 else ''} valid")
