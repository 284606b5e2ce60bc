"""Store transactions: staged, validated, committed all-or-nothing through a journal, recovered after a kill."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest

from qiframe import journal, store, yamlio
from qiframe.errors import InputError
from tests.conftest import snapshot


@pytest.fixture
def evaluation(tmp_path):
    return store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


def _files(root: Path) -> dict[str, bytes]:
    """The evaluation's own files (what git would track), without qiframe's private folder."""
    return {k: v for k, v in snapshot(root).items() if not k.startswith(".qiframe")}


def _evidence(ident: str, title: str) -> dict:
    return {"id": ident, "title": title, "indicators": ["2.1"]}


def test_a_transaction_commits_every_staged_file_together(evaluation):
    with store.transaction(evaluation) as tx:
        assert tx.evaluation.assessments["2.1"].strengths == ()
        first, second = tx.new_id("evidence"), tx.new_id("evidence")
        assert first != second
        tx.create(f"evidence/{first}.yaml", "evidence", _evidence(first, "One"))
        tx.create(f"evidence/{second}.yaml", "evidence", _evidence(second, "Two"))
        tx.edit(
            "indicators/2.1.yaml",
            "indicator",
            lambda doc: store.set_field(doc, "strengths", ["Stable relationships"], store.ASSESSMENT_FIELDS),
        )
        assert tx.read("indicators/2.1.yaml")["strengths"] == ["Stable relationships"]  # sees its own changes
        assert not (evaluation / "evidence" / f"{first}.yaml").exists()  # nothing written before the end
    ev = store.load(evaluation)
    assert {ev.evidence[first].title, ev.evidence[second].title} == {"One", "Two"}
    assert ev.assessments["2.1"].strengths == ("Stable relationships",)
    assert not (evaluation / ".qiframe" / "tx").exists()  # journal and staging gone


def test_an_exception_in_the_block_writes_nothing(evaluation):
    before = _files(evaluation)
    with pytest.raises(RuntimeError), store.transaction(evaluation) as tx:
        tx.create("evidence/E-abc234.yaml", "evidence", _evidence("E-abc234", "One"))
        tx.remove("indicators/2.1.yaml")
        raise RuntimeError("changed my mind")
    assert _files(evaluation) == before
    assert not (evaluation / ".qiframe" / "tx").exists()


def test_one_invalid_file_stops_the_whole_transaction(evaluation):
    before = _files(evaluation)
    with pytest.raises(InputError) as caught, store.transaction(evaluation) as tx:
        tx.create("evidence/E-abc234.yaml", "evidence", _evidence("E-abc234", "One"))
        tx.edit("indicators/2.1.yaml", "indicator", lambda doc: doc.__setitem__("status", "finished"))
    assert "indicators/2.1.yaml" in str(caught.value)
    assert _files(evaluation) == before


def test_the_edit_keeps_comments_and_creation_refuses_an_existing_file(evaluation):
    path = evaluation / "indicators" / "2.1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# keep me\n", encoding="utf-8")
    with store.transaction(evaluation) as tx:
        tx.edit(
            "indicators/2.1.yaml",
            "indicator",
            lambda doc: store.set_field(doc, "lead", "Ann", store.ASSESSMENT_FIELDS),
        )
        with pytest.raises(InputError, match="already exists"):
            tx.create("indicators/2.1.yaml", "indicator", {"indicator": "2.1"})
    assert "# keep me" in path.read_text(encoding="utf-8") and yamlio.load(path)["lead"] == "Ann"


@pytest.mark.parametrize(
    "relpath",
    [
        "../outside.yaml",
        "/etc/passwd",
        ".qiframe/lock",
        "evidence/../x.yaml",
        "evidence/sub/E-abc234.yaml",
        "evidence/.hidden.yaml",
        "notes.txt",
    ],
)
def test_a_transaction_writes_only_evaluation_files(evaluation, relpath):
    with pytest.raises(InputError, match="not a file of an evaluation"), store.transaction(evaluation) as tx:
        tx.create(relpath, "evidence", _evidence("E-abc234", "One"))


def test_the_file_name_must_match_the_id(evaluation):
    with pytest.raises(InputError, match="does not match the file name"), store.transaction(evaluation) as tx:
        tx.create("evidence/E-abc234.yaml", "evidence", _evidence("E-zzz999", "One"))


def test_a_nested_transaction_joins_the_outer_one(evaluation):
    before = _files(evaluation)
    with pytest.raises(RuntimeError), store.transaction(evaluation):
        store.add_evidence(evaluation, title="Inside", indicators=["2.1"])  # a store function: joins
        raise RuntimeError
    assert _files(evaluation) == before


# --- interrupted commits -------------------------------------------------------------------------------


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs (it is not an Exception, so no handler catches it)."""


