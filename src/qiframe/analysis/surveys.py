"""Summarising survey results (agree/disagree questions) in the framework's quantity terms.

The input is a table with one row per respondent and one column per question. For each question:

- n counts the respondents who gave an answer, except "don't know"-style answers (DONT_KNOW: don't know,
  not sure, not applicable, prefer not to say, ...), which are counted separately and left out of n:
  a person who does not know has expressed no view, and reports quote "% of those who expressed a view";
- a respondent *agrees* when the answer is one of `agree` (by default "Strongly agree" and "Agree"),
  ignoring case and spacing; every other answer (disagree, neither, ...) counts in n but not as agreeing.

Which columns are questions: the record id, the grouping column (`by`) and free-text columns are not.
A column is a question when most of its answers are answers to a question: the agree answers, common
response words (RESPONSES) and any answer used in such a column. Columns that are not are skipped with a
warning, so a "Comments" or "Role" column does not become a question that nobody agreed with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qiframe.analysis import quantities
from qiframe.analysis.quantities import Description
from qiframe.analysis.records import SMALL_N, find_id_column, small_n_warnings, term_phrase
from qiframe.errors import InputError
from qiframe.imports.tables import Table, column_letter
from qiframe.model import QuantityTerms

DEFAULT_AGREE = ("Strongly agree", "Agree")
DONT_KNOW = frozenset(("don't know", "dont know", "do not know", "not sure", "unsure", "can't say", "cannot say",
                       "not applicable", "n/a", "na", "prefer not to say"))
RESPONSES = frozenset(("strongly agree", "agree", "tend to agree", "somewhat agree", "neither agree nor disagree",
                       "neither", "neutral", "tend to disagree", "somewhat disagree", "disagree",
                       "strongly disagree", "yes", "no", "always", "mostly", "usually", "often", "sometimes",
                       "rarely", "seldom", "never"))
ID_HEADERS = ("respondent", "respondent id", "response", "response id", "id")


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """How many respondents gave one answer."""

    answer: str
    """The answer as first written in the file."""
    count: int
    """How many gave it (ignoring case and spacing)."""


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    """One question summarised over a set of respondents."""

    column: str
    """The question, as its column header."""
    letter: str
    """The column's letter."""
    n: int
    """Respondents who answered, leaving out empty and "don't know"-style answers."""
    agreed: int
    """Respondents whose answer is one of the agree answers."""
    description: Description | None
    """`agreed` of `n` in quantity terms; None when n is 0."""
    sentence: str
    """A drafted sentence for a report."""
    answers: tuple[AnswerCount, ...] = ()
    """Every answer given and its count, most frequent first (don't-know answers included)."""
    dont_know: int = 0
    """"Don't know"-style answers, left out of n."""
    not_answered: int = 0
    """Respondents who left it empty."""
    small_n: bool = False
    """Whether n is below SMALL_N (and above 0): the term should be quoted with its numbers."""

    @property
    def share(self) -> float | None:
        """`agreed` as a percentage of `n`, or None when n is 0."""
        return self.description.percent if self.description else None


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """The questions summarised over one respondent group."""

    value: str
    """The group ("" for respondents with none)."""
    respondents: int
    """Respondents in the group."""
    questions: tuple[QuestionSummary, ...]
    """The questions, in column order."""


@dataclass(frozen=True, slots=True)
class SurveySummary:
    """A survey table summarised question by question."""

    path: str
    """The file read."""
    sheet: str | None
    """The worksheet, for xlsx."""
    respondents: int
    """Respondents (data rows)."""
    agree: tuple[str, ...]
    """The answers counted as agreeing."""
    questions: tuple[QuestionSummary, ...]
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


def summarise_survey(table: Table, terms: QuantityTerms, agree: tuple[str, ...] | list[str] = DEFAULT_AGREE,
                     by: str | None = None, id_column: str | None = None,
                     respondents: str = "people") -> SurveySummary:
    """Summarise every question of a survey table, overall and per `by` group.

    `respondents` names who answered in the drafted sentences ("staff", "parents and carers").
    """
    agree_keys = frozenset(_key(a) for a in agree if _key(a))
    if not agree_keys:
        raise InputError("give at least one answer that counts as agreeing")
    id_index = find_id_column(table, id_column, ID_HEADERS)
    by_index = table.require(by) if by else None
    columns = [i for i in range(len(table.headers)) if i not in (id_index, by_index)]
    folded: dict[str, str] = {}  # a column of thousands of answers holds a handful of distinct texts
    keys = {i: [folded[c] if c in folded else folded.setdefault(c, _key(c)) for c in table.column(i)]
            for i in columns}
    questions = _questions(keys, agree_keys)
    spelled = {i: _spellings(table.column(i), keys[i]) for i in questions}
    skipped = [i for i in columns if i not in questions]
    if not questions:
        raise InputError("no question columns: no column's answers look like agree/disagree answers "
                         f"(agree answers: {', '.join(agree)})", table.path)
    everyone = range(len(table.rows))
    ask = _Asker(table, keys, spelled, agree_keys, terms, respondents)
    overall = tuple(ask(i, everyone) for i in questions)
    groups = _groups(table, by_index, questions, ask)
    return SurveySummary(
        path=table.path, sheet=table.sheet, respondents=len(table.rows), agree=tuple(agree), questions=overall,
        id_column=table.headers[id_index] if id_index is not None else None,
        by=table.headers[by_index] if by_index is not None else None, groups=groups,
        warnings=tuple(_warnings(table, skipped, overall, groups, agree, keys, questions)),
        skipped=tuple(table.headers[i] for i in skipped))


