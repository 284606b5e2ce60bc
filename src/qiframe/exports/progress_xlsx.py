"""The progress report as an Excel sheet: one row per action, ready to filter.

Every piece of user text is written as a text cell, so a title starting with "=" stays words and never
becomes a formula; measure values are numbers and dates are dates, so they sort and filter properly.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from qiframe import yamlio
from qiframe.exports.progress import Report, clean

COLUMNS = (  # header, width in characters
    ("Indicator", 10), ("Indicator title", 30), ("Area for improvement", 40), ("What we said we would do", 45),
    ("Action id", 11), ("Owner", 20), ("Due", 11), ("Status", 20), ("Measure", 30), ("Unit", 7),
    ("Baseline", 9), ("Target", 9), ("Current", 9), ("As of", 11), ("What we have done", 70),
)
MAX_CELL = 32_767
"""Most characters Excel holds in one cell; longer text makes it offer to repair the file."""


def write(report: Report, path: Path) -> None:
    yamlio.atomic_write_bytes(path, render(report))


def render(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Progress"
    for col, (header, width) in enumerate(COLUMNS, 1):
        _text(ws.cell(1, col), header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for group in report.groups:
        for row in group.rows:
            r += 1
            a, m = row.action, row.action.measure
            values = (group.indicator, group.title, row.improvement, row.said, a.id, a.owner, _date(a.due),
                      row.status, m.name if m else "", m.unit if m else "", m.baseline if m else None,
                      m.target if m else None, m.current if m else None, _date(m.as_of) if m else None,
                      "\n".join(row.done))
            for col, value in enumerate(values, 1):
                cell = ws.cell(r, col)
                if isinstance(value, str):
                    if value:
                        _text(cell, value)
                elif value is not None:
                    cell.value = value
                    if isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap
    if report.wording_note:
        _text(ws.cell(r + 2, 1), f"Note on wording: {report.wording_note}").font = Font(italic=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(r, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(cell, value: str):
    """A text cell whatever the text looks like (never a formula, never a number)."""
    value = clean(value)
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
