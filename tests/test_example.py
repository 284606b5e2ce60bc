"""The bundled example evaluation (evaluations/example-partnership) is complete, consistent and shareable.

New users run it first and other tests and exports read it, so every property here is computed from its
files rather than assumed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from qiframe import model, store, yamlio
from qiframe.citations import cited_ids
from tests.conftest import EXAMPLE, snapshot

# Deliberately broader than the `personal-data` rule: anything shaped like an address or a phone number.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/.-])(?:\+44\s?|0)\d(?:[\s-]?\d){8,9}(?![\w/])")
LONG_NUMBER = re.compile(r"(?<!\d)\d{9,}(?!\d)")  # CHI numbers and the like
TRIANGULATING = ("data", "views", "observation")


@pytest.fixture(scope="module")
def ev() -> model.Evaluation:
    return store.load(EXAMPLE)


def shared_files() -> list[Path]:
    """The files a team shares through git (the private .qiframe folder is per machine)."""
    return [
        p
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file() and ".qiframe" not in p.relative_to(EXAMPLE).parts
    ]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, or that month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def test_loads_with_programme(ev):
    assert ev.metadata.framework == "ci-care-protection-2019"
    assert ev.programme is not None and ev.programme.id == "risk-of-harm-2021"
    assert ev.metadata.organisation


def test_about_forty_evidence_items_from_every_source(ev):
    assert 35 <= len(ev.evidence) <= 45
    assert {e.source for e in ev.evidence.values()} == set(model.SOURCES)
    counts = {s: sum(e.source == s for e in ev.evidence.values()) for s in model.SOURCES}
    assert min(counts.values()) >= 5, counts  # spread, not a token item per source
    assert len({e.kind for e in ev.evidence.values()}) >= 8
    assert all(e.summary and e.agency and e.owner and e.location for e in ev.evidence.values())
    assert 0 < sum(e.submission for e in ev.evidence.values()) < len(ev.evidence)


def test_graded_indicator_is_good_with_balanced_notes(ev):
    graded = ev.programme.graded_indicators
    assert graded == ("2.1",)
    a = ev.assessments["2.1"]
    level = ev.framework.scale.level(a.grade)
    assert (a.grade, level.label) == (4, "Good")
    assert len(re.findall(r"[.!?](\s|$)", a.rationale)) >= 3  # a few sentences
    assert 3 <= len(a.strengths) <= 5 and 2 <= len(a.improvements) <= 4 and a.next_steps
    assert a.status == "agreed"


def test_every_grade_is_supported_by_its_notes(ev):
    graded = [a for a in ev.assessments.values() if a.grade is not None]
    assert len(graded) >= 2
    for a in graded:
        level = ev.framework.scale.level(a.grade)
        assert level is not None, a.indicator
        assert a.rationale, a.indicator
        assert "strengths" not in level.expects or a.strengths, a.indicator
        assert "improvements" not in level.expects or a.improvements, a.indicator


def test_every_indicator_has_a_lead(ev):
    files = sorted(p.stem for p in (EXAMPLE / "indicators").glob("*.yaml"))
    assert files == sorted(ev.framework.indicators)
    assert all(ev.assessments[i].lead.strip() for i in files)


def test_indicators_of_the_units_have_notes_and_triangulated_evidence(ev):
    drawn_on = {i for unit in ev.programme.units for i in unit.indicators}
    for ind in drawn_on:
        a = ev.assessments[ind]
        assert a.strengths and a.improvements, ind
    for ind in ev.framework.indicators:
        sources = {e.source for e in ev.evidence_for(ind)} & set(TRIANGULATING)
        assert not ev.evidence_for(ind) or len(sources) >= 2, (ind, sources)
        assert ind not in drawn_on or ev.evidence_for(ind), ind


def test_evidence_is_linked_and_citations_resolve(ev):
    units = {u.id for u in ev.programme.units}
    for e in ev.evidence.values():
        assert e.indicators and set(e.indicators) <= set(ev.framework.indicators), e.id
        assert set(e.units) <= units, e.id
    texts = [a.rationale for a in ev.assessments.values()]
    texts += [t for a in ev.assessments.values() for t in (*a.strengths, *a.improvements, *a.next_steps)]
    texts += [t for s in ev.sections.values() for t in s.answers.values()]
    cited = {i for t in texts for i in cited_ids(t)}
    assert len(cited) >= 20
    assert cited <= set(ev.evidence)


def test_statement_answers_every_question_of_every_unit(ev):
    questions = [q.id for q in ev.programme.questions]
    for unit in ev.programme.units:
        answers = ev.sections[unit.id].answers
        assert all(answers.get(q, "").strip() for q in questions), unit.id
        assert cited_ids(answers["know"]), unit.id


def test_evidence_dates_fall_in_the_window(ev):
    on = dt.date.fromisoformat(ev.metadata.evaluation_date)
    oldest = months_before(on, 24)
    assert ev.metadata.period_from <= ev.metadata.evaluation_date
    for e in ev.evidence.values():
        start, end = dt.date.fromisoformat(e.date), dt.date.fromisoformat(e.end_date)
        assert oldest <= start <= end <= on, (e.id, e.date, e.end_date)


def test_no_file_contains_contact_details_or_long_numbers():
    files = shared_files()
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in (EMAIL, PHONE, LONG_NUMBER):
            assert not pattern.search(text), (path.name, pattern.search(text).group())
        assert "personal_data: true" not in text, path.name  # such items would be left out of exports


def test_hand_written_comments_are_kept():
    commented = [
        p.name
        for p in (EXAMPLE / "indicators").glob("*.yaml")
        if any(
            line.lstrip().startswith("#") or " #" in line
            for line in p.read_text(encoding="utf-8").splitlines()[1:]
        )
    ]
    assert len(commented) >= 2


def test_files_resave_byte_identical():
    # qiframe's next edit of any file changes only what it is asked to change.
    kinds = {"indicators": "indicator", "evidence": "evidence", "statement": "section", "actions": "action"}
    for path in shared_files():
        kind = "evaluation" if path.name == store.EVALUATION_FILE else kinds[path.parent.name]
        doc = yamlio.load_roundtrip(path)
        assert yamlio.dump_roundtrip(doc, store.header(kind)) == path.read_text(encoding="utf-8"), path.name


def test_status_and_check_pass_without_writing(cli, monkeypatch):
    # The checks of actions and measures judge against today: take the example's own day.
    monkeypatch.setenv("QIFRAME_TODAY", "2026-11-30")
    before = snapshot(EXAMPLE)
    result = cli("status", "--format", "json", "-e", EXAMPLE)
    assert result.code == 0, result.err
    rows = {r["id"]: r for r in json.loads(result.out)["indicators"]}
    assert rows["2.1"]["grade"] == 4 and rows["2.1"]["evidence"] >= 5

    result = cli("check", "--format", "json", "-e", EXAMPLE)
    assert result.code == 0, result.out + result.err
    summary = json.loads(result.out)["summary"]
    assert summary["errors"] == 0 and summary["warnings"] == 0
    assert snapshot(EXAMPLE) == before


def test_schema_copies_for_editors_are_current():
    from qiframe import schemas

    copies = sorted((EXAMPLE / ".qiframe" / "schemas").glob("*.schema.json"))
    assert copies
    for copy in copies:
        assert copy.read_text(encoding="utf-8") == (schemas.SCHEMA_DIR / copy.name).read_text(
            encoding="utf-8"
        )
