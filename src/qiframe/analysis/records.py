"""Summarising record reading (case-file audit) in the framework's quantity terms.

The input is a table with one row per record read. One column identifies the record; every other column
(except a grouping column named with `by`) is a reading item:

- a *graded* item holds levels of the framework's scale, by value or label ("5" and "Very good" are the
  same answer, ignoring case and spacing);
- a *yes/no* item holds yes or no (y, n);
- any item may hold "not applicable" (n/a, na), which leaves the record out of that item's count, or be
  empty, which means the item was not answered.

A column is graded or yes/no by what most of its answers are. A cell that fits neither, or fits the other
kind, is reported as a problem (row and column) and left out. A column in which most answers are neither
levels nor yes/no (a comment column, say) is not an item: it is skipped with a warning.

Nothing here assumes six levels or the values 1-6: the scale comes from the framework.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qiframe.analysis import quantities
from qiframe.analysis.quantities import Description
from qiframe.errors import InputError
from qiframe.imports.tables import Table, column_letter
from qiframe.model import Level, QuantityTerms, Scale

# Below this many answers one record moves the share by more than five points, which can jump a whole
# band; such proportions are flagged so that the numbers are quoted alongside (or instead of) the term.
SMALL_N = 20

ID_HEADERS = ("record", "record id", "record no", "record number", "id", "case", "case id", "case no",
              "case number")
YES = ("yes", "y")
NO = ("no", "n")
NOT_APPLICABLE = ("not applicable", "n/a", "na", "n.a.")

GRADED, YES_NO, UNANSWERED = "graded", "yes/no", "unanswered"


@dataclass(frozen=True, slots=True)
class LevelCount:
    """How many answers gave one level of the scale."""

    value: int
    """The level's value."""
    label: str
    """The level's label."""
    count: int
    """How many records were evaluated at this level."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell that could not be read as an answer; it is left out of the counts."""

    row: int
    """Row number as the spreadsheet shows it."""
    column: str
    """The column's header."""
    letter: str
    """The column's letter, e.g. "C"."""
    value: str
    """The cell's text."""
    message: str
    """What is wrong with it."""

    def __str__(self) -> str:
        return f"row {self.row}, column {self.letter} ({self.column}): {self.message}"


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """One reading item summarised over a set of records."""

    column: str
    """The item's column header."""
    letter: str
    """The item's column letter."""
    kind: str
    """"graded", "yes/no", or "unanswered" when no record answered it."""
    n: int
    """Records that answered it (not empty, not "not applicable", not a problem)."""
    positive: int
    """Graded: answers at or above the threshold. Yes/no: answers "yes"."""
    description: Description | None
    """`positive` of `n` in quantity terms; None when n is 0."""
    sentence: str
    """A drafted sentence for a report."""
    distribution: tuple[LevelCount, ...] = ()
    """Graded: the count at every level of the scale, best first, zeros included."""
    not_applicable: int = 0
    """Records that marked it not applicable."""
    not_answered: int = 0
    """Records that left it empty."""
    problems: int = 0
    """Cells left out because they could not be read."""
    small_n: bool = False
    """Whether n is below SMALL_N (and above 0): the term should be quoted with its numbers."""

    @property
    def share(self) -> float | None:
        """`positive` as a percentage of `n`, or None when n is 0."""
        return self.description.percent if self.description else None


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
    """Records read (data rows)."""
    id_column: str | None
    """The record-id column, or None when there is none."""
    threshold: Level
    """The lowest level counted as positive for graded items."""
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


def summarise_records(table: Table, scale: Scale, terms: QuantityTerms, threshold: int | str | None = None,
                      by: str | None = None, id_column: str | None = None) -> RecordsSummary:
    """Summarise every reading item of a record-reading table, overall and per `by` group."""
    level = threshold_level(scale, threshold)
    phrase = threshold_phrase(scale, level)
    id_index = find_id_column(table, id_column)
    by_index = table.require(by) if by else None
    columns = [i for i in range(len(table.headers)) if i not in (id_index, by_index)]
    if not columns:
        raise InputError("no reading items: every column is the record id or the grouping column", table.path)
    reader = _Reader(scale)
    transposed = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.headers)
    parsed = {i: reader.column(transposed[i]) for i in columns}
    tallies = {i: Counter(cells) for i, cells in parsed.items()}
    kinds = {i: _kind(tally) for i, tally in tallies.items()}
    skipped = [i for i in columns if kinds[i] is None]
    items = [i for i in columns if kinds[i] is not None]
    problems = _problems(table, parsed, tallies, kinds, items, scale)
    make = _ItemMaker(table, scale, level, phrase, terms)
    overall = tuple(make(i, kinds[i], tallies[i]) for i in items)
    groups = _groups(transposed[by_index], items, kinds, parsed, make) if by_index is not None else ()
    warnings = _warnings(table, skipped, overall, groups, id_index, scale)
    return RecordsSummary(
        path=table.path, sheet=table.sheet, records=len(table.rows),
        id_column=table.headers[id_index] if id_index is not None else None, threshold=level, phrase=phrase,
        items=overall, by=table.headers[by_index] if by_index is not None else None, groups=groups,
        problems=tuple(problems), warnings=tuple(warnings), skipped=tuple(table.headers[i] for i in skipped))


