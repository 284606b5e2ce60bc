"""`qiframe check`: the engine, the completeness and consistency rules, settings, output and docs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLE, ROOT, snapshot

CHECKS = DATA / "checks"


def _registry():
    from qiframe.checks import load_rules

    return load_rules()


RULES = tuple(sorted(_registry()))
EXAMPLES = sorted(p.name for p in CHECKS.iterdir() if p.is_dir() and p.name != "clean")


def copy(name: str, tmp_path: Path) -> Path:
    """A private copy of an example, so the parse cache and any edits stay out of the test data."""
    target = tmp_path / name
    shutil.copytree(CHECKS / name, target)
    return target


def check_json(cli, root: Path, *extra: str) -> tuple[int, dict]:
    result = cli("check", "-e", root, "--format", "json", *extra)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


def set_yaml(path: Path, **fields) -> None:
    """Change top-level fields of a data file (plain rewrite: these are test copies)."""
    from qiframe import yamlio

    first = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    data = yamlio.load(path)
    if "checks" in fields and fields["checks"] is not None:
        # Keep the examples' own settings (they turn unconfirmed-wording off) under the new ones.
        fields = {**fields, "checks": {**data.get("checks", {}), **fields["checks"]}}
    data.update(fields)
    for key in [k for k, v in fields.items() if v is None]:
        del data[key]
    header = first if first.startswith("# yaml-language-server") else ""
    path.write_text(yamlio.dump_roundtrip(yamlio.to_commented(data), header), encoding="utf-8")


def line_at(root: Path, problem: dict) -> str:
    """The text of the file from the problem's line and column on."""
    lines = (root / problem["path"]).read_text(encoding="utf-8").splitlines()
    return lines[problem["line"] - 1][problem["column"] - 1 :]


# --- one example per rule ------------------------------------------------------------------------------


def test_every_example_folder_is_named_after_a_rule():
    # Every rule's docstring examples are run in test_rule_examples.py; folders add end-to-end cases.
    assert EXAMPLES and set(EXAMPLES) <= set(RULES)


def test_clean_example_passes(cli, tmp_path):
    root = copy("clean", tmp_path)
    result = cli("check", "-e", root)
    assert result.code == 0, result.out
    assert "No problems found." in result.out
    code, report = check_json(cli, root, "--strict")
    assert code == 0
    assert report == {"problems": [], "summary": {"errors": 0, "warnings": 0, "info": 0, "suppressed": 0}}


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_fails_exactly_its_rule(cli, tmp_path, name):
    root = copy(name, tmp_path)
    code, report = check_json(cli, root)
    assert report["problems"], f"{name} found nothing"
    assert {p["rule"] for p in report["problems"]} == {name}
    errors = report["summary"]["errors"]
    assert code == (1 if errors else 0)
    assert cli("check", "-e", root, "--strict").code == 1
    for p in report["problems"]:
        assert p["path"] and (root / p["path"]).is_file()
        assert p["line"] >= 1 and p["column"] >= 1


def test_example_folders_are_left_unchanged_by_check(cli, tmp_path):
    root = copy("personal-data", tmp_path)
    before = snapshot(root)
    cli("check", "-e", root)
    assert snapshot(root) == before


# --- the scenario --------------------------------------------------------------------------------


