"""`qiframe describe`, `qiframe records summarise` and `qiframe survey summarise`: proportions in words."""

from dataclasses import asdict
from pathlib import Path

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, Format, ReportFormat, done, emit_json
from qiframe.errors import InputError

DEFAULT_FRAMEWORK = "ci-care-protection-2019"
# Text and md list at most this many unreadable cells; JSON always carries all of them.
MAX_PROBLEMS_SHOWN = 50

records_app = typer.Typer(help="Summarise record reading (case-file audit) in quantity terms.",
                          no_args_is_help=True)
survey_app = typer.Typer(help="Summarise survey results in quantity terms.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(describe)
    app.add_typer(records_app, name="records")
    app.add_typer(survey_app, name="survey")


FRAMEWORK_OPTION = typer.Option(None, "--framework", metavar="ID", help="Framework whose scale and quantity "
                                "terms to use; default: the evaluation's (inside one, or with -e), else "
                                f"{DEFAULT_FRAMEWORK}.")
REPORT_FORMAT = typer.Option(ReportFormat.text, "--format", "-f",
                             help="text for people, json for scripts, md for a report.")
FILE_ARG = typer.Argument(..., metavar="FILE", help="A .csv or .xlsx file with one header row.")
SHEET_OPTION = typer.Option(None, "--sheet", metavar="NAME", help="Worksheet of an xlsx file; default: the first.")
BY_OPTION = typer.Option(None, "--by", metavar="COLUMN", help="Also summarise per value of this column.")
ID_OPTION = typer.Option(None, "--id", metavar="COLUMN",
                         help="The id column; default: a column headed like record, id, case or respondent.")
ADD_OPTION = typer.Option(False, "--add-evidence", help="Also add the summary to the evidence register.")
QI_OPTION = typer.Option(None, "--qi", metavar="QI", help="Indicator the evidence supports (repeatable; with --add-evidence).")


def describe(
    percent: str = typer.Argument(None, metavar="PERCENT", help="A percentage, e.g. 62.5 or 62.5%."),
    count: int = typer.Option(None, "--count", "-k", metavar="K", help="How many (use with --of)."),
    of: int = typer.Option(None, "--of", "-n", metavar="N", help="Out of how many."),
    framework: str = FRAMEWORK_OPTION,
    fmt: Format = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """The quantity term for a percentage or for K of N, with the band and the rule used at its edges."""
    from qiframe.analysis import quantities

    fw = _framework(framework, evaluation)
    framework = fw.id
    terms = fw.quantity_terms
    found = _proportion(percent, count, of, terms)
    if fmt is Format.json:
        emit_json({"framework": framework, **asdict(found)})
        return
    amount = f"{found.count} of {found.total} = " if found.count is not None else ""
    typer.echo(f"{amount}{quantities.percent_text(found.percent, terms)}: {found.term}")
    if found.rounded != found.percent:
        typer.echo(f"  banded as  {quantities.percent_text(found.rounded)}")
    typer.echo(f"  band       {found.interval}")
    typer.echo(f"  rule       {found.rule}")
    if found.note:
        typer.echo(f"  note       {found.note}")


def _proportion(percent: str | None, count: int | None, of: int | None, terms):
    from qiframe.analysis import quantities

    if percent is not None and (count is not None or of is not None):
        raise InputError("give either PERCENT or --count K --of N, not both")
    if percent is not None:
        return quantities.describe(_percent(percent), terms)
    if count is None or of is None:
        raise InputError("give a PERCENT, or both --count K and --of N")
    return quantities.describe_count(count, of, terms)


def _percent(text: str) -> float:
    try:
        return float(text.strip().removesuffix("%"))
    except ValueError:
        raise InputError(f"not a percentage: {text!r} (expected a number such as 62.5)") from None


# --- records -----------------------------------------------------------------------------------------


@records_app.command("summarise")
def records_summarise(
    file: Path = FILE_ARG,
    threshold: str = typer.Option(None, "--threshold", metavar="LEVEL",
                                  help="Lowest level counted (value or label); default: the scale's."),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    fmt: ReportFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    add_evidence: bool = ADD_OPTION,
    qi: list[str] = QI_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Summarise a record-reading table (one row per record) item by item, in quantity terms."""
    from qiframe.analysis import records
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    summary = records.summarise_records(table, fw.scale, fw.quantity_terms, threshold, by, id_column)
    added = _add_evidence(evaluation, file, "case-file-audit", "data", f"Record reading: {file.name}",
                          summary.items, qi) if add_evidence else None
    _report(fmt, summary, fw, added, _records_text, _records_md)


def _records_text(summary, fw) -> None:
    threshold = summary.threshold
    typer.echo(f"{summary.path}: {summary.records} records read; {summary.phrase} means level "
               f"{threshold.value} ({threshold.label}) or above; framework {fw.id}")
    for title, items in _sets(summary, "records"):
        typer.echo(f"\n{title}" if title else "")
        for item in items:
            typer.echo(f"{item.letter:>3}  {item.column} ({item.kind})")
            positive = summary.phrase if item.kind == "graded" else "yes"
            typer.echo(f"     n {item.n} · {positive} {item.positive}{_share(item, fw)} · not applicable "
                       f"{item.not_applicable} · blank {item.not_answered} · left out {item.problems}")
            if item.distribution:
                typer.echo("     " + " · ".join(f"{c.value} {c.label} {c.count}" for c in item.distribution))
            typer.echo(f"     {item.sentence}")


def _share(item, fw) -> str:
    from qiframe.analysis import quantities

    if item.description is None:
        return ""
    return f" = {quantities.percent_text(item.share, fw.quantity_terms)}: {item.description.term}"


def _records_md(summary, fw) -> str:
    from qiframe.analysis import quantities

    levels = sorted(fw.scale.levels, key=lambda lv: -lv.value)
    lines = [f"# Record reading: {Path(summary.path).name}", "",
             f"{summary.records} records read. \"{summary.phrase.capitalize()}\" means level "
             f"{summary.threshold.value} ({summary.threshold.label}) or above. Quantity terms: {fw.title} "
             f"({fw.id}).", ""]
    for title, items in _sets(summary, "records"):
        if title:
            lines += [f"## {title}", ""]
        header = ["Item", "Kind", "n", *(f"{lv.value} {lv.label}" for lv in levels), summary.phrase, "%", "Term"]
        rows = [[i.column, i.kind, i.n, *([c.count for c in i.distribution] or [""] * len(levels)), i.positive,
                 quantities.percent_text(i.share, fw.quantity_terms) if i.description else "",
                 i.description.term if i.description else ""] for i in items]
        lines += _md_table(header, rows) + [""] + [f"- {i.sentence}" for i in items] + [""]
    return "\n".join(lines + _md_notes(summary))


# --- surveys -----------------------------------------------------------------------------------------


@survey_app.command("summarise")
def survey_summarise(
    file: Path = FILE_ARG,
    agree: str = typer.Option("Strongly agree,Agree", "--agree",
                              help="Comma-separated answers that count as agreeing."),
    respondents: str = typer.Option("people", "--respondents",
                                    help='Who responded, for the sentences, e.g. "staff".'),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    fmt: ReportFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    add_evidence: bool = ADD_OPTION,
    qi: list[str] = QI_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Summarise a survey table (one row per respondent) question by question, in quantity terms.

    "Don't know", "not sure", "not applicable" and "prefer not to say" answers are counted apart and left
    out of n; every other answer counts in n, and agrees when it is one of --agree.
    """
    from qiframe.analysis import surveys
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    answers = tuple(a.strip() for a in agree.split(",") if a.strip())
    summary = surveys.summarise_survey(table, fw.quantity_terms, answers, by, id_column, respondents)
    added = _add_evidence(evaluation, file, "survey", "views", f"Survey: {file.name}", summary.questions,
                          qi) if add_evidence else None
    _report(fmt, summary, fw, added, _survey_text, _survey_md)


def _survey_text(summary, fw) -> None:
    typer.echo(f"{summary.path}: {summary.respondents} respondents; agreeing means "
               f"{' or '.join(summary.agree)}; framework {fw.id}")
    for title, questions in _sets(summary, "respondents"):
        typer.echo(f"\n{title}" if title else "")
        for q in questions:
            typer.echo(f"{q.letter:>3}  {q.column}")
            typer.echo(f"     n {q.n} · agreed {q.agreed}{_share(q, fw)} · don't know {q.dont_know} · "
                       f"blank {q.not_answered}")
            typer.echo(f"     {q.sentence}")


def _survey_md(summary, fw) -> str:
    lines = [f"# Survey: {Path(summary.path).name}", "",
             f"{summary.respondents} respondents. Agreeing means {' or '.join(summary.agree)}; \"don't know\" "
             f"answers are left out of n. Quantity terms: {fw.title} ({fw.id}).", ""]
    for title, questions in _sets(summary, "respondents"):
        if title:
            lines += [f"## {title}", ""]
        rows = [[q.column, q.n, q.agreed, *_share_term(q, fw), q.dont_know] for q in questions]
        lines += _md_table(["Question", "n", "Agreed", "%", "Term", "Don't know"], rows) + [""]
        lines += [f"- {q.sentence}" for q in questions] + [""]
    return "\n".join(lines + _md_notes(summary))


def _share_term(question, fw) -> list[str]:
    from qiframe.analysis import quantities

    if question.description is None:
        return ["", ""]
    return [quantities.percent_text(question.share, fw.quantity_terms), question.description.term]


# --- shared ------------------------------------------------------------------------------------------


def _report(fmt: ReportFormat, summary, fw, added, text, md) -> None:
    """Render a summary; warnings and problems go to stderr except in JSON, which carries them."""
    if fmt is ReportFormat.json:
        emit_json({"framework": fw.id, **asdict(summary), "evidence": added})
        return
    if fmt is ReportFormat.md:
        typer.echo(md(summary, fw))
    else:
        text(summary, fw)
    _warn(summary)
    if added:
        done(f"added evidence {added}")


def _sets(summary, noun: str):
    """(heading, items) for the whole file and then each group."""
    whole = summary.items if hasattr(summary, "items") else summary.questions
    yield "", whole
    for group in summary.groups:
        members = group.records if hasattr(group, "records") else group.respondents
        parts = group.items if hasattr(group, "items") else group.questions
        yield f"{summary.by}: {group.value or '(blank)'} ({members} {noun})", parts


def _warn(summary) -> None:
    problems = getattr(summary, "problems", ())
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(f"warning: {summary.path}: {problem}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.echo(f"warning: ... and {len(problems) - MAX_PROBLEMS_SHOWN} more cells left out "
                   "(--format json lists them all)", err=True)
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)


def _md_table(header: list[str], rows: list[list]) -> list[str]:
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]


def _md_notes(summary) -> list[str]:
    problems = getattr(summary, "problems", ())
    notes = [f"- Row {p.row}, column {p.letter} ({p.column}): {p.message}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        notes.append(f"- And {len(problems) - MAX_PROBLEMS_SHOWN} more cells left out (--format json lists them all).")
    notes += [f"- {w[:1].upper()}{w[1:]}" for w in summary.warnings]
    return ["## Notes", "", *notes, ""] if notes else []


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


def _add_evidence(evaluation: Path | None, file: Path, kind: str, source: str, title: str, items,
                  indicators: list[str]) -> str:
    """Add the summary to the evaluation's evidence register; returns the new item's id."""
    from qiframe import store

    root = store.find_root(evaluation)
    summary = " ".join(item.sentence for item in items)
    item = store.add_evidence(root, title=title, summary=summary, kind=kind, source=source,
                              location=_location(file, root), indicators=list(indicators))
    return item.id


def _location(file: Path, root: Path) -> str:
    """The file relative to the evaluation when it is inside it (portable through git), else absolute."""
    path, base = file.resolve(), Path(root).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
