"""Summarising record reading (case-file audit) in the framework's quantity terms.

The input is a table with one row per record read. One column identifies the record; a grouping column
may be named with `by`, and a reader column with `reader` (for pair agreement); every other column is a
reading item. Each item's type (the framework's scale, effectiveness, yes/no, present/absent,
agree/disagree, frequency or numbers) is detected per column, or set per column, and the answers are read
as `qiframe.analysis.items` documents: "not applicable", "don't know" and blank cells are not counted, and
every sentence states its denominator and the cells left out.

Nothing here assumes six levels or the values 1-6: the scale comes from the framework.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qiframe.analysis import items as _items
from qiframe.analysis import quantities
from qiframe.analysis.items import (  # noqa: F401 - re-exported for callers of this module
    SMALL_N,
    AnswerCount,
    ItemSummary,
    Problem,
    lower_first,
    term_phrase,
)
from qiframe.errors import InputError
from qiframe.imports.tables import Table
from qiframe.model import Level, QuantityTerms, Scale

ID_HEADERS = (
    "record",
    "record id",
    "record no",
    "record number",
    "id",
    "case",
    "case id",
    "case no",
    "case number",
)
READER_HEADERS = ("reader", "readers", "reviewer", "auditor", "read by")

LevelCount = AnswerCount


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """The items summarised over the records of one value of the grouping column."""

    value: str
    """The grouping value ("" for records with none)."""
    records: int
    """Records in the group."""
    items: tuple[ItemSummary, ...]
    """The items, in column order."""


@dataclass(frozen=True, slots=True)
class RecordsSummary:
    """A record-reading table summarised item by item."""

    path: str
    """The file read."""
    sheet: str | None
    """The worksheet, for xlsx."""
    records: int
    """Records read (data rows; a type row is not one)."""
    id_column: str | None
    """The record-id column, or None when there is none."""
    threshold: Level
    """The lowest level counted as positive for scale items."""
    phrase: str
    """How the threshold reads in a sentence, e.g. "good or better"."""
    items: tuple[ItemSummary, ...]
    """Every item over all records, in column order."""
    by: str | None = None
    """The grouping column, if any."""
    groups: tuple[GroupSummary, ...] = ()
    """Per grouping value, in order of first appearance."""
    problems: tuple[Problem, ...] = ()
    """Cells left out, in row order."""
    warnings: tuple[str, ...] = ()
    """Things the reader should know: skipped columns, small numbers, duplicate record ids."""
    skipped: tuple[str, ...] = ()
    """Columns that are not items (mostly free text)."""
    minimum: int = quantities.MINIMUM_SAMPLE
    """The minimum sample: below it, counts instead of a term."""
    type_row: int | None = None
    """The row number of the type row, if the file had one."""
    reader: str | None = None
    """The reader column, if any (not an item)."""


def summarise_records(
    table: Table,
    scale: Scale,
    terms: QuantityTerms,
    threshold: int | str | None = None,
    by: str | None = None,
    id_column: str | None = None,
    types: dict[str, str] | None = None,
    positive: dict[str, tuple[str, ...]] | None = None,
    minimum: int | None = None,
    reader: str | None = None,
) -> RecordsSummary:
    """Summarise every reading item of a record-reading table, overall and per `by` group.

    `types` sets a column's item type (header -> type id) and `positive` its positive answers; `minimum`
    overrides the framework's minimum sample.
    """
    level = threshold_level(scale, threshold)
    least = quantities.minimum_sample(terms, minimum)
    id_index = find_id_column(table, id_column)
    by_index = table.require(by) if by else None
    reader_index = (
        find_id_column(table, reader, READER_HEADERS) if reader or _has(table, READER_HEADERS) else None
    )
    skip = {i for i in (id_index, by_index, reader_index) if i is not None}
    if len(skip) == len(table.headers):
        raise InputError(
            "no reading items: every column is the record id, the reader or the grouping column", table.path
        )
    if not table.rows:
        raise InputError("no records: the table has a header row and nothing under it", table.path)
    read = _items.read_table_items(
        table, _items.types(scale, level), skip, types, positive, by_row=by is not None
    )
    item_columns = [c for c in read.columns if c.item is not None]

    def make(column, rows):
        return _items.summarise_column(column, rows, terms, least, _sentence)

    overall = tuple(make(c, None) for c in item_columns)
    groups: tuple[GroupSummary, ...] = ()
    if by_index is not None:
        groups = tuple(
            GroupSummary(value, len(rows), tuple(make(c, rows) for c in item_columns))
            for value, rows in read.groups(table, by_index).items()
        )
    skipped = [c for c in read.columns if c.item is None and c.detection.type == _items.TEXT]
    warnings = [
        f"column {c.letter} ({c.header}) is not a reading item: {c.detection.rule}; it was skipped"
        for c in skipped
        if not c.detection.named
    ]
    warnings += _items.small_n_warnings(
        [("", overall)] + [(g.value or "(blank)", g.items) for g in groups], least
    )
    if id_index is not None:
        warnings += _duplicate_ids(table, id_index, read.rows)
    return RecordsSummary(
        path=table.path,
        sheet=table.sheet,
        records=len(read.rows),
        id_column=table.headers[id_index] if id_index is not None else None,
        threshold=level,
        phrase=_items.level_phrase(scale, level),
        items=overall,
        by=table.headers[by_index] if by_index is not None else None,
        groups=groups,
        problems=read.problems,
        warnings=tuple(warnings),
        skipped=tuple(c.header for c in skipped),
        minimum=least,
        type_row=read.type_row,
        reader=table.headers[reader_index] if reader_index is not None else None,
    )


def _has(table: Table, names: tuple[str, ...]) -> bool:
    return find_id_column(table, None, names) is not None


def threshold_level(scale: Scale, threshold: int | str | None) -> Level:
    """The threshold level named by value or label, or the scale's default threshold."""
    chosen = scale.default_threshold if threshold is None else threshold
    return scale.require(chosen, "the threshold")


