"""`qiframe evidence import FILE`: bring evidence in from a spreadsheet (an edited export, or any register)."""

from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, Format, console, done, emit_json

# Text output lists every row that does something; unchanged rows are only counted.
SHOWN_CHANGES = 3


def register(root: typer.Typer) -> None:
    from qiframe.cli.evidence import app as evidence_app

    evidence_app.command("import")(import_evidence)


def import_evidence(
    file: Path = typer.Argument(..., metavar="FILE", help="An .xlsx or .csv file with one header row."),
    sheet: str = typer.Option(None, "--sheet", help="Worksheet to read; default: Evidence if there is one, "
                              "else the first."),
    mapping: list[str] = typer.Option(None, "--map", metavar="COLUMN=field",
                                      help="Read COLUMN as a field (repeatable); COLUMN= leaves it out."),
    values: list[str] = typer.Option(None, "--value", metavar="[FIELD:]WORD=VALUE",
                                     help="Read a local word as a kind, source or voice (repeatable), e.g. "
                                     "--value Audit=case-file-audit."),
    values_file: Path = typer.Option(None, "--values", metavar="FILE",
                                     help="A YAML file of value mappings: kind: {Audit: case-file-audit}, "
                                     "source: {...}, voice: {...}."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid",
                                      help="Import the valid rows even when some are rejected."),
    fmt: Format = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add and update evidence items from a spreadsheet (.xlsx or .csv).

    Each row is reported as new, changed, unchanged or rejected; if any row is rejected nothing is
    written, unless --skip-invalid. Formulas are never evaluated: a cell holding one rejects its row.
    Kinds and sources are read by id or label; dates as a day, a month or a year. Every value read by
    label, by mapping or as a date written another way is reported.
    """
    from qiframe import store
    from qiframe.imports import evidence as importer

    root = store.find_root(evaluation)
    columns = importer.parse_map(mapping or [])
    words = importer.parse_values(values or [], values_file)
    plan = importer.plan_import(store.load(root), importer.read(file, sheet), columns, words)
    blocked = bool(plan.rejected) and not skip_invalid
    applied = None
    if not dry_run and not blocked:
        applied = importer.apply_import(root, plan, skip_invalid=skip_invalid)
    if fmt is Format.json:
        emit_json({**plan.to_json(), "written": applied is not None,
                   "created": [{"row": row, "id": ident} for row, ident in (applied.created if applied else ())]})
    else:
        _render(plan, applied)
    if blocked:
        raise importer.rejection(plan)
    if dry_run:
        done("Dry run: nothing written.")


def _render(plan, applied) -> None:
    out = console()
    new_ids = dict(applied.created) if applied else {}
    from qiframe.imports.evidence import HEADERS

    where = f"{plan.path}" + (f" (sheet {plan.sheet})" if plan.sheet else "")
    if plan.columns == {header: name for name, header in HEADERS.items()}:
        out.print(f"{where}: an Evidence sheet as qiframe exports it", markup=False)
    else:
        out.print(f"{where}: columns {', '.join(f'{h} → {f}' for h, f in plan.columns.items())}", markup=False)
    if plan.ignored:
        out.print(f"ignored columns: {', '.join(plan.ignored)}", markup=False)
    for m in plan.mapped:
        rows = ", ".join(map(str, m.rows[:5])) + (f" and {len(m.rows) - 5} more" if len(m.rows) > 5 else "")
        text = f"{m.text!r} → " if m.text else ""
        out.print(f"{m.field}: {text}{m.value} ({m.how}; row{'s' if len(m.rows) > 1 else ''} {rows})",
                  markup=False, highlight=False)
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        if row.action == "rejected":
            line = f"row {row.row}: rejected: {row.reason}"
        elif row.action == "new":
            ident = new_ids.get(row.row, "")
            line = f"row {row.row}: new {ident}".rstrip() + f": {row.item.title}"
        else:
            fields = list(row.changes)
            more = f" and {len(fields) - SHOWN_CHANGES} more" if len(fields) > SHOWN_CHANGES else ""
            line = f"row {row.row}: changed {row.id}: {', '.join(fields[:SHOWN_CHANGES])}{more}"
        out.print(line, markup=False, highlight=False)
    counts = plan.summary()
    out.print(", ".join(f"{counts[a]} {a}" for a in ("new", "changed", "unchanged", "rejected")))
