"""Notices for the user that are not errors: a recovered write, skipped conflict copies, a wait for the lock.

Core code never prints. It calls `notify`; the CLI installs a handler that writes one `qiframe: warning:`
line to stderr, and each distinct notice is given once per command. Without a handler (qiframe used as a
library) notices become Python warnings.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable


class QiframeNotice(UserWarning):
    """A notice raised as a Python warning when no handler is installed."""


_handler: Callable[[str], None] | None = None
_given: set[str] = set()


def set_handler(handler: Callable[[str], None] | None) -> None:
    """Send notices to `handler` (None: Python warnings), and start a fresh command: every notice may be
    given again once."""
    global _handler
    _handler = handler
    _given.clear()


def notify(message: str) -> None:
    """Tell the user something once per command."""
    if message in _given:
        return
    _given.add(message)
    if _handler is None:
        warnings.warn(message, QiframeNotice, stacklevel=2)
    else:
        _handler(message)
