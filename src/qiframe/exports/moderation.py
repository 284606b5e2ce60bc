"""The moderation pack: what a moderation meeting reads before it agrees each grade.

Per graded indicator (or suite): the evaluators' proposals side by side, each with its reasons, strengths
and areas for improvement; the evidence grouped by triangulation source, numbered as in the position
statement; whether it is triangulated (and the rule used); the framework's scale with each level's
descriptor and any illustrations the framework gives for the indicator; and an empty decision box. One
model rendered to Word (landscape A4, through the shared Word layer) or to a self-contained HTML page.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from qiframe import model
from qiframe.errors import InputError

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence item as the pack lists it."""

    ref: str
    """Its statement number (E07) if it has one, else its id."""
    title: str
    kind: str
    date: str
    agency: str


@dataclass(frozen=True)
class SourceGroup:
    """The evidence of one triangulation source."""

    source: str
    """The source's label ("people's views")."""
    counts: bool
    """Whether it counts towards triangulation (documentation does not)."""
    items: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class LevelRow:
    """One level of the scale, with the framework's illustration for this indicator at that level."""

    value: int
    label: str
    descriptor: str
    illustration: str


@dataclass(frozen=True)
class IndicatorPack:
    """Everything the meeting needs for one indicator or suite."""

    id: str
    title: str
    agreed: str
    """The grade recorded so far ("Good (4)"), or "" when none."""
    status: str
    proposals: tuple[model.Proposal, ...]
    proposal_labels: tuple[str, ...]
    """Each proposal's grade in words ("Good (4)")."""
    sources: tuple[SourceGroup, ...]
    triangulated: bool
    triangulation: str
    """The triangulation in one sentence, stating the rule."""
    levels: tuple[LevelRow, ...]

    @property
    def heading(self) -> str:
        return f"{self.id} – {self.title}"


@dataclass(frozen=True)
class ModerationPack:
    title: str
    evaluation: str
    organisation: str
    date: str
    indicators: tuple[IndicatorPack, ...]


@dataclass(frozen=True)
class Written:
    path: str
    indicators: int
    proposals: int


def build(evaluation: model.Evaluation, only: tuple[str, ...] = (), today: str = "") -> ModerationPack:
    """The pack for the graded indicators (the programme's, else every assessed one), or those in `only`."""
    import datetime as dt

    from qiframe import statement, store

    wanted = [store.assessment_id(evaluation, q) for q in only]
    programme = evaluation.programme
    subjects = (
        wanted
        or list(programme.graded if programme else ())
        or [i for i in evaluation.framework.indicators if i in evaluation.assessments]
    )
    numbers = (
        dict(statement.build_statement(evaluation, grades=True).numbers)
        if evaluation.programme and evaluation.programme.units
        else {}
    )
    scale = evaluation.framework.scale
    threshold = evaluation.triangulation_threshold
    packs = []
    for ident in subjects:
        a = evaluation.assessments.get(ident) or model.Assessment(ident)
        suite = programme.suite(ident) if programme else None
        covered = {ident, *(suite.indicators if suite else ())}
        items = [e for e in evaluation.evidence.values() if covered & set(e.indicators)]
        items = [e for e in items if not e.personal_data]
        groups = []
        for source in model.SOURCES:
            lines = tuple(
                EvidenceLine(
                    statement.evidence_label(numbers[e.id]) if e.id in numbers else e.id,
                    e.title,
                    e.kind.replace("-", " "),
                    statement.uk_date(e.date),
                    e.agency,
                )
                for e in sorted(items, key=lambda e: (e.date, e.title))
                if e.source == source
            )
            groups.append(SourceGroup(model.SOURCE_LABELS[source], source in model.TRIANGULATING, lines))
        present = [g.source for g in groups if g.counts and g.items]
        triangulated = len(present) >= threshold
        rule = (
            f"Rule: at least {threshold} of the {len(model.TRIANGULATING)} sources quantitative data, "
            "people's views and direct observation (documentation does not count)."
        )
        said = (
            f"{'Triangulated' if triangulated else 'Not triangulated'}: evidence from "
            f"{len(present)} source{'s' if len(present) != 1 else ''}"
            f"{' (' + ', '.join(present) + ')' if present else ''}. {rule}"
        )
        indicator = evaluation.framework.indicators.get(ident)
        illustrations = dict(indicator.illustrations) if indicator else {}
        levels = tuple(
            LevelRow(lv.value, lv.label, lv.descriptor, illustrations.get(lv.value, ""))
            for lv in scale.levels
        )
        level = scale.level(a.grade) if a.grade is not None else None
        proposals = tuple(
            dataclasses.replace(
                p,
                rationale=numbered(p.rationale, numbers),
                strengths=tuple(numbered(t, numbers) for t in p.strengths),
                improvements=tuple(numbered(t, numbers) for t in p.improvements),
            )
            for p in a.proposed
        )
        packs.append(
            IndicatorPack(
                ident,
                evaluation.title_of(ident) or ident,
                f"{level.label} ({level.value})" if level else "",
                a.status.replace("-", " "),
                proposals,
                tuple(_level_text(scale, p.grade) for p in a.proposed),
                tuple(groups),
                triangulated,
                said,
                levels,
            )
        )
    meta = evaluation.metadata
    return ModerationPack(
        "Moderation pack",
        meta.title,
        meta.organisation,
        statement.long_date(today or dt.date.today().isoformat()),
        tuple(packs),
    )


