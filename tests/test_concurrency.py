"""Concurrent commands never lose each other's writes: each reads what it changes inside the lock.

These start real `qiframe` processes at once on one evaluation (marked slow; CI runs them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qiframe import store, yamlio

pytestmark = pytest.mark.slow

QIFRAME = [sys.executable, "-c", "from qiframe.cli.main import run; run()"]
# The same, but each process waits at a starting line (a file appearing) once Python and qiframe are
# loaded, so that all of them really run their command at the same moment.
AT_THE_LINE = """\
import os, sys, time
from qiframe.cli.main import run
line, delay = sys.argv.pop(1), float(sys.argv.pop(1))
open(line + "." + str(os.getpid()), "w").close()
while not os.path.exists(line):
    time.sleep(0.002)
time.sleep(delay)
run()
"""


def _all_at_once(
    commands: list[list[str]], cwd: Path, stagger: float = 0.0
) -> list[subprocess.CompletedProcess]:
    """Run the commands at once; with `stagger`, the k-th starts k × stagger seconds after the first."""
    line = cwd.parent / "start"
    for old in cwd.parent.glob("start*"):
        old.unlink()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", AT_THE_LINE, str(line), str(k * stagger), *c],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k, c in enumerate(commands)
    ]
    deadline = time.monotonic() + 120
    while len(list(cwd.parent.glob("start.*"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)
    line.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


@pytest.fixture
def evaluation(tmp_path):
    return store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


def test_eight_concurrent_links_on_one_item_keep_all_eight(evaluation):
    item = store.add_evidence(evaluation, title="Case file audit", indicators=["1.1"])
    targets = ["2.1", "2.2", "3.1", "4.1", "5.1", "5.2", "5.3", "5.4"]
    results = _all_at_once([["evidence", "link", item.id, "--qi", qi] for qi in targets], evaluation)
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    linked = store.load(evaluation).evidence[item.id].indicators
    assert sorted(linked) == sorted(["1.1", *targets])


def test_concurrent_links_and_unlinks_each_take_effect(evaluation):
    item = store.add_evidence(evaluation, title="Minutes", indicators=["1.1", "2.1", "2.2", "3.1"])
    commands = [["evidence", "unlink", item.id, "--qi", qi] for qi in ("2.1", "2.2", "3.1")]
    commands += [["evidence", "link", item.id, "--qi", qi] for qi in ("4.1", "5.1", "5.2")]
    results = _all_at_once(commands, evaluation)
    assert [r.returncode for r in results] == [0] * 6, [r.stderr for r in results]
    assert sorted(store.load(evaluation).evidence[item.id].indicators) == ["1.1", "4.1", "5.1", "5.2"]


def test_four_concurrent_notes_on_a_missing_indicator_file_keep_all_four(evaluation):
    # Several rounds, the processes started at once or a little apart, since the moment they collide varies.
    for round_, stagger in enumerate((0.0, 0.0, 0.01, 0.02, 0.04, 0.08)):
        (evaluation / "indicators" / "2.1.yaml").unlink()
        notes = [f"Strength noted by team {n} in round {round_}" for n in range(4)]
        results = _all_at_once([["note", "2.1", "-s", text] for text in notes], evaluation, stagger)
        assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
        assert sorted(store.load(evaluation).assessments["2.1"].strengths) == sorted(notes), f"round {round_}"


def test_concurrent_grades_proposals_and_notes_on_a_missing_file_all_survive(evaluation):
    (evaluation / "indicators" / "5.1.yaml").unlink()
    commands = [["grade", "5.1", "good", "--by", name] for name in ("Ann", "Bob", "Cat")]
    commands += [["note", "5.1", "-i", "Plans are late"], ["assign", "5.1", "--lead", "Dee"]]
    results = _all_at_once(commands, evaluation)
    assert [r.returncode for r in results] == [0] * 5, [r.stderr for r in results]
    a = store.load(evaluation).assessments["5.1"]
    assert sorted(p.by for p in a.proposed) == ["Ann", "Bob", "Cat"]
    assert a.improvements == ("Plans are late",) and a.lead == "Dee"


def test_concurrent_statement_drafting_and_notes_lose_nothing(evaluation):
    # Four units drafted at once while four notes land on the indicators they draft from.
    programme = store.load(evaluation).programme
    units = [u.id for u in programme.units][:4]
    commands = [["statement", "draft", u] for u in units]
    commands += [["note", "1.1", "-s", f"Strength {n}"] for n in range(4)]
    results = _all_at_once(commands, evaluation)
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    ev = store.load(evaluation)
    assert sorted(ev.assessments["1.1"].strengths) == [f"Strength {n}" for n in range(4)]
    assert sorted(ev.sections) == sorted(units)
    assert all(ev.sections[u].draft for u in units)


def test_drafting_from_a_stale_evaluation_never_overwrites_a_saved_section(evaluation):
    """The evaluation a caller passes may be old: drafting loads it again inside the lock."""
    from qiframe.statement import drafting as statement_drafting

    stale = store.load(evaluation)  # no section S1 yet
    with store.transaction(evaluation) as tx:  # meanwhile someone writes S1 by hand
        tx.create("statement/S1.yaml", "section", {"unit": "S1", "answers": {"now": "Our own words."}})
    statement_drafting.draft_sections(stale, "S1")
    assert yamlio.load(evaluation / "statement" / "S1.yaml")["answers"]["now"] == "Our own words."


EDITOR = """\
import pathlib, sys, time
flag = pathlib.Path({flag!r})
flag.write_text("open")
while flag.read_text() != "go":
    time.sleep(0.02)
path = pathlib.Path(sys.argv[-1])
path.write_text(path.read_text().replace("now: |\\n", "now: |\\n    Written while the draft ran.\\n", 1))
"""


def test_a_section_edited_while_drafting_runs_keeps_the_typed_text(evaluation, tmp_path):
    flag = tmp_path / "flag"
    script = tmp_path / "editor.py"
    script.write_text(EDITOR.format(flag=str(flag)), encoding="utf-8")
    env = {**os.environ, "EDITOR": f"{sys.executable} {script}"}
    editing = subprocess.Popen(
        [*QIFRAME, "statement", "edit", "S1"],
        cwd=evaluation,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    drafted = subprocess.run(
        [*QIFRAME, "statement", "draft", "S1"], cwd=evaluation, capture_output=True, text=True
    )
    assert drafted.returncode == 0, drafted.stderr
    flag.write_text("go")
    _out, err = editing.communicate(timeout=120)
    section = yamlio.load(evaluation / "statement" / "S1.yaml")
    if editing.returncode == 0:
        assert "Written while the draft ran." in section["answers"]["now"]
    else:  # refused because the file changed meanwhile: the typed text is kept, and the message says where
        assert editing.returncode == 2 and "your text is kept in" in err, err
        kept = list((evaluation / ".qiframe" / "unsaved").glob("statement-S1-*.yaml"))
        assert len(kept) == 1 and "Written while the draft ran." in kept[0].read_text(encoding="utf-8")
    assert section["draft"] is True  # the draft was not lost either
