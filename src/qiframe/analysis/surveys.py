"""Summarising survey results in the framework's quantity terms, question by question.

The input is a table with one row per respondent and one column per question. Each question's type
(agree/disagree, yes/no, frequency, effectiveness, present/absent, the framework's scale, numbers) is
detected per column, or set per column, as `qiframe.analysis.items` documents, and each question counts
its own positive answers: agreeing for an agree/disagree question, yes for a yes/no question, always or
usually for a frequency question. So a staff survey that mixes agree/disagree and Yes/No questions is
summarised correctly: one list of agree answers is never applied to a Yes/No question.

For each question n is the respondents who gave an answer; blank, "not applicable" and "don't know"-style
answers (don't know, not sure, prefer not to say, ...) are counted apart and left out of n, and every
sentence says how many there were. Free-text columns (comments, role) are not questions: they are
skipped with a warning. When the number invited is given, the response rate is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from qiframe.analysis import items as _items
from qiframe.analysis import quantities
from qiframe.analysis.items import SMALL_N, AnswerCount, ItemSummary, term_phrase  # noqa: F401 - re-exported
from qiframe.analysis.records import find_id_column
from qiframe.errors import InputError
from qiframe.imports.tables import Table
from qiframe.model import QuantityTerms, Scale

DEFAULT_AGREE = ("Strongly agree", "Agree")
DONT_KNOW = _items.DONT_KNOW | _items.NOT_APPLICABLE
ID_HEADERS = ("respondent", "respondent id", "response", "response id", "id")

QuestionSummary = ItemSummary


@dataclass(frozen=True, slots=True)
class ResponseRate:
    """How many of those invited responded."""

    group: str
    """The respondent group ("" for the whole survey)."""
    responded: int
    """Respondents (data rows)."""
    invited: int
    """The number invited."""

    @property
    def percent(self) -> float:
        return float(Fraction(100 * self.responded, self.invited))


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """The questions summarised over one respondent group."""

    value: str
    """The group ("" for respondents with none)."""
    respondents: int
    """Respondents in the group."""
    questions: tuple[ItemSummary, ...]
    """The questions, in column order."""


@dataclass(frozen=True, slots=True)
class SurveySummary:
    """A survey table summarised question by question."""

    path: str
    """The file read."""
    sheet: str | None
    """The worksheet, for xlsx."""
    respondents: int
    """Respondents (data rows; a type row is not one)."""
    agree: tuple[str, ...]
    """The answers counted as agreeing in agree/disagree questions."""
    questions: tuple[ItemSummary, ...]
    """Every question over all respondents, in column order."""
    id_column: str | None = None
    """The respondent-id column, if any."""
    by: str | None = None
    """The respondent-group column, if any."""
    groups: tuple[GroupSummary, ...] = ()
    """Per group, in order of first appearance."""
    warnings: tuple[str, ...] = ()
    """Things the reader should know: skipped columns, small numbers, agree answers never used."""
    skipped: tuple[str, ...] = ()
    """Columns that are not questions."""
    problems: tuple[_items.Problem, ...] = ()
    """Unreadable answers, left out, in row order."""
    response_rates: tuple[ResponseRate, ...] = field(default_factory=tuple)
    """The whole survey's response rate first (when the number invited is given), then the groups'."""
    minimum: int = quantities.MINIMUM_SAMPLE
    """The minimum sample: below it, counts instead of a term."""
    type_row: int | None = None
    """The row number of the type row, if the file had one."""


def summarise_survey(
    table: Table,
    terms: QuantityTerms,
    agree: tuple[str, ...] | list[str] = DEFAULT_AGREE,
    by: str | None = None,
    id_column: str | None = None,
    respondents: str = "people",
    types: dict[str, str] | None = None,
    positive: dict[str, tuple[str, ...]] | None = None,
    minimum: int | None = None,
    invited: dict[str, int] | None = None,
    scale: Scale | None = None,
) -> SurveySummary:
    """Summarise every question of a survey table, overall and per `by` group.

    `respondents` names who answered in the drafted sentences ("staff", "parents and carers"); `agree` is
    what counts as agreeing in agree/disagree questions; `types` and `positive` set a column's type and
    positive answers; `invited` gives the number invited ("" for the whole survey, else per group).
    """
    agree = tuple(a.strip() for a in agree if a.strip())
    if not agree:
        raise InputError("give at least one answer that counts as agreeing")
    least = quantities.minimum_sample(terms, minimum)
    id_index = find_id_column(table, id_column, ID_HEADERS)
    by_index = table.require(by) if by else None
    skip = {i for i in (id_index, by_index) if i is not None}
    available = _items.types(scale)
    agreeing = _agreeing(table, available, agree, skip, types, positive)
    read = _items.read_table_items(table, available, skip, types, agreeing, by_row=by is not None)
    question_columns = [c for c in read.columns if c.item is not None]
    skipped = [c for c in read.columns if c.item is None and c.detection.type == _items.TEXT]
    if not question_columns:
        raise InputError(
            "no question columns: no column's answers are answers of a question type "
            f"({', '.join(_items.ORDER)})",
            table.path,
        )

    def sentence(column, item):
        return _sentence(column, item, respondents)

    def ask(column, rows):
        return _items.summarise_column(column, rows, terms, least, sentence)

    overall = tuple(ask(c, None) for c in question_columns)
    groups: tuple[GroupSummary, ...] = ()
    if by_index is not None:
        groups = tuple(
            GroupSummary(value, len(rows), tuple(ask(c, rows) for c in question_columns))
            for value, rows in read.groups(table, by_index).items()
        )
    rates = _rates(invited or {}, len(read.rows), groups, table.path)
    warnings = [
        f"column {c.letter} ({c.header}) is not a question: {c.detection.rule}; it was skipped"
        for c in skipped
        if not c.detection.named
    ]
    used = {_items.fold(a.label) for q in overall if q.kind == "agree" for a in q.answers}
    if any(q.kind == "agree" for q in overall):
        warnings += [
            f"no respondent answered {a!r}: check the agree answers"
            for a in agree
            if _items.fold(a) not in used
        ]
    warnings += _items.small_n_warnings(
        [("", overall)] + [(g.value or "(blank)", g.questions) for g in groups], least
    )
    return SurveySummary(
        path=table.path,
        sheet=table.sheet,
        respondents=len(read.rows),
        agree=agree,
        questions=overall,
        id_column=table.headers[id_index] if id_index is not None else None,
        by=table.headers[by_index] if by_index is not None else None,
        groups=groups,
        warnings=tuple(warnings),
        skipped=tuple(c.header for c in skipped),
        problems=read.problems,
        response_rates=rates,
        minimum=least,
        type_row=read.type_row,
    )


def _agreeing(table, available, agree, skip, types, positive) -> dict[str, tuple[str, ...]]:
    """Per-column positive answers: those given, and `agree` for agree/disagree columns not given one."""
    out = dict(positive or {})
    if tuple(_items.fold(a) for a in agree) == tuple(_items.fold(a) for a in DEFAULT_AGREE):
        return out
    given = {table.require(h) for h in out}
    typed = {table.require(h): t for h, t in (types or {}).items()}
    row_types = _items.type_row(table, skip) or {}
    start = 1 if row_types else 0
    for i, header in enumerate(table.headers):
        if i in skip or i in given:
            continue
        kind = typed.get(i) or row_types.get(i)
        if kind is None:
            from collections import Counter

            kind = _items.detect(Counter(_items.fold(r[i]) for r in table.rows[start:]), available).type
        if kind == "agree":
            out[header] = agree
    return out


def _rates(invited: dict[str, int], respondents: int, groups, path: str) -> tuple[ResponseRate, ...]:
    out = []
    sizes = {g.value: g.respondents for g in groups}
    for group, number in invited.items():
        if group and group not in sizes:
            raise InputError(
                f"invited {group}={number}: no respondent group {group!r} (groups: "
                f"{', '.join(sizes) or 'none'})",
                path,
            )
        responded = sizes[group] if group else respondents
        if number < 1 or responded > number:
            raise InputError(
                f"{number} invited{f' in {group}' if group else ''} but {responded} responded: "
                "the number invited must be at least the number who responded",
                path,
            )
        out.append(ResponseRate(group, responded, number))
    out.sort(key=lambda r: r.group != "")
    return tuple(out)


def parse_invited(values: list[str] | tuple[str, ...]) -> dict[str, int]:
    """`N` (the whole survey) or `GROUP=N` options as group -> number invited."""
    out: dict[str, int] = {}
    for value in values:
        group, _, number = value.rpartition("=")
        try:
            count = int(number.strip())
        except ValueError:
            raise InputError(
                f"{{invited}} {value!r}: expected a whole number, or GROUP=N", options=("invited",)
            ) from None
        out[group.strip()] = count
    return out


_VERBS = {"yes-no": "answered yes to", "present-absent": "answered present to"}


def _sentence(column, item: ItemSummary, respondents: str) -> str:
    statement = column.header.strip().rstrip(".")
    left = _items.not_counted_text(item, "did not answer")
    if item.kind == "number":
        if not item.n or item.numbers is None:
            return f'None of the {respondents} gave a number for "{statement}".'
        return f'"{statement}": {item.n} of the {respondents} gave a number ({_items.number_text(item.numbers)}).'
    if item.description is None:
        return f'None of the {respondents} gave a view on "{statement}"' + (f" ({left})." if left else ".")
    kind = column.item.id
    default = column.phrase == column.item.phrase
    if kind == "agree" and column.phrase in ("agreed", "strongly agree or agree"):
        verb = f"agreed that: {statement}"
    elif kind in ("yes-no", "present-absent") and default:
        verb = f'{_VERBS[kind]} "{statement}"'
    elif kind in ("scale", "effectiveness"):
        verb = f'rated "{statement}" {column.phrase}'
    else:
        verb = f'answered {column.phrase} to "{statement}"'
    d = item.description
    if d.counts_only:
        detail = f" ({left})" if left else ""
        return f"{d.count} of the {d.total} {respondents} who answered this question{detail} {verb}."
    who = term_phrase(d.term)
    fraction = f"{d.fraction}: " if d.fraction else ""
    counted = f"{d.count} of {d.total} who answered this question" + (f"; {left}" if left else "")
    return f"{who[:1].upper()}{who[1:]} of the {respondents} who responded ({fraction}{counted}) {verb}."
