"""Framework wording a partnership can put its name to: provenance, the guard, overrides, judgements, crosswalks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qiframe import frameworks, store, wording, yamlio
from tests.conftest import EXAMPLE, ROOT

BUNDLED = sorted((ROOT / "frameworks").glob("*.yaml"))


def _example(tmp_path: Path, keep_wording: bool = True) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".qiframe"))
    if not keep_wording:
        text = (root / "evaluation.yaml").read_text(encoding="utf-8")
        cut = text.index("# The partnership checked every framework title")
        (root / "evaluation.yaml").write_text(text[:cut], encoding="utf-8")
    return root


def _wording_problems(cli, root: Path) -> list[dict]:
    result = cli("check", "-e", root, "--format", "json")
    assert result.code in (0, 1), result.err
    return [p for p in json.loads(result.out)["problems"] if p["rule"] == "unconfirmed-wording"]


# --- provenance ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_confirmed_title_in_bundled_files_names_its_source_and_what_was_compared(path):
    fw = frameworks.load_file(path, origin="bundled")
    titles = fw.titles()
    assert titles
    for title in titles:
        prov = title.provenance
        assert prov.status in ("confirmed", "paraphrased", "assumed", "unofficial"), (title.item, prov.status)
        assert prov.source.strip(), f"{path.name}: {title.item} has no source"
        if prov.confirmed:
            assert prov.compared.strip(), (
                f"{path.name}: confirmed {title.item} does not say what was compared"
            )
    for ind in fw.indicators.values():
        if ind.owner_provenance and ind.owner_provenance.confirmed:
            assert ind.owner_provenance.source and ind.owner_provenance.compared


def test_titles_qiframe_wrote_or_paraphrased_are_not_marked_confirmed():
    cp = {t.item: t.provenance.status for t in frameworks.load("ci-care-protection-2019").titles()}
    assert cp["5.1"] == cp["5.2"] == "unofficial"
    assert all(cp[f"unit:joint-2018/Q{n}"] == "paraphrased" for n in range(1, 6))
    assert all(cp[f"unit:risk-of-harm-2021/S{n}"] == "paraphrased" for n in range(1, 5))
    assert all(cp[f"unit:cso-2025/L{n}"] == "paraphrased" for n in range(1, 4))
    assert all(status != "confirmed" for item, status in cp.items() if item.startswith(("kq:", "area:")))
    day = {t.item: t.provenance.status for t in frameworks.load("ci-daycare-2022").titles()}
    assert day["4.2"] == day["4.3"] == "unofficial" and day["quantity-terms"] == "assumed"
    core = frameworks.load("ci-daycare-2022").programme("core-inspection")
    assert core and "4.3" in core.graded and core.provenance.source


def test_show_marks_every_unconfirmed_unit_key_question_and_area(cli):
    fw = frameworks.load("ci-care-protection-2019")
    for prog in fw.programmes:
        out = cli("frameworks", "show", fw.id, "--programme", prog.id).out
        lines = out.splitlines()
        for title in fw.titles():
            if title.provenance.confirmed or title.kind not in ("unit", "key question", "area"):
                continue
            if title.kind == "unit" and not title.item.startswith(f"unit:{prog.id}/"):
                continue
            words = title.text.split()[:4]
            line = next(i for i, text in enumerate(lines) if " ".join(words) in " ".join(text.split()))
            # The mark follows the title, possibly on the line it wraps onto.
            assert f"({title.provenance.status})" in " ".join(lines[line : line + 3]), title.item
    # A confirmed unit is not marked.
    hgioelc = cli("frameworks", "show", "es-hgioelc", "--programme", "full-inspection").out
    assert "  3.2 Securing children's progress (3.2)" in hgioelc and "progress (assumed)" not in hgioelc


def test_show_filters_by_owner_and_names_the_alias(cli):
    out = cli("frameworks", "show", "ci-es-elc-2025", "--owner", "HM Inspectors").out
    assert "Curriculum" in out and "Play and learning" not in out
    ci = cli("frameworks", "show", "ci-es-elc-2025", "--owner", "care inspectorate", "--format", "json")
    ids = [i["id"] for i in json.loads(ci.out)["indicators"]]
    assert "play-and-learning" in ids and "curriculum" not in ids
    assert (
        "playing-learning-and-developing → play-and-learning"
        in cli("frameworks", "show", "ci-es-elc-2025").out
    )
    bad = cli("frameworks", "show", "ci-es-elc-2025", "--owner", "nobody")
    assert bad.code == 2 and "HM Inspectors" in bad.err


# --- the guard ------------------------------------------------------------------------------------------


def test_example_reports_unconfirmed_wording_without_its_records_and_none_with_them(cli, tmp_path):
    bare = _example(tmp_path / "bare", keep_wording=False)
    found = _wording_problems(cli, bare)
    expected = wording.unconfirmed(store.load(bare))
    assert len(found) == len(expected) > 0
    messages = " ".join(p["message"] for p in found)
    for item in ("unit:risk-of-harm-2021/S1", "5.1", "kq:C"):
        assert item in messages
    assert all(p["severity"] == "warning" for p in found)
    kept = _example(tmp_path / "kept")
    assert _wording_problems(cli, kept) == []
    assert wording.unconfirmed(store.load(kept)) == []


def test_exports_print_a_note_only_while_titles_are_unconfirmed(cli, tmp_path):
    bare = _example(tmp_path / "bare", keep_wording=False)
    kept = _example(tmp_path / "kept")
    for root, noted in ((bare, True), (kept, False)):
        for name in ("s.md", "s.html"):
            assert cli("export", "statement", "-e", root, "-o", root / name).code == 0
            assert ("Note on wording" in (root / name).read_text(encoding="utf-8")) is noted
        assert cli("export", "statement", "-e", root, "-o", root / "s.docx").code == 0
        from docx import Document

        text = "\n".join(p.text for p in Document(root / "s.docx").paragraphs)
        assert ("Note on wording" in text) is noted
        assert cli("export", "matrix", "-e", root, "-o", root / "m.xlsx").code == 0
        from openpyxl import load_workbook

        cells = [
            c for row in load_workbook(root / "m.xlsx")["Summary"].iter_rows(values_only=True) for c in row
        ]
        assert ("Note on wording" in cells) is noted
        assert cli("export", "progress", "-e", root, "-o", root / "p.md").code == 0
        assert ("Note on wording" in (root / "p.md").read_text(encoding="utf-8")) is noted
    # The statement's note names what the statement prints (its units), not the whole framework's titles.
    note = next(
        line for line in (bare / "s.md").read_text(encoding="utf-8").splitlines() if "Note on wording" in line
    )
    assert "(S1, S2, S3, S4)" in note and "key question" not in note


def test_replacement_is_printed_and_confirmation_lapses_when_wording_changes(cli, tmp_path):
    root = _example(tmp_path, keep_wording=False)
    result = cli(
        "frameworks",
        "confirm",
        "ci-care-protection-2019",
        "unit:S1",
        "-e",
        root,
        "--source",
        "Our copy, page 3",
        "--title",
        "Our published statement one",
    )
    assert result.code == 0, result.err
    assert (
        cli("frameworks", "confirm", "ci-care-protection-2019", "kq:C", "-e", root, "--source", "p. 2").code
        == 0
    )
    records = yamlio.load(root / "evaluation.yaml")["wording"]
    assert records["unit:risk-of-harm-2021/S1"]["title"] == "Our published statement one"
    assert records["kq:C"]["confirmed"].startswith("How good is our delivery")
    ev = store.load(root)
    items = {u.item for u in wording.unconfirmed(ev)}
    assert (
        "unit:risk-of-harm-2021/S1" not in items
        and "kq:C" not in items
        and "unit:risk-of-harm-2021/S2" in items
    )
    assert cli("export", "statement", "-e", root, "-o", root / "s.md").code == 0
    assert "S1 – Our published statement one" in (root / "s.md").read_text(encoding="utf-8")
    # A confirmation of wording that has since changed no longer counts.
    text = (root / "evaluation.yaml").read_text(encoding="utf-8")
    (root / "evaluation.yaml").write_text(
        text.replace("How good is our delivery", "How good was our delivery"), encoding="utf-8"
    )
    lapsed = [u for u in wording.unconfirmed(store.load(root)) if u.item == "kq:C"]
    assert lapsed and lapsed[0].lapsed
    # Scales can be confirmed, not replaced; unknown items are refused with the forms they take.
    bad = cli(
        "frameworks",
        "confirm",
        "ci-care-protection-2019",
        "scale",
        "-e",
        root,
        "--source",
        "x",
        "--title",
        "y",
    )
    assert bad.code == 2 and "not replaced" in bad.err
    bad = cli("frameworks", "confirm", "ci-care-protection-2019", "99.9", "-e", root, "--source", "x")
    assert bad.code == 2 and "unit:ID" in bad.err


# --- ELC 2025: the final title, and the draft id still loads ---------------------------------------------


def test_play_and_learning_is_graded_and_the_draft_id_still_loads(cli, tmp_path):
    root = tmp_path / "elc"
    assert cli("init", root, "--framework", "ci-es-elc-2025").code == 0
    assert cli("grade", "play-and-learning", "4", "-e", root, "-r", "Most children were engaged").code == 0
    assert yamlio.load(root / "indicators" / "play-and-learning.yaml")["grade"] == 4
    # An evaluation written in 2025 with the draft's id.
    old = tmp_path / "draft"
    assert cli("init", old, "--framework", "ci-es-elc-2025").code == 0
    (old / "indicators" / "play-and-learning.yaml").rename(
        old / "indicators" / "playing-learning-and-developing.yaml"
    )
    (old / "indicators" / "playing-learning-and-developing.yaml").write_text(
        "indicator: playing-learning-and-developing\ngrade: 5\nrationale: Written in 2025\n", encoding="utf-8"
    )
    assert (
        cli(
            "evidence",
            "add",
            "-e",
            old,
            "--title",
            "Play observation",
            "--qi",
            "playing-learning-and-developing",
            "--source",
            "observation",
            "--date",
            "2025-03-01",
        ).code
        == 0
    )
    ev = store.load(old)
    assert ev.assessments["play-and-learning"].grade == 5
    assert [e.indicators for e in ev.evidence.values()] == [("play-and-learning",)]
    status = json.loads(cli("status", "-e", old, "--format", "json").out)
    assert {"id": "play-and-learning", "grade": 5} in [
        {"id": r["id"], "grade": r["grade"]} for r in status["indicators"]
    ]
    assert cli("grade", "play-and-learning", "4", "-e", old, "-r", "Moderated").code == 0
    assert yamlio.load(old / "indicators" / "playing-learning-and-developing.yaml")["grade"] == 4
    assert not (old / "indicators" / "play-and-learning.yaml").exists()


# --- crosswalks ------------------------------------------------------------------------------------------


def test_compare_with_maps_daycare_2022_to_elc_2025_through_the_bundled_crosswalk(cli, tmp_path):
    day, elc = tmp_path / "day", tmp_path / "elc"
    assert cli("init", day, "--framework", "ci-daycare-2022", "--programme", "core-inspection").code == 0
    assert cli("init", elc, "--framework", "ci-es-elc-2025").code == 0
    assert cli("grade", "1.3", "5", "-e", day, "-r", "Rich play").code == 0
    assert (
        cli(
            "evidence",
            "add",
            "-e",
            day,
            "--title",
            "Family survey",
            "--qi",
            "1.4",
            "--source",
            "views",
            "--date",
            "2025-05-01",
        ).code
        == 0
    )
    assert cli("grade", "play-and-learning", "4", "-e", elc, "-r", "Good play").code == 0
    data = json.loads(cli("compare", "--with", day, "-e", elc, "--format", "json").out)
    assert data["mapped"] and data["crosswalk"]["status"] == "assumed"
    rows = {r["indicator"]: r for r in data["indicators"]}
    play = rows["play-and-learning"]
    assert play["old_indicator"] == "1.3" and play["carried"]
    assert play["grade"]["old"] == 5 and play["grade"]["new"] == 4 and play["grade"]["carried"]
    # Evidence linked to 1.4 (family engagement) is brought across to nurturing care and support.
    assert rows["nurturing-care-and-support"]["evidence"]["old"] == 1
    # And backwards: the ELC evaluation compared into a daycare one.
    back = json.loads(cli("compare", "--with", elc, "-e", day, "--format", "json").out)
    assert {r["indicator"]: r for r in back["indicators"]}["1.3"]["grade"]["old"] == 4


# --- capacity for improvement as confidence ----------------------------------------------------------------


def test_capacity_for_improvement_is_judged_and_printed_as_the_judgement(cli, tmp_path):
    root = tmp_path / "joint"
    assert cli("init", root, "--framework", "ci-care-protection-2019", "--programme", "joint-2018").code == 0
    assert cli("grade", "10.1", "confident", "-e", root, "-r", "Leaders have delivered improvement").code == 0
    assert yamlio.load(root / "indicators" / "10.1.yaml")["grade"] == 3
    bad = cli("grade", "10.1", "good", "-e", root)
    assert bad.code == 2 and "Partially confident" in bad.err
    assert cli("export", "statement", "-e", root, "--by", "indicators", "-o", root / "s.md").code == 0
    text = (root / "s.md").read_text(encoding="utf-8")
    assert (
        "| 10.1 | Judgement based on an evaluation of performance across the framework | Confident |" in text
    )
    assert "Self-evaluated judgement" in text and "Confident (3)" not in text
    assert cli("export", "statement", "-e", root, "--by", "indicators", "-o", root / "s.docx").code == 0
    from docx import Document

    cells = [c.text for t in Document(root / "s.docx").tables for row in t.rows for c in row.cells]
    assert "Confident" in cells and "Confident (3)" not in cells
    assert cli("export", "matrix", "-e", root, "-o", root / "m.xlsx").code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(root / "m.xlsx")["Summary"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Key question")
    row = next(r for r in rows if r and r[1] == "10.1")
    assert row[header.index("Grade")] is None and row[header.index("Grade label")] == "Confident"
    status = cli("status", "-e", root).out
    assert "Confident" in status and "3 Confident" not in status
