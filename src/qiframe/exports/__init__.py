"""Documents qiframe writes from an evaluation: the Excel evidence matrix, the position statement, reports.

Each document has one model built by the domain (`qiframe.statement.build_statement`, `progress.build`)
and one renderer per format (`statement_md`, `statement_html`, `statement_docx`; `progress_md`,
`progress_xlsx`, `progress_docx`). The functions here pick the renderer from the output file's suffix, so
the renderers depend on the models and nothing depends back on a renderer.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from qiframe.errors import InputError

if TYPE_CHECKING:
    from qiframe import model
    from qiframe.exports.progress import Written
    from qiframe.statement import Statement

# --- the position statement -----------------------------------------------------------------------------

STATEMENT_FORMATS = {".md": "statement_md", ".markdown": "statement_md", ".html": "statement_html",
                     ".htm": "statement_html", ".docx": "statement_docx"}


def write_statement(evaluation: model.Evaluation, output: str | os.PathLike, by: str = "units",
                    grades: bool = True, template: str | os.PathLike | None = None,
                    today: dt.date | None = None) -> Statement:
    """Build the statement and write it to `output` in the format its suffix names; returns the model."""
    from qiframe import yamlio
    from qiframe.exports import statement_docx, statement_html, statement_md
    from qiframe.statement import build_statement

    output = Path(output)
    module = STATEMENT_FORMATS.get(output.suffix.lower())
    if module is None:
        raise InputError(f"cannot tell the format from {output.name!r}: name the file .docx, .md or .html")
    if template is not None and module != "statement_docx":
        raise InputError("--template applies to Word (.docx) output only")
    if template is not None and not Path(template).is_file():
        raise InputError("template not found", template)
    if output.is_dir():
        raise InputError("is a folder; give a file name ending in .docx, .md or .html", output)
    if not output.parent.is_dir():
        raise InputError(f"folder {str(output.parent)!r} does not exist; create it first", output)
    statement = build_statement(evaluation, by=by, grades=grades, today=today)
    if module == "statement_docx":
        data = statement_docx.render(statement, template=template)
    else:
        renderer = statement_md if module == "statement_md" else statement_html
        data = renderer.render(statement).encode("utf-8")
    try:
        yamlio.atomic_write_bytes(output, data)
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", output) from None
    return statement


# --- the improvement plan's progress report -------------------------------------------------------------

PROGRESS_SUFFIXES = (".docx", ".xlsx", ".md")


def write_progress(evaluation: model.Evaluation, output: str | os.PathLike, today: str = "") -> Written:
    """Write the progress report to a .docx, .xlsx or .md file (atomically)."""
    from qiframe.exports.progress import Written, build

    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in PROGRESS_SUFFIXES:
        raise InputError(f"cannot tell the format from {path.name!r}: name the file .docx, .xlsx or .md", path)
    if path.is_dir():
        raise InputError("is a folder; give a file name", path)
    if not path.parent.is_dir():
        raise InputError("the folder for the report does not exist", path.parent)
    report = build(evaluation, today)
    if suffix == ".docx":
        from qiframe.exports import progress_docx as renderer
    elif suffix == ".xlsx":
        from qiframe.exports import progress_xlsx as renderer
    else:
        from qiframe.exports import progress_md as renderer
    renderer.write(report, path)
    return Written(os.fspath(path), len(report.rows))
