"""The store never loses data: exact round trips, atomic writes under SIGKILL, and concurrent writers."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiframe import store, yamlio
from qiframe.errors import InputError

# Text that stresses YAML quoting: YAML keywords, numbers, dates, comment and indicator characters.
TRICKY = st.sampled_from(
    [
        "yes",
        "no",
        "null",
        "~",
        "2.1",
        "1e3",
        "0x1f",
        "2025-03-01",
        "- item",
        "# not a comment",
        "a: b",
        "'quoted'",
        '"double"',
        "@at",
        "=SUM(A1)",
        "line one\nline two",
        " leading",
        "trailing ",
        "tab\there",
        "ünïcödé ✓",
        "[E-abc234]",
        "*star",
        "&amp",
        "!tag",
        "%pct",
    ]
)
TEXT = st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))


def evidence_records():
    return st.fixed_dictionaries(
        {"id": st.just("E-test22"), "title": TEXT},
        optional={
            "summary": TEXT,
            "kind": st.sampled_from(["survey", "observation", "other"]),
            "source": st.sampled_from(["data", "views", "observation", "documentation"]),
            "date": st.dates().map(lambda d: d.isoformat()),
            "agency": TEXT,
            "location": TEXT,
            "indicators": st.lists(st.sampled_from(["1.1", "2.1", "9.4", "10.1"]), unique=True, max_size=4),
            "themes": st.lists(TEXT, max_size=3),
            "submission": st.booleans(),
        },
    )


@pytest.mark.slow
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=evidence_records())
def test_written_files_load_back_equal_and_resave_byte_identical(tmp_path, record):
    path = tmp_path / "E-test22.yaml"
    store.write_new(path, "evidence", record)
    written = path.read_bytes()
    assert yamlio.load(path) == record  # the fast loader reads back exactly what was written
    doc = yamlio.load_roundtrip(path)
    assert yamlio.dump_roundtrip(doc, store.header("evidence")).encode("utf-8") == written


def test_user_layout_survives_a_no_change_round_trip(tmp_path):
    text = (
        "# yaml-language-server: $schema=../.qiframe/schemas/indicator.schema.json\n"
        "# Moderated at the March meeting\n"
        "indicator: '2.1'   # the graded one\n"
        "status: draft\n"
        "strengths:\n"
        "  - Stable relationships  # from the audit\n"
        "  # a comment inside the list\n"
        "  - Good multi-agency meetings\n"
        "rationale: |\n"
        "  First line.\n"
        "  Second line.\n"
    )
    path = tmp_path / "2.1.yaml"
    path.write_text(text, encoding="utf-8")
    assert yamlio.dump_roundtrip(yamlio.load_roundtrip(path)) == text


# --- processes -----------------------------------------------------------------------------------------

ADDER = """
import sys
from qiframe import store
root, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    store.add_evidence(root, title=f"{tag} item {i}", source="data", indicators=["2.1"])
"""


@pytest.fixture
def evaluation(tmp_path):
    return store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


@pytest.mark.slow
def test_two_processes_adding_fifty_items_each_lose_nothing(evaluation):
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(evaluation), tag, "50"]) for tag in ("a", "b")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    ev = store.load(evaluation)
    titles = sorted(e.title for e in ev.evidence.values())
    assert len(ev.evidence) == 100
    assert titles == sorted([f"a item {i}" for i in range(50)] + [f"b item {i}" for i in range(50)])


WRITER = """
import sys
from pathlib import Path
from qiframe import store, yamlio
root, target = Path(sys.argv[1]), int(sys.argv[2])
path = root / "indicators" / "2.1.yaml"
print("writing", flush=True)
while True:
    current = yamlio.load(path).get("rationale")
    number = int(current.split(" ")[1]) if current else 0
    if number >= target:
        break
    store.edit(root, "indicators/2.1.yaml", "indicator",
               lambda doc: store.set_field(doc, "rationale", f"version {number + 1} " + "x" * 3000,
                                           store.ASSESSMENT_FIELDS))
