"""Spreadsheet cells: text that must never become a formula, and the Evidence sheet's columns.

An xlsx cell can be typed as text, but a CSV file cannot: Excel and LibreOffice evaluate a CSV value that
starts with one of RISKY_START. CSV output therefore prefixes such values with an apostrophe, the usual
defence (a spreadsheet shows the text; the apostrophe is not part of the cell), and the evidence import
removes that apostrophe again so a CSV round trip changes nothing.

The Evidence sheet is a contract between the matrix export, which writes it, and the evidence import,
which reads it back; both take its headers and value display from here.
"""

from __future__ import annotations

from typing import Any

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program treat typed text as a formula."""


def csv_safe(text: str) -> str:
    """A value for a CSV cell that a spreadsheet will show as text, never evaluate."""
    return "'" + text if text.startswith(RISKY_START) else text


def from_csv(text: str) -> str:
    """Undo csv_safe."""
    return text[1:] if text.startswith("'") and text[1:].startswith(RISKY_START) else text


# --- the Evidence sheet ----------------------------------------------------------------------------

HEADERS = {
    "id": "ID",
    "title": "Title",
    "summary": "What it shows",
    "kind": "Kind",
    "source": "Source",
    "date": "Date",
    "date_to": "Date to",
    "agency": "Agency",
    "voice": "Voice",
    "ages": "Ages",
    "owner": "Owner",
    "location": "Location",
    "indicators": "Indicators",
    "themes": "Themes",
    "units": "Units",
    "submission": "Submission",
    "personal_data": "Personal data",
}
"""The Evidence sheet's header per field: the export writes these and the import reads them back."""
HEADERS_SHEET = "Evidence"
"""The sheet the export writes the register to, and the one read from a workbook by default."""


def display(field_name: str, value: Any) -> str:
    """A field's value as the Evidence sheet shows it (dates as ISO text here; the export makes them dates)."""
    if isinstance(value, tuple | list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