def _kill_after(monkeypatch, calls: int, name: str = "replace") -> None:
    real = getattr(os, name)
    count = [0]

    def fake(*args, **kwargs):
        count[0] += 1
        if count[0] > calls:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(journal.os, name, fake)


def _three_items(root: Path) -> None:
    with store.transaction(root) as tx:
        for title in ("One", "Two", "Three"):
            ident = tx.new_id("evidence")
            tx.create(f"evidence/{ident}.yaml", "evidence", _evidence(ident, title))


def test_a_commit_killed_half_way_is_completed_by_the_next_command(evaluation, monkeypatch, cli):
    _kill_after(monkeypatch, 2)  # the journal's rename and one file's, then "killed"
    with pytest.raises(Killed):
        _three_items(evaluation)
    monkeypatch.undo()
    assert len(list((evaluation / "evidence").glob("*.yaml"))) == 1  # half-applied on disk ...
    result = cli("status", "--format", "json", "-e", evaluation)
    assert result.code == 0, result.err
    assert result.err.count("completed an interrupted write of 3 files") == 1  # ... said once ...
    assert json.loads(result.out)["summary"]["evidence"] == 3  # ... and finished before anything was read
    assert not (evaluation / ".qiframe" / "tx").exists()


def test_a_commit_killed_before_its_journal_is_undone(evaluation, monkeypatch, cli):
    before = _files(evaluation)
    _kill_after(monkeypatch, 0)  # before the journal is in place
    monkeypatch.setattr(journal, "_discard", lambda *a: None)  # a killed process cleans nothing up
    with pytest.raises(Killed):
        _three_items(evaluation)
    monkeypatch.undo()
    assert (evaluation / ".qiframe" / "tx").exists()  # staged files left by the "killed" command
    result = cli("evidence", "add", "--title", "After", "-e", evaluation)
    assert result.code == 0, result.err
    assert "undid an unfinished write of 3 files" in result.err
    ev = store.load(evaluation)
    assert [e.title for e in ev.evidence.values()] == ["After"]
    assert {k: v for k, v in _files(evaluation).items() if not k.startswith("evidence/")} == before


def test_recovery_killed_itself_is_finished_next_time(evaluation, monkeypatch):
    _kill_after(monkeypatch, 2)
    with pytest.raises(Killed):
        _three_items(evaluation)
    monkeypatch.undo()
    _kill_after(monkeypatch, 1)  # the recovery is "killed" after one more rename
    with pytest.raises(Killed):
        store.load(evaluation)
    monkeypatch.undo()
    with pytest.warns(UserWarning, match="completed an interrupted write"):
        assert len(store.load(evaluation).evidence) == 3


