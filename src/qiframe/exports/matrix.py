"""The Excel evidence matrix: the whole evaluation in one workbook that auditors filter, annotate and return.

Sheets: Summary (metadata, one row per indicator, a grade legend), Evidence (the register, in the layout
`qiframe evidence import` reads back), Matrix (evidence x indicators under their key questions),
Triangulation (indicators x sources), Actions, and a hidden Lists sheet that feeds the Evidence sheet's
drop-downs.

The workbook is streamed with openpyxl's write-only mode, which keeps a 5,000-item export fast. Every
piece of user text goes into a cell whose type is forced to text: left to itself, openpyxl stores a string
starting with "=" as a formula and "#N/A" as an error value.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qiframe import __version__, model
from qiframe import status as status_report
from qiframe.cells import HEADERS, RISKY_START, display
from qiframe.exports import sheets
from qiframe.exports.files import check_output as _check_output
from qiframe.exports.files import write_output
from qiframe.exports.xlsx_stream import StreamCell, StreamingSheet, StyledCells, streaming_sheet
from qiframe.text import xml_text

MARK = "●"
"""What a Matrix cell holds where an evidence item supports an indicator."""
SPARE_ROWS = 1000
"""Rows below the register that keep the drop-downs, so rows added in Excel are validated too."""
DATE_FORMAT = "yyyy-mm-dd"

# Excel's own three-colour scale: green for the best level, amber in the middle, red for the worst.
_BEST, _MIDDLE, _WORST = (0x63, 0xBE, 0x7B), (0xFF, 0xEB, 0x84), (0xF8, 0x69, 0x6B)
_LINK_FONT = sheets.font(color="0563C1", underline="single")
_WEAK_FILL = PatternFill("solid", fgColor="F8CBAD")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class MatrixResult:
    """What `write_matrix` wrote."""

    path: str
    """The workbook written."""
    evidence: int
    """Evidence items in the workbook."""
    left_out: int
    """Items flagged as holding personal data and therefore left out."""
    indicators: int
    """Indicator columns of the Matrix sheet."""
    links: int
    """Marks in the Matrix sheet (evidence-indicator links)."""
    actions: int
    """Improvement actions in the Actions sheet."""


def write_matrix(
    evaluation: model.Evaluation,
    path: str | os.PathLike,
    include_personal: bool = False,
    problems: Iterable | None = None,
    version: str = __version__,
    now: datetime | None = None,
) -> MatrixResult:
    """Write the evidence matrix workbook to `path` atomically.

    `problems` are check problems (anything with an `indicator` attribute); when given, the Summary counts
    them per indicator. `now` fixes the generation time (tests).
    """
    path = Path(path)
    check_output(path)
    now = now or datetime.now().replace(microsecond=0)
    kept = [e for e in evaluation.evidence.values() if include_personal or not e.personal_data]
    kept.sort(key=lambda e: (e.date, e.id))
    shown = dataclasses.replace(evaluation, evidence={e.id: e for e in kept})
    columns = matrix_columns(shown)

    wb = Workbook(write_only=True)
    _properties(wb, evaluation, now)
    lists = _ListRanges(evaluation.framework)
    title = evaluation.metadata.title
    _summary(wb, shown, len(evaluation.evidence) - len(kept), problems, version, now)
    _evidence(wb, kept, lists, title)
    links = _matrix(wb, kept, columns, shown)
    _triangulation(wb, evaluation.framework, kept, columns, triangulation_threshold(evaluation), title)
    _actions(wb, evaluation.actions.values(), title)
    _lists(wb, lists)

    buffer = io.BytesIO()
    wb.save(buffer)
    write_output(path, sheets.ignore_number_as_text(buffer.getvalue()))
    return MatrixResult(
        str(path),
        len(kept),
        len(evaluation.evidence) - len(kept),
        sum(len(ids) for _, ids in columns),
        links,
        len(evaluation.actions),
    )


def check_output(path: Path) -> None:
    """Refuse an output the export must not write: wrong type, a folder, or a missing parent folder."""
    _check_output(path, (".xlsx",), "the evidence matrix (an Excel workbook)")


# --- shared helpers ----------------------------------------------------------------------------------


def matrix_columns(evaluation: model.Evaluation) -> list[tuple[model.KeyQuestion | None, list[str]]]:
    """Indicator columns grouped by key question: those in scope, plus any an item links to.

    An indicator the framework does not know (a dangling link) still gets a column, in a last group with
    no key question, so that every link of the register appears.
    """
    fw = evaluation.framework
    prog = evaluation.programme
    linked = {i for e in evaluation.evidence.values() for i in e.indicators}
    in_scope = set(prog.scope) if prog and prog.scope else set(fw.indicators)
    groups: list[tuple[model.KeyQuestion | None, list[str]]] = []
    for kq in fw.key_questions:
        ids = [i for i in kq.indicators if i in in_scope or i in linked]
        if ids:
            groups.append((kq, ids))
    unknown = sorted(linked - set(fw.indicators))
    if unknown:
        groups.append((None, unknown))
    return groups


def level_colours(scale: model.Scale) -> dict[int, str]:
    """A fill colour per level: green for the best, amber in the middle, red for the worst, for any scale."""
    ordered = sorted(scale.values, reverse=True)
    colours = {}
    for i, value in enumerate(ordered):
        t = i / max(1, len(ordered) - 1)
        start, end, u = (_BEST, _MIDDLE, t * 2) if t <= 0.5 else (_MIDDLE, _WORST, t * 2 - 1)
        colours[value] = "".join(f"{round(a + (b - a) * u):02X}" for a, b in zip(start, end, strict=True))
    return colours


def triangulation_threshold(evaluation: model.Evaluation) -> int:
    """The number of sources the weak-triangulation rule asks for in this evaluation."""
    return evaluation.triangulation_threshold


def is_web_link(location: str) -> bool:
    """Whether a location is an http(s) address: only those become live links (never file: and the like)."""
    if not location or any(c.isspace() for c in location):
        return False
    try:
        parts = urlsplit(location)
    except ValueError:
        return False
    return parts.scheme.casefold() in ("http", "https") and bool(parts.netloc)


def clean_text(value: str) -> str:
    """Text a worksheet can hold: without the control characters XML forbids, within Excel's cell limit."""
    return xml_text(value)[:32767]


