"""The progress report as an Excel sheet: one row per action, ready to filter and to print.

Every piece of user text is written as a text cell, so a title starting with "=" stays words and never
becomes a formula; measure values are numbers and dates are dates (shown as UK dates), so they sort and
filter properly. The sheet prints on A4 landscape, one page wide, with its header row on every page, a
footer naming the sheet, the evaluation and the page, and rows tall enough for their wrapped text. The
RAG column is coloured by the rule stated under the table.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from qiframe.exports.files import write_output
from qiframe.exports.progress import RAG_FILLS, RAG_RULE, Report
from qiframe.text import xml_text

COLUMNS = (  # header, width in characters
    ("Indicator", 10),
    ("Indicator title", 28),
    ("Area for improvement", 36),
    ("What we said we would do", 40),
    ("Action id", 11),
    ("Owner", 22),
    ("Due", 11),
    ("RAG", 8),
    ("Status", 14),
    ("Measure", 28),
    ("Unit", 7),
    ("Baseline", 9),
    ("Target", 9),
    ("Current", 9),
    ("As of", 11),
    ("What we have done", 60),
    ("Answers recommendation", 36),
    ("Run-chart signals", 40),
)
MAX_CELL = 32_767
"""Most characters Excel holds in one cell; longer text makes it offer to repair the file."""
DATE_FORMAT = "dd/mm/yyyy"


def write(report: Report, path: Path) -> None:
    write_output(path, render(report))


def render(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    from qiframe.exports import sheets

    wb = Workbook()
    ws = wb.active
    ws.title = "Progress"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    body = sheets.font()
    for col, (header, width) in enumerate(COLUMNS, 1):
        cell = _text(ws.cell(1, col), header)
        cell.font, cell.fill, cell.alignment = sheets.font(bold=True), header_fill, wrap
        ws.column_dimensions[get_column_letter(col)].width = width
    r = 1
    for group in report.groups:
        for row in group.rows:
            r += 1
            a, m = row.action, row.action.measure
            values = (
                group.indicator,
                group.title,
                row.improvement,
                row.said,
                a.id,
                a.owner,
                _date(a.due),
                row.rag,
                row.status,
                m.name if m else "",
                m.unit if m else "",
                m.baseline if m else None,
                m.target if m else None,
                m.current if m else None,
                _date(m.as_of) if m else None,
                "\n".join(row.done),
                row.answers,
                row.chart.summary if row.chart is not None else "",
            )
            for col, value in enumerate(values, 1):
                cell = ws.cell(r, col)
                if isinstance(value, str):
                    if value:
                        _text(cell, value)
                elif value is not None:
                    cell.value = value
                    if isinstance(value, dt.date):
                        cell.number_format = DATE_FORMAT
                cell.alignment = wrap
                cell.font = body
            if row.rag:
                ws.cell(r, 8).fill = PatternFill("solid", fgColor=RAG_FILLS[row.rag])
                ws.cell(r, 8).font = sheets.font(bold=True)
            wrapped = [(v, COLUMNS[i][1]) for i, v in enumerate(values) if isinstance(v, str)]
            height = sheets.height(wrapped)
            if height:
                ws.row_dimensions[r].height = height
    header_height = sheets.height([(h, w) for h, w in COLUMNS])
    if header_height:
        ws.row_dimensions[1].height = header_height
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(r, 1)}"
    note = ws.cell(r + 2, 1)
    _text(note, f"RAG status. {RAG_RULE}").font = sheets.font(italic=True)
    if report.wording_note:
        _text(ws.cell(r + 3, 1), f"Note on wording: {report.wording_note}").font = sheets.font(italic=True)
    sheets.print_ready(ws, report.evaluation, "1:1", landscape=True)
    if report.recommendations:
        _recommendations(wb, report)
    if report.charts:
        _run_charts(wb, report)
    buf = io.BytesIO()
    wb.save(buf)
    return sheets.ignore_number_as_text(buf.getvalue())


def _recommendations(wb, report: Report) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from qiframe.exports import sheets

    ws = wb.create_sheet("Recommendations")
    headers = (
        ("Recommendation", 12),
        ("Indicators", 12),
        ("What the inspection said", 50),
        ("Action id", 11),
        ("Action", 45),
        ("Status", 20),
    )
    for col, (header, width) in enumerate(headers, 1):
        _text(ws.cell(1, col), header).font = sheets.font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    r = 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for rec in report.recommendations:
        for row in rec.rows or (None,):
            r += 1
            values = (
                rec.finding.id,
                ", ".join(rec.finding.indicators),
                rec.finding.text,
                row.action.id if row else "",
                row.said if row else "No action answers it yet.",
                row.status if row else "",
            )
            for col, value in enumerate(values, 1):
                if value:
                    _text(ws.cell(r, col), value).alignment = wrap
    sheets.print_ready(ws, report.evaluation, "1:1", landscape=True)


def _run_charts(wb, report: Report) -> None:
    """One block per measure: its dated values and median as a table, and a line chart of both."""
    from openpyxl.chart import LineChart, Reference

    from qiframe.exports import sheets

    ws = wb.create_sheet("Run charts")
    ws.column_dimensions["A"].width = 12
    top = 1
    for row in report.charts:
        chart_data, m = row.chart, row.action.measure
        if m is None or chart_data is None:
            continue
        name = m.name or row.said
        _text(ws.cell(top, 1), f"{row.action.id}: {name}").font = sheets.font(bold=True)
        _text(ws.cell(top + 1, 1), chart_data.summary)
        head = top + 2
        for col, header in enumerate(("Date", f"Value ({m.unit})" if m.unit else "Value", "Median"), 1):
            _text(ws.cell(head, col), header).font = sheets.font(bold=True)
        for k, (label, value) in enumerate(zip(chart_data.labels, chart_data.values, strict=True), 1):
            _text(ws.cell(head + k, 1), label)
            ws.cell(head + k, 2, value)
            ws.cell(head + k, 3, chart_data.median)
        last = head + len(chart_data.values)
        chart = LineChart()
        chart.title = _chart_title(name)
        chart.y_axis.title = m.unit or "Value"
        chart.x_axis.title = "Date"
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=head, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
        chart.series[0].marker.symbol = "circle"
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        chart.series[1].marker.symbol = "none"
        chart.height, chart.width = 7.5, 16
        ws.add_chart(chart, f"E{head}")
        top = max(last, head + 15) + 2
    sheets.print_ready(ws, report.evaluation, None, landscape=True)


def _chart_title(text: str) -> str:
    text = xml_text(" ".join(text.split()))
    return text if len(text) <= 80 else text[:79] + "…"


def _text(cell, value: str):
    """A text cell whatever the text looks like (never a formula, never a number)."""
    value = xml_text(value)
    if len(value) > MAX_CELL:
        value = value[: MAX_CELL - 1] + "…"
    cell.value = value
    cell.data_type = "s"
    return cell


def _date(text: str) -> dt.date | str | None:
    """A real date for Excel, or the text as written when it is not a valid one."""
    if not text:
        return None
    from qiframe import periods

    return periods.parse_date(text) or text
