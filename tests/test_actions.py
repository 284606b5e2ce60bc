"""The improvement plan: actions, the `overdue-action` rule and the progress report."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_cli, snapshot

TODAY = dt.date.today()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
NEXT_YEAR = (TODAY + dt.timedelta(days=365)).isoformat()


def _ok(result):
    assert result.code == 0, result.err
    return result


def _joint_with_improvements(root: Path) -> None:
    _ok(run_cli("init", root, "--framework", "ci-care-protection-2019", "--programme", "joint-2018"))
    _ok(
        run_cli(
            "note",
            "2.1",
            "-i",
            "Chronologies are not consistently up to date",
            "-i",
            "Children's views are not always recorded in plans",
            cwd=root,
        )
    )


@pytest.fixture
def ev(tmp_path, prebuilt) -> Path:
    prebuilt(_joint_with_improvements, tmp_path / "ev")
    return tmp_path / "ev"


def _add(cli, root: Path, *args: str) -> str:
    return _ok(cli("action", "add", *args, cwd=root)).out.strip()


def _show(cli, root: Path, action_id: str) -> dict:
    return json.loads(_ok(cli("action", "show", action_id, "--format", "json", cwd=root)).out)


def test_add_writes_a_validated_file_and_show_reads_it(cli, ev):
    action_id = _add(
        cli,
        ev,
        "--title",
        "Audit chronologies every quarter",
        "--qi",
        "2.1",
        "--improvement",
        "1",
        "--owner",
        "Lead officer, child protection",
        "--due",
        NEXT_YEAR,
        "--measure",
        "Chronologies rated good or better",
        "--unit",
        "%",
        "--baseline",
        "48",
        "--target",
        "80",
    )
    assert action_id.startswith("A-") and (ev / "actions" / f"{action_id}.yaml").is_file()
    shown = _show(cli, ev, action_id)
    assert shown == {
        "id": action_id,
        "title": "Audit chronologies every quarter",
        "indicator": "2.1",
        "improvement": "Chronologies are not consistently up to date",
        "owner": "Lead officer, child protection",
        "due": NEXT_YEAR,
        "status": "not-started",
        "measure": {"name": "Chronologies rated good or better", "unit": "%", "baseline": 48, "target": 80},
    }
    text = (ev / "actions" / f"{action_id}.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../.qiframe/schemas/action.schema.json")
    assert f"due: {NEXT_YEAR}\n" in text  # a date, not a quoted string


def test_list_orders_by_indicator_then_due_and_filters(cli, ev):
    late = _add(cli, ev, "--title", "Later action", "--qi", "2.1", "--due", NEXT_YEAR)
    soon = _add(
        cli,
        ev,
        "--title",
        "Sooner action",
        "--qi",
        "2.1",
        "--due",
        TODAY.isoformat(),
        "--status",
        "in-progress",
    )
    first = _add(cli, ev, "--title", "Outcomes action", "--qi", "1.1")
    suite = _add(cli, ev, "--title", "Leadership action", "--qi", "leadership", "--status", "done")
    listed = json.loads(_ok(cli("action", "list", "--format", "json", cwd=ev)).out)["actions"]
    assert [a["id"] for a in listed] == [first, soon, late, suite]
    only = json.loads(
        _ok(cli("action", "list", "--qi", "2.1", "--status", "in-progress", "--format", "json", cwd=ev)).out
    )["actions"]
    assert [a["id"] for a in only] == [soon]
    still_open = json.loads(_ok(cli("action", "list", "--status", "open", "--format", "json", cwd=ev)).out)
    assert {a["id"] for a in still_open["actions"]} == {first, soon, late}
    text = _ok(cli("action", "list", cwd=ev)).out
    assert "Sooner action" in text and "4 of 4 actions" in text


def test_update_changes_fields_and_appends_progress_keeping_comments(cli, ev):
    action_id = _add(
        cli,
        ev,
        "--title",
        "Record children's views",
        "--qi",
        "2.1",
        "--improvement",
        "2",
        "--due",
        NEXT_YEAR,
        "--measure",
        "Plans recording the child's view",
        "--unit",
        "%",
        "--baseline",
        "55",
        "--target",
        "90",
    )
    path = ev / "actions" / f"{action_id}.yaml"
    path.write_text(path.read_text().replace("status: not-started", "status: not-started  # agreed at CPC"))
    _ok(
        cli(
            "action",
            "update",
            action_id,
            "--status",
            "in-progress",
            "--owner",
            "Practice development team",
            "--current",
            "67.5",
            "--progress",
            "Template changed to prompt for the child's view",
            "--date",
            "2026-05-04",
            cwd=ev,
        )
    )
    _ok(cli("action", "update", action_id[:5], "--progress", "Briefed team managers", cwd=ev))
    shown = _show(cli, ev, action_id)
    assert shown["status"] == "in-progress" and shown["owner"] == "Practice development team"
    assert shown["measure"] == {
        "name": "Plans recording the child's view",
        "unit": "%",
        "baseline": 55,
        "target": 90,
        "current": 67.5,
        "as_of": "2026-05-04",
    }
    assert shown["progress"] == [
        {"date": "2026-05-04", "text": "Template changed to prompt for the child's view"},
        {"date": TODAY.isoformat(), "text": "Briefed team managers"},
    ]
    assert "# agreed at CPC" in path.read_text()
    _ok(cli("action", "update", action_id, "--current", "81", "--as-of", "2026-10-31", cwd=ev))
    assert _show(cli, ev, action_id)["measure"]["current"] == 81
    assert _show(cli, ev, action_id)["measure"]["as_of"] == "2026-10-31"


def test_update_creates_a_measure_when_there_was_none(cli, ev):
    action_id = _add(cli, ev, "--title", "Publish a leaflet", "--qi", "2.2")
    _ok(cli("action", "update", action_id, "--current", "120", "--unit", "copies", cwd=ev))
    assert _show(cli, ev, action_id)["measure"] == {
        "unit": "copies",
        "current": 120,
        "as_of": TODAY.isoformat(),
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (("--title", "T", "--qi", "99.9"), "unknown indicator"),
        (("--title", "T", "--qi", "2.1", "--due", "31/03/2027"), "not an ISO date"),
        (("--title", "T", "--qi", "2.1", "--due", "2027-02-30"), "not an ISO date"),
        (("--title", "T", "--status", "finished"), "finished"),
        (("--title", "T", "--baseline", "nan"), "finite number"),
        (("--title", "T", "--target", "lots"), "--target"),
        (("--title", "T", "--qi", "2.1", "--improvement", "3"), "no area for improvement number 3"),
        (("--title", "T", "--improvement", "1"), "needs --qi"),
        (
            (
                "--title",
                "   ",
            ),
            "cannot be empty",
        ),
        (("--title", "T", "--current", "5", "--as-of", "soon"), "not an ISO date"),
    ],
)
def test_add_bad_input_is_refused_and_nothing_written(cli, ev, args, message):
    before = snapshot(ev)
    result = cli("action", "add", *args, cwd=ev)
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err
    assert snapshot(ev) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (("--status", "finished"), "finished"),
        (("--due", "tomorrow"), "not an ISO date"),
        (("--progress", "Note", "--date", "2026-13-01"), "not an ISO date"),
        (("--progress", "  "), "cannot be empty"),
        ((), "give something to change"),
    ],
)
def test_update_bad_input_is_refused_and_nothing_written(cli, ev, args, message):
    action_id = _add(cli, ev, "--title", "Something", "--qi", "2.1")
    before = snapshot(ev)
    result = cli("action", "update", action_id, *args, cwd=ev)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err
    assert snapshot(ev) == before
    assert cli("action", "update", "A-zzzzzz", "--status", "done", cwd=ev).code == 2


# --- overdue-action ------------------------------------------------------------------------------------


def _overdue(cli, root: Path) -> tuple[int, list[dict]]:
    result = cli("check", "--rule", "overdue-action", "--format", "json", cwd=root)
    return result.code, json.loads(result.out)["problems"]


def test_must_show_action_due_yesterday_fails_check(cli, ev):
    action_id = _add(
        cli, ev, "--title", "Audit chronologies", "--qi", "2.1", "--due", YESTERDAY, "--status", "in-progress"
    )
    code, problems = _overdue(cli, ev)
    assert code == 1
    assert [(p["rule"], p["severity"], p["indicator"], p["path"]) for p in problems] == [
        ("overdue-action", "error", "2.1", f"actions/{action_id}.yaml")
    ]
    assert action_id in problems[0]["message"] and YESTERDAY in problems[0]["message"]
    lines = (ev / "actions" / f"{action_id}.yaml").read_text().splitlines()
    assert lines[problems[0]["line"] - 1].startswith("due:")
    text = cli("check", "--rule", "overdue-action", cwd=ev)
    assert text.code == 1 and "overdue-action" in text.out
    _ok(cli("action", "update", action_id, "--status", "done", "--progress", "Audit completed", cwd=ev))
    assert _overdue(cli, ev) == (0, [])


@pytest.mark.parametrize(
    "due, status, overdue",
    [
        (YESTERDAY, "not-started", True),
        (YESTERDAY, "dropped", False),
        (TODAY.isoformat(), "in-progress", False),
        (NEXT_YEAR, "not-started", False),
        ("", "not-started", False),
    ],
)
def test_overdue_depends_on_due_date_and_status(cli, ev, due, status, overdue):
    args = ("--due", due) if due else ()
    _add(cli, ev, "--title", "An action", "--status", status, *args)
    assert len(_overdue(cli, ev)[1]) == int(overdue)


def test_overdue_can_be_suppressed_for_one_action(cli, ev):
    action_id = _add(cli, ev, "--title", "Late but agreed", "--due", YESTERDAY)
    other = _add(cli, ev, "--title", "Late", "--due", YESTERDAY)
    with (ev / "evaluation.yaml").open("a") as handle:
        handle.write(f"suppress:\n  - {{rule: overdue-action, item: {action_id}, reason: New date agreed}}\n")
    code, problems = _overdue(cli, ev)
    assert code == 1 and [p["path"] for p in problems] == [f"actions/{other}.yaml"]


def test_rule_is_documented_with_examples():
    from qiframe import checks

    rule = checks.load_rules()["overdue-action"]
    assert rule.severity == "error"
    assert "Passes:" in rule.doc and "Fails:" in rule.doc


# --- export progress ---------------------------------------------------------------------------------------


def _plan(ev: Path) -> list[str]:
    """Three actions on two indicators, one with a formula-like title, and one overdue."""
    cli = run_cli
    _joint_with_improvements(ev)
    ids = [
        _add(
            cli,
            ev,
            "--title",
            "Audit chronologies every quarter",
            "--qi",
            "2.1",
            "--improvement",
            "1",
            "--owner",
            "Lead officer",
            "--due",
            NEXT_YEAR,
            "--status",
            "in-progress",
            "--measure",
            "Chronologies rated good or better",
            "--unit",
            "%",
            "--baseline",
            "48",
            "--target",
            "80",
            "--current",
            "63",
            "--as-of",
            "2026-09-30",
        ),
        _add(
            cli,
            ev,
            "--title",
            '=HYPERLINK("http://example.invalid","click")',
            "--qi",
            "2.1",
            "--owner",
            "+44 team",
            "--due",
            YESTERDAY,
        ),
        _add(
            cli,
            ev,
            "--title",
            "Share the leadership self-evaluation with staff",
            "--qi",
            "leadership",
            "--status",
            "done",
        ),
    ]
    _ok(
        cli(
            "action",
            "update",
            ids[0],
            "--progress",
            "First quarterly audit of 40 records",
            "--date",
            "2026-07-15",
            cwd=ev,
        )
    )
    _ok(
        cli(
            "action",
            "update",
            ids[0],
            "--progress",
            "Second audit; feedback to teams",
            "--date",
            "2026-10-14",
            cwd=ev,
        )
    )
    return ids


@pytest.fixture
def plan(tmp_path, prebuilt) -> tuple[Path, list[str]]:
    ids = prebuilt(_plan, tmp_path / "ev")
    return tmp_path / "ev", ids


def test_must_show_progress_docx_has_one_row_per_action(cli, plan, tmp_path):
    from docx import Document
    from docx.shared import Mm

    root, ids = plan
    out = tmp_path / "progress.docx"
    _ok(cli("export", "progress", "-o", out, cwd=root))
    doc = Document(out)
    # One table per indicator, under its heading, in the statement's house style.
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h.split()[0] for h in headings] == ["2.1", "leadership"]
    assert [len(t.rows) - 1 for t in doc.tables] == [2, 1]
    for table in doc.tables:
        assert [c.text for c in table.rows[0].cells][:4] == [
            "What we said we would do",
            "Owner",
            "Due",
            "RAG",
        ]
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "the header row must repeat on every page"
    section = doc.sections[0]
    assert {round(section.page_width / Mm(1)), round(section.page_height / Mm(1))} == {210, 297}
    assert [f.get(qn_w("instr")).strip() for f in section.footer._element.iter(qn_w("fldSimple"))] == [
        "PAGE",
        "NUMPAGES",
    ]
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows[1:]]
    first = rows[1]  # within an indicator, the earliest due date comes first
    assert first[0].startswith("Audit chronologies every quarter")
    assert "Answers: Chronologies are not consistently up to date" in first[0]
    assert first[5] == "Chronologies rated good or better: 48% → 63% (as of 2026-09-30), target 80%"
    assert first[6].splitlines() == [
        "15/07/2026: First quarterly audit of 40 records",
        "14/10/2026: Second audit; feedback to teams",
    ]
    assert rows[0][4] == "Not started (overdue)" and rows[2][4] == "Done"
    assert rows[0][3] == "Red" and rows[2][3] == "Green"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first[2])


def qn_w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def test_progress_xlsx_reads_back_with_text_as_text(cli, plan, tmp_path):
    from openpyxl import load_workbook

    root, ids = plan
    out = tmp_path / "progress.xlsx"
    _ok(cli("export", "progress", "-o", out, cwd=root))
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    rows = []
    for r in ws.iter_rows(min_row=2):
        if all(c.value is None for c in r):
            break
        rows.append({h: c for h, c in zip(header, r, strict=True)})
    assert len(rows) == len(ids)
    assert ws.cell(len(ids) + 3, 1).value.startswith("RAG status. Red: past its due date")
    assert [r["Action id"].value for r in rows] == [ids[1], ids[0], ids[2]]  # by indicator, then due date
    formula_like = rows[0]["What we said we would do"]
    assert formula_like.value.startswith("=HYPERLINK") and formula_like.data_type == "s"
    assert rows[0]["Owner"].value == "+44 team" and rows[0]["Owner"].data_type == "s"
    audit = rows[1]
    assert audit["Indicator"].value == "2.1" and audit["Indicator"].data_type == "s"
    assert (audit["Baseline"].value, audit["Target"].value, audit["Current"].value) == (48, 80, 63)
    assert audit["Due"].value.date().isoformat() == NEXT_YEAR
    assert audit["What we have done"].value.count("\n") == 1
    assert ws.freeze_panes == "A2"


def test_progress_markdown_groups_by_indicator(cli, plan, tmp_path):
    root, ids = plan
    out = tmp_path / "progress.md"
    _ok(cli("export", "progress", "-o", out, cwd=root))
    text = out.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 2.1 Impact on children and young people",
        "## leadership Leadership and direction",
    ]
    rows = [line for line in text.splitlines() if line.startswith("| ") and "What we said" not in line]
    assert len(rows) == len(ids)
    assert "3 actions: 1 not started, 1 in progress, 1 done; 1 overdue." in text


def test_progress_export_refuses_unknown_format(cli, plan, tmp_path):
    root, _ = plan
    before = snapshot(tmp_path)
    result = cli("export", "progress", "-o", tmp_path / "progress.pdf", cwd=root)
    assert result.code == 2 and ".docx, .xlsx or .md" in result.err
    assert snapshot(tmp_path) == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix, target", [(".docx", "pdf"), (".xlsx", "csv")])
def test_progress_opens_in_libreoffice(cli, plan, tmp_path, suffix, target):
    root, ids = plan
    out = tmp_path / f"progress{suffix}"
    _ok(cli("export", "progress", "-o", out, cwd=root))
    converted = tmp_path / "converted"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(converted),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = converted / f"progress.{target}"
    assert result.is_file() and result.stat().st_size > 0
    if target == "csv":
        assert "=HYPERLINK" in result.read_text(encoding="utf-8", errors="replace")


# --- the example -------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    not (EXAMPLE / "actions").is_dir() or not any((EXAMPLE / "actions").glob("*.yaml")),
    reason="example evaluation has no actions yet",
)
def test_example_actions_are_valid_and_none_overdue(cli):
    listed = json.loads(_ok(cli("action", "list", "--format", "json", cwd=EXAMPLE)).out)["actions"]
    assert 5 <= len(listed) <= 8
    assert all(a.get("indicator") and a.get("improvement") and a.get("measure") for a in listed)
    code, problems = _overdue(cli, EXAMPLE)
    assert (code, problems) == (0, [])