def threshold_phrase(scale: Scale, level: Level) -> str:
    """ "good or better"; just "excellent" when the threshold is the best level."""
    return _items.level_phrase(scale, level)


def find_id_column(
    table: Table, id_column: str | None = None, names: tuple[str, ...] = ID_HEADERS
) -> int | None:
    """The id column: the one given, or the first header that reads like one of `names`; None if none."""
    if id_column:
        return table.require(id_column)
    wanted = {_squash(h) for h in names}
    return next((i for i, h in enumerate(table.headers) if _squash(h) in wanted), None)


def _squash(text: str) -> str:
    """Case- and space-insensitive form of a header: "Record ID" and "recordid" match."""
    return "".join(text.split()).casefold().replace("_", "").replace("-", "")


def _sentence(column, item: ItemSummary) -> str:
    header = column.header
    if item.kind == "number":
        if not item.n or item.numbers is None:
            return f'No record read gave a number for "{header}".'
        return f'"{header}": {item.n} records read gave a number ({_items.number_text(item.numbers)}).'
    if item.description is None:
        left = _items.not_counted_text(item)
        return f'No record read answered "{header}"' + (f" ({left})." if left else ".")
    clause = _clause(column.item.id, header, item.phrase)
    left = _items.not_counted_text(item)
    d = item.description
    if d.counts_only:
        detail = f" ({left})" if left else ""
        return f"In {d.count} of the {d.total} records read that answered this item{detail}, {clause}."
    fraction = f"{d.fraction}: " if d.fraction else ""
    counted = f"{d.count} of {d.total} that answered this item" + (f"; {left}" if left else "")
    return f"In {term_phrase(d.term)} of the records read ({fraction}{counted}), {clause}."


def _clause(kind: str, header: str, phrase: str) -> str:
    if kind == "scale":
        return f"{lower_first(header)} was evaluated as {phrase}"
    if kind == "effectiveness":
        return f"{lower_first(header)} was {phrase}"
    if kind == "present-absent" and phrase == "present":
        return f"{lower_first(header)} was present"
    return f'the answer to "{header}" was {phrase}'


def _duplicate_ids(table: Table, id_index: int, rows: tuple[int, ...]) -> list[str]:
    ids = [table.rows[r][id_index] for r in rows]
    repeated = {rid for rid, n in Counter(ids).items() if n > 1 and rid}
    if not repeated:
        return []
    where: dict[str, list[int]] = {}
    for r, rid in zip(rows, ids, strict=True):
        if rid in repeated:
            where.setdefault(rid, []).append(table.row_numbers[r])
    return [
        f"record {rid!r} appears in rows {', '.join(map(str, numbers))}: it is counted each time (records "
        "read by two readers are compared by pair agreement instead)"
        for rid, numbers in where.items()
    ]
