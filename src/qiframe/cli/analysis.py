"""`qiframe describe`, `qiframe records summarise` and `qiframe survey summarise`: proportions in words."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, format_choices, show
from qiframe.errors import InputError
from qiframe.render import analysis as rendered

DEFAULT_FRAMEWORK = "ci-care-protection-2019"
MAX_PROBLEMS_SHOWN = rendered.MAX_PROBLEMS_SHOWN

if TYPE_CHECKING:
    ProportionFormat = str
    RecordsFormat = str
    AgreementFormat = str
    SurveyFormat = str
else:
    ProportionFormat = format_choices("ProportionFormat", rendered.PROPORTION)
    RecordsFormat = format_choices("RecordsFormat", rendered.RECORDS)
    AgreementFormat = format_choices("AgreementFormat", rendered.AGREEMENT)
    SurveyFormat = format_choices("SurveyFormat", rendered.SURVEY)

records_app = typer.Typer(
    help="Summarise record reading (case-file audit) in quantity terms.", no_args_is_help=True
)
survey_app = typer.Typer(help="Summarise survey results in quantity terms.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(describe)
    app.add_typer(records_app, name="records")
    app.add_typer(survey_app, name="survey")


FRAMEWORK_OPTION = typer.Option(
    None,
    "--framework",
    metavar="ID",
    help="Framework whose scale and quantity "
    "terms to use; default: the evaluation's (inside one, or with -e), else "
    f"{DEFAULT_FRAMEWORK}.",
)
REPORT_FORMAT = typer.Option(
    "text", "--format", "-f", help="text for people, json for scripts, md for a report."
)
FILE_ARG = typer.Argument(..., metavar="FILE", help="A .csv or .xlsx file with one header row.")
SHEET_OPTION = typer.Option(
    None, "--sheet", metavar="NAME", help="Worksheet of an xlsx file; default: the first."
)
BY_OPTION = typer.Option(None, "--by", metavar="COLUMN", help="Also summarise per value of this column.")
ID_OPTION = typer.Option(
    None,
    "--id",
    metavar="COLUMN",
    help="The id column; default: a column headed like record, id, case or respondent.",
)
ADD_OPTION = typer.Option(False, "--add-evidence", help="Also add the summary to the evidence register.")
TYPE_OPTION = typer.Option(
    None,
    "--type",
    metavar="COLUMN=TYPE",
    help="Set a column's item type instead of detecting it (repeatable): scale, "
    "effectiveness, yes-no, present-absent, agree, frequency, number or text.",
)
POSITIVE_OPTION = typer.Option(
    None,
    "--positive",
    metavar="COLUMN=ANSWER;ANSWER",
    help="The answers counted positive in one column (repeatable), e.g. "
    "'Child seen=Yes'; default: by the column's type.",
)
MIN_SAMPLE_OPTION = typer.Option(
    None,
    "--min-sample",
    metavar="N",
    min=1,
    help="Fewest answers for a quantity term; below it, counts are given. Default: the framework's, else 10.",
)
QI_OPTION = typer.Option(
    None, "--qi", metavar="QI", help="Indicator the evidence supports (repeatable; with --add-evidence)."
)


def describe(
    percent: str = typer.Argument(None, metavar="PERCENT", help="A percentage, e.g. 62.5 or 62.5%."),
    count: int = typer.Option(None, "--count", "-k", metavar="K", help="How many (use with --of)."),
    of: int = typer.Option(None, "--of", "-n", metavar="N", help="Out of how many."),
    framework: str = FRAMEWORK_OPTION,
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: ProportionFormat = typer.Option("text", "--format", "-f", help="text for people, json for scripts."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """The quantity term for a percentage or for K of N, with the band and the rule used at its edges.

    For K of N below the minimum sample the counts are given instead of a term.
    """
    from qiframe.analysis import quantities, reports

    fw = _framework(framework, evaluation)
    terms = fw.quantity_terms
    found = _proportion(percent, count, of, terms, min_sample)
    hint = quantities.fraction_hint(found.percent) if percent is not None else ""
    if hint and fmt != "json":
        done(f"warning: {hint}")
    show(reports.Proportion(found, fw, hint), fmt)


def _proportion(percent: str | None, count: int | None, of: int | None, terms, minimum: int | None = None):
    from qiframe.analysis import quantities

    if percent is not None and (count is not None or of is not None):
        raise InputError("give either PERCENT or --count K --of N, not both")
    if percent is not None:
        return quantities.describe(_percent(percent), terms)
    if count is None or of is None:
        raise InputError("give a PERCENT, or both --count K and --of N")
    return quantities.describe_count(count, of, terms, minimum)


def _percent(text: str) -> float:
    try:
        return float(text.strip().removesuffix("%"))
    except ValueError:
        raise InputError(f"not a percentage: {text!r} (expected a number such as 62.5)") from None


# --- records -----------------------------------------------------------------------------------------


@records_app.command("summarise")
def records_summarise(
    file: Path = FILE_ARG,
    threshold: str = typer.Option(
        None,
        "--threshold",
        metavar="LEVEL",
        help="Lowest level counted (value or label); default: the scale's.",
    ),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    reader: str = typer.Option(
        None,
        "--reader",
        metavar="COLUMN",
        help="The reader column (not an item); default: one headed Reader or Reviewer.",
    ),
    types: list[str] = TYPE_OPTION,
    positive: list[str] = POSITIVE_OPTION,
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: RecordsFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    add_evidence: bool = ADD_OPTION,
    qi: list[str] = QI_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Summarise a record-reading table (one row per record) item by item, in quantity terms.

    Each column's item type is detected (the framework's scale, effectiveness, yes/no, present/absent,
    agree/disagree, frequency, numbers) or set with --type or a type row; n/a, don't know and blank cells
    are not counted. docs/quantities.md lists exactly which cell values count as what. With
    --add-evidence, a rerun on the same file updates the item it made before instead of adding another.
    """
    from qiframe.analysis import items, records, reports
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    summary = records.summarise_records(
        table,
        fw.scale,
        fw.quantity_terms,
        threshold,
        by,
        id_column,
        items.parse_types(types or []),
        items.parse_positive(positive or []),
        min_sample,
        reader,
    )
    added = (
        _add_evidence(
            evaluation, file, "case-file-audit", "data", f"Record reading: {file.name}", summary.items, qi
        )
        if add_evidence
        else None
    )
    _report(fmt, reports.RecordsReport(summary, fw, added))


