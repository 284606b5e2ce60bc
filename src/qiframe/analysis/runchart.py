"""Run charts: a measure's values over time around their median, and the signals that something changed.

The rules are the usual ones of healthcare improvement (Perla, Provost and Murray, "The run chart: a
simple analytical tool for learning from variation in healthcare processes", BMJ Quality & Safety, 2011):

- a **shift**: six or more consecutive points all above or all below the median. Points exactly on the
  median are skipped: they neither break a shift nor count towards it;
- a **trend**: five or more consecutive points all going up or all going down. A point equal to the one
  before it is skipped: it neither breaks the trend nor counts;
- **too few or too many runs**: a run is a sequence of points on one side of the median (points on the
  median skipped); the number of runs is judged against the table of limits for the number of useful
  observations (points not on the median). The table starts at 10 useful observations: with fewer, the
  runs rule says nothing.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

SHIFT = 6
"""Points on one side of the median that make a shift."""
TREND = 5
"""Points going the same way that make a trend."""

RUNS_LIMITS = {  # useful observations: (fewest runs expected, most runs expected)
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (10, 19),
    28: (10, 20),
    29: (10, 20),
    30: (11, 21),
    31: (11, 22),
    32: (11, 23),
    33: (12, 23),
    34: (12, 24),
    35: (13, 24),
    36: (13, 25),
    37: (13, 25),
    38: (14, 26),
    39: (14, 26),
    40: (15, 27),
    41: (15, 27),
    42: (16, 28),
    43: (16, 28),
    44: (17, 29),
    45: (17, 30),
    46: (17, 31),
    47: (18, 31),
    48: (18, 32),
    49: (19, 32),
    50: (19, 33),
    51: (20, 33),
    52: (20, 34),
    53: (21, 35),
    54: (21, 35),
    55: (22, 36),
    56: (22, 36),
    57: (23, 37),
    58: (23, 38),
    59: (24, 38),
    60: (24, 39),
}
"""Limits for the number of runs by the number of useful observations (Perla, Provost and Murray 2011,
table 1, derived from Swed and Eisenhart's runs test at about 5%)."""


@dataclass(frozen=True)
class Signal:
    """One signal found on a run chart."""

    kind: str
    """"shift", "trend", "too-few-runs" or "too-many-runs"."""
    first: int
    """Position (0-based) of the first point it covers."""
    last: int
    """Position of the last point it covers."""
    points: int
    """How many points count towards it (for runs: the number of runs)."""
    direction: str
    """"above"/"below" for a shift, "up"/"down" for a trend, "" for runs."""
    text: str
    """The signal in words."""

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "first": self.first,
            "last": self.last,
            "points": self.points,
            "direction": self.direction or None,
            "text": self.text,
        }


@dataclass(frozen=True)
class RunChart:
    """A series of values, its median and the signals found."""

    labels: tuple[str, ...]
    """The date of each point, oldest first."""
    values: tuple[float, ...]
    """The values."""
    median: float | None
    """The median of all values; None without values."""
    useful: int
    """Points not on the median (the runs rule's number of observations)."""
    runs: int
    """Runs around the median."""
    runs_limits: tuple[int, int] | None
    """The fewest and most runs the table expects, or None when it does not cover this many points."""
    signals: tuple[Signal, ...]
    """Every signal found, in the order of the points."""

    @property
    def summary(self) -> str:
        """The signals in one sentence, or a sentence saying there are none."""
        if not self.values:
            return "No values recorded yet."
        if not self.signals:
            return "No run-chart signal: the variation looks random around the median."
        return " ".join(s.text for s in self.signals)

    def to_json(self) -> dict:
        return {
            "points": [{"date": d, "value": v} for d, v in zip(self.labels, self.values, strict=True)],
            "median": self.median,
            "useful_observations": self.useful,
            "runs": self.runs,
            "runs_limits": list(self.runs_limits) if self.runs_limits else None,
            "signals": [s.to_json() for s in self.signals],
            "summary": self.summary,
        }


def analyse(values: list[float] | tuple[float, ...], labels: list[str] | tuple[str, ...] = ()) -> RunChart:
    """The run chart of `values` (oldest first), with every shift, trend and runs signal found."""
    values = tuple(float(v) for v in values)
    labels = tuple(labels) if labels else tuple(str(i + 1) for i in range(len(values)))
    if not values:
        return RunChart(labels, values, None, 0, 0, None, ())
    median = statistics.median(values)
    sides = [(i, 1 if v > median else -1) for i, v in enumerate(values) if v != median]
    signals = _shifts(sides, labels) + _trends(values, labels)
    runs = 1 + sum(1 for (_, a), (_, b) in zip(sides, sides[1:], strict=False) if a != b) if sides else 0
    limits = RUNS_LIMITS.get(len(sides))
    if limits and runs < limits[0]:
        signals.append(
            Signal(
                "too-few-runs",
                0,
                len(values) - 1,
                runs,
                "",
                f"Too few runs: {runs} runs around the median where at least {limits[0]} are "
                f"expected for {len(sides)} useful observations.",
            )
        )
    elif limits and runs > limits[1]:
        signals.append(
            Signal(
                "too-many-runs",
                0,
                len(values) - 1,
                runs,
                "",
                f"Too many runs: {runs} runs around the median where at most {limits[1]} are "
                f"expected for {len(sides)} useful observations.",
            )
        )
    signals.sort(key=lambda s: (s.first, s.kind))
    return RunChart(labels, values, median, len(sides), runs, limits, tuple(signals))


def _shifts(sides: list[tuple[int, int]], labels: tuple[str, ...]) -> list[Signal]:
    found = []
    start = 0
    for k in range(1, len(sides) + 1):
        if k == len(sides) or sides[k][1] != sides[start][1]:
            count = k - start
            if count >= SHIFT:
                first, last = sides[start][0], sides[k - 1][0]
                way = "above" if sides[start][1] > 0 else "below"
                found.append(
                    Signal(
                        "shift",
                        first,
                        last,
                        count,
                        way,
                        f"Shift: {count} points in a row {way} the median "
                        f"({labels[first]} to {labels[last]}).",
                    )
                )
            start = k
    return found


def _trends(values: tuple[float, ...], labels: tuple[str, ...]) -> list[Signal]:
    # Repeated values count once: drop a point equal to the one before it, then look for runs of rises.
    kept = [i for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    found = []
    start = 0  # index into kept where the current monotone stretch begins
    direction = 0
    for k in range(1, len(kept) + 1):
        step = 0 if k == len(kept) else (1 if values[kept[k]] > values[kept[k - 1]] else -1)
        if k < len(kept) and (direction == 0 or step == direction):
            direction = step
            continue
        count = k - start
        if count >= TREND and direction:
            first, last = kept[start], kept[k - 1]
            way = "up" if direction > 0 else "down"
            found.append(
                Signal(
                    "trend",
                    first,
                    last,
                    count,
                    way,
                    f"Trend: {count} points in a row going {way} ({labels[first]} to {labels[last]}).",
                )
            )
        # The stretch that breaks here starts at the point before (it belongs to both directions).
        start, direction = k - 1, step
    return found
