"""The position statement as one self-contained HTML file: inline CSS, no scripts, fonts or images to
fetch, print styles for A4, and every citation a link to its appendix entry. All user text is escaped."""

from __future__ import annotations

from html import escape as _escape

from qiframe.statement import Block, Citation, Statement
from qiframe.text import xml_text


def escape(text) -> str:
    """User text for an HTML page: characters XML forbids dropped or made line breaks, markup escaped."""
    return _escape(xml_text(text))


CSS = """
:root { --ink: #1d1d1b; --muted: #5b5b57; --rule: #c9c9c4; --accent: #1f4e79; --draft: #fff4c2; }
* { box-sizing: border-box; }
body { font: 11pt/1.5 "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
header.title-page { border-bottom: 3px solid var(--accent); padding-bottom: 1.5rem; margin-bottom: 2rem; }
header.title-page h1 { font-size: 2.1rem; color: var(--accent); margin: 0 0 1rem; }
header.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
header.title-page dt { color: var(--muted); }
header.title-page dd { margin: 0; }
nav ol { padding-left: 1.2rem; }
h2 { color: var(--accent); font-size: 1.45rem; margin: 2.5rem 0 .5rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .3rem; }
p, li { margin: .35rem 0; }
p.draft { background: var(--draft); padding: .2rem .5rem; font-style: italic; }
p.missing { color: #9c2b23; font-style: italic; }
a.ref { color: var(--accent); text-decoration: none; font-size: .9em; }
a.ref:hover { text-decoration: underline; }
p.words { color: var(--muted); font-size: .9em; text-align: right; }
p.marking { text-align: center; font-weight: bold; letter-spacing: .05em; }
td.sign { height: 2.5rem; width: 25%; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92em; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.num, th.num { text-align: right; }
tr:target { background: var(--draft); }
.detail { color: var(--muted); font-size: .88em; }
.location { overflow-wrap: anywhere; }
table.evidence td:first-child { white-space: nowrap; }
table.grades { table-layout: fixed; }
table.grades th:nth-child(1) { width: 3.5rem; } table.grades th:nth-child(2) { width: 11rem; }
table.grades th:nth-child(3) { width: 7rem; }
@page { size: A4; margin: 2cm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  header.title-page { break-after: page; border: none; }
  nav { break-after: page; }
  section.unit { break-before: page; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; }
}
"""


def _inline(block: Block) -> str:
    out = []
    for part in block.parts:
        if isinstance(part, Citation):
            refs = ", ".join(
                f'<a class="ref" href="#{r.anchor}">{escape(r.label)}</a>' if r.number else escape(r.label)
                for r in part.refs
            )
            out.append(f"[{refs}]")
        else:
            out.append(escape(part))
    return "".join(out).strip()


def _blocks(blocks) -> list[str]:
    out: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "bullet" and not in_list:
            out.append("<ul>")
            in_list = True
        elif block.kind != "bullet" and in_list:
            out.append("</ul>")
            in_list = False
        if block.kind == "bullet":
            out.append(f"<li>{_inline(block)}</li>")
        elif block.kind in ("draft", "missing"):
            out.append(f'<p class="{block.kind}">{_inline(block)}</p>')
        else:
            out.append(f"<p>{_inline(block)}</p>")
    if in_list:
        out.append("</ul>")
    return out


