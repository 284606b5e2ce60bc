"""Shared rendering helpers for the command modules."""

import json
import sys
from enum import Enum
from typing import Any

import typer


class Format(str, Enum):
    """Output formats shared by reporting commands."""

    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(Format.text, "--format", "-f", help="text for people, json for scripts.")


def console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def emit_json(data: Any) -> None:
    """JSON on stdout alone, stable key order, ending with a newline."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def done(message: str) -> None:
    """A one-line confirmation on stderr, so stdout stays clean for pipes."""
    err_console().print(message)


LEVEL_COLOURS = ("green", "green3", "yellow3", "dark_orange", "red", "red3")


def level_style(scale, value: int | None) -> str:
    """A colour for a grade: best levels green, worst red, whatever the number of levels."""
    if value is None or scale.level(value) is None:
        return "dim"
    ordered = sorted(scale.values, reverse=True)
    position = ordered.index(value) / max(1, len(ordered) - 1)
    return LEVEL_COLOURS[round(position * (len(LEVEL_COLOURS) - 1))]
