"""How text cites evidence: `[E-k3m9qx]`, or several ids in one pair of brackets.

One pattern for everything that reads citations (the `dangling-reference` and statement rules, the
position statement exporter), so that they can never disagree about what counts as a citation.
"""

from __future__ import annotations

import re

CITATION = re.compile(r"\[\s*(E-[A-Za-z0-9]+(?:\s*[,;]\s*E-[A-Za-z0-9]+)*)\s*\]")
"""A bracketed list of evidence ids separated by commas or semicolons: "[E-k3m9qx; E-7bq2df]"."""

_ID = re.compile(r"E-[A-Za-z0-9]+")


def ids_in(match: re.Match) -> list[str]:
    """The ids inside one CITATION match, as written (for exporters that rewrite citations in place)."""
    return _ID.findall(match.group(1))


def cited_ids(text: str) -> list[str]:
    """The evidence ids the text cites, in order of first citation, each once."""
    seen: dict[str, None] = {}
    for match in CITATION.finditer(text):
        for ident in ids_in(match):
            seen.setdefault(ident, None)
    return list(seen)
