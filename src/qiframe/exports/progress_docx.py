"""The progress report as a Word document: one table, landscape A4, its header row repeated on every page."""

from __future__ import annotations

import io
from pathlib import Path

from qiframe import yamlio
from qiframe.exports.progress import Report, clean

HEADERS = ("Indicator", "What we said we would do", "Owner", "Due", "Status", "Measure", "What we have done")
WIDTHS_MM = (32, 66, 26, 23, 22, 44, 54)  # sums to the 267 mm between 15 mm margins of landscape A4


def write(report: Report, path: Path) -> None:
    yamlio.atomic_write_bytes(path, render(report))


def render(report: Report) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    doc.styles["Normal"].font.size = Pt(10)

    doc.add_heading(clean(report.title), level=1)
    about = report.evaluation + (f" — {report.organisation}" if report.organisation else "")
    doc.add_paragraph(clean(about))
    doc.add_paragraph(clean(f"Position on {report.as_of}. {report.summary}"))
    if report.wording_note:
        note = doc.add_paragraph()
        note.add_run("Note on wording: ").bold = True
        note.add_run(clean(report.wording_note)).italic = True

    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.autofit = False
    # Word reads the cell widths, LibreOffice the grid's column widths: set both.
    for column, width in zip(table.columns, WIDTHS_MM, strict=True):
        column.width = Mm(width)
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text, width in zip(header.cells, HEADERS, WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(text).bold = True
    for group in report.groups:
        for row in group.rows:
            cells = table.add_row().cells
            a = row.action
            values = (group.heading, None, a.owner, a.due, row.status, row.measure, None)
            for cell, value, width in zip(cells, values, WIDTHS_MM, strict=True):
                cell.width = Mm(width)
                if value is not None:
                    cell.text = clean(value)
            said = cells[1].paragraphs[0]
            said.add_run(clean(row.said))
            if row.improvement:
                cells[1].add_paragraph().add_run(clean(f"Answers: {row.improvement}")).italic = True
            _lines(cells[6], row.done or ("Nothing recorded yet.",))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _lines(cell, lines) -> None:
    """One paragraph per line, so each progress note starts on its own line in Word."""
    cell.paragraphs[0].add_run(clean(lines[0]))
    for line in lines[1:]:
        cell.add_paragraph(clean(line))


def _repeat_as_header(row) -> None:
    """Mark a row as the table's header, which Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
