"""Comparing the self-evaluation with the inspection's grades and with an earlier evaluation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLE, ROOT, run_cli, snapshot

CI = "ci-care-protection-2019"
SELF = {"2.1": "5", "2.2": "4", "1.1": "3", "leadership": "4"}
INSPECTION = {"2.1": "3", "2.2": "4", "1.1": "3", "leadership": "4"}


def _ok(result):
    assert result.code == 0, result.err
    return result


def _joint(root: Path) -> None:
    """The joint-2018 programme with self grades 2.1=5, 2.2=4, 1.1=3 and leadership=4."""
    _ok(run_cli("init", root, "--framework", CI, "--programme", "joint-2018", "--title", "Partnership 2020"))
    for qi, level in SELF.items():
        _ok(run_cli("grade", qi, level, "-r", f"Rationale for {qi}.", cwd=root))


@pytest.fixture
def joint(tmp_path, prebuilt) -> Path:
    prebuilt(_joint, tmp_path / "ev")
    return tmp_path / "ev"


def _inspect(cli, root: Path, grades: dict[str, str]) -> None:
    for qi, level in grades.items():
        _ok(
            cli(
                "external",
                "add",
                qi,
                level,
                "--source",
                "Joint inspection report",
                "--date",
                "2020-06-16",
                cwd=root,
            )
        )


# --- against the inspection ----------------------------------------------------------------------------


def test_must_show_external_json(cli, joint):
    _inspect(cli, joint, INSPECTION)
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", cwd=joint)).out)
    rows = {r["indicator"]: r for r in data["indicators"]}
    # joint-2018 also judges 10.1 (confidence); it is listed but not counted with the grades.
    assert list(rows) == ["1.1", "2.1", "2.2", "leadership", "10.1"] and rows.pop("10.1")["judgement"]
    assert {qi: (r["self"]["grade"], r["external"]["grade"]) for qi, r in rows.items()} == {
        qi: (int(SELF[qi]), int(INSPECTION[qi])) for qi in SELF
    }
    assert {qi: r["difference"] for qi, r in rows.items()} == {"1.1": 0, "2.1": 2, "2.2": 0, "leadership": 0}
    summary = data["summary"]
    assert (summary["compared"], summary["matched"], summary["within_one"]) == (4, 3, 3)
    assert (summary["self_above"], summary["self_below"], summary["largest_gap"]) == (1, 0, 2)
    assert summary["lean"] == "above"
    assert rows["2.1"]["external"]["label"] == "Adequate" and rows["2.1"]["self"]["label"] == "Very good"


def test_must_show_external_text_and_markdown(cli, joint):
    _inspect(cli, joint, INSPECTION)
    out = _ok(cli("compare", "--external", cwd=joint)).out
    assert "3 of 4 matched" in out
    differing = [line for line in out.splitlines() if "above the inspection" in line and line[:3] in SELF]
    assert (
        len(differing) == 1
        and differing[0].startswith("2.1")
        and "2 levels above the inspection" in differing[0]
    )
    assert sum(line.rstrip().endswith("matched") for line in out.splitlines()) == 3
    md = _ok(cli("compare", "--external", "--format", "md", cwd=joint)).out
    table = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| QI")]
    assert len(table) == 5  # with 10.1, judged on confidence and not yet judged
    assert [line for line in table if line.startswith("| 10.1 |")][0].count("—") == 2
    assert "| 2.1 | Impact on children and young people | 5 Very good | 3 Adequate | 2 levels above" in md


def test_lean_below_and_missing_grades(cli, joint):
    _inspect(cli, joint, {"2.1": "6", "2.2": "5"})  # 1.1 and leadership have no inspection grade
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", cwd=joint)).out)
    assert data["summary"]["compared"] == 2 and data["summary"]["graded"] == 4
    assert (data["summary"]["self_below"], data["summary"]["self_above"], data["summary"]["lean"]) == (
        2,
        0,
        "below",
    )
    rows = {r["indicator"]: r for r in data["indicators"]}
    assert rows["1.1"]["external"] is None and rows["1.1"]["difference"] is None
    out = _ok(cli("compare", "--external", cwd=joint)).out
    assert "no inspection grade" in out and "0 of 2 matched" in out


def test_external_grade_outside_the_programme_is_listed_not_compared(cli, joint):
    _inspect(cli, joint, {**INSPECTION, "9.1": "5"})
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", cwd=joint)).out)
    assert data["not_compared"] == ["9.1"]
    assert data["summary"]["compared"] == 4


def test_without_a_programme_every_indicator_with_both_grades(tmp_path, cli):
    root = tmp_path / "ev"
    _ok(cli("init", root, "--framework", CI))
    for qi, level in (("2.1", "4"), ("3.1", "5"), ("6.1", "2")):
        _ok(cli("grade", qi, level, cwd=root))
    _inspect(cli, root, {"2.1": "4", "6.1": "4", "5.1": "3"})
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", cwd=root)).out)
    assert [(r["indicator"], r["difference"]) for r in data["indicators"]] == [("2.1", 0), ("6.1", -2)]
    assert data["not_compared"] == ["5.1"]
    assert cli("external", "add", "leadership", "4", cwd=root).code == 2  # no programme, so no suite


def test_difference_is_in_scale_positions(tmp_path, cli):
    text = (DATA / "frameworks" / "valid" / "four-level.yaml").read_text()
    for old, new in (
        ("value: 4", "value: 40"),
        ("value: 3", "value: 30"),
        ("value: 2", "value: 20"),
        ("value: 1", "value: 10"),
        ("threshold: 3", "threshold: 30"),
    ):
        text = text.replace(old, new)
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "tens.yaml").write_text(text.replace("id: test-four-level", "id: test-tens"))
    root = tmp_path / "ev"
    _ok(cli("init", root, "--framework", "test-tens", "--programme", "visit"))
    _ok(cli("grade", "safe-care", "strong", cwd=root))
    _ok(cli("grade", "leading", "20", cwd=root))
    _ok(cli("external", "add", "safe-care", "developing", cwd=root))
    _ok(cli("external", "add", "leading", "sound", cwd=root))
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", cwd=root)).out)
    assert {r["indicator"]: r["difference"] for r in data["indicators"]} == {"safe-care": 2, "leading": -1}
    assert data["summary"]["lean"] == "mixed" and data["summary"]["within_one"] == 1


def test_external_add_replaces_and_lists(cli, joint):
    _ok(cli("external", "add", "2.1", "good", "--source", "Draft findings", cwd=joint))
    replaced = _ok(cli("external", "add", "2.1", "3", "--source", "Published report", cwd=joint))
    assert "replaced" in replaced.err
    _ok(cli("external", "add", "Leadership", "4", cwd=joint))  # suite ids are matched case-insensitively
    listed = json.loads(_ok(cli("external", "list", "--format", "json", cwd=joint)).out)["external"]
    assert [(x["indicator"], x["grade"], x["label"], x["source"]) for x in listed] == [
        ("2.1", 3, "Adequate", "Published report"),
        ("leadership", 4, "Good", None),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (("99.9", "4"), "unknown indicator"),
        (("2.1", "splendid"), "not a level of the scale"),
        (("2.1", "4", "--date", "16/06/2020"), "not an ISO date"),
        (("2.1", "4", "--date", "2020-02-30"), "not an ISO date"),
    ],
)
def test_external_add_bad_input(cli, joint, args, message):
    before = snapshot(joint)
    result = cli("external", "add", *args, cwd=joint)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err
    assert snapshot(joint) == before


GOLDEN_BEFORE = """\
# yaml-language-server: $schema=.qiframe/schemas/evaluation.schema.json
# Self-evaluation of services for children in need of care and protection.
qiframe: 1
title: Partnership 2020  # agreed by the group in May
framework: ci-care-protection-2019
programme: joint-2018