@records_app.command("agreement")
def records_agreement(
    file: Path = FILE_ARG,
    id_column: str = ID_OPTION,
    reader: str = typer.Option(
        None, "--reader", metavar="COLUMN", help="The reader column; default: one headed Reader or Reviewer."
    ),
    types: list[str] = TYPE_OPTION,
    fmt: AgreementFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Pair agreement for records read twice: exact and within-one-level agreement, item by item.

    Each record has two rows (one per reader) with the same record id. The records on which the readers
    differ by more than one level are listed, to show where moderation is needed.
    """
    from qiframe.analysis import agreement, items, reports
    from qiframe.imports import tables

    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    summary = agreement.pair_agreement(table, fw.scale, id_column, reader, items.parse_types(types or []))
    show(reports.AgreementReport(summary, fw), fmt)
    if fmt == "json":
        return
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)


# --- surveys -----------------------------------------------------------------------------------------


@survey_app.command("summarise")
def survey_summarise(
    file: Path = FILE_ARG,
    agree: str = typer.Option(
        "Strongly agree,Agree",
        "--agree",
        help="Comma-separated answers that count as agreeing in agree/disagree questions "
        "only; other questions count by their type (yes, always or usually, ...).",
    ),
    respondents: str = typer.Option(
        "people", "--respondents", help='Who responded, for the sentences, e.g. "staff".'
    ),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    types: list[str] = TYPE_OPTION,
    positive: list[str] = POSITIVE_OPTION,
    invited: list[str] = typer.Option(
        None,
        "--invited",
        metavar="N|GROUP=N",
        help="How many were invited, for the response rate; GROUP=N per --by group (repeatable).",
    ),
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: SurveyFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    add_evidence: bool = ADD_OPTION,
    voice: list[str] = typer.Option(
        None,
        "--voice",
        metavar="GROUP",
        help="Whose views the survey holds, for --add-evidence (repeatable), e.g. staff "
        "or parents-and-carers.",
    ),
    qi: list[str] = QI_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Summarise a survey table (one row per respondent) question by question, in quantity terms.

    Each question's type is detected (agree/disagree, yes/no, frequency, ...) or set with --type or a type
    row, and each counts its own positive answers. Blank, "not applicable" and "don't know"-style answers
    are counted apart and left out of n; every sentence says how many.
    """
    from qiframe.analysis import items, reports, surveys
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    if voice and not add_evidence:
        raise InputError("--voice is used with --add-evidence")
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    answers = tuple(a.strip() for a in agree.split(",") if a.strip())
    summary = surveys.summarise_survey(
        table,
        fw.quantity_terms,
        answers,
        by,
        id_column,
        respondents,
        items.parse_types(types or []),
        items.parse_positive(positive or []),
        min_sample,
        surveys.parse_invited(invited or []),
        fw.scale,
    )
    added = (
        _add_evidence(
            evaluation, file, "survey", "views", f"Survey: {file.name}", summary.questions, qi, voice
        )
        if add_evidence
        else None
    )
    _report(fmt, reports.SurveyReport(summary, fw, added))


# --- shared ------------------------------------------------------------------------------------------


def _report(fmt, report) -> None:
    """Render a summary; warnings and problems go to stderr except in JSON, which carries them."""
    show(report, fmt)
    if fmt == "json":
        return
    _warn(report.summary)
    if report.evidence:
        done(f"{'added' if report.evidence.created else 'updated'} evidence {report.evidence.item.id}")


def _warn(summary) -> None:
    problems = getattr(summary, "problems", ())
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(f"warning: {summary.path}: {problem}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.echo(
            f"warning: ... and {len(problems) - MAX_PROBLEMS_SHOWN} more cells left out "
            "(--format json lists them all)",
            err=True,
        )
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)


def _framework(framework: str | None, evaluation: Path | None):
    """The framework named, else the evaluation's (given or around the current folder), else the default."""
    from qiframe import frameworks, store
    from qiframe.errors import InputError

    if framework:
        return frameworks.load(framework)
    try:
        root = store.find_root(evaluation)
    except InputError:
        if evaluation is not None:
            raise
        return frameworks.load(DEFAULT_FRAMEWORK)
    return frameworks.load(store.load(root).metadata.framework, start=root)


def _check_evidence_options(add_evidence: bool, qi: list[str] | None) -> None:
    # Checked before any work so that a usage mistake writes nothing.
    if add_evidence and not qi:
        raise InputError("--add-evidence needs at least one --qi INDICATOR")
    if qi and not add_evidence:
        raise InputError("--qi is used with --add-evidence")


def _add_evidence(
    evaluation: Path | None,
    file: Path,
    kind: str,
    source: str,
    title: str,
    items,
    indicators: list[str],
    voice: list[str] | None = None,
):
    """Record the summary in the evaluation's evidence register (an `evidence.Recorded`)."""
    from qiframe import evidence, store

    root = store.find_root(evaluation)
    summary = " ".join(item.sentence for item in items)
    return evidence.record_summary(
        root, file, kind, source, title, summary, list(indicators), list(voice or [])
    )
