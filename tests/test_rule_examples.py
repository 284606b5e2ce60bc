"""Every check rule's docstring examples, executed: "Passes:" must give no finding of the rule, "Fails:" at
least one.

An example is a list of files, each introduced by a comment naming it (`# evidence/E-k3m9qx.yaml`, perhaps
followed by a note); the YAML below the comment is the file. The files are laid over a copy of the clean
example evaluation (tests/data/checks/clean), which passes every rule: `evaluation.yaml` is merged key by
key, any other file is written as given. `# checked on YYYY-MM-DD` sets the day the check runs (otherwise
DEFAULT_TODAY), and an answer written `<1,180 words>` stands for that many words. The rule list is the
registry, so a new rule is tested here as soon as it exists.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA

DEFAULT_TODAY = "2025-06-30"
CLEAN = DATA / "checks" / "clean"
_FILE = re.compile(r"^#\s+((?:[\w.-]+/)*[\w.-]+\.yaml)\b")
_TODAY = re.compile(r"^#\s+checked on (\d{4}-\d{2}-\d{2})\b")
_WORDS = re.compile(r"<([\d,]+) words>")


def _rules():
    from qiframe.checks import load_rules

    return load_rules()


def parse_example(text: str) -> tuple[dict[str, str], str]:
    """(file path -> YAML text, today) from one example."""
    files: dict[str, list[str]] = {}
    today = DEFAULT_TODAY
    current: list[str] | None = None
    for line in text.splitlines():
        day = _TODAY.match(line)
        if day:
            today = day.group(1)
        named = _FILE.match(line)
        if named:
            current = files.setdefault(named.group(1), [])
            day = re.search(r"checked on (\d{4}-\d{2}-\d{2})", line)
            if day:
                today = day.group(1)
            continue
        if current is not None:
            current.append(_WORDS.sub(lambda m: " ".join(["word"] * int(m.group(1).replace(",", ""))), line))
    return {path: "\n".join(lines).strip() + "\n" for path, lines in files.items()}, today


def build(example: str, tmp_path: Path) -> tuple[Path, str]:
    from qiframe import yamlio

    files, today = parse_example(example)
    assert files, "the example names no file (start it with a comment such as `# evidence/E-k3m9qx.yaml`)"
    root = tmp_path / "evaluation"
    shutil.copytree(CLEAN, root)
    for rel, text in files.items():
        path = root / rel
        if rel == "evaluation.yaml":
            data = yamlio.load(path)
            data.update(yamlio.parse(text, rel) or {})
            text = yamlio.dump_roundtrip(yamlio.to_commented(data))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root, today


def findings(rule_id: str, example: str, tmp_path: Path) -> list:
    from qiframe import checks, store

    root, today = build(example, tmp_path)
    report = checks.run(store.load(root), only=[rule_id], today=today)
    return [p for p in report.problems if p.rule == rule_id]


@pytest.mark.parametrize("rule_id", sorted(_rules()))
def test_docstring_examples_do_what_they_say(rule_id, tmp_path):
    from qiframe.checks._docs import parse

    doc = parse(_rules()[rule_id])
    passing = findings(rule_id, doc.passes, tmp_path / "passes")
    assert not passing, f"{rule_id}: the Passes example gives " + "; ".join(p.message for p in passing)
    failing = findings(rule_id, doc.fails, tmp_path / "fails")
    assert failing, f"{rule_id}: the Fails example gives no finding"


def test_the_base_passes_every_rule(tmp_path):
    from qiframe import checks, store

    root = tmp_path / "clean"
    shutil.copytree(CLEAN, root)
    report = checks.run(store.load(root), only=sorted(_rules()), today=DEFAULT_TODAY)
    assert not report.problems, [p.message for p in report.problems]


def test_an_example_is_parsed_into_files_today_and_words():
    files, today = parse_example(
        "# actions/A-k3m9qx.yaml, checked on 2026-11-22\nid: A-k3m9qx\n# prose, not a file\n"
        "# statement/S1.yaml: long\nanswers:\n  now: <1,002 words>\n"
    )
    assert today == "2026-11-22"
    assert files["actions/A-k3m9qx.yaml"] == "id: A-k3m9qx\n# prose, not a file\n"
    assert files["statement/S1.yaml"].count("word") == 1002
