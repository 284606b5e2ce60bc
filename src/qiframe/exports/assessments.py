"""The assessment workbook: one form per indicator for an evaluator (or pair) to fill in Excel.

Layout and the hidden record of what the workbook was made from are described in
`qiframe.assessment_forms`; this module only lays them out. Every sheet is protected without a password
(Review → Unprotect Sheet opens it) so that labels and the record cannot be changed by accident; the cells
to fill in are unlocked, typed as text (so nothing typed becomes a formula) and shaded yellow. Sheets print
on A4 portrait, one page wide.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from qiframe import assessment_forms as forms
from qiframe import model
from qiframe.cells import RISKY_START
from qiframe.errors import InputError
from qiframe.exports import files
from qiframe.text import xml_text

FONT = "Arial"
ACCENT = "1F4E79"
INPUT_FILL = "FFF8DC"
LOCKED_FILL = "EDEDED"
HEADER_FILL = "DCE6F1"
LABEL_WIDTH = 26
TEXT_WIDTH = 74
INPUT_HEIGHTS = {"grade": 28, "rationale": 150, "strengths": 105, "improvements": 105, "next_steps": 90}


@dataclass(frozen=True)
class WorkbookResult:
    """What `write_assessments` wrote."""

    path: str
    """The workbook."""
    evaluator: str
    """Whom it is for ("" when for anyone: the cover sheet asks for a name)."""
    indicators: tuple[str, ...]
    """The indicators (and suites) it has a sheet for, in order."""
    agreed: tuple[str, ...]
    """Those already agreed, whose forms are locked."""
    evidence: int
    """How many evidence listings it holds (an item linked to two indicators counts twice)."""
    left_out: int
    """Listings left out because the item may hold personal data."""


def check_output(path: Path) -> None:
    files.check_output(path, (".xlsx",), "the assessment workbook (an Excel workbook)")


def write_assessments(
    evaluation: model.Evaluation,
    path: str | os.PathLike,
    wanted: tuple[str, ...] = (),
    evaluator: str = "",
    now: dt.datetime | None = None,
) -> WorkbookResult:
    """Write the workbook for `evaluator` (or for anyone) covering `wanted` indicators (default: all graded)."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.protection import WorkbookProtection

    path = Path(path)
    check_output(path)
    evaluator = forms.normal_name(evaluator)
    ids = forms.form_indicators(evaluation, wanted)
    if not ids:
        raise InputError(
            "no indicators to put in the workbook: the evaluation has no graded indicators; "
            "name some with {qi}",
            options=("qi",),
        )
    now = now or dt.datetime.now().replace(microsecond=0)
    names = forms.sheet_names(ids)
    wb = Workbook()
    cover = wb.active
    cover.title = forms.COVER_SHEET
    for name, cells in _cover(cover, evaluation, ids, names, evaluator, now).items():
        wb.defined_names[name] = DefinedName(name, attr_text=cells)
    agreed, listed, left_out = [], 0, 0
    for ident in ids:
        ws = wb.create_sheet(names[ident])
        shown, hidden, locked = _form(ws, evaluation, ident, evaluator)
        listed, left_out = listed + shown, left_out + hidden
        if locked:
            agreed.append(ident)
    _meta(wb.create_sheet(forms.META_SHEET), evaluation, ids, names, evaluator, now)
    wb.security = WorkbookProtection(lockStructure=True)
    props = wb.properties
    props.title = f"Assessment workbook – {evaluation.metadata.title}"[:250]
    props.creator = evaluation.metadata.organisation or "qiframe"
    props.created = props.modified = now
    buffer = io.BytesIO()
    wb.save(buffer)
    files.write_output(path, buffer.getvalue())
    return WorkbookResult(str(path), evaluator, tuple(ids), tuple(agreed), listed, left_out)


# --- cells ---------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return xml_text(text)[:32767]


