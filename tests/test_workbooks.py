"""Assessment workbooks: exported, filled in with openpyxl as an evaluator would, and imported back.

The tests use the four-level test framework (word ids, labels that are not numbers, a suite graded as
one) so that nothing depends on six levels; every import runs through the real CLI and the files are read
back from disk afterwards.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from qiframe import assessments, store, yamlio
from qiframe.assessment_forms import COVER_SHEET, FIELDS, META_SHEET, SCALE_NAME
from tests.conftest import DATA, snapshot

SOFFICE = shutil.which("soffice")


@pytest.fixture
def four(tmp_path) -> Path:
    """A four-level evaluation: safe-care graded but not agreed, voice agreed, two evidence items."""
    (tmp_path / "frameworks").mkdir()
    shutil.copy(
        DATA / "frameworks" / "valid" / "four-level.yaml", tmp_path / "frameworks" / "four-level.yaml"
    )
    root = store.init(
        tmp_path / "ev",
        "test-four-level",
        "visit",
        organisation="Test Partnership",
        period=("2025-04-01", "2026-03-31"),
    )
    store.add_evidence(
        root,
        title="Audit of care plans",
        indicators=["safe-care"],
        source="data",
        kind="case-file-audit",
        date="2025-09-01",
        agency="Council",
    )
    store.add_evidence(
        root,
        title="Children's focus group",
        indicators=["safe-care", "voice"],
        source="views",
        kind="focus-group",
        date="2025-10-01",
    )
    assessments.grade(root, "safe-care", "Sound", rationale="Plans are mostly good.")
    assessments.add_notes(root, "safe-care", ["Plans are reviewed on time"], [], [])
    assessments.grade(root, "voice", "Strong", rationale="Children shape the service.", agreed=True)
    return root


def export(cli, root: Path, name: str, *args: str) -> Path:
    out = root.parent / name
    result = cli("export", "assessments", "-o", out, "-e", root, *args)
    assert result.code == 0, result.err
    return out


def label_row(ws, label: str) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if value is not None and str(value).split("\n")[0] == label:
            return row
    raise AssertionError(f"no {label!r} on sheet {ws.title}")


def fill(path: Path, sheet: str, **values: str) -> None:
    """Type into a form as an evaluator would: the cell beside each label."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for field, value in values.items():
        ws.cell(label_row(ws, FIELDS[field]), 2).value = value
    wb.save(path)


def run_import(cli, root: Path, file: Path, *args: str, code: int = 0) -> dict:
    result = cli("import", "assessments", file, "-e", root, "--format", "json", *args)
    assert result.code == code, result.err
    return json.loads(result.out) if result.out else {}


def indicator(root: Path, ident: str) -> dict:
    return yamlio.load(root / "indicators" / f"{ident}.yaml")


def by_sheet(report: dict) -> dict[str, dict]:
    return {s["indicator"]: s for s in report["sheets"]}


def scale_labels(root: Path) -> list[str]:
    return [lv.label for lv in store.load(root).framework.scale.levels]


# --- the workbook as written ----------------------------------------------------------------------------


