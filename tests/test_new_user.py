"""The defects found by trying qiframe as a new user would: each one, reproduced, must stay fixed.

Wrong or silent answers, instructions that mislead, and hostile input. Each test names the defect it
guards in its first line; every one failed before the fix.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qiframe import store
from tests.conftest import DATA, ROOT, snapshot

FOUR_LEVEL = DATA / "frameworks" / "valid" / "four-level.yaml"
ERROR = re.compile(r"^qiframe: error: (?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): ")


@pytest.fixture
def ev(tmp_path, cli) -> Path:
    result = cli(
        "init",
        tmp_path / "ev",
        "--framework",
        "ci-care-protection-2019",
        "--programme",
        "risk-of-harm-2021",
        "--period",
        "2025-04-01:2026-03-31",
    )
    assert result.code == 0, result.err
    return tmp_path / "ev"


@pytest.fixture
def joint(tmp_path, cli) -> Path:
    result = cli(
        "init", tmp_path / "joint", "--framework", "ci-care-protection-2019", "--programme", "joint-2018"
    )
    assert result.code == 0, result.err
    return tmp_path / "joint"


def refused(result, root: Path | None, before: dict | None, path: str | None = None) -> re.Match | None:
    """Exit 2, exactly one error line (naming `path` with line and column when given), nothing written."""
    assert result.code == 2, (result.code, result.out, result.err)
    errors = [line for line in result.err.splitlines() if line.startswith("qiframe: error: ")]
    assert len(errors) == 1, result.err
    assert "Traceback" not in result.err + result.out
    assert len(result.err.encode()) < 2048, len(result.err)
    if root is not None:
        assert snapshot(root) == before
    if path is None:
        return None
    match = ERROR.match(errors[0])
    assert match and match["path"].endswith(path), errors[0]
    return match


def text_at(root: Path, match: re.Match) -> str:
    lines = (
        (root / match["path"]).read_text(encoding="utf-8").splitlines()
        if (root / match["path"]).exists()
        else Path(match["path"]).read_text(encoding="utf-8").splitlines()
    )
    return lines[int(match["line"]) - 1][int(match["col"]) - 1 :]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def editor_script(tmp_path: Path, body: str) -> str:
    """An $EDITOR: a Python script that rewrites the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n" + body, encoding="utf-8"
    )
    return f"{sys.executable} {script}"


# --- wrong or silent answers ----------------------------------------------------------------------------


def test_a_grade_by_hand_that_is_not_a_level_is_located(ev, cli):
    append(ev / "indicators" / "2.1.yaml", "grade: 9\n")
    before = snapshot(ev)
    for command in (["status"], ["compare", "--external"], ["check"], ["export", "statement", "-o", "s.md"]):
        match = refused(cli(*command, "-e", ev), ev, before, "indicators/2.1.yaml")
        assert text_at(ev, match) == "9"
        assert "not a level of the scale" in match.string


def test_proposed_and_inspection_grades_from_files_are_checked(ev, cli):
    append(ev / "indicators" / "2.2.yaml", "proposed:\n  - by: Pair A\n    grade: 0\n")
    match = refused(cli("status", "-e", ev), ev, snapshot(ev), "indicators/2.2.yaml")
    assert text_at(ev, match) == "0" and "Pair A's proposed grade" in match.string
    (ev / "indicators" / "2.2.yaml").write_text("indicator: '2.2'\n", encoding="utf-8")
    append(ev / "evaluation.yaml", "external:\n  - indicator: '2.1'\n    grade: 7\n")
    match = refused(cli("compare", "--external", "-e", ev), ev, snapshot(ev), "evaluation.yaml")
    assert text_at(ev, match) == "7"


def test_qiframe_edit_refuses_a_grade_that_is_not_a_level(ev, cli, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "path.write_text(path.read_text() + 'grade: 9\\n')\n")
    )
    before = snapshot(ev)
    result = cli("edit", "2.1", "-e", ev)
    assert result.code == 2 and "not a level of the scale" in result.err, result.err
    assert snapshot(ev) == before