def _put(
    ws,
    ref: str,
    value,
    *,
    bold: bool = False,
    size: float = 10,
    colour: str | None = None,
    fill: str | None = None,
    wrap: bool = True,
    editable: bool = False,
    italic: bool = False,
):
    """A cell holding text as text (never a formula), in the house font, locked unless `editable`."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    cell = ws[ref]
    if isinstance(value, str):
        value = _clean(value)
        cell.value = value
        cell.data_type = "s"  # set, never inferred: "=…" stays text
        if value.startswith(RISKY_START):
            cell.quotePrefix = True
    elif value is not None:
        cell.value = value
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic, color=colour)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    cell.protection = Protection(locked=not editable)
    return cell


def _input(ws, ref: str, value: str, height: float, locked: bool) -> None:
    from openpyxl.styles import Border, Side

    cell = _put(
        ws, ref, value or None, fill=LOCKED_FILL if locked else INPUT_FILL, editable=not locked, size=10
    )
    cell.number_format = "@"  # typed text stays text in Excel and LibreOffice
    thin = Side(style="thin", color="A6A6A6")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.row_dimensions[cell.row].height = height


def _label(ws, row: int, field: str) -> None:
    """A field's label in column A in bold, its hint below it in small type."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    _put(ws, f"A{row}", forms.FIELDS[field], bold=True)
    ws[f"A{row}"].value = CellRichText(
        TextBlock(InlineFont(rFont=FONT, sz=10, b=True), forms.FIELDS[field]),
        TextBlock(InlineFont(rFont=FONT, sz=8, color="595959"), f"\n{forms.HINTS[field]}"),
    )


