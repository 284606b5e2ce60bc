"""Sync-conflict copies (OneDrive, SharePoint, Teams, Dropbox) and merge leftovers never break an evaluation."""

from __future__ import annotations

import json
import shutil

import pytest

from qiframe import conflicts, store
from tests.conftest import snapshot


@pytest.mark.parametrize(
    ("name", "original", "tool"),
    [
        ("2.1-LAPTOP-7K2.yaml", "2.1.yaml", "OneDrive or SharePoint"),
        ("E-2jzn4n-DESKTOP-ABC123.yaml", "E-2jzn4n.yaml", "OneDrive or SharePoint"),
        ("E-2jzn4n (1).yaml", "E-2jzn4n.yaml", "a sync tool or a copy"),
        ("E-2jzn4n - Copy.yaml", "E-2jzn4n.yaml", "a sync tool or a copy"),
        ("E-2jzn4n (Ann Smith's conflicted copy 2026-03-01).yaml", "E-2jzn4n.yaml", "Dropbox"),
        ("E-2jzn4n (conflicted copy 2026-03-01 (2)).yaml", "E-2jzn4n.yaml", "Dropbox"),
        ("E-2jzn4n.yaml.orig", "E-2jzn4n.yaml", "a merge or a patch"),
        ("E-2jzn4n.orig.yaml", "E-2jzn4n.yaml", "a merge or a patch"),
        ("E-2jzn4n_BASE_4242.yaml", "E-2jzn4n.yaml", "a git merge tool"),
    ],
)
def test_conflict_copies_are_recognised_by_name(name, original, tool):
    names = {"E-2jzn4n.yaml", "2.1.yaml", name}
    copy = conflicts.copy_of(name, names, "evidence", {"2.1"})
    assert copy is not None and copy.tool == tool
    assert copy.original == f"evidence/{original}" and copy.path == f"evidence/{name}"


@pytest.mark.parametrize(
    "name",
    [
        "E-2jzn4n.yaml",
        "2.1.yaml",
        "leadership.yaml",
        "S1.yaml",
        "A-k3m9qx.yaml",
        "audit-2025.yaml",
        "plan-v2.yaml",
        "2.1-draft.yaml",
        "E-abc.yaml",
    ],
)
def test_real_files_are_not_copies(name):
    assert conflicts.copy_of(name, {name, "audit.yaml"}, "evidence", {"2.1", "leadership"}) is None


def test_conflict_markers_are_found_with_their_line():
    text = "id: E-2jzn4n\n<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> main\n"
    assert conflicts.marker_line(text) == 2
    assert conflicts.marker_line("title: '<<<<<<< not a marker'\n") is None


@pytest.fixture
def shared(tmp_path):
    """An evaluation kept in a synced folder, with one conflict copy of each kind."""
    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    item = store.add_evidence(root, title="Case file audit", indicators=["2.1"], source="data")
    other = store.add_evidence(root, title="Staff survey", indicators=["5.1"], source="views")
    store.edit_assessment(
        root,
        "2.1",
        lambda doc: store.set_field(doc, "strengths", ["Stable relationships"], store.ASSESSMENT_FIELDS),
    )
    ev_dir, ind_dir = root / "evidence", root / "indicators"
    shutil.copy(ind_dir / "2.1.yaml", ind_dir / "2.1-LAPTOP-7K2.yaml")  # OneDrive
    shutil.copy(
        ev_dir / f"{item.id}.yaml", ev_dir / f"{item.id}-SP-HOST01.yaml"
    )  # SharePoint (synced library)
    shutil.copy(ev_dir / f"{item.id}.yaml", ev_dir / f"{item.id} (1).yaml")  # Teams / OneDrive numbered copy
    shutil.copy(
        ev_dir / f"{item.id}.yaml", ev_dir / f"{item.id} (Ann's conflicted copy 2026-03-01).yaml"
    )  # Dropbox
    shutil.copy(ev_dir / f"{item.id}.yaml", ev_dir / f"{item.id}.yaml.orig")  # git mergetool
    shutil.copy(root / "evaluation.yaml", root / "evaluation (1).yaml")  # the settings file too
    text = (ev_dir / f"{other.id}.yaml").read_text(encoding="utf-8")
    (ev_dir / f"{other.id}.yaml").write_text(
        text.replace(
            "title: Staff survey\n",
            "<<<<<<< HEAD\ntitle: Staff survey\n=======\ntitle: Staff survey 2026\n>>>>>>> theirs\n",
        ),
        encoding="utf-8",
    )
    return root, item, other


