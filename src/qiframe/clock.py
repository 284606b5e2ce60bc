"""Today's date: the one place qiframe reads the clock.

Everything judged against "now" — overdue actions, the dates proposals and measures are stamped with,
the age of evidence in an evaluation without a date, the date a statement or progress report carries —
takes its default from `today()`. Setting QIFRAME_TODAY=YYYY-MM-DD makes qiframe take that day as
today: tests use it so that no result depends on when they run, and anyone can re-run `qiframe check`
as of a given day.
"""

from __future__ import annotations

import datetime as dt
import os

from qiframe.errors import InputError

ENV = "QIFRAME_TODAY"


def today() -> dt.date:
    """The date qiframe takes as today: QIFRAME_TODAY when it is set, else the machine's clock."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return dt.date.today()
    from qiframe.periods import parse_date  # the one date parser: YYYY-MM-DD only, never 20250101

    day = parse_date(text)
    if day is None:
        raise InputError(f"{ENV}={text!r} is not a date; write it as YYYY-MM-DD")
    return day


def today_iso() -> str:
    """`today()` as ISO text."""
    return today().isoformat()
