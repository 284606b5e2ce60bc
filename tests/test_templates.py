"""Templates: written, filled in with openpyxl as a person would, read back by the matching command."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from qiframe import store

SOFFICE = shutil.which("soffice")


def fill(path: Path, sheet: str, rows: list[list], start: int) -> None:
    """Type rows into a template from row `start`, the way a person fills it in (the template stays intact)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
    wb.save(path)


def headers(path: Path, sheet: str) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(path)[sheet][1]]


def test_record_reading_template_round_trips(cli, tmp_path):
    path = tmp_path / "reading.xlsx"
    result = cli("template", "record-reading", "-o", path, "--qi", "2.1")
    assert result.code == 0, result.err
    wb = openpyxl.load_workbook(path)
    ws = wb["Records"]
    head = [c.value for c in ws[1]]
    types = [c.value for c in ws[2]]
    assert head[:3] == ["Record", "Reader", "Agency"] and "QI 2.1: overall evaluation" in head
    assert (
        dict(zip(head, types, strict=True))["Effectiveness of the plan in reducing risk"] == "effectiveness"
    )
    assert any("Completely effective" in dv.formula1 for dv in ws.data_validations.dataValidation)
    column = {h: i for i, h in enumerate(head)}
    rows = []
    # 12 records: chronology present in 9; effectiveness mostly or completely in 7 of 11 answered (one n/a).
    present = ["Present"] * 9 + ["Absent"] * 3
    plan = [
        "Completely effective",
        "Mostly effective",
        "Partly effective",
        "Mostly effective",
        "Not effective",
        "Completely effective",
        "Mostly effective",
        "Partially effective",
        "Mostly effective",
        "n/a",
        "Mostly effective",
        "Not effective",
    ]
    overall = [5, 4, 3, "Good", "Weak", 6, 4, 2, 4, 3, "Very good", 1]
    for i in range(12):
        row = [None] * len(head)
        row[column["Record"]] = f"R{i + 1}"
        row[column["Reader"]] = "Ann"
        row[column["Agency"]] = "Social work" if i % 2 else "Health"
        row[column["Chronology on file"]] = present[i]
        row[column["Effectiveness of the plan in reducing risk"]] = plan[i]
        row[column["QI 2.1: overall evaluation"]] = overall[i]
        row[column["Child seen on their own"]] = "Yes" if i < 8 else "No"
        rows.append(row)
    fill(path, "Records", rows, start=3)
    read = cli("records", "summarise", path, "--by", "Agency", "--format", "json")
    assert read.code == 0, read.err
    data = json.loads(read.out)
    assert data["records"] == 12 and data["type_row"] == 2
    items = {i["column"]: i for i in data["items"]}
    assert (
        items["Chronology on file"]["kind"],
        items["Chronology on file"]["positive"],
        items["Chronology on file"]["n"],
    ) == ("present-absent", 9, 12)
    plan_item = items["Effectiveness of the plan in reducing risk"]
    assert (plan_item["positive"], plan_item["n"], plan_item["not_applicable"]) == (7, 11, 1)
    qi = items["QI 2.1: overall evaluation"]
    assert (qi["kind"], qi["positive"], qi["n"]) == ("scale", 7, 12)  # 5, 4, Good, 6, 4, 4, Very good
    assert items["Child seen on their own"]["positive"] == 8
    # Items nobody filled in are items with nothing counted, not errors.
    assert items["Quality of the chronology"]["n"] == 0
    assert data["skipped"] == ["Notes"]
    assert {g["value"] for g in data["groups"]} == {"Health", "Social work"}


def test_survey_template_round_trips(cli, tmp_path):
    path = tmp_path / "survey.xlsx"
    result = cli(
        "template",
        "survey",
        "-o",
        path,
        "--question",
        "I feel safe at home.=agree",
        "--question",
        "Do you know who your lead professional is?=yes/no",
        "--question",
        "Age=number",
    )
    assert result.code == 0, result.err
    assert headers(path, "Responses") == [
        "Respondent",
        "Group",
        "I feel safe at home.",
        "Do you know who your lead professional is?",
        "Age",
    ]
    answers = [
        "Strongly agree",
        "Agree",
        "Agree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Don't know",
        "Strongly agree",
        "Agree",
        "Agree",
        "Strongly disagree",
        "Agree",
    ]
    know = ["Yes", "Yes", "No", "Yes", "", "Yes", "No", "Yes", "Yes", "Yes", "No", "Yes"]
    rows = [
        [i + 1, "8-11" if i < 6 else "12-15", a, k, 9 + i]
        for i, (a, k) in enumerate(zip(answers, know, strict=True))
    ]
    fill(path, "Responses", rows, start=3)
    read = cli(
        "survey", "summarise", path, "--by", "Group", "--respondents", "young people", "--format", "json"
    )
    assert read.code == 0, read.err
    data = json.loads(read.out)
    safe, knows, age = data["questions"]
    assert (safe["kind"], safe["agreed"], safe["n"], safe["dont_know"]) == ("agree", 8, 11, 1)
    assert (knows["kind"], knows["agreed"], knows["n"], knows["not_answered"]) == ("yes-no", 8, 11, 1)
    assert (age["kind"], age["numbers"]["total"], age["numbers"]["low"], age["numbers"]["high"]) == (
        "number",
        174,
        9,
        20,
    )
    assert data["respondents"] == 12 and data["type_row"] == 2
    # 8 of 11 = 72.7%, 2.3 points under three quarters.
    assert (
        "(just under three quarters: 8 of 11 who answered this question; 1 did not know or preferred not to "
        "say) agreed that" in safe["sentence"]
    )


