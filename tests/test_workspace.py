"""The evaluation workspace through the real CLI: init, the evidence register, grades and notes, status and edit.

Every command runs in-process through the CLI's error boundary (the `cli` fixture), so exit codes and
messages are the ones a user sees.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from qiframe import store, yamlio
from tests.conftest import DATA, run_cli, snapshot

GOLDEN = DATA / "golden"
FRAMEWORK = ("--framework", "ci-care-protection-2019", "--programme", "risk-of-harm-2021")
HEADER = "# yaml-language-server: $schema=../.qiframe/schemas/evidence.schema.json\n"
# "qiframe: error: " then, when the problem is in a file, "PATH:LINE:COL: ".
ERROR_LINE = re.compile(r"^qiframe: error: (?:(?P<path>[^:\s]+\.yaml):(?P<line>\d+):(?P<col>\d+): )?\S")


def _empty(root: Path) -> None:
    result = run_cli("init", root, *FRAMEWORK, "--period", "2025-04-01:2026-03-31")
    assert result.code == 0, result.err


@pytest.fixture
def evaluation(tmp_path, prebuilt) -> Path:
    """A fresh, empty evaluation of the 2021 programme."""
    prebuilt(_empty, tmp_path / "ev")
    return tmp_path / "ev"


def add(cli, root: Path, *args: str) -> str:
    result = cli("evidence", "add", "-e", root, *args)
    assert result.code == 0, result.err
    return result.out.strip()


def write_evidence(root: Path, ident: str, body: str) -> Path:
    """An evidence file as a colleague's branch might bring it in, with an id we choose."""
    path = root / "evidence" / f"{ident}.yaml"
    path.write_text(HEADER + f"id: {ident}\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def status_json(cli, root: Path) -> dict:
    result = cli("status", "-e", root, "--format", "json")
    assert result.code == 0, result.err
    return {row["id"]: row for row in json.loads(result.out)["indicators"]}


def assert_refused(result, root: Path, before: dict[str, bytes], path: str | None = None) -> re.Match:
    """Bad input: exit 2, one located line on stderr, no traceback, and no file changed."""
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err + result.out
    match = ERROR_LINE.match(lines[0])
    assert match, lines[0]
    if path is not None:
        assert match["path"] is not None and match["path"].endswith(path), lines[0]
    assert snapshot(root) == before
    return match


# --- the must-show: three items, a grade, and status ----------------------------------------------------


def test_three_evidence_items_and_a_grade_show_in_status(evaluation, cli):
    sources = ["data", "views", "observation"]
    ids = [
        add(cli, evaluation, "--title", f"Item {i}", "--qi", "2.1", "--source", s)
        for i, s in enumerate(sources)
    ]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"E-[a-z0-9]{6}", i) for i in ids)

    result = cli("grade", "2.1", "good", "--rationale", "Strengths outweigh the gaps.", "-e", evaluation)
    assert result.code == 0, result.err

    rows = status_json(cli, evaluation)
    assert rows["2.1"]["grade"] == 4
    assert rows["2.1"]["evidence"] == 3
    assert sorted(rows["2.1"]["sources"]) == sorted(sources)
    assert rows["5.1"]["grade"] is None and rows["5.1"]["evidence"] == 0
    assert store.load(evaluation).assessments["2.1"].rationale == "Strengths outweigh the gaps."


def test_grade_by_value_and_label_record_the_same_level(evaluation, cli):
    assert cli("grade", "5.1", "Very Good", "-e", evaluation).code == 0
    assert cli("grade", "5.2", "5", "-e", evaluation).code == 0
    assessments = store.load(evaluation).assessments
    assert assessments["5.1"].grade == assessments["5.2"].grade == 5


# --- golden files: the user's comments survive qiframe's edits ------------------------------------------

