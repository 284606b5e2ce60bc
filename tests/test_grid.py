"""Starting from an existing self-evaluation grid (xlsx or csv): one row per indicator."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from qiframe import assessments, store, yamlio
from tests.conftest import snapshot


@pytest.fixture
def fresh(tmp_path) -> Path:
    return store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run_import(cli, root: Path, file: Path, *args: str, code: int = 0) -> dict:
    result = cli("import", "grid", file, "-e", root, "--format", "json", *args)
    assert result.code == code, result.err
    return json.loads(result.out) if result.out else {}


def indicator(root: Path, ident: str) -> dict:
    return yamlio.load(root / "indicators" / f"{ident}.yaml")


def test_a_grid_with_its_own_headers_and_grade_words_comes_in(fresh, cli, tmp_path):
    framework = store.load(fresh).framework
    title_53 = framework.indicators["5.3"].title
    grid = write_csv(
        tmp_path / "grid.csv",
        [
            [
                "QI",
                "Self-evaluation",
                "Key strengths",
                "Areas for development",
                "Next steps",
                "Lead officer",
                "RAG",
            ],
            [
                "QI 2.1",
                "Good",
                "Stable relationships\n- Plans reviewed on time",
                "Chronologies",
                "Re-audit",
                "CSWO",
                "Amber",
            ],
            [title_53, "Green", "", "Risk assessments vary", "", "", "Green"],
            ["", "", "", "", "", "", ""],
        ],
    )
    report = run_import(cli, fresh, grid, "--grade", "Green=5")
    assert report["columns"] == {
        "QI": "indicator",
        "Self-evaluation": "grade",
        "Key strengths": "strengths",
        "Areas for development": "improvements",
        "Next steps": "next_steps",
        "Lead officer": "lead",
    }
    assert any(text.startswith("'RAG'") for text in report["ignored"])
    rows = {r["row"]: r for r in report["rows"]}
    assert rows[2]["indicator"] == "2.1" and rows[2]["action"] == "changed"
    assert rows[3]["indicator"] == "5.3" and "by title" in rows[3]["matched"]
    data = indicator(fresh, "2.1")
    assert data["grade"] == framework.scale.parse("Good").value
    assert data["strengths"] == ["Stable relationships", "Plans reviewed on time"]
    assert data["improvements"] == ["Chronologies"] and data["next_steps"] == ["Re-audit"]
    assert data["lead"] == "CSWO"
    assert indicator(fresh, "5.3")["grade"] == 5
    # Twice: nothing changes.
    before = snapshot(fresh)
    again = run_import(cli, fresh, grid, "--grade", "Green=5")
    assert again["summary"]["changed"] == 0 and again["summary"]["unchanged"] == 2
    assert snapshot(fresh) == before
    text = cli("import", "grid", grid, "-e", fresh, "--grade", "Green=5", "--dry-run")
    assert "QI → indicator" in text.out and "ignored column 'RAG'" in text.out
    assert "'Green' → Very good (5) by --grade" in text.out


def test_a_grid_never_overwrites_what_is_recorded_or_agreed(fresh, cli, tmp_path):
    assessments.grade(fresh, "2.1", "3", rationale="Agreed at the meeting.", agreed=True)
    assessments.grade(fresh, "5.3", "4")
    before = {i: (fresh / "indicators" / f"{i}.yaml").read_bytes() for i in ("2.1", "5.3")}
    grid = write_csv(
        tmp_path / "grid.csv",
        [
            ["Indicator", "Grade", "Strengths"],
            ["2.1", "6", "New"],
            ["5.3", "2", ""],
            ["5.1", "4", "Prompt IRDs"],
        ],
    )
    report = run_import(cli, fresh, grid)
    rows = {r["row"]: r for r in report["rows"]}
    assert rows[2]["action"] == "conflict" and rows[3]["action"] == "conflict"
    assert "already" in rows[3]["reason"]
    assert rows[4]["action"] == "changed"
    for ident, data in before.items():
        assert (fresh / "indicators" / f"{ident}.yaml").read_bytes() == data


def test_unknown_values_and_formulas_are_refused_and_nothing_is_written(fresh, cli, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Rating", "Comments"])
    ws.append(["2.1", "Good", "Fine"])
    ws.append(["5.1", "=1+3", "Computed"])
    ws.append(["5.3", "Superb", ""])
    wb.save(tmp_path / "grid.xlsx")
    before = snapshot(fresh)
    result = cli("import", "grid", tmp_path / "grid.xlsx", "-e", fresh)
    assert result.code == 2 and "2 row(s) refused" in result.err
    assert snapshot(fresh) == before
    report = run_import(cli, fresh, tmp_path / "grid.xlsx", "--skip-invalid")
    reasons = {r["row"]: r["reason"] for r in report["rows"]}
    assert "formula" in reasons[3] and "'Superb' is not a level" in reasons[4]
    assert indicator(fresh, "2.1")["rationale"] == "Fine"


def test_map_and_by_record_proposals(fresh, cli, tmp_path):
    grid = write_csv(tmp_path / "grid.csv", [["Which", "Mark", "Why"], ["2.1", "Good (4)", "Most are safer"]])
    report = run_import(
        cli,
        fresh,
        grid,
        "--map",
        "Which=indicator",
        "--map",
        "Mark=grade",
        "--map",
        "Why=rationale",
        "--by",
        "Pair A",
    )
    assert report["rows"][0]["action"] == "changed"
    data = indicator(fresh, "2.1")
    assert "grade" not in data
    assert data["proposed"][0]["by"] == "Pair A" and data["proposed"][0]["grade"] == 4
    assert data["proposed"][0]["rationale"] == "Most are safer"
    result = cli("import", "grid", grid, "-e", fresh, "--map", "Nope=indicator")
    assert result.code == 2 and "no column 'Nope'" in result.err