# --- the operating system refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "the folder is read-only"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_a_refused_write_part_way_changes_nothing_and_exits_2(evaluation, monkeypatch, cli, code, reason):
    for n in range(3):
        store.add_evidence(evaluation, title=f"Item {n}", indicators=["2.1"])
    before = _files(evaluation)
    real = os.write
    count = [0]

    def failing_write(fd, data):
        count[0] += 1
        if count[0] > 2:  # the third file staged: the disk is full (or the folder read-only) part-way
            raise OSError(code, os.strerror(code))
        return real(fd, data)

    monkeypatch.setattr(journal.os, "write", failing_write)
    csv_file = evaluation.parent / "items.csv"
    csv_file.write_text("title,indicators\n" + "".join(f"New {n},2.1\n" for n in range(5)), encoding="utf-8")
    result = cli("evidence", "import", csv_file, "-e", evaluation)
    assert result.code == 2, (result.out, result.err)
    assert reason in result.err and "nothing was changed" in result.err
    assert re.search(
        r"^qiframe: error: \S*evidence/E-\w+\.yaml: could not write", result.err
    )  # names the file
    assert "Traceback" not in result.err
    assert _files(evaluation) == before
    assert not (evaluation / ".qiframe" / "tx").exists()


def test_a_full_disk_on_a_single_write_exits_2(evaluation, monkeypatch, cli):
    before = _files(evaluation)
    monkeypatch.setattr(
        journal.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space"))
    )
    result = cli("note", "2.1", "-s", "Stable relationships", "-e", evaluation)
    assert result.code == 2, result.err
    assert "indicators/2.1.yaml: could not write: the disk is full" in result.err
    assert _files(evaluation) == before


def test_a_read_only_folder_is_refused_with_exit_2(evaluation, monkeypatch, cli):
    before = _files(evaluation)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", args[0] if args else None)

    monkeypatch.setattr(yamlio, "open", read_only, raising=False)  # the lock file cannot even be opened
    result = cli("evidence", "add", "--title", "x", "-e", evaluation)
    monkeypatch.undo()
    assert result.code == 2, result.err
    assert "lock: cannot take the evaluation's lock: the folder is read-only" in result.err
    assert _files(evaluation) == before


# --- the lock -----------------------------------------------------------------------------------------------


def test_the_lock_records_its_holder_and_a_waiting_command_names_it(evaluation, monkeypatch):
    from qiframe import notices

    said = []
    notices.set_handler(said.append)
    lock = evaluation / ".qiframe" / "lock"
    try:
        with store.writing(evaluation):
            holder = yamlio.read_holder(lock)
            assert holder["pid"] == os.getpid() and holder["host"] and holder["since"]
            monkeypatch.setattr(yamlio, "LOCK_NOTICE_AFTER", 0.0)
            import threading

            errors = []

            def other():
                try:
                    with yamlio.locked(lock, timeout=0.3):
                        pass
                except Exception as exc:
                    errors.append(exc)

            thread = threading.Thread(target=other)
            thread.start()
            thread.join()
        assert said and f"process {os.getpid()}" in said[0] and "waiting for the evaluation's lock" in said[0]
        assert errors and f"process {os.getpid()}" in str(errors[0])  # the timeout names the holder too
        assert yamlio.read_holder(lock) is None  # released: no stale holder
    finally:
        notices.set_handler(None)


@pytest.mark.slow
def test_a_lock_file_left_by_a_dead_process_is_taken_over_at_once(tmp_path):
    import subprocess
    import sys
    import time

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    import socket

    held = tmp_path / "lock.held"  # the stand-in where file locking is unavailable
    held.write_text(
        json.dumps({"pid": pid, "host": socket.gethostname(), "command": "qiframe x", "since": "-"})
    )
    start = time.monotonic()
    assert yamlio._lock_by_file(held)
    assert time.monotonic() - start < 1
    assert yamlio.read_holder(held)["pid"] == os.getpid()
    assert not yamlio._lock_by_file(held)  # held by a live process: not taken


# --- an editor session that fails validation keeps the user's text -----------------------------------------