GOLDEN_CASES = {
    "grade-comments": (
        "grade",
        "2.1",
        "good",
        "--rationale",
        "Important strengths clearly outweigh the areas for improvement.",
    ),
    "note-comments": (
        "note",
        "2.1",
        "--strength",
        "Children trust their key workers",
        "--improvement",
        "Chronologies are of variable quality",
        "--next-step",
        "Re-audit plans in June",
    ),
    "grade-new-key": (
        "grade",
        "2.1",
        "good",
        "--rationale",
        "Important strengths clearly outweigh the areas for improvement.",
    ),
    "note-before-next-key": ("note", "2.1", "--strength", "Children trust their key workers"),
}


# A full-line comment written just above a key is attached by ruamel to the node before it; the store
# moves it so that a key qiframe inserts (or a list item it appends) does not land between the comment
# and the key it describes. These cases pin that down.
@pytest.mark.parametrize("case", ["grade-comments", "note-comments", "grade-new-key", "note-before-next-key"])
def test_golden_edit_keeps_comments(evaluation, cli, case):
    before = (GOLDEN / f"{case}.before.yaml").read_bytes()
    expected = (GOLDEN / f"{case}.after.yaml").read_bytes()
    target = evaluation / "indicators" / "2.1.yaml"
    target.write_bytes(before)

    result = cli(*GOLDEN_CASES[case], "-e", evaluation)

    assert result.code == 0, result.err
    assert target.read_bytes() == expected


@pytest.mark.parametrize("case", ["grade-comments", "note-comments", "grade-new-key", "note-before-next-key"])
def test_golden_comments_all_survive(evaluation, cli, case):
    # Weaker than the byte comparison and true even where placement is wrong: no comment is ever lost.
    before = (GOLDEN / f"{case}.before.yaml").read_text(encoding="utf-8")
    target = evaluation / "indicators" / "2.1.yaml"
    target.write_text(before, encoding="utf-8")
    assert cli(*GOLDEN_CASES[case], "-e", evaluation).code == 0
    comments = [line.split("#", 1)[1] for line in before.splitlines() if "#" in line]
    after = target.read_text(encoding="utf-8")
    assert comments and all(f"#{c}" in after for c in comments)


def test_golden_pairs_are_valid_and_differ():
    from qiframe import schemas

    for case in GOLDEN_CASES:
        before = (GOLDEN / f"{case}.before.yaml").read_text(encoding="utf-8")
        after = (GOLDEN / f"{case}.after.yaml").read_text(encoding="utf-8")
        assert before != after
        for text in (before, after):
            schemas.validate(yamlio.parse(text), "indicator", case)


# --- evidence ids and the register ----------------------------------------------------------------------


@pytest.fixture
def register(evaluation) -> Path:
    """Three items whose ids share prefixes, so that resolution can be ambiguous."""
    write_evidence(
        evaluation,
        "E-ab2345",
        """\
        title: Case file audit
        kind: case-file-audit
        source: data
        date: 2025-09-01
        agency: Glenmuir Council social work services
        indicators:
          - '2.1'
        """,
    )
    write_evidence(
        evaluation,
        "E-ab7890",
        """\
        title: Survey of parents, carers
        kind: survey
        source: views
        date: 2025-10-01
        agency: NHS Glenmuir
        indicators:
          - '2.1'
          - '5.4'
        """,
    )
    write_evidence(
        evaluation,
        "E-cd2345",
        """\
        title: Observation of core groups
        kind: observation
        source: observation
        date: 2025-11-01
        agency: NHS Glenmuir
        indicators:
          - '5.3'
        """,
    )
    return evaluation


def shown_id(cli, root: Path, prefix: str) -> str:
    result = cli("evidence", "show", prefix, "--format", "json", "-e", root)
    assert result.code == 0, result.err
    return json.loads(result.out)["id"]


def test_any_unique_prefix_names_an_item(register, cli):
    assert shown_id(cli, register, "E-ab2345") == "E-ab2345"
    assert shown_id(cli, register, "E-ab2") == "E-ab2345"
    assert shown_id(cli, register, "e-AB7") == "E-ab7890"
    assert shown_id(cli, register, "cd") == "E-cd2345"  # the part after "E-" is enough
    assert shown_id(cli, register, "E-c") == "E-cd2345"