def _key(text: str) -> str:
    # Curly apostrophes come from Word and from phones; "don’t know" must match "don't know".
    return " ".join(str(text).replace("\u2019", "'").split()).casefold()


def _questions(keys: dict[int, list[str]], agree: frozenset[str]) -> list[int]:
    """Columns most of whose answers are question answers; see the module docstring."""
    known = agree | RESPONSES
    seeds = [i for i, cells in keys.items() if _mostly(cells, known)]
    vocabulary = known | {c for i in seeds for c in keys[i]}
    return [i for i, cells in keys.items() if _mostly(cells, vocabulary)]


def _mostly(cells: list[str], words: set[str] | frozenset[str]) -> bool:
    answers = Counter(c for c in cells if c)
    views = {answer: count for answer, count in answers.items() if answer not in DONT_KNOW}
    if not views:  # only "don't know" answers: still a question, one nobody had a view on
        return bool(answers)
    inside = sum(count for answer, count in views.items() if answer in words)
    return inside * 2 > sum(views.values())


def _spellings(cells: list[str], keys: list[str]) -> dict[str, str]:
    """Each answer's first spelling in the file, to show "Strongly agree" rather than its folded key."""
    spelled: dict[str, str] = {}
    for cell, key in zip(cells, keys, strict=True):
        spelled.setdefault(key, cell)
    return spelled


@dataclass(frozen=True, slots=True)
class _Asker:
    """Summarises one question over a set of rows; holds what every call shares."""

    table: Table
    """The table, for headers."""
    keys: dict[int, list[str]]
    """Each question column's answers, folded for comparison."""
    spelled: dict[int, dict[str, str]]
    """Each question column's answers as first written, by folded key."""
    agree: frozenset[str]
    """The folded answers that count as agreeing."""
    terms: QuantityTerms
    """The quantity terms."""
    respondents: str
    """Who responded, for the sentences."""

    def __call__(self, i: int, rows) -> QuestionSummary:
        keys = self.keys[i]
        tally = Counter(keys[r] for r in rows)
        not_answered = tally.pop("", 0)
        dont_know = sum(c for k, c in tally.items() if k in DONT_KNOW)
        n = sum(tally.values()) - dont_know
        agreed = sum(c for k, c in tally.items() if k in self.agree)
        description = quantities.describe_count(agreed, n, self.terms) if n else None
        header = self.table.headers[i]
        answers = tuple(AnswerCount(self.spelled[i][k], c) for k, c in sorted(tally.items(), key=_most_first))
        return QuestionSummary(
            column=header, letter=column_letter(i), n=n, agreed=agreed, description=description,
            sentence=_sentence(header, description, self.respondents), answers=answers,
            dont_know=dont_know, not_answered=not_answered, small_n=0 < n < SMALL_N)


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _sentence(question: str, description: Description | None, respondents: str) -> str:
    statement = question.strip().rstrip(".")
    if description is None:
        return f'None of the {respondents} gave a view on "{statement}".'
    who = term_phrase(description.term)
    return (f"{who[:1].upper()}{who[1:]} of the {respondents} who responded ({description.count} of "
            f"{description.total}) agreed that: {statement}.")


def _groups(table: Table, by_index: int | None, questions: list[int], ask: _Asker) -> tuple[GroupSummary, ...]:
    if by_index is None:
        return ()
    members: dict[str, list[int]] = {}
    for r, row in enumerate(table.rows):
        members.setdefault(row[by_index], []).append(r)
    return tuple(GroupSummary(value, len(rows), tuple(ask(i, rows) for i in questions))
                 for value, rows in members.items())


def _warnings(table, skipped, overall, groups, agree, keys, questions) -> list[str]:
    out = [f"column {column_letter(i)} ({table.headers[i]}) is not a question: most of its answers are not "
           "agree/disagree answers, so it was skipped" for i in skipped]
    used = {k for i in questions for k in keys[i]}
    out += [f"no respondent answered {a!r}: check the agree answers" for a in agree if _key(a) not in used]
    out += small_n_warnings([("", overall)] + [(g.value or "(blank)", g.questions) for g in groups])
    return out