# Grades from the joint inspection report.
external:
  - indicator: "2.1"  # the one grade we disagree with
    grade: 4
    source: Draft findings
  - indicator: leadership
    grade: 4
"""

GOLDEN_AFTER = """\
# yaml-language-server: $schema=.qiframe/schemas/evaluation.schema.json
# Self-evaluation of services for children in need of care and protection.
qiframe: 1
title: Partnership 2020  # agreed by the group in May
framework: ci-care-protection-2019
programme: joint-2018

# Grades from the joint inspection report.
external:
  - indicator: "2.1"  # the one grade we disagree with
    grade: 3
    source: Joint inspection report
    date: 2020-06-16
  - indicator: leadership
    grade: 4
  - indicator: '1.1'
    grade: 3
    source: Joint inspection report
    date: 2020-06-16
"""


def test_golden_external_add_keeps_comments(cli, joint):
    (joint / "evaluation.yaml").write_text(GOLDEN_BEFORE)
    _inspect(cli, joint, {"2.1": "3", "1.1": "3"})
    assert (joint / "evaluation.yaml").read_text() == GOLDEN_AFTER


def test_first_external_grade_keeps_comments(cli, joint):
    path = joint / "evaluation.yaml"
    path.write_text(path.read_text().replace("qiframe: 1\n", "# kept\nqiframe: 1  # format\n"))
    _inspect(cli, joint, {"2.1": "3"})
    text = path.read_text()
    assert "# kept\nqiframe: 1  # format\n" in text
    assert text.endswith(
        "external:\n  - indicator: '2.1'\n    grade: 3\n    source: Joint inspection report\n"
        "    date: 2020-06-16\n"
    )


# --- year on year --------------------------------------------------------------------------------------


def _two_years(folder: Path) -> list[str]:
    """An evaluation (ev) and a copy of it (later) with one grade changed and two new evidence items."""
    cli, joint = run_cli, folder / "ev"
    _joint(joint)
    for title, qi, source in (("Case file audit", "2.1", "data"), ("Staff survey", "2.2", "views")):
        _ok(cli("evidence", "add", "--title", title, "--qi", qi, "--source", source, cwd=joint))
    _ok(cli("note", "2.1", "-s", "Children say they feel  safe", "-i", "Chronologies vary", cwd=joint))
    later = folder / "later"
    shutil.copytree(joint, later)
    _ok(cli("grade", "2.1", "4", cwd=later))
    return [
        _ok(cli("evidence", "add", "--title", t, "--qi", "1.1", "--source", "data", cwd=later)).out.strip()
        for t in ("Chronology audit", "Performance report")
    ]


@pytest.fixture
def two_years(tmp_path, prebuilt) -> tuple[Path, Path, list[str]]:
    """The two evaluations of `_two_years` and the ids of the evidence added to the later one."""
    new_ids = prebuilt(_two_years, tmp_path / "years")
    return tmp_path / "years" / "ev", tmp_path / "years" / "later", new_ids


def test_must_show_with_reports_exactly_the_changes(cli, two_years):
    earlier, later, new_ids = two_years
    data = json.loads(_ok(cli("compare", "--with", earlier, "--format", "json", cwd=later)).out)
    changed = {r["indicator"]: r for r in data["indicators"] if r["changed"]}
    assert sorted(changed) == ["1.1", "2.1"]
    grade_row = changed["2.1"]
    assert (grade_row["grade"]["old"], grade_row["grade"]["new"], grade_row["grade"]["changed"]) == (
        5,
        4,
        True,
    )
    assert grade_row["evidence"]["added"] == [] and grade_row["evidence"]["removed"] == []
    assert grade_row["strengths"] == {"added": [], "removed": []}
    evidence_row = changed["1.1"]
    assert evidence_row["grade"]["changed"] is False
    assert sorted(evidence_row["evidence"]["added"]) == sorted(new_ids)
    assert (evidence_row["evidence"]["old"], evidence_row["evidence"]["new"]) == (0, 2)
    assert evidence_row["evidence"]["removed"] == []
    unchanged = [r for r in data["indicators"] if not r["changed"]]
    assert all(not r["grade"]["changed"] and not r["evidence"]["added"] for r in unchanged)
    assert data["summary"]["grades_changed"] == 1
    assert sorted(data["summary"]["evidence"]["added"]) == sorted(new_ids)
    assert data["summary"]["evidence"]["removed"] == []
    assert not any(r["carried"] for r in data["indicators"])

    text = _ok(cli("compare", "--with", earlier, cwd=later)).out
    assert "grade: 5 Very good → 4 Good" in text
    assert all(i in text for i in new_ids)
    assert "2 indicators changed" in text and "1 grade changed" in text
    assert "2.2 Impact on families" not in text  # unchanged rows are summarised, not listed


def test_with_reports_notes_added_and_removed_ignoring_spacing(cli, two_years):
    earlier, later, _ = two_years
    indicator = later / "indicators" / "2.1.yaml"
    text = indicator.read_text().replace("Children say they feel  safe", "Children   say they feel safe")
    indicator.write_text(text.replace("Chronologies vary", "Chronologies vary in quality"))
    data = json.loads(_ok(cli("compare", "--with", earlier, "--format", "json", cwd=later)).out)
    row = next(r for r in data["indicators"] if r["indicator"] == "2.1")
    assert row["strengths"] == {"added": [], "removed": []}
    assert row["improvements"] == {
        "added": ["Chronologies vary in quality"],
        "removed": ["Chronologies vary"],
    }


def test_with_markdown_has_a_row_per_indicator(cli, two_years):
    earlier, later, _ = two_years
    md = _ok(cli("compare", "--with", earlier, "--format", "md", cwd=later)).out
    rows = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| QI")]
    data = json.loads(_ok(cli("compare", "--with", earlier, "--format", "json", cwd=later)).out)
    assert len(rows) == len(data["indicators"])
    assert any(line.startswith("| 2.1 |") and "5 Very good" in line and "4 Good" in line for line in rows)


@pytest.mark.skipif(not (EXAMPLE / "evaluation.yaml").is_file(), reason="example evaluation not present")
def test_must_show_with_on_the_example(cli, tmp_path):
    earlier, later = tmp_path / "earlier", tmp_path / "later"
    shutil.copytree(EXAMPLE, earlier, ignore=shutil.ignore_patterns(".qiframe"))
    shutil.copytree(EXAMPLE, later, ignore=shutil.ignore_patterns(".qiframe"))
    status = json.loads(_ok(cli("status", "--format", "json", cwd=later)).out)
    graded = next(r for r in status["indicators"] if r["grade"] is not None)
    scale_values = [
        lv["value"]
        for lv in json.loads(_ok(cli("frameworks", "show", status["framework"], "--format", "json")).out)[
            "scale"
        ]["levels"]
    ]
    other = next(v for v in scale_values if v != graded["grade"])
    _ok(cli("grade", graded["id"], str(other), "--agreed", cwd=later))  # changing an agreed grade is said so
    linked = next(r["id"] for r in status["indicators"] if r["key_question"])
    new_ids = {
        _ok(cli("evidence", "add", "--title", f"New item {n}", "--qi", linked, cwd=later)).out.strip()
        for n in (1, 2)
    }
    data = json.loads(_ok(cli("compare", "--with", earlier, "--format", "json", cwd=later)).out)
    assert data["summary"]["grades_changed"] == 1
    assert (
        set(data["summary"]["evidence"]["added"]) == new_ids and data["summary"]["evidence"]["removed"] == []
    )
    for row in data["indicators"]:
        assert row["grade"]["changed"] == (row["indicator"] == graded["id"])
        assert row["strengths"] == row["improvements"] == {"added": [], "removed": []}
        assert row["evidence"]["removed"] == []
        if row["evidence"]["added"]:
            assert set(row["evidence"]["added"]) == new_ids


# --- across framework editions ---------------------------------------------------------------------------


@pytest.fixture
def next_edition(tmp_path) -> str:
    """A workspace copy of the CI framework as a new edition in which 2.2 became 2.5."""
    text = (ROOT / "frameworks" / f"{CI}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {CI}", "id: ci-care-protection-2030", 1).replace('"2.2"', '"2.5"')
    (tmp_path / "frameworks").mkdir(exist_ok=True)
    (tmp_path / "frameworks" / "next.yaml").write_text(text, encoding="utf-8")
    return "ci-care-protection-2030"


def test_across_editions_grades_are_carried(cli, joint, next_edition, tmp_path):
    later = tmp_path / "later"
    _ok(cli("init", later, "--framework", next_edition, "--programme", "joint-2018"))
    _ok(cli("grade", "2.5", "5", cwd=later))
    _ok(cli("grade", "2.1", "5", cwd=later))
    mapping = tmp_path / "map.yaml"
    # Unquoted ids are read as typed, and ids left out are not carried.
    mapping.write_text("# 2019 edition to 2030\n1.1: 1.1\n2.1: 2.1\n2.2: 2.5\nleadership: leadership\n")
    data = json.loads(
        _ok(cli("compare", "--with", joint, "--map", mapping, "--format", "json", cwd=later)).out
    )
    rows = {r["indicator"]: r for r in data["indicators"]}
    assert data["mapped"] is True
    assert rows["2.5"]["old_indicator"] == "2.2" and rows["2.5"]["carried"] is True
    assert (rows["2.5"]["grade"]["old"], rows["2.5"]["grade"]["new"], rows["2.5"]["grade"]["carried"]) == (
        4,
        5,
        True,
    )
    assert rows["2.1"]["grade"]["carried"] is True and rows["2.1"]["grade"]["changed"] is False
    # Left out of the mapping but still in the new edition: matched by id, and carried across editions.
    assert rows["3.1"]["old_indicator"] == "3.1" and rows["3.1"]["carried"] is True
    assert "2.2" not in rows and len(rows) == len(data["indicators"]) == 23
    assert data["summary"]["carried"] == 23
    text = _ok(cli("compare", "--with", joint, "--map", mapping, cwd=later)).out
    assert "grade: 4 Good (carried from 2.2) → 5 Very good" in text


def test_an_indicator_the_new_edition_dropped_shows_as_earlier_only(cli, joint, next_edition, tmp_path):
    later = tmp_path / "later"
    _ok(cli("init", later, "--framework", next_edition, "--programme", "joint-2018"))
    mapping = tmp_path / "map.yaml"
    mapping.write_text('"1.1": "1.1"\n')
    data = json.loads(
        _ok(cli("compare", "--with", joint, "--map", mapping, "--format", "json", cwd=later)).out
    )
    rows = {r["indicator"]: r for r in data["indicators"]}
    assert (rows["2.2"]["in_old"], rows["2.2"]["in_new"], rows["2.2"]["carried"]) == (True, False, False)
    assert (rows["2.5"]["in_old"], rows["2.5"]["old_indicator"]) == (False, None)
    assert rows["2.2"]["changed"] and rows["2.5"]["changed"]


def test_different_frameworks_need_a_mapping(cli, joint, next_edition, tmp_path):
    later = tmp_path / "later"
    _ok(cli("init", later, "--framework", next_edition, "--programme", "joint-2018"))
    result = cli("compare", "--with", joint, cwd=later)
    assert result.code == 2 and "--map" in result.err


@pytest.mark.parametrize(
    "content, message, line, column",
    [
        ('"1.1": "1.1"\n"7.7": "2.1"\n', "'7.7' is not an indicator", 2, 1),
        ("1.1: 1.1\n2.1: 2.10\n", "'2.10' is not an indicator", 2, 6),
        ("2.1: 2.1\n2.2: 2.1\n", "both map to '2.1'", 2, 6),
        ("2.1:\n", "needs one newer indicator id", None, None),
        ("- 2.1\n", "expected a mapping", 1, 1),
        ("2.1: [2.1\n", "malformed YAML", None, None),
    ],
)
def test_bad_mapping_file_is_located(cli, joint, tmp_path, content, message, line, column):
    later = tmp_path / "later"
    shutil.copytree(joint, later)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(content)
    result = cli("compare", "--with", joint, "--map", mapping, cwd=later)
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err
    if line is not None:
        assert f"map.yaml:{line}:{column}:" in result.err


@pytest.mark.parametrize("args", [(), ("--external", "--with", "."), ("--external", "--map", "x.yaml")])
def test_compare_needs_exactly_one_kind(cli, joint, args):
    result = cli("compare", *args, cwd=joint)
    assert result.code == 2 and "Traceback" not in result.err
