"""The documentation matches the code: every command has help, the reference and README are current."""

from __future__ import annotations

import re

import pytest

from qiframe.cli import reference
from tests.conftest import ROOT

COMMANDS = reference.commands()
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_parameter_has_help(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    for param in command.params:
        if param.name in ("help",):
            continue
        assert getattr(param, "help", None), f"{name}: {param.name} has no help text"


def test_every_top_level_command_is_in_the_readme():
    top_level = {name.split()[1] for name, _ in COMMANDS if len(name.split()) == 2}
    missing = sorted(c for c in top_level if f"qiframe {c}" not in README)
    assert not missing, f"README.md does not mention: {missing}"


def test_command_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference.render(), (
        "docs/cli.md is out of date: run `python -m qiframe.cli.reference > docs/cli.md`"
    )


def test_readme_help_excerpt_matches_the_real_output():
    match = re.search(r"<!-- help: qiframe --help -->\n```text\n(.*?)```", README, re.S)
    assert match, "README.md lost its `qiframe --help` excerpt"
    assert match.group(1) == reference.help_text("qiframe")
