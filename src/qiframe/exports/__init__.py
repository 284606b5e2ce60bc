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

STATEMENT_FORMATS = {
    ".docx": "statement_docx",
    ".md": "statement_md",
    ".markdown": "statement_md",
    ".html": "statement_html",
    ".htm": "statement_html",
}


def write_statement(
    evaluation: model.Evaluation,
    output: str | os.PathLike,
    by: str = "units",
    grades: bool = True,
    template: str | os.PathLike | None = None,
    today: dt.date | None = None,
    final: bool = False,
    allow: tuple[str, ...] = (),
    pack: bool = False,
    internal_locations: bool = False,
) -> Statement:
    """Build the statement and write it to `output` in the format its suffix names; returns the model.

    A final export first refuses what `statement.final_problems` finds (except the kinds in `allow`), and
    afterwards records the evidence numbers in evaluation.yaml, through the store, so that later exports
    keep them.
    """
    from qiframe import store
    from qiframe.exports import statement_docx, statement_html, statement_md
    from qiframe.exports.files import check_output, write_output
    from qiframe.statement import FINAL_CHECKS, build_statement, final_problems

    output = Path(output)
    module = check_output(output, STATEMENT_FORMATS, "the statement")
    if template is not None and module != "statement_docx":
        raise InputError("{template} applies to Word (.docx) output only", options=("template",))
    if template is not None and not Path(template).is_file():
        raise InputError("template not found", template)
    unknown = sorted(set(allow) - set(FINAL_CHECKS))
    if unknown:
        raise InputError(
            f"{{allow}} takes {', '.join(FINAL_CHECKS)}, not {', '.join(unknown)}", options=("allow",)
        )
    if final:
        blocking = [p for p in final_problems(evaluation, by, grades) if p.kind not in allow]
        if blocking:
            kinds = sorted({p.kind for p in blocking}, key=list(FINAL_CHECKS).index)
            raise InputError(
                f"the statement is not ready to submit ({len(blocking)} problem"
                f"{'s' if len(blocking) != 1 else ''}): "
                + "; ".join(p.message for p in blocking)
                + f". Fix them, or export anyway with {' '.join('--allow ' + k for k in kinds)}"
            )
    statement = build_statement(
        evaluation,
        by=by,
        grades=grades,
        today=today,
        final=final,
        pack=pack,
        internal_locations=internal_locations,
    )
    if module == "statement_docx":
        data = statement_docx.render(statement, template=template)
    else:
        renderer = statement_md if module == "statement_md" else statement_html
        data = renderer.render(statement).encode("utf-8")
    write_output(output, data)
    if final and statement.numbers:
        store.record_evidence_numbers(evaluation.root, dict(statement.numbers))
    return statement


# --- the improvement plan's progress report -------------------------------------------------------------

PROGRESS_SUFFIXES = (".docx", ".xlsx", ".md")


def write_progress(evaluation: model.Evaluation, output: str | os.PathLike, today: str = "") -> Written:
    """Write the progress report to a .docx, .xlsx or .md file (atomically)."""
    from qiframe.exports.files import check_output
    from qiframe.exports.progress import Written, build

    path = Path(output)
    suffix = "." + check_output(path, PROGRESS_SUFFIXES, "the progress report")
    report = build(evaluation, today)
    from qiframe.exports import progress_docx, progress_md, progress_xlsx

    renderer = {".docx": progress_docx, ".xlsx": progress_xlsx}.get(suffix, progress_md)
    renderer.write(report, path)
    return Written(os.fspath(path), len(report.rows))
