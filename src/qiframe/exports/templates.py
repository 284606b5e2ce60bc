"""Workbooks people fill in and qiframe reads back: an evidence return, a record-reading sheet, a survey sheet.

Each template is made for the command that reads it:

- *evidence return* (`evidence import`): the Evidence sheet's columns, with drop-downs for kind, source,
  voice, indicator, agency and yes/no taken from the framework; dates are text cells, so "March 2025"
  stays a month rather than becoming 1 March;
- *record reading* (`records summarise`, `records agreement`): Record, Reader and Agency columns, then one
  column per reading item, with a type row under the headers naming each item's type, and a drop-down
  of that type's answers (n/a included);
- *survey* (`survey summarise`): Respondent and Group columns, then one column per question, with a type
  row and drop-downs in the same way.

Text from the user (titles, items, questions, agency names) is written as text cells, never formulas.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from qiframe import cells, model
from qiframe.analysis import items as _items
from qiframe.errors import InputError

ROWS = 200
"""Rows of drop-downs and text formatting prepared below the headers."""

RECORD_ITEMS = (
    ("Chronology on file", "present-absent"),
    ("Quality of the chronology", "scale"),
    ("Quality of the assessment of risk and need", "scale"),
    ("Child seen on their own", "yes-no"),
    ("Child's views recorded", "yes-no"),
    ("Effectiveness of the plan in reducing risk", "effectiveness"),
    ("Notes", "text"),
)
"""The reading items of a record-reading template when none are given (qiframe's own wording)."""

SURVEY_QUESTIONS = (
    ("I know what to do if I am worried that a child is at risk of harm.", "agree"),
    ("I feel supported by my manager in my work with children and families.", "agree"),
    ("Have you had child protection training in the last year?", "yes-no"),
    ("How often does your supervision happen when planned?", "frequency"),
    ("Is there anything else you would like to tell us?", "text"),
)
"""The questions of a survey template when none are given (qiframe's own wording)."""


@dataclass(frozen=True, slots=True)
class Template:
    """A template written."""

    path: str
    """The file written."""
    sheet: str
    """The sheet to fill in."""
    columns: tuple[str, ...]
    """Its headers, in order."""
    types: tuple[str, ...] = ()
    """For record-reading and survey templates: the type row, one per column."""


def parse_columns(pairs: list[str] | tuple[str, ...], what: str) -> tuple[tuple[str, str], ...]:
    """`TEXT=TYPE` options as (header, type id) pairs."""
    out = []
    for pair in pairs:
        text, sep, name = pair.rpartition("=")
        named = _items.type_named(name)
        if not sep or not text.strip() or named is None:
            raise InputError(
                f"{what} {pair!r}: expected TEXT=TYPE with TYPE one of {', '.join(_items.TYPE_NAMES)}"
            )
        out.append((text.strip(), named))
    return tuple(out)


def evidence_return(
    framework: model.Framework, path: str | os.PathLike, agency: str = "", agencies: tuple[str, ...] = ()
) -> Template:
    """An empty Evidence sheet for an agency to fill in and `evidence import` to read."""
    from openpyxl import Workbook

    headers = tuple(cells.HEADERS[f] for f in model.EVIDENCE_FIELDS if f != "id")
    wb = Workbook()
    ws = wb.active
    ws.title = cells.HEADERS_SHEET
    _row(ws, 1, headers)
    names = list(dict.fromkeys(a for a in (agency, *agencies) if a))
    lists = {
        "Kind": list(model.EVIDENCE_KINDS),
        "Source": list(model.SOURCES),
        "Voice": [g.id for g in framework.voices.groups],
        "Ages": list(framework.voices.age_bands),
        "Indicators": list(framework.indicators),
        "Agency": names,
        "Submission": ["yes", "no"],
        "Personal data": ["yes", "no"],
    }
    lists_sheet = _lists(wb, {k: v for k, v in lists.items() if v})
    for i, header in enumerate(headers, start=1):
        if header in lists and lists[header]:
            # Several voices, ages or indicators go in one cell ("2.1; 2.2"): the list helps but does not refuse.
            strict = header not in ("Voice", "Ages", "Indicators", "Agency")
            _validate(ws, i, lists_sheet[header], strict, f"Pick a {header.lower()} from the list.")
        if header in ("Date", "Date to"):
            _as_text(ws, i)
    _widths(ws, headers)
    ws.freeze_panes = "B2"
    guide = wb.create_sheet("How to fill in")
    for r, line in enumerate(_evidence_guide(framework, agency), start=1):
        _row(guide, r, [line])
    guide.column_dimensions["A"].width = 110
    wb.properties.creator = "qiframe"
    wb.properties.title = f"Evidence return{f': {agency}' if agency else ''}"
    wb.save(path)
    return Template(os.fspath(path), cells.HEADERS_SHEET, headers)


def _evidence_guide(framework: model.Framework, agency: str) -> list[str]:
    groups = ", ".join(f"{g.id} ({g.label})" for g in framework.voices.groups)
    return [
        f"Evidence return{f' from {agency}' if agency else ''} for {framework.title} ({framework.id}).",
        "One row per evidence item, on the Evidence sheet. Title is required; leave the rest blank if unknown.",
        "Kind and Source: pick from the list. Leave Source blank and it follows the kind (a survey holds "
        "people's views).",
        "Date and Date to: a day (31/03/2025), a month (March 2025) or a year (2025); a month stays a month.",
        f"Voice: whose views the item holds, one or more of: {groups}; separate several with a semicolon.",
        "Indicators: the quality indicators it supports, e.g. 2.1; 5.3.",
        f"Agency: {agency or 'the agency the evidence comes from'}.",
        "Submission and Personal data: yes or no.",
    ]


def record_reading(
    framework: model.Framework,
    path: str | os.PathLike,
    indicators: tuple[str, ...] = (),
    columns: tuple[tuple[str, str], ...] = (),
) -> Template:
    """A record-reading sheet: one row per reading, one column per item, a type row under the headers."""
    unknown = [i for i in indicators if i not in framework.indicators]
    if unknown:
        raise InputError(f"{', '.join(unknown)}: not an indicator of framework {framework.id!r}")
    chosen = columns or (
        RECORD_ITEMS[:-1]
        + tuple((f"QI {i}: overall evaluation", "scale") for i in indicators)
        + RECORD_ITEMS[-1:]
    )
    fixed = (("Record", "id"), ("Reader", "reader"), ("Agency", "group"))
    return _typed_sheet(framework, path, "Records", fixed + chosen, "record reading")


def survey(
    framework: model.Framework, path: str | os.PathLike, columns: tuple[tuple[str, str], ...] = ()
) -> Template:
    """A survey sheet: one row per respondent, one column per question, a type row under the headers."""
    fixed = (("Respondent", "id"), ("Group", "group"))
    return _typed_sheet(framework, path, "Responses", fixed + (columns or SURVEY_QUESTIONS), "survey")


def _typed_sheet(framework: model.Framework, path, title: str, columns, what: str) -> Template:
    from openpyxl import Workbook

    headers = [h for h, _ in columns]
    keys = [_items.fold(h) for h in headers]
    if len(set(keys)) != len(keys):
        raise InputError(f"two columns of the {what} template have the same header")
    wb = Workbook()
    ws = wb.active
    ws.title = title
    _row(ws, 1, headers)
    _row(ws, 2, [_items.TYPE_ROW_NAMES.get(t, t) for _, t in columns])
    available = _items.types(framework.scale)
    for i, (_, kind) in enumerate(columns, start=1):
        item = available.get(kind)
        if item is not None and item.id != "number":
            answers = [a.label for a in item.levels] + ["n/a"]
            formula = '"' + ",".join(answers) + '"'
            if len(formula) <= 255 and not any("," in a or '"' in a for a in answers):
                _validate(ws, i, formula, False, f"Pick an answer: {', '.join(answers)}.", start=3)
        elif item is not None or kind in ("text",):
            _as_text(ws, i, start=3)
    from openpyxl.styles import Font

    for cell in ws[2]:
        cell.font = Font(italic=True)
    _widths(ws, headers)
    ws.freeze_panes = "B3"
    guide = wb.create_sheet("How to fill in")
    for r, line in enumerate(_typed_guide(framework, what), start=1):
        _row(guide, r, [line])
    guide.column_dimensions["A"].width = 110
    wb.properties.creator = "qiframe"
    wb.properties.title = f"{what.capitalize()} template"
    wb.save(path)
    return Template(os.fspath(path), title, tuple(headers), tuple(t for _, t in columns))


def _typed_guide(framework: model.Framework, what: str) -> list[str]:
    scale = ", ".join(f"{lv.value} {lv.label}" for lv in framework.scale.levels)
    return [
        f"{what.capitalize()} template for {framework.title} ({framework.id}).",
        "Row 2 names each column's type; keep it: qiframe reads the types from it and does not count it.",
        "Fill in one row per "
        + ("reading of a record" if what == "record reading" else "respondent")
        + ", from row 3.",
        f"scale: a level of the framework's scale, by number or label ({scale}).",
        "effectiveness: Completely, Mostly, Partially (or Partly) or Not effective.",
        "yes-no: Yes or No. present-absent: Present or Absent. agree: Strongly agree to Strongly disagree.",
        "frequency: Always, Usually, Sometimes, Rarely or Never. number: a number. text: anything.",
        "n/a, not applicable, don't know or a blank cell are not counted; every summary says how many there were.",
    ]


def _row(ws, row: int, values) -> None:
    """Text cells in a row: never a formula, even when the text starts with "="."""
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row, column)
        cell.value = value
        cell.data_type = "s"


