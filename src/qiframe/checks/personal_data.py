"""Rule `personal-data`: a likely personal identifier in text that an export could contain.

The detectors are plain functions so they can be tested on their own. They aim at identifiers with a
recognisable shape and, where one exists, a check (a CHI number's date and check digit), so ordinary
figures in evidence summaries ("1,204 referrals", "2024-25") are not mistaken for them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from qiframe.checks import Context, Finding, rule

KINDS = {
    "chi": "a CHI number",
    "email": "an email address",
    "phone": "a UK phone number",
    "ni": "a National Insurance number",
}

# Ten digits, alone or grouped 3-3-4 or 6-4 with spaces or dashes (one kind of separator in 3-3-4).
_CHI = re.compile(r"(?<![\w./-])(\d{10}|\d{3}([ -])\d{3}\2\d{4}|\d{6}[ -]\d{4})(?![\w/]|[.,-]\d)")
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])"
)
# +44 or 0, then a national number of 9 or 10 digits; UK numbers start 1, 2, 3, 5, 7, 8 or 9 after the
# 0, which keeps sums of money, years and counts with a leading zero out. Spaces and one pair of
# brackets around the area code are allowed; slashes, dots and dashes are not, so dates never match,
# and a run of digits that carries on past the number ("05 03 2024 10 11") is not a phone number.
_PHONE = re.compile(
    r"(?<![\w./+-])(?<!\d\s)(?:\+44\s?(?:\(0\)\s?)?|\(0|0)[1235789](?:\)?\s?\d){8,9}"
    r"(?!\s?\d|[/.,-]\d)"
)
# Two letters (not D, F, I, Q, U, V first; not D, F, I, O, Q, U, V second; never the unused prefixes),
# six digits and a suffix A-D, compact or in the usual pairs.
_NI = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE,
)
# Every identifier above holds six digits with little between them (CHI, phone, NI) or an @ (email).
# Scanning all the text once for these finds the few texts worth running the full detectors on; the
# pattern starts only at digits, which keeps the scan fast.
_DIGITS = re.compile(r"\d(?:[ ()-]{0,3}\d){5}")
_SEPARATOR = "\n\x00\n"


@dataclass(frozen=True)
class Identifier:
    """One likely identifier found in a text."""

    kind: str
    """chi, email, phone or ni."""
    start: int
    """Offset of its first character in the text."""
    text: str
    """The identifier as written."""

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def masked(self) -> str:
        """A form safe to print in a report or a CI log: enough to find it, not enough to use it."""
        if self.kind == "email":
            local, _, domain = self.text.partition("@")
            return f"{local[0]}***@{domain}"
        return self.text[0] + "*" * (len(self.text) - 3) + self.text[-2:]


def chi_valid(number: str) -> bool:
    """A CHI number: ten digits whose first six are a date (DDMMYY) and whose last is the modulus 11
    check digit of the first nine (weights 10 down to 2; 11 means 0 and 10 never occurs)."""
    digits = re.sub(r"[ -]", "", number)
    if len(digits) != 10 or not digits.isdigit() or not _ddmmyy(digits[:6]):
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _ddmmyy(text: str) -> bool:
    day, month, year = int(text[:2]), int(text[2:4]), int(text[4:6])
    # The century is not recorded: 29 February is a date when either reading of the year is a leap year.
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False


def find_identifiers(text: str) -> list[Identifier]:
    """Likely personal identifiers in a text, in order; a CHI number is not reported again as a phone."""
    if "@" not in text and not _DIGITS.search(text):
        return []
    found = [Identifier("chi", m.start(1), m.group(1)) for m in _CHI.finditer(text) if chi_valid(m.group(1))]
    found += [Identifier("email", m.start(), m.group()) for m in _EMAIL.finditer(text)]
    taken = [(f.start, f.end) for f in found]
    for m in _PHONE.finditer(text):
        if not any(m.start() < end and start < m.end() for start, end in taken):
            found.append(Identifier("phone", m.start(), m.group()))
    for m in _NI.finditer(text):
        # Lower case is accepted only written compactly: "we 12 34 56 a" is prose, "ab123456c" is not.
        if " " in m.group() and m.group() != m.group().upper():
            continue
        found.append(Identifier("ni", m.start(), m.group()))
    return sorted(found, key=lambda f: f.start)


@rule("personal-data", "error")
def personal_data(ctx: Context) -> Iterator[Finding]:
    """Text that an export could contain holds what looks like a personal identifier: a CHI number (ten
    digits starting with a valid date and ending with a correct modulus 11 check digit), an email
    address, a UK phone number or a National Insurance number.

    Evidence about children and families must not leave the partnership in a position statement or an
    evidence matrix. Remove the identifier, mark an evidence item `personal_data: true` (it is then kept
    out of exports and not checked), or, when the text is fine to share (a team's work email, say),
    suppress the finding for that item with a reason in evaluation.yaml.

    Passes:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Audit of 40 child protection case files
        summary: 31 of 40 chronologies (78%) were up to date.

    Fails:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Audit of 40 child protection case files
        summary: The chronology for CHI 120380 2358 was not up to date.
    """
    for path, where, text, indicator, evidence in candidates(ctx.texts()):
        for found in find_identifiers(text):
            field = ".".join(str(w) for w in where)
            yield Finding(
                f"{field} contains what looks like {KINDS[found.kind]} ({found.masked()})",
                path=path,
                where=where,
                indicator=indicator,
                evidence=evidence,
                item=_item(path),
            )


def candidates(texts: list[tuple]) -> list[tuple]:
    """The entries of `iter_text` whose text may hold an identifier, found in one scan of all of them.

    Thousands of short texts cost more in per-call overhead than in matching, so they are joined with a
    separator no candidate can span and scanned once.
    """
    starts, offset = [], 0
    for entry in texts:
        starts.append(offset)
        offset += len(entry[2]) + len(_SEPARATOR)
    joined = _SEPARATOR.join(entry[2] for entry in texts)
    positions = [m.start() for m in _DIGITS.finditer(joined)]
    at = joined.find("@")
    while at != -1:
        positions.append(at)
        at = joined.find("@", at + 1)
    hits = sorted({bisect.bisect_right(starts, pos) - 1 for pos in positions})
    return [texts[i] for i in hits]


def _item(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".yaml") else name
