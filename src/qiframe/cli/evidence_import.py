"""`qiframe evidence import FILE`: bring evidence in from a spreadsheet (an edited export, or any register)."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, done, format_choices, show
from qiframe.render import imports as rendered

if TYPE_CHECKING:
    ImportFormat = str
else:
    ImportFormat = format_choices("ImportFormat", rendered.EVIDENCE)


def register(root: typer.Typer) -> None:
    from qiframe.cli.evidence import app as evidence_app

    evidence_app.command("import")(import_evidence)


def import_evidence(
    file: Path = typer.Argument(..., metavar="FILE", help="An .xlsx or .csv file with one header row."),
    sheet: str = typer.Option(
        None, "--sheet", help="Worksheet to read; default: Evidence if there is one, else the first."
    ),
    mapping: list[str] = typer.Option(
        None,
        "--map",
        metavar="COLUMN=field",
        help="Read COLUMN as a field (repeatable); COLUMN= leaves it out.",
    ),
    values: list[str] = typer.Option(
        None,
        "--value",
        metavar="[FIELD:]WORD=VALUE",
        help="Read a local word as a kind, source or voice (repeatable), e.g. --value Audit=case-file-audit.",
    ),
    values_file: Path = typer.Option(
        None,
        "--values",
        metavar="FILE",
        help="A YAML file of value mappings: kind: {Audit: case-file-audit}, source: {...}, voice: {...}.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows even when some are rejected."
    ),
    fmt: ImportFormat = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add and update evidence items from a spreadsheet (.xlsx or .csv).

    Each row is reported as new, changed, unchanged or rejected; if any row is rejected nothing is
    written, unless --skip-invalid. Formulas are never evaluated: a cell holding one rejects its row.
    Kinds and sources are read by id or label; dates as a day, a month or a year. Every value read by
    label, by mapping or as a date written another way is reported.
    """
    from qiframe import store
    from qiframe.imports import changes
    from qiframe.imports import evidence as importer

    root = store.find_root(evaluation)
    columns = importer.parse_map(mapping or [])
    words = importer.parse_values(values or [], values_file)
    plan = importer.plan_import(store.load(root), importer.read(file, sheet), columns, words)
    blocked = bool(plan.rejected) and not skip_invalid
    applied = None
    if not dry_run and not blocked:
        applied = importer.apply_import(root, plan, skip_invalid=skip_invalid)
    show(changes.EvidenceImported(plan, applied, dry_run), fmt)
    if blocked:
        raise importer.rejection(plan)
    if dry_run:
        done("Dry run: nothing written.")
