"""Grades over time as a workbook: the table of grades per year, and a line chart of them.

The chart plots each indicator's position on its year's scale (1 for the lowest level), so it works for a
scale of any size; the Scale table beside it says which label each position stands for. Every piece of
text is written as a text cell, never a formula.
"""

from __future__ import annotations

import io
from pathlib import Path

from qiframe.compare.trend import Trend
from qiframe.exports.files import write_output
from qiframe.text import xml_text as clean


def write(trend: Trend, path: Path) -> None:
    write_output(path, render(trend))


def render(trend: Trend) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Trend"
    headers = ["Indicator", "Title"] + [y.label for y in trend.years] + ["Changes (positions)"]
    for col, text in enumerate(headers, 1):
        _text(ws.cell(1, col), text).font = Font(bold=True)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 40
    for k in range(len(trend.years)):
        ws.column_dimensions[get_column_letter(3 + k)].width = 16
    for r, row in enumerate(trend.rows, 2):
        _text(ws.cell(r, 1), row.id)
        _text(ws.cell(r, 2), row.title)
        for k, p in enumerate(row.points):
            if p.grade is not None:
                _text(ws.cell(r, 3 + k), f"{p.grade} {p.label}".strip() + (" (carried)" if p.carried else ""))
        moves = ", ".join("?" if c is None else f"{c:+d}" for c in row.changes)
        _text(ws.cell(r, 3 + len(trend.years)), moves)
    ws.freeze_panes = "C2"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    # The chart's data: one row per year, one column per indicator, positions as numbers.
    data = wb.create_sheet("Chart data")
    _text(data.cell(1, 1), "Year").font = Font(bold=True)
    for k, year in enumerate(trend.years, 2):
        _text(data.cell(k, 1), year.label)
    for c, row in enumerate(trend.rows, 2):
        _text(data.cell(1, c), row.id).font = Font(bold=True)
        for k, p in enumerate(row.points, 2):
            if p.position is not None:
                data.cell(k, c, p.position)
    scale_col = len(trend.rows) + 3
    _text(data.cell(1, scale_col), "Position").font = Font(bold=True)
    _text(data.cell(1, scale_col + 1), "Level").font = Font(bold=True)
    for position, label in enumerate(trend.levels, 1):
        data.cell(position + 1, scale_col, position)
        _text(data.cell(position + 1, scale_col + 1), label)

    if trend.rows:
        chart = LineChart()
        chart.title = "Grades over time (position on the scale)"
        chart.y_axis.title = (
            "Position on the scale (1 = " + clean(trend.levels[0]) + ")" if trend.levels else "Position"
        )
        chart.x_axis.title = "Evaluation"
        chart.y_axis.scaling.min = 1
        chart.y_axis.scaling.max = max(len(trend.levels), 2)
        chart.y_axis.majorUnit = 1
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        values = Reference(
            data, min_col=2, max_col=len(trend.rows) + 1, min_row=1, max_row=len(trend.years) + 1
        )
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=len(trend.years) + 1))
        for series in chart.series:
            series.marker.symbol = "circle"
            series.smooth = False
        chart.height, chart.width = 9, 17
        ws.add_chart(chart, f"A{len(trend.rows) + 4}")
        # The scale beside the chart, so a reader can turn positions into labels.
        top = len(trend.rows) + 4
        at = 3 + len(trend.years)  # the Changes column, right of the chart
        _text(ws.cell(top, at), "Position").font = Font(bold=True)
        _text(ws.cell(top, at + 1), "Level").font = Font(bold=True)
        for position, label in enumerate(reversed(trend.levels)):
            ws.cell(top + 1 + position, at, len(trend.levels) - position)
            _text(ws.cell(top + 1 + position, at + 1), label)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(cell, value: str):
    """A text cell whatever the text looks like (never a formula)."""
    cell.value = clean(value)[:32_000]
    cell.data_type = "s"
    return cell