def threshold_level(scale: Scale, threshold: int | str | None) -> Level:
    """The threshold level named by value or label, or the scale's default threshold."""
    chosen = scale.default_threshold if threshold is None else threshold
    level = scale.parse(chosen)
    if level is None:
        known = ", ".join(f"{lv.value} {lv.label}" for lv in scale.levels)
        raise InputError(f"the threshold {threshold!r} is not a level of the scale {scale.id!r} ({known})")
    return level


def threshold_phrase(scale: Scale, level: Level) -> str:
    """ "good or better"; just "excellent" when the threshold is the best level."""
    label = level.label.lower()
    return label if level.value == max(scale.values) else f"{label} or better"


def find_id_column(table: Table, id_column: str | None = None, names: tuple[str, ...] = ID_HEADERS) -> int | None:
    """The id column: the one given, or the first header that reads like one of `names`; None if none."""
    if id_column:
        return table.require(id_column)
    wanted = {_squash(h) for h in names}
    return next((i for i, h in enumerate(table.headers) if _squash(h) in wanted), None)


def _squash(text: str) -> str:
    """Case- and space-insensitive form of a header: "Record ID" and "recordid" match."""
    return "".join(text.split()).casefold().replace("_", "").replace("-", "")


# --- reading cells -----------------------------------------------------------------------------------

# A parsed cell: ("level", value), ("yes", None), ("no", None), ("na", None), ("empty", None) or
# ("invalid", None).
Cell = tuple[str, int | None]