def test_workbook_offers_the_scale_protects_its_structure_and_records_its_origin(four, cli):
    out = export(cli, four, "pair-a.xlsx", "--for", "Pair A")
    wb = openpyxl.load_workbook(out)
    programme = store.load(four).programme
    assert wb.sheetnames == [COVER_SHEET, *programme.graded, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    assert wb.security.lockStructure
    # The drop-down lists exactly the scale's labels, from the framework.
    name = wb.defined_names[SCALE_NAME]
    ((sheet, ref),) = name.destinations
    cells = wb[sheet][ref.replace("$", "")]
    assert [c[0].value for c in cells] == scale_labels(four)
    ws = wb["safe-care"]
    grade_cell = f"B{label_row(ws, FIELDS['grade'])}"
    validations = [dv for dv in ws.data_validations.dataValidation if grade_cell in dv.sqref]
    assert len(validations) == 1 and validations[0].type == "list" and validations[0].formula1 == SCALE_NAME
    # Structure locked, input unlocked; protected without a password.
    assert ws.protection.sheet and not ws.protection.password
    for field in FIELDS:
        assert not ws.cell(label_row(ws, FIELDS[field]), 2).protection.locked
        assert ws.cell(label_row(ws, FIELDS[field]), 1).protection.locked
    assert ws["B2"].value == "safe-care" and ws["B2"].protection.locked
    # Title, themes and the linked evidence with ids and sources.
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    framework = store.load(four).framework
    assert framework.indicators["safe-care"].title in texts[0]
    assert any(framework.indicators["safe-care"].themes[0].title in t for t in texts)
    items = {e.id: e for e in store.load(four).evidence.values()}
    for ident, item in items.items():
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == ident)
        assert item.title in ws.cell(row, 2).value
    assert any("Quantitative data" in t for t in texts) and any("People's views" in t for t in texts)
    # Print-ready: A4, one page wide.
    for sheet in (COVER_SHEET, "safe-care"):
        setup = wb[sheet].page_setup
        assert str(setup.paperSize) == "9" and setup.fitToWidth == 1
        assert wb[sheet].sheet_properties.pageSetUpPr.fitToPage
    # The agreed indicator's form is locked.
    voice = wb["voice"] if "voice" in wb.sheetnames else None
    if voice is not None:
        assert voice.cell(label_row(voice, FIELDS["grade"]), 2).protection.locked


def test_user_text_never_becomes_a_formula_in_the_workbook(four, cli):
    assessments.grade(four, "safe-care", "Sound", by='=HYPERLINK("http://x")')
    out = export(cli, four, "w.xlsx", "--for", '=HYPERLINK("http://x")')
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


# --- the round trip ------------------------------------------------------------------------------------


def test_filled_workbook_records_proposals_under_the_evaluator_and_twice_changes_nothing(four, cli):
    out = export(
        cli, four, "pair-a.xlsx", "--for", "Pair A", "--qi", "safe-care", "--qi", "voice", "--qi", "leading"
    )
    label = scale_labels(four)[0]  # the best level, by its label as the drop-down shows it
    fill(
        out,
        "safe-care",
        grade=label,
        rationale="Every plan we read was reviewed on time.",
        strengths="Plans are reviewed on time\nChildren know their worker",
        improvements="- Records are late",
        next_steps="Audit again in spring",
    )
    before = snapshot(four)
    report = run_import(cli, four, out)
    sheets = by_sheet(report)
    assert sheets["safe-care"]["action"] == "changed"
    assert sheets["leading"]["action"] == "blank" and sheets["voice"]["action"] == "blank"
    data = indicator(four, "safe-care")
    proposal = next(p for p in data["proposed"] if p["by"] == "Pair A")
    assert proposal["grade"] == store.load(four).framework.scale.parse(label).value
    assert proposal["rationale"] == "Every plan we read was reviewed on time."
    assert proposal["strengths"] == ["Plans are reviewed on time", "Children know their worker"]
    assert proposal["improvements"] == ["Records are late"]
    # Notes added once: the strength already recorded is not repeated.
    assert data["strengths"] == ["Plans are reviewed on time", "Children know their worker"]
    assert data["improvements"] == ["Records are late"] and data["next_steps"] == ["Audit again in spring"]
    assert data["grade"] == 3 and data.get("status") != "agreed"  # the grade itself is untouched
    changed = {k for k in snapshot(four) if snapshot(four)[k] != before.get(k)}
    assert changed == {"indicators/safe-care.yaml"}
    # The same workbook again: nothing changes.
    after_first = snapshot(four)
    again = run_import(cli, four, out)
    assert {s["action"] for s in again["sheets"]} <= {"unchanged", "blank"}
    assert again["summary"]["changed"] == 0
    assert snapshot(four) == after_first