# --- cells ---------------------------------------------------------------------------------------------


class _Cells(StyledCells):
    """Makes the cells of one sheet: text that stays text, real dates, numbers, in a few named styles."""

    def text(self, value: str, style: str | None = None) -> StreamCell | str | None:
        """A text cell, whatever the text looks like; None (no cell) for empty text."""
        if not value:
            return None
        value = clean_text(value)
        # The type is set, never inferred: openpyxl would make "=..." a formula and "#N/A" an error.
        # quotePrefix is Excel's own mark for "typed as text", so editing the cell later keeps it text.
        return self.make(value, "s", style, quote=value.startswith(RISKY_START))

    def value(self, value, style: str | None = None):
        """A number (or text, through `text`); None stays an empty cell."""
        if isinstance(value, str):
            return self.text(value, style)
        if value is None or style is None:
            return value
        return self.make(value, "n", style)

    def date(self, iso: str, style: str | None = None):
        """A real Excel date for an ISO date; other text stays text."""
        parsed = model.parse_date(iso)
        if parsed is None:
            return self.text(iso, style)
        return self.make(parsed, "d", style, DATE_FORMAT)

    def moment(self, when: datetime, style: str | None = None) -> StreamCell:
        return self.make(when, "d", style, "yyyy-mm-dd hh:mm")

    def link(self, url: str, style: str) -> StreamCell:
        cell = self.text(url, style)
        assert isinstance(cell, StreamCell), "a link has an address"
        cell.hyperlink = url
        return cell

    def header(self, names: Iterable[str]) -> list:
        return [self.text(name, "header") for name in names]