COPIES = 7


def test_status_works_on_the_real_files_and_warns_once(shared, cli):
    root, item, other = shared
    result = cli("status", "--format", "json", "-e", root)
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if line.startswith("qiframe: warning:")]
    assert len(warnings) == 1 and f"skipped {COPIES} conflict copies" in warnings[0], result.err
    data = json.loads(result.out)
    assert data["summary"]["evidence"] == 1  # the real item; the file with markers is skipped too
    text = cli("status", "-e", root)
    assert text.code == 0 and "2.1" in text.out


def test_check_reports_one_conflict_copy_problem_per_copy(shared, cli):
    root, item, other = shared
    result = cli("check", "--format", "json", "-e", root)
    assert result.code == 1, result.err  # errors found
    problems = [p for p in json.loads(result.out)["problems"] if p["rule"] == "conflict-copy"]
    assert len(problems) == COPIES
    assert all(p["severity"] == "error" for p in problems)
    by_path = {p["path"]: p["message"] for p in problems}
    assert set(by_path) == {
        "indicators/2.1-LAPTOP-7K2.yaml",
        f"evidence/{item.id}-SP-HOST01.yaml",
        f"evidence/{item.id} (1).yaml",
        f"evidence/{item.id} (Ann's conflicted copy 2026-03-01).yaml",
        f"evidence/{item.id}.yaml.orig",
        f"evidence/{other.id}.yaml",
        "evaluation (1).yaml",
    }
    assert (
        "conflict copy of indicators/2.1.yaml made by OneDrive or SharePoint"
        in by_path["indicators/2.1-LAPTOP-7K2.yaml"]
    )
    assert (
        "compare the two files" in by_path[f"evidence/{item.id} (1).yaml"]
        and "delete the copy" in by_path[f"evidence/{item.id} (1).yaml"]
    )
    assert "Dropbox" in by_path[f"evidence/{item.id} (Ann's conflicted copy 2026-03-01).yaml"]
    assert "merge conflict markers (line 3)" in by_path[f"evidence/{other.id}.yaml"]
    assert "conflict copy of evaluation.yaml" in by_path["evaluation (1).yaml"]


def test_exports_work_and_qiframe_never_touches_the_copies(shared, cli, tmp_path):
    root, item, _other = shared
    copies = {
        k: v for k, v in snapshot(root).items() if "LAPTOP" in k or "(" in k or "HOST01" in k or ".orig" in k
    }
    assert len(copies) == 6
    matrix, statement = tmp_path / "matrix.xlsx", tmp_path / "statement.md"
    assert cli("export", "matrix", "-o", matrix, "-e", root).code == 0
    assert cli("export", "statement", "-o", statement, "--by", "indicators", "-e", root).code in (0,)
    assert cli("evidence", "add", "--title", "New", "--qi", "2.1", "-e", root).code == 0  # writes still work

    from openpyxl import load_workbook

    sheets = load_workbook(matrix, read_only=True)
    evidence_rows = [row for row in sheets["Evidence"].iter_rows(values_only=True) if row and row[0]]
    assert any(item.id in str(row[0]) for row in evidence_rows)
    assert statement.read_text(encoding="utf-8").strip()
    after = snapshot(root)
    assert {k: after[k] for k in copies} == copies  # never merged, moved or deleted


def test_conflict_markers_in_evaluation_yaml_are_a_located_error(tmp_path, cli):
    root = store.init(tmp_path / "ev", "ci-care-protection-2019")
    path = root / "evaluation.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "<<<<<<< HEAD\ntitle: A\n=======\ntitle: B\n>>>>>>> x\n",
        encoding="utf-8",
    )
    result = cli("status", "-e", root)
    assert result.code == 2
    assert "evaluation.yaml:" in result.err and "merge conflict markers" in result.err
