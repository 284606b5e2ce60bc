"""The position statement: citations, word counts, drafting, the document model, editing and check rules."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qiframe import assessments, citations, statement, store, yamlio
from qiframe.statement import DRAFT_MARKER, count_words
from qiframe.statement import drafting as statement_drafting
from tests.conftest import DATA

# --- building small evaluations ------------------------------------------------------------------------


def care_evaluation(folder: Path) -> dict[str, str]:
    """A risk-of-harm-2021 evaluation with graded 2.1, notes on 2.1 and 5.1, and four evidence items.

    Returns the evidence ids by a short name.
    """
    store.init(
        folder,
        "ci-care-protection-2019",
        "risk-of-harm-2021",
        organisation="Test Partnership",
        period=("2024-04-01", "2025-03-31"),
    )
    ids = {
        "audit": store.add_evidence(
            folder,
            title="Case file audit, spring",
            indicators=["2.1", "5.1"],
            source="data",
            kind="case-file-audit",
            date="2025-03-01",
        ).id,
        "group": store.add_evidence(
            folder,
            title="Young people's focus group",
            indicators=["2.1"],
            source="views",
            kind="focus-group",
            date="2025-01-20",
        ).id,
        "private": store.add_evidence(
            folder, title="Named case notes", indicators=["5.1"], source="documentation", personal_data=True
        ).id,
        "plan": store.add_evidence(
            folder, title="Parenting strategy", indicators=["6.3"], source="documentation", kind="plan"
        ).id,
    }
    assessments.grade(folder, "2.1", "4", rationale="Most children are safer.")
    assessments.add_notes(
        folder,
        "2.1",
        ["Children are seen within a day"],
        ["Chronologies vary in quality"],
        ["Train staff in chronologies"],
    )
    assessments.add_notes(folder, "5.1", ["Inter-agency referral discussions are prompt"], [], [])
    return ids


@pytest.fixture
def care(tmp_path, prebuilt) -> tuple[Path, dict[str, str]]:
    """A copy of `care_evaluation`, built once per session: (folder, evidence ids)."""
    ids = prebuilt(care_evaluation, tmp_path / "ev")
    return tmp_path / "ev", ids


def write_section(folder: Path, unit: str, answers: dict[str, str], draft: bool | None = None) -> Path:
    data: dict = {"unit": unit}
    if draft is not None:
        data["draft"] = draft
    data["answers"] = answers
    path = folder / "statement" / f"{unit}.yaml"
    with store.writing(folder):
        store.write_new(path, "section", data)
    return path


def answered(ids: dict[str, str], words: int = 0) -> dict[str, str]:
    """Answers to the three questions, citing evidence in the know answer, padded to about `words` words."""
    padding = " ".join(["evaluative"] * words)
    return {
        "now": f"Most children are safer because risks are spotted early. {padding}".strip(),
        "know": f"Our audit found risk assessed well in most records [{ids['audit']}].",
        "next": "We will repeat the audit in the autumn.",
    }


# --- citations and words ---------------------------------------------------------------------------------


def test_cited_ids_in_order_of_first_citation_each_once():
    text = "A [E-b2c3d4] and [E-a2a2a2, E-b2c3d4; E-zz9zz9]. Not [1], [sic], [e-lower] or E-bare."
    assert citations.cited_ids(text) == ["E-b2c3d4", "E-a2a2a2", "E-zz9zz9"]
    assert citations.cited_ids("") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Most children are safer.", 4),
        ("We don't co-ordinate well; e.g. 1,200 referrals – a 3.5% rise.", 10),
        ("- bullet one\n- bullet two\n\n• third", 5),
        ("— – - * •", 0),
        ("seen [E-k3m9qx, E-p4r7tz; E-x2b8nd] quickly", 5),
        ("", 0),
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words


answer_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
        st.sampled_from(
            [
                "[E-aaaaaa]",
                "[E-aaaaaa,E-bbbbbb]",
                "[E-zzzzzz; E-aaaaaa]",
                "[E-cccccc]",
                "- ",
                "\n",
                "\n\n",
                "\n  ",
                DRAFT_MARKER + "\n",
                "word[E-bbbbbb]word",
            ]
        ),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(answer_text)
def test_words_of_an_answer_file_equal_words_of_the_rendered_text(text):
    """The check counts the file's text; the export counts what the reader sees. They must agree, whatever
    the citations turn into (E1, an unknown id, "withheld")."""
    from qiframe import model

    evidence = {
        "E-aaaaaa": model.Evidence("E-aaaaaa", "A"),
        "E-bbbbbb": model.Evidence("E-bbbbbb", "B"),
        "E-cccccc": model.Evidence("E-cccccc", "C", personal_data=True),
    }
    citer = statement._Citer(type("Ev", (), {"evidence": evidence, "metadata": model.Metadata("T", "f")})())
    blocks = citer.blocks(text, "here")
    assert sum(b.words for b in blocks) == count_words(text)


def test_split_blocks_paragraphs_bullets_and_continuations():
    text = (
        "First line\nwraps here.\n\nStrengths:\n- one\n  continued\n- two\nAreas:\n- three\n\n"
        f"{DRAFT_MARKER}\n"
    )
    assert statement.split_blocks(text) == [
        ("paragraph", "First line wraps here."),
        ("paragraph", "Strengths:"),
        ("bullet", "one continued"),
        ("bullet", "two"),
        ("paragraph", "Areas:"),
        ("bullet", "three"),
        ("draft", DRAFT_MARKER),
    ]


def test_is_unanswered():
    assert statement.is_unanswered(None)
    assert statement.is_unanswered(" \n ")
    assert statement.is_unanswered(f"{DRAFT_MARKER}\n\n")
    assert not statement.is_unanswered(f"{DRAFT_MARKER}\nSomething")


# --- drafting --------------------------------------------------------------------------------------------


def test_draft_writes_marked_first_drafts_from_the_assessments(tmp_path, care):
    root, ids = care
    with store.writing(root):
        for ident, title, status in (
            ("A-open22", "Audit chronologies again", "in-progress"),
            ("A-done22", "Write the chronology guide", "done"),
        ):
            store.write_new(
                root / "actions" / f"{ident}.yaml",
                "action",
                {
                    "id": ident,
                    "title": title,
                    "indicator": "2.1",
                    "owner": "Practice lead",
                    "due": "2026-06-30",
                    "status": status,
                },
            )
    results = statement_drafting.draft_sections(store.load(root))
    assert [r.unit for r in results] == ["S1", "S2", "S3", "S4"]
    assert all(r.created and r.drafted == ("now", "know", "next") for r in results)
    s1 = yamlio.load(root / "statement" / "S1.yaml")
    assert s1["draft"] is True
    now, know, nxt = (s1["answers"][q] for q in ("now", "know", "next"))
    assert all(a.splitlines()[0] == DRAFT_MARKER for a in (now, know, nxt))
    assert "- Children are seen within a day (QI 2.1)" in now
    assert "- Inter-agency referral discussions are prompt (QI 5.1)" in now
    assert "- Chronologies vary in quality (QI 2.1)" in now
    assert "as good." in now  # the grade's label comes from the scale
    assert f"- Case file audit, spring [{ids['audit']}]" in know
    assert f"- Young people's focus group [{ids['group']}]" in know
    assert ids["private"] not in know and "1 item that may contain personal data" in know
    assert ids["plan"] not in know  # 6.3 belongs to S3, not S1
    assert nxt.splitlines()[2:] == [
        "- Train staff in chronologies (QI 2.1)",
        "- Audit chronologies again (QI 2.1; Practice lead, due 30 June 2026)",
    ]
    s3 = yamlio.load(root / "statement" / "S3.yaml")
    assert f"[{ids['plan']}]" in s3["answers"]["know"]
    assert s3["answers"]["now"] == DRAFT_MARKER  # nothing recorded for 5.4, 6.3, 2.2 yet
    assert results[2].nothing == ("now", "next")


def test_drafting_never_overwrites_a_persons_text(tmp_path, care):
    root, _ = care
    mine = "We think we are good at this.\n\n- because of this\n"
    s1 = write_section(root, "S1", {"now": mine, "know": "", "next": "Our own plan."})
    s2 = write_section(root, "S2", {"now": "a", "know": "b", "next": "c"}, draft=True)
    before_s2 = s2.read_bytes()
    results = {r.unit: r for r in statement_drafting.draft_sections(store.load(root))}
    data = yamlio.load(s1)
    assert data["answers"]["now"] == mine
    assert data["answers"]["next"] == "Our own plan."
    assert data["answers"]["know"].startswith(DRAFT_MARKER)
    assert "draft" not in data  # a person's section does not become a machine draft
    assert results["S1"].drafted == ("know",) and results["S1"].kept == ("now", "next")
    assert s2.read_bytes() == before_s2  # every answer written: untouched even though flagged draft
    assert not results["S2"].changed and results["S2"].kept == ("now", "know", "next")


GOLDEN_S1 = """\
# yaml-language-server: $schema=../.qiframe/schemas/section.schema.json
unit: S1
draft: true
answers:
  now: |
    {marker}

    We evaluate QI 2.1 (Impact on children and young people) as good.

    Strengths:
    - Inter-agency referral discussions are prompt (QI 5.1)
    - Children are seen within a day (QI 2.1)

    Areas for improvement:
    - Chronologies vary in quality (QI 2.1)
  know: |
    {marker}

    Quantitative data:
    - Case file audit, spring [{audit}]

    People's views:
    - Young people's focus group [{group}]

    Not cited here: 1 item that may contain personal data.
  next: |
    {marker}

    - Train staff in chronologies (QI 2.1)