def test_overdue_means_the_same_to_action_list_and_check(ev, cli):
    assert (
        cli("action", "add", "-e", ev, "--title", "Re-audit", "--qi", "2.1", "--due", "2020-01-31").code == 0
    )
    listed = json.loads(cli("action", "list", "-e", ev, "--status", "overdue", "--format", "json").out)[
        "actions"
    ]
    checked = json.loads(cli("check", "-e", ev, "--format", "json", "--rule", "overdue-action").out)[
        "problems"
    ]
    assert len(listed) == 1 and len(checked) == 1
    assert checked[0]["path"] == f"actions/{listed[0]['id']}.yaml"


def test_a_draft_left_in_a_taken_over_section_is_reported(ev, cli):
    assert cli("grade", "2.1", "good", "--agreed", "-r", "Most children are safer.", "-e", ev).code == 0
    assert cli("note", "2.1", "-s", "Chronologies are current", "-e", ev).code == 0
    assert cli("statement", "draft", "S1", "-e", ev).code == 0
    path = ev / "statement" / "S1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "DRAFT" in text and "draft: true" in text
    # The user marks the section done and rewrites two of its three answers by hand.
    from qiframe import yamlio

    doc = yamlio.load(path)
    doc.pop("draft")
    doc["answers"]["know"] = "Our case file audit shows this."
    doc["answers"]["next"] = "We will repeat the audit in the autumn."
    path.write_text(yamlio.dump_roundtrip(yamlio.to_commented(doc)), encoding="utf-8")
    report = json.loads(cli("check", "-e", ev, "--format", "json").out)
    drafts = [p for p in report["problems"] if p["rule"] == "draft-text"]
    assert [(p["path"], p["message"][:20]) for p in drafts] == [("statement/S1.yaml", "S1: the answer 'now'")]
    exported = cli("export", "statement", "-o", ev / "s.md", "-e", ev)
    assert exported.code == 0 and "still qiframe's draft" in exported.err


def test_an_agreed_grade_is_not_silently_replaced(ev, cli):
    assert cli("grade", "2.1", "good", "--agreed", "-r", "Most children are safer.", "-e", ev).code == 0
    before = snapshot(ev)
    result = cli("grade", "2.1", "5", "-e", ev)
    refused(result, ev, before)
    assert "agreed grade Good (4)" in result.err and "--agreed" in result.err
    assert cli("grade", "2.1", "4", "-e", ev).code == 0  # the same grade again changes nothing
    assert cli("grade", "2.1", "5", "--agreed", "-e", ev).code == 0  # a new agreement, said so
    assert store.load(ev).assessments["2.1"].grade == 5


def test_a_suite_member_is_not_graded_alone(joint, cli):
    before = snapshot(joint)
    for args in (["9.1", "5"], ["9.2", "good", "--by", "Pair A"]):
        result = cli("grade", *args, "-e", joint)
        refused(result, joint, before)
        assert "'leadership'" in result.err and "grade leadership instead" in result.err
    assert cli("grade", "leadership", "5", "-e", joint).code == 0


def test_frameworks_show_names_the_suite(cli):
    out = cli("frameworks", "show", "ci-care-protection-2019", "--programme", "joint-2018").out
    assert "9.1 Vision, values and aims graded with leadership" in out
    assert re.search(r"^  leadership Leadership and direction.*\(9\.1, 9\.2, 9\.3, 9\.4\)", out, re.M), out


