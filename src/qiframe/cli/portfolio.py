"""`qiframe aggregate` and `qiframe export dataset`: many evaluations at once."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.output import done, format_choices, show
from qiframe.render import portfolio as rendered

if TYPE_CHECKING:
    AggregateFormat = str
else:
    AggregateFormat = format_choices("AggregateFormat", rendered.AGGREGATE)


def register(app: typer.Typer) -> None:
    from qiframe.cli.exports import app as export_app

    app.command("aggregate")(aggregate)
    export_app.command("dataset")(dataset)


def aggregate(
    folders: list[Path] = typer.Argument(
        ..., metavar="DIR...", help="Evaluation folders, or folders holding them (two levels down)."
    ),
    framework: str = typer.Option(
        None, "--framework", metavar="ID", help="Only evaluations on this framework."
    ),
    crosswalk: list[Path] = typer.Option(
        None,
        "--crosswalk",
        metavar="FILE",
        help="Fold one framework's indicators into another's (YAML: from, to, indicators; repeatable).",
    ),
    fmt: AggregateFormat = typer.Option("text", "--format", "-f", help="text, json or md."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE.xlsx",
        help="Also write a workbook: heat map, a sheet per indicator, outliers.",
    ),
) -> None:
    """Grades across many evaluations: distributions per indicator, the grid, alignment with inspections,
    grades that stand out, and coverage."""
    from qiframe.portfolio import aggregate as core

    if output is not None:
        from qiframe.exports.aggregate_xlsx import check_output

        check_output(output)
    walks = [core.load_crosswalk(p) for p in crosswalk or ()]
    result = core.aggregate(folders, framework=framework, crosswalks=walks)
    show(result, fmt)
    if output is not None:
        from qiframe.exports.aggregate_xlsx import write

        write(result, output)
        done(f"Wrote {output}")


def dataset(
    folders: list[Path] = typer.Argument(
        ..., metavar="DIR...", help="Evaluation folders, or folders holding them (two levels down)."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="DIR", help="Folder to write the tables into."
    ),
    fmt: str = typer.Option(
        "parquet",
        "--format",
        "-f",
        metavar="parquet|csv",
        help="parquet (needs pyarrow: pip install 'qiframe[dataset]') or csv.",
    ),
) -> None:
    """Write evaluations as tidy tables (one row per fact) for DuckDB, pandas, Power BI or Spark;
    docs/dataset.md describes every column."""
    from qiframe.exports import dataset as writer
    from qiframe.portfolio import dataset as core

    tables = core.tables(folders)
    written = writer.write(tables, output, fmt)
    rows = ", ".join(f"{t.name} {t.rows}" for t in written)
    done(f"Wrote {len(written)} tables to {output}: {rows}")
