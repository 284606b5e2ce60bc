"""Help text in the usual command-line style, whatever typer likes to show.

typer prints a parameter's name or type as its metavar and wraps required arguments in braces on the
usage line (`{QI}`). `tidy` walks the command tree once and gives every parameter a plain metavar
instead: an upper-case word (`--title TITLE`), `NUMBER` or `N` for numbers, the choices of a short
choice (`--format [text|json]`), `ARG` or `[ARG]` on the usage line. Nothing here changes what a
command accepts, only how its help reads. It sets metavars and overrides `make_metavar`, the hook
typer's help formatter calls; tests/test_docs.py compares the result with docs/cli.md.
"""

from __future__ import annotations

from typing import Any

CHOICES_WIDTH = 32
"""Longest list of choices shown as the metavar; longer ones show a word and the help lists them."""
NUMBER_WORDS = {"integer": "N", "int range": "N", "float": "NUMBER", "float range": "NUMBER"}
"""Metavars of number options, by the name of their click type."""


def tidy(command: Any) -> Any:
    """Give every parameter below `command` a plain metavar; returns the command."""
    seen: set[int] = set()

    def walk(cmd: Any) -> None:
        if id(cmd) in seen:
            return
        seen.add(id(cmd))
        for param in getattr(cmd, "params", ()):
            _tidy_param(param)
        for sub in (getattr(cmd, "commands", None) or {}).values():
            walk(sub)

    walk(command)
    return command


def metavar_of(param: Any) -> str:
    """The word shown for a parameter's value."""
    if param.metavar:
        return param.metavar.strip("[]{}<>")
    choices = _choices(param)
    if choices and len("|".join(choices)) <= CHOICES_WIDTH:
        return "[" + "|".join(choices) + "]"
    number = NUMBER_WORDS.get(getattr(getattr(param, "type", None), "name", ""))
    if number:
        return number
    longest = max(getattr(param, "opts", None) or [param.name or "value"], key=len)
    return longest.lstrip("-").upper().replace("_", "-")


def _tidy_param(param: Any) -> None:
    kind = getattr(param, "param_type_name", "")
    if kind == "option":
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return
        param.metavar = metavar_of(param)
    elif kind == "argument":
        word = metavar_of(param).removesuffix("...")
        param.metavar = word
        many = "..." if param.nargs != 1 else ""
        shown = f"{word}{many}" if param.required else f"[{word}]{many}"

        def make_metavar(ctx: Any = None, *, usage: bool = False) -> str:
            return shown if usage else word + many

        param.make_metavar = make_metavar


def _choices(param: Any) -> list[str]:
    choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in choices] if choices else []
