"""The `qiframe` command and its one error boundary.

Expected errors (`QiframeError`, usage errors) print one line and exit 2; anything unexpected prints one
line with a hint and exits 3, unless --debug asks for the traceback; Ctrl-C exits 130.
"""

import functools
import sys
from typing import Any, Protocol, TypeGuard

import typer

from qiframe import __version__
from qiframe.cli import helpformat

_SETTINGS: dict[str, Any] = dict(
    name="qiframe",
    help="Self-evaluation against quality-indicator frameworks: evidence, grades, checks and exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**_SETTINGS)

_state = {"debug": False}


@functools.cache
def _click_command(name: str | None = None):
    """The click command typer builds from the app, once per process; with `name`, from only the branch
    of the app under that top-level command or group (building all fifty commands costs a quick command
    a tenth of its time). Help, usage and errors read the same either way, which a test checks."""
    return helpformat.tidy(typer.main.get_command(_branch(name) if name else app))


def _branch(name: str) -> typer.Typer:
    """The app with only the top-level command or group `name` (the whole app if it has none such)."""
    branch = typer.Typer(**_SETTINGS)
    branch.registered_callback = app.registered_callback
    branch.registered_commands = [
        c
        for c in app.registered_commands
        if (c.name or typer.main.get_command_name(getattr(c.callback, "__name__", ""))) == name
    ]
    branch.registered_groups = [g for g in app.registered_groups if g.name == name]
    return branch if branch.registered_commands or branch.registered_groups else app


def _command_name(args: list[str]) -> str | None:
    """The top-level command a command line runs, if it is plain to see: its first word, after only the
    app's own flags. `help` looks its subject up in the whole app."""
    for arg in args:
        if arg != "--debug":
            return None if arg.startswith("-") or arg == "help" else arg
    return None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qiframe {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the Python traceback of an unexpected error."),
) -> None:
    """Self-evaluation against quality-indicator frameworks: evidence, grades, checks and exports."""
    _state["debug"] = debug


def console() -> None:
    """The `qiframe` program: `run` on the command line's arguments, after which the process ends."""
    try:
        run()
    finally:
        # The command is done, its files written and closed. At exit Python's cyclic collector would walk
        # every object once more (some 10 ms after reading a large evaluation) to free memory that the
        # exit frees anyway; freezing them spares that walk. `run` itself, which tests call in-process,
        # leaves the collector alone.
        import gc

        gc.freeze()


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script: the error boundary around the typer app."""
    from qiframe import notices

    notices.set_handler(_warn)
    try:
        _run(sys.argv[1:] if argv is None else argv)
    finally:
        notices.set_handler(None)


def _run(args: list[str]) -> None:
    from qiframe.errors import QiframeError

    debug = "--debug" in args
    command = _click_command(_command_name(args))
    try:
        code = command.main(args=args, prog_name="qiframe", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except QiframeError as exc:
        if debug:
            raise
        _error(exc.location_prefix() + exc.said(flag))
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # A bare group (`qiframe`, `qiframe evidence`) asks what it can do: its help, and success.
            typer.echo(exc.ctx.get_help())  # type: ignore[attr-defined]  # click's, found by name
            sys.exit(0)
        if _is_usage_error(exc):
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                typer.echo(ctx.get_usage(), err=True)
            _error(usage_message(exc.format_message()))
            sys.exit(2)
        if debug:
            raise
        # The last line of defence: one line, never a traceback.
        _error(
            f"internal error: {type(exc).__name__}: {exc}. Run again with --debug for the traceback, "
            "and report it with that output."
        )
        sys.exit(3)


class _UsageError(Protocol):
    def format_message(self) -> str: ...


def _is_usage_error(exc: Exception) -> TypeGuard[_UsageError]:
    # typer vendors click in some versions, so match click's exception family by name, not by import.
    return hasattr(exc, "format_message") and any(c.__name__ == "ClickException" for c in type(exc).__mro__)


def usage_message(text: str) -> str:
    """A usage error's message without the validation library's wording ("Value error, ...")."""
    for noise in ("Value error, ", "Assertion failed, "):
        text = text.replace(noise, "")
    return text.rstrip(".")


FLAGS = {"rationale": "-r/--rationale", "evaluation": "-e/--evaluation"}
"""Options whose spelling in a message is not `--NAME`."""


def flag(name: str) -> str:
    """How the command line spells a parameter of the core that an error message names."""
    return FLAGS.get(name, "--" + name.replace("_", "-"))


def _error(message: str) -> None:
    from qiframe.safetext import bounded, terminal_safe

    typer.echo(f"qiframe: error: {terminal_safe(bounded(message))}", err=True)


def help_(
    ctx: typer.Context,
    words: list[str] = typer.Argument(None, metavar="COMMAND", help="A command, e.g. `evidence add`."),
) -> None:
    """Show the help of qiframe or of one of its commands."""
    from qiframe.errors import NotFound

    root: Any = ctx.find_root()  # click's Context, which typer's only annotates
    ctx = root
    command = ctx.command
    path = ["qiframe"]
    for word in words or []:
        commands = getattr(command, "commands", None) or {}
        if word not in commands:
            known = ", ".join(sorted(commands)) or "none"
            raise NotFound(f"no command {' '.join([*path, word])!r} (commands of {' '.join(path)}: {known})")
        command = commands[word]
        path.append(word)
        ctx = type(ctx)(command, info_name=word, parent=ctx)
    typer.echo(command.get_help(ctx))


def _warn(message: str) -> None:
    typer.echo(f"qiframe: warning: {message}", err=True)


def _register() -> None:
    from qiframe.cli import register

    register.all_commands(app)
    app.command("help")(help_)


_register()