def test_must_show_scenario(cli, tmp_path):
    root = tmp_path / "joint"
    assert (
        cli(
            "init",
            root,
            "--framework",
            "ci-care-protection-2019",
            "--programme",
            "joint-2018",
            "--period",
            "2024-04-01:2025-03-31",
        ).code
        == 0
    )
    # 1.1 is graded by joint-2018 and stays ungraded; 2.1 gets a grade but no rationale.
    assert cli("grade", "2.1", "good", "-e", root).code == 0
    added = cli(
        "evidence",
        "add",
        "-e",
        root,
        "--title",
        "Survey of young people",
        "--qi",
        "2.1",
        "--source",
        "views",
        "--date",
        "2025-01-10",
        "--summary",
        "Follow-up for CHI 120380 2358 was late.",
    )
    assert added.code == 0, added.err
    other = cli(
        "evidence", "add", "-e", root, "--title", "Team meeting notes", "--qi", "2.1", "--date", "2025-02-01"
    ).out.strip()
    # The CLI refuses unknown indicators, so the dangling link is made by hand, as a user would.
    path = root / "evidence" / f"{other}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- '2.1'", "- '2.1'\n  - '99.9'"), encoding="utf-8"
    )

    result = cli("check", "-e", root, "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    by_rule: dict[str, list[dict]] = {}
    for p in report["problems"]:
        by_rule.setdefault(p["rule"], []).append(p)
    assert {
        "ungraded",
        "missing-rationale",
        "weak-triangulation",
        "dangling-reference",
        "personal-data",
    } <= set(by_rule)
    # joint-2018 also judges 10.1 (capacity for improvement, on its confidence scale).
    assert [p["indicator"] for p in by_rule["ungraded"] if p["severity"] == "error"] == [
        "1.1",
        "2.2",
        "10.1",
        "leadership",
    ]
    assert [p["indicator"] for p in by_rule["missing-rationale"]] == ["2.1"]
    assert "2.1" in [p["indicator"] for p in by_rule["weak-triangulation"]]
    dangling = by_rule["dangling-reference"]
    assert [(p["evidence"], p["path"]) for p in dangling] == [(other, f"evidence/{other}.yaml")]
    assert line_at(root, dangling[0]).startswith("'99.9'")
    (pd,) = by_rule["personal-data"]
    assert pd["severity"] == "error" and pd["evidence"] == added.out.strip()
    assert "120380 2358" in line_at(root, pd)
    assert "120380 2358" not in result.out  # the report never repeats the identifier itself
    assert set(report["summary"]) == {"errors", "warnings", "info", "suppressed"}
    assert report["summary"]["errors"] == sum(p["severity"] == "error" for p in report["problems"])


# --- rule details ----------------------------------------------------------------------------------------


def test_dangling_references_are_each_located(cli, tmp_path):
    root = copy("dangling-reference", tmp_path)
    _, report = check_json(cli, root)
    found = [(p["path"], line_at(root, p)) for p in report["problems"]]
    assert found == [
        ("evidence/E-k3m9qx.yaml", "'99.9'"),
        ("evidence/E-k3m9qx.yaml", "'2.1: Children are happy'"),
        ("evidence/E-k3m9qx.yaml", "S9"),
        ("statement/S3.yaml", "Family feedback forms tell us this [E-k3m9qx, E-zz9zzz]."),
    ]
    assert "E-zz9zzz" in report["problems"][3]["message"]
    assert "E-k3m9qx," not in report["problems"][3]["message"]


def test_dangling_assessment_action_and_section(tmp_path):
    from qiframe import checks, store

    root = copy("clean", tmp_path)
    (root / "indicators" / "99.9.yaml").write_text("indicator: '99.9'\nlead: Someone\n", encoding="utf-8")
    (root / "statement" / "S7.yaml").write_text("unit: S7\nanswers: {now: x}\n", encoding="utf-8")
    (root / "actions").mkdir()
    (root / "actions" / "A-q2w3er.yaml").write_text(
        "id: A-q2w3er\ntitle: Do it\nindicator: '42'\n", encoding="utf-8"
    )
    report = checks.run(store.load(root), only=["dangling-reference"])
    assert sorted(p.path for p in report.problems) == [
        "actions/A-q2w3er.yaml",
        "indicators/99.9.yaml",
        "statement/S7.yaml",
    ]


def test_theme_must_be_written_qi_colon_title(tmp_path):
    from qiframe import checks, store

    root = copy("clean", tmp_path)
    path = root / "evidence" / "E-7bq2df.yaml"
    set_yaml(
        path,
        themes=[
            "Children and young people feel listened to",
            "2.1:  children and young PEOPLE feel listened to,   understood and respected",
        ],
    )
    problems = checks.run(store.load(root), only=["dangling-reference"]).problems
    # The second spelling differs only in case and spacing, so it names a real theme.
    assert len(problems) == 1 and "QI: theme title" in problems[0].message


def test_personal_data_example(cli, tmp_path):
    root = copy("personal-data", tmp_path)
    _, report = check_json(cli, root)
    found = sorted((p["path"], p["message"].split(" (")[0]) for p in report["problems"])
    assert found == [
        ("evidence/E-7bq2df.yaml", "owner contains what looks like an email address"),
        ("evidence/E-k3m9qx.yaml", "summary contains what looks like a CHI number"),
        ("indicators/2.1.yaml", "next_steps.1 contains what looks like a UK phone number"),
        ("statement/S4.yaml", "answers.now contains what looks like a National Insurance number"),
    ]
    assert report["summary"]["suppressed"] == 1
    # Neither the item marked personal_data (E-h4j5kp) nor the suppressed one (E-c6v7bn) is reported.
    assert not {p["evidence"] for p in report["problems"]} & {"E-h4j5kp", "E-c6v7bn"}
    (nexts,) = [p for p in report["problems"] if p["path"] == "indicators/2.1.yaml"]
    assert "01632 960 123" in line_at(root, nexts)


def test_personal_data_suppression_is_per_item(tmp_path):
    from qiframe import checks, store

    root = copy("personal-data", tmp_path)
    ev = store.load(root)
    base = checks.run(ev, only=["personal-data"])
    set_yaml(
        root / "evaluation.yaml",
        suppress=[
            {"rule": "personal-data", "item": "E-c6v7bn", "reason": "Shared mailbox."},
            {"rule": "personal-data", "item": "S4", "reason": "Quoted with the carer's written consent."},
            {
                "rule": "missing-lead",
                "item": "E-k3m9qx",
                "reason": "A different rule: must not hide anything.",
            },
        ],
    )
    after = checks.run(store.load(root), only=["personal-data"])
    assert after.suppressed == base.suppressed + 1
    assert [p.path for p in base.problems if p.path not in {p2.path for p2 in after.problems}] == [
        "statement/S4.yaml"
    ]


def test_suite_is_judged_through_its_indicators(tmp_path):
    from qiframe import checks, store

    root = tmp_path / "joint"
    store.init(root, "ci-care-protection-2019", "joint-2018", period=("2024-04-01", "2025-03-31"))
    store.add_evidence(root, title="Audit", source="data", indicators=["9.1"], date="2025-01-01")
    store.add_evidence(root, title="Staff survey", source="views", indicators=["9.3"], date="2025-01-01")
    ev = store.load(root)
    report = checks.run(ev, only=["no-evidence", "weak-triangulation", "ungraded"])
    leadership = {(p.rule, p.severity) for p in report.problems if p.indicator == "leadership"}
    assert leadership == {("ungraded", "error")}
    # 9.1-9.4 are graded as one, through indicators/leadership.yaml: never on their own.
    assert not [p for p in report.problems if p.indicator in {"9.1", "9.2", "9.3", "9.4"}]
    assert ("weak-triangulation", "1.1") in {(p.rule, p.indicator) for p in report.problems}
    no_ev = {p.indicator: p.severity for p in report.problems if p.rule == "no-evidence"}
    assert no_ev["1.1"] == "error" and no_ev["5.1"] == "warning"


def test_without_programme_nothing_is_graded_by_a_programme(tmp_path):
    from qiframe import checks, store

    root = tmp_path / "plain"
    store.init(root, "ci-care-protection-2019")
    report = checks.run(store.load(root), only=["ungraded", "no-evidence", "weak-triangulation"])
    assert {p.severity for p in report.problems if p.rule == "ungraded"} == {"info"}
    assert len([p for p in report.problems if p.rule == "ungraded"]) == len(store.load(root).assessments)
    assert {p.severity for p in report.problems if p.rule == "no-evidence"} == {"warning"}
    assert not [p for p in report.problems if p.rule == "weak-triangulation"]
    assert not report.failed()


def test_weak_triangulation_ignores_documentation_and_reads_threshold(tmp_path):
    from qiframe import checks, store

    root = copy("clean", tmp_path)
    ev = store.load(root)
    assert not checks.run(ev, only=["weak-triangulation"]).problems
    set_yaml(root / "evaluation.yaml", checks={"weak-triangulation": {"threshold": 3}})
    (p,) = checks.run(store.load(root), only=["weak-triangulation"]).problems
    assert "2 of the 3" in p.message and "direct observation" in p.message
    store.add_evidence(
        root, title="Procedures", source="documentation", indicators=["2.1"], date="2025-01-01"
    )
    assert len(checks.run(store.load(root), only=["weak-triangulation"]).problems) == 1
    store.add_evidence(
        root, title="Observed meeting", source="observation", indicators=["2.1"], date="2025-01-01"
    )
    assert not checks.run(store.load(root), only=["weak-triangulation"]).problems


@pytest.mark.parametrize(
    ("end", "stale"), [("2023-03-31", False), ("2023-03-30", True), ("2024-12-01", False)]
)
def test_stale_evidence_boundary_is_24_months(tmp_path, end, stale):
    from qiframe import checks, store

    root = copy("clean", tmp_path)
    set_yaml(root / "evidence" / "E-7bq2df.yaml", date_to=end, date="2022-01-01")
    problems = checks.run(store.load(root), only=["stale-evidence"]).problems
    assert [p.evidence for p in problems] == (["E-7bq2df"] if stale else [])


def test_stale_evidence_months_setting(tmp_path):
    from qiframe import checks, store

    root = copy("stale-evidence", tmp_path)
    assert len(checks.run(store.load(root), only=["stale-evidence"]).problems) == 1
    set_yaml(root / "evaluation.yaml", checks={"stale-evidence": {"months": 36}})
    assert not checks.run(store.load(root), only=["stale-evidence"]).problems


def test_evaluation_date_falls_back_to_period_end_then_today(tmp_path):
    from qiframe import checks, store

    root = copy("future-evidence", tmp_path)  # E-w8x2hc is dated 2025-09-01
    set_yaml(root / "evaluation.yaml", date=None)
    assert len(checks.run(store.load(root), only=["future-evidence"]).problems) == 1  # period ends 2025-03-31
    set_yaml(root / "evaluation.yaml", period=None)
    ev = store.load(root)
    assert len(checks.run(ev, only=["future-evidence"], today="2025-08-31").problems) == 1
    assert not checks.run(ev, only=["future-evidence"], today="2025-09-01").problems
    stale = checks.run(ev, only=["stale-evidence"], today="2026-12-01").problems
    assert [p.evidence for p in stale] == [
        "E-k3m9qx"
    ]  # 2024-11-15 is over 24 months before; the rest are not


def test_grade_balance_reads_the_scale(tmp_path):
    from qiframe import checks, store

    root = copy("clean", tmp_path)
    path = root / "indicators" / "2.1.yaml"
    cases = {
        5: ([], ["x"], True),
        6: (["x"], [], False),
        2: (["x"], [], True),
        1: ([], ["y"], False),
        3: (["x"], ["y"], False),
    }
    for grade, (strengths, improvements, fails) in cases.items():
        set_yaml(path, grade=grade, strengths=strengths or None, improvements=improvements or None)
        problems = checks.run(store.load(root), only=["grade-balance"]).problems
        assert bool(problems) is fails, grade


def _workspace_framework(tmp_path: Path, expects: bool) -> Path:
    """An evaluation on the four-level test framework, optionally with its `expects` removed."""
    from qiframe import store

    text = (DATA / "frameworks" / "valid" / "four-level.yaml").read_text(encoding="utf-8")
    if not expects:
        text = "\n".join(line for line in text.splitlines() if "expects:" not in line) + "\n"
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "test-four-level.yaml").write_text(text, encoding="utf-8")
    root = store.init(tmp_path / "ev", "test-four-level")
    ident = next(iter(store.load(root).assessments))
    set_yaml(root / "indicators" / f"{ident}.yaml", grade=3, rationale="Sound.", lead="A")
    return root