def numbered(text: str, numbers: dict[str, int]) -> str:
    """Text with each cited evidence id replaced by its statement number where it has one."""
    from qiframe import citations
    from qiframe.statement import evidence_label

    def one(match) -> str:
        ids = citations.ids_in(match)
        return "[" + ", ".join(evidence_label(numbers[i]) if i in numbers else i for i in ids) + "]"

    return citations.CITATION.sub(one, text or "")


def _level_text(scale: model.Scale, value: int) -> str:
    level = scale.level(value)
    return f"{level.label} ({level.value})" if level else str(value)


def export(
    evaluation: model.Evaluation, output: str | os.PathLike, only: tuple[str, ...] = (), today: str = ""
) -> Written:
    """Write the pack to .docx or .html (atomically)."""
    from qiframe.exports.files import check_output, write_output

    fmt = check_output(output, FORMATS, "the moderation pack")
    pack = build(evaluation, only, today)
    if not pack.indicators:
        raise InputError(
            "nothing to moderate: no graded indicators, and no assessments yet (give {qi})", options=("qi",)
        )
    data = render_docx(pack) if fmt == "docx" else render_html(pack).encode("utf-8")
    write_output(output, data)
    return Written(
        os.fspath(Path(output)), len(pack.indicators), sum(len(i.proposals) for i in pack.indicators)
    )


# --- Word -----------------------------------------------------------------------------------------------

DECISION_ROWS = (
    "Agreed grade",
    "Reasons for the agreed grade",
    "Strengths to record",
    "Areas for improvement to record",
    "Agreed by and date",
)


def render_docx(pack: ModerationPack) -> bytes:
    from docx.shared import Cm

    from qiframe.exports import word

    doc = word.new_document(landscape=True)
    word.paragraph(doc, pack.title, "Title")
    if pack.organisation:
        word.paragraph(doc, pack.organisation, "Subtitle")
    word.paragraph(doc, pack.evaluation, bold_label="Evaluation: ")
    word.paragraph(doc, pack.date, bold_label="Prepared: ")
    word.paragraph(
        doc,
        f"{len(pack.indicators)} indicator{'s' if len(pack.indicators) != 1 else ''} to moderate: "
        + ", ".join(i.id for i in pack.indicators)
        + ".",
    )
    width = 26.7
    for ind in pack.indicators:
        word.heading(doc, ind.heading, 1, page_break=True)
        word.paragraph(
            doc, f"{ind.agreed or 'none yet'}; status {ind.status}.", bold_label="Grade recorded: "
        )
        word.heading(doc, "Proposed grades", 2)
        if ind.proposals:
            n = len(ind.proposals)
            first = 4.2
            col = (width - first) / n
            header = ("", *(p.by for p in ind.proposals))
            rows = [
                ("Proposed grade", *ind.proposal_labels),
                ("Date", *(_long(p.date) for p in ind.proposals)),
                ("Reasons", *(p.rationale or "–" for p in ind.proposals)),
                ("Strengths", *(_bullets(p.strengths) for p in ind.proposals)),
                ("Areas for improvement", *(_bullets(p.improvements) for p in ind.proposals)),
            ]
            word.table(doc, header, rows, (first, *([col] * n)))
        else:
            word.paragraph(doc, "No proposals recorded (qiframe grade QI LEVEL --by NAME).")
        word.heading(doc, "Evidence by source", 2)
        word.paragraph(doc, ind.triangulation)
        rows = []
        for group in ind.sources:
            label = group.source.capitalize() + ("" if group.counts else " (does not count)")
            if not group.items:
                rows.append((label, "–", "None", "", "", ""))
            for i, e in enumerate(group.items):
                rows.append((label if i == 0 else "", e.ref, e.title, e.kind, e.date, e.agency))
        word.table(
            doc,
            ("Source", "Ref", "Evidence", "Kind", "Date", "Agency"),
            rows,
            (4.2, 2.2, 10.3, 3.5, 2.5, 4.0),
        )
        word.heading(doc, "The scale", 2)
        with_illustrations = any(lv.illustration for lv in ind.levels)
        if with_illustrations:
            rows = [(str(lv.value), lv.label, lv.descriptor, lv.illustration) for lv in ind.levels]
            word.table(
                doc,
                ("Level", "Label", "Descriptor", "Illustration for this indicator"),
                rows,
                (1.6, 3.4, 7.0, 14.7),
            )
        else:
            rows = [(str(lv.value), lv.label, lv.descriptor) for lv in ind.levels]
            word.table(doc, ("Level", "Label", "Descriptor"), rows, (1.6, 4.0, 21.1))
        word.heading(doc, "Decision", 2)
        table = word.table(
            doc, ("Agreed at moderation", ""), [(r, "") for r in DECISION_ROWS], (6.0, 20.7), small=False
        )
        for row, name in zip(table.rows[1:], DECISION_ROWS, strict=True):
            row.height = Cm(3.0 if name.startswith(("Reasons", "Strengths", "Areas")) else 1.2)
    word.footer(doc, f"{pack.title} – {pack.evaluation}")
    return word.finish(doc, f"{pack.title} – {pack.evaluation}", pack.organisation, subject="Moderation")


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"• {t}" for t in items) if items else "–"