def _print_setup(ws, last_row: int, title: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:B{last_row}"
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.oddFooter.left.text = _footer_text(title)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "&A – page &P of &N"
    ws.oddFooter.right.size = 8
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = TEXT_WIDTH


def _footer_text(text: str) -> str:
    return _clean(text).replace("&", "&&")[:120]


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatRows = False  # people may make a row taller to see what they typed
    ws.protection.formatColumns = False


def _lines(height_text: str, width: int = TEXT_WIDTH) -> float:
    per_line = max(1, int(width * 1.15))
    lines = sum(max(1, -(-len(line) // per_line)) for line in height_text.split("\n"))
    return max(15.0, 12.5 * lines + 2)


# --- the cover -----------------------------------------------------------------------------------------

INSTRUCTIONS = (
    "Each indicator has a sheet of its own (the tabs below). On each one, pick your proposed grade from the "
    "list, say why you chose it, and note the strengths, areas for improvement and next steps you found. "
    "Only the yellow cells can be changed.",
    "Write one strength, area for improvement or next step per line (Alt+Enter starts a new line in a cell). "
    "Cite evidence by the reference shown at the foot of each sheet, in square brackets: [E-k3m9qx].",
    "Leave a sheet blank if you have not assessed that indicator: blank sheets are skipped.",
    "Do not rename, add or remove sheets, and do not type formulas: the workbook is read back as it is, and "
    "a cell holding a formula is refused. The sheets are protected without a password "
    "(Review → Unprotect Sheet) only to stop accidental changes to the labels.",
    "When you have finished, save the workbook (keep the .xlsx format) and send it back to the person who "
    "sent it. They import it with `qiframe import assessments`, which records your grades as proposals "
    "under your name; an agreed grade is never changed by it.",
)


def _cover(ws, evaluation: model.Evaluation, ids, names, evaluator: str, now: dt.datetime) -> dict[str, str]:
    """Lay out the cover; returns the defined name and cell range of each scale's labels."""
    meta = evaluation.metadata
    _put(ws, "A1", "Assessment workbook", bold=True, size=16, colour=ACCENT, wrap=False)
    ws.row_dimensions[1].height = 24
    rows = [
        ("Evaluation", meta.title),
        ("Partnership", meta.organisation),
        ("Framework", evaluation.framework.title),
        ("Made", now.strftime("%d %B %Y, %H:%M").lstrip("0")),
    ]
    row = 3
    for label, value in rows:
        if value:
            _put(ws, f"A{row}", label, bold=True)
            _put(ws, f"B{row}", value)
            ws.row_dimensions[row].height = _lines(value)
            row += 1
    _put(ws, f"A{row}", forms.EVALUATOR_LABEL, bold=True)
    if evaluator:
        _input(ws, f"B{row}", evaluator, 20, locked=True)
    else:
        _input(ws, f"B{row}", "", 20, locked=False)
        _put(ws, f"A{row + 1}", "", wrap=False)
        _put(
            ws,
            f"B{row + 1}",
            "Type your name or your pair's name above: your grades are recorded under it.",
            italic=True,
            size=9,
        )
        row += 1
    row += 2
    _put(ws, f"A{row}", "How to fill it in", bold=True, size=12, colour=ACCENT, wrap=False)
    row += 1
    for n, text in enumerate(INSTRUCTIONS, 1):
        _put(ws, f"A{row}", f"{n}.", bold=True)
        _put(ws, f"B{row}", text)
        ws.row_dimensions[row].height = _lines(text)
        row += 1
    ranges = {}
    scales = list({id(sc): sc for sc in (evaluation.framework.scale_for(i) for i in ids)}.values())
    if evaluation.framework.scale not in scales:
        scales.insert(0, evaluation.framework.scale)
    for scale in scales:
        row += 1
        heading = "The scale" if scale is evaluation.framework.scale else (scale.title or scale.id)
        _put(ws, f"A{row}", heading, bold=True, size=12, colour=ACCENT, wrap=False)
        row += 1
        first = row
        for level in scale.levels:
            _put(ws, f"A{row}", scale.shown(level.value), bold=True)
            text = level.descriptor or level.description
            _put(ws, f"B{row}", text)
            ws.row_dimensions[row].height = _lines(text)
            # The drop-downs list the labels alone: a hidden copy in column C that they point at.
            _put(ws, f"C{row}", level.label)
            row += 1
        ranges[forms.scale_name(evaluation.framework, scale)] = (
            f"'{forms.COVER_SHEET}'!$C${first}:$C${row - 1}"
        )
    ws.column_dimensions["C"].hidden = True
    row += 1
    _put(ws, f"A{row}", "Indicators in this workbook", bold=True, size=12, colour=ACCENT, wrap=False)
    row += 1
    for ident in ids:
        title = evaluation.title_of(ident) or ident
        cell = _put(ws, f"A{row}", names[ident], colour="0563C1")
        cell.hyperlink = f"#'{names[ident]}'!A1"
        _put(ws, f"B{row}", title)
        ws.row_dimensions[row].height = _lines(title)
        row += 1
    _print_setup(ws, row - 1, meta.title)
    _protect(ws)
    return ranges


# --- one indicator -----------------------------------------------------------------------------------


def _form(ws, evaluation: model.Evaluation, ident: str, evaluator: str) -> tuple[int, int, bool]:
    """Lay out one indicator's form; returns (evidence listed, left out, locked because agreed)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    scale = evaluation.framework.scale_for(ident)
    a = evaluation.assessments.get(ident)
    label = f"QI {ident}" if ident in evaluation.framework.indicators else ident
    title = evaluation.title_of(ident) or ident
    heading = f"{label} – {title}"
    ws.merge_cells("A1:B1")
    _put(ws, "A1", heading, bold=True, size=14, colour=ACCENT)
    ws.row_dimensions[1].height = max(22.0, 18.0 * -(-len(heading) // (LABEL_WIDTH + TEXT_WIDTH - 10)))
    _put(ws, "A2", forms.INDICATOR_LABEL, bold=True)
    _put(ws, "B2", ident)
    row = 3
    indicator = evaluation.framework.indicators.get(ident)
    if indicator and indicator.themes:
        text = "\n".join(f"• {t.title}" for t in indicator.themes)
        _put(ws, f"A{row}", "Themes", bold=True)
        _put(ws, f"B{row}", text)
        ws.row_dimensions[row].height = _lines(text)
        row += 1
    elif indicator is None:
        text = "\n".join(f"• {m} – {evaluation.title_of(m)}" for m in forms.members(evaluation, ident))
        _put(ws, f"A{row}", "Graded together", bold=True)
        _put(ws, f"B{row}", text)
        ws.row_dimensions[row].height = _lines(text)
        row += 1
    locked = bool(a and a.status == "agreed")
    _put(ws, f"A{row}", "Where it stands", bold=True)
    stand = _standing(scale, a, locked)
    _put(ws, f"B{row}", stand, italic=locked)
    ws.row_dimensions[row].height = _lines(stand)
    row += 2
    own = next((p for p in (a.proposed if a else ()) if evaluator and p.by == evaluator), None)
    _put(
        ws,
        f"A{row}",
        "Your assessment" + (f" ({evaluator})" if evaluator else ""),
        bold=True,
        size=12,
        colour=ACCENT,
        wrap=False,
    )
    row += 1
    prefill = {}
    if own is not None:
        level = scale.level(own.grade)
        prefill = {
            "grade": level.label if level else str(own.grade),
            "rationale": own.rationale,
            "strengths": "\n".join(own.strengths),
            "improvements": "\n".join(own.improvements),
        }
    for field in forms.FIELDS:
        _label(ws, row, field)
        _input(ws, f"B{row}", prefill.get(field, ""), INPUT_HEIGHTS[field], locked)
        if field == "grade":
            dv = DataValidation(
                type="list", formula1=forms.scale_name(evaluation.framework, scale), allow_blank=True
            )
            dv.showErrorMessage = True
            dv.errorTitle = "Not a level of the scale"
            dv.error = "Pick a grade from the list."
            dv.add(f"B{row}")
            ws.data_validations.append(dv)
        row += 1
    row += 1
    row, shown, hidden = _evidence(ws, evaluation, ident, row)
    _print_setup(ws, row - 1, heading)
    ws.print_title_rows = "1:1"
    _protect(ws)
    return shown, hidden, locked


def _standing(scale: model.Scale, a: model.Assessment | None, agreed: bool) -> str:
    grade = scale.shown(a.grade) if a and a.grade is not None else ""
    if agreed:
        return (
            f"Agreed: {grade or 'no grade recorded'}. The grade was settled in moderation, so this form is "
            "locked and nothing written here would be imported."
        )
    if grade:
        return f"Graded {grade}, not yet agreed. Your proposal is recorded beside it."
    count = len(a.proposed) if a else 0
    if count:
        return f"Not graded yet; {count} proposal{'s' if count != 1 else ''} recorded so far."
    return "Not graded yet."


def _evidence(ws, evaluation: model.Evaluation, ident: str, row: int) -> tuple[int, int, int]:
    wanted = set(forms.members(evaluation, ident)) | {ident}
    items = [e for e in evaluation.evidence.values() if wanted & set(e.indicators)]
    items.sort(
        key=lambda e: (
            model.SOURCES.index(e.source) if e.source in model.SOURCES else 99,
            e.date,
            e.title.casefold(),
            e.id,
        )
    )
    shown = [e for e in items if not e.personal_data]
    _put(ws, f"A{row}", "Evidence linked to this indicator", bold=True, size=12, colour=ACCENT, wrap=False)
    row += 1
    if not shown:
        _put(ws, f"A{row}", "")
        _put(ws, f"B{row}", "No evidence is linked to this indicator yet.", italic=True)
        row += 1
    else:
        _put(ws, f"A{row}", "Reference", bold=True, fill=HEADER_FILL)
        _put(ws, f"B{row}", "Evidence: title; source, kind, date and agency", bold=True, fill=HEADER_FILL)
        row += 1
        for e in shown:
            source = model.SOURCE_LABELS.get(e.source, e.source)
            date = f"{e.date} to {e.date_to}" if e.date_to and e.date_to != e.date else e.date
            detail = "; ".join(
                x for x in (source.capitalize(), e.kind.replace("-", " "), date, e.agency) if x
            )
            text = f"{e.title}\n{detail}"
            _put(ws, f"A{row}", e.id)
            _put(ws, f"B{row}", text)
            ws.row_dimensions[row].height = _lines(text)
            row += 1
    hidden = len(items) - len(shown)
    if hidden:
        _put(
            ws,
            f"B{row}",
            f"{hidden} item{'s' if hidden != 1 else ''} that may hold personal data not listed here.",
            italic=True,
            size=9,
        )
        row += 1
    return row, len(shown), hidden


# --- the record of what it was made from ---------------------------------------------------------------


def _meta(ws, evaluation: model.Evaluation, ids, names, evaluator: str, now: dt.datetime) -> None:
    import json

    meta = evaluation.metadata
    values = {
        "format": forms.FORMAT,
        "evaluation": meta.title,
        "framework": evaluation.framework.id,
        "organisation": meta.organisation,
        "evaluator": evaluator,
        "made": now.isoformat(),
    }
    for row, key in enumerate(forms.META_KEYS, 1):
        _put(ws, f"A{row}", key, wrap=False)
        _put(ws, f"B{row}", values[key], wrap=False)
    start = len(forms.META_KEYS) + 2
    for column, header in zip("ABCD", forms.META_TABLE, strict=True):
        _put(ws, f"{column}{start}", header, wrap=False)
    for row, ident in enumerate(ids, start + 1):
        a = evaluation.assessments.get(ident)
        for column, value in zip(
            "ABCD",
            (
                names[ident],
                ident,
                forms.base_digest(a),
                json.dumps(forms.proposal_digests(a), ensure_ascii=False),
            ),
            strict=True,
        ):
            _put(ws, f"{column}{row}", value, wrap=False)
    ws.sheet_state = "hidden"
    _protect(ws)