EDITOR_TWICE = """\
import pathlib, sys
path = pathlib.Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
count = pathlib.Path({count!r})
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
pathlib.Path({seen!r} + str(n)).write_text(text, encoding="utf-8")
if n == 0:
    path.write_text(text.replace("status: not-started", "status: finished  # my typing"), encoding="utf-8")
else:
    path.write_text(text.replace("status: finished  # my typing", "status: draft  # my typing"), encoding="utf-8")
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a terminal")
def test_an_invalid_edit_reopens_the_editor_on_the_typed_text_with_the_error_on_top(evaluation, tmp_path):
    import subprocess
    import sys

    script = tmp_path / "editor.py"
    script.write_text(
        EDITOR_TWICE.format(count=str(tmp_path / "count"), seen=str(tmp_path / "seen")), encoding="utf-8"
    )
    master, slave = os.openpty()  # a terminal on stdin, so qiframe may ask "Edit again?"
    os.write(master, b"y\n")
    env = {**os.environ, "EDITOR": f"{sys.executable} {script}"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qiframe.cli.main import run; run()",
            "edit",
            "2.1",
            "-e",
            str(evaluation),
        ],
        stdin=slave,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    os.close(slave)
    os.close(master)
    assert result.returncode == 0, result.stderr
    assert "is not one of" in result.stderr and "Edit again?" in result.stderr
    second = (tmp_path / "seen1").read_text(encoding="utf-8")
    assert second.startswith("# qiframe: this text was not saved: ")  # the error, at the top ...
    assert "status: finished  # my typing" in second  # ... above what the user typed, not the original
    saved = (evaluation / "indicators" / "2.1.yaml").read_text(encoding="utf-8")
    assert "status: draft  # my typing" in saved and "qiframe: this text was not saved" not in saved


def test_statement_edit_that_fails_keeps_the_text_beside_the_evaluation(tmp_path, cli, monkeypatch):
    import shlex
    import sys

    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text() + '  mine: My long answer, typed with care.\\n')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    before = _files(root)
    result = cli("statement", "edit", "S1", "-e", root)
    assert result.code == 2 and "'mine' is not a question" in result.err
    kept = list((root / ".qiframe" / "unsaved").glob("statement-S1-*.yaml"))
    assert len(kept) == 1 and "My long answer, typed with care." in kept[0].read_text(encoding="utf-8")
    assert kept[0].name in result.err
    assert _files(root) == before  # no section file was created


def test_the_editor_asks_through_the_callers_question_and_never_reads_stdin(
    evaluation, tmp_path, monkeypatch
):
    import ast
    import shlex
    import sys

    from qiframe import editor

    script = tmp_path / "editor.py"
    script.write_text(
        EDITOR_TWICE.format(count=str(tmp_path / "count"), seen=str(tmp_path / "seen")), encoding="utf-8"
    )
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    asked = []
    said = editor.edit_assessment(evaluation, "2.1", again=lambda problem: asked.append(problem) or True)
    assert said == "indicators/2.1.yaml: saved"
    assert len(asked) == 1 and "is not one of" in str(asked[0]) and asked[0].path.endswith("2.1.yaml")
    assert "status: draft  # my typing" in (evaluation / "indicators" / "2.1.yaml").read_text(
        encoding="utf-8"
    )
    # Without a question (a script, a page), an invalid edit fails at once and keeps the text.
    (tmp_path / "count").unlink()
    monkeypatch.setattr(sys, "stdin", None)  # reading it would fail
    (evaluation / "indicators" / "2.1.yaml").write_text(
        (evaluation / "indicators" / "2.1.yaml")
        .read_text(encoding="utf-8")
        .replace("status: draft  # my typing", "status: not-started"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="your text is kept in"):
        editor.edit_assessment(evaluation, "2.1")
    source = ast.parse(Path(editor.__file__).read_text(encoding="utf-8"))
    reads = [
        n
        for n in ast.walk(source)
        if (isinstance(n, ast.Attribute) and n.attr == "stdin")
        or (isinstance(n, ast.Name) and n.id == "input")
    ]
    assert not reads, "the core takes the user's answers as parameters; the command line asks"