def render(statement: Statement) -> str:
    s = statement
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(s.title)}{' – ' + escape(s.organisation) if s.organisation else ''}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="title-page">',
    ]
    if s.front.marking:
        out.append(f'<p class="marking">{escape(s.front.marking)}</p>')
    out += [f"<h1>{escape(s.title)}</h1>", "<dl>"]
    for label, value in (
        ("Organisation", s.organisation),
        ("Programme", s.programme),
        ("Framework", s.framework),
        ("Period", s.period),
        ("Date", s.date),
        ("Version", s.front.version),
    ):
        if value:
            out.append(f"<dt>{label}</dt><dd>{escape(value)}</dd>")
    before = ([("context", "Introduction and context")] if s.front.context else []) + (
        [("grades", "Self-evaluated grades")] if s.grades else []
    )
    after = [] if s.final else [("word-count", "Word count")]
    after += [("sign-off", "Sign-off")] if s.front.sign_off else []
    after += [("evidence", "Evidence")] if s.appendix else []
    out.append("</dl>")
    if s.wording_note:
        out.append(f'<p class="wording-note"><strong>Note on wording:</strong> {escape(s.wording_note)}</p>')
    out += ["</header>", '<nav aria-label="Contents">', "<h2>Contents</h2>", "<ol>"]
    out += [f'<li><a href="#{a}">{t}</a></li>' for a, t in before]
    out += [f'<li><a href="#{sec.anchor}">{escape(sec.heading)}</a></li>' for sec in s.sections]
    out += [f'<li><a href="#{a}">{t}</a></li>' for a, t in after]
    out += ["</ol>", "</nav>"]
    if s.front.context:
        out += [
            '<section id="context">',
            "<h2>Introduction and context</h2>",
            *_blocks(s.front.context),
            "</section>",
        ]
    if s.grades:
        out += [
            '<section id="grades">',
            "<h2>Self-evaluated grades</h2>",
            '<table class="grades">',
            f"<thead><tr><th>QI</th><th>Title</th><th>{s.grades_heading}</th><th>Rationale</th></tr></thead>",
            "<tbody>",
        ]
        out += [
            f"<tr><td>{escape(g.id)}</td><td>{escape(g.title)}</td><td>{escape(g.text)}</td>"
            f"<td>{' '.join(_inline(b) for b in g.rationale)}</td></tr>"
            for g in s.grades
        ]
        out += ["</tbody>", "</table>", "</section>"]
    for sec in s.sections:
        out += [f'<section class="unit" id="{sec.anchor}">', f"<h2>{escape(sec.heading)}</h2>"]
        for part in sec.parts:
            out.append(f"<h3>{escape(part.heading)}</h3>")
            out += _blocks(part.blocks)
        if not s.final:
            share = f" (share of the limit: {sec.share:,.0f})" if sec.share else ""
            out.append(f'<p class="words">{sec.words:,} words{share}</p>')
        out.append("</section>")
    if not s.final:
        out += [
            '<section id="word-count">',
            "<h2>Word count</h2>",
            f"<p>{escape(s.word_summary)}</p>",
            "<table>",
            '<thead><tr><th>Section</th><th class="num">Words</th><th class="num">Share of the limit</th></tr>'
            "</thead>",
            "<tbody>",
        ]
        out += [
            f'<tr><td>{escape(sec.heading)}</td><td class="num">{sec.words:,}</td>'
            f'<td class="num">{f"{sec.share:,.0f}" if sec.share else "–"}</td></tr>'
            for sec in s.sections
        ]
        out += [
            f'<tr><th>Total</th><th class="num">{s.words:,}</th>'
            f'<th class="num">{f"{s.word_limit:,}" if s.word_limit else "–"}</th></tr>',
            "</tbody>",
            "</table>",
            "</section>",
        ]
    if s.front.sign_off:
        out += [
            '<section id="sign-off">',
            "<h2>Sign-off</h2>",
            "<table>",
            "<thead><tr><th>Name</th><th>Role</th><th>Date</th><th>Signature</th></tr></thead>",
            "<tbody>",
        ]
        out += [
            f"<tr><td>{escape(p.name)}</td><td>{escape(p.role)}</td><td>{escape(p.date)}</td>"
            '<td class="sign"></td></tr>'
            for p in s.front.sign_off
        ]
        out += ["</tbody>", "</table>", "</section>"]
    if s.appendix:
        first = "File in the evidence pack" if s.pack else "Evidence and location"
        out += [
            '<section id="evidence">',
            "<h2>Evidence</h2>",
            '<table class="evidence">',
            f"<thead><tr><th>Ref</th><th>{first}</th><th>Kind and source</th><th>Date</th>"
            "<th>Agency</th></tr></thead>",
            "<tbody>",
        ]
        for e in s.appendix:
            where = f'<br><span class="detail location">{escape(e.location)}</span>' if e.location else ""
            name = e.file_name if s.pack else e.evidence.title
            out.append(
                f'<tr id="{e.anchor}"><td>{e.label}</td><td>{escape(name)}{where}</td>'
                f'<td>{escape(e.kind)}<br><span class="detail">{escape(e.source)}</span></td>'
                f"<td>{escape(e.date)}</td><td>{escape(e.evidence.agency)}</td></tr>"
            )
        out += ["</tbody>", "</table>", "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
