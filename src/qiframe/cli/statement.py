"""`qiframe statement draft|edit|show` and `qiframe export statement`."""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import (
    done,
    err_console,
    format_choices,
    warn_personal_data,
)
from qiframe.cli.output import show as show_result
from qiframe.render import statement as rendered

if TYPE_CHECKING:
    ReviewFormat = str
else:
    ReviewFormat = format_choices("ReviewFormat", rendered.REVIEW)

app = typer.Typer(help="The position statement: draft, edit and review its sections.", no_args_is_help=True)


class By(str, Enum):
    """How the exported statement is organised."""

    units = "units"
    indicators = "indicators"


def register(root_app: typer.Typer) -> None:
    root_app.add_typer(app, name="statement")
    from qiframe.cli import exports

    exports.app.command("statement")(export_statement)


@app.command()
def draft(
    unit: str = typer.Argument(None, metavar="[UNIT]", help="One unit, e.g. S1; default: every unit."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Write first drafts of empty answers from the assessments; text already written is never replaced."""
    from rich.markup import escape

    from qiframe import store
    from qiframe.statement import drafting as statement_drafting

    for r in statement_drafting.draft_sections(store.find_root(evaluation), unit):
        said = []
        if r.drafted:
            said.append(f"drafted {', '.join(r.drafted)}")
        if r.kept:
            said.append(f"kept {', '.join(r.kept)} (already written)")
        if r.nothing:
            said.append(f"nothing in the assessments yet for {', '.join(r.nothing)}")
        state = "new file" if r.created else ("updated" if r.changed else "unchanged")
        done(escape(f"{r.path}: {'; '.join(said)} [{state}]"))


@app.command()
def edit(
    unit: str = typer.Argument(..., metavar="UNIT", help="The unit, e.g. S1."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Open a unit's section in $EDITOR; the result is validated before it is saved."""
    from rich.markup import escape

    from qiframe import store
    from qiframe.cli.output import edit_again
    from qiframe.statement import editing as statement_editing

    for line in statement_editing.edit_section(
        store.load(store.find_root(evaluation)), unit, again=edit_again
    ):
        done(escape(line))


@app.command()
def show(
    unit: str = typer.Argument(None, metavar="[UNIT]", help="Show one unit's text as well as its counts."),
    evaluation: Path = EVALUATION_OPTION,
    fmt: ReviewFormat = typer.Option("text", "--format", "-f", help="text for people, json for scripts."),
) -> None:
    """Word counts of each section against its share of the limit, and the questions not yet answered."""
    from qiframe import statement, store

    show_result(statement.review(store.load(store.find_root(evaluation)), unit), fmt)


def export_statement(
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="FILE",
        help="FILE.docx, FILE.md or FILE.html: the suffix picks the format.",
    ),
    by: By = typer.Option(
        By.units,
        "--by",
        help="units: the programme's inspection statements (the "
        "position statement); indicators: grade, strengths, areas, rationale and evidence.",
    ),
    grades: bool = typer.Option(
        True, "--grades/--no-grades", help="Include the table of self-evaluated grades."
    ),
    template: Path = typer.Option(
        None,
        "--template",
        metavar="FILE.docx|FILE.dotx",
        help="A Word document or template whose styles, headers and footers to use.",
    ),
    final: bool = typer.Option(
        False,
        "--final",
        help="The submission: the evaluation's date, no word-count "
        "aids; refuses drafts, unanswered questions and DRAFT text; fixes the evidence "
        "numbers in evaluation.yaml.",
    ),
    allow: list[str] = typer.Option(
        None,
        "--allow",
        metavar="KIND",
        help="With --final, export despite problems of this kind: draft, "
        "machine-text, unanswered or wording (repeatable).",
    ),
    evidence_pack: bool = typer.Option(
        False,
        "--evidence-pack",
        help="List the appendix as the evidence "
        "pack's file names (E07 – Title.pdf), without internal locations.",
    ),
    internal_locations: bool = typer.Option(
        False,
        "--internal-locations",
        help="Keep locations only the partnership can open (intranet, shares) in a final or pack export.",
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Write the position statement to Word, Markdown or HTML, with an evidence appendix and word counts."""
    from rich.markup import escape

    from qiframe import exports, store

    ev = store.load(store.find_root(evaluation))
    warn_personal_data(ev)
    doc = exports.write_statement(
        ev,
        output,
        by.value,
        grades,
        template,
        final=final,
        allow=tuple(allow or ()),
        pack=evidence_pack,
        internal_locations=internal_locations,
    )
    if not doc.final:
        show_result(doc, "text")  # the word counts
    warn = err_console()
    for message in doc.warnings:
        warn.print(f"warning: {message}", markup=False)
    done(escape(f"Wrote {output} ({len(doc.sections)} sections, {len(doc.appendix)} evidence items cited)."))
