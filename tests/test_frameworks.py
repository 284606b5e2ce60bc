"""Framework files: the bundled ones, the valid and invalid examples, and the frameworks commands."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qiframe import frameworks
from tests.conftest import DATA, ROOT

BUNDLED = sorted((ROOT / "frameworks").glob("*.yaml"))
VALID = sorted((DATA / "frameworks" / "valid").glob("*.yaml"))
INVALID = sorted((DATA / "frameworks" / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED + VALID, ids=lambda p: p.name)
def test_valid_files_have_no_problems(path):
    assert frameworks.validate_file(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_reports_its_located_problem(path, cli):
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    problems = frameworks.validate_file(path)
    assert problems, "an invalid example must have a problem"
    first = problems[0]
    assert f"{first.line}:{first.column}: {first.message}" == expected
    result = cli("frameworks", "validate", path)
    assert result.code == 2
    assert result.err.splitlines()[0].endswith(f"{path.name}:{expected}")
    assert "Traceback" not in result.err


def test_invalid_corpus_covers_each_kind_of_problem():
    names = {p.stem for p in INVALID}
    assert {"duplicate-indicator-id", "band-gap", "band-overlap", "malformed-yaml", "unknown-field"} <= names


def test_duplicate_indicator_names_file_line_and_column(cli):
    path = DATA / "frameworks" / "invalid" / "duplicate-indicator-id.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    result = cli("frameworks", "validate", path)
    assert result.code == 2
    location, message = result.err.splitlines()[0].rsplit(".yaml:", 1)
    line, column, _ = message.split(":", 2)
    # The reported position is the second definition of the id, not the first.
    assert lines[int(line) - 1][int(column) - 1 :].startswith("leadership")
    assert [i for i, text in enumerate(lines) if text.strip() == "- id: leadership"][1] == int(line) - 1


# Titles confirmed by the reference (shared/reference/frameworks.md, seed 004).
CONFIRMED_TITLES = {
    "1.1": "Improvements in the safety, wellbeing and life chances of vulnerable children and young people",
    "2.1": "Impact on children and young people",
    "2.2": "Impact on families",
    "9.1": "Vision, values and aims",
    "9.2": "Leadership of strategy and direction",
    "9.3": "Leadership of people and partnerships",
    "9.4": "Leadership of improvement and change",
}


def test_care_protection_framework_json(cli):
    result = cli("frameworks", "show", "ci-care-protection-2019", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    indicators = {i["id"]: i for i in data["indicators"]}
    assert len(indicators) == 22
    for ident, title in CONFIRMED_TITLES.items():
        assert indicators[ident]["title"] == title
        assert indicators[ident]["provenance"]["status"] == "confirmed"
    assert [lv["label"] for lv in data["scale"]["levels"]] == [
        "Excellent",
        "Very good",
        "Good",
        "Adequate",
        "Weak",
        "Unsatisfactory",
    ]
    programmes = {p["id"]: p for p in data["programmes"]}
    assert set(programmes) == {"joint-2018", "risk-of-harm-2021", "cso-2025"}
    assert programmes["joint-2018"]["graded"] == ["1.1", "2.1", "2.2", "leadership", "10.1"]
    assert programmes["joint-2018"]["suites"][0]["indicators"] == ["9.1", "9.2", "9.3", "9.4"]
    assert programmes["risk-of-harm-2021"]["graded"] == ["2.1"]
    assert programmes["risk-of-harm-2021"]["word_limit"] == 5000
    assert len(programmes["risk-of-harm-2021"]["units"]) == 4
    assert len(programmes["joint-2018"]["units"]) == 5
    assert sorted(programmes["cso-2025"]["graded"]) == ["2.1", "5.3", "5.4", "9.2"]


def test_hgios4_has_fifteen_indicators_and_satisfactory(cli):
    data = json.loads(cli("frameworks", "show", "es-hgios4", "--format", "json").out)
    assert len(data["indicators"]) == 15
    assert data["scale"]["levels"][3]["label"] == "Satisfactory"
    assert len(data["key_questions"]) == 3
    full = next(p for p in data["programmes"] if p["id"] == "full-inspection")
    assert full["graded"] == ["1.3", "2.3", "3.1", "3.2"]


def test_care_inspectorate_quantity_terms_follow_the_seed_report():
    fw = frameworks.load("ci-care-protection-2019")
    term = lambda pct: fw.quantity_terms.band(pct).term  # noqa: E731
    assert [term(p) for p in (0, 14, 15, 49, 50, 74, 75, 89, 90, 99, 100)] == [
        "none",
        "few",
        "less than half",
        "less than half",
        "the majority",
        "the majority",
        "most",
        "most",
        "almost all",
        "almost all",
        "all",
    ]


def test_show_text_marks_unconfirmed_and_graded(cli):
    result = cli("frameworks", "show", "ci-care-protection-2019", "--programme", "risk-of-harm-2021")
    assert result.code == 0
    line_21 = next(
        line for line in result.out.splitlines() if "2.1 Impact on children and young people" in line
    )
    assert "graded" in line_21
    line_31 = next(line for line in result.out.splitlines() if "3.1 Impact on staff" in line)
    assert "(assumed)" in line_31 and "graded" not in line_31


def test_unknown_framework_and_programme(cli):
    result = cli("frameworks", "show", "no-such-framework")
    assert result.code == 2 and "unknown framework 'no-such-framework'" in result.err
    result = cli("frameworks", "show", "es-hgios4", "--programme", "nope")
    assert result.code == 2 and "no programme 'nope'" in result.err and "full-inspection" in result.err


def test_workspace_framework_is_found_and_overrides(tmp_path, cli):
    own = tmp_path / "frameworks"
    own.mkdir()
    shutil.copy(DATA / "frameworks" / "valid" / "four-level.yaml", own / "four-level.yaml")
    (tmp_path / "evaluations").mkdir()
    result = cli("frameworks", "list", "--format", "json", cwd=tmp_path / "evaluations")
    rows = {r["id"]: r for r in json.loads(result.out)["frameworks"]}
    assert rows["test-four-level"]["origin"] == "workspace"
    assert rows["ci-care-protection-2019"]["origin"] == "bundled"
    # A workspace file with a bundled id wins.
    text = (ROOT / "frameworks" / "es-hgios4.yaml").read_text(encoding="utf-8")
    (own / "mine.yaml").write_text(
        text.replace("title: How good is our school? (4th edition)", "title: Our local copy"),
        encoding="utf-8",
    )
    rows = {
        r["id"]: r
        for r in json.loads(cli("frameworks", "list", "--format", "json", cwd=tmp_path).out)["frameworks"]
    }
    assert rows["es-hgios4"]["origin"] == "workspace" and rows["es-hgios4"]["title"] == "Our local copy"


def test_four_level_framework_shows(tmp_path, cli):
    own = tmp_path / "frameworks"
    own.mkdir()
    shutil.copy(DATA / "frameworks" / "valid" / "four-level.yaml", own)
    data = json.loads(cli("frameworks", "show", "test-four-level", "--format", "json", cwd=tmp_path).out)
    assert [lv["value"] for lv in data["scale"]["levels"]] == [4, 3, 2, 1]
    assert [i["id"] for i in data["indicators"]] == ["safe-care", "voice", "leadership", "improvement"]


# --- quantity bands partition 0-100 -----------------------------------------------------------------

FRAMEWORKS = [frameworks.load_file(p) for p in BUNDLED]


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_every_percentage_has_exactly_one_band_in_every_bundled_framework(percent):
    for fw in FRAMEWORKS:
        assert sum(b.contains(percent) for b in fw.quantity_terms.bands) == 1, (fw.id, percent)


@st.composite
def partitions(draw):
    cuts = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=99), min_size=0, max_size=6))))
    points = [0, *cuts, 100]
    bands, covered = [], False
    for lo, hi in zip(points, points[1:], strict=False):
        upper_inclusive = draw(st.booleans()) if hi != 100 else True
        bands.append(
            {
                "term": f"t{lo}",
                "lower": lo,
                "upper": hi,
                "lower_inclusive": not covered,
                "upper_inclusive": upper_inclusive,
            }
        )
        covered = upper_inclusive
    return bands


@given(partitions())
def test_generated_partitions_are_accepted(bands):
    assert frameworks.band_problems(bands) == []


@given(partitions(), st.data())
def test_moving_one_bound_breaks_the_partition(bands, data):
    if len(bands) < 2:
        return
    i = data.draw(st.integers(min_value=1, max_value=len(bands) - 1))
    shift = data.draw(st.sampled_from([-0.5, 0.5]))
    bands[i]["lower"] += shift
    assert frameworks.band_problems(bands) != []


def test_a_framework_named_otherwise_is_found_nearest_first_and_its_id_read_once(tmp_path, monkeypatch):
    import os

    from qiframe import yamlio

    text = (DATA / "frameworks" / "valid" / "four-level.yaml").read_text(encoding="utf-8")
    outer, inner = tmp_path / "frameworks", tmp_path / "area" / "frameworks"
    inner.mkdir(parents=True)
    outer.mkdir()
    (outer / "theirs.yaml").write_text(text.replace("title: ", "title: Outer ", 1), encoding="utf-8")
    (inner / "ours.yaml").write_text(text.replace("title: ", "title: Inner ", 1), encoding="utf-8")
    (inner / "another.yaml").write_text(
        text.replace("id: test-four-level", "id: test-other"), encoding="utf-8"
    )
    for path in (*outer.iterdir(), *inner.iterdir()):
        os.utime(path, ns=(1_600_000_000_000_000_000,) * 2)  # old enough for the parse cache
    start = tmp_path / "area" / "ev"
    start.mkdir()
    cache = yamlio.ParseCache(tmp_path / "cache.json")
    first = frameworks.load("test-four-level", start=start, cache=cache)
    assert first.title.startswith("Inner ") and first.origin == "workspace"
    parsed = []
    real = yamlio.load
    monkeypatch.setattr(yamlio, "load", lambda path, *a, **k: parsed.append(path) or real(path, *a, **k))
    again = frameworks.load("test-four-level", start=start, cache=cache)
    assert again.title == first.title and parsed == []
