"""Reading a spreadsheet (CSV or xlsx) as a table of text cells.

Every cell comes back as text exactly as a person would read it: formulas are never evaluated (a formula
cell gives its formula text, so a hostile workbook cannot make qiframe compute anything), whole numbers
have no trailing ".0", and dates are ISO. Row numbers are the ones the spreadsheet shows, so problems can
be found by eye. The reader is generic: record reading, surveys and evidence import all use it.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from qiframe.errors import InputError

MiB = 1024 * 1024
MAX_BYTES = 50 * MiB
MAX_ROWS = 1_000_000
# An xlsx file is a zip: a small file can inflate to gigabytes. Its parts' declared sizes are summed
# before openpyxl opens it (Python's zipfile never inflates a member beyond its declared size).
MAX_UNZIPPED = 200 * MiB
DELIMITERS = (",", ";", "\t")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet of text cells under one header row."""

    headers: tuple[str, ...]
    """Column headers, stripped of surrounding spaces; unique ignoring case."""
    rows: tuple[tuple[str, ...], ...]
    """Data rows, each as long as `headers`; empty cells are ""; wholly empty rows are left out."""
    row_numbers: tuple[int, ...]
    """For each data row, its row number as the spreadsheet shows it (the header row is usually 1)."""
    path: str
    """The file read."""
    sheet: str | None = None
    """The worksheet read, for xlsx; None for CSV."""

    def index(self, header: str) -> int | None:
        """The position of a column by its header (case- and space-insensitive), or None."""
        key = _key(header)
        return next((i for i, h in enumerate(self.headers) if _key(h) == key), None)

    def require(self, header: str) -> int:
        """The position of a column, or an InputError listing the headers."""
        found = self.index(header)
        if found is None:
            raise InputError(f"no column {header!r} (columns: {', '.join(self.headers)})", self.path)
        return found

    def column(self, index: int) -> list[str]:
        """Every data cell of one column."""
        return [row[index] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(
    path: str | os.PathLike, sheet: str | None = None, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES
) -> Table:
    """Read a CSV or xlsx file; bad, oversized or unreadable files raise InputError naming the file."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise InputError(
            f"cannot read {suffix or 'a file without an extension'}: save it as .csv or .xlsx", path
        )
    _check_size(path, max_bytes)
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise InputError("a CSV file has no sheets; {sheet} is for xlsx files", path, options=("sheet",))
        raw = _csv_rows(path, max_rows)
    else:
        sheet, raw = _xlsx_rows(path, sheet, max_rows)
    return _build(path, sheet, raw)


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path) from None
    if not path.is_file():
        raise InputError("not a file", path)
    if size > max_bytes:
        raise InputError(f"the file is {size / MiB:.1f} MiB, over the limit of {max_bytes / MiB:g} MiB", path)


# --- CSV ---------------------------------------------------------------------------------------------


def _csv_rows(path: Path, max_rows: int) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
        if b"\x00" in data:
            at = data.index(b"\x00")
            raise InputError(
                'holds a NUL byte, so it is not CSV text; save it as "CSV UTF-8"',
                path,
                data.count(b"\n", 0, at) + 1,
            )
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f'not UTF-8 text (byte {exc.start}); save it as "CSV UTF-8"', path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=False)
    try:
        # A spreadsheet shows one row per record, even when a quoted cell spans several lines.
        rows = list(enumerate(itertools.islice(reader, max_rows + 2), start=1))
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", path, reader.line_num) from None
    _check_rows(len(rows), max_rows, path)
    return rows


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line among comma, semicolon and tab; comma when none appears.

    Only the header line is looked at, outside quotes: headers rarely hold delimiters, while answers
    ("Yes; mostly") often do, which is what misleads a whole-file sniffer.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_rows(count: int, max_rows: int, path: Path) -> None:
    # +1: the header row does not count against the limit on data rows.
    if count > max_rows + 1:
        raise InputError(f"more than {max_rows:,} rows; split the file or raise the limit", path)


# --- xlsx --------------------------------------------------------------------------------------------


def _xlsx_rows(path: Path, sheet: str | None, max_rows: int) -> tuple[str, list[tuple[int, list[str]]]]:
    _check_zip(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (
        zipfile.BadZipFile,
        KeyError,
        InvalidFileException,
        OSError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,
        EOFError,
    )  # SyntaxError covers XML ParseError
    try:
        # data_only=False: a formula cell yields its formula text; nothing is ever computed.
        workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except broken as exc:
        raise InputError(f"not a readable xlsx workbook ({_reason(exc)})", path) from None
    try:
        worksheet = _worksheet(workbook, sheet, path)
        return worksheet.title, _sheet_rows(worksheet, max_rows, path)
    except broken as exc:
        raise InputError(f"not a readable xlsx workbook ({_reason(exc)})", path) from None
    finally:
        workbook.close()


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable xlsx workbook ({_reason(exc)})", path) from None
    if inflated > MAX_UNZIPPED:
        raise InputError(
            f"the workbook unpacks to {inflated / MiB:,.0f} MiB, over the limit of "
            f"{MAX_UNZIPPED / MiB:g} MiB",
            path,
        )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _worksheet(workbook, sheet: str | None, path: Path):
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not worksheets:
        raise InputError("the workbook has no worksheet", path)
    if sheet is None:
        return worksheets[0]
    found = next((ws for ws in worksheets if ws.title == sheet), None)
    found = found or next((ws for ws in worksheets if _key(ws.title) == _key(sheet)), None)
    if found is None:
        names = ", ".join(repr(ws.title) for ws in worksheets)
        raise InputError(f"no sheet {sheet!r} (sheets: {names})", path)
    return found


def _sheet_rows(worksheet, max_rows: int, path: Path) -> list[tuple[int, list[str]]]:
    # Some writers record a wrong dimension (e.g. "A1"); reading without it sees every cell.
    worksheet.reset_dimensions()
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        rows.append((number, [cell_text(v) for v in values]))
        if number > max_rows + 1:
            _check_rows(number, max_rows, path)
    return rows


def cell_text(value: object) -> str:
    """A cell value as the text a person sees: no ".0" on whole numbers, ISO dates, formulas as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    # Array and data-table formulas arrive as objects holding their formula text.
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


# --- shared ------------------------------------------------------------------------------------------


def _build(path: Path, sheet: str | None, raw: list[tuple[int, list[str]]]) -> Table:
    stripped = ((number, list(map(str.strip, cells))) for number, cells in raw)
    filled = [(number, cells) for number, cells in stripped if any(cells)]
    if not filled:
        raise InputError("the file has no header row (it is empty)", path)
    header_number, headers = filled[0]
    body = filled[1:]
    width = _width(headers, body)
    headers = headers[:width] + [""] * (width - len(headers))
    _check_headers(headers, body, path, header_number)
    keep = [i for i, h in enumerate(headers) if h]
    pick = _picker(keep, width)
    rows = tuple(pick(cells) for _, cells in body)
    return Table(tuple(headers[i] for i in keep), rows, tuple(n for n, _ in body), str(path), sheet)


def _picker(keep: list[int], width: int):
    """A function from a row's cells to the kept cells as a tuple, padding short rows with ""."""
    empty = [""] * width
    select: Callable[[list[str]], Any]
    if len(keep) == width:
        select = tuple
    elif len(keep) == 1:
        only = keep[0]

        def one(cells: list[str]) -> tuple[str, ...]:
            return (cells[only],)

        select = one
    else:
        select = operator.itemgetter(*keep)

    def pick(cells: list[str]) -> tuple[str, ...]:
        if len(cells) != width:
            cells = (cells + empty)[:width]
        return select(cells)

    return pick


def _width(headers: list[str], body: list[tuple[int, list[str]]]) -> int:
    """The number of columns: up to the last header or data cell that holds anything."""
    last = max((i for i, h in enumerate(headers) if h), default=-1)
    for _, cells in body:
        for i in range(len(cells) - 1, last, -1):
            if cells[i]:
                last = i
                break
    return last + 1


def _check_headers(headers: list[str], body: list[tuple[int, list[str]]], path: Path, line: int) -> None:
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        letter = column_letter(i)
        if not header:
            # An unnamed column is fine only while it is empty (spreadsheets often carry blank columns).
            if any(i < len(cells) and cells[i] for _, cells in body):
                raise InputError(f"column {letter} has data but no header; give it a header", path, line)
            continue
        key = _key(header)
        if key in seen:
            raise InputError(
                f"columns {column_letter(seen[key])} and {letter} have the same header "
                f"{header!r}; headers must be unique",
                path,
                line,
            )
        seen[key] = i


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def check_workbook_file(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a workbook that is missing, oversized, not a zip, or that would unpack to too much, before
    openpyxl opens it (for readers that need more of a workbook than its first table)."""
    path = Path(path)
    _check_size(path, max_bytes)
    _check_zip(path)