def test_ambiguous_prefix_is_refused_with_the_candidates(register, cli):
    before = snapshot(register)
    result = cli("evidence", "show", "E-ab", "-e", register)
    assert_refused(result, register, before)
    assert "E-ab2345" in result.err and "E-ab7890" in result.err


def test_unknown_id_is_refused(register, cli):
    before = snapshot(register)
    assert_refused(cli("evidence", "show", "E-zz", "-e", register), register, before)
    assert_refused(cli("evidence", "link", "E-zz", "--qi", "5.1", "-e", register), register, before)


def linked(root: Path, ident: str) -> list[str]:
    return yamlio.load(root / "evidence" / f"{ident}.yaml").get("indicators", [])


def test_link_and_unlink(register, cli):
    assert cli("evidence", "link", "E-cd", "--qi", "2.1", "--qi", "5.3", "-e", register).code == 0
    assert linked(register, "E-cd2345") == ["5.3", "2.1"]  # no duplicate, new link appended

    before = snapshot(register)
    assert_refused(cli("evidence", "link", "E-cd", "--qi", "99.9", "-e", register), register, before)
    assert_refused(cli("evidence", "unlink", "E-cd", "--qi", "6.1", "-e", register), register, before)

    assert cli("evidence", "unlink", "E-cd", "--qi", "5.3", "-e", register).code == 0
    assert linked(register, "E-cd2345") == ["2.1"]
    assert status_json(cli, register)["2.1"]["evidence"] == 3


def test_link_keeps_the_files_comments(register, cli):
    path = register / "evidence" / "E-ab2345.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date: 2025-09-01", "date: 2025-09-01  # fieldwork"),
        encoding="utf-8",
    )
    assert cli("evidence", "link", "E-ab2", "--qi", "5.2", "-e", register).code == 0
    assert "date: 2025-09-01  # fieldwork\n" in path.read_text(encoding="utf-8")
    assert linked(register, "E-ab2345") == ["2.1", "5.2"]


def test_remove(register, cli):
    before = snapshot(register)
    assert_refused(cli("evidence", "remove", "E-ab", "-e", register), register, before)
    result = cli("evidence", "remove", "E-ab7", "-e", register)
    assert result.code == 0, result.err
    assert not (register / "evidence" / "E-ab7890.yaml").exists()
    assert sorted(store.load(register).evidence) == ["E-ab2345", "E-cd2345"]


def list_json(cli, root: Path, *filters: str) -> list[str]:
    result = cli("evidence", "list", "--format", "json", "-e", root, *filters)
    assert result.code == 0, result.err
    return [item["id"] for item in json.loads(result.out)["evidence"]]


def test_list_json_and_filters(register, cli):
    assert list_json(cli, register) == ["E-ab2345", "E-ab7890", "E-cd2345"]  # by date
    assert list_json(cli, register, "--qi", "2.1") == ["E-ab2345", "E-ab7890"]
    assert list_json(cli, register, "--source", "views") == ["E-ab7890"]
    assert list_json(cli, register, "--kind", "observation") == ["E-cd2345"]
    assert list_json(cli, register, "--agency", "nhs glenmuir") == ["E-ab7890", "E-cd2345"]
    unknown = cli("evidence", "list", "--qi", "9.9", "-e", register)  # a typo is not "no evidence"
    assert unknown.code == 2 and "unknown indicator '9.9'" in unknown.err


def test_list_csv(register, cli):
    result = cli("evidence", "list", "--format", "csv", "-e", register)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["id"] for r in rows] == ["E-ab2345", "E-ab7890", "E-cd2345"]
    assert list(rows[0]) == list(store.EVIDENCE_FIELDS)
    survey = rows[1]
    assert survey["title"] == "Survey of parents, carers"  # the comma is quoted, not a new column
    assert survey["indicators"].split("; ") == ["2.1", "5.4"]
    assert survey["source"] == "views" and survey["submission"] == "no"


# --- bad input: one located message, exit 2, nothing written ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "99.9", "good"),
        ("grade", "2.1", "7"),
        ("grade", "2.1", "superb"),
        ("note", "99.9", "--strength", "x"),
        ("assign", "2.1", "--status", "finished"),
        ("evidence", "add", "--title", "T", "--qi", "99.9"),
    ],
)
def test_bad_input_changes_nothing(evaluation, cli, args):
    before = snapshot(evaluation)
    result = cli(*args, "-e", evaluation)
    assert_refused(result, evaluation, before)


