"""Text from files made safe before it reaches a terminal, and long values kept short in messages.

Every text renderer of the CLI passes text that came from a file (titles, names, notes, messages that
quote them) through `terminal_safe`, so a title holding `ESC ] 0 ; … BEL` cannot retitle the window,
clear the screen or hide what is printed. `bounded` keeps one message well under 2 KB even when it quotes
a 100 KB value.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 1000
"""Most characters of one error message; the middle of a longer one is cut."""

# C0 controls except tab and newline, DEL, C1 controls (U+0080-U+009F, which include CSI and NEL), and the
# Unicode line and paragraph separators and bidirectional overrides, which reorder or break lines.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with control characters shown as visible escapes (ESC becomes `\\x1b`): nothing printed can
    move the cursor, change the window title or colours, or clear the screen."""
    if not isinstance(text, str):
        text = str(text)
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text`, or its beginning and end around a note of how much was left out when it is longer."""
    if len(text) <= limit:
        return text
    keep = limit // 2 - 20
    return f"{text[:keep]}… [{len(text) - 2 * keep:,} characters left out] …{text[-keep:]}"


def short(value: object, most: int = 60) -> str:
    """A value quoted for a message (its repr), cut to `most` characters."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"