def test_grade_balance_on_a_four_level_scale(tmp_path):
    from qiframe import checks, store

    root = _workspace_framework(tmp_path, expects=True)
    (p,) = checks.run(store.load(root), only=["grade-balance"]).problems
    assert "3 Sound" in p.message and "strengths and areas for improvement" in p.message


def test_grade_balance_is_off_for_a_scale_without_meaning_unless_configured(cli, tmp_path):
    from qiframe import checks, store

    root = _workspace_framework(tmp_path, expects=False)
    assert not checks.run(store.load(root), only=["grade-balance"]).problems
    set_yaml(root / "evaluation.yaml", checks={"grade-balance": {"expects": {"Sound": ["improvements"]}}})
    (p,) = checks.run(store.load(root), only=["grade-balance"]).problems
    assert "needs areas for improvement" in p.message
    set_yaml(root / "evaluation.yaml", checks={"grade-balance": {"expects": {"Splendid": ["strengths"]}}})
    result = cli("check", "-e", root)
    assert result.code == 2
    assert "evaluation.yaml:" in result.err and "'Splendid' is not a level" in result.err


# --- settings --------------------------------------------------------------------------------------------


def test_rule_can_be_turned_off_or_change_severity(cli, tmp_path):
    root = copy("missing-rationale", tmp_path)
    set_yaml(root / "evaluation.yaml", checks={"missing-rationale": "warning"})
    code, report = check_json(cli, root)
    assert code == 0 and [p["severity"] for p in report["problems"]] == ["warning"]
    assert cli("check", "-e", root, "--strict").code == 1
    set_yaml(root / "evaluation.yaml", checks={"missing-rationale": {"severity": "off"}})
    code, report = check_json(cli, root, "--strict")
    assert code == 0 and report["problems"] == []