def test_bad_level_names_the_scale(evaluation, cli):
    result = cli("grade", "2.1", "superb", "-e", evaluation)
    assert "superb" in result.err and "Good" in result.err and "Unsatisfactory" in result.err


def test_unknown_framework_creates_nothing(tmp_path, cli):
    before = snapshot(tmp_path)
    result = cli("init", tmp_path / "new", "--framework", "no-such-framework")
    assert_refused(result, tmp_path, before)
    assert "no-such-framework" in result.err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("title: [unclosed\nsource: data\n", 3),  # broken YAML: the parser stops on the line after
        ("title: T\nsource: rumour\n", 3),  # valid YAML, not a source
    ],
)
def test_malformed_evidence_file_is_located(evaluation, cli, body, line):
    path = evaluation / "evidence" / "E-bad222.yaml"
    path.write_text("id: E-bad222\n" + body, encoding="utf-8")
    before = snapshot(evaluation)
    for args in (("status",), ("grade", "2.1", "good"), ("evidence", "add", "--title", "T", "--qi", "2.1")):
        match = assert_refused(
            cli(*args, "-e", evaluation), evaluation, before, path="evidence/E-bad222.yaml"
        )
        assert int(match["line"]) == line and int(match["col"]) >= 1


# --- edit with $EDITOR ----------------------------------------------------------------------------------

EDITOR_SCRIPT = """\
import sys
from pathlib import Path
path = Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
path.write_text(text.replace({old!r}, {new!r}), encoding="utf-8")
"""


def use_editor(monkeypatch, tmp_path: Path, old: str, new: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT.format(old=old, new=new), encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


def test_edit_saves_a_valid_edit(evaluation, cli, monkeypatch, tmp_path):
    path = evaluation / "indicators" / "5.2.yaml"
    new = "status: in-progress  # started at the workshop\nlead: Nurse consultant, child protection\n"
    expected = path.read_text(encoding="utf-8").replace("status: not-started\n", new)
    use_editor(monkeypatch, tmp_path, "status: not-started\n", new)

    result = cli("edit", "5.2", "-e", evaluation)

    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == expected  # saved as the user wrote it, comment and all
    a = store.load(evaluation).assessments["5.2"]
    assert (a.status, a.lead) == ("in-progress", "Nurse consultant, child protection")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("status: not-started", "status: finished"),  # not a status
        ("status: not-started", "status: [oops"),  # not YAML
        ("indicator: '5.2'", "indicator: '5.3'"),  # the file would no longer match its name
    ],
)
def test_edit_refuses_an_invalid_edit(evaluation, cli, monkeypatch, tmp_path, old, new):
    use_editor(monkeypatch, tmp_path, old, new)
    before = snapshot(evaluation)
    result = cli("edit", "5.2", "-e", evaluation)
    assert_refused(result, evaluation, before, path="indicators/5.2.yaml")
    assert "not saved" in result.err
    # The user's typing is kept, out of git's way, and the message says where.
    kept = re.search(r"your text is kept in (\S+)\)", result.err)
    assert kept, result.err
    kept_path = evaluation / ".qiframe" / "unsaved" / Path(kept[1]).name
    assert new in kept_path.read_text(encoding="utf-8")


def test_edit_without_change_writes_nothing(evaluation, cli, monkeypatch, tmp_path):
    use_editor(monkeypatch, tmp_path, "no such text", "")
    before = snapshot(evaluation)
    result = cli("edit", "5.2", "-e", evaluation)
    assert result.code == 0, result.err
    assert snapshot(evaluation) == before


def test_edit_of_unknown_indicator_is_refused(evaluation, cli, monkeypatch, tmp_path):
    use_editor(monkeypatch, tmp_path, "status: not-started", "status: draft")
    before = snapshot(evaluation)
    assert_refused(cli("edit", "99.9", "-e", evaluation), evaluation, before)
