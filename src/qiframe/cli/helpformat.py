"""Help text in the usual command-line style, whatever typer's version likes to show.

typer 0.29 prints Python type names as metavars (`--title <str>`, `--qi <list[str]>`) and wraps
arguments in braces on the usage line (`{QI}`). `tidy` walks the command tree once and gives every
parameter a plain metavar instead: an upper-case word (`--title TITLE`), the choices of a short choice
(`--format [text|json]`), `ARG` or `[ARG]` on the usage line. Nothing here changes what a command
accepts, only how its help reads.
"""

from __future__ import annotations

from typing import Any

CHOICES_WIDTH = 32
"""Longest list of choices shown as the metavar; longer ones show a word and the help lists them."""
NUMBER_WORDS = {int: "N", float: "NUMBER"}


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
    annotation = _annotation(param)
    if annotation in NUMBER_WORDS:
        return NUMBER_WORDS[annotation]
    longest = max(getattr(param, "opts", None) or [param.name or "value"], key=len)
    return longest.lstrip("-").upper().replace("_", "-")


def _tidy_param(param: Any) -> None:
    kind = getattr(param, "param_type_name", "")
    if kind == "option":
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return
        word = metavar_of(param)
        param.metavar = word
        param.display_type_rich = lambda ctx, word=word: word
    elif kind == "argument":
        word = metavar_of(param)
        param.metavar = word
        many = "..." if param.nargs != 1 else ""
        shown = f"{word}{many}" if param.required else f"[{word}]{many}"
        param.display_type_rich = lambda ctx: None
        param.display_type = lambda ctx: None
        param._usage_display_name = lambda shown=shown: shown
        param._rich_display_name = lambda word=word, many=many: word + many


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and getattr(desc, "is_choice", False) and desc.choices:
        return [str(getattr(c, "value", c)) for c in desc.choices]
    choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(getattr(c, "value", c)) for c in choices] if choices else []


def _annotation(param: Any) -> Any:
    desc = getattr(param, "type_descriptor", None)
    annotation = getattr(desc, "annotation", None)
    args = getattr(annotation, "__args__", None)
    if args and getattr(annotation, "__origin__", None) is list:
        return args[0]
    return annotation