def _long(iso: str) -> str:
    from qiframe.statement import long_date

    return long_date(iso) if iso else ""


# --- HTML -----------------------------------------------------------------------------------------------

CSS = """
body { font: 10.5pt/1.45 "Segoe UI", Arial, Helvetica, sans-serif; color: #1d1d1b; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { color: #1f4e79; } h2 { color: #1f4e79; border-bottom: 1px solid #c9c9c4; margin-top: 2.5rem; }
h3 { margin: 1.2rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; table-layout: fixed; }
th, td { border: 1px solid #a6a6a6; padding: .3rem .45rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #dce6f1; }
td.box { height: 4rem; }
ul { margin: 0; padding-left: 1.1rem; }
@page { size: A4 landscape; margin: 1.5cm; }
@media print { main { max-width: none; padding: 0; } section.indicator { break-before: page; }
  thead { display: table-header-group; } tr { break-inside: avoid; } h2, h3 { break-after: avoid; } }
"""


def render_html(pack: ModerationPack) -> str:
    from html import escape as _escape

    from qiframe.text import xml_text

    def esc(text) -> str:
        return _escape(xml_text(text))

    def items(values) -> str:
        return "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul>" if values else "–"

    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(pack.title)} – {esc(pack.evaluation)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(pack.title)}</h1>",
        f"<p><strong>{esc(pack.organisation)}</strong><br>{esc(pack.evaluation)}<br>Prepared {esc(pack.date)}</p>",
    ]
    for ind in pack.indicators:
        out += [
            f'<section class="indicator" id="qi-{esc(ind.id)}">',
            f"<h2>{esc(ind.heading)}</h2>",
            f"<p><strong>Grade recorded:</strong> {esc(ind.agreed or 'none yet')}; status {esc(ind.status)}.</p>",
            "<h3>Proposed grades</h3>",
        ]
        if ind.proposals:
            out.append(
                "<table><thead><tr><th></th>"
                + "".join(f"<th>{esc(p.by)}</th>" for p in ind.proposals)
                + "</tr></thead><tbody>"
            )
            rows = [
                ("Proposed grade", [esc(t) for t in ind.proposal_labels]),
                ("Date", [esc(_long(p.date)) for p in ind.proposals]),
                ("Reasons", [esc(p.rationale or "–") for p in ind.proposals]),
                ("Strengths", [items(p.strengths) for p in ind.proposals]),
                ("Areas for improvement", [items(p.improvements) for p in ind.proposals]),
            ]
            out += [
                f"<tr><th>{label}</th>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                for label, cells in rows
            ]
            out.append("</tbody></table>")
        else:
            out.append("<p>No proposals recorded.</p>")
        out += [
            "<h3>Evidence by source</h3>",
            f"<p>{esc(ind.triangulation)}</p>",
            "<table><thead><tr><th>Source</th><th>Ref</th><th>Evidence</th><th>Kind</th><th>Date</th>"
            "<th>Agency</th></tr></thead><tbody>",
        ]
        for group in ind.sources:
            label = esc(group.source.capitalize() + ("" if group.counts else " (does not count)"))
            if not group.items:
                out.append(f"<tr><td>{label}</td><td>–</td><td>None</td><td></td><td></td><td></td></tr>")
            for i, e in enumerate(group.items):
                out.append(
                    f"<tr><td>{label if i == 0 else ''}</td><td>{esc(e.ref)}</td><td>{esc(e.title)}</td>"
                    f"<td>{esc(e.kind)}</td><td>{esc(e.date)}</td><td>{esc(e.agency)}</td></tr>"
                )
        out += [
            "</tbody></table>",
            "<h3>The scale</h3>",
            "<table><thead><tr><th>Level</th><th>Label</th><th>Descriptor</th><th>Illustration</th></tr>"
            "</thead><tbody>",
        ]
        out += [
            f"<tr><td>{lv.value}</td><td>{esc(lv.label)}</td><td>{esc(lv.descriptor)}</td>"
            f"<td>{esc(lv.illustration)}</td></tr>"
            for lv in ind.levels
        ]
        out += ["</tbody></table>", "<h3>Decision</h3>", "<table><tbody>"]
        out += [f'<tr><th style="width:25%">{name}</th><td class="box"></td></tr>' for name in DECISION_ROWS]
        out += ["</tbody></table>", "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