def test_status_never_cuts_ids_or_labels(joint, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert cli("grade", "leadership", "1", "-e", joint).code == 0
    out = cli("status", "-e", joint).out
    assert re.search(r"^leadership \*", out, re.M), out
    assert "1 Unsatisfactory" in out
    assert "…" not in out


def test_status_counts_grades_without_a_programme(tmp_path, cli):
    root = tmp_path / "plain"
    assert cli("init", root, "--framework", "es-hgios4").code == 0
    for qi in ("1.1", "1.2", "1.3"):
        assert cli("grade", qi, "4", "-e", root).code == 0
    out = cli("status", "-e", root).out
    assert "3 of 15 have a grade" in out and "0 of 0" not in out


def test_a_graded_indicator_is_no_longer_not_started(ev, cli):
    assert cli("grade", "2.2", "4", "--by", "Pair A", "-e", ev).code == 0
    assert cli("note", "5.1", "-s", "Referrals are screened the same day", "-e", ev).code == 0
    rows = {r["id"]: r for r in json.loads(cli("status", "-e", ev, "-f", "json").out)["indicators"]}
    assert rows["2.2"]["status"] == "in-progress" and rows["5.1"]["status"] == "in-progress"
    assert rows["5.2"]["status"] == "not-started"


def test_evidence_show_csv_is_csv(ev, cli):
    ident = cli("evidence", "add", "-e", ev, "--title", "Audit, spring", "--qi", "2.1").out.strip()
    out = cli("evidence", "show", ident, "-e", ev, "--format", "csv").out
    rows = list(csv.reader(out.splitlines()))
    assert rows[0][:2] == ["id", "title"] and rows[1][:2] == [ident, "Audit, spring"] and len(rows) == 2


def test_an_unknown_indicator_filter_is_an_error(ev, cli):
    cli("evidence", "add", "-e", ev, "--title", "Audit", "--qi", "2.1")
    result = cli("evidence", "list", "--qi", "9.9", "-e", ev)
    refused(result, ev, snapshot(ev))
    assert "unknown indicator '9.9'" in result.err


def test_describe_warns_about_a_likely_fraction(cli):
    result = cli("describe", "0.625")
    assert result.code == 0 and "62.5%" in result.err and "describe 62.5" in result.err
    assert "62.5" not in cli("describe", "6.25").err


def test_external_add_keeps_an_earlier_source(ev, cli):
    assert (
        cli(
            "external",
            "add",
            "2.1",
            "good",
            "--source",
            "Joint inspection report",
            "--date",
            "2026-10-01",
            "-e",
            ev,
        ).code
        == 0
    )
    assert cli("external", "add", "2.1", "5", "-e", ev).code == 0
    (grade,) = store.load(ev).metadata.external
    assert (grade.grade, grade.source, grade.date) == (5, "Joint inspection report", "2026-10-01")


def test_a_broken_framework_file_does_not_break_frameworks_list(tmp_path, cli):
    own = tmp_path / "frameworks"
    own.mkdir()
    shutil.copy(FOUR_LEVEL, own / "four-level.yaml")
    (own / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = cli("frameworks", "list", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    ids = {r["id"] for r in json.loads(result.out)["frameworks"]}
    assert {"test-four-level", "ci-care-protection-2019"} <= ids
    assert "frameworks/broken.yaml:2:1" in result.err


def test_a_stray_framework_far_up_the_tree_is_not_used(tmp_path, cli):
    text = (ROOT / "frameworks" / "es-hgios4.yaml").read_text(encoding="utf-8")
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "es-hgios4.yaml").write_text(
        text.replace("title: How good is our school? (4th edition)", "title: A stray copy"), encoding="utf-8"
    )
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    rows = {
        r["id"]: r for r in json.loads(cli("frameworks", "list", "-f", "json", cwd=deep).out)["frameworks"]
    }
    assert rows["es-hgios4"]["origin"] == "bundled"
    assert cli("init", deep / "ev", "--framework", "es-hgios4").code == 0
    assert store.load(deep / "ev").framework.origin == "bundled"


def test_statement_date_is_the_evaluations(ev, cli):
    out = cli("export", "statement", "-o", ev / "s.md", "-e", ev)
    assert out.code == 0, out.err
    assert "- **Date:** 31 March 2026\n" in (ev / "s.md").read_text(encoding="utf-8")


def test_default_title_reads_well(tmp_path, cli):
    assert (
        cli("init", tmp_path / "a", "--framework", "es-hgios4", "--organisation", "Glenmuir High").code == 0
    )
    assert store.load(tmp_path / "a").metadata.title == "Glenmuir High: self-evaluation"
    assert cli("init", tmp_path / "b", "--framework", "es-hgios4").code == 0
    title = store.load(tmp_path / "b").metadata.title
    assert (
        "against A" not in title and title == "Self-evaluation using “How good is our school? (4th edition)”"
    )


# --- instructions that mislead ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["export"], ["evidence"], ["action"], ["statement"], ["records"]])
def test_bare_commands_print_help_and_succeed(cli, args):
    result = cli(*args)
    assert result.code == 0, result.err
    assert result.out.startswith("Usage: qiframe") and result.out.count("Usage:") == 1 and not result.err


def test_qiframe_help(cli):
    assert cli("help").out == cli("--help").out
    assert cli("help", "evidence", "add").out == cli("evidence", "add", "--help").out
    result = cli("help", "nope")
    assert result.code == 2 and "no command 'qiframe nope'" in result.err


def test_statement_draft_without_units_gives_a_true_hint(tmp_path, cli):
    from tests.test_readme_tour import instruction_problem, instructions

    root = tmp_path / "ev"
    assert cli("init", root, "--framework", "es-hgios4").code == 0
    result = cli("statement", "draft", "-e", root)
    refused(result, root, snapshot(root))
    hints = instructions(result.err)
    assert hints and not [p for p in map(instruction_problem, hints) if p]
    assert "--by indicators" in result.err
    assert cli("export", "statement", "--by", "indicators", "-o", root / "s.md", "-e", root).code == 0


def test_a_missing_editor_is_the_users_to_fix(ev, cli, monkeypatch):
    monkeypatch.setenv("EDITOR", "no-such-editor-qiframe")
    result = cli("edit", "2.1", "-e", ev)
    refused(result, ev, snapshot(ev))
    assert "'no-such-editor-qiframe'" in result.err and "EDITOR" in result.err


def test_help_has_no_python_type_names_or_odd_brackets():
    from qiframe.cli import reference

    text = reference.render()
    for bad in (
        "<str>",
        "<int>",
        "<float>",
        "<list",
        "<Path>",
        "<path>",
        "{QI}",
        "{ID}",
        "{DIR}",
        "[[",
        "]]",
        "......",
    ):
        assert bad not in text, bad


def test_usage_errors_do_not_leak_validation_wording(ev, cli):
    for args in (["evidence", "add", "--title", "x", "--source", "rumour"], ["status", "--format", "xml"]):
        result = cli(*args, "-e", ev)
        assert result.code == 2 and "Value error" not in result.err and "qiframe: error: " in result.err


def test_readme_describes_the_formats_truly():
    from qiframe.cli import reference

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--format text|json`" not in readme
    for name, command in reference.commands():
        for param in command.params:
            if "--format" in getattr(param, "opts", ()):
                from qiframe.cli.helpformat import _choices

                for choice in _choices(param):
                    assert f"`{choice}`" in readme, (name, choice)


def test_evidence_edit_changes_fields_and_keeps_comments(ev, cli):
    ident = cli(
        "evidence", "add", "-e", ev, "--title", "Audit", "--qi", "2.1", "--date", "2026-01-10"
    ).out.strip()
    path = ev / "evidence" / f"{ident}.yaml"
    append(path, "# checked by the QA team\n")
    result = cli(
        "evidence",
        "edit",
        ident,
        "--title",
        "Case file audit",
        "--source",
        "data",
        "--owner",
        "QA",
        "--date",
        "",
        "-e",
        ev,
    )
    assert result.code == 0, result.err
    item = store.load(ev).evidence[ident]
    assert (item.title, item.source, item.owner, item.date, item.indicators) == (
        "Case file audit",
        "data",
        "QA",
        "",
        ("2.1",),
    )
    assert "# checked by the QA team" in path.read_text(encoding="utf-8")
    refused(cli("evidence", "edit", ident, "-e", ev), ev, snapshot(ev))
    refused(cli("evidence", "edit", ident, "--title", "  ", "-e", ev), ev, snapshot(ev))


def test_records_summary_recorded_once_with_a_relative_path(ev, cli):
    audit = ev.parent / "audit.csv"
    shutil.copy(ROOT / "examples" / "audit.csv", audit)
    for _ in range(2):
        result = cli("records", "summarise", audit, "--add-evidence", "--qi", "2.1", "-e", ev)
        assert result.code == 0, result.err
    assert "updated evidence" in result.err
    (item,) = store.load(ev).evidence.values()
    assert item.location == "../audit.csv"


def test_records_summarise_says_which_cells_count(cli):
    out = cli("records", "summarise", "--help").out
    assert "n/a" in out and "blank" in out and "docs/quantities.md" in out


# --- bad input and hostile environments --------------------------------------------------------------------


def run_process(*args, cwd, timeout=60, env=None):
    """The real console script in its own process: a crash shows as a signal, a hang as a timeout."""
    command = [sys.executable, "-c", "from qiframe.cli.main import run; run()", *map(str, args)]
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "body",
    [
        "themes: " + "[" * 30000 + "]" * 30000 + "\n",
        "themes:\n" + "- " * 30000 + "x\n",
        "themes: " + "{a: " * 30000 + "}" * 30000 + "\n",
    ],
)
@pytest.mark.slow
def test_a_very_deep_file_is_located_not_a_crash(ev, body):
    (ev / "evidence" / "E-deep22.yaml").write_text("id: E-deep22\ntitle: T\n" + body, encoding="utf-8")
    result = run_process("status", "-e", ev, cwd=ev.parent)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert re.match(r"qiframe: error: \S*evidence/E-deep22\.yaml:\d+:\d+: ", result.stderr), result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_among_the_files_does_not_hang(ev):
    os.mkfifo(ev / "evidence" / "E-fifo22.yaml")
    result = run_process("status", "-e", ev, cwd=ev.parent, timeout=30)
    assert result.returncode == 2 and "FIFO" in result.stderr and "E-fifo22.yaml" in result.stderr


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_symlinks_that_lead_nowhere_exit_2(ev, cli, kind):
    link = ev / "evidence" / "E-link22.yaml"
    if kind == "dangling":
        link.symlink_to("nowhere.yaml")
    else:
        link.symlink_to("E-link23.yaml")
        (ev / "evidence" / "E-link23.yaml").symlink_to("E-link22.yaml")
    result = cli("status", "-e", ev)
    assert result.code == 2 and "E-link2" in result.err and "symbolic link" in result.err, result.err


@pytest.mark.parametrize("name", [".qiframe", "evidence", "actions"])
def test_a_plain_file_where_a_folder_belongs_exits_2(ev, cli, name):
    shutil.rmtree(ev / name, ignore_errors=True)
    (ev / name).write_text("oops\n", encoding="utf-8")
    before = snapshot(ev)
    for command in (["status"], ["evidence", "add", "--title", "x"], ["note", "2.1", "-s", "x"]):
        result = cli(*command, "-e", ev)
        refused(result, ev, before)
        assert name in result.err


def test_an_editor_that_saves_latin_1_is_located(ev, cli, tmp_path, monkeypatch):
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path, "path.write_bytes(path.read_bytes() + 'lead: Ren\\u00e9e\\n'.encode('latin-1'))\n"
        ),
    )
    before = snapshot(ev)
    result = cli("edit", "2.1", "-e", ev)
    match = refused(result, ev, before, "indicators/2.1.yaml")
    assert "UTF-8" in result.err and match["line"] == "4"


@pytest.mark.slow
def test_the_current_folder_deleted_under_the_command(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
        "from qiframe.cli.main import run; run(sys.argv[2:])"
    )
    for args in (["status"], ["frameworks", "list"], ["evidence", "list"]):
        result = subprocess.run(
            [sys.executable, "-c", script, str(gone), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        gone.mkdir()
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and "no longer exists" in result.stderr


def test_an_impossible_date_is_located(ev, cli):
    (ev / "evidence" / "E-date22.yaml").write_text(
        "id: E-date22\ntitle: T\ndate: 2026-02-30\n", encoding="utf-8"
    )
    match = refused(cli("status", "-e", ev), ev, snapshot(ev), "evidence/E-date22.yaml")
    assert text_at(ev, match) == "2026-02-30"


@pytest.mark.parametrize("field,value", [("framework", "no-such-framework"), ("programme", "nope")])
def test_unknown_framework_or_programme_names_the_file(ev, cli, field, value):
    path = ev / "evaluation.yaml"
    path.write_text(
        re.sub(rf"^{field}: .*$", f"{field}: {value}", path.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    match = refused(cli("status", "-e", ev), ev, snapshot(ev), "evaluation.yaml")
    assert text_at(ev, match) == value


def test_a_period_that_ends_before_it_starts_is_refused(ev, cli, tmp_path):
    path = ev / "evaluation.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("to: 2026-03-31", "to: 2024-03-31"), encoding="utf-8"
    )
    match = refused(cli("status", "-e", ev), ev, snapshot(ev), "evaluation.yaml")
    assert text_at(ev, match) == "2024-03-31"
    refused(
        cli("init", tmp_path / "new", "--framework", "es-hgios4", "--period", "2026-04-01:2025-03-31"),
        None,
        None,
    )
    assert not (tmp_path / "new").exists()


def test_a_huge_value_is_not_echoed_whole(ev, cli):
    (ev / "evidence" / "E-huge22.yaml").write_text(
        "id: E-huge22\ntitle: " + "x" * 100_000 + "\n", encoding="utf-8"
    )
    refused(cli("status", "-e", ev), ev, snapshot(ev), "evidence/E-huge22.yaml")
    refused(cli("grade", "2.1", "y" * 100_000, "-e", ev), ev, snapshot(ev))
    refused(cli("evidence", "add", "--title", "z" * 100_000, "-e", ev), ev, snapshot(ev))


def test_escape_sequences_from_files_do_not_reach_the_terminal(ev, cli):
    from qiframe.cli.output import console
    from qiframe.safetext import terminal_safe

    hostile = "\x1b]0;owned\x07\x1b[2J\x9b31m"
    ident = cli(
        "evidence",
        "add",
        "-e",
        ev,
        "--title",
        "Audit",
        "--summary",
        f"Clears the screen {hostile}",
        "--owner",
        "Ann",
        "--qi",
        "2.1",
    ).out.strip()
    path = ev / "evidence" / f"{ident}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("owner: Ann", 'owner: "Ann\\e[2J"'), encoding="utf-8"
    )
    for args in (
        ["evidence", "show", ident],
        ["evidence", "list"],
        ["evidence", "show", ident, "-f", "json"],
        ["status"],
    ):
        result = cli(*args, "-e", ev)
        assert result.code == 0, result.err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.out), (args, result.out)
    assert terminal_safe(hostile) == "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m"
    assert console().render_str("a\x1bb").plain == "a\\x1bb"  # every text renderer's console


@pytest.mark.parametrize("title", ["a\u0085b", "a\u2028b"])
def test_hidden_line_breaks_in_a_file_are_located(ev, cli, title):
    (ev / "evidence" / "E-nel222.yaml").write_text(f"id: E-nel222\ntitle: {title}\n", encoding="utf-8")
    match = refused(cli("status", "-e", ev), ev, snapshot(ev), "evidence/E-nel222.yaml")
    assert match["line"] == "2" and match["col"] == "9"


@pytest.mark.parametrize("title", ["", " ", "   \t ", "a\u0085b", "a\u2029b"])
def test_blank_or_broken_titles_are_refused(ev, cli, title):
    refused(cli("evidence", "add", "--title", title, "-e", ev), ev, snapshot(ev))
    refused(cli("action", "add", "--title", title, "-e", ev), ev, snapshot(ev))
    (ev / "evidence" / "E-blank2.yaml").write_text(f"id: E-blank2\ntitle: '{title}'\n", encoding="utf-8")
    refused(cli("status", "-e", ev), ev, snapshot(ev), "evidence/E-blank2.yaml")
