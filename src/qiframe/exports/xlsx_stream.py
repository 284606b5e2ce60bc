"""openpyxl's write-only worksheet, fed ready-made styled cells: the one module using openpyxl internals.

Why internals: openpyxl's write-only sheet takes plain values cheaply, but a styled cell object costs it
about twice as much: it first tries each object as a value (formatting the object's repr for the error it
then swallows), hashes the cell's style to find its id, and allocates a fresh cell afterwards. Nearly
every cell of the evidence matrix is styled, so cells here are made from prepared styles with their style
id already known, and the sheet streams them as they are. That needs openpyxl's private
`worksheet._write_only.WriteOnlyWorksheet._values_to_row`, `Workbook._cell_styles` and
`Workbook._add_sheet`, and the private slots of `Cell` (`_value`, `_style`, `_hyperlink`, `_comment`).
They have been stable across openpyxl 3.1; pyproject.toml caps openpyxl below 3.2 so that a release that
changes them is adopted deliberately, with the matrix tests (which read every workbook back) as the check.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


class StreamCell(Cell):
    """A cell made by `StyledCells`: its style is shared with its siblings and never changed, so its id is known."""

    __slots__ = ("_sid",)

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return self._sid != 0


class StreamingSheet(WriteOnlyWorksheet):
    """openpyxl's streaming worksheet, taking ready-made `StreamCell`s as they are and anything else as a value."""

    def _values_to_row(self, values, row_idx):
        plain = WriteOnlyCell(self)
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if type(value) is StreamCell:
                cell = value
            else:
                plain.value = value
                cell = plain
            cell.column = column
            cell.row = row_idx
            if cell._hyperlink is not None:
                cell._hyperlink.ref = cell.coordinate
            yield cell
            if cell is plain and plain.has_style:
                plain = WriteOnlyCell(self)


class StyledCells:
    """Makes the cells of one streaming sheet from a few named styles, each prepared once."""

    def __init__(self, ws: StreamingSheet) -> None:
        self.ws = ws
        self.named: dict[str, dict] = {}
        self.prepared: dict[tuple, tuple[StyleArray, int]] = {}

    def style(self, name: str, **attrs) -> None:
        """Name a style: font, fill, alignment as openpyxl objects."""
        self.named[name] = attrs

    def _prepared(self, style: str | None, number_format: str | None, quote: bool) -> tuple[StyleArray, int]:
        key = (style, number_format, quote)
        found = self.prepared.get(key)
        if found is None:
            proto = WriteOnlyCell(self.ws)
            for attr, value in self.named.get(style, {}).items() if style else ():
                setattr(proto, attr, value)
            if number_format:
                proto.number_format = number_format
            if quote:
                proto.quotePrefix = True
            array = proto._style if proto._style is not None else StyleArray()
            found = self.prepared[key] = (array, self.ws.parent._cell_styles.add(array))
        return found

    def make(
        self,
        value,
        data_type: str,
        style: str | None = None,
        number_format: str | None = None,
        quote: bool = False,
    ) -> StreamCell:
        array, sid = self._prepared(style, number_format, quote)
        cell = StreamCell.__new__(StreamCell)
        cell.parent = self.ws
        cell.row = cell.column = 1
        cell._value = value
        cell.data_type = data_type
        cell._hyperlink = cell._comment = None
        cell._style = array
        cell._sid = sid
        return cell


def streaming_sheet(wb: Workbook, title: str) -> StreamingSheet:
    """A new write-only sheet added to a write-only workbook (what `wb.create_sheet` does for the stock one)."""
    ws = StreamingSheet(parent=wb, title=title)
    wb._add_sheet(ws)
    return ws
