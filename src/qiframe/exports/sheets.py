"""Print set-up shared by every workbook qiframe writes (the evidence matrix, the progress workbook).

Only openpyxl's public API is used; the one thing it cannot write, Excel's list of ignored errors (which
stops it marking ids such as "2.1" as numbers stored as text), is added to the finished file's sheet XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

FONT = "Arial"
SIZE = 10
LINE_HEIGHT = 12.75
"""Points per line of 10-point Arial, as Excel and LibreOffice lay it out."""


def font(**attrs):
    """A Font with qiframe's face and size, so no cell falls back to a theme or serif face."""
    from openpyxl.styles import Font

    attrs.setdefault("name", FONT)
    attrs.setdefault("size", SIZE)
    return Font(**attrs)


def print_ready(
    ws,
    title: str,
    title_rows: str | None,
    landscape: bool,
    title_cols: str | None = None,
    gridlines: bool = False,
) -> None:
    """A4, one page wide, header rows repeated, and a footer with the sheet's name, the evaluation's title
    and the page number."""
    from qiframe.text import xml_text

    setup = ws.page_setup
    setup.paperSize = 9  # A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if gridlines:
        ws.print_options.gridLines = True
    margins = ws.page_margins
    margins.left = margins.right = 0.5
    margins.top, margins.bottom = 0.6, 0.7
    margins.header, margins.footer = 0.3, 0.3
    # & starts a code in a header or footer: a title's own & is doubled.
    safe_title = xml_text(title).replace("&", "&&")[:120]
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.center.text = safe_title
    ws.oddFooter.right.text = "Page &P of &N"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 8
        part.font = FONT


def lines(text: str, width: float) -> int:
    """How many lines a wrapped cell `width` characters wide needs for the text (words are not split)."""
    count = 0
    # A column's width counts digits; prose averages a little narrower (1.15 letters a digit, cautiously).
    usable = max(1, int(width * 1.15) - 1)
    for paragraph in str(text).split("\n"):
        used = 0
        rows = 1
        for word in paragraph.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need > usable and used:
                rows += 1 + (len(word) - 1) // usable
                used = len(word) % usable or usable
            else:
                used = need
                if used > usable:
                    rows += (used - 1) // usable
                    used = used % usable or usable
        count += rows
    return max(1, count)


def height(cells: Sequence[tuple[str, float]], size: float = SIZE) -> float | None:
    """The row height in points that shows every wrapped cell whole, or None when one line is enough."""
    # Most cells fit on one line: only text longer than its column (or holding a break) is measured.
    most = max(
        (
            lines(text, width)
            for text, width in cells
            if text and ("\n" in text or len(text) >= int(width * 1.15) - 1)
        ),
        default=1,
    )
    if most <= 1:
        return None
    return round(most * LINE_HEIGHT * size / SIZE + 3, 2)


_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
# Elements that come after ignoredErrors in a worksheet (schema order).
_AFTER = (
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def ignore_number_as_text(data: bytes) -> bytes:
    """The workbook with Excel told not to flag numbers stored as text (ids such as "2.1" are text)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if _SHEET.fullmatch(item.filename) and b"<ignoredErrors" not in content:
                text = content.decode("utf-8")
                element = '<ignoredErrors><ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/></ignoredErrors>'
                at = min((i for i in (text.find(f"<{name}") for name in _AFTER) if i >= 0), default=-1)
                end = text.rfind("</worksheet>")
                position = at if at >= 0 else end
                if position >= 0:
                    text = text[:position] + element + text[position:]
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()
