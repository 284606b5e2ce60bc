"""Pair agreement for record reading done in pairs: how often two readers' ratings of a record agree.

The input is a record-reading table in which each record is read twice: two rows with the same record id
(and usually a reader column saying who read it). For each item, over the records both readers answered:

- *exact agreement*: both gave the same answer (the same level; "Tend to agree" and "Agree" are one);
- *within one level*: the answers are at most one level apart, counting levels of the item's type (the
  framework's scale, effectiveness, agree/disagree, frequency), never numbers: on a four-level scale
  "Strong" and "Sound" are one level apart. For two-answer items (yes/no, present/absent) only exact
  agreement means anything, so within-one is not given.

A record one or both readers left blank, marked n/a or don't know, or answered unreadably, is left out of
that item and counted apart. A record read once, or more than twice, is left out of every item, with a
warning. The records where the readers differ by more than one level (or at all, for two-answer items)
are listed, so the group knows which to moderate.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qiframe.analysis import items as _items
from qiframe.errors import InputError
from qiframe.imports.tables import Table
from qiframe.model import Scale


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Agreement between the two readers on one item."""

    column: str
    """The item's column header."""
    letter: str
    """The item's column letter."""
    kind: str
    """The item type."""
    pairs: int
    """Records both readers answered: the denominator."""
    exact: int
    """Records on which they gave the same answer."""
    within_one: int | None
    """Records on which they were at most one level apart; None for two-answer items and numbers."""
    left_out: int
    """Records read twice that one or both readers did not answer (blank, n/a, don't know, unreadable)."""
    apart: tuple[str, ...]
    """Record ids where they differ by more than one level (two-answer items: where they differ)."""

    @property
    def exact_percent(self) -> float | None:
        return float(Fraction(100 * self.exact, self.pairs)) if self.pairs else None

    @property
    def within_one_percent(self) -> float | None:
        if not self.pairs or self.within_one is None:
            return None
        return float(Fraction(100 * self.within_one, self.pairs))


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    """Pair agreement, item by item."""

    path: str
    """The file read."""
    sheet: str | None
    """The worksheet, for xlsx."""
    id_column: str
    """The record-id column."""
    reader: str | None
    """The reader column, if any."""
    records: int
    """Records read by exactly two readers: the pairs compared."""
    items: tuple[ItemAgreement, ...]
    """Every item, in column order."""
    warnings: tuple[str, ...] = ()
    """Records not read exactly twice, skipped columns."""


def pair_agreement(
    table: Table,
    scale: Scale,
    id_column: str | None = None,
    reader: str | None = None,
    types: dict[str, str] | None = None,
) -> AgreementSummary:
    """Exact and within-one-level agreement per item between the two readings of each record."""
    from qiframe.analysis.records import READER_HEADERS, find_id_column

    id_index = find_id_column(table, id_column)
    if id_index is None:
        raise InputError(
            "pair agreement needs a record-id column (headed Record, ID or Case, or named with "
            "the id option)",
            table.path,
        )
    reader_index = find_id_column(table, reader, READER_HEADERS)
    skip = {i for i in (id_index, reader_index) if i is not None}
    read = _items.read_table_items(table, _items.types(scale), skip, types)
    readings: dict[str, list[int]] = {}
    for p, r in enumerate(read.rows):
        rid = table.rows[r][id_index]
        if rid:
            readings.setdefault(rid, []).append(p)
    pairs = {rid: ps for rid, ps in readings.items() if len(ps) == 2}
    warnings = [
        f"record {rid!r} is read {len(ps)} time{'s' if len(ps) > 1 else ''}, not twice: left out"
        for rid, ps in readings.items()
        if len(ps) != 2
    ]
    warnings += [
        f"column {c.letter} ({c.header}) is not a reading item: {c.detection.rule}; it was skipped"
        for c in read.columns
        if c.detection.type == _items.TEXT and not c.detection.named
    ]
    out = [_item(c, pairs) for c in read.columns if c.item is not None and c.item.id != "number"]
    return AgreementSummary(
        table.path,
        table.sheet,
        table.headers[id_index],
        table.headers[reader_index] if reader_index is not None else None,
        len(pairs),
        tuple(out),
        tuple(warnings),
    )


def _item(column: _items.Column, pairs: dict[str, list[int]]) -> ItemAgreement:
    item = column.item
    assert item is not None  # only the columns read as items are compared
    position = {level.rank: i for i, level in enumerate(item.levels)}
    ordinal = item.ordinal
    compared = exact = within = left = 0
    apart = []
    for rid, (first, second) in pairs.items():
        a, b = column.cell(first), column.cell(second)
        if a.tag != "answer" or b.tag != "answer" or a.answer is None or b.answer is None:
            left += 1
            continue
        compared += 1
        gap = abs(position[a.answer.rank] - position[b.answer.rank])
        exact += gap == 0
        within += gap <= 1
        if gap > (1 if ordinal else 0):
            apart.append(rid)
    return ItemAgreement(
        column.header,
        column.letter,
        item.id,
        compared,
        exact,
        within if ordinal else None,
        left,
        tuple(apart),
    )