@pytest.mark.parametrize(
    ("settings", "message", "located"),
    [
        (
            {"checks": {"missing-leed": "off"}},
            "unknown rule 'missing-leed'; did you mean 'missing-lead'?",
            "missing-leed",
        ),
        ({"checks": {"stale-evidence": {"years": 3}}}, "stale-evidence has no setting 'years'", "years"),
        (
            {"checks": {"stale-evidence": {"months": 0}}},
            "stale-evidence.months: expected a whole number",
            "0",
        ),
        ({"checks": {"weak-triangulation": {"threshold": 4}}}, "from 1 to 3", "4"),
        (
            {"suppress": [{"rule": "personal-dat", "item": "E-k3m9qx", "reason": "x"}]},
            "unknown rule 'personal-dat'",
            "personal-dat",
        ),
        (
            {"suppress": [{"rule": "personal-data", "item": "E-k3m9qx", "reason": "  "}]},
            "needs a reason",
            "'  '",
        ),
        (
            {"suppress": [{"rule": "personal-data", "item": "E-k3m9qx"}]},
            "'reason' is required",
            "rule: personal-data",
        ),
    ],
)
def test_bad_settings_are_located_input_errors(cli, tmp_path, settings, message, located):
    root = copy("clean", tmp_path)
    set_yaml(root / "evaluation.yaml", **settings)
    before = snapshot(root)
    result = cli("check", "-e", root)
    assert result.code == 2
    assert message in result.err
    assert result.err.startswith("qiframe: error: ") and "Traceback" not in result.err
    location = result.err.removeprefix("qiframe: error: ").split(": ", 1)[0]
    assert "evaluation.yaml:" in location
    if located:
        file, line, column = location.rsplit(":", 2)
        text = (root / "evaluation.yaml").read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert text[int(column) - 1 :].startswith(located)
    assert snapshot(root) == before


