"""Lines and columns for check findings, cheap enough to give one for every file of a large register.

Most findings point at a top-level field of a file that qiframe wrote (`date`, `summary`) or at an item of
a top-level list (`indicators[1]`). Those are found by reading the file's lines, which costs microseconds;
anything else (nested fields, flow style, hand-made layouts) comes from the node tree of the C parser,
which carries exact positions at a fraction of the cost of a round-trip load. Each file is read once.
"""

from __future__ import annotations

import os
from typing import Any


class Locator:
    """Positions of values inside the files of one evaluation."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.lines: dict[str, list[str] | None] = {}
        self.nodes: dict[str, Any] = {}

    def locate(self, relpath: str, where: tuple) -> tuple[int | None, int | None]:
        """1-based (line, column) of the value at `where`, or of the deepest part of it that exists."""
        lines = self._lines(relpath)
        if lines is None:
            return None, None
        found = scan(lines, where)
        return found if found is not None else self._parsed(relpath, where)

    def _lines(self, relpath: str) -> list[str] | None:
        if relpath not in self.lines:
            from qiframe import yamlio

            try:
                self.lines[relpath] = yamlio.read_text(os.path.join(self.root, relpath)).splitlines()
            except Exception:  # the file was loaded already; a position is a nicety, never a failure
                self.lines[relpath] = None
        return self.lines[relpath]

    def _parsed(self, relpath: str, where: tuple) -> tuple[int | None, int | None]:
        if relpath not in self.nodes:
            self.nodes[relpath] = compose("\n".join(self.lines[relpath] or ()))
        return walk(self.nodes[relpath], where)


def compose(text: str) -> Any:
    """The C parser's node tree of a YAML text, or None."""
    from ruamel.yaml import YAML

    try:
        return YAML(typ="safe", pure=False).compose(text)
    except Exception:
        return None


def walk(node: Any, where: tuple) -> tuple[int | None, int | None]:
    """Position of the node at `where`, or of the deepest part of the path that exists."""
    if node is None:
        return None, None
    best = (node.start_mark.line + 1, node.start_mark.column + 1)
    for part in where:
        child = None
        if node.tag.endswith(":map"):
            child = next((v for k, v in node.value if k.value == part), None)
        elif node.tag.endswith(":seq") and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        best = (node.start_mark.line + 1, node.start_mark.column + 1)
    return best


def scan(lines: list[str], where: tuple) -> tuple[int, int] | None:
    """Position of a top-level field's value, or of an item of a top-level block list, read from the
    lines; None whenever the layout is not the plain one, so that the parser decides."""
    if not 1 <= len(where) <= 2 or not isinstance(where[0], str):
        return None
    prefix = where[0] + ":"
    hits = [
        i
        for i, line in enumerate(lines)
        if line.startswith(prefix) and (len(line) == len(prefix) or line[len(prefix)] in " \t")
    ]
    if len(hits) != 1:
        return None
    i = hits[0]
    rest = lines[i][len(prefix) :]
    value = rest.lstrip(" ")
    inline = bool(value) and not value.startswith("#")
    if len(where) == 1:
        if inline:
            return i + 1, len(prefix) + len(rest) - len(value) + 1
        j = _next_content(lines, i)
        return (j + 1, _indent(lines[j]) + 1) if j is not None and _indent(lines[j]) > 0 else None
    index = where[1]
    if inline or not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    count, indent, j = -1, None, i
    while (j := _next_content(lines, j)) is not None:
        line = lines[j]
        here = _indent(line)
        if here == 0 and not line.startswith("-"):
            return None
        if indent is None:
            indent = here
        if here == indent and line[here : here + 2] in ("- ", "-"):
            count += 1
            if count == index:
                after = line[here + 1 :]
                item = after.lstrip(" ")
                return (
                    (j + 1, here + 1 + len(after) - len(item) + 1)
                    if item and not item.startswith("#")
                    else None
                )
        elif here < indent:
            return None
    return None


def _next_content(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not stripped.startswith("#"):
            return j
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
