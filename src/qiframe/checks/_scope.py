"""What the rules share: which indicators an evaluation assesses and grades, and the evidence behind them.

The programme decides what is graded. An indicator covered by a graded suite (leadership 9.1-9.4) is
judged through the suite: its grade lives in indicators/<suite>.yaml and the suite's evidence is the
evidence of its indicators. Without a programme nothing is graded by a programme.
"""

from __future__ import annotations

import calendar
import datetime as dt

from qiframe import clock, model

TRIANGULATING = model.TRIANGULATING
"""Sources that count towards triangulation (defined once, in the vocabulary)."""


def graded_ids(evaluation: model.Evaluation) -> tuple[str, ...]:
    """Indicator and suite ids the programme grades."""
    prog = evaluation.programme
    return prog.graded if prog else ()


def suite_members(evaluation: model.Evaluation) -> dict[str, str]:
    """Indicator id -> id of the graded suite that covers it."""
    prog = evaluation.programme
    out: dict[str, str] = {}
    for gid in graded_ids(evaluation):
        suite = prog.suite(gid) if prog else None
        for ind in suite.indicators if suite else ():
            out[ind] = gid
    return out


def known_ids(evaluation: model.Evaluation) -> set[str]:
    """Ids an assessment or an evidence link may name: the framework's indicators and the suites."""
    prog = evaluation.programme
    return set(evaluation.framework.indicators) | {s.id for s in (prog.suites if prog else ())}


def subjects(evaluation: model.Evaluation) -> list[str]:
    """What the evaluation assesses, in framework order then suites: every graded id and every indicator
    with an assessment file, except indicators judged through their suite and ids the framework lacks."""
    graded = set(graded_ids(evaluation))
    members = suite_members(evaluation)
    wanted = graded | set(evaluation.assessments)
    out = [ind for ind in evaluation.framework.indicators if ind in wanted and ind not in members]
    prog = evaluation.programme
    out += [s.id for s in (prog.suites if prog else ()) if s.id in wanted]
    return out


def covers(evaluation: model.Evaluation, subject: str) -> tuple[str, ...]:
    """The ids whose evidence counts for a subject: a suite's indicators and the suite itself."""
    prog = evaluation.programme
    suite = prog.suite(subject) if prog else None
    return (*suite.indicators, subject) if suite else (subject,)


def linked(evaluation: model.Evaluation) -> dict[str, list[model.Evidence]]:
    """Evidence by the id it is linked to (rules share one per run through `Context.linked()`)."""
    out: dict[str, list[model.Evidence]] = {}
    for item in evaluation.evidence.values():
        for ind in item.indicators:
            out.setdefault(ind, []).append(item)
    return out


def evidence_of(
    evaluation: model.Evaluation, subject: str, index: dict[str, list[model.Evidence]] | None = None
) -> list[model.Evidence]:
    """The evidence items behind a subject, each once."""
    index = linked(evaluation) if index is None else index
    items = {e.id: e for ident in covers(evaluation, subject) for e in index.get(ident, ())}
    return list(items.values())


def name(evaluation: model.Evaluation, subject: str) -> str:
    """How a message names a subject: "QI 2.1", or "suite leadership" for indicators graded together."""
    prog = evaluation.programme
    return f"suite {subject}" if prog and prog.suite(subject) else f"QI {subject}"


def assessment_path(evaluation: model.Evaluation, subject: str) -> str:
    """The subject's assessment file, or "" when it has none."""
    found = evaluation.assessments.get(subject)
    return found.path if found else ""


def evaluation_date(evaluation: model.Evaluation, today: str) -> dt.date:
    """The date evidence age is measured from: evaluation.yaml's date, else the period's end, else today."""
    return model.parse_date(evaluation.metadata.evaluation_date) or model.parse_date(today) or clock.today()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the 31st becomes the month's last day)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
