"""Survey summaries: agreeing answers, don't-know answers left out of n, question detection and groups."""

from __future__ import annotations

import csv
import random
from collections import Counter

import pytest

from qiframe.analysis import surveys
from qiframe.errors import InputError
from qiframe.imports.tables import read_table
from qiframe.model import QuantityBand, QuantityTerms

TERMS = QuantityTerms(
    (
        QuantityBand("none", 0, 0, True, True),
        QuantityBand("few", 0, 15, False),
        QuantityBand("less than half", 15, 50),
        QuantityBand("the majority", 50, 75),
        QuantityBand("most", 75, 90),
        QuantityBand("almost all", 90, 100),
        QuantityBand("all", 100, 100, True, True),
    )
)

QUESTION = "I am confident in identifying when a child may be at risk of harm."
ANSWERS = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staff_survey(tmp_path):
    """96 staff expressed a view on QUESTION (78 agreeing); 4 more said they don't know; 2 left it blank."""
    rng = random.Random(3)
    answers = (
        ["Strongly agree"] * 30
        + ["Agree"] * 48
        + ["Neither agree nor disagree"] * 10
        + ["Disagree"] * 6
        + ["Strongly disagree"] * 2
        + ["Don't know"] * 3
        + ["don’t know"]
        + [""] * 2
    )
    rng.shuffle(answers)
    roles = ["Social work", "Health", "Education"]
    rows = [
        [str(i + 1), roles[i % 3], answer, rng.choice(ANSWERS), f"comment number {i}" if i % 5 else ""]
        for i, answer in enumerate(answers)
    ]
    path = write_csv(
        tmp_path / "staff.csv", ["Respondent", "Role", QUESTION, "I feel supported", "Comments"], rows
    )
    return path, rows


def test_staff_survey_sentence_and_counts(tmp_path):
    path, rows = staff_survey(tmp_path)
    summary = surveys.summarise_survey(read_table(path), TERMS, respondents="staff")
    first = summary.questions[0]
    assert summary.respondents == len(rows) == 102
    assert summary.id_column == "Respondent"
    assert first.column == QUESTION
    assert (first.n, first.agreed, first.dont_know, first.not_answered) == (96, 78, 4, 2)
    assert first.description.term == "most"
    assert first.sentence == (
        "Most of the staff who responded (78 of 96 who answered this question; 2 did not "
        "answer; 4 did not know or preferred not to say) agreed that: I am confident in "
        "identifying when a child may be at risk of harm."
    )
    answers = {a.answer: a.count for a in first.answers}
    assert answers["Agree"] == 48 and answers["Strongly agree"] == 30
    assert sum(answers.values()) == 100


def test_second_question_matches_an_independent_count(tmp_path):
    path, rows = staff_survey(tmp_path)
    second = surveys.summarise_survey(read_table(path), TERMS).questions[1]
    written = Counter(r[3] for r in rows)
    assert second.n == len(rows)
    assert second.agreed == written["Strongly agree"] + written["Agree"]


def test_free_text_and_role_columns_are_skipped(tmp_path):
    path, _ = staff_survey(tmp_path)
    summary = surveys.summarise_survey(read_table(path), TERMS)
    assert summary.skipped == ("Role", "Comments")
    assert [q.column for q in summary.questions] == [QUESTION, "I feel supported"]
    assert any("column E (Comments) is not a question" in w for w in summary.warnings)


def test_groups(tmp_path):
    path, rows = staff_survey(tmp_path)
    summary = surveys.summarise_survey(read_table(path), TERMS, by="Role")
    assert summary.skipped == ("Comments",)
    groups = {g.value: g for g in summary.groups}
    assert list(groups) == ["Social work", "Health", "Education"]
    health = [r for r in rows if r[1] == "Health"]
    got = groups["Health"].questions[0]
    assert groups["Health"].respondents == len(health)
    assert got.agreed == sum(r[2] in ("Strongly agree", "Agree") for r in health)
    assert sum(g.questions[0].n for g in summary.groups) == 96


def test_custom_agree_answers_and_all_negative_question(tmp_path):
    rows = [
        ["1", "Always", "Never"],
        ["2", "Mostly", "Never"],
        ["3", "Never", "Never"],
        ["4", "Sometimes", ""],
    ]
    path = write_csv(tmp_path / "c.csv", ["ID", "I am listened to", "I am bored"], rows)
    summary = surveys.summarise_survey(
        read_table(path), TERMS, minimum=1, positive={"I am listened to": ("always", "MOSTLY")}
    )
    listened, bored = summary.questions
    assert listened.kind == bored.kind == "frequency"
    assert (listened.n, listened.agreed, listened.description.term) == (4, 2, "the majority")
    assert (bored.n, bored.agreed, bored.description.term) == (3, 0, "none")
    assert bored.sentence == (
        "None of the people who responded (0 of 3 who answered this question; 1 did not "
        'answer) answered always or usually to "I am bored".'
    )
    small = surveys.summarise_survey(read_table(path), TERMS).questions[1]
    assert small.sentence == (
        "0 of the 3 people who answered this question (1 did not answer) answered always "
        'or usually to "I am bored".'
    )


def test_small_numbers_and_unused_agree_answer(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["Id", "Q1"], [["1", "Agree"], ["2", "Disagree"]])
    summary = surveys.summarise_survey(read_table(path), TERMS, minimum=2)
    assert summary.questions[0].small_n
    assert any("fewer than 20 answers" in w for w in summary.warnings)
    below = surveys.summarise_survey(read_table(path), TERMS)
    assert below.questions[0].description.counts_only
    assert any("minimum sample of 10" in w for w in below.warnings)
    assert any("no respondent answered 'Strongly agree'" in w for w in summary.warnings)


def test_only_dont_know_gives_no_term(tmp_path):
    path = write_csv(
        tmp_path / "d.csv", ["Id", "Q1", "Q2"], [["1", "Agree", "Not sure"], ["2", "Agree", "N/A"]]
    )
    q2 = surveys.summarise_survey(read_table(path), TERMS).questions[1]
    assert (q2.n, q2.dont_know, q2.not_applicable, q2.description) == (0, 1, 1, None)
    assert "gave a view" in q2.sentence


def test_no_questions_is_an_error(tmp_path):
    path = write_csv(tmp_path / "n.csv", ["Id", "Comment"], [["1", "lovely place"], ["2", "too busy"]])
    with pytest.raises(InputError, match="no question columns"):
        surveys.summarise_survey(read_table(path), TERMS)
    with pytest.raises(InputError, match="at least one answer"):
        surveys.summarise_survey(read_table(path), TERMS, agree=(" ",))
