"""`qiframe export …`: documents made from an evaluation (the Excel evidence matrix here).

Other export commands attach themselves to `app`, e.g. `@app.command("statement")` in their own module.
"""

from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, warn_personal_data

app = typer.Typer(
    help="Write documents from the evaluation: the Excel evidence matrix and others.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="export")


@app.command()
def matrix(
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE.xlsx", help="The workbook to write."),
    include_personal: bool = typer.Option(
        False, "--include-personal", help="Include evidence items flagged as holding personal data."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Write the evidence matrix workbook: summary, evidence register, matrix, triangulation, actions."""
    from qiframe import checks, store
    from qiframe.exports.matrix import check_output, write_matrix

    check_output(output)  # before the slow part, so a wrong name fails at once
    ev = store.load(store.find_root(evaluation))
    report = checks.run(ev)
    warn_personal_data(ev, report)
    problems = [p for p in report.problems if p.severity != "info"]
    result = write_matrix(ev, output, include_personal=include_personal, problems=problems)
    left_out = f"; {result.left_out} with personal data left out" if result.left_out else ""
    done(
        f"Wrote {output}: {result.evidence} evidence items, {result.indicators} indicators, "
        f"{result.links} links, {result.actions} actions{left_out}."
    )


@app.command()
def moderation(
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="FILE.docx|FILE.html", help="The pack to write."
    ),
    qi: list[str] = typer.Option(
        None, "--qi", metavar="QI", help="Only this indicator or suite (repeatable)."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Write the moderation pack: per graded indicator, the proposals side by side with each evaluator's
    reasons, the evidence by source, the triangulation, the scale and a decision box."""
    from qiframe import store
    from qiframe.exports import moderation as pack

    ev = store.load(store.find_root(evaluation))
    warn_personal_data(ev)
    result = pack.export(ev, output, tuple(qi or ()))
    plural = "s" if result.indicators != 1 else ""
    done(f"Wrote {output}: {result.indicators} indicator{plural}, {result.proposals} proposals.")