def _lists(wb, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden Lists sheet holding the drop-downs' values; returns each list's range."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("Lists")
    ws.sheet_state = "hidden"
    out = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(c)
        _row_cell(ws, 1, c, name)
        for r, value in enumerate(values, start=2):
            _row_cell(ws, r, c, value)
        out[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    return out


def _row_cell(ws, row: int, column: int, value: str) -> None:
    cell = ws.cell(row, column)
    cell.value = value
    cell.data_type = "s"


def _validate(ws, column: int, formula: str, strict: bool, message: str, start: int = 2) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = strict
    dv.promptTitle, dv.prompt, dv.showInputMessage = "Choose", message[:255], True
    if strict:
        dv.errorTitle, dv.error = "Not in the list", message[:255]
    dv.add(f"{letter}{start}:{letter}{start + ROWS - 1}")
    ws.add_data_validation(dv)


def _as_text(ws, column: int, start: int = 2) -> None:
    """Format a column's cells as text, so what is typed stays as typed (a month stays a month)."""
    for row in range(start, start + ROWS):
        ws.cell(row, column).number_format = "@"


def _widths(ws, headers) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # Printed, the sheet is landscape and one page wide, with the header rows on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    lines = 1
    for i, header in enumerate(headers, start=1):
        width = max(12, min(30, len(header) + 4))
        lines = max(lines, -(-len(header) // (width - 3)))
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(1, i).font = Font(bold=True)
    ws.row_dimensions[1].height = 15 * lines  # tall enough for the wrapped headers


def output_path(path: str | os.PathLike) -> Path:
    """The file to write: an .xlsx whose folder exists."""
    path = Path(path)
    if path.suffix.casefold() != ".xlsx":
        raise InputError(f"{path}: a template is an Excel workbook; give a file name ending in .xlsx")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder")
    return path
