"""Errors that reach the user as one clear line.

The CLI's error boundary turns a `QiframeError` into its message and exit code; anything else is a bug
(exit 3). Core functions raise these and never print.
"""

from __future__ import annotations

import os


class QiframeError(Exception):
    """An expected failure, shown to the user without a traceback."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        path: str | os.PathLike | None = None,
        line: int | None = None,
        column: int | None = None,
        options: tuple[str, ...] = (),
    ) -> None:
        self.template = message
        self.options = tuple(options)
        self.message = self.said(lambda name: name)
        super().__init__(self.message)
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.column = column

    def __reduce__(self):
        # Rebuilt from what it was made of (not only its message) when a worker process sends it back.
        return (type(self), (self.template, self.path, self.line, self.column, self.options))

    def said(self, spell) -> str:
        """The message with each of its `options` (the core's parameters it concerns, written `{name}` in
        it) spelled by the front end: `--by` on the command line, the field's label on a page. The core
        names its parameters, never a command-line flag."""
        text = self.template
        for name in self.options:
            text = text.replace("{" + name + "}", spell(name))
        return text

    def __str__(self) -> str:
        return self.location_prefix() + self.message

    def location_prefix(self) -> str:
        if self.path is None:
            return ""
        parts = [display_path(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts) + ": "


class InputError(QiframeError):
    """Bad input or usage: a file, an option or an argument the user can fix (exit 2)."""


class NotFound(InputError):
    """Something named does not exist: an indicator, an evidence id, a framework."""


class LockTimeout(QiframeError):
    """Another qiframe command holds the evaluation's lock for too long."""

    exit_code = 2


def display_path(path: str | os.PathLike) -> str:
    """A path relative to the current folder when it is below it, so messages stay short and portable."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except (ValueError, OSError):  # another drive, or the current folder has been deleted
        return text
    return text if rel.startswith("..") else rel


class Stale(InputError):
    """A file changed after the page or workbook that would change it was made from it."""