def test_a_fresh_workbook_shows_what_the_evaluator_recorded_and_imports_unchanged(four, cli):
    first = export(cli, four, "one.xlsx", "--for", "Pair A", "--qi", "safe-care")
    label = scale_labels(four)[1]
    fill(
        first, "safe-care", grade=label, rationale="Reasons.", strengths="S one\nS two", improvements="I one"
    )
    run_import(cli, four, first)
    second = export(cli, four, "two.xlsx", "--for", "Pair A", "--qi", "safe-care")
    ws = openpyxl.load_workbook(second)["safe-care"]
    shown = {f: ws.cell(label_row(ws, FIELDS[f]), 2).value for f in FIELDS}
    assert shown == {
        "grade": label,
        "rationale": "Reasons.",
        "strengths": "S one\nS two",
        "improvements": "I one",
        "next_steps": None,
    }
    before = snapshot(four)
    assert by_sheet(run_import(cli, four, second))["safe-care"]["action"] == "unchanged"
    assert snapshot(four) == before
    # The evaluator changes their mind in the fresh workbook: the proposal is replaced, not added.
    fill(second, "safe-care", grade=scale_labels(four)[2])
    assert by_sheet(run_import(cli, four, second))["safe-care"]["action"] == "changed"
    proposals = indicator(four, "safe-care")["proposed"]
    assert [(p["by"], p["grade"]) for p in proposals] == [
        ("Pair A", store.load(four).framework.scale.parse(scale_labels(four)[2]).value)
    ]
    # The first workbook is now out of date for Pair A: a conflict, left alone.
    fill(first, "safe-care", grade=scale_labels(four)[0])
    assert by_sheet(run_import(cli, four, first))["safe-care"]["action"] == "conflict"


def test_a_second_pair_imports_independently(four, cli):
    a = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "safe-care")
    b = export(cli, four, "b.xlsx", "--for", "Pair B", "--qi", "safe-care")
    labels = scale_labels(four)
    fill(a, "safe-care", grade=labels[1], strengths="Strength from A")
    fill(b, "safe-care", grade=labels[2], strengths="Strength from B")
    assert by_sheet(run_import(cli, four, a))["safe-care"]["action"] == "changed"
    assert by_sheet(run_import(cli, four, b))["safe-care"]["action"] == "changed"
    data = indicator(four, "safe-care")
    assert [p["by"] for p in data["proposed"]] == ["Pair A", "Pair B"]
    assert data["strengths"][-2:] == ["Strength from A", "Strength from B"]


def test_an_agreed_grade_is_never_changed(four, cli):
    out = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "voice", "--qi", "safe-care")
    before = (four / "indicators" / "voice.yaml").read_bytes()
    # Someone unprotects the sheet and types into the locked form anyway.
    labels = scale_labels(four)
    fill(
        out, "voice", grade=labels[-1], rationale="Disagree with the agreed grade.", strengths="New strength"
    )
    fill(out, "safe-care", grade=labels[0])
    report = run_import(cli, four, out)
    sheets = by_sheet(report)
    assert sheets["voice"]["action"] == "refused" and "agreed" in sheets["voice"]["reason"]
    assert sheets["safe-care"]["action"] == "changed"  # the rest is imported
    assert (four / "indicators" / "voice.yaml").read_bytes() == before
    assert indicator(four, "voice")["grade"] == 4