def test_evidence_return_template_round_trips(cli, tmp_path):
    folder = tmp_path / "eval"
    assert cli("init", folder, "--framework", "ci-care-protection-2019").code == 0
    path = tmp_path / "return.xlsx"
    result = cli("template", "evidence-return", "-o", path, "--agency", "NHS Glenmuir", "-e", folder)
    assert result.code == 0, result.err
    wb = openpyxl.load_workbook(path)
    ws = wb["Evidence"]
    head = [c.value for c in ws[1]]
    assert "ID" not in head and head[0] == "Title" and "Voice" in head
    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    values = {
        lists.cell(1, c).value: [
            lists.cell(r, c).value for r in range(2, lists.max_row + 1) if lists.cell(r, c).value
        ]
        for c in range(1, lists.max_column + 1)
    }
    assert values["Agency"] == ["NHS Glenmuir"] and "children-and-young-people" in values["Voice"]
    assert ws.cell(2, head.index("Date") + 1).number_format == "@"
    column = {h: i for i, h in enumerate(head)}

    def row(**cells):
        out = [None] * len(head)
        for name, value in cells.items():
            out[column[name]] = value
        return out

    fill(
        path,
        "Evidence",
        [
            row(
                Title="Health visitor caseload review",
                Kind="case-file-audit",
                Date="March 2025",
                Indicators="2.1",
                Agency="NHS Glenmuir",
            ),
            row(
                Title="Parents' focus group",
                Kind="focus-group",
                Voice="parents-and-carers",
                Date="2025",
                Indicators="2.2; 5.4",
                Agency="NHS Glenmuir",
                Submission="yes",
            ),
        ],
        start=2,
    )
    read = cli("evidence", "import", path, "-e", folder)
    assert read.code == 0, read.err + read.out
    assert "2 new, 0 changed, 0 unchanged, 0 rejected" in read.out
    items = {e.title: e for e in store.load(folder).evidence.values()}
    audit = items["Health visitor caseload review"]
    assert (audit.kind, audit.source, audit.date, audit.agency) == (
        "case-file-audit",
        "data",
        "2025-03",
        "NHS Glenmuir",
    )
    group = items["Parents' focus group"]
    assert (group.source, group.voice, group.date, group.indicators, group.submission) == (
        "views",
        ("parents-and-carers",),
        "2025",
        ("2.2", "5.4"),
        True,
    )


def test_template_options_are_checked(cli, tmp_path):
    bad = cli("template", "survey", "-o", tmp_path / "s.xlsx", "--question", "Q=colour")
    assert bad.code == 2 and "--question 'Q=colour'" in bad.err
    wrong = cli("template", "record-reading", "-o", tmp_path / "r.xlsx", "--qi", "99.9")
    assert wrong.code == 2 and "99.9: not an indicator" in wrong.err
    csv_name = cli("template", "survey", "-o", tmp_path / "s.csv")
    assert csv_name.code == 2 and "ending in .xlsx" in csv_name.err
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "r.xlsx").exists()


def test_formula_like_text_is_written_as_text(cli, tmp_path):
    path = tmp_path / "r.xlsx"
    assert cli("template", "record-reading", "-o", path, "--item", "=1+1 checked=yes/no").code == 0
    cell = openpyxl.load_workbook(path)["Records"]["D1"]
    assert (cell.value, cell.data_type) == ("=1+1 checked", "s")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_each_template_opens_in_libreoffice(cli, tmp_path):
    made = {
        "evidence-return": ("Evidence", "Title"),
        "record-reading": ("Records", "Record"),
        "survey": ("Responses", "Respondent"),
    }
    for name in made:
        assert cli("template", name, "-o", tmp_path / f"{name}.xlsx").code == 0
    out = tmp_path / "converted"
    run = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(out),
            *(str(tmp_path / f"{n}.xlsx") for n in made),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    for name, (_, first) in made.items():
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0] == first, name
        if name != "evidence-return":
            assert rows[1][0] == "id"  # the type row survives LibreOffice


def test_record_reading_template_read_in_pairs(cli, tmp_path):
    path = tmp_path / "pairs.xlsx"
    assert (
        cli(
            "template",
            "record-reading",
            "-o",
            path,
            "--item",
            "Plan=effectiveness",
            "--item",
            "Chronology=scale",
        ).code
        == 0
    )
    # Three records read twice: the plan agrees on R1 and R2 and is two levels apart on R3; the chronology
    # agrees on R1 only, and R2 and R3 are one level apart.
    fill(
        path,
        "Records",
        [
            ["R1", "Ann", "SW", "Mostly", 4],
            ["R1", "Bo", "SW", "Mostly effective", "Good"],
            ["R2", "Ann", "SW", "Not", 3],
            ["R2", "Bo", "SW", "not effective", 2],
            ["R3", "Ann", "SW", "Completely", 5],
            ["R3", "Bo", "SW", "Partly", 6],
        ],
        start=3,
    )
    data = json.loads(cli("records", "agreement", path, "-f", "json").out)
    assert data["records"] == 3 and [i["column"] for i in data["items"]] == ["Plan", "Chronology"]
    plan, chronology = data["items"]
    assert (plan["exact"], plan["within_one"], plan["apart"]) == (2, 2, ["R3"])
    assert (chronology["exact"], chronology["within_one"], chronology["apart"]) == (1, 3, [])
