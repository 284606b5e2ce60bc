"""`qiframe export assessments`, `qiframe import assessments|grid` and `qiframe statement import`.

Round trips for colleagues who work in Excel and Word: forms for evaluators, grids from an existing
self-evaluation, and the position statement edited in Word.
"""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, done, format_choices, show
from qiframe.render import imports as rendered

if TYPE_CHECKING:
    ImportFormat = str
else:
    # The three reports render to the same formats; the registry says which.
    ImportFormat = format_choices("ImportFormat", rendered.ASSESSMENTS)

app = typer.Typer(
    help="Bring work done in Excel and Word back in: assessment workbooks and grids.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    from qiframe.cli import exports, statement

    root.add_typer(app, name="import")
    exports.app.command("assessments")(export_assessments)
    statement.app.command("import")(import_statement)


def export_assessments(
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE.xlsx", help="The workbook to write."),
    qi: list[str] = typer.Option(
        None,
        "--qi",
        metavar="QI",
        help="An indicator (or suite) to include (repeatable); default: every graded one.",
    ),
    evaluator: str = typer.Option(
        "",
        "--for",
        metavar="NAME",
        help='The evaluator or pair it is for, e.g. "Pair A"; default: anyone '
        "(the cover sheet asks for a name).",
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Write an assessment workbook: one form per indicator to propose a grade, with reasons and notes."""
    from qiframe import store
    from qiframe.exports.assessments import check_output, write_assessments

    check_output(output)
    ev = store.load(store.find_root(evaluation))
    result = write_assessments(ev, output, tuple(qi or ()), evaluator)
    who = f" for {result.evaluator}" if result.evaluator else ""
    agreed = f"; {len(result.agreed)} already agreed (locked)" if result.agreed else ""
    left = f"; {result.left_out} evidence listing(s) with personal data left out" if result.left_out else ""
    done(f"Wrote {output}{who}: {len(result.indicators)} indicator form(s){agreed}{left}.")


@app.command("assessments")
def import_assessments(
    file: Path = typer.Argument(
        ..., metavar="FILE.xlsx", help="A workbook made by `qiframe export assessments`."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the other sheets even when some are refused for their content."
    ),
    fmt: ImportFormat = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record an evaluator's workbook: proposals under their name, with reasons; new notes added.

    Each sheet is reported as changed, unchanged, blank, conflict or refused. An agreed assessment is never
    changed, and an indicator that changed since the workbook was made is left alone (a conflict). A
    sheet refused for its content (not a level of the scale, a formula) stops the import unless
    --skip-invalid. All changes are written together or not at all.
    """
    from qiframe import store
    from qiframe.imports import assessments as importer
    from qiframe.imports import changes

    root = store.find_root(evaluation)
    ev = store.load(root)
    plan = importer.plan_import(ev, file)
    blocked = bool(plan.invalid) and not skip_invalid
    written: tuple[str, ...] | None = None
    if not dry_run and not blocked:
        written = importer.apply_import(root, plan, ev, skip_invalid=skip_invalid)
    show(changes.AssessmentsImported(plan, written, dry_run), fmt, soft_wrap=True)
    if blocked:
        raise importer.rejection(plan)
    if dry_run:
        done("Dry run: nothing written.")


def import_statement(
    file: Path = typer.Argument(
        ..., metavar="FILE.docx", help="A statement exported by qiframe and edited in Word."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show each changed answer as a diff, with word counts; write nothing."
    ),
    fmt: ImportFormat = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Read a position statement edited in Word back into the section files.

    Answers are found under the headings the export wrote (the unit, then each question); citations such
    as [E3] become evidence ids again. A document with unresolved tracked changes is refused; comments are
    listed. Every changed answer is written together, or none.
    """
    from qiframe import store
    from qiframe.imports import changes
    from qiframe.imports import statement_docx as importer

    root = store.find_root(evaluation)
    ev = store.load(root)
    plan = importer.plan_import(ev, file)
    written = None if dry_run else importer.apply_import(root, plan, ev)
    show(changes.StatementImported(plan, written, dry_run), fmt, soft_wrap=True)
    if dry_run:
        done("Dry run: nothing written.")


@app.command("grid")
def import_grid(
    file: Path = typer.Argument(..., metavar="FILE", help="An .xlsx or .csv grid: one row per indicator."),
    sheet: str = typer.Option(None, "--sheet", help="Worksheet to read; default: the first."),
    mapping: list[str] = typer.Option(
        None,
        "--map",
        metavar="COLUMN=field",
        help="Read COLUMN as a field: indicator, title, grade, rationale, strengths, "
        "improvements, next_steps or lead (repeatable); COLUMN= leaves it out.",
    ),
    grade_map: list[str] = typer.Option(
        None,
        "--grade",
        metavar="TEXT=LEVEL",
        help="Read a grade written as TEXT as LEVEL, e.g. --grade Green=Good (repeatable).",
    ),
    by: str = typer.Option(
        "",
        "--by",
        metavar="NAME",
        help="Record the grades as NAME's proposals instead of the assessments' grades.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows even when some are refused."
    ),
    fmt: ImportFormat = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Start from an existing self-evaluation grid: grades, notes and leads, one row per indicator.

    Columns are matched by their headers (or --map); grades by the scale's labels or values (or
    --grade). Values are set only where the assessment has none: a row that disagrees with what is
    recorded, or whose indicator is agreed, is a conflict and left alone. Notes not yet recorded are added.
    """
    from qiframe import store
    from qiframe.imports import changes
    from qiframe.imports import grid as importer

    root = store.find_root(evaluation)
    ev = store.load(root)
    columns = importer.parse_pairs(mapping, "--map", "COLUMN=field, e.g. --map 'QI ref=indicator'")
    grades = importer.parse_pairs(grade_map, "--grade", "TEXT=LEVEL, e.g. --grade Green=Good")
    plan = importer.plan_import(ev, file, sheet, columns, grades, by)
    blocked = bool(plan.invalid) and not skip_invalid
    written = None
    if not dry_run and not blocked:
        written = importer.apply_import(root, plan, ev, skip_invalid=skip_invalid)
    show(changes.GridImported(plan, written, dry_run), fmt, soft_wrap=True)
    if blocked:
        raise importer.rejection(plan)
    if dry_run:
        done("Dry run: nothing written.")
