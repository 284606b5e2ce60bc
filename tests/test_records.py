"""Record-reading summaries: levels by value or label, thresholds, yes/no items, problems and groups."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from qiframe import frameworks
from qiframe.analysis import records
from qiframe.errors import InputError
from qiframe.imports.tables import read_table

DATA = Path(__file__).resolve().parent / "data"

SIX = {
    "id": "six",
    "levels": [
        {"value": 6, "label": "Excellent"},
        {"value": 5, "label": "Very good"},
        {"value": 4, "label": "Good"},
        {"value": 3, "label": "Adequate"},
        {"value": 2, "label": "Weak"},
        {"value": 1, "label": "Unsatisfactory"},
    ],
    "threshold": 4,
}
CI_BANDS = [
    {"term": "none", "lower": 0, "upper": 0, "lower_inclusive": True, "upper_inclusive": True},
    {"term": "few", "lower": 0, "upper": 15, "lower_inclusive": False},
    {"term": "less than half", "lower": 15, "upper": 50},
    {"term": "the majority", "lower": 50, "upper": 75},
    {"term": "most", "lower": 75, "upper": 90},
    {"term": "almost all", "lower": 90, "upper": 100},
    {"term": "all", "lower": 100, "upper": 100, "upper_inclusive": True},
]


def framework(scale=SIX, bands=CI_BANDS):
    """A framework built in the test, so these tests do not depend on the bundled files."""
    return frameworks.build(
        {
            "id": "test-ci",
            "title": "Test",
            "publisher": "tests",
            "edition": "1",
            "published": "2024",
            "source": "tests",
            "reuse": "tests",
            "scale": scale,
            "quantity_terms": {"bands": bands},
            "key_questions": [],
        }
    )


FW = framework()


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def forty_records(tmp_path: Path) -> tuple[Path, list[int]]:
    """40 records; 25 chronologies at level 4 or above, written as a mix of values and labels."""
    rng = random.Random(7)
    values = [6] * 3 + [5] * 10 + [4] * 12 + [3] * 8 + [2] * 5 + [1] * 2
    rng.shuffle(values)
    labels = {lv["value"]: lv["label"] for lv in SIX["levels"]}
    rows = []
    for i, value in enumerate(values):
        cell = (
            str(value) if i % 2 else rng.choice([labels[value], labels[value].upper(), labels[value].lower()])
        )
        plan = "yes" if i < 30 else ("no" if i < 36 else "n/a")
        rows.append([f"R{i + 1:02d}", "SW" if i % 4 else "Health", cell, plan])
    return write_csv(
        tmp_path / "audit.csv", ["Record", "Agency", "Chronology", "Plan in place"], rows
    ), values


def test_forty_records_summarise_to_the_majority(tmp_path):
    path, values = forty_records(tmp_path)
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    chronology = next(i for i in summary.items if i.column == "Chronology")
    written = Counter(values)
    assert summary.records == 40 and summary.id_column == "Record"
    assert chronology.kind == "scale"
    assert chronology.n == 40
    assert chronology.positive == sum(c for v, c in written.items() if v >= 4) == 25
    assert chronology.description.term == "the majority"
    assert [(c.value, c.label, c.count) for c in chronology.distribution] == [
        (lv["value"], lv["label"], written[lv["value"]]) for lv in SIX["levels"]
    ]
    assert chronology.sentence == (
        "In the majority of the records read (25 of 40 that answered this item), "
        "chronology was evaluated as good or better."
    )
    assert not chronology.small_n
    assert summary.phrase == "good or better"
    assert summary.skipped == ("Agency",)


def test_yes_no_share_leaves_out_not_applicable(tmp_path):
    path, _ = forty_records(tmp_path)
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    plan = next(i for i in summary.items if i.column == "Plan in place")
    assert (plan.kind, plan.n, plan.positive, plan.not_applicable) == ("yes-no", 36, 30, 4)
    assert plan.description.term == "most"  # 30 of 36 = 83.3%
    assert [(c.label, c.count) for c in plan.distribution] == [("Yes", 30), ("No", 6)]
    assert '"Plan in place" was yes' in plan.sentence


def test_label_and_value_count_the_same(tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        ["Case", "Assessment"],
        [["1", "very good"], ["2", "5"], ["3", " Very  GOOD "], ["4", "Good"], ["5", "4"]],
    )
    item = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms).items[0]
    counts = {c.value: c.count for c in item.distribution}
    assert counts[5] == 3 and counts[4] == 2
    assert item.n == 5


def test_invalid_cells_are_reported_with_row_and_column(tmp_path):
    rows = [["1", "4", "yes"], ["2", "7", "no"], ["3", "maybe", "yes"], ["4", "Good", "5"], ["5", "3", ""]]
    path = write_csv(tmp_path / "p.csv", ["Record", "Review", "Child seen"], rows)
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    found = [(p.row, p.letter, p.column, p.value) for p in summary.problems]
    assert found == [(3, "B", "Review", "7"), (4, "B", "Review", "maybe"), (5, "C", "Child seen", "5")]
    assert "row 3, column B (Review)" in str(summary.problems[0])
    review, seen = summary.items
    assert (review.n, review.problems, review.positive) == (3, 2, 2)
    assert (seen.n, seen.problems, seen.not_answered) == (3, 1, 1)


def test_threshold_by_label_or_value(tmp_path):
    path, values = forty_records(tmp_path)
    table = read_table(path)
    for threshold in ("Very good", "5", 5):
        summary = records.summarise_records(table, FW.scale, FW.quantity_terms, threshold=threshold)
        assert summary.phrase == "very good or better"
        assert summary.items[0].positive == sum(v >= 5 for v in values)
    top = records.summarise_records(table, FW.scale, FW.quantity_terms, threshold=6)
    assert top.phrase == "excellent"
    with pytest.raises(InputError, match="not a level of the scale"):
        records.summarise_records(table, FW.scale, FW.quantity_terms, threshold="Superb")


def test_groups_summarise_each_value(tmp_path):
    path, values = forty_records(tmp_path)
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms, by="agency")
    assert summary.by == "Agency" and summary.skipped == ()
    groups = {g.value: g for g in summary.groups}
    assert set(groups) == {"SW", "Health"}
    health = [v for i, v in enumerate(values) if i % 4 == 0]
    assert groups["Health"].records == len(health)
    assert groups["Health"].items[0].positive == sum(v >= 4 for v in health)
    assert groups["SW"].items[0].n + groups["Health"].items[0].n == 40
    assert any("group 'Health'" in w for w in summary.warnings)  # 10 records: small n


def test_small_numbers_are_flagged(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", ["Record", "Plan"], [[str(i), "4"] for i in range(records.SMALL_N - 1)]
    )
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    assert summary.items[0].small_n
    assert any(f"fewer than {records.SMALL_N} answers" in w and '"Plan"' in w for w in summary.warnings)
    path = write_csv(tmp_path / "t.csv", ["Record", "Plan"], [[str(i), "4"] for i in range(records.SMALL_N)])
    assert not records.summarise_records(read_table(path), FW.scale, FW.quantity_terms).items[0].small_n


def test_four_level_scale_is_data(tmp_path):
    fw = frameworks.load_file(DATA / "frameworks" / "valid" / "four-level.yaml")
    path = write_csv(
        tmp_path / "f.csv",
        ["ID", "Safety"],
        [["1", "Strong"], ["2", "3"], ["3", "sound"], ["4", "2"], ["5", "Weak"], ["6", "6"]],
    )
    summary = records.summarise_records(read_table(path), fw.scale, fw.quantity_terms, minimum=5)
    item = summary.items[0]
    assert [(c.value, c.count) for c in item.distribution] == [(4, 1), (3, 2), (2, 1), (1, 1)]
    assert summary.phrase == "sound or better"
    assert (item.positive, item.n) == (3, 5)
    assert item.description.term == "many"
    assert [p.value for p in summary.problems] == ["6"]


def test_id_column_detection_and_override(tmp_path):
    path = write_csv(
        tmp_path / "i.csv", ["Reader", "Record_ID", "Plan"], [["Ann", "R1", "4"], ["Bo", "R1", "5"]]
    )
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    assert summary.id_column == "Record_ID"
    assert summary.reader == "Reader" and summary.skipped == ()  # a reader column is not an item
    assert any("record 'R1' appears in rows 2, 3" in w for w in summary.warnings)
    given = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms, id_column="Reader")
    assert given.id_column == "Reader"
    assert [i.column for i in given.items] == ["Plan"]  # Record_ID is text, so skipped
    assert given.skipped == ("Record_ID",)
    with pytest.raises(InputError, match="no column 'Nope'"):
        records.summarise_records(read_table(path), FW.scale, FW.quantity_terms, id_column="Nope")


def test_unanswered_item_has_no_term(tmp_path):
    path = write_csv(tmp_path / "u.csv", ["Record", "Plan", "IRD held"], [["1", "4", "n/a"], ["2", "5", ""]])
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    ird = summary.items[1]
    assert (ird.kind, ird.n, ird.description, ird.not_applicable, ird.not_answered) == (
        "unanswered",
        0,
        None,
        1,
        1,
    )
    assert "No record read answered" in ird.sentence


def test_sentence_keeps_acronyms_and_adds_the_to_majority():
    assert records.lower_first("IRD held") == "IRD held"
    assert records.lower_first("Chronology") == "chronology"
    assert records.term_phrase("majority") == "the majority"
    assert records.term_phrase("most") == "most"


def test_yes_no_answers_ignore_case_and_abbreviation(tmp_path):
    rows = [
        ["1", "Yes"],
        ["2", "Y"],
        ["3", "NO"],
        ["4", "N/A"],
        ["5", "Not Applicable"],
        ["6", "na"],
        ["7", "n"],
    ]
    path = write_csv(tmp_path / "y.csv", ["Record", "IRD held"], rows)
    summary = records.summarise_records(read_table(path), FW.scale, FW.quantity_terms)
    item = summary.items[0]
    assert (item.kind, item.positive, item.n, item.not_applicable, item.problems) == ("yes-no", 2, 4, 3, 0)
    assert summary.problems == ()
