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


def _help_from(root, words: list[str]) -> str:
    ctx = root.make_context("qiframe", [], resilient_parsing=True)
    command = root
    for word in words:
        command = command.commands[word]
        ctx = type(ctx)(command, info_name=word, parent=ctx)
    return f"{ctx.get_usage()}\n{command.get_help(ctx)}"


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS if n != "qiframe"])
def test_a_command_reads_the_same_from_its_branch_as_from_the_whole_app(name):
    # A run builds only the branch of the app it uses (main._branch); what it shows must not change.
    from qiframe.cli import main

    words = name.split()[1:]
    whole, branch = main._click_command(), main._click_command(words[0])
    assert branch is not whole and len(branch.commands) == 1
    assert _help_from(branch, words) == _help_from(whole, words)


def test_a_command_line_names_its_branch():
    from qiframe.cli.main import _command_name

    assert _command_name(["status", "-e", "x"]) == "status"
    assert _command_name(["--debug", "evidence", "add"]) == "evidence"
    assert _command_name(["--version"]) is None
    assert _command_name(["help", "status"]) is None  # help looks its subject up in the whole app
    assert _command_name([]) is None
