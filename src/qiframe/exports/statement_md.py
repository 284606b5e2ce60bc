"""The position statement as Markdown, for review in git (GitHub-flavoured: tables, HTML anchors)."""

from __future__ import annotations

import re

from qiframe.statement import Block, Citation, Statement

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
_LINE_START = re.compile(r"^(#|[-+=](?=\s|$))")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def _line_start(text: str) -> str:
    """Escape what would make a line a heading or a list item."""
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", text))


def escape(text: str) -> str:
    """User text made literal: no emphasis, links, HTML or tables, and no accidental heading or list."""
    return _line_start(_literal(text.strip()))


def _literal(text: str) -> str:
    """Markdown's special characters escaped, runs of white space made one space (a line break in a
    paragraph or table cell would change the layout)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _inline(block: Block) -> str:
    out = []
    for part in block.parts:
        if isinstance(part, Citation):
            refs = ", ".join(f"[{r.label}](#{r.anchor})" if r.number else escape(r.label) for r in part.refs)
            out.append(f"\\[{refs}\\]")
        else:
            out.append(_literal(part))
    return _line_start("".join(out).strip())


def _block(block: Block) -> str:
    text = _inline(block)
    if block.kind == "bullet":
        return f"- {text}"
    if block.kind in ("draft", "missing"):
        return f"*{text}*"
    return text


def render(statement: Statement) -> str:
    s = statement
    lines = [f"# {escape(s.title)}", ""]
    for label, value in (("Organisation", s.organisation), ("Programme", s.programme),
                         ("Framework", s.framework), ("Period", s.period), ("Date", s.date)):
        if value:
            lines.append(f"- **{label}:** {escape(value)}")
    if s.wording_note:
        lines += ["", f"*Note on wording:* {escape(s.wording_note)}"]
    lines += ["", "## Contents", ""]
    lines += [f"- [{escape(sec.heading)}](#{sec.anchor})" for sec in s.sections]
    extra = [("Self-evaluated grades", "grades")] if s.grades else []
    extra += [("Word count", "word-count")] + ([("Evidence", "evidence")] if s.appendix else [])
    lines += [f"- [{title}](#{anchor})" for title, anchor in extra]
    for sec in s.sections:
        lines += ["", f'<a id="{sec.anchor}"></a>', "", f"## {escape(sec.heading)}"]
        for part in sec.parts:
            lines += ["", f"### {escape(part.heading)}"]
            previous = ""
            for block in part.blocks:
                # A list needs a blank line before it and none between its items.
                if not (block.kind == "bullet" and previous == "bullet"):
                    lines.append("")
                lines.append(_block(block))
                previous = block.kind
    if s.grades:
        lines += ["", '<a id="grades"></a>', "", "## Self-evaluated grades", "",
                  f"| Indicator | Title | {s.grades_heading} |", "|---|---|---|"]
        lines += [f"| {escape(g.id)} | {escape(g.title)} | {escape(g.text)} |" for g in s.grades]
    lines += ["", '<a id="word-count"></a>', "", "## Word count", "", escape(s.word_summary), "",
              "| Section | Words | Share of the limit |", "|---|--:|--:|"]
    lines += [f"| {escape(sec.heading)} | {sec.words:,} | {f'{sec.share:,.0f}' if sec.share else '–'} |"
              for sec in s.sections]
    lines.append(f"| **Total** | **{s.words:,}** | {f'{s.word_limit:,}' if s.word_limit else '–'} |")
    if s.appendix:
        lines += ["", '<a id="evidence"></a>', "", "## Evidence", "",
                  "| Ref | Title | Kind | Source | Date | Agency | Location |", "|---|---|---|---|---|---|---|"]
        for e in s.appendix:
            cells = (e.evidence.title, e.kind, e.source, e.date, e.evidence.agency, e.evidence.location)
            lines.append(f'| <a id="{e.anchor}"></a>{e.label} | ' + " | ".join(escape(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"

