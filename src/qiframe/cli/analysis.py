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
TYPE_OPTION = typer.Option(None, "--type", metavar="COLUMN=TYPE",
                           help="Set a column's item type instead of detecting it (repeatable): scale, "
                           "effectiveness, yes-no, present-absent, agree, frequency, number or text.")
POSITIVE_OPTION = typer.Option(None, "--positive", metavar="COLUMN=ANSWER;ANSWER",
                               help="The answers counted positive in one column (repeatable), e.g. "
                               "'Child seen=Yes'; default: by the column's type.")
MIN_SAMPLE_OPTION = typer.Option(None, "--min-sample", metavar="N", min=1,
                                 help="Fewest answers for a quantity term; below it, counts are given. "
                                 "Default: the framework's, else 10.")
QI_OPTION = typer.Option(None, "--qi", metavar="QI", help="Indicator the evidence supports (repeatable; with --add-evidence).")


def describe(
    percent: str = typer.Argument(None, metavar="PERCENT", help="A percentage, e.g. 62.5 or 62.5%."),
    count: int = typer.Option(None, "--count", "-k", metavar="K", help="How many (use with --of)."),
    of: int = typer.Option(None, "--of", "-n", metavar="N", help="Out of how many."),
    framework: str = FRAMEWORK_OPTION,
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: Format = FORMAT_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """The quantity term for a percentage or for K of N, with the band and the rule used at its edges.

    For K of N below the minimum sample the counts are given instead of a term.
    """
    from qiframe.analysis import quantities

    fw = _framework(framework, evaluation)
    framework = fw.id
    terms = fw.quantity_terms
    found = _proportion(percent, count, of, terms, min_sample)
    hint = quantities.fraction_hint(found.percent) if percent is not None else ""
    if fmt is Format.json:
        emit_json({"framework": framework, **asdict(found), "counts_only": found.counts_only,
                   "warning": hint or None})
        return
    if hint:
        done(f"warning: {hint}")
    amount = f"{found.count} of {found.total} = " if found.count is not None else ""
    if found.counts_only:
        typer.echo(f"{amount}{quantities.percent_text(found.percent, terms)}: {found.count} of {found.total} "
                   "(no quantity term)")
        typer.echo(f"  rule       {found.rule}")
        return
    typer.echo(f"{amount}{quantities.percent_text(found.percent, terms)}: {found.term}")
    if found.fraction:
        typer.echo(f"  fraction   {found.fraction}")
    if found.rounded != found.percent:
        typer.echo(f"  banded as  {quantities.percent_text(found.rounded)}")
    typer.echo(f"  band       {found.interval}")
    typer.echo(f"  rule       {found.rule}")
    if found.note:
        typer.echo(f"  note       {found.note}")


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
    threshold: str = typer.Option(None, "--threshold", metavar="LEVEL",
                                  help="Lowest level counted (value or label); default: the scale's."),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    reader: str = typer.Option(None, "--reader", metavar="COLUMN",
                               help="The reader column (not an item); default: one headed Reader or Reviewer."),
    types: list[str] = TYPE_OPTION,
    positive: list[str] = POSITIVE_OPTION,
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: ReportFormat = REPORT_FORMAT,
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
    from qiframe.analysis import items, records
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    summary = records.summarise_records(table, fw.scale, fw.quantity_terms, threshold, by, id_column,
                                        items.parse_types(types or []), items.parse_positive(positive or []),
                                        min_sample, reader)
    added = _add_evidence(evaluation, file, "case-file-audit", "data", f"Record reading: {file.name}",
                          summary.items, qi) if add_evidence else None
    _report(fmt, summary, fw, added, _records_text, _records_md)


def _records_text(summary, fw) -> None:
    threshold = summary.threshold
    typer.echo(f"{summary.path}: {summary.records} records read; for scale items {summary.phrase} means level "
               f"{threshold.value} ({threshold.label}) or above; framework {fw.id}; quantity terms from "
               f"{summary.minimum} answers")
    _items_text(summary, fw, "records")


def _items_text(summary, fw, noun: str) -> None:
    for title, items in _sets(summary, noun):
        typer.echo(f"\n{title}" if title else "")
        for item in items:
            typer.echo(f"{item.letter:>3}  {item.column} ({item.kind}: {item.rule})")
            if item.kind == "number" and item.numbers:
                from qiframe.analysis.items import number_text

                typer.echo(f"     n {item.n} · {number_text(item.numbers)} · {_left(item)}")
            else:
                typer.echo(f"     {item.phrase or 'positive'} {item.positive} of n {item.n}{_share(item, fw)} · "
                           f"{_left(item)}")
            if item.distribution and item.n:
                scale = item.kind == "scale"
                typer.echo("     " + " · ".join(f"{c.value} {c.label} {c.count}" if scale else f"{c.label} {c.count}"
                                                for c in item.distribution))
            typer.echo(f"     {item.sentence}")


def _left(item) -> str:
    return (f"not counted: blank {item.not_answered}, not applicable {item.not_applicable}, don't know "
            f"{item.dont_know}, unreadable {item.problems}")


def _share(item, fw) -> str:
    from qiframe.analysis import quantities

    if item.description is None:
        return ""
    d = item.description
    if d.counts_only:
        return f" = {quantities.percent_text(item.share, fw.quantity_terms)} (below the minimum sample: counts, no term)"
    fraction = f", {d.fraction}" if d.fraction else ""
    return f" = {quantities.percent_text(item.share, fw.quantity_terms)}: {d.term}{fraction}"


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
        header = ["Item", "Type", "n", "Not counted", *(f"{lv.value} {lv.label}" for lv in levels), "Positive",
                  "Counted as positive", "%", "Term"]
        rows = [[i.column, i.kind, i.n, i.not_counted,
                 *([c.count for c in i.distribution] if i.kind == "scale" else [""] * len(levels)), i.positive,
                 i.phrase, quantities.percent_text(i.share, fw.quantity_terms) if i.description else "",
                 _term(i)] for i in items]
        lines += _md_table(header, rows) + [""] + [f"- {i.sentence}" for i in items] + [""]
    return "\n".join(lines + _md_notes(summary))


@records_app.command("agreement")
def records_agreement(
    file: Path = FILE_ARG,
    id_column: str = ID_OPTION,
    reader: str = typer.Option(None, "--reader", metavar="COLUMN",
                               help="The reader column; default: one headed Reader or Reviewer."),
    types: list[str] = TYPE_OPTION,
    fmt: ReportFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Pair agreement for records read twice: exact and within-one-level agreement, item by item.

    Each record has two rows (one per reader) with the same record id. The records on which the readers
    differ by more than one level are listed, to show where moderation is needed.
    """
    from qiframe.analysis import agreement, items
    from qiframe.imports import tables

    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    summary = agreement.pair_agreement(table, fw.scale, id_column, reader, items.parse_types(types or []))
    if fmt is ReportFormat.json:
        data = asdict(summary)
        for item, row in zip(summary.items, data["items"], strict=True):
            row["exact_percent"], row["within_one_percent"] = item.exact_percent, item.within_one_percent
        emit_json({"framework": fw.id, **data})
        return
    if fmt is ReportFormat.md:
        typer.echo(_agreement_md(summary))
    else:
        _agreement_text(summary)
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)


def _agreement_cells(item) -> tuple[str, str]:
    from qiframe.analysis import quantities

    if not item.pairs:
        return "no pair", "no pair"
    exact = f"{item.exact} of {item.pairs} ({quantities.percent_text(item.exact_percent)})"
    if item.within_one is None:
        return exact, "(two answers only)"
    return exact, f"{item.within_one} of {item.pairs} ({quantities.percent_text(item.within_one_percent)})"


def _agreement_text(summary) -> None:
    typer.echo(f"{summary.path}: {summary.records} records read by two readers (record id {summary.id_column}"
               + (f", reader {summary.reader})" if summary.reader else ")"))
    for item in summary.items:
        exact, within = _agreement_cells(item)
        typer.echo(f"{item.letter:>3}  {item.column} ({item.kind})")
        typer.echo(f"     exact {exact} · within one level {within} · not compared {item.left_out}")
        if item.apart:
            typer.echo(f"     to moderate: {', '.join(item.apart)}")


def _agreement_md(summary) -> str:
    lines = [f"# Pair agreement: {Path(summary.path).name}", "",
             f"{summary.records} records read by two readers. Exact: the same answer; within one level: at most "
             "one level apart on the item's own scale.", ""]
    rows = [[i.column, i.kind, i.pairs, *_agreement_cells(i), i.left_out, ", ".join(i.apart)] for i in summary.items]
    lines += _md_table(["Item", "Type", "Pairs", "Exact", "Within one level", "Not compared", "To moderate"], rows)
    notes = [f"- {w[:1].upper()}{w[1:]}" for w in summary.warnings]
    return "\n".join(lines + ([""] + ["## Notes", "", *notes] if notes else []) + [""])


# --- surveys -----------------------------------------------------------------------------------------


@survey_app.command("summarise")
def survey_summarise(
    file: Path = FILE_ARG,
    agree: str = typer.Option("Strongly agree,Agree", "--agree",
                              help="Comma-separated answers that count as agreeing in agree/disagree questions "
                              "only; other questions count by their type (yes, always or usually, ...)."),
    respondents: str = typer.Option("people", "--respondents",
                                    help='Who responded, for the sentences, e.g. "staff".'),
    by: str = BY_OPTION,
    id_column: str = ID_OPTION,
    types: list[str] = TYPE_OPTION,
    positive: list[str] = POSITIVE_OPTION,
    invited: list[str] = typer.Option(None, "--invited", metavar="N|GROUP=N",
                                      help="How many were invited, for the response rate; GROUP=N per --by "
                                      "group (repeatable)."),
    min_sample: int = MIN_SAMPLE_OPTION,
    fmt: ReportFormat = REPORT_FORMAT,
    framework: str = FRAMEWORK_OPTION,
    sheet: str = SHEET_OPTION,
    add_evidence: bool = ADD_OPTION,
    voice: list[str] = typer.Option(None, "--voice", metavar="GROUP",
                                    help="Whose views the survey holds, for --add-evidence (repeatable), e.g. staff "
                                    "or parents-and-carers."),
    qi: list[str] = QI_OPTION,
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Summarise a survey table (one row per respondent) question by question, in quantity terms.

    Each question's type is detected (agree/disagree, yes/no, frequency, ...) or set with --type or a type
    row, and each counts its own positive answers. Blank, "not applicable" and "don't know"-style answers
    are counted apart and left out of n; every sentence says how many.
    """
    from qiframe.analysis import items, surveys
    from qiframe.imports import tables

    _check_evidence_options(add_evidence, qi)
    if voice and not add_evidence:
        raise InputError("--voice is used with --add-evidence")
    fw = _framework(framework, evaluation)
    table = tables.read_table(file, sheet=sheet)
    answers = tuple(a.strip() for a in agree.split(",") if a.strip())
    summary = surveys.summarise_survey(table, fw.quantity_terms, answers, by, id_column, respondents,
                                       items.parse_types(types or []), items.parse_positive(positive or []),
                                       min_sample, surveys.parse_invited(invited or []), fw.scale)
    added = _add_evidence(evaluation, file, "survey", "views", f"Survey: {file.name}", summary.questions,
                          qi, voice) if add_evidence else None
    _report(fmt, summary, fw, added, _survey_text, _survey_md)


def _survey_text(summary, fw) -> None:
    typer.echo(f"{summary.path}: {summary.respondents} respondents; in agree/disagree questions agreeing means "
               f"{' or '.join(summary.agree)}; framework {fw.id}; quantity terms from {summary.minimum} answers")
    for rate in summary.response_rates:
        typer.echo(_rate_text(rate))
    _items_text(summary, fw, "respondents")


def _rate_text(rate) -> str:
    from qiframe.analysis import quantities

    where = f" ({rate.group})" if rate.group else ""
    return (f"response rate{where}: {rate.responded} of {rate.invited} invited = "
            f"{quantities.percent_text(rate.percent)}")


def _survey_md(summary, fw) -> str:
    lines = [f"# Survey: {Path(summary.path).name}", "",
             f"{summary.respondents} respondents. In agree/disagree questions agreeing means "
             f"{' or '.join(summary.agree)}; blank, \"not applicable\" and \"don't know\" answers are left out "
             f"of n. Quantity terms: {fw.title} ({fw.id}), from {summary.minimum} answers.", ""]
    lines += [f"- {_rate_text(rate)[:1].upper()}{_rate_text(rate)[1:]}" for rate in summary.response_rates]
    lines += [""] if summary.response_rates else []
    for title, questions in _sets(summary, "respondents"):
        if title:
            lines += [f"## {title}", ""]
        rows = [[q.column, q.kind, q.n, q.not_counted, q.agreed, q.phrase, *_share_term(q, fw)] for q in questions]
        lines += _md_table(["Question", "Type", "n", "Not counted", "Positive", "Counted as positive", "%",
                            "Term"], rows) + [""]
        lines += [f"- {q.sentence}" for q in questions] + [""]
    return "\n".join(lines + _md_notes(summary))


def _share_term(question, fw) -> list[str]:
    from qiframe.analysis import quantities

    if question.description is None:
        return ["", ""]
    return [quantities.percent_text(question.share, fw.quantity_terms), _term(question)]


def _term(item) -> str:
    d = item.description
    if d is None:
        return ""
    if d.counts_only:
        return f"{d.count} of {d.total} (too few for a term)"
    return f"{d.term} ({d.fraction})" if d.fraction else d.term


# --- shared ------------------------------------------------------------------------------------------


def _report(fmt: ReportFormat, summary, fw, added, text, md) -> None:
    """Render a summary; warnings and problems go to stderr except in JSON, which carries them."""
    if fmt is ReportFormat.json:
        data = asdict(summary)
        for question in [*data.get("questions", ()), *(q for g in data.get("groups", ()) for q in g.get("questions", ()))]:
            question["agreed"] = question["positive"]  # a survey's positive answers, by their usual name
        emit_json({"framework": fw.id, **data, "evidence": added.item.id if added else None})
        return
    if fmt is ReportFormat.md:
        typer.echo(md(summary, fw))
    else:
        text(summary, fw)
    _warn(summary)
    if added:
        done(f"{'added' if added.created else 'updated'} evidence {added.item.id}")


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
    from qiframe.text import md_escape

    def cell(value) -> str:
        return md_escape(value).strip()

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
                  indicators: list[str], voice: list[str] | None = None):
    """Record the summary in the evaluation's evidence register (an `evidence.Recorded`)."""
    from qiframe import evidence, store

    root = store.find_root(evaluation)
    summary = " ".join(item.sentence for item in items)
    return evidence.record_summary(root, file, kind, source, title, summary, list(indicators), list(voice or []))
