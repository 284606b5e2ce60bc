"""Item types per column, per-question positive answers, denominators, minimum sample and pair agreement."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from qiframe import frameworks
from qiframe.analysis import agreement, items, records, surveys
from qiframe.errors import InputError
from qiframe.imports.tables import read_table

DATA = Path(__file__).resolve().parent / "data"
CI = frameworks.load("ci-care-protection-2019")
FOUR = frameworks.load_file(DATA / "frameworks" / "valid" / "four-level.yaml")


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


SUPPORTED = "I feel supported by my manager."
TRAINED = "Have you had child protection training in the last year?"
OFTEN = "How often do you get supervision on time?"


def mixed_staff_survey(tmp_path: Path) -> Path:
    """64 staff: an agree/disagree question, a Yes/No question (35 yes, 25 no, 4 blank), a frequency one."""
    rng = random.Random(11)
    agree = (
        ["Strongly agree"] * 20
        + ["Agree"] * 22
        + ["Neither agree nor disagree"] * 8
        + ["Disagree"] * 10
        + ["Strongly disagree"] * 2
        + ["Don't know"] * 2
    )
    yes_no = ["Yes"] * 35 + ["No"] * 25 + [""] * 4
    often = ["Always"] * 16 + ["Usually"] * 24 + ["Sometimes"] * 14 + ["Never"] * 6 + ["N/A"] * 4
    for column in (agree, yes_no, often):
        rng.shuffle(column)
    rows = [
        [f"S{i + 1}", ["Health", "Social work"][i % 2], a, y, o, "fine" if i % 3 else ""]
        for i, (a, y, o) in enumerate(zip(agree, yes_no, often, strict=True))
    ]
    return write_csv(
        tmp_path / "staff.csv", ["Respondent", "Agency", SUPPORTED, TRAINED, OFTEN, "Comments"], rows
    )


def test_mixed_staff_survey_counts_each_question_by_its_own_answers(tmp_path):
    summary = surveys.summarise_survey(
        read_table(mixed_staff_survey(tmp_path)), CI.quantity_terms, respondents="staff"
    )
    supported, trained, often = summary.questions
    assert [q.kind for q in summary.questions] == ["agree", "yes-no", "frequency"]
    assert summary.skipped == ("Agency", "Comments")
    assert (supported.n, supported.positive, supported.dont_know) == (62, 42, 2)
    assert (trained.n, trained.positive, trained.not_answered) == (60, 35, 4)
    assert trained.sentence == (
        "The majority of the staff who responded (35 of 60 who answered this question; "
        f'4 did not answer) answered yes to "{TRAINED.rstrip(".")}".'
    )
    assert (often.n, often.positive, often.not_applicable) == (60, 40, 4)
    assert often.description.fraction == "two thirds"  # 40 of 60, exactly
    assert "answered always or usually to" in often.sentence


def test_mixed_staff_survey_through_the_cli(cli, tmp_path):
    path = mixed_staff_survey(tmp_path)
    result = cli("survey", "summarise", path, "--respondents", "staff", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    trained = next(q for q in data["questions"] if q["column"] == TRAINED)
    assert (trained["agreed"], trained["n"], trained["kind"]) == (35, 60, "yes-no")
    text = cli("survey", "summarise", path, "--respondents", "staff")
    assert "(35 of 60 who answered this question; 4 did not answer) answered yes to" in text.out
    assert "None of the staff" not in text.out


def test_per_question_positive_answers_and_type_override(tmp_path):
    path = mixed_staff_survey(tmp_path)
    table = read_table(path)
    summary = surveys.summarise_survey(
        table, CI.quantity_terms, positive={TRAINED: ("No",)}, types={"Agency": "text"}
    )
    trained = summary.questions[1]
    assert (trained.positive, trained.phrase) == (25, "no")
    assert "set by" not in trained.rule and trained.rule == "60 of 60 counted answers read as yes/no"
    with pytest.raises(InputError, match="not an answer of column"):
        surveys.summarise_survey(table, CI.quantity_terms, positive={TRAINED: ("Maybe",)})
    forced = surveys.summarise_survey(table, CI.quantity_terms, types={OFTEN: "agree"})
    often = forced.questions[2]
    assert often.kind == "agree" and often.n == 0 and often.problems == 60
    assert often.rule.startswith("agree/disagree, set by option: 0 of 60")


def test_response_rate(tmp_path):
    table = read_table(mixed_staff_survey(tmp_path))
    summary = surveys.summarise_survey(table, CI.quantity_terms, by="Agency", invited={"": 80, "Health": 40})
    whole, health = summary.response_rates
    assert (whole.group, whole.responded, whole.invited, whole.percent) == ("", 64, 80, 80.0)
    assert (health.group, health.responded) == ("Health", 32)
    with pytest.raises(InputError, match="at least the number who responded"):
        surveys.summarise_survey(table, CI.quantity_terms, invited={"": 50})
    with pytest.raises(InputError, match="no respondent group 'Police'"):
        surveys.summarise_survey(table, CI.quantity_terms, by="Agency", invited={"Police": 5})


def reading_file(tmp_path: Path) -> Path:
    """24 records, 12 per agency, with one item of each type the issue names."""
    chronology = ["6", "Very good", "5", "4", "Good", "4", "3", "2", "Adequate", "1", "5", "4"] * 2
    plan = [
        "Completely effective",
        "Mostly effective",
        "Partly",
        "Not effective",
        "Partially effective",
        "mostly",
        "completely",
        "partly effective",
        "n/a",
        "Mostly effective",
        "Not effective",
        "",
    ] * 2
    seen = ["Yes", "No", "Yes", "Yes", "N/A", "Yes", "No", "Yes", "Yes", "Yes", "y", "n"] * 2
    present = [
        "Present",
        "Absent",
        "Present",
        "Present",
        "Present",
        "Absent",
        "present",
        "Present",
        "",
        "Absent",
        "Present",
        "Present",
    ] * 2
    rows = [
        [f"R{i + 1:02d}", "Social work" if i < 12 else "Health", c, p, s, a, "comment" if i % 4 else ""]
        for i, (c, p, s, a) in enumerate(zip(chronology, plan, seen, present, strict=True))
    ]
    header = [
        "Record",
        "Agency",
        "Quality of chronology",
        "Effectiveness of the plan",
        "Child seen alone",
        "Chronology on file",
        "Notes",
    ]
    return write_csv(tmp_path / "reading.csv", header, rows)


def test_record_reading_every_item_type_summarised_none_skipped(cli, tmp_path):
    result = cli("records", "summarise", reading_file(tmp_path), "--by", "Agency", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    kinds = {i["column"]: i["kind"] for i in data["items"]}
    assert kinds == {
        "Quality of chronology": "scale",
        "Effectiveness of the plan": "effectiveness",
        "Child seen alone": "yes-no",
        "Chronology on file": "present-absent",
    }
    assert data["skipped"] == ["Notes"] and data["problems"] == []
    by_name = {i["column"]: i for i in data["items"]}
    # Hand counts over the 12-row pattern, doubled: chronology good or better 6, 5, 5, 4, 4, 4, 5, 4 = 8 of 12.
    assert (by_name["Quality of chronology"]["positive"], by_name["Quality of chronology"]["n"]) == (16, 24)
    plan = by_name["Effectiveness of the plan"]
    # Partly and partially both count; n/a and blank are left out: 10 counted per 12, 5 mostly or completely.
    assert (plan["positive"], plan["n"], plan["not_applicable"], plan["not_answered"]) == (10, 20, 2, 2)
    assert [(c["label"], c["count"]) for c in plan["distribution"]] == [
        ("Completely effective", 4),
        ("Mostly effective", 6),
        ("Partially effective", 6),
        ("Not effective", 4),
    ]
    seen = by_name["Child seen alone"]
    assert (seen["positive"], seen["n"], seen["not_applicable"]) == (16, 22, 2)
    present = by_name["Chronology on file"]
    assert (present["positive"], present["n"], present["not_answered"]) == (16, 22, 2)
    assert "that answered this item; 2 blank; 2 not applicable" in plan["sentence"]
    assert "mostly or completely effective" in plan["sentence"]
    groups = {g["value"]: g for g in data["groups"]}
    assert set(groups) == {"Social work", "Health"}
    sw_plan = next(i for i in groups["Social work"]["items"] if i["column"] == "Effectiveness of the plan")
    assert (sw_plan["positive"], sw_plan["n"]) == (5, 10)
    assert (sw_plan["description"]["term"], sw_plan["description"]["fraction"]) == ("the majority", "half")
    text = cli("records", "summarise", reading_file(tmp_path), "--by", "Agency")
    assert "(effectiveness: 20 of 20 counted answers read as effectiveness" in text.out
    assert "not a reading item" in text.err and "Notes" in text.err


def test_type_row_sets_types_and_is_not_a_record(tmp_path):
    rows = [
        ["id", "yes/no", "scale", "text"],
        ["1", "Yes", "4", "ok"],
        ["2", "No", "Good", ""],
        ["3", "Yes", "2", "x"],
    ]
    path = write_csv(tmp_path / "t.csv", ["Record", "IRD held", "Assessment", "Notes"], rows)
    summary = records.summarise_records(read_table(path), CI.scale, CI.quantity_terms, minimum=1)
    assert summary.records == 3 and summary.type_row == 2
    ird, assessment = summary.items
    assert (ird.kind, ird.positive, ird.n) == ("yes-no", 2, 3)
    assert ird.rule.startswith("yes/no, set by type row")
    assert (assessment.kind, assessment.positive) == ("scale", 2)
    assert summary.skipped == ("Notes",)


def test_a_first_record_of_answers_is_not_a_type_row(tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Record", "Q"], [["1", "Yes"], ["2", "No"]])
    summary = records.summarise_records(read_table(path), CI.scale, CI.quantity_terms)
    assert summary.type_row is None and summary.records == 2


def test_four_level_scale_and_numbers(tmp_path):
    rows = [
        [str(i), lv, str(v)] for i, (lv, v) in enumerate([("Strong", 3), ("sound", 0), ("2", 7), ("Weak", 2)])
    ]
    path = write_csv(tmp_path / "f.csv", ["ID", "Safety", "Visits"], rows)
    summary = records.summarise_records(read_table(path), FOUR.scale, FOUR.quantity_terms)
    safety, visits = summary.items
    assert safety.kind == "scale" and visits.kind == "number"
    assert (visits.numbers.total, visits.numbers.low, visits.numbers.high, visits.numbers.mean) == (
        12,
        0,
        7,
        3,
    )
    assert "total 12, mean 3, from 0 to 7" in visits.sentence


def test_describe_below_the_minimum_sample_gives_counts(cli):
    result = cli("describe", "--count", "1", "--of", "2")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "1 of 2 = 50%: 1 of 2 (no quantity term)"
    assert "majority" not in result.out
    data = json.loads(cli("describe", "--count", "1", "--of", "2", "--format", "json").out)
    assert (data["term"], data["counts_only"], data["minimum"]) == ("", True, 10)
    given = cli("describe", "--count", "1", "--of", "2", "--min-sample", "2")
    assert given.out.splitlines()[0] == "1 of 2 = 50%: the majority"
    fraction = cli("describe", "--count", "31", "--of", "60")
    assert "  fraction   just over half" in fraction.out


def test_summaries_below_the_minimum_sample_give_counts(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["Record", "Chronology"], [["1", "5"], ["2", "2"]])
    item = records.summarise_records(read_table(path), CI.scale, CI.quantity_terms).items[0]
    assert item.sentence == (
        "In 1 of the 2 records read that answered this item, chronology was evaluated as good or better."
    )
    assert item.description.counts_only and "majority" not in item.sentence


def paired(tmp_path: Path) -> Path:
    """20 records, each read by two readers, rated on the six-point scale and yes/no.

    Worked by hand: the chronology ratings agree exactly on 13 records, differ by one level on 4 (R14-R17)
    and by two or more on 3 (R18: 5 v 3, R19: 6 v 3, R20: 2 v 4): exact 13 of 20, within one 17 of 20.
    Yes/no "Child seen" differs on R03 and R07: exact 18 of 20. R10's plan is n/a for one reader.
    """
    first = [5, 4, 4, 3, 6, 2, 4, 5, 3, 4, 1, 4, 5, 4, 3, 5, 2, 5, 6, 2]
    second = [5, 4, 4, 3, 6, 2, 4, 5, 3, 4, 1, 4, 5, 5, 2, 4, 3, 3, 3, 4]
    rows = []
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        rid = f"R{i + 1:02d}"
        seen_a, seen_b = "Yes", ("No" if i in (2, 6) else "Yes")
        plan_a, plan_b = "Mostly effective", ("n/a" if i == 9 else "Partly effective" if i == 0 else "Mostly")
        rows.append([rid, "Ann", str(a), seen_a, plan_a])
        rows.append([rid, "Bo", CI.scale.level(b).label if i % 2 else str(b), seen_b, plan_b])
    rows.append(["R21", "Ann", "4", "Yes", "Mostly"])  # read once: left out
    return write_csv(tmp_path / "pairs.csv", ["Record", "Reader", "Chronology", "Child seen", "Plan"], rows)


def test_pair_agreement_on_twenty_records(tmp_path):
    summary = agreement.pair_agreement(read_table(paired(tmp_path)), CI.scale)
    assert (summary.records, summary.reader) == (20, "Reader")
    chronology, seen, plan = summary.items
    assert (chronology.pairs, chronology.exact, chronology.within_one) == (20, 13, 17)
    assert (chronology.exact_percent, chronology.within_one_percent) == (65.0, 85.0)
    assert chronology.apart == ("R18", "R19", "R20")
    assert (seen.kind, seen.pairs, seen.exact, seen.within_one, seen.apart) == (
        "yes-no",
        20,
        18,
        None,
        ("R03", "R07"),
    )
    assert (plan.kind, plan.pairs, plan.exact, plan.within_one, plan.left_out) == (
        "effectiveness",
        19,
        18,
        19,
        1,
    )
    assert any("'R21' is read 1 time" in w for w in summary.warnings)


def test_pair_agreement_cli(cli, tmp_path):
    result = cli("records", "agreement", paired(tmp_path))
    assert result.code == 0, result.err
    assert "exact 13 of 20 (65%) · within one level 17 of 20 (85%)" in result.out
    assert "to moderate: R18, R19, R20" in result.out
    data = json.loads(cli("records", "agreement", paired(tmp_path), "-f", "json").out)
    assert data["items"][0]["exact_percent"] == 65.0
    md = cli("records", "agreement", paired(tmp_path), "-f", "md").out
    assert "| Chronology | scale | 20 | 13 of 20 (65%) | 17 of 20 (85%) | 0 | R18, R19, R20 |" in md


def test_bad_type_and_positive_options(cli, tmp_path):
    path = reading_file(tmp_path)
    bad = cli("records", "summarise", path, "--type", "Notes=colour")
    assert bad.code == 2 and "--type 'Notes=colour'" in bad.err
    missing = cli("records", "summarise", path, "--type", "Nope=text")
    assert missing.code == 2 and "no column 'Nope'" in missing.err
    wrong = cli("records", "summarise", path, "--positive", "Child seen alone=Often")
    assert wrong.code == 2 and "'Often' is not an answer of column 'Child seen alone'" in wrong.err


def test_fold_and_type_names():
    assert items.fold("Don’t  KNOW") == "don't know"
    assert items.type_named("Yes/No") == "yes-no" and items.type_named("Likert") == "agree"
    assert items.type_named("agree") == "agree"
    # ...but "Agree" in a first row is an answer, so the row is a record, not a type row.
    assert all(
        not items.FIXED[t].read(items.fold(n)) for t, n in items.TYPE_ROW_NAMES.items() if t in items.FIXED
    )
