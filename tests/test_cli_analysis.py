"""`qiframe describe`, `records summarise` and `survey summarise` through the real CLI boundary."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

DATA = Path(__file__).resolve().parent / "data"


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def audit(tmp_path: Path) -> Path:
    """25 records with good-or-better chronologies out of 40, one unreadable cell, one yes/no item."""
    levels = [6] * 3 + [5] * 10 + [4] * 12 + [3] * 8 + [2] * 5 + [1] * 2
    rows = [
        [f"R{i}", "Very good" if v == 5 and i % 2 else str(v), "yes" if i % 3 else "no"]
        for i, v in enumerate(levels, start=1)
    ]
    rows.append(["R41", "7", "yes"])
    return write_csv(tmp_path / "audit.csv", ["Record", "Chronology", "Child seen"], rows)


# --- describe ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "term"),
    [
        ("14", "few"),
        ("15", "less than half"),
        ("49.9", "less than half"),
        ("50%", "the majority"),
        ("90", "almost all"),
        ("0", "none"),
        ("100", "all"),
    ],
)
def test_describe_percent(cli, arg, term):
    result = cli("describe", arg)
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.endswith(f": {term}")
    assert "band" in result.out and "rule" in result.out


def test_describe_count_json(cli):
    result = cli("describe", "--count", "25", "--of", "40", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["term"], data["count"], data["total"], data["percent"]) == ("the majority", 25, 40, 62.5)
    assert data["interval"] == "[50%, 75%)"
    assert data["framework"] == "ci-care-protection-2019"


@pytest.mark.parametrize(
    "args",
    [
        ("50", "--count", "1", "--of", "2"),
        (),
        ("--count", "3"),
        ("101",),
        ("abc",),
        ("--count", "5", "--of", "4"),
        ("--count", "1", "--of", "0"),
    ],
)
def test_describe_bad_input_exits_2(cli, args):
    result = cli("describe", *args)
    assert result.code == 2
    assert "qiframe: error:" in result.err and "Traceback" not in result.err


def test_describe_with_a_workspace_framework(cli, tmp_path):
    (tmp_path / "frameworks").mkdir()
    shutil.copy(DATA / "frameworks" / "valid" / "four-level.yaml", tmp_path / "frameworks")
    result = cli("describe", "--count", "2", "--of", "4", "--framework", "test-four-level", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "2 of 4 = 50%: many"


# --- records -----------------------------------------------------------------------------------------


def test_records_text(cli, tmp_path):
    result = cli("records", "summarise", audit(tmp_path))
    assert result.code == 0, result.err
    assert (
        "In the majority of the records read (25 of 40 that answered this item; 1 unreadable, left out), "
        "chronology was evaluated as good or better."
    ) in result.out
    assert "Chronology (scale: 40 of 41 counted answers read as the scale 'ci-six-point'" in result.out
    assert (
        "6 Excellent 3 · 5 Very good 10 · 4 Good 12 · 3 Adequate 8 · 2 Weak 5 · 1 Unsatisfactory 2"
        in result.out
    )
    assert "row 42, column B (Chronology): '7' is not a level" in result.err
    assert "warning" not in result.out


def test_records_json_carries_problems_and_warnings(cli, tmp_path):
    result = cli("records", "summarise", audit(tmp_path), "--format", "json", "--threshold", "very good")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    chronology, seen = data["items"]
    assert data["phrase"] == "very good or better"
    assert (chronology["n"], chronology["positive"]) == (40, 13)
    assert chronology["description"]["term"] == "less than half"
    assert [c["count"] for c in chronology["distribution"]] == [3, 10, 12, 8, 5, 2]
    assert seen["kind"] == "yes-no" and seen["n"] == 41
    assert data["problems"] == [
        {
            "row": 42,
            "column": "Chronology",
            "letter": "B",
            "value": "7",
            "message": data["problems"][0]["message"],
        }
    ]
    assert data["warnings"] == [] and result.err == ""


def test_records_markdown(cli, tmp_path):
    result = cli("records", "summarise", audit(tmp_path), "--format", "md")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "# Record reading: audit.csv"
    assert (
        "| Chronology | scale | 40 | 1 | 3 | 10 | 12 | 8 | 5 | 2 | 25 | good or better | 62.5% | the majority |"
        in lines
    )
    assert any(line.startswith("- Row 42, column B (Chronology)") for line in lines)


def test_records_by_group(cli, tmp_path):
    path = write_csv(
        tmp_path / "g.csv",
        ["Record", "Agency", "Plan"],
        [["1", "SW", "4"], ["2", "SW", "2"], ["3", "Health", "5"]],
    )
    result = cli("records", "summarise", path, "--by", "agency", "--format", "json")
    data = json.loads(result.out)
    assert [(g["value"], g["items"][0]["positive"], g["items"][0]["n"]) for g in data["groups"]] == [
        ("SW", 1, 2),
        ("Health", 1, 1),
    ]
    assert any("group 'SW'" in w for w in data["warnings"])
    bad = cli("records", "summarise", path, "--by", "Team")
    assert bad.code == 2 and "no column 'Team' (columns: Record, Agency, Plan)" in bad.err


def workbook_with_formula(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Audit"
    ws.append(["Record", "Chronology"])
    for i, value in enumerate([4, "Good", 5, 3, "=2+2"], start=1):
        ws.append([f"R{i}", value])
    wb.create_sheet("Notes").append(["nothing here"])
    wb.save(path)
    return path


def test_records_xlsx_formula_is_text_not_evaluated(cli, tmp_path):
    path = workbook_with_formula(tmp_path / "audit.xlsx")
    result = cli("records", "summarise", path, "--format", "json", "--sheet", "Audit")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["sheet"] == "Audit"
    assert [(p["row"], p["letter"], p["value"]) for p in data["problems"]] == [(6, "B", "=2+2")]
    item = data["items"][0]
    counts = {c["value"]: c["count"] for c in item["distribution"]}
    assert (item["n"], counts[4], counts[5], counts[3]) == (4, 2, 1, 1)


def test_records_unknown_sheet(cli, tmp_path):
    result = cli("records", "summarise", workbook_with_formula(tmp_path / "a.xlsx"), "--sheet", "Data")
    assert result.code == 2
    assert "no sheet 'Data' (sheets: 'Audit', 'Notes')" in result.err


def test_corrupt_xlsx_exits_2_naming_the_file(cli, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00garbage" * 20)
    result = cli("records", "summarise", path)
    assert result.code == 2
    assert "broken.xlsx" in result.err and "not a readable xlsx workbook" in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_records_with_a_four_level_framework(cli, tmp_path):
    (tmp_path / "frameworks").mkdir()
    shutil.copy(DATA / "frameworks" / "valid" / "four-level.yaml", tmp_path / "frameworks")
    path = write_csv(tmp_path / "f.csv", ["Case", "Safety"], [["1", "Strong"], ["2", "sound"], ["3", "1"]])
    result = cli(
        "records", "summarise", path.name, "--framework", "test-four-level", "-f", "json", cwd=tmp_path
    )
    assert result.code == 0, result.err
    item = json.loads(result.out)["items"][0]
    assert [c["label"] for c in item["distribution"]] == ["Strong", "Sound", "Developing", "Weak"]
    assert (item["positive"], item["description"]["term"]) == (2, "many")


def test_add_evidence_needs_a_qi(cli, tmp_path):
    result = cli("records", "summarise", audit(tmp_path), "--add-evidence")
    assert result.code == 2 and "--qi" in result.err


def test_add_evidence_to_an_evaluation(cli, tmp_path):
    init = cli("init", tmp_path / "eval", "--framework", "ci-care-protection-2019")
    assert init.code == 0, init.err
    path = write_csv(tmp_path / "eval" / "audit.csv", ["Record", "Plan"], [[str(i), "4"] for i in range(5)])
    result = cli(
        "records",
        "summarise",
        path,
        "--add-evidence",
        "--qi",
        "2.1",
        "-e",
        tmp_path / "eval",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    added = json.loads(result.out)["evidence"]
    text = (tmp_path / "eval" / "evidence" / f"{added}.yaml").read_text(encoding="utf-8")
    assert "kind: case-file-audit" in text and "source: data" in text and "location: audit.csv" in text
    # 5 records is below the minimum sample (10): counts, not "all".
    assert (
        "In 5 of the 5 records read that answered this item, plan was evaluated as good or better."
        in " ".join(text.split())
    )


# --- surveys -----------------------------------------------------------------------------------------


def survey(tmp_path: Path) -> Path:
    answers = ["Strongly agree"] * 30 + ["Agree"] * 48 + ["Disagree"] * 18 + ["Don't know"] * 4
    rows = [[str(i), "Health" if i % 2 else "Police", a] for i, a in enumerate(answers)]
    return write_csv(tmp_path / "staff.csv", ["Respondent", "Agency", "I know how to raise a concern."], rows)


def test_survey_text(cli, tmp_path):
    result = cli("survey", "summarise", survey(tmp_path), "--respondents", "staff")
    assert result.code == 0, result.err
    assert (
        "Most of the staff who responded (78 of 96 who answered this question; 4 did not know or preferred "
        "not to say) agreed that: I know how to raise a concern." in result.out
    )
    assert "column B (Agency) is not a question" in result.err


def test_survey_json_by_group_and_custom_agree(cli, tmp_path):
    result = cli(
        "survey",
        "summarise",
        survey(tmp_path),
        "--by",
        "Agency",
        "--agree",
        "Strongly agree",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    question = data["questions"][0]
    assert (question["n"], question["agreed"], question["dont_know"]) == (96, 30, 4)
    assert question["description"]["term"] == "less than half"
    assert sum(g["questions"][0]["agreed"] for g in data["groups"]) == 30
    assert data["agree"] == ["Strongly agree"]


def test_survey_markdown(cli, tmp_path):
    result = cli("survey", "summarise", survey(tmp_path), "-f", "md")
    assert result.code == 0, result.err
    assert "| I know how to raise a concern. | agree | 96 | 4 | 78 | agreed | 81.3% | most |" in result.out


def test_survey_add_evidence_is_views(cli, tmp_path):
    assert cli("init", tmp_path / "eval", "--framework", "ci-care-protection-2019").code == 0
    result = cli(
        "survey", "summarise", survey(tmp_path), "--add-evidence", "--qi", "2.1", "-e", tmp_path / "eval"
    )
    assert result.code == 0, result.err
    assert "added evidence E-" in result.err
    [item] = (tmp_path / "eval" / "evidence").glob("*.yaml")
    text = item.read_text(encoding="utf-8")
    assert "kind: survey" in text and "source: views" in text and "voice" not in text
    heard = cli(
        "survey",
        "summarise",
        survey(tmp_path),
        "--add-evidence",
        "--qi",
        "2.1",
        "--voice",
        "staff",
        "-e",
        tmp_path / "eval",
        "--format",
        "json",
    )
    assert heard.code == 0, heard.err
    added = json.loads(heard.out)["evidence"]
    assert "voice:\n  - staff" in (tmp_path / "eval" / "evidence" / f"{added}.yaml").read_text(
        encoding="utf-8"
    )
    alone = cli("survey", "summarise", survey(tmp_path), "--voice", "staff")
    assert alone.code == 2 and "--voice is used with --add-evidence" in alone.err