"""


def test_draft_golden_and_redraft_is_idempotent(tmp_path, care):
    root, ids = care
    statement_drafting.draft_sections(store.load(root))
    first = {p.name: p.read_bytes() for p in (root / "statement").iterdir()}
    assert first["S1.yaml"].decode() == GOLDEN_S1.format(marker=DRAFT_MARKER, **ids)
    again = statement_drafting.draft_sections(store.load(root))
    assert not any(r.changed for r in again)
    assert {p.name: p.read_bytes() for p in (root / "statement").iterdir()} == first


def test_marker_only_answers_are_drafted_again_once_there_is_something_to_say(tmp_path, care):
    root, _ = care
    statement_drafting.draft_sections(store.load(root), "s3")  # unit ids are case-insensitive
    assert yamlio.load(root / "statement" / "S3.yaml")["answers"]["now"] == DRAFT_MARKER
    assessments.add_notes(root, "5.4", ["Families attend most meetings"], [], [])
    (result,) = statement_drafting.draft_sections(store.load(root), "S3")
    assert result.changed and "now" in result.drafted
    assert (
        "- Families attend most meetings (QI 5.4)"
        in yamlio.load(root / "statement" / "S3.yaml")["answers"]["now"]
    )


def test_draft_cli_reports_and_refuses_an_unknown_unit(tmp_path, cli, care):
    from tests.conftest import snapshot

    root, _ = care
    result = cli("statement", "draft", "S1", "-e", root)
    assert result.code == 0, result.err
    assert "statement/S1.yaml: drafted now, know, next [new file]" in result.err
    before = snapshot(root)
    bad = cli("statement", "draft", "S9", "-e", root)
    assert bad.code == 2
    assert "unknown unit 'S9'" in bad.err and "S1, S2, S3, S4" in bad.err
    assert snapshot(root) == before


# --- the document model ----------------------------------------------------------------------------------


def test_citations_are_numbered_in_order_of_first_citation(tmp_path, care):
    root, ids = care
    write_section(
        root,
        "S1",
        {
            "now": f"Good [{ids['group']}].",
            "know": f"See [{ids['audit']}, {ids['group']}].",
            "next": "Later.",
        },
    )
    write_section(
        root,
        "S2",
        {"now": f"Again [{ids['audit']}] and [E-zzzzzz] and [{ids['private']}].", "know": "x", "next": "y"},
    )
    doc = statement.build_statement(store.load(root))
    assert [(e.label, e.evidence.id) for e in doc.appendix] == [("E01", ids["group"]), ("E02", ids["audit"])]
    s1, s2 = doc.sections[:2]
    assert s1.parts[1].blocks[0].text == "See [E02, E01]."
    assert s2.parts[0].blocks[0].text == "Again [E02] and [E-zzzzzz?] and [withheld]."
    assert any("E-zzzzzz, which is not in the evidence register" in w for w in doc.warnings)
    assert any(ids["private"] in w and "personal data" in w for w in doc.warnings)
    assert ids["private"] not in {e.evidence.id for e in doc.appendix}
    assert [s.id for s in doc.sections] == ["S1", "S2", "S3", "S4"]
    assert doc.sections[2].parts[0].missing and doc.sections[2].words == 0
    assert doc.words == sum(
        count_words(t) for s in ("S1", "S2") for t in store.load(root).sections[s].answers.values()
    )
    assert doc.word_limit == 5000 and doc.sections[0].share == 1250
    assert [(g.id, g.text) for g in doc.grades] == [("2.1", "Good (4)")]


@pytest.fixture
def four_level(tmp_path):
    """An evaluation of the invented four-level framework: word ids, a suite, a 1,200-word limit."""
    (tmp_path / "frameworks").mkdir()
    shutil.copy(
        DATA / "frameworks" / "valid" / "four-level.yaml", tmp_path / "frameworks" / "test-four-level.yaml"
    )
    root = tmp_path / "ev"
    store.init(root, "test-four-level", "visit")
    return root


def test_grades_and_indicator_view_use_the_frameworks_own_scale_and_ids(four_level):
    root = four_level
    item = store.add_evidence(
        root, title="Observation of handovers", indicators=["safe-care"], source="observation"
    )
    assessments.grade(root, "leading", "sound", rationale=f"Leaders know their services [{item.id}].")
    assessments.grade(root, "safe-care", "4")
    assessments.add_notes(root, "safe-care", ["Handovers are safe"], ["Night cover"], ["Review rotas"])
    doc = statement.build_statement(store.load(root), by="indicators")
    assert [(g.id, g.title, g.text) for g in doc.grades] == [
        ("safe-care", "Children receive safe care", "Strong (4)"),
        ("leading", "Leadership as a whole", "Sound (3)"),
    ]
    assert [s.id for s in doc.sections] == ["safe-care", "voice", "leading", "leadership", "improvement"]
    safe = doc.sections[0]
    assert [p.heading for p in safe.parts] == [
        "Self-evaluated grade",
        "Strengths",
        "Areas for improvement",
        "Next steps",
        "Evidence",
    ]
    assert safe.parts[0].blocks[0].text == "Strong (4)"
    assert safe.parts[-1].blocks[0].text == "Observation of handovers [E01]"
    assert doc.sections[2].parts[1].blocks[0].text == "Leaders know their services [E01]."
    assert doc.sections[1].parts[0].missing  # voice: nothing assessed
    assert doc.sections[0].anchor == "section-safe-care"


def test_a_page_limit_is_noted_and_suites_are_graded_as_one(tmp_path):
    root = tmp_path / "ev"
    store.init(root, "ci-care-protection-2019", "joint-2018")
    assessments.grade(root, "leadership", "5", rationale="Clear direction.")
    doc = statement.build_statement(store.load(root))
    assert [s.id for s in doc.sections] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert doc.word_limit is None and doc.page_limit == 30 and all(s.share is None for s in doc.sections)
    assert doc.word_summary == (
        "The body of the statement has 0 words; the programme sets no word limit. "
        "The programme limits the statement to 30 pages."
    )
    titles = {i: store.load(root).framework.indicators[i].title for i in ("1.1", "2.1", "2.2", "10.1")}
    assert [(g.id, g.title, g.text) for g in doc.grades] == [
        *((i, titles[i], "Not graded yet") for i in ("1.1", "2.1", "2.2")),
        ("leadership", "Leadership and direction", "Very good (5)"),
        ("10.1", titles["10.1"], "Not judged yet"),
    ]  # capacity for improvement is judged, not graded
    assert [g.label for g in doc.grades] == ["", "", "", "Very good", ""]


def test_by_units_needs_a_programme(tmp_path, cli):
    store.init(tmp_path / "ev", "ci-care-protection-2019")
    result = cli("statement", "show", "-e", tmp_path / "ev")
    assert result.code == 2
    assert "evaluation.yaml" in result.err and "--by indicators" in result.err


# --- show and edit ---------------------------------------------------------------------------------------


def test_show_json_reports_words_against_shares(tmp_path, cli, care):
    root, ids = care
    write_section(root, "S1", answered(ids, 20))
    result = cli("statement", "show", "--format", "json", "-e", root)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    s1 = data["sections"][0]
    expected = sum(count_words(t) for t in answered(ids, 20).values())
    assert s1["words"] == expected and data["words"] == expected
    assert s1["share"] == 1250 and data["word_limit"] == 5000
    assert s1["unanswered"] == [] and data["sections"][1]["unanswered"] == [
        "How good are we now?",
        "How do we know?",
        "What do we plan to do next?",
    ]
    text = cli("statement", "show", "S1", "-e", root)
    assert text.code == 0 and "Most children are safer" in text.out and f"{expected} words" in text.out


def _editor(tmp_path, monkeypatch, content: str) -> None:
    """$EDITOR: a script that replaces the file with `content`, or leaves it alone when content is ""."""
    (tmp_path / "edited.yaml").write_text(content, encoding="utf-8")
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import pathlib, sys\n"
        f"content = pathlib.Path({str(tmp_path / 'edited.yaml')!r}).read_text(encoding='utf-8')\n"
        "if content:\n    pathlib.Path(sys.argv[1]).write_text(content, encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")


def test_edit_saves_a_valid_section_and_clears_the_draft_flag(tmp_path, cli, monkeypatch, care):
    root, _ = care
    statement_drafting.draft_sections(store.load(root), "S1")
    _editor(
        tmp_path, monkeypatch, "unit: S1\ndraft: true\nanswers:\n  now: Ours now.\n  know: See [E-nope22].\n"
    )
    result = cli("statement", "edit", "S1", "-e", root)
    assert result.code == 0, result.err
    assert "saved" in result.err and "draft flag cleared" in result.err
    assert "cites E-nope22, which is not in the evidence register" in result.err
    data = yamlio.load(root / "statement" / "S1.yaml")
    assert data == {"unit": "S1", "answers": {"now": "Ours now.", "know": "See [E-nope22]."}}


def test_edit_refuses_an_unknown_question_and_keeps_the_file(tmp_path, cli, monkeypatch, care):
    from tests.conftest import snapshot

    root, _ = care
    write_section(root, "S2", {"now": "Mine."})
    before = snapshot(root)
    _editor(tmp_path, monkeypatch, "unit: S2\nanswers:\n  now: Mine.\n  later: what?\n")
    result = cli("statement", "edit", "S2", "-e", root)
    assert result.code == 2
    assert "statement/S2.yaml:4:3: 'later' is not a question of programme risk-of-harm-2021" in result.err
    assert snapshot(root) == before


def test_edit_creates_a_skeleton_and_removes_it_when_nothing_is_written(tmp_path, cli, monkeypatch, care):
    root, _ = care
    _editor(tmp_path, monkeypatch, "")
    result = cli("statement", "edit", "S4", "-e", root)
    assert result.code == 0, result.err
    assert "unchanged; nothing saved" in result.err
    assert not (root / "statement" / "S4.yaml").exists()


# --- check rules -----------------------------------------------------------------------------------------


def _statement_problems(cli, root) -> list[dict]:
    result = cli("check", "--format", "json", "-e", root)
    assert result.code in (0, 1), result.err
    rules = {"unanswered-question", "uncited-claim", "word-limit"}
    return [p for p in json.loads(result.out)["problems"] if p["rule"] in rules]


def test_a_fully_answered_statement_has_no_statement_problems(tmp_path, cli, care):
    root, ids = care
    for unit in ("S1", "S2", "S3", "S4"):
        write_section(root, unit, answered(ids, 100))
    assert _statement_problems(cli, root) == []


def test_missing_section_and_empty_answer_fail_unanswered_question(tmp_path, cli, care):
    root, ids = care
    for unit in ("S1", "S2", "S3"):
        write_section(root, unit, answered(ids))
    (root / "statement" / "S2.yaml").unlink()
    write_section(root, "S2", {**answered(ids), "next": f"{DRAFT_MARKER}\n"})
    problems = sorted(_statement_problems(cli, root), key=lambda p: p["message"])
    assert [(p["rule"], p["severity"], p["path"]) for p in problems] == [
        ("unanswered-question", "error", "statement/S2.yaml"),
        ("unanswered-question", "error", None),
    ]
    assert "S2 does not answer 'What do we plan to do next?'" in problems[0]["message"]
    assert problems[0]["line"] == 6  # the `next:` answer in the file
    assert problems[1]["message"].startswith("S4 has no statement section")
    assert cli("check", "-e", root).code == 1


def test_know_answer_without_a_citation_is_an_uncited_claim(tmp_path, cli, care):
    root, ids = care
    for unit in ("S1", "S2", "S3", "S4"):
        write_section(root, unit, answered(ids))
    (root / "statement" / "S3.yaml").unlink()
    write_section(root, "S3", {**answered(ids), "know": "Our audit showed most plans were good."})
    problems = _statement_problems(cli, root)
    assert [(p["rule"], p["severity"], p["path"]) for p in problems] == [
        ("uncited-claim", "warning", "statement/S3.yaml")
    ]


def test_a_section_over_its_share_warns_and_the_total_over_the_limit_fails(tmp_path, cli, care):
    root, ids = care
    for unit in ("S1", "S2", "S3", "S4"):
        write_section(root, unit, answered(ids, 100))
    (root / "statement" / "S2.yaml").unlink()
    write_section(root, "S2", answered(ids, 1300))
    s2_words = sum(count_words(t) for t in answered(ids, 1300).values())
    problems = _statement_problems(cli, root)
    assert [(p["rule"], p["severity"]) for p in problems] == [("word-limit", "warning")]
    assert f"S2 has {s2_words:,} words, over its share" in problems[0]["message"]
    exported = statement.build_statement(store.load(root))
    assert exported.sections[1].words == s2_words  # the check and the export count alike
    for unit in ("S1", "S3"):
        (root / "statement" / f"{unit}.yaml").unlink()
        write_section(root, unit, answered(ids, 1900))
    problems = _statement_problems(cli, root)
    assert [(p["rule"], p["severity"]) for p in problems if p["severity"] == "error"] == [
        ("word-limit", "error")
    ]
    total = statement.build_statement(store.load(root)).words
    assert total > 5000
    assert f"the position statement has {total:,} words, over the programme's limit of 5,000" in [
        p["message"] for p in problems
    ]
    assert cli("check", "-e", root).code == 1
