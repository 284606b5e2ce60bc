"""The position statement as Markdown, for review in git (GitHub-flavoured: tables, HTML anchors)."""

from __future__ import annotations

from qiframe.statement import Block, Citation, Statement
from qiframe.text import md_escape

CONTEXT, GRADES, SIGN_OFF, WORDS, EVIDENCE = (
    "Introduction and context",
    "Self-evaluated grades",
    "Sign-off",
    "Word count",
    "Evidence",
)


def _inline(block: Block) -> str:
    out = []
    for part in block.parts:
        if isinstance(part, Citation):
            refs = ", ".join(
                f"[{r.label}](#{r.anchor})" if r.number else md_escape(r.label) for r in part.refs
            )
            out.append(f"\\[{refs}\\]")
        else:
            out.append(md_escape(part))
    return "".join(out).strip()


def _block(block: Block) -> str:
    text = _inline(block)
    if block.kind == "bullet":
        return f"- {text}"
    if block.kind in ("draft", "missing"):
        return f"*{text}*"
    return text


def _blocks(blocks) -> list[str]:
    lines: list[str] = []
    previous = ""
    for block in blocks:
        # A list needs a blank line before it and none between its items.
        if not (block.kind == "bullet" and previous == "bullet"):
            lines.append("")
        lines.append(_block(block))
        previous = block.kind
    return lines


def render(statement: Statement) -> str:
    s = statement
    lines = [f"# {md_escape(s.title)}", ""]
    if s.front.marking:
        lines = [f"**{md_escape(s.front.marking)}**", "", *lines]
    for label, value in (
        ("Organisation", s.organisation),
        ("Programme", s.programme),
        ("Framework", s.framework),
        ("Period", s.period),
        ("Date", s.date),
        ("Version", s.front.version),
    ):
        if value:
            lines.append(f"- **{label}:** {md_escape(value)}")
    if s.wording_note:
        lines += ["", f"*Note on wording:* {md_escape(s.wording_note)}"]
    extra_before = ([(CONTEXT, "context")] if s.front.context else []) + (
        [(GRADES, "grades")] if s.grades else []
    )
    extra_after = [] if s.final else [(WORDS, "word-count")]
    extra_after += [(SIGN_OFF, "sign-off")] if s.front.sign_off else []
    extra_after += [(EVIDENCE, "evidence")] if s.appendix else []
    lines += ["", "## Contents", ""]
    lines += [f"- [{title}](#{anchor})" for title, anchor in extra_before]
    lines += [f"- [{md_escape(sec.heading)}](#{sec.anchor})" for sec in s.sections]
    lines += [f"- [{title}](#{anchor})" for title, anchor in extra_after]
    if s.front.context:
        lines += ["", '<a id="context"></a>', "", f"## {CONTEXT}", *_blocks(s.front.context)]
    if s.grades:
        lines += [
            "",
            '<a id="grades"></a>',
            "",
            f"## {GRADES}",
            "",
            f"| QI | Title | {s.grades_heading} | Rationale |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {md_escape(g.id)} | {md_escape(g.title)} | {md_escape(g.text)} | "
            f"{' '.join(_inline(b) for b in g.rationale)} |"
            for g in s.grades
        ]
    for sec in s.sections:
        lines += ["", f'<a id="{sec.anchor}"></a>', "", f"## {md_escape(sec.heading)}"]
        for part in sec.parts:
            lines += ["", f"### {md_escape(part.heading)}", *_blocks(part.blocks)]
    if not s.final:
        lines += [
            "",
            '<a id="word-count"></a>',
            "",
            f"## {WORDS}",
            "",
            md_escape(s.word_summary),
            "",
            "| Section | Words | Share of the limit |",
            "|---|--:|--:|",
        ]
        lines += [
            f"| {md_escape(sec.heading)} | {sec.words:,} | {f'{sec.share:,.0f}' if sec.share else '–'} |"
            for sec in s.sections
        ]
        lines.append(f"| **Total** | **{s.words:,}** | {f'{s.word_limit:,}' if s.word_limit else '–'} |")
    if s.front.sign_off:
        lines += [
            "",
            '<a id="sign-off"></a>',
            "",
            f"## {SIGN_OFF}",
            "",
            "| Name | Role | Date |",
            "|---|---|---|",
        ]
        lines += [
            f"| {md_escape(p.name)} | {md_escape(p.role)} | {md_escape(p.date)} |" for p in s.front.sign_off
        ]
    if s.appendix:
        first = "File in the evidence pack" if s.pack else "Title"
        lines += [
            "",
            '<a id="evidence"></a>',
            "",
            f"## {EVIDENCE}",
            "",
            f"| Ref | {first} | Kind | Source | Date | Agency | Location |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in s.appendix:
            cells = (
                e.file_name if s.pack else e.evidence.title,
                e.kind,
                e.source,
                e.date,
                e.evidence.agency,
                e.location,
            )
            lines.append(
                f'| <a id="{e.anchor}"></a>{e.label} | ' + " | ".join(md_escape(c) for c in cells) + " |"
            )
    return "\n".join(lines) + "\n"