def test_unknown_rule_option_on_command_line(cli, tmp_path):
    root = copy("clean", tmp_path)
    result = cli("check", "-e", root, "--rule", "no-such-rule")
    assert result.code == 2 and "unknown rule 'no-such-rule'" in result.err


def test_rule_option_runs_only_the_named_rules(cli, tmp_path):
    root = copy("personal-data", tmp_path)
    code, report = check_json(cli, root, "--rule", "missing-lead")
    assert code == 0 and report["problems"] == []
    code, report = check_json(cli, root, "--rule", "missing-lead", "--rule", "personal-data")
    assert code == 1 and {p["rule"] for p in report["problems"]} == {"personal-data"}


def test_unreadable_input_exits_2(cli, tmp_path):
    root = copy("clean", tmp_path)
    (root / "evidence" / "E-7bq2df.yaml").write_text("id: E-7bq2df\ntitle: [unclosed\n", encoding="utf-8")
    result = cli("check", "-e", root)
    assert result.code == 2
    assert "E-7bq2df.yaml:" in result.err and "malformed YAML" in result.err
    assert result.out == ""


# --- output formats --------------------------------------------------------------------------------------


def test_text_output_groups_by_indicator(cli, tmp_path):
    root = copy("personal-data", tmp_path)
    set_yaml(root / "indicators" / "2.1.yaml", lead=None)
    result = cli("check", "-e", root, cwd=tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "2.1 Impact on children and young people"
    assert lines[1].startswith(
        "  personal-data/indicators/2.1.yaml:2:1: warning missing-lead QI 2.1 has no lead"
    )
    assert lines[2].startswith("  personal-data/indicators/2.1.yaml:") and " error personal-data " in lines[2]
    assert lines[3] == "Evidence and other files"
    assert len([x for x in lines if x.startswith("  ")]) == 5
    assert lines[-1] == "4 errors, 1 warning, 0 info (1 suppressed)."


def test_github_annotations(cli, tmp_path):
    root = copy("dangling-reference", tmp_path)
    result = cli("check", "-e", root, "--format", "github", cwd=tmp_path)
    assert result.code == 1
    annotations = [x for x in result.out.splitlines() if x.startswith("::")]
    assert len(annotations) == 4
    first = annotations[0]
    assert first.startswith(
        "::error file=dangling-reference/evidence/E-k3m9qx.yaml,line=13,col=5,"
        "title=dangling-reference::evidence E-k3m9qx is linked to indicator '99.9'"
    )
    lines = (root / "evidence" / "E-k3m9qx.yaml").read_text(encoding="utf-8").splitlines()
    assert "99.9" in lines[12]


def test_github_escapes_workflow_command_characters():
    from qiframe.render.check import _data, _prop

    assert _data("50% done\nnext") == "50%25 done%0Anext"
    assert _prop("a:b,c") == "a%3Ab%2Cc"


def test_warning_annotation_and_strict(cli, tmp_path):
    root = copy("orphan-evidence", tmp_path)
    result = cli("check", "-e", root, "--format", "github", cwd=tmp_path)
    assert result.code == 0
    assert result.out.startswith(
        "::warning file=orphan-evidence/evidence/E-m2n3bv.yaml,line=2,col=5,title=orphan-evidence::"
    )
    assert cli("check", "-e", root, "--strict").code == 1


# --- detectors -------------------------------------------------------------------------------------------


def _chi(nine: str) -> str:
    """Complete nine digits with their modulus 11 check digit (computed here independently)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = (11 - total % 11) % 11
    assert check != 10
    return nine + str(check)


@pytest.mark.parametrize(
    "number", [_chi("120380235"), _chi("010101123"), _chi("290200123"), _chi("311299876"), _chi("150612345")]
)
def test_valid_chi_numbers(number):
    from qiframe.checks.personal_data import chi_valid, find_identifiers

    assert chi_valid(number)
    for written in (
        number,
        f"{number[:3]} {number[3:6]} {number[6:]}",
        f"{number[:3]}-{number[3:6]}-{number[6:]}",
        f"{number[:6]} {number[6:]}",
        f"{number[:6]}-{number[6:]}",
    ):
        found = find_identifiers(f"Record {written} was read.")
        assert [(f.kind, f.text) for f in found] == [("chi", written)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1203802340", "first nine digits give a check digit of 10, so no CHI number starts this way"),
        ("1203802357", "wrong check digit (8 expected)"),
        ("3202801234", "day 32"),
        ("2902011237", "29 February 1901 and 2001 do not exist"),
        ("1213801233", "month 13"),
        ("1234567890", "an ordinary ten-digit number: not a date"),
        ("2501202601", "a date-like start but the check digit fails"),
        ("120 3802358", "grouped 3-7, which is not how CHI numbers are written"),
        ("120-380 2358", "mixed separators in 3-3-4"),
        ("12038023581", "eleven digits"),
        ("ref-1203802358", "part of a longer code"),
    ],
)
def test_chi_near_misses(text, why):
    from qiframe.checks.personal_data import find_identifiers

    assert [f for f in find_identifiers(text) if f.kind == "chi"] == [], why


def test_chi_leap_day():
    from qiframe.checks.personal_data import chi_valid

    assert chi_valid(_chi("290200123"))  # 2000 was a leap year
    assert chi_valid(_chi("290296123"))  # so was 1996
    assert (
        _chi("290297123") == "2902971230"
    )  # the check digit is right, but 1997 and 2097 were not leap years
    assert not chi_valid("2902971230")


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Contact morven.quinn@lochavich.example for the file.", "email", "morven.quinn@lochavich.example"),
        ("Write to A.B+cp@nhs.scot.", "email", "A.B+cp@nhs.scot"),
        ("Call 0141 287 2000 today", "phone", "0141 287 2000"),
        ("Mobile 07700 900123.", "phone", "07700 900123"),
        ("Mobile 07700900123", "phone", "07700900123"),
        ("From abroad +44 7700 900123", "phone", "+44 7700 900123"),
        ("Or +44 (0)131 496 0000", "phone", "+44 (0)131 496 0000"),
        ("Office (0131) 496 0000", "phone", "(0131) 496 0000"),
        ("Short area code 016977 3456", "phone", "016977 3456"),
        ("NI AB 12 34 56 C on file", "ni", "AB 12 34 56 C"),
        ("NI AB123456C on file", "ni", "AB123456C"),
        ("lower case ce123456d too", "ni", "ce123456d"),
    ],
)
def test_identifiers_found(text, kind, found):
    from qiframe.checks.personal_data import find_identifiers

    assert [(f.kind, f.text) for f in find_identifiers(text)] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "Referrals rose from 1,204 to 1,377 in 2024-25.",
        "Meetings on 01/02/2023, 2023-01-31 and 31.01.2023.",
        "Seen at 10:30 on 05 03 2024 10 11 by the team.",
        "Budget £1,250,000 (0.5% of spend); code 00123456789.",
        "Ordinary numbers 1234567890 and 012345 and 0123 4567.",
        "A 04 number 0401 234 5678 and a 06 number 0601 234 5678 are not UK ranges.",
        "An email-like note: see @team or user@localhost.",
        "Specimen prefixes QQ 12 34 56 C, GB123456A, ZZ123456A and DA123456A are not issued.",
        "Prose: we 12 34 56 a list of figures.",
        "Cited as [E-k3m9qx] with 78% of 40 files.",
    ],
)
def test_no_identifiers_in_ordinary_text(text):
    from qiframe.checks.personal_data import find_identifiers

    assert find_identifiers(text) == []


def test_masked_identifiers_do_not_reveal_them():
    from qiframe.checks.personal_data import find_identifiers

    (chi,) = find_identifiers(f"x {_chi('120380235')} y")
    assert chi.masked().startswith("1") and chi.masked().endswith(chi.text[-2:])
    assert chi.text[1:8] not in chi.masked()
    (email,) = find_identifiers("a.person@example.org")
    assert email.masked() == "a***@example.org"


# --- citations -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Shown here [E-k3m9qx].", ["E-k3m9qx"]),
        ("Both [E-k3m9qx, E-7bq2df] and again [E-k3m9qx].", ["E-k3m9qx", "E-7bq2df"]),
        ("Semicolons [ E-k3m9qx;E-7bq2df ]", ["E-k3m9qx", "E-7bq2df"]),
        ("Not a citation (E-k3m9qx) or [see E-k3m9qx] or E-k3m9qx alone.", []),
        ("Half a list [E-k3m9qx, p. 4] is not one.", []),
    ],
)
def test_cited_ids(text, ids):
    from qiframe.citations import cited_ids

    assert cited_ids(text) == ids


# --- documentation ---------------------------------------------------------------------------------------


def test_every_rule_is_documented_with_examples():
    from qiframe.checks import load_rules
    from qiframe.checks._docs import parse

    rules = load_rules()
    assert len(rules) >= 16
    for r in rules.values():
        doc = parse(r)
        assert doc.description and doc.passes.strip() and doc.fails.strip(), r.id


def test_one_module_per_rule_named_after_it():
    rules = _registry()
    modules = [r.module for r in rules.values()]
    assert len(set(modules)) == len(modules), "a module defines more than one rule"
    for r in rules.values():
        assert r.module == "qiframe.checks." + r.id.replace("-", "_"), r.id


def test_undocumented_rule_is_refused():
    from qiframe.checks import Rule
    from qiframe.checks._docs import Undocumented, parse, render

    bare = Rule(
        "bare", "warning", lambda ctx: (), "Something is wrong.\n\n    Passes:\n\n        x: 1\n", True
    )
    with pytest.raises(Undocumented, match="bare"):
        parse(bare)
    with pytest.raises(Undocumented):
        render({"bare": bare})


def test_docs_page_is_up_to_date():
    from qiframe.checks import load_rules
    from qiframe.checks._docs import render

    page = ROOT / "docs" / "checks.md"
    assert page.read_text(encoding="utf-8") == render(load_rules()), (
        "docs/checks.md is out of date: run python -m qiframe.checks._docs"
    )


def test_docs_check_mode(tmp_path):
    from qiframe.checks._docs import main

    target = tmp_path / "checks.md"
    assert main(["--check", str(target)]) == 1
    assert main([str(target)]) == 0
    assert main(["--check", str(target)]) == 0
    assert "## personal-data" in target.read_text(encoding="utf-8")


# --- the bundled example ---------------------------------------------------------------------------------


EXAMPLE_DAY = "2026-11-30"
"""The day the bundled example describes: its latest progress note is from October 2026 and its earliest
unfinished action falls due at the end of January 2027."""


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".qiframe"))
    return root


def test_bundled_example_passes(cli, tmp_path, monkeypatch):
    # As of its own day, not the machine's clock, so the result is the same whenever the test runs.
    monkeypatch.setenv("QIFRAME_TODAY", EXAMPLE_DAY)
    result = cli("check", "-e", _example(tmp_path))
    assert result.code == 0, result.out


def test_bundled_example_passes_whatever_the_clock_says(cli, tmp_path, monkeypatch):
    import datetime as dt

    class Clock2030(dt.date):
        @classmethod
        def today(cls):
            return cls(2030, 1, 1)

    monkeypatch.setattr("qiframe.clock.dt.date", Clock2030)
    monkeypatch.setenv("QIFRAME_TODAY", EXAMPLE_DAY)
    assert cli("check", "-e", _example(tmp_path)).code == 0


def test_today_reaches_every_date_judged_against_it(cli, tmp_path, monkeypatch):
    """With today set to 2030-01-01 the example's unfinished actions are overdue and their measures late, and
    nothing else changes: evidence age is measured from the evaluation's own date, which also dates the
    statement; the progress report carries the day."""
    from docx import Document

    root = _example(tmp_path)
    monkeypatch.setenv("QIFRAME_TODAY", "2030-01-01")
    code, report = check_json(cli, root)
    assert code == 1
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors and {p["rule"] for p in errors} == {"overdue-action"}
    monkeypatch.setenv("QIFRAME_TODAY", EXAMPLE_DAY)
    _, before = check_json(cli, root)
    today_rules = ("overdue-action", "late-measure")
    assert {p["rule"] for p in report["problems"]} >= set(today_rules)
    assert [p for p in report["problems"] if p["rule"] not in today_rules] == [
        p for p in before["problems"] if p["rule"] not in today_rules
    ]

    monkeypatch.setenv("QIFRAME_TODAY", "2030-01-01")
    assert cli("export", "statement", "-e", root, "-o", tmp_path / "s.md").code == 0
    # The statement is dated by the evaluation (its `date`), not by the day it happens to be exported.
    assert "- **Date:** 31 March 2026\n" in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert cli("export", "progress", "-e", root, "-o", tmp_path / "p.docx").code == 0
    text = "\n".join(p.text for p in Document(str(tmp_path / "p.docx")).paragraphs)
    assert "2030-01-01" in text or "1 January 2030" in text, text[:500]


def test_a_today_that_is_not_a_date_is_an_input_error(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("QIFRAME_TODAY", "next tuesday")
    result = cli("check", "-e", _example(tmp_path))
    assert result.code == 2
    assert result.err.startswith("qiframe: error: QIFRAME_TODAY='next tuesday' is not a date")


# --- locations -------------------------------------------------------------------------------------------


def _yaml_files() -> list[Path]:
    files = sorted(CHECKS.rglob("*.yaml"))
    if EXAMPLE.is_dir():
        files += sorted(p for p in EXAMPLE.rglob("*.yaml") if ".qiframe" not in p.parts)
    return files


def test_line_scan_agrees_with_the_parser():
    """The fast line scan must give exactly the parser's position wherever it answers at all."""
    from qiframe import yamlio
    from qiframe.checks._locate import compose, scan, walk

    answered = 0
    for path in _yaml_files():
        text = path.read_text(encoding="utf-8")
        lines, node, data = text.splitlines(), compose(text), yamlio.parse(text, path)
        for key, value in data.items():
            paths = [(key,)] + [(key, i) for i in range(len(value))] if isinstance(value, list) else [(key,)]
            for where in paths + [(key, 99)]:
                fast = scan(lines, where)
                if fast is not None:
                    answered += 1
                    assert fast == walk(node, where), (path, where)
    assert answered > 200


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("a: 1\nlist: [x, y]\n", ("list", 1), (2, 11)),  # flow style: the parser answers
        ("a: 1\nlist:\n- x\n- y\nb: 2\n", ("list", 1), (4, 3)),  # a list at the key's own indent
        ("m:\n  inner: 1\n", ("m", "inner"), (2, 10)),  # nested: the parser answers
        ("text: |\n  line one\n  line two\n", ("text",), (1, 7)),  # block scalar: at its indicator
        ("a: 1\n", ("missing",), (1, 1)),  # a missing field: the document
        ("# c\nlist:\n  # note\n  - x\n  - y\n", ("list", 1), (5, 5)),
    ],
)
def test_locations_in_unusual_layouts(tmp_path, text, where, expected):
    from qiframe.checks._locate import Locator

    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    assert Locator(str(tmp_path)).locate("f.yaml", where) == expected