"""


def _version(path: Path) -> int:
    data = yamlio.load(path)  # whole and valid: old or new, never torn
    assert data["indicator"] == "2.1"
    rationale = data.get("rationale")
    if rationale is None:
        return 0
    number = int(rationale.split(" ")[1])
    assert rationale == f"version {number} " + "x" * 3000
    return number


@pytest.mark.slow
def test_sigkill_at_random_moments_during_200_writes(evaluation):
    """A writer is killed at random moments, again and again, while it makes 200 writes in all."""
    target = evaluation / "indicators" / "2.1.yaml"
    rng = random.Random(1234)
    versions, kills = [0], 0
    while versions[-1] < 200 and kills < 60:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(evaluation), "200"], stdout=subprocess.PIPE
        )
        assert proc.stdout.readline() == b"writing\n"
        time.sleep(rng.random() * 0.05)  # a random moment, usually in the middle of a write
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        kills += 1
        versions.append(_version(target))
        for leftover in target.parent.glob(".*.tmp"):  # a killed writer may leave its temporary file
            leftover.unlink()
    # On a slow machine the kills may come before all 200 writes are done: finish them undisturbed.
    subprocess.run(
        [sys.executable, "-c", WRITER, str(evaluation), "200"], stdout=subprocess.DEVNULL, check=True
    )
    versions.append(_version(target))
    assert versions[-1] == 200
    assert versions == sorted(versions)  # no write was ever lost or rolled back
    assert kills >= 10
    assert store.load(evaluation).assessments["2.1"].indicator == "2.1"


def test_a_failing_write_changes_nothing(evaluation):
    from tests.conftest import snapshot

    before = snapshot(evaluation)
    with pytest.raises(InputError, match="grade: expected"):
        store.edit(
            Path(evaluation), "indicators/2.1.yaml", "indicator", lambda doc: doc.__setitem__("grade", "x")
        )
    assert snapshot(evaluation) == before


NOTER = """
import sys
from pathlib import Path
from qiframe import assessments
root, tag, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(n):
    assessments.add_notes(root, "2.1", [f"strength {tag}-{i}"], [], [])
"""


@pytest.mark.slow
def test_four_processes_times_a_hundred_edits_of_one_file_lose_nothing(evaluation):
    procs = [subprocess.Popen([sys.executable, "-c", NOTER, str(evaluation), tag, "100"]) for tag in "abcd"]
    assert [p.wait(timeout=600) for p in procs] == [0, 0, 0, 0]
    strengths = store.load(evaluation).assessments["2.1"].strengths
    assert sorted(strengths) == sorted(f"strength {t}-{i}" for t in "abcd" for i in range(100))


def _age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_parse_cache_never_serves_a_changed_file(evaluation):
    item = store.add_evidence(evaluation, title="Alpha", source="data", indicators=["2.1"])
    path = evaluation / item.path
    _age(path, 60)
    assert store.load(evaluation).evidence[item.id].title == "Alpha"
    cache = (evaluation / ".qiframe" / "cache.json").read_text(encoding="utf-8")
    assert item.path in cache  # an old file is cached
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha", "Omega"), encoding="utf-8")  # same size
    _age(path, 30)
    assert store.load(evaluation).evidence[item.id].title == "Omega"


def test_parse_cache_skips_files_changed_in_the_last_two_seconds(evaluation):
    item = store.add_evidence(evaluation, title="Fresh", source="data", indicators=["2.1"])
    store.load(evaluation)
    cache = evaluation / ".qiframe" / "cache.json"
    assert item.path not in (cache.read_text(encoding="utf-8") if cache.exists() else "")


def test_a_corrupt_cache_is_ignored(evaluation):
    item = store.add_evidence(evaluation, title="Beta", source="views", indicators=["2.1"])
    _age(evaluation / item.path, 60)
    store.load(evaluation)
    (evaluation / ".qiframe" / "cache.json").write_text("{not json", encoding="utf-8")
    assert store.load(evaluation).evidence[item.id].title == "Beta"