def test_an_indicator_edited_after_export_is_a_conflict_and_left_alone(four, cli):
    out = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "safe-care", "--qi", "leading")
    labels = scale_labels(four)
    fill(out, "safe-care", grade=labels[0], rationale="Good plans.")
    fill(out, "leading", grade=labels[1], rationale="Leaders are visible.")
    wb = openpyxl.load_workbook(out)
    wb["leading"]["D4"] = "A note in the margin"
    wb.save(out)
    # After the workbook went out, the group re-grades safe-care.
    assert cli("grade", "safe-care", labels[2], "-e", four).code == 0
    before = (four / "indicators" / "safe-care.yaml").read_bytes()
    report = run_import(cli, four, out)
    sheets = by_sheet(report)
    assert sheets["safe-care"]["action"] == "conflict", sheets["safe-care"]
    assert "changed since the workbook was made" in sheets["safe-care"]["reason"]
    assert (four / "indicators" / "safe-care.yaml").read_bytes() == before
    assert sheets["leading"]["action"] == "changed"
    assert indicator(four, "leading")["proposed"][0]["by"] == "Pair A"
    assert report["ignored"] == [
        "sheet 'leading': D4: outside the form (only column B beside a label is read)"
    ]
    text = cli("import", "assessments", out, "-e", four, "--dry-run")
    assert "sheet safe-care (safe-care): conflict: safe-care changed since the workbook was made" in text.out
    assert "ignored: sheet 'leading': D4: outside the form" in text.out


def test_formula_cells_are_refused_and_nothing_is_written(four, cli):
    out = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "safe-care", "--qi", "leading")
    fill(out, "leading", grade=scale_labels(four)[0])
    wb = openpyxl.load_workbook(out)
    ws = wb["safe-care"]
    ws.cell(label_row(ws, FIELDS["rationale"]), 2).value = '=HYPERLINK("http://evil.invalid","x")'
    ws.cell(label_row(ws, FIELDS["grade"]), 2).value = scale_labels(four)[1]
    wb.save(out)
    before = snapshot(four)
    result = cli("import", "assessments", out, "-e", four)
    assert result.code == 2 and "formula" in result.err and "nothing was written" in result.err
    assert snapshot(four) == before
    # With --skip-invalid the other sheet goes in.
    report = run_import(cli, four, out, "--skip-invalid")
    assert by_sheet(report)["safe-care"]["action"] == "refused"
    assert by_sheet(report)["leading"]["action"] == "changed"


def test_a_value_that_is_not_a_level_is_refused(four, cli):
    out = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "safe-care")
    fill(out, "safe-care", grade="Brilliant")
    result = cli("import", "assessments", out, "-e", four)
    assert result.code == 2 and "'Brilliant' is not a level of the scale" in result.err


def test_a_workbook_for_anyone_takes_the_name_from_the_cover(four, cli):
    out = export(cli, four, "anyone.xlsx", "--qi", "safe-care")
    fill(out, "safe-care", grade=scale_labels(four)[1])
    result = cli("import", "assessments", out, "-e", four)
    assert result.code == 2 and "no evaluator named" in result.err
    wb = openpyxl.load_workbook(out)
    ws = wb[COVER_SHEET]
    ws.cell(label_row(ws, "Evaluator"), 2).value = "  Pair   C "
    wb.save(out)
    report = run_import(cli, four, out)
    assert report["evaluator"] == "Pair C"
    assert [p["by"] for p in indicator(four, "safe-care")["proposed"]] == ["Pair C"]


