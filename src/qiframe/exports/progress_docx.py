"""The progress report as a Word document in the position statement's house style (the shared Word
layer): landscape A4, a table per indicator whose header row repeats on every page, a RAG status cell
coloured by the rule stated at the top, evidence cited by the statement's numbers, UK dates and page
numbers."""

from __future__ import annotations

from pathlib import Path

from qiframe.exports.files import write_output
from qiframe.exports.progress import RAG_FILLS, RAG_RULE, Report
from qiframe.text import xml_text

HEADERS = ("What we said we would do", "Owner", "Due", "RAG", "Status", "Measure", "What we have done")
WIDTHS_CM = (6.6, 3.4, 2.2, 1.6, 2.4, 4.2, 6.3)  # 26.7 cm between the 1.5 cm margins of landscape A4


def write(report: Report, path: Path) -> None:
    write_output(path, render(report))


def render(report: Report) -> bytes:
    from qiframe import statement
    from qiframe.exports import word

    doc = word.new_document(landscape=True)
    word.paragraph(doc, report.title, "Title")
    if report.organisation:
        word.paragraph(doc, report.organisation, "Subtitle")
    word.paragraph(doc, report.evaluation, bold_label="Evaluation: ")
    word.paragraph(doc, report.as_of_text or report.as_of, bold_label="Position on: ")
    word.paragraph(doc, report.summary)
    word.paragraph(doc, RAG_RULE, word.WORDS_STYLE).alignment = 0
    if report.wording_note:
        word.paragraph(doc, bold_label="Note on wording: ").add_run(
            xml_text(report.wording_note)
        ).italic = True
    for group in report.groups:
        word.heading(doc, group.heading, 2)
        rows, fills = [], {}
        for i, row in enumerate(group.rows):
            a = row.action
            lines = (
                (row.said,)
                + ((f"Answers: {row.improvement}",) if row.improvement else ())
                + ((f"Answers the recommendation {row.answers}",) if row.answers else ())
            )
            said = lines if len(lines) > 1 else lines[0]
            done = row.done or ("Nothing recorded yet.",)
            rows.append(
                (
                    said,
                    a.owner,
                    statement.uk_date(a.due),
                    row.rag or "–",
                    row.status,
                    row.measure,
                    "\n".join(done),
                )
            )
            if row.rag:
                fills[(i, 3)] = RAG_FILLS[row.rag]
        word.table(doc, HEADERS, rows, WIDTHS_CM, fills=fills)
    if report.recommendations:
        word.heading(doc, "By the inspection's recommendations", 2)
        for rec in report.recommendations:
            word.paragraph(doc, bold_label=rec.heading)
            for r in rec.rows:
                word.paragraph(doc, f"{r.action.id} {r.said} ({r.status})", BULLET)
            if not rec.rows:
                word.paragraph(doc, "No action answers it yet.", BULLET)
    if report.charts:
        _run_charts(doc, report)
    title = f"{report.title} – {report.evaluation}"
    word.footer(doc, title)
    return word.finish(doc, title, report.organisation, subject="Improvement plan")


BULLET = "List Bullet"


def _run_charts(doc, report: Report) -> None:
    """Each measure's run chart as an image, with its values, median and the signals found in words."""
    import io

    from docx.shared import Cm

    from qiframe.exports import chart_png, word

    word.heading(doc, "Measures over time", 2)
    for row in report.charts:
        m, chart = row.action.measure, row.chart
        if m is None or chart is None or chart.median is None:
            continue
        word.paragraph(doc, bold_label=f"{row.action.id}: {m.name or row.said}")
        doc.add_picture(io.BytesIO(chart_png.draw(chart, m.target)), width=Cm(16))
        points = ", ".join(f"{d}: {v:g}" for d, v in zip(chart.labels, chart.values, strict=True))
        unit = f" ({m.unit})" if m.unit else ""
        word.paragraph(
            doc,
            f"Values{unit}: {points}. Median {chart.median:g} (dashed grey line)"
            + (f"; target {m.target:g} (dashed green line)" if m.target is not None else "")
            + ". Points in a shift or trend are orange.",
        )
        word.paragraph(doc, chart.summary)
