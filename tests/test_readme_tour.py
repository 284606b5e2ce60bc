"""The README's tour, run exactly as written (after its set-up line) by a newcomer in a fresh home folder.

The tour is taken from README.md between `<!-- tour -->` and the end of its code block and run by bash
from the qiframe folder, as the README says, with `set -e`: any command that exits non-zero fails the
test and names the command. Every instruction the output gives in backticks (`qiframe statement draft
S1`, `--by indicators`) is then checked against the real commands and their options, so qiframe cannot
tell a newcomer to type something that does not exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from qiframe.cli import reference
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTIVATE = ROOT / ".venv" / "bin" / "activate"


def tour_script() -> str:
    match = re.search(r"<!-- tour -->\n```sh\n(.*?)```", README, re.S)
    assert match, "README.md lost its tour (the sh block after <!-- tour -->)"
    return match.group(1)


def instructions(text: str) -> list[str]:
    """Every `qiframe …` command quoted in backticks in some output."""
    return [m.group(1) for m in re.finditer(r"`(qiframe [^`]+)`", text)]


def instruction_problem(line: str) -> str:
    """Why an instruction quoted by qiframe would not work, or "" when its command and options exist."""
    commands = dict(reference.commands())
    words = line.split()
    path = ["qiframe"]
    for word in words[1:]:
        if " ".join([*path, word]) in commands:
            path.append(word)
        else:
            break
    command = commands[" ".join(path)]
    if getattr(command, "commands", None):
        return f"{line!r}: {' '.join(path)} needs a subcommand"
    known = {opt for p in command.params for opt in (*p.opts, *getattr(p, "secondary_opts", ()))}
    known |= {"--help", "-h"}
    unknown = [w for w in words if w.startswith("-") and w.split("=")[0] not in known and w != "-"]
    return f"{line!r}: {' '.join(path)} has no option {unknown[0]}" if unknown else ""


def test_instruction_checker_catches_what_does_not_exist():
    assert instruction_problem("qiframe statement draft S1") == ""
    assert instruction_problem("qiframe export statement --by indicators -o FILE") == ""
    assert "has no option --by" in instruction_problem("qiframe statement draft --by indicators")
    assert "needs a subcommand" in instruction_problem("qiframe evidence")


@pytest.mark.slow
@pytest.mark.skipif(not ACTIVATE.is_file(), reason="the README's set-up line (.venv) has not been run")
@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None, reason="the tour is a sh script")
def test_readme_tour_runs_as_written(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "EDITOR": "true", "VISUAL": "", "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    script = "trap 'echo \"TOUR FAILED AT: $BASH_COMMAND\" >&2' ERR\n" + tour_script()
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Traceback" not in output and "internal error" not in output
    evaluation = home / "self-evaluation" / "my-eval"
    for made in ("evaluation.yaml", "statement.docx", "matrix.xlsx", "progress.docx"):
        assert (evaluation / made).is_file(), made
    problems = [p for p in map(instruction_problem, set(instructions(output))) if p]
    assert not problems, problems
    # The summary recorded as evidence names its file relative to the evaluation, not by an absolute path.
    recorded = [p.read_text(encoding="utf-8") for p in (evaluation / "evidence").glob("*.yaml")]
    locations = [
        line.split(":", 1)[1].strip()
        for text in recorded
        for line in text.splitlines()
        if line.startswith("location:")
    ]
    assert locations and all(not os.path.isabs(loc) for loc in locations), locations
