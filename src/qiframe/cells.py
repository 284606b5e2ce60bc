"""Text bound for spreadsheet cells: it must never become a formula.

An xlsx cell can be typed as text, but a CSV file cannot: Excel and LibreOffice evaluate a CSV value that
starts with one of RISKY_START. CSV output therefore prefixes such values with an apostrophe, the usual
defence (a spreadsheet shows the text; the apostrophe is not part of the cell), and the evidence import
removes that apostrophe again so a CSV round trip changes nothing.
"""

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program treat typed text as a formula."""


def csv_safe(text: str) -> str:
    """A value for a CSV cell that a spreadsheet will show as text, never evaluate."""
    return "'" + text if text.startswith(RISKY_START) else text


def from_csv(text: str) -> str:
    """Undo csv_safe."""
    return text[1:] if text.startswith("'") and text[1:].startswith(RISKY_START) else text
