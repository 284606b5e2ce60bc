"""Turning a proportion into the quantity term inspectors use ("few", "the majority", "most", ...).

The framework's `QuantityTerms` states each band as an exact interval with inclusive or exclusive ends, and
this module applies it exactly:

- A proportion of counts (k of n) is computed as a `Fraction`, so 1 of 3 is exactly 100/3 % and never
  drifts across a band edge through floating point.
- A percentage given as a number is read as the decimal it prints as (49.9 is exactly 499/10), and so are
  the band bounds, so that 49.9 compares with a bound of 50 the way a person reading it would expect.
- With `rounding: integer` the percentage is rounded half up to a whole percent before banding, except
  that rounding never turns "some" into none or "fewer than all" into all: 0.4% stays above 0% and 99.6%
  stays below 100%, because "none" and "all" are claims about every single record.

Two more rules, for counts (k of n):

- **Minimum sample.** Below `minimum_sample` answers (the framework's `quantity_terms.minimum_sample`,
  else MINIMUM_SAMPLE = 10) one answer moves the share so far that a term misleads: "the majority" for
  1 of 2. Such a proportion is given as its counts only: the description has no term.
- **Plain fractions.** Beside the term, the fraction inspectors also say when it fits: FRACTIONS (a
  quarter, a third, half, two thirds, three quarters) exactly ("a third" for 20 of 60), or within NEAR
  percentage points of one ("just over half" for 31 of 60, "just under two thirds" for 39 of 60). The
  nearest fraction is used; nothing is said when none is that close, or for none and all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

from qiframe.errors import InputError
from qiframe.model import QuantityBand, QuantityTerms, exact

ROUNDINGS = ("none", "integer")

MINIMUM_SAMPLE = 10
"""Fewest answers for a quantity term when the framework sets no `minimum_sample`; below it, counts only."""
FRACTIONS = (
    (Fraction(1, 4), "a quarter"),
    (Fraction(1, 3), "a third"),
    (Fraction(1, 2), "half"),
    (Fraction(2, 3), "two thirds"),
    (Fraction(3, 4), "three quarters"),
)
"""Plain fractions said beside the term, as shares of 1."""
NEAR = Fraction(3)
"""How many percentage points from a fraction still count as "just over" or "just under" it."""


@dataclass(frozen=True, slots=True)
class Description:
    """A proportion described in a framework's quantity terms, with the rule that decided it."""

    percent: float
    """The exact percentage described (for counts, k/n x 100 as the nearest float)."""
    rounded: float
    """The percentage used to choose the band: `percent` itself, or rounded when the terms say so."""
    term: str
    """The quantity term, e.g. "the majority"."""
    interval: str
    """The band's interval, e.g. "[50%, 75%)": a square bracket includes that end, a round one excludes it."""
    rule: str
    """In plain words, how the band was chosen at its edges and whether the percentage was rounded."""
    note: str = ""
    """The framework's note on this band (e.g. how it settles an ambiguity in the published table)."""
    count: int | None = None
    """k, when the proportion was given as k of n."""
    total: int | None = None
    """n, when the proportion was given as k of n."""
    fraction: str = ""
    """The plain fraction it is or nearly is ("a third", "just over half"), or "" when none fits."""
    minimum: int | None = None
    """For k of n: the minimum sample applied."""

    @property
    def counts_only(self) -> bool:
        """Whether n is below the minimum sample, so the counts are given instead of a term."""
        return not self.term and self.total is not None


def describe(percent: float, terms: QuantityTerms) -> Description:
    """The quantity term for a percentage between 0 and 100."""
    exact = _decimal(percent)
    if not 0 <= exact <= 100:
        raise InputError(f"a percentage must be between 0 and 100, not {_show(percent)}")
    return _describe(exact, terms)


def fraction_hint(percent: float) -> str:
    """A warning when a percentage between 0 and 1 looks like a proportion written as a fraction
    (0.625 for 62.5%), or "" when it does not."""
    if 0 < percent < 1:
        return (
            f"{_show(percent)} is read as {_show(percent)}%; if it is a proportion (a fraction of 1), the "
            f"percentage is {_show(percent * 100)}%: run `qiframe describe {_show(percent * 100)}`"
        )
    return ""


def minimum_sample(terms: QuantityTerms, minimum: int | None = None) -> int:
    """The minimum sample in force: the one given, else the framework's, else MINIMUM_SAMPLE."""
    chosen = minimum if minimum is not None else terms.minimum_sample or MINIMUM_SAMPLE
    if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen < 1:
        raise InputError(f"the minimum sample must be a whole number of at least 1, not {chosen!r}")
    return chosen


