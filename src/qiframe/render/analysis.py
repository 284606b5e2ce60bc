"""Reports of `describe`, `records summarise|agreement` and `survey summarise`: text, JSON and Markdown."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from qiframe.render import json_text, md_table, renderer

PROPORTION = "qiframe.analysis.reports.Proportion"
RECORDS = "qiframe.analysis.reports.RecordsReport"
SURVEY = "qiframe.analysis.reports.SurveyReport"
AGREEMENT = "qiframe.analysis.reports.AgreementReport"
MAX_PROBLEMS_SHOWN = 50
"""Text and md list at most this many unreadable cells; JSON always carries all of them."""


def _lines(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


# --- describe ----------------------------------------------------------------------------------------


@renderer(PROPORTION, "text")
def proportion_text(report) -> str:
    from qiframe.analysis import quantities

    found, terms = report.found, report.framework.quantity_terms
    amount = f"{found.count} of {found.total} = " if found.count is not None else ""
    if found.counts_only:
        return _lines(
            [
                f"{amount}{quantities.percent_text(found.percent, terms)}: {found.count} of {found.total} "
                "(no quantity term)",
                f"  rule       {found.rule}",
            ]
        )
    lines = [f"{amount}{quantities.percent_text(found.percent, terms)}: {found.term}"]
    if found.fraction:
        lines.append(f"  fraction   {found.fraction}")
    if found.rounded != found.percent:
        lines.append(f"  banded as  {quantities.percent_text(found.rounded)}")
    lines.append(f"  band       {found.interval}")
    lines.append(f"  rule       {found.rule}")
    if found.note:
        lines.append(f"  note       {found.note}")
    return _lines(lines)


@renderer(PROPORTION, "json")
def proportion_json(report) -> str:
    found = report.found
    return json_text(
        {
            "framework": report.framework.id,
            **asdict(found),
            "counts_only": found.counts_only,
            "warning": report.warning or None,
        }
    )


# --- records -----------------------------------------------------------------------------------------


@renderer(RECORDS, "text")
def records_text(report) -> str:
    summary, fw = report.summary, report.framework
    threshold = summary.threshold
    lines = [
        f"{summary.path}: {summary.records} records read; for scale items {summary.phrase} means level "
        f"{threshold.value} ({threshold.label}) or above; framework {fw.id}; quantity terms from "
        f"{summary.minimum} answers"
    ]
    return _lines(lines + _items_text(summary, fw, "records"))


@renderer(RECORDS, "md")
def records_md(report) -> str:
    from qiframe.analysis import quantities

    summary, fw = report.summary, report.framework
    levels = sorted(fw.scale.levels, key=lambda lv: -lv.value)
    lines = [
        f"# Record reading: {Path(summary.path).name}",
        "",
        f'{summary.records} records read. "{summary.phrase.capitalize()}" means level '
        f"{summary.threshold.value} ({summary.threshold.label}) or above. Quantity terms: {fw.title} "
        f"({fw.id}).",
        "",
    ]
    for title, items in _sets(summary, "records"):
        if title:
            lines += [f"## {title}", ""]
        header = [
            "Item",
            "Type",
            "n",
            "Not counted",
            *(f"{lv.value} {lv.label}" for lv in levels),
            "Positive",
            "Counted as positive",
            "%",
            "Term",
        ]
        rows = [
            [
                i.column,
                i.kind,
                i.n,
                i.not_counted,
                *([c.count for c in i.distribution] if i.kind == "scale" else [""] * len(levels)),
                i.positive,
                i.phrase,
                quantities.percent_text(i.share, fw.quantity_terms) if i.description else "",
                _term(i),
            ]
            for i in items
        ]
        lines += md_table(header, rows) + [""] + [f"- {i.sentence}" for i in items] + [""]
    return _lines(lines + _md_notes(summary))


@renderer(RECORDS, "json")
@renderer(SURVEY, "json")
def summary_json(report) -> str:
    data = asdict(report.summary)
    for question in [
        *data.get("questions", ()),
        *(q for g in data.get("groups", ()) for q in g.get("questions", ())),
    ]:
        question["agreed"] = question["positive"]  # a survey's positive answers, by their usual name
    evidence = report.evidence.item.id if report.evidence else None
    return json_text({"framework": report.framework.id, **data, "evidence": evidence})


def _items_text(summary, fw, noun: str) -> list[str]:
    lines = []
    for title, items in _sets(summary, noun):
        lines.append(f"\n{title}" if title else "")
        for item in items:
            lines.append(f"{item.letter:>3}  {item.column} ({item.kind}: {item.rule})")
            if item.kind == "number" and item.numbers:
                from qiframe.analysis.items import number_text

                lines.append(f"     n {item.n} · {number_text(item.numbers)} · {_left(item)}")
            else:
                lines.append(
                    f"     {item.phrase or 'positive'} {item.positive} of n {item.n}{_share(item, fw)} · "
                    f"{_left(item)}"
                )
            if item.distribution and item.n:
                scale = item.kind == "scale"
                lines.append(
                    "     "
                    + " · ".join(
                        f"{c.value} {c.label} {c.count}" if scale else f"{c.label} {c.count}"
                        for c in item.distribution
                    )
                )
            lines.append(f"     {item.sentence}")
    return lines


def _left(item) -> str:
    return (
        f"not counted: blank {item.not_answered}, not applicable {item.not_applicable}, don't know "
        f"{item.dont_know}, unreadable {item.problems}"
    )


def _share(item, fw) -> str:
    from qiframe.analysis import quantities

    if item.description is None:
        return ""
    d = item.description
    if d.counts_only:
        return f" = {quantities.percent_text(item.share, fw.quantity_terms)} (below the minimum sample: counts, no term)"
    fraction = f", {d.fraction}" if d.fraction else ""
    return f" = {quantities.percent_text(item.share, fw.quantity_terms)}: {d.term}{fraction}"


# --- agreement ---------------------------------------------------------------------------------------


@renderer(AGREEMENT, "text")
def agreement_text(report) -> str:
    summary = report.summary
    lines = [
        f"{summary.path}: {summary.records} records read by two readers (record id {summary.id_column}"
        + (f", reader {summary.reader})" if summary.reader else ")")
    ]
    for item in summary.items:
        exact, within = _agreement_cells(item)
        lines.append(f"{item.letter:>3}  {item.column} ({item.kind})")
        lines.append(f"     exact {exact} · within one level {within} · not compared {item.left_out}")
        if item.apart:
            lines.append(f"     to moderate: {', '.join(item.apart)}")
    return _lines(lines)


@renderer(AGREEMENT, "json")
def agreement_json(report) -> str:
    summary = report.summary
    data = asdict(summary)
    for item, row in zip(summary.items, data["items"], strict=True):
        row["exact_percent"], row["within_one_percent"] = item.exact_percent, item.within_one_percent
    return json_text({"framework": report.framework.id, **data})


@renderer(AGREEMENT, "md")
def agreement_md(report) -> str:
    summary = report.summary
    lines = [
        f"# Pair agreement: {Path(summary.path).name}",
        "",
        f"{summary.records} records read by two readers. Exact: the same answer; within one level: at most "
        "one level apart on the item's own scale.",
        "",
    ]
    rows = [
        [i.column, i.kind, i.pairs, *_agreement_cells(i), i.left_out, ", ".join(i.apart)]
        for i in summary.items
    ]
    lines += md_table(
        ["Item", "Type", "Pairs", "Exact", "Within one level", "Not compared", "To moderate"], rows
    )
    notes = [f"- {w[:1].upper()}{w[1:]}" for w in summary.warnings]
    return _lines(lines + ([""] + ["## Notes", "", *notes] if notes else []) + [""])


def _agreement_cells(item) -> tuple[str, str]:
    from qiframe.analysis import quantities

    if not item.pairs:
        return "no pair", "no pair"
    exact = f"{item.exact} of {item.pairs} ({quantities.percent_text(item.exact_percent)})"
    if item.within_one is None:
        return exact, "(two answers only)"
    return exact, f"{item.within_one} of {item.pairs} ({quantities.percent_text(item.within_one_percent)})"


# --- surveys -----------------------------------------------------------------------------------------


@renderer(SURVEY, "text")
def survey_text(report) -> str:
    summary, fw = report.summary, report.framework
    lines = [
        f"{summary.path}: {summary.respondents} respondents; in agree/disagree questions agreeing means "
        f"{' or '.join(summary.agree)}; framework {fw.id}; quantity terms from {summary.minimum} answers"
    ]
    lines += [_rate_text(rate) for rate in summary.response_rates]
    return _lines(lines + _items_text(summary, fw, "respondents"))


@renderer(SURVEY, "md")
def survey_md(report) -> str:
    summary, fw = report.summary, report.framework
    lines = [
        f"# Survey: {Path(summary.path).name}",
        "",
        f"{summary.respondents} respondents. In agree/disagree questions agreeing means "
        f'{" or ".join(summary.agree)}; blank, "not applicable" and "don\'t know" answers are left out '
        f"of n. Quantity terms: {fw.title} ({fw.id}), from {summary.minimum} answers.",
        "",
    ]
    lines += [f"- {_rate_text(rate)[:1].upper()}{_rate_text(rate)[1:]}" for rate in summary.response_rates]
    lines += [""] if summary.response_rates else []
    for title, questions in _sets(summary, "respondents"):
        if title:
            lines += [f"## {title}", ""]
        rows = [
            [q.column, q.kind, q.n, q.not_counted, q.agreed, q.phrase, *_share_term(q, fw)] for q in questions
        ]
        lines += md_table(
            ["Question", "Type", "n", "Not counted", "Positive", "Counted as positive", "%", "Term"], rows
        ) + [""]
        lines += [f"- {q.sentence}" for q in questions] + [""]
    return _lines(lines + _md_notes(summary))


def _rate_text(rate) -> str:
    from qiframe.analysis import quantities

    where = f" ({rate.group})" if rate.group else ""
    return (
        f"response rate{where}: {rate.responded} of {rate.invited} invited = "
        f"{quantities.percent_text(rate.percent)}"
    )


def _share_term(question, fw) -> list[str]:
    from qiframe.analysis import quantities

    if question.description is None:
        return ["", ""]
    return [quantities.percent_text(question.share, fw.quantity_terms), _term(question)]


# --- shared ------------------------------------------------------------------------------------------


def _term(item) -> str:
    d = item.description
    if d is None:
        return ""
    if d.counts_only:
        return f"{d.count} of {d.total} (too few for a term)"
    return f"{d.term} ({d.fraction})" if d.fraction else d.term


def _sets(summary, noun: str):
    """(heading, items) for the whole file and then each group."""
    whole = summary.items if hasattr(summary, "items") else summary.questions
    yield "", whole
    for group in summary.groups:
        members = group.records if hasattr(group, "records") else group.respondents
        parts = group.items if hasattr(group, "items") else group.questions
        yield f"{summary.by}: {group.value or '(blank)'} ({members} {noun})", parts


def _md_notes(summary) -> list[str]:
    problems = getattr(summary, "problems", ())
    notes = [
        f"- Row {p.row}, column {p.letter} ({p.column}): {p.message}" for p in problems[:MAX_PROBLEMS_SHOWN]
    ]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        notes.append(
            f"- And {len(problems) - MAX_PROBLEMS_SHOWN} more cells left out (--format json lists them all)."
        )
    notes += [f"- {w[:1].upper()}{w[1:]}" for w in summary.warnings]
    return ["## Notes", "", *notes, ""] if notes else []
