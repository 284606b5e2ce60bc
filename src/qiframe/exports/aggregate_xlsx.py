"""The aggregate workbook: a heat map of establishments × indicators, a sheet per indicator, outliers.

Sheets, per framework group: "Grid" (one row per establishment, one column per indicator, each cell the
grade's value filled with the scale's colour), "Distribution" (counts per level, median, range and
alignment with inspections), one sheet per indicator (every establishment's grade, the inspection's,
evidence and sources), "Outliers" and "Coverage". Every sheet prints on A4, one page wide, with its header
rows repeated and a footer. User text is written as text, never as a formula.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter

from qiframe.exports import sheets
from qiframe.exports.files import check_output as _check_output
from qiframe.exports.files import write_output
from qiframe.exports.matrix import level_colours
from qiframe.portfolio.aggregate import Aggregate, Group, median_text, range_text
from qiframe.text import xml_text

TITLE = "Aggregate of self-evaluations"
_HEAD = sheets.font(bold=True)
_BODY = sheets.font()
_SMALL = sheets.font(size=8)
_TITLE = sheets.font(size=14, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center")
_TOP = Alignment(vertical="top")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def check_output(path: Path) -> None:
    _check_output(path, (".xlsx",), "the aggregate workbook (an Excel workbook)")


def write(result: Aggregate, path: str | os.PathLike) -> None:
    path = Path(path)
    check_output(path)
    wb = Workbook()
    wb.remove(wb.active)
    several = len(result.groups) > 1
    used: set[str] = set()
    for g in result.groups:
        prefix = f"{g.framework[:12]} " if several else ""
        _grid(wb, g, _name(prefix + "Grid", used))
        _distribution(wb, g, _name(prefix + "Distribution", used))
        for ident in g.indicators:
            _indicator(wb, g, ident, _name(prefix + f"QI {ident}", used))
        _outliers(wb, g, _name(prefix + "Outliers", used))
        _coverage(wb, g, _name(prefix + "Coverage", used))
    for ws in wb.worksheets:
        _fit_rows(ws, skip={3} if ws.title.endswith("Grid") else set())
    wb.properties.title = TITLE
    wb.properties.creator = "qiframe"
    buffer = io.BytesIO()
    wb.save(buffer)
    write_output(path, sheets.ignore_number_as_text(buffer.getvalue()))


def _fit_rows(ws, skip: set[int]) -> None:
    """Give each row the height its wrapped text needs: spreadsheets do not grow rows when they open a
    file, so without this wrapped text prints over the next row."""
    widths = {letter: dim.width or 8.43 for letter, dim in ws.column_dimensions.items()}
    for row in ws.iter_rows(min_row=2):
        if row[0].row in skip:
            continue
        needed = sheets.height(
            [
                (c.value, widths.get(c.column_letter, 8.43))
                for c in row
                if isinstance(c.value, str) and c.alignment.wrap_text
            ]
        )
        if needed:
            ws.row_dimensions[row[0].row].height = needed


def _name(wanted: str, used: set[str]) -> str:
    base = _SHEET_NAME.sub("-", wanted)[:31]
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        name = f"{base[:28]} {n}"
    used.add(name.casefold())
    return name


def _sheet(wb: Workbook, name: str, title: str, headers: list[str], widths: Sequence[float], landscape: bool):
    ws = wb.create_sheet(name)
    ws.append([xml_text(title)])
    ws["A1"].font = _TITLE
    ws.append(headers)
    for cell in ws[2]:
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD, _HEAD_FILL, _BOX, _WRAP
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B3"
    sheets.print_ready(ws, TITLE, "2:2", landscape)
    return ws


def _text(ws, row: int, column: int, value, wrap: bool = False):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = xml_text(value)[:32767]
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value
    cell.font, cell.border = _BODY, _BOX
    cell.alignment = _WRAP if wrap else _TOP
    return cell


def _grid(wb: Workbook, g: Group, name: str) -> None:
    headers = ["Establishment", *g.indicators]
    ws = _sheet(
        wb,
        name,
        f"{g.title}: self-evaluated grades",
        headers,
        [34] + [7] * len(g.indicators),
        landscape=len(g.indicators) > 8,
    )
    ws.row_dimensions[2].height = 30
    for cell in ws[2][1:]:
        cell.alignment = _CENTRE
    # Indicator titles as a second header row, small and rotated, so the printed grid names them.
    ws.insert_rows(3)
    _text(ws, 3, 1, "Indicator title")
    for i, ident in enumerate(g.indicators, 2):
        cell = _text(ws, 3, i, g.titles.get(ident, ""))
        cell.alignment = Alignment(text_rotation=90, wrap_text=True, vertical="bottom", horizontal="center")
        cell.font = _SMALL
    ws.row_dimensions[3].height = 150
    ws.print_title_rows = "2:3"
    ws.freeze_panes = "B4"
    colours = level_colours(g.scale)
    for r, est in enumerate(g.establishments, 4):
        _text(ws, r, 1, est.name, wrap=True)
        for c, ident in enumerate(g.indicators, 2):
            cell_data = g.cell(est.name, ident)
            cell = _text(ws, r, c, cell_data.grade if cell_data and cell_data.grade is not None else None)
            cell.alignment = _CENTRE
            if cell_data and cell_data.grade is not None and cell_data.grade in colours:
                cell.fill = PatternFill("solid", fgColor=colours[cell_data.grade])
    legend = len(g.establishments) + 5
    _text(ws, legend, 1, "Levels")
    for i, level in enumerate(g.scale.levels):
        cell = _text(ws, legend + 1 + i, 1, f"{level.value} {level.label}")
        cell.fill = PatternFill("solid", fgColor=colours[level.value])


def _distribution(wb: Workbook, g: Group, name: str) -> None:
    levels = [f"{lv.value} {lv.label}" for lv in g.scale.levels]
    headers = [
        "QI",
        "Title",
        *levels,
        "Graded",
        "Not graded",
        "Median",
        "Range",
        "Same as inspection",
        "Above inspection",
        "Below inspection",
    ]
    # Wide enough for the longest word of a level's label, so a header never breaks inside a word.
    level_width = max([9.0] + [len(w) + 2.0 for lv in g.scale.levels for w in lv.label.split()])
    ws = _sheet(
        wb,
        name,
        f"{g.title}: distribution of grades per indicator (counts, never averages)",
        headers,
        [8, 40] + [level_width] * len(levels) + [8, 8, 8, 8, 11, 11, 11],
        landscape=True,
    )
    for r, d in enumerate(g.distributions, 3):
        values = [
            d.indicator,
            d.title,
            *(n for _, n in d.counts),
            d.graded,
            d.ungraded,
            median_text(d),
            range_text(d),
            d.matched,
            d.above,
            d.below,
        ]
        for c, value in enumerate(values, 1):
            _text(ws, r, c, value, wrap=c == 2)


def _indicator(wb: Workbook, g: Group, ident: str, name: str) -> None:
    headers = [
        "Establishment",
        "Grade",
        "Grade label",
        "Inspection",
        "Inspection label",
        "Evidence",
        "Sources",
    ]
    ws = _sheet(
        wb, name, f"{ident} {g.titles.get(ident, '')}", headers, [34, 8, 16, 10, 16, 9, 36], landscape=False
    )
    colours = level_colours(g.scale)
    rows = [c for c in g.cells if c.indicator == ident]
    for r, c in enumerate(rows, 3):
        values = [
            c.establishment,
            c.grade,
            g.label(c.grade),
            c.external,
            g.label(c.external),
            c.evidence,
            ", ".join(c.sources),
        ]
        for col, value in enumerate(values, 1):
            cell = _text(ws, r, col, value, wrap=col in (1, 7))
            if col == 2 and c.grade in colours:
                cell.fill = PatternFill("solid", fgColor=colours[c.grade])


def _outliers(wb: Workbook, g: Group, name: str) -> None:
    ws = _sheet(
        wb,
        name,
        f"{g.title}: grades that stand out",
        ["Establishment", "QI", "Grade", "Rule", "Why"],
        [30, 8, 8, 12, 70],
        landscape=False,
    )
    for r, o in enumerate(g.outliers, 3):
        for col, value in enumerate([o.establishment, o.indicator, o.grade, o.rule, o.reason], 1):
            _text(ws, r, col, value, wrap=col in (1, 5))


def _coverage(wb: Workbook, g: Group, name: str) -> None:
    c = g.coverage
    ws = _sheet(wb, name, f"{g.title}: coverage", ["Measure", "Evaluations"], [60, 12], landscape=False)
    rows = [
        ("Evaluations in this group", c.establishments),
        ("Gave a grade to everything they grade", c.graded_all),
        ("Gave at least one grade", c.graded_any),
        *((f"Cited evidence from {source}", n) for source, n in c.sources),
        ("Check finds no errors", c.clean),
    ]
    for r, (label, value) in enumerate(rows, 3):
        _text(ws, r, 1, label)
        _text(ws, r, 2, value)