class _Reader:
    """Parses cells with a cache: a column of 100,000 cells holds only a handful of distinct texts."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.cache: dict[str, Cell] = {"": ("empty", None)}

    def column(self, cells) -> list[Cell]:
        for text in set(cells).difference(self.cache):
            self.parse(text)
        return list(map(self.cache.__getitem__, cells))

    def parse(self, text: str) -> Cell:
        key = " ".join(text.split()).casefold()
        level = self.scale.parse(key) if key else None
        if not key:
            found: Cell = ("empty", None)
        elif level is not None:
            found = ("level", level.value)
        elif key in YES:
            found = ("yes", None)
        elif key in NO:
            found = ("no", None)
        elif key in NOT_APPLICABLE:
            found = ("na", None)
        else:
            found = ("invalid", None)
        self.cache[text] = found
        return found


def _kind(cells: Counter) -> str | None:
    """What most answers in the column are; None when most are neither levels nor yes/no."""
    tally = _tags(cells)
    levels, yes_no, invalid = tally["level"], tally["yes"] + tally["no"], tally["invalid"]
    if invalid > levels + yes_no:
        return None
    if not levels and not yes_no:
        return UNANSWERED
    return GRADED if levels >= yes_no else YES_NO


def _accepts(kind: str, tag: str) -> bool:
    if tag in ("empty", "na"):
        return True
    return (tag == "level") if kind == GRADED else (tag in ("yes", "no")) if kind == YES_NO else False


def _tags(tally: Counter) -> Counter:
    """Counts by tag ("level", "yes", ...) from counts by parsed cell."""
    tags: Counter = Counter()
    for (tag, _), count in tally.items():
        tags[tag] += count
    return tags


def _problems(table: Table, parsed: dict[int, list[Cell]], tallies: dict[int, Counter],
              kinds: dict[int, str | None], items: list[int], scale: Scale) -> list[Problem]:
    found = []
    for i in items:
        if all(_accepts(kinds[i], tag) for tag, _ in tallies[i]):
            continue  # the common case: no cell to report, so no need to walk the column
        for r, (tag, _) in enumerate(parsed[i]):
            if not _accepts(kinds[i], tag):
                text = table.rows[r][i]
                found.append(Problem(table.row_numbers[r], table.headers[i], column_letter(i), text,
                                     _problem_message(text, kinds[i], tag, scale)))
    found.sort(key=lambda p: (p.row, len(p.letter), p.letter))
    return found


def _problem_message(text: str, kind: str, tag: str, scale: Scale) -> str:
    levels = ", ".join(f"{lv.value} {lv.label}" for lv in scale.levels)
    if kind == GRADED and tag in ("yes", "no"):
        return f"{text!r} is yes/no but the other answers in this column are levels ({levels}); left out"
    if kind == YES_NO and tag == "level":
        return f"{text!r} is a level but the other answers in this column are yes/no; left out"
    if kind == GRADED:
        return f"{text!r} is not a level of the scale {scale.id!r} ({levels}) nor n/a; left out"
    return f"{text!r} is not yes, no or n/a; left out"


# --- counting ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ItemMaker:
    """Summarises one item from its tally of parsed cells; holds what every item shares."""

    table: Table
    """The table, for headers."""
    scale: Scale
    """The scale, for the distribution."""
    level: Level
    """The threshold level."""
    phrase: str
    """The threshold phrase used in sentences."""
    terms: QuantityTerms
    """The quantity terms."""

    def __call__(self, i: int, kind: str, tally: Counter) -> ItemSummary:
        tags = _tags(tally)
        if kind == GRADED:
            counts = {value: count for (tag, value), count in tally.items() if tag == "level"}
            n = sum(counts.values())
            positive = sum(c for v, c in counts.items() if v >= self.level.value)
            distribution = tuple(LevelCount(lv.value, lv.label, counts.get(lv.value, 0))
                                 for lv in sorted(self.scale.levels, key=lambda lv: -lv.value))
        else:
            n, positive, distribution = tags["yes"] + tags["no"], tags["yes"], ()
        description = quantities.describe_count(positive, n, self.terms) if n else None
        header = self.table.headers[i]
        return ItemSummary(
            column=header, letter=column_letter(i), kind=kind, n=n, positive=positive, description=description,
            sentence=_sentence(header, kind, description, self.phrase), distribution=distribution,
            not_applicable=tags["na"], not_answered=tags["empty"],
            problems=sum(c for t, c in tags.items() if not _accepts(kind, t)), small_n=0 < n < SMALL_N)


def _sentence(header: str, kind: str, description: Description | None, phrase: str) -> str:
    if description is None:
        return f'No record read answered "{header}".'
    lead = f"In {term_phrase(description.term)} of the records read ({description.count} of {description.total})"
    if kind == GRADED:
        return f"{lead}, {lower_first(header)} was evaluated as {phrase}."
    return f'{lead}, the answer to "{header}" was yes.'


def term_phrase(term: str) -> str:
    """A term ready to stand before "of the ...": a bare "majority" or "minority" takes "the"."""
    return f"the {term}" if term.split()[:1] in (["majority"], ["minority"]) else term


def lower_first(text: str) -> str:
    """ "Chronology" -> "chronology", but "IRD held" and "SHANARRI" keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _groups(values, items: list[int], kinds: dict, parsed: dict, make: _ItemMaker) -> tuple[GroupSummary, ...]:
    """Per grouping value, in order of first appearance; one pass over each column for all groups."""
    sizes = Counter(values)
    order = list(dict.fromkeys(values))
    tallies: dict[str, dict[int, Counter]] = {value: {} for value in order}
    for i in items:
        for (value, cell), n in Counter(zip(values, parsed[i], strict=True)).items():
            tallies[value].setdefault(i, Counter())[cell] += n
    return tuple(GroupSummary(value, sizes[value], tuple(make(i, kinds[i], tallies[value].get(i, Counter()))
                                                          for i in items))
                 for value in order)


def _warnings(table, skipped, overall, groups, id_index, scale) -> list[str]:
    out = [f"column {column_letter(i)} ({table.headers[i]}) is not a reading item: most of its answers are "
           f"neither levels of the scale {scale.id!r} nor yes/no, so it was skipped" for i in skipped]
    out += small_n_warnings([("", overall)] + [(g.value or "(blank)", g.items) for g in groups])
    if id_index is not None:
        out += _duplicate_ids(table, id_index)
    return out


def small_n_warnings(sets: list[tuple[str, tuple]]) -> list[str]:
    """One warning per group listing the items answered fewer than SMALL_N times."""
    out = []
    for group, items in sets:
        few = [f"\"{item.column}\" ({item.n})" for item in items if item.small_n]
        if few:
            where = f" in group {group!r}" if group else ""
            out.append(f"fewer than {SMALL_N} answers{where} for {', '.join(few)}: one answer more or less can "
                       "change the term, so quote the numbers with it")
    return out


def _duplicate_ids(table: Table, id_index: int) -> list[str]:
    ids = [row[id_index] for row in table.rows]
    repeated = {rid for rid, n in Counter(ids).items() if n > 1 and rid}
    if not repeated:
        return []
    rows: dict[str, list[int]] = {}
    for number, rid in zip(table.row_numbers, ids, strict=True):
        if rid in repeated:
            rows.setdefault(rid, []).append(number)
    return [f"record {rid!r} appears in rows {', '.join(map(str, numbers))}: it is counted each time"
            for rid, numbers in rows.items()]
