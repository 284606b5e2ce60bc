"""Moderation: proposed grades from individual evaluators, agreed grades, and the `moderation-gap` rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli, snapshot

FOUR_LEVEL = DATA / "frameworks" / "valid" / "four-level.yaml"


def _gaps(cli, root: Path, *extra: str) -> tuple[int, list[dict]]:
    result = cli("check", "--rule", "moderation-gap", "--format", "json", *extra, cwd=root)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)["problems"]


def _joint(root: Path) -> None:
    result = run_cli("init", root, "--framework", "ci-care-protection-2019", "--programme", "joint-2018")
    assert result.code == 0, result.err


@pytest.fixture
def joint(tmp_path, prebuilt) -> Path:
    prebuilt(_joint, tmp_path / "ev")
    return tmp_path / "ev"


def _propose(cli, root: Path, indicator: str, *pairs: tuple[str, str]) -> None:
    for name, level in pairs:
        result = cli("grade", indicator, level, "--by", name, cwd=root)
        assert result.code == 0, result.err


def test_gap_of_two_levels_without_agreed_grade_is_flagged(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "2"), ("Ben", "4"))
    code, problems = _gaps(cli, joint)
    assert code == 0  # a warning by default
    assert [(p["rule"], p["severity"], p["indicator"], p["path"]) for p in problems] == [
        ("moderation-gap", "warning", "2.1", "indicators/2.1.yaml")
    ]
    assert "2 levels apart" in problems[0]["message"]
    assert problems[0]["line"] is not None
    assert _gaps(cli, joint, "--strict")[0] == 1


def test_proposals_one_level_apart_pass(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "3"), ("Ben", "4"))
    assert _gaps(cli, joint) == (0, [])


def test_agreeing_a_grade_clears_the_gap(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "2"), ("Ben", "4"))
    assert len(_gaps(cli, joint)[1]) == 1
    result = cli("grade", "2.1", "3", "--agreed", "-r", "Moderated at the March session.", cwd=joint)
    assert result.code == 0, result.err
    assert _gaps(cli, joint) == (0, [])
    status = json.loads(cli("status", "--format", "json", cwd=joint).out)
    row = next(r for r in status["indicators"] if r["id"] == "2.1")
    assert (row["grade"], row["status"], sorted(row["proposed"])) == (3, "agreed", [2, 4])


def test_a_grade_set_without_agreement_still_counts_as_unmoderated(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "2"), ("Ben", "4"))
    assert cli("grade", "2.1", "3", cwd=joint).code == 0
    assert len(_gaps(cli, joint)[1]) == 1


def test_a_second_proposal_by_the_same_person_replaces_the_first(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "2"), ("Ben", "4"), (" Aisha ", "3"))
    status = json.loads(cli("status", "--format", "json", cwd=joint).out)
    row = next(r for r in status["indicators"] if r["id"] == "2.1")
    assert sorted(row["proposed"]) == [3, 4]
    assert _gaps(cli, joint) == (0, [])


def test_gap_size_is_configurable_and_checked(cli, joint):
    _propose(cli, joint, "2.1", ("Aisha", "3"), ("Ben", "4"))
    with (joint / "evaluation.yaml").open("a") as handle:
        handle.write("checks:\n  moderation-gap: {levels: 1}\n")
    assert [p["indicator"] for p in _gaps(cli, joint)[1]] == ["2.1"]
    text = (joint / "evaluation.yaml").read_text().replace("levels: 1", "levels: two")
    (joint / "evaluation.yaml").write_text(text)
    result = cli("check", "--rule", "moderation-gap", cwd=joint)
    assert result.code == 2 and "evaluation.yaml:" in result.err and "Traceback" not in result.err


def test_suites_are_moderated_too(cli, joint):
    _propose(cli, joint, "leadership", ("Aisha", "very good"), ("Ben", "adequate"))
    problems = _gaps(cli, joint)[1]
    assert [p["indicator"] for p in problems] == ["leadership"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("-s", "a strength"), "give --by NAME"),
        (("--by", "Aisha", "-i", " "), "cannot be empty"),
        (("--agreed",), "needs a rationale"),
        (("--by", "  "), "--by needs a name"),
        (("--by", "Aisha", "--agreed"), "give one of them"),
    ],
)
def test_bad_moderation_input_is_refused_and_nothing_written(cli, joint, args, message):
    before = snapshot(joint)
    result = cli("grade", "2.1", "4", *args, cwd=joint)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert snapshot(joint) == before


def test_agreed_grade_keeps_an_existing_rationale(cli, joint):
    assert cli("grade", "2.1", "4", "-r", "Strong audit results.", cwd=joint).code == 0
    assert cli("grade", "2.1", "4", "--agreed", cwd=joint).code == 0
    text = (joint / "indicators" / "2.1.yaml").read_text()
    assert "Strong audit results." in text and "status: agreed" in text


def _workspace(tmp_path: Path, cli, framework_file: Path, framework_id: str) -> Path:
    (tmp_path / "frameworks").mkdir()
    shutil.copy(framework_file, tmp_path / "frameworks" / framework_file.name)
    result = cli("init", tmp_path / "ev", "--framework", framework_id, "--programme", "visit")
    assert result.code == 0, result.err
    return tmp_path / "ev"


def test_four_level_scale(tmp_path, cli):
    root = _workspace(tmp_path, cli, FOUR_LEVEL, "test-four-level")
    _propose(cli, root, "safe-care", ("Aisha", "developing"), ("Ben", "strong"))  # 2 and 4
    _propose(cli, root, "voice", ("Aisha", "3"), ("Ben", "4"))
    problems = _gaps(cli, root)[1]
    assert [p["indicator"] for p in problems] == ["safe-care"]
    assert "Developing" in problems[0]["message"] and "Strong" in problems[0]["message"]


def test_gap_is_counted_in_scale_positions_not_numbers(tmp_path, cli):
    # The same four levels recorded as 2, 4, 6 and 8: 4 and 6 are neighbours, 4 and 8 are two apart.
    text = FOUR_LEVEL.read_text()
    for old, new in (
        ("value: 4", "value: 8"),
        ("value: 3", "value: 6"),
        ("value: 2", "value: 4"),
        ("value: 1", "value: 2"),
        ("threshold: 3", "threshold: 6"),
    ):
        text = text.replace(old, new)
    text = text.replace("id: test-four-level", "id: test-gapped")
    gapped = tmp_path / "src" / "gapped.yaml"
    gapped.parent.mkdir()
    gapped.write_text(text)
    root = _workspace(tmp_path, cli, gapped, "test-gapped")
    _propose(cli, root, "safe-care", ("Aisha", "4"), ("Ben", "6"))
    _propose(cli, root, "voice", ("Aisha", "4"), ("Ben", "8"))
    problems = _gaps(cli, root)[1]
    assert [p["indicator"] for p in problems] == ["voice"]
    assert "2 levels apart" in problems[0]["message"]


def test_rule_is_documented_with_examples():
    from qiframe import checks

    rule = checks.load_rules()["moderation-gap"]
    assert rule.severity == "warning"
    assert "Passes:" in rule.doc and "Fails:" in rule.doc