def describe_count(k: int, n: int, terms: QuantityTerms, minimum: int | None = None) -> Description:
    """The quantity term for k of n (for example 25 records of 40 read), with its plain fraction.

    Below the minimum sample (`minimum`, else the framework's, else MINIMUM_SAMPLE) the description has no
    term, interval or fraction: only the counts are to be given.
    """
    for name, value in (("count", k), ("total", n)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"the {name} must be a whole number, not {value!r}")
    if n <= 0:
        raise InputError(f"the total must be at least 1, not {n}")
    if not 0 <= k <= n:
        raise InputError(f"the count must be between 0 and the total ({n}), not {k}")
    least = minimum_sample(terms, minimum)
    exact = Fraction(100 * k, n)
    if n < least:
        return Description(
            percent=float(exact),
            rounded=float(exact),
            term="",
            interval="",
            rule=f"{k} of {n}: fewer than the minimum sample of {least} answers, so the counts are "
            "given instead of a quantity term.",
            count=k,
            total=n,
            minimum=least,
        )
    return replace(_describe(exact, terms), count=k, total=n, minimum=least)


def fraction_phrase(percent: Fraction) -> str:
    """ "a third", "just over half", "just under two thirds", or "" when no plain fraction is near."""
    if percent in (0, 100):
        return ""
    share, words = min(FRACTIONS, key=lambda f: abs(percent - 100 * f[0]))
    gap = percent - 100 * share
    if gap == 0:
        return words
    if abs(gap) > NEAR:
        return ""
    return f"just over {words}" if gap > 0 else f"just under {words}"


def _describe(exact: Fraction, terms: QuantityTerms) -> Description:
    used = _rounded(exact, terms.rounding)
    band = _band(used, terms)
    return Description(
        percent=float(exact),
        rounded=float(used),
        term=band.term,
        interval=band.describe(),
        rule=rule_text(band, terms),
        note=band.note,
        fraction=fraction_phrase(exact),
    )


def _rounded(exact: Fraction, rounding: str) -> Fraction:
    if rounding == "none":
        return exact
    if rounding != "integer":
        raise InputError(
            f"unknown rounding {rounding!r} in the quantity terms (known: {', '.join(ROUNDINGS)})"
        )
    whole = _half_up(exact, 0)
    # "none" and "all" must stay literally true: keep 0.4% off 0% and 99.6% off 100%.
    if (whole == 0 < exact) or (whole == 100 > exact):
        return exact
    return whole


def _band(value: Fraction, terms: QuantityTerms) -> QuantityBand:
    for band in terms.bands:
        if band.contains(value):
            return band
    raise InputError(
        f"{_show(float(value))}% is in none of the quantity bands; check the framework's quantity_terms"
    )


def _decimal(number: float | int | Fraction) -> Fraction:
    """The number as the decimal it prints as: 49.9 means 499/10, not the float just below it."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise InputError(f"a percentage must be a number, not {number!r}")
    if isinstance(number, float) and not math.isfinite(number):
        raise InputError(f"a percentage must be between 0 and 100, not {number}")
    return exact(number)


def rule_text(band: QuantityBand, terms: QuantityTerms) -> str:
    """How the edges and rounding were applied, in words, for the band chosen."""
    ends = (
        f'"{band.term}" covers {band.describe()}: a square bracket includes that end and a round '
        "bracket leaves it to the neighbouring band, so every percentage falls in exactly one band."
    )
    return f"{ends} {rounding_text(terms.rounding)}"


def rounding_text(rounding: str) -> str:
    """The rounding rule in words."""
    if rounding == "integer":
        return (
            "The percentage is rounded half up to a whole percent before banding (49.5% counts as 50%), "
            "except that nothing is rounded to 0% or 100% unless it is exactly that."
        )
    return "The percentage is not rounded before banding: the exact value is compared with the bounds."


def percent_text(value: float, terms: QuantityTerms | None = None) -> str:
    """A short percentage for people, with enough decimals that it never looks like a band edge it isn't.

    49.96% is printed as "49.96%", not "50%", when 50% is an edge, so the text and the term agree.
    """
    exact = _decimal(value)
    edges = (
        {_decimal(b.lower) for b in terms.bands} | {_decimal(b.upper) for b in terms.bands}
        if terms
        else set()
    )
    for places in range(1, 7):
        shown = _half_up(exact, places)
        if shown == exact or shown not in edges:
            return f"{_show(float(shown))}%"
    return f"{_show(float(exact))}%"


def _half_up(value: Fraction, places: int) -> Fraction:
    scale = 10**places
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def _show(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"
