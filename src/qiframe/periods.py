"""The one parser of dates and periods in qiframe: a day, a month or a year, kept at the precision given.

Registers are dated the way people write them: "14/03/2025", "March 2025", "2025-03", "2025". Each is
stored as ISO text at its own precision ("2025-03-14", "2025-03", "2025"), shown as written
("14 March 2025", "March 2025", "2025"), and read by the rules as the span it covers: "March 2025" starts
on 1 March and ends on 31 March, so an item dated by month is stale, or in the future, by the right day.

Everything that reads or checks a date goes through this module: the schemas' date formats, the commands'
options, the spreadsheet import and the check rules.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("day", "month", "year")

MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_UK_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_WORD_MONTH = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")
_WORD_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")


@dataclass(frozen=True, slots=True)
class Period:
    """A date at the precision it was given: one day, one month or one year."""

    text: str
    """The stored form: ISO at its precision, "2025-03-14", "2025-03" or "2025"."""
    precision: str
    """"day", "month" or "year"."""
    start: date
    """The first day it covers."""
    end: date
    """The last day it covers."""

    @property
    def label(self) -> str:
        """How it is shown: "14 March 2025", "March 2025" or "2025"."""
        if self.precision == "year":
            return self.text
        month = f"{calendar.month_name[self.start.month]} {self.start.year}"
        return month if self.precision == "month" else f"{self.start.day} {month}"


def _day(year: int, month: int, day: int) -> Period | None:
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return Period(when.isoformat(), "day", when, when)


def _month(year: int, month: int) -> Period | None:
    if not 1 <= month <= 12 or year < 1:
        return None
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year:04d}-{month:02d}", "month", date(year, month, 1), date(year, month, last))


def _year(year: int) -> Period | None:
    if year < 1:
        return None
    return Period(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))


def parse(text: str, precisions: tuple[str, ...] = PRECISIONS) -> Period | None:
    """The period a person wrote, or None when it is not one (or not of an allowed precision).

    Accepted: "2025-03-14" (also with a time after it, as spreadsheets give dates), "14/03/2025" (day
    first, as in the UK), "14 March 2025", "2025-03", "03/2025", "March 2025" or "Mar 2025", and "2025".
    """
    text = " ".join(str(text).split())
    if len(text) > 10 and text[10] in "T " and _ISO_DAY.fullmatch(text[:10]):
        text = text[:10]
    found = _parse(text)
    return found if found is not None and found.precision in precisions else None


def _parse(text: str) -> Period | None:
    if m := _ISO_DAY.fullmatch(text):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if m := _UK_DAY.fullmatch(text):
        return _day(int(m[3]), int(m[2]), int(m[1]))
    if m := _WORD_DAY.fullmatch(text):
        month = MONTHS.get(m[2].casefold())
        return _day(int(m[3]), month, int(m[1])) if month else None
    if m := _ISO_MONTH.fullmatch(text):
        return _month(int(m[1]), int(m[2]))
    if m := _UK_MONTH.fullmatch(text):
        return _month(int(m[2]), int(m[1]))
    if m := _WORD_MONTH.fullmatch(text):
        month = MONTHS.get(m[1].casefold())
        return _month(int(m[2]), month) if month else None
    if m := _YEAR.fullmatch(text):
        return _year(int(m[1]))
    return None


def stored(text: str, precisions: tuple[str, ...] = PRECISIONS) -> Period | None:
    """A period in its stored form only ("2025-03-14", "2025-03", "2025"); None for anything else."""
    found = parse(text, precisions) if isinstance(text, str) else None
    return found if found is not None and found.text == text else None


def parse_date(text: str) -> date | None:
    """An ISO date (YYYY-MM-DD), or None when empty or not a date."""
    found = stored(text, ("day",)) if text else None
    return found.start if found else None


def start(text: str) -> date | None:
    """The first day a stored date or period covers ("2025-03" -> 1 March 2025), or None."""
    found = stored(text) if text else None
    return found.start if found else None


def end(text: str) -> date | None:
    """The last day a stored date or period covers ("2025-03" -> 31 March 2025), or None."""
    found = stored(text) if text else None
    return found.end if found else None


def show(text: str) -> str:
    """A stored date as people read it ("March 2025"); other text unchanged."""
    found = stored(text) if text else None
    return found.label if found else text


HINT = "write it as 2025-03-31, 31/03/2025, March 2025, 2025-03 or 2025"
"""What the messages about a date that cannot be read suggest."""


def span(text: str, what: str = "--date", precisions: tuple[str, ...] = PRECISIONS) -> tuple[str, str]:
    """A date or a period FROM:TO as written, in stored form (start, end; end "" for a single date).

    Raises an InputError naming `what` when a side is not a date or the period ends before it starts.
    """
    from qiframe.errors import InputError

    if not text:
        return "", ""
    first, sep, second = text.partition(":")
    start = parse(first, precisions)
    end = parse(second, precisions) if sep else None
    lead = f"{what} {text!r}: " if what else ""
    if start is None or (sep and end is None):
        allowed = (
            "an ISO date (2025-03-31)"
            if precisions == ("day",)
            else "a date (2025-03-31, 31/03/2025, March 2025, 2025-03 or 2025) or a period FROM:TO"
        )
        raise InputError(f"{lead}expected {allowed}")
    if end is not None and end.end < start.start:
        raise InputError(f"{lead}the period ends before it starts")
    return start.text, (end.text if end is not None and end.text != start.text else "")
