"""The test suite's own rules: what the quick run (`pytest -m "not slow"`) leaves out is marked.

Tests that start processes, kill them, convert with LibreOffice, drive a browser or fuzz carry
`@pytest.mark.slow` (or their module sets `pytestmark`), so the developer's quick run stays quick while CI
runs everything. This test reads every test module and names any such test left unmarked.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SIGNS = (
    "subprocess.",
    "Popen(",
    "soffice",
    "SOFFICE",
    "playwright",
    "chromium",
    "os.kill(",
    "multiprocessing",
)
"""What in a test's code means it starts a process, a converter or a browser."""


def unmarked(text: str) -> list[str]:
    tree = ast.parse(text)
    if any(
        isinstance(n, ast.Assign)
        and any(getattr(t, "id", "") == "pytestmark" for t in n.targets)
        and "slow" in ast.unparse(n.value)
        for n in tree.body
    ):
        return []
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    helpers = {
        f.name
        for f in functions
        if not f.name.startswith("test_") and any(s in ast.unparse(f) for s in SIGNS)
    }
    found = []
    for f in functions:
        if not f.name.startswith("test_"):
            continue
        body = ast.unparse(f)
        starts = any(s in body for s in SIGNS) or any(f"{h}(" in body for h in helpers)
        marked = any("slow" in ast.unparse(d) for d in f.decorator_list)
        if starts and not marked:
            found.append(f.name)
    return found


def test_tests_that_start_processes_or_converters_are_marked_slow():
    missing = [
        f"{p.name}::{name}"
        for p in sorted(TESTS.glob("test_*.py"))
        if p.name != Path(__file__).name
        for name in unmarked(p.read_text(encoding="utf-8"))
    ]
    assert not missing, "mark these @pytest.mark.slow (they start processes or converters):\n" + "\n".join(
        missing
    )


def test_the_rule_finds_an_unmarked_process_test():
    text = (
        "import subprocess, pytest\n\ndef run_it():\n    subprocess.run(['x'])\n\n"
        "def test_a():\n    run_it()\n\n@pytest.mark.slow\ndef test_b():\n    subprocess.run(['y'])\n\n"
        "def test_c():\n    assert 1\n"
    )
    assert unmarked(text) == ["test_a"]
    assert (
        unmarked("import pytest\npytestmark = pytest.mark.slow\n\ndef test_a():\n    subprocess.run([])\n")
        == []
    )