def test_not_an_assessment_workbook(four, cli, tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "QI"
    wb.save(tmp_path / "other.xlsx")
    result = cli("import", "assessments", tmp_path / "other.xlsx", "-e", four)
    assert result.code == 2 and "import grid" in result.err and "Traceback" not in result.err


# --- a real client -------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_resaves_the_workbook_and_it_still_imports(four, cli, tmp_path):
    out = export(cli, four, "pair-a.xlsx", "--for", "Pair A")
    label = scale_labels(four)[1]
    fill(out, "safe-care", grade=label, rationale="Re-saved by LibreOffice.", strengths="A strength\nAnother")
    resaved = tmp_path / "resaved"
    resaved.mkdir()
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    for target in ("xlsx", "pdf"):
        done = subprocess.run(
            [SOFFICE, profile, "--headless", "--convert-to", target, "--outdir", str(resaved), str(out)],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
    pdf = (resaved / "pair-a.pdf").read_bytes()
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox[0 0 595" in pdf  # A4 width in points
    copy = resaved / "pair-a.xlsx"
    assert copy.read_bytes() != out.read_bytes()
    report = run_import(cli, four, copy)
    sheets = by_sheet(report)
    assert sheets["safe-care"]["action"] == "changed"
    proposal = next(p for p in indicator(four, "safe-care")["proposed"] if p["by"] == "Pair A")
    assert proposal["rationale"] == "Re-saved by LibreOffice."
    assert proposal["strengths"] == ["A strength", "Another"]
    assert run_import(cli, four, copy)["summary"]["changed"] == 0


def test_bad_export_requests_exit_2_and_personal_data_stays_out(four, cli, tmp_path):
    for args, message in (
        (("--qi", "nope"), "unknown indicator 'nope'"),
        (("-o", tmp_path / "w.csv"), "ending in .xlsx"),
        (("-o", tmp_path / "missing" / "w.xlsx"), "does not exist"),
    ):
        extra = args if args[0] == "-o" else ("-o", tmp_path / "w.xlsx", *args)
        result = cli("export", "assessments", "-e", four, *extra)
        assert result.code == 2 and message in result.err, result.err
        assert not (tmp_path / "w.xlsx").exists() and not (tmp_path / "w.csv").exists()
    secret = store.add_evidence(
        four, title="Named child's chronology", indicators=["safe-care"], personal_data=True
    )
    out = export(cli, four, "w.xlsx", "--qi", "safe-care")
    ws = openpyxl.load_workbook(out)["safe-care"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(secret.id in t or secret.title in t for t in texts)
    assert any("1 item that may hold personal data not listed" in t for t in texts)


def test_an_indicator_judged_on_a_scale_of_its_own_gets_that_scale(cli, tmp_path):
    root = store.init(tmp_path / "joint", "ci-care-protection-2019", "joint-2018")
    framework = store.load(root).framework
    judged = next(
        i for i in store.load(root).programme.graded if framework.scale_for(i) is not framework.scale
    )
    scale = framework.scale_for(judged)
    out = export(cli, root, "w.xlsx", "--for", "Pair A", "--qi", "2.1", "--qi", judged)
    wb = openpyxl.load_workbook(out)
    ws = wb[judged]
    grade_cell = f"B{label_row(ws, FIELDS['grade'])}"
    (dv,) = [dv for dv in ws.data_validations.dataValidation if grade_cell in dv.sqref]
    ((sheet, ref),) = wb.defined_names[dv.formula1].destinations
    assert [c[0].value for c in wb[sheet][ref.replace("$", "")]] == [lv.label for lv in scale.levels]
    fill(out, judged, grade=scale.levels[1].label, rationale="Partly.")
    report = run_import(cli, root, out)
    assert by_sheet(report)[judged]["action"] == "changed"
    assert indicator(root, judged)["proposed"][0]["grade"] == scale.levels[1].value
    # The grading scale's labels are not levels of the judgement.
    out = export(cli, root, "w2.xlsx", "--for", "Pair B", "--qi", judged)
    fill(out, judged, grade=framework.scale.levels[0].label)
    result = cli("import", "assessments", out, "-e", root)
    assert result.code == 2 and "is not a level of the scale" in result.err


def test_an_import_writes_all_its_files_or_none(four, cli):
    out = export(cli, four, "a.xlsx", "--for", "Pair A", "--qi", "safe-care", "--qi", "leading")
    labels = scale_labels(four)
    fill(out, "safe-care", grade=labels[0], strengths="A fine strength")
    # The second file would not validate (a note longer than an assessment file allows): nothing is written,
    # not even the first file.
    fill(out, "leading", grade=labels[1], strengths="x" * 25000)
    before = snapshot(four)
    result = cli("import", "assessments", out, "-e", four)
    assert result.code == 2, result.err
    assert "leading" in result.err and "Traceback" not in result.err
    assert snapshot(four) == before
    assert not [p for p in (four / ".qiframe" / "tx").rglob("*") if p.is_file()]
