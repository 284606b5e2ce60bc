"""Generate docs/cli.md, the command reference, from the commands themselves.

    python -m qiframe.cli.reference > docs/cli.md

A test fails when docs/cli.md is out of date or a command has no help, so the reference cannot drift.
"""

import typer


def commands() -> list[tuple[str, object]]:
    """Every command and group as ("qiframe evidence add", click command), depth first, sorted."""
    from qiframe.cli.main import app

    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(name: str, command) -> None:
        found.append((name, command))
        for sub_name in sorted(getattr(command, "commands", {}) or {}):
            walk(f"{name} {sub_name}", command.commands[sub_name])

    walk("qiframe", root)
    return found


def help_text(name: str) -> str:
    """The real --help output of a command, as a user sees it (80 columns, no colour)."""
    import contextlib
    import io
    import os

    from qiframe.cli.main import run

    buffer = io.StringIO()
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "NO_COLOR", "TERM")}
    os.environ.update(COLUMNS="80", NO_COLOR="1", TERM="dumb")
    try:
        with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
            run([*name.split()[1:], "--help"])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip() + "\n"


def render() -> str:
    parts = [
        "# Command reference",
        "",
        "Generated from the commands by `python -m qiframe.cli.reference`; do not edit by hand.",
        "",
    ]
    for name, _command in commands():
        parts += [f"## `{name}`", "", "```", help_text(name).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
