"""Text made safe for the documents qiframe writes: one function for XML-based files, one for Markdown.

Every writer uses these two and no other: the Word documents and Excel workbooks (both XML inside a zip)
and the HTML pages go through `xml_text`, every Markdown renderer through `md_escape`.
"""

from __future__ import annotations

import re

# Characters that end a line in pasted text: a vertical tab is what Word's Shift+Enter becomes, a form feed a
# page break; the rest are Unicode's own line and paragraph separators. They become line breaks.
_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# What XML 1.0 cannot hold at all: C0 controls other than tab and newline, lone surrogates, U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1b\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    """Text a Word, Excel or HTML file can hold: line-ending controls become newlines, other characters
    XML forbids are dropped. Tabs and newlines stay (each writer lays them out its own way)."""
    text = "" if text is None else str(text)
    if text.isprintable():  # the common case: nothing to do
        return text
    return _FORBIDDEN.sub("", _BREAKS.sub("\n", text))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#~!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=])(?=\s|$)")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def md_escape(text: object) -> str:
    """User text made literal in Markdown, in running text and in table cells alike: no emphasis, code,
    links, images, HTML, tables or strike-through, no accidental heading, list or rule, and all white
    space (line breaks too) one space, since a break would end a table row or paragraph."""
    text = re.sub(r"\s+", " ", xml_text(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\1\\\2", text))
