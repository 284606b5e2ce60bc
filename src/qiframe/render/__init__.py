"""The one rendering layer: every report the command line prints, in every format, is made here.

A renderer turns one result object of the core into the text of one format and returns it; it writes
nothing and prints nothing. The registry maps (result type, format) to its renderer, so `render(result,
fmt)` is the one interface and `formats(result type)` gives the choices of a command's `--format`
(pip-audit's formats behind one interface; check-jsonschema's reporters).

Result types are named by their dotted path (`qiframe.checks.Report`), so the registry imports no domain
module before a renderer is asked for. Text renderers may return `Markup`: console markup (colours) that
the command line prints through its terminal-safe console; every other renderer returns plain text. No
module here imports typer, click, rich or `qiframe.cli`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Renderer = Callable[[Any], str]

_REGISTRY: dict[tuple[str, str], Renderer] = {}


class Markup(str):
    """Text holding console markup (`[bold]…[/]`); user text in it went through `escape`."""


@dataclass(frozen=True)
class Column:
    """One column of a `Table`: its header and how the console lays it out (rich's column options by name:
    width, min_width, ratio, no_wrap, overflow, justify, style)."""

    header: str = ""
    layout: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Table:
    """Rows of console-markup cells (file text already escaped), for the console to fit to its width."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    layout: tuple[tuple[str, Any], ...] = (("box", None),)
    """Table options by name (box, show_header, pad_edge, expand, padding)."""

    def plain(self) -> list[str]:
        """The table without a console: header and rows, cells two spaces apart."""
        lines = [[c.header for c in self.columns]] if dict(self.layout).get("show_header", True) else []
        return ["  ".join(cells).rstrip() for cells in lines + [list(r) for r in self.rows]]


@dataclass
class Tree:
    """A label (console markup) with branches below it, for the console to draw with guide lines."""

    label: str
    children: list[Tree] = field(default_factory=list)

    def add(self, label: str) -> Tree:
        child = Tree(label)
        self.children.append(child)
        return child

    def plain(self, depth: int = 0) -> list[str]:
        """The tree without a console: each branch indented under its parent."""
        return ["    " * depth + self.label] + [line for c in self.children for line in c.plain(depth + 1)]


class Grid(Markup):
    """Console markup whose tables and trees the console lays out to its width: `parts` are markup lines,
    `Table`s and `Tree`s. As a string it is the same report with plain columns and indented trees."""

    parts: tuple[str | Table | Tree, ...]

    def __new__(cls, parts: list[str | Table | Tree]) -> Grid:
        lines: list[str] = []
        for part in parts:
            lines += [part] if isinstance(part, str) else part.plain()
        grid = super().__new__(cls, "".join(line + "\n" for line in lines))
        grid.parts = tuple(parts)
        return grid


def type_name(kind: type | str) -> str:
    return kind if isinstance(kind, str) else f"{kind.__module__}.{kind.__qualname__}"


def renderer(kind: type | str, *fmts: str) -> Callable[[Renderer], Renderer]:
    """Register a function as the renderer of `kind` (a type or its dotted name) in each of `fmts`."""

    def register(function: Renderer) -> Renderer:
        for fmt in fmts:
            key = (type_name(kind), fmt)
            if key in _REGISTRY:
                raise ValueError(f"two renderers for {key}")
            _REGISTRY[key] = function
        return function

    return register


def registry() -> dict[tuple[str, str], Renderer]:
    """(result type's dotted name, format) -> renderer, for every renderer there is."""
    return dict(_REGISTRY)


ORDER = ("text", "json", "csv", "md", "github")
"""How `--format` lists the formats: people's first, then scripts', then documents'."""


def formats(kind: type | str) -> tuple[str, ...]:
    """The formats a result type renders to (text first)."""
    name = type_name(kind)
    found = [fmt for (k, fmt) in _REGISTRY if k == name]
    return tuple(sorted(found, key=lambda f: (ORDER.index(f) if f in ORDER else len(ORDER), f)))


def render(result: Any, fmt: str) -> str:
    """The text of `result` in format `fmt` (text, json, csv, md, github …)."""
    fmt = getattr(fmt, "value", fmt)
    found = _REGISTRY.get((type_name(type(result)), fmt))
    if found is None:
        raise LookupError(f"no {fmt} renderer for {type_name(type(result))}")
    return found(result)


# --- shared pieces of the renderers -----------------------------------------------------------------


def json_text(data: Any) -> str:
    """JSON for scripts: two-space indent, key order kept, non-ASCII as itself, ending with a newline.

    JSON escapes C0 control characters itself; C1 ones (U+0080-U+009F, which some terminals obey as
    escape sequences) and the Unicode line separators are escaped here too, so JSON printed to a terminal
    is as safe as text.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return re.sub("[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def csv_text(header: list[str] | tuple[str, ...], rows: list[list[Any]]) -> str:
    """CSV with a header row, `\\n` line ends; cells are the caller's (already spreadsheet-safe)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def md_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table's lines; every cell through the one Markdown escaper."""
    from qiframe.text import md_escape

    def cell(value: Any) -> str:
        return md_escape(value).strip()

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]


_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape(text: object) -> str:
    """User text made literal inside `Markup` (square brackets that look like tags are escaped)."""

    def backslashes(match: re.Match[str]) -> str:
        slashes, tag = match.groups()
        return f"{slashes}{slashes}\\{tag}"

    text = _MARKUP_TAG.sub(backslashes, str(text))
    return text + "\\" if text.endswith("\\") and not text.endswith("\\\\") else text


# The renderers register themselves when their modules are imported.
from qiframe.render import (  # noqa: E402, F401
    actions,
    analysis,
    check,
    compare,
    evaluation,
    evidence,
    frameworks,
    imports,
    portfolio,
    statement,
    status,
)
