"""The `qiframe` command and its one error boundary.

Expected errors (`QiframeError`, usage errors) print one line and exit 2; anything unexpected prints one
line with a hint and exits 3, unless --debug asks for the traceback; Ctrl-C exits 130.
"""

import functools
import sys
from typing import Protocol, TypeGuard

import typer

from qiframe import __version__

app = typer.Typer(
    name="qiframe",
    help="Self-evaluation against quality-indicator frameworks: evidence, grades, checks and exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


@functools.cache
def _click_command():
    """The click command typer builds from the app: built once per process, as it never changes."""
    return typer.main.get_command(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qiframe {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show the Python traceback of an unexpected error."),
) -> None:
    """Self-evaluation against quality-indicator frameworks: evidence, grades, checks and exports."""
    _state["debug"] = debug


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
    command = _click_command()
    try:
        code = command.main(args=args, prog_name="qiframe", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except QiframeError as exc:
        if debug:
            raise
        _error(str(exc))
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if _is_usage_error(exc):
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                typer.echo(ctx.get_usage(), err=True)
            _error(exc.format_message().rstrip("."))
            sys.exit(2)
        if debug:
            raise
        # The last line of defence: one line, never a traceback.
        _error(f"internal error: {type(exc).__name__}: {exc}. Run again with --debug for the traceback, "
               "and report it with that output.")
        sys.exit(3)


class _UsageError(Protocol):
    def format_message(self) -> str: ...


def _is_usage_error(exc: Exception) -> TypeGuard[_UsageError]:
    # typer vendors click in some versions, so match click's exception family by name, not by import.
    return hasattr(exc, "format_message") and any(c.__name__ == "ClickException" for c in type(exc).__mro__)


def _error(message: str) -> None:
    typer.echo(f"qiframe: error: {message}", err=True)


def _warn(message: str) -> None:
    typer.echo(f"qiframe: warning: {message}", err=True)


def _register() -> None:
    from qiframe.cli import register

    register.all_commands(app)


_register()