def _sheet(wb: Workbook, title: str) -> tuple[StreamingSheet, _Cells]:
    ws = streaming_sheet(wb, title)
    cells = _Cells(ws)
    cells.style(
        "header",
        font=sheets.font(bold=True),
        fill=_HEAD_FILL,
        alignment=Alignment(vertical="top", wrap_text=True),
    )
    cells.style("bold", font=sheets.font(bold=True), alignment=Alignment(vertical="top"))
    cells.style("wrap", font=sheets.font(), alignment=Alignment(vertical="top", wrap_text=True))
    cells.style("top", font=sheets.font(), alignment=Alignment(vertical="top"))
    cells.style("num", font=sheets.font(), alignment=Alignment(vertical="top"))
    cells.style("left", font=sheets.font(), alignment=Alignment(horizontal="left", vertical="top"))
    cells.style("shrink", font=sheets.font(), alignment=Alignment(vertical="top", shrink_to_fit=True))
    # An address has no spaces to wrap at: it is shrunk to its cell rather than printed over the next one.
    cells.style("link", font=_LINK_FONT, alignment=Alignment(vertical="top", shrink_to_fit=True))
    return ws, cells


def _line_count(text: str, width: float) -> int:
    """Roughly how many lines a wrapped cell of this width (in characters) needs for the text."""
    return sum(max(1, -(-len(part) // max(1, int(width)))) for part in text.split("\n"))


def _widths(ws, widths: Iterable[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _fit(values: Iterable[str], header: str, low: float, high: float) -> float:
    """A readable column width: the longest first line among the values, within bounds."""
    longest = len(header)
    for value in values:
        if value:
            longest = max(longest, len(value.partition("\n")[0]))
            if longest >= high:
                break
    return max(low, min(high, longest + 2))


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _joined(values: Iterable[str]) -> str:
    return "; ".join(values)


def _properties(wb: Workbook, evaluation: model.Evaluation, now: datetime) -> None:
    props = wb.properties
    props.title = clean_text(f"Evidence matrix: {evaluation.metadata.title}")
    props.subject = clean_text(evaluation.framework.title)
    props.creator = "qiframe"
    props.lastModifiedBy = "qiframe"
    # Document properties are stored in UTC.
    stamp = now.astimezone(UTC).replace(tzinfo=None)  # a naive time is taken as local
    props.created = stamp
    props.modified = stamp


# --- Summary -----------------------------------------------------------------------------------------


SUMMARY_HEADERS = (
    "Key question",
    "ID",
    "Title",
    "Lead",
    "Grade",
    "Grade label",
    "Evidence",
    "Sources",
    "Triangulated",
    "Status",
)


def _summary(
    wb: Workbook,
    evaluation: model.Evaluation,
    left_out: int,
    problems: Iterable | None,
    version: str,
    now: datetime,
) -> None:
    ws, cells = _sheet(wb, "Summary")
    fw = evaluation.framework
    meta = evaluation.metadata
    colours = level_colours(fw.scale)
    for value, colour in colours.items():
        cells.style(
            f"level{value}",
            font=sheets.font(),
            fill=PatternFill("solid", fgColor=colour),
            alignment=Alignment(horizontal="left", vertical="top"),
        )
    headers = SUMMARY_HEADERS + (("Open problems",) if problems is not None else ())
    _widths(ws, (30, 8, 44, 26, 8, 14, 10, 34, 13, 13, 14))
    sheets.print_ready(ws, meta.title, None, landscape=True)

    rows = [0]

    def add(row: list, wrapped: Iterable[tuple[str, float]] = ()) -> None:
        # Spreadsheets do not grow a row for wrapped text on opening, so give it the height it needs.
        rows[0] += 1
        height = sheets.height([(t, w) for t, w in wrapped if t])
        if height:
            ws.row_dimensions[rows[0]].height = height
        ws.append(row)

    add([cells.text(meta.title or "Self-evaluation", "bold")])
    prog = evaluation.programme
    facts: list[tuple[str, Any]] = [
        ("Organisation", meta.organisation),
        ("Framework", f"{fw.title} ({fw.id})"),
        ("Programme", f"{prog.title} ({prog.id})" if prog else ""),
        ("Period", f"{meta.period_from} to {meta.period_to}" if meta.period_from or meta.period_to else ""),
        ("Evaluation date", meta.evaluation_date),
        ("Team", _joined(meta.team)),
        ("Evidence items", len(evaluation.evidence)),
        ("Left out (personal data)", left_out),
        ("Generated", now.replace(tzinfo=None)),
        ("qiframe version", version),
    ]
    for label, value in facts:
        if label == "Evaluation date":
            shown = cells.date(value, "left")
        elif isinstance(value, datetime):
            shown = cells.moment(value, "left")
        else:
            shown = cells.value(value, "wrap" if isinstance(value, str) else "left")
        # Values go in the wide column C, wrapped, so a long team list does not spill across the page.
        add([cells.text(label, "bold"), None, shown], [(value, 50)] if isinstance(value, str) else ())
    from qiframe import wording

    # The workbook prints key questions, indicators, suites, linked themes and grade labels, not the units.
    note = wording.note(
        evaluation, only={i for i in wording.printed_items(evaluation) if not i.startswith("unit:")}
    )
    if note:
        add([cells.text("Note on wording", "bold"), None, cells.text(note, "wrap")], [(note, 50)])
    if left_out:
        add(
            [
                cells.text(
                    f"{left_out} evidence item(s) flagged as holding personal data are not in this "
                    "workbook; export with --include-personal to include them."
                )
            ]
        )
    add([])

    add(cells.header(headers))
    open_counts: dict[str, int] = {}
    for problem in problems or ():
        key = getattr(problem, "indicator", "") or ""
        open_counts[key] = open_counts.get(key, 0) + 1
    threshold = triangulation_threshold(evaluation)
    report = status_report.status(evaluation)
    for row in report.rows:
        kq = fw.key_question(row.key_question) if row.key_question else None
        # A judgement (e.g. confidence in the capacity for improvement) is printed as its label, not a grade.
        level_style = f"level{row.grade}" if row.grade in colours and not row.judgement else None
        triangulated = sum(s in row.sources for s in model.TRIANGULATING) >= threshold
        line = [
            cells.text(f"{kq.id} {kq.title}" if kq else "Graded together", "wrap"),
            cells.text(row.id, "top"),
            cells.text(row.title, "wrap"),
            cells.text(row.lead, "wrap"),
            cells.value(None if row.judgement else row.grade, level_style),
            cells.text(row.grade_label, level_style),
            cells.value(row.evidence, "top"),
            cells.text(", ".join(model.SOURCE_LABELS[s] for s in row.sources), "wrap"),
            cells.text(_yes_no(triangulated), "top"),
            cells.text(row.state, "top"),
        ]
        if problems is not None:
            line.append(cells.value(open_counts.get(row.id, 0), "top"))
        add(
            line,
            [
                (f"{kq.id} {kq.title}" if kq else "", 30),
                (row.title, 44),
                (row.lead, 26),
                (", ".join(model.SOURCE_LABELS[s] for s in row.sources), 34),
            ],
        )

    add([])
    add([cells.text("Grade legend", "bold")])
    for level in fw.scale.levels:
        style = f"level{level.value}"
        add(
            [
                cells.value(level.value, style),
                cells.text(level.label, style),
                cells.text(level.descriptor, "wrap"),
            ],
            [(level.descriptor, 44)],
        )
    for extra in fw.scales:
        add(
            [
                cells.text(
                    f"{extra.title or extra.id}: judged, not graded; the Grade label column shows the "
                    f"judgement ({', '.join(lv.label for lv in extra.levels)})."
                )
            ]
        )
    add(
        [
            cells.text(
                f"Triangulated: evidence from at least {threshold} of quantitative data, people's "
                "views and direct observation."
            )
        ]
    )


# --- Evidence ----------------------------------------------------------------------------------------


_WIDTHS = {
    "id": (10, 11),
    "title": (20, 40),
    "summary": (20, 50),
    "kind": (8, 16),
    "source": (8, 12),
    "date": (11, 11),
    "date_to": (11, 11),
    "agency": (8, 22),
    "voice": (8, 24),
    "ages": (6, 12),
    "owner": (8, 22),
    "location": (12, 40),
    "indicators": (10, 16),
    "themes": (12, 30),
    "units": (6, 10),
    "submission": (11, 11),
    "personal_data": (13, 13),
}
_WRAPPED = {"title", "summary", "themes", "agency", "voice", "owner", "indicators", "units"}


class _ListRanges:
    """The vocabularies the drop-downs offer, and where they sit on the hidden Lists sheet."""

    def __init__(self, framework: model.Framework) -> None:
        # Every indicator of the framework, as the import accepts any of them.
        self.lists = {
            "source": ("Source", list(model.SOURCES)),
            "kind": ("Kind", list(model.EVIDENCE_KINDS)),
            "yes_no": ("Yes/no", ["yes", "no"]),
            "indicators": ("Indicator", list(framework.indicators)),
        }

    def reference(self, name: str) -> str:
        column = get_column_letter(list(self.lists).index(name) + 1)
        count = len(self.lists[name][1])
        return f"Lists!${column}$2:${column}${count + 1}"


def _evidence(wb: Workbook, items: list[model.Evidence], lists: _ListRanges, title: str) -> None:
    ws, cells = _sheet(wb, "Evidence")
    sheets.print_ready(ws, title, "1:1", landscape=True)
    fields = model.EVIDENCE_FIELDS
    table = [_evidence_strings(e) for e in items]
    widths = [_fit((row[i] for row in table[:500]), HEADERS[f], *_WIDTHS[f]) for i, f in enumerate(fields)]
    _widths(ws, widths)
    ws.freeze_panes = "C2"
    ws.append(cells.header(HEADERS[f] for f in fields))
    for number, strings in enumerate(table, start=2):
        height = sheets.height(
            [(t, w) for f, t, w in zip(fields, strings, widths, strict=True) if f in _WRAPPED]
        )
        if height:
            ws.row_dimensions[number].height = height
        row = []
        for field, text in zip(fields, strings, strict=True):
            if field in ("date", "date_to"):
                row.append(cells.date(text, "top"))
            elif field == "location" and is_web_link(text):
                row.append(cells.link(text, "link"))
            elif field == "location":
                row.append(cells.text(text, "shrink"))
            else:
                row.append(cells.text(text, "wrap" if field in _WRAPPED else "top") if text else None)
        ws.append(row)
    last = len(items) + 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{last}"
    _validations(ws, lists, last + SPARE_ROWS)


def _evidence_strings(e: model.Evidence) -> list[str]:
    """An item's fields as the Evidence sheet shows them (dates still ISO text here)."""
    return [display(f, getattr(e, f)) for f in model.EVIDENCE_FIELDS]


def _validations(ws, lists: _ListRanges, last: int) -> None:
    fields = list(model.EVIDENCE_FIELDS)

    def column(field: str) -> str:
        letter = get_column_letter(fields.index(field) + 1)
        return f"{letter}2:{letter}{last}"

    for field, name, title in (
        ("source", "source", "Not a source"),
        ("kind", "kind", "Not a kind of evidence"),
        ("submission", "yes_no", "Yes or no"),
        ("personal_data", "yes_no", "Yes or no"),
        ("indicators", "indicators", None),
    ):
        dv = DataValidation(type="list", formula1=lists.reference(name), allow_blank=True)
        if title:
            dv.showErrorMessage = True
            dv.errorTitle = title
            dv.error = "Pick a value from the list so that the sheet can be imported back."
        else:
            # Several indicators go in one cell ("1.1; 2.1"), so the list helps but must not refuse.
            dv.showErrorMessage = False
            dv.showInputMessage = True
            dv.promptTitle = "Indicators"
            dv.prompt = "Pick one, or type several separated by ;"
        dv.add(column(field))
        ws.data_validations.append(dv)


def _lists(wb: Workbook, lists: _ListRanges) -> None:
    ws, cells = _sheet(wb, "Lists")
    ws.sheet_state = "hidden"
    columns = list(lists.lists.values())
    ws.append(cells.header(title for title, _ in columns))
    depth = max(len(values) for _, values in columns)
    for i in range(depth):
        ws.append([cells.text(values[i]) if i < len(values) else None for _, values in columns])


# --- Matrix ------------------------------------------------------------------------------------------


def _matrix(wb: Workbook, items: list[model.Evidence], columns, evaluation: model.Evaluation) -> int:
    ws, cells = _sheet(wb, "Matrix")
    cells.style(
        "group",
        font=sheets.font(bold=True),
        fill=_HEAD_FILL,
        alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
    )
    cells.style(
        "mark",
        font=sheets.font(bold=True, color="1F4E79"),
        fill=PatternFill("solid", fgColor="DDEBF7"),
        alignment=Alignment(horizontal="center", vertical="center"),
    )
    cells.style("total", font=sheets.font(bold=True), alignment=Alignment(horizontal="center"))
    cells.style(
        "titles",
        font=sheets.font(size=8),
        fill=_HEAD_FILL,
        alignment=Alignment(text_rotation=90, vertical="bottom", horizontal="center", wrap_text=True),
    )
    ids = [i for _, group in columns for i in group]
    position = {ind: i for i, ind in enumerate(ids)}
    width = len(ids)
    widths = [12, 50] + [max(7, min(20, len(i) + 2)) for i in ids] + [8]
    group_heights = [
        sheets.height(
            [
                (
                    f"{kq.id} {kq.title}" if kq else "Not in the framework",
                    sum(widths[2 + ids.index(g[0]) + k] for k in range(len(g))),
                )
            ]
        )
        or 15
        for kq, g in columns
    ]
    ws.row_dimensions[1].height = max([15, *group_heights])
    _widths(ws, widths)
    ws.freeze_panes = "C4"
    ws.row_dimensions[3].height = 150
    sheets.print_ready(ws, evaluation.metadata.title, "1:3", landscape=True, title_cols="A:B", gridlines=True)

    top: list = [cells.text("Evidence", "group"), None]
    col = 3
    for kq, group in columns:
        title = f"{kq.id} {kq.title}" if kq else "Not in the framework"
        top.append(cells.text(title, "group"))
        top.extend([None] * (len(group) - 1))
        if len(group) > 1:
            ws.merged_cells.add(f"{get_column_letter(col)}1:{get_column_letter(col + len(group) - 1)}1")
        col += len(group)
    top.append(cells.text("Total", "group"))
    ws.merged_cells.add("A1:B1")
    ws.append(top)
    ws.append(cells.header(["ID", "Title", *ids, "Total"]))
    # The indicators' titles under their ids, turned upright so the grid stays narrow.
    ws.append(
        [
            None,
            cells.text("Indicator", "header"),
            *(cells.text(evaluation.title_of(i) or "", "titles") for i in ids),
            None,
        ]
    )

    totals = [0] * width
    links = 0
    for number, e in enumerate(items, start=4):
        marks: list = [None] * width
        count = 0
        for ind in dict.fromkeys(e.indicators):
            i = position[ind]
            marks[i] = cells.text(MARK, "mark")
            totals[i] += 1
            count += 1
        links += count
        height = sheets.height([(e.title, 50)])
        if height:
            ws.row_dimensions[number].height = height
        ws.append([cells.text(e.id, "top"), cells.text(e.title, "wrap"), *marks, cells.value(count, "total")])
    ws.append(
        [
            None,
            cells.text("Total", "bold"),
            *(cells.value(t, "total") for t in totals),
            cells.value(links, "total"),
        ]
    )
    return links


# --- Triangulation -----------------------------------------------------------------------------------


def _triangulation(
    wb: Workbook, framework: model.Framework, items: list[model.Evidence], columns, threshold: int, title: str
) -> None:
    from openpyxl.formatting.rule import FormulaRule

    ws, cells = _sheet(wb, "Triangulation")
    cells.style("weak", font=sheets.font(bold=True), fill=_WEAK_FILL, alignment=Alignment(vertical="top"))
    _widths(ws, (26, 8, 44) + (13,) * len(model.SOURCES) + (9, 9, 14))
    ws.freeze_panes = "D3"
    sheets.print_ready(ws, title, "1:2", landscape=True)
    labels = [model.SOURCE_LABELS[s] for s in model.SOURCES]
    rule = (
        f"Highlighted: fewer than {threshold} of the triangulation sources (quantitative data, people's "
        "views, direct observation); documentation does not count."
    )
    ws.append([cells.text(rule, "bold")])
    ws.append(
        cells.header(["Key question", "ID", "Title", *labels, "Items", "Sources", "Triangulating sources"])
    )
    ws.row_dimensions[2].height = sheets.height([(h, 13) for h in labels] + [("Triangulating sources", 14)])
    counts: dict[str, dict[str, int]] = {}
    for e in items:
        for ind in dict.fromkeys(e.indicators):
            counts.setdefault(ind, dict.fromkeys(model.SOURCES, 0))[e.source] += 1
    row = 2
    for kq, group in columns:
        for ind in group:
            per = counts.get(ind, dict.fromkeys(model.SOURCES, 0))
            known = framework.indicators.get(ind)
            group_title = f"{kq.id} {kq.title}" if kq else "Not in the framework"
            ind_title = known.title if known else ""
            height = sheets.height([(group_title, 26), (ind_title, 44)])
            row += 1
            if height:
                ws.row_dimensions[row].height = height
            strong = sum(1 for s in model.TRIANGULATING if per[s])
            ws.append(
                [
                    cells.text(group_title, "wrap"),
                    cells.text(ind, "top"),
                    cells.text(ind_title, "wrap"),
                    *(cells.value(per[s], "num") for s in model.SOURCES),
                    cells.value(sum(per.values()), "num"),
                    cells.value(sum(1 for s in model.SOURCES if per[s]), "num"),
                    cells.value(strong, "weak" if strong < threshold else "num"),
                ]
            )
    last_column = get_column_letter(3 + len(model.SOURCES) + 3)
    if row > 2:
        # The fill follows the count when someone edits the sheet: a conditional format states the rule.
        ws.conditional_formatting.add(
            f"A3:{last_column}{row}", FormulaRule(formula=[f"${last_column}3<{threshold}"], fill=_WEAK_FILL)
        )


# --- Actions -----------------------------------------------------------------------------------------


ACTION_HEADERS = (
    "ID",
    "Title",
    "Indicator",
    "Area for improvement",
    "Owner",
    "Due",
    "Status",
    "Measure",
    "Unit",
    "Baseline",
    "Target",
    "Current",
    "As of",
    "Latest progress date",
    "Latest progress",
)


def _actions(wb: Workbook, actions: Iterable[model.Action], title: str) -> None:
    ws, cells = _sheet(wb, "Actions")
    widths = (10, 40, 9, 40, 22, 11, 12, 28, 8, 9, 9, 9, 11, 12, 50)
    _widths(ws, widths)
    ws.freeze_panes = "C2"
    sheets.print_ready(ws, title, "1:1", landscape=True)
    ws.append(cells.header(ACTION_HEADERS))
    ws.row_dimensions[1].height = sheets.height(list(zip(ACTION_HEADERS, widths, strict=True)))
    rows = sorted(actions, key=lambda a: (a.due or "9999", a.id))
    for number, a in enumerate(rows, start=2):
        latest_text = max(a.progress, key=lambda p: p.date).text if a.progress else ""
        height = sheets.height([(a.title, 40), (a.improvement, 40), (a.owner, 22), (latest_text, 50)])
        if height:
            ws.row_dimensions[number].height = height
        m = a.measure or model.Measure()
        latest = max(a.progress, key=lambda p: p.date, default=None)
        ws.append(
            [
                cells.text(a.id, "top"),
                cells.text(a.title, "wrap"),
                cells.text(a.indicator, "top"),
                cells.text(a.improvement, "wrap"),
                cells.text(a.owner, "wrap"),
                cells.date(a.due, "top"),
                cells.text(a.status, "top"),
                cells.text(m.name, "wrap"),
                cells.text(m.unit, "top"),
                m.baseline,
                m.target,
                m.current,
                cells.date(m.as_of, "top"),
                cells.date(latest.date, "top") if latest else None,
                cells.text(latest.text, "wrap") if latest else None,
            ]
        )
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(ACTION_HEADERS))}{len(rows) + 1}"
