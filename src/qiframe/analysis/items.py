"""What each cell of a record-reading or survey table counts as: item types, detected per column.

Each column (other than the record or respondent id and the grouping column) holds answers of one item
type. The types, and the answers each reads (ignoring case, spacing and curly apostrophes):

- `scale`: the framework's own scale, each level by its value or its label ("5", "Very good");
- `effectiveness`: completely, mostly, partially (or partly) and not effective, with or without the word
  "effective";
- `yes-no`: yes (y) and no (n);
- `present-absent`: present and absent (also "not present", "missing");
- `agree`: strongly agree, agree (tend to / somewhat agree), neither agree nor disagree (neither,
  neutral), disagree (tend to / somewhat disagree), strongly disagree;
- `frequency`: always, usually (mostly, often), sometimes, rarely (seldom), never;
- `number`: numbers (12, 3.5, 40%), summarised by total, mean and range rather than a proportion;
- `text`: anything else, such as comments; a text column is not an item and is skipped.

In every type, three kinds of cell are *not counted* (left out of the denominator and reported apart):
blank cells, "not applicable" (NOT_APPLICABLE: n/a, na, not applicable) and "don't know"
(DONT_KNOW: don't know, not sure, prefer not to say, ...). A cell that is none of these and not an answer
of the column's type is *unreadable*: reported by row and column and left out.

**Detection.** A column's type is the one that reads the most of its counted cells (ties go to the
earlier type in the list above); if that is no more than half of them, the column is text. The rule is
shown with the numbers ("58 of 60 counted answers read as effectiveness"). A type can be set instead,
per column: by an option (`COLUMN=TYPE`) or by a *type row*, a first data row that names a type in each
item column (as qiframe's templates write it), which is then not counted as a record.

**What counts as positive**, per column: for `scale` the levels at or above the threshold (by default the
scale's, e.g. good or better); `effectiveness` mostly or completely effective; `yes-no` yes;
`present-absent` present; `agree` the agree answers (by default strongly agree and agree); `frequency`
always or usually. Any column's set can be given instead (`COLUMN=ANSWER;ANSWER`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from qiframe.analysis.quantities import Description
from qiframe.errors import InputError
from qiframe.model import Level, Scale

NOT_APPLICABLE = frozenset(("n/a", "na", "n.a.", "n.a", "not applicable", "not relevant"))
DONT_KNOW = frozenset(
    (
        "don't know",
        "dont know",
        "do not know",
        "not sure",
        "unsure",
        "can't say",
        "cannot say",
        "prefer not to say",
        "rather not say",
        "dk",
    )
)

ORDER = ("scale", "effectiveness", "yes-no", "present-absent", "agree", "frequency", "number")
"""The item types, in the order that breaks a tie in detection."""
TEXT, UNANSWERED = "text", "unanswered"
NAMED = "named"
"""In a parsed type row: a column named id, group or reader, which is not an item."""

TYPE_NAMES = {
    "scale": ("scale", "six-point", "six point", "6-point", "grade", "graded", "level", "levels", "rating"),
    "effectiveness": ("effectiveness", "how effective"),
    "yes-no": ("yes-no", "yes/no", "yes or no", "yesno", "y/n"),
    "present-absent": ("present-absent", "present/absent", "present or absent"),
    "agree": ("agree-disagree", "agree/disagree", "likert", "agree"),
    "frequency": ("frequency", "always-never", "always/never", "how often"),
    "number": ("number", "numeric", "count", "numbers"),
    "text": ("text", "comment", "comments", "free text", "free-text", "notes"),
}
"""What a type row or an option may call each type. In a type row, a name that is also an answer ("agree")
does not count: such a row is a record."""
TYPE_ROW_NAMES = {t: names[0] for t, names in TYPE_NAMES.items()}
"""What qiframe's templates write in the type row: a name that is never an answer."""
NEUTRAL = frozenset(("", "id", "record", "respondent", "group", "by", "reader", "type", "item type"))
"""Type-row cells that name no type: the id, grouping and reader columns."""

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)%?")


def fold(text: str) -> str:
    """A cell as compared: case, spacing and curly apostrophes ignored ("Don’t  Know" == "don't know")."""
    return " ".join(str(text).replace("\u2019", "'").split()).casefold()


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer of an item type."""

    label: str
    """The answer as qiframe writes it, e.g. "Mostly effective"."""
    rank: int
    """Higher is better; answers of equal rank are the same level (agree and tend to agree)."""


@dataclass(frozen=True, slots=True)
class ItemType:
    """A kind of reading item or survey question and the answers it reads."""

    id: str
    """One of ORDER."""
    label: str
    """In words, for the detection rule."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Folded text -> answer."""
    threshold: int | None = None
    """The lowest rank counted positive by default; None for numbers."""
    phrase: str = ""
    """How the default positive answers read in a sentence, e.g. "mostly or completely effective"."""

    def read(self, key: str) -> Answer | None:
        """The answer a folded cell gives, or None."""
        if self.id == "number":
            return Answer(key, 0) if _NUMBER.fullmatch(key) else None
        return self.answers.get(key)

    @property
    def levels(self) -> tuple[Answer, ...]:
        """One answer per rank, best first (the first label given for the rank)."""
        seen: dict[int, Answer] = {}
        for answer in self.answers.values():
            seen.setdefault(answer.rank, answer)
        return tuple(sorted(seen.values(), key=lambda a: -a.rank))

    @property
    def ordinal(self) -> bool:
        """Whether "within one level" means something: more than two levels."""
        return len(self.levels) > 2


def _type(
    id: str, label: str, threshold: int, phrase: str, spec: list[tuple[int, str, tuple[str, ...]]]
) -> ItemType:
    answers: dict[str, Answer] = {}
    for rank, name, aliases in spec:
        for alias in (name, *aliases):
            answers[fold(alias)] = Answer(name, rank)
    return ItemType(id, label, answers, threshold, phrase)


FIXED = {
    "effectiveness": _type(
        "effectiveness",
        "effectiveness (completely, mostly, partially or not effective)",
        3,
        "mostly or completely effective",
        [
            (4, "Completely effective", ("completely", "fully effective", "completely effective.")),
            (3, "Mostly effective", ("mostly", "largely effective", "largely")),
            (
                2,
                "Partially effective",
                ("partially", "partly effective", "partly", "partial", "somewhat effective"),
            ),
            (1, "Not effective", ("not", "not at all effective", "ineffective", "not at all")),
        ],
    ),
    "yes-no": _type("yes-no", "yes/no", 2, "yes", [(2, "Yes", ("y",)), (1, "No", ("n",))]),
    "present-absent": _type(
        "present-absent",
        "present/absent",
        2,
        "present",
        [(2, "Present", ()), (1, "Absent", ("not present", "missing"))],
    ),
    "agree": _type(
        "agree",
        "agree/disagree",
        4,
        "agreed",
        [
            (5, "Strongly agree", ()),
            (4, "Agree", ("tend to agree", "somewhat agree", "mostly agree")),
            (
                3,
                "Neither agree nor disagree",
                ("neither", "neutral", "neither agree or disagree", "no opinion"),
            ),
            (2, "Disagree", ("tend to disagree", "somewhat disagree", "mostly disagree")),
            (1, "Strongly disagree", ()),
        ],
    ),
    "frequency": _type(
        "frequency",
        "frequency (always, usually, sometimes, rarely, never)",
        4,
        "always or usually",
        [
            (5, "Always", ("all of the time",)),
            (4, "Usually", ("mostly", "often", "most of the time")),
            (3, "Sometimes", ("some of the time",)),
            (2, "Rarely", ("seldom", "hardly ever")),
            (1, "Never", ()),
        ],
    ),
    "number": ItemType("number", "numbers"),
}


_NOTHING = ItemType(UNANSWERED, "no answer counted")
"""The type of a column with nothing counted: every cell blank, not applicable or don't know."""


def scale_type(scale: Scale, threshold: Level) -> ItemType:
    """The framework's scale as an item type; positive at or above the threshold level."""
    answers: dict[str, Answer] = {}
    for level in scale.levels:
        answer = Answer(level.label, level.value)
        answers[fold(str(level.value))] = answer
        answers[fold(level.label)] = answer
    label = level_phrase(scale, threshold)
    return ItemType(
        "scale",
        f"the scale {scale.id!r} ({', '.join(f'{lv.value} {lv.label}' for lv in scale.levels)})",
        answers,
        threshold.value,
        label,
    )


def level_phrase(scale: Scale, level: Level) -> str:
    """ "good or better"; just "excellent" when the level is the best."""
    label = level.label.lower()
    return label if level.value == max(scale.values) else f"{label} or better"


def types(scale: Scale | None, threshold: Level | None = None) -> dict[str, ItemType]:
    """Every item type, in ORDER; the scale's only when a scale is given."""
    if scale is None:
        return dict(FIXED)
    level = threshold or scale.parse(scale.default_threshold)
    assert level is not None  # a framework's default threshold is one of its levels (validated on load)
    return {"scale": scale_type(scale, level), **FIXED}


def type_named(text: str) -> str | None:
    """The type id a type row or an option names ("yes/no" -> "yes-no"), or None."""
    key = fold(text)
    return next((t for t, names in TYPE_NAMES.items() if key in names), None)


# --- reading a column --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Detection:
    """How a column's type was decided."""

    type: str
    """One of ORDER, or "text" (not an item) or "unanswered" (nothing counted)."""
    how: str
    """"detected", "option" or "type row"."""
    fit: int
    """Counted cells the type reads."""
    counted: int
    """Cells that are not blank, not applicable or don't know."""
    rule: str
    """The decision in words, with its numbers."""
    named: bool = False
    """Whether the type row names the column an id, group or reader column: not an item, and not a warning."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as read for its column's type."""

    tag: str
    """"answer", "blank", "na" (not applicable), "dk" (don't know) or "unreadable"."""
    answer: Answer | None = None
    """The answer, for tag "answer"."""
    value: float | None = None
    """For number items, the number."""


BLANK, NA, DK, UNREADABLE = Cell("blank"), Cell("na"), Cell("dk"), Cell("unreadable")


def tag(key: str) -> Cell | None:
    """The not-counted cells: blank, not applicable, don't know; None for anything else."""
    if not key:
        return BLANK
    if key in NOT_APPLICABLE:
        return NA
    if key in DONT_KNOW:
        return DK
    return None


def detect(keys: Counter, available: dict[str, ItemType]) -> Detection:
    """The type that reads most of a column's counted cells (see the module docstring)."""
    counted = sum(n for key, n in keys.items() if tag(key) is None)
    if not counted:
        return Detection(
            UNANSWERED, "detected", 0, 0, "no answer to count (every cell is blank, n/a or don't know)"
        )
    order = [t for t in ORDER if t in available]
    fits = {
        t: sum(n for key, n in keys.items() if tag(key) is None and available[t].read(key)) for t in order
    }
    best = max(order, key=lambda t: (fits[t], -ORDER.index(t)))
    if fits[best] * 2 <= counted:
        return Detection(
            TEXT,
            "detected",
            fits[best],
            counted,
            f"text: no item type reads more than half of its {counted} counted cells (the most: "
            f"{best}, {fits[best]}), so it is not an item",
        )
    rule = f"{fits[best]} of {counted} counted answers read as {available[best].label}"
    if fits[best] < counted:
        rule += f"; the other {counted - fits[best]} are unreadable and left out"
    return Detection(best, "detected", fits[best], counted, rule)


def chosen(type_id: str, how: str, keys: Counter, available: dict[str, ItemType]) -> Detection:
    """The Detection for a type set by an option or a type row."""
    counted = sum(n for key, n in keys.items() if tag(key) is None)
    if type_id == TEXT:
        return Detection(TEXT, how, 0, counted, f"text, set by {how}: not an item")
    if type_id not in available:
        raise InputError(f"item type {type_id!r} needs the framework's scale here")
    fit = sum(n for key, n in keys.items() if tag(key) is None and available[type_id].read(key))
    rule = f"{available[type_id].label}, set by {how}: {fit} of {counted} counted answers read as it"
    return Detection(type_id, how, fit, counted, rule)


def read_cell(key: str, item: ItemType) -> Cell:
    """A folded cell read for an item type."""
    found = tag(key)
    if found is not None:
        return found
    answer = item.read(key)
    if answer is None:
        return UNREADABLE
    if item.id == "number":
        return Cell("answer", answer, float(key.rstrip("%")))
    return Cell("answer", answer)


def type_row(table, skip: set[int]) -> dict[int, str] | None:
    """Column -> type when the first data row names types (as the templates write it), else None."""
    if not table.rows:
        return None
    first = table.rows[0]
    found: dict[int, str] = {}
    for i, text in enumerate(first):
        if i in skip or not fold(text):
            continue
        if fold(text) in NEUTRAL:
            found[i] = NAMED
            continue
        named = type_named(text)
        if named is None or any(t.read(fold(text)) for t in FIXED.values()):
            return None  # an answer ("Yes", "12") means the row is a record, not a type row
        found[i] = named
    return found if any(t != NAMED for t in found.values()) else None


def parse_types(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`COLUMN=TYPE` options as header -> type id."""
    out = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        named = type_named(name)
        if not sep or not column.strip() or named is None:
            known = ", ".join(TYPE_NAMES)
            raise InputError(
                f"{{type}} {pair!r}: expected COLUMN=TYPE with TYPE one of {known}", options=("type",)
            )
        out[column.strip()] = named
    return out


def parse_positive(pairs: list[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`COLUMN=ANSWER;ANSWER` options as header -> answers counted positive."""
    out = {}
    for pair in pairs:
        column, sep, answers = pair.rpartition("=")
        values = tuple(a.strip() for a in re.split(r"[;,]", answers) if a.strip())
        if not sep or not column.strip() or not values:
            raise InputError(
                f"{{positive}} {pair!r}: expected COLUMN=ANSWER;ANSWER, e.g. 'Child seen=Yes'",
                options=("positive",),
            )
        out[column.strip()] = values
    return out


def positive_ranks(
    item: ItemType, answers: tuple[str, ...] | None, column: str
) -> tuple[frozenset[str], str]:
    """The answers (by label) counted positive in a column, and how they read in a sentence."""
    if item.id == "number":
        return frozenset(), ""
    if answers is None:
        return frozenset(
            a.label for a in item.answers.values() if a.rank >= (item.threshold or 0)
        ), item.phrase
    labels = []
    for text in answers:
        found = item.read(fold(text))
        if found is None:
            known = ", ".join(a.label for a in item.levels)
            raise InputError(f"{text!r} is not an answer of column {column!r} ({item.label}: {known})")
        labels.append(found.label)
    ordered = list(dict.fromkeys(labels))
    return frozenset(ordered), " or ".join(label.lower() for label in ordered)


# --- counting ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """How many cells gave one answer."""

    label: str
    """The answer (for a graded level, its label; for answers as written, the first spelling)."""
    count: int
    """How many."""
    value: int = 0
    """The answer's rank (a scale level's value)."""

    @property
    def answer(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True)
class NumberStats:
    """A number item summarised."""

    total: float
    mean: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Tally:
    """The cells of one item over a set of rows."""

    n: int
    positive: int
    not_applicable: int
    dont_know: int
    not_answered: int
    unreadable: int
    levels: tuple[AnswerCount, ...]
    numbers: NumberStats | None


def tally(cells: Counter, item: ItemType, positive: frozenset[str]) -> Tally:
    """Counts for one item from how many rows gave each distinct cell."""
    tags: Counter = Counter()
    answers: Counter = Counter()
    numbers: list[tuple[float, int]] = []
    for cell, count in cells.items():
        tags[cell.tag] += count
        if cell.tag == "answer" and cell.answer is not None and item.id != "number":
            answers[cell.answer.label] += count
        if cell.value is not None:
            numbers.append((cell.value, count))
    stats = None
    if numbers:
        total, many = math.fsum(v * c for v, c in numbers), sum(c for _, c in numbers)
        stats = NumberStats(
            _clean(total),
            _clean(total / many),
            _clean(min(v for v, _ in numbers)),
            _clean(max(v for v, _ in numbers)),
        )
    levels: tuple[AnswerCount, ...] = ()
    if item.id != "number":
        rank_of = {a.label: a.rank for a in item.answers.values()}
        by_rank: Counter = Counter()
        for label, count in answers.items():
            by_rank[rank_of[label]] += count
        levels = tuple(
            AnswerCount(level.label, by_rank.get(level.rank, 0), level.rank) for level in item.levels
        )
    return Tally(
        n=tags["answer"],
        positive=sum(c for label, c in answers.items() if label in positive),
        not_applicable=tags["na"],
        dont_know=tags["dk"],
        not_answered=tags["blank"],
        unreadable=tags["unreadable"],
        levels=levels,
        numbers=stats,
    )


def _clean(value: float) -> float:
    return round(value, 6)


# --- a whole table -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell that could not be read as an answer of its column's type; it is left out of the counts."""

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
class Column:
    """One column of a table read as an item (or as text)."""

    index: int
    header: str
    letter: str
    detection: Detection
    item: ItemType | None
    """None for text and unanswered columns."""
    codes: tuple[int, ...]
    """Per data row (the type row excluded), the index of its cell's text in `keys`; empty unless the rows
    were asked for (groups, pair agreement), as whole-column counts need only `totals`."""
    keys: tuple[str, ...]
    """The column's distinct folded texts."""
    spelled: tuple[str, ...]
    """For each of `keys`, its first spelling in the file."""
    read: tuple[Cell, ...]
    """For each of `keys`, the cell it reads as."""
    totals: tuple[int, ...]
    """For each of `keys`, how many data rows hold it."""
    positive: frozenset[str]
    """Labels of the answers counted positive."""
    phrase: str
    """How the positive answers read in a sentence."""

    def cell(self, row: int) -> Cell:
        """The cell of one data row (by position among the data rows)."""
        return self.read[self.codes[row]]

    def counts(self, rows: list[int] | range | None = None) -> Counter:
        """How many of the given data rows (all when None) hold each distinct text, by its code."""
        if rows is None:
            return Counter(dict(enumerate(self.totals)))
        return Counter(map(self.codes.__getitem__, rows))


@dataclass(frozen=True, slots=True)
class Read:
    """A table's columns read as items."""

    columns: tuple[Column, ...]
    """Every column not skipped (not the id or grouping column), in order."""
    rows: tuple[int, ...]
    """Indexes into table.rows of the data rows (a type row is not one)."""
    type_row: int | None
    """The spreadsheet row number of the type row, if there was one."""
    problems: tuple[Problem, ...]
    """Unreadable cells, in row order."""

    def groups(self, table, by_index: int) -> dict[str, list[int]]:
        """Positions in `rows` of the data rows for each value of column `by_index`, first seen first."""
        members: dict[str, list[int]] = {}
        for p, r in enumerate(self.rows):
            members.setdefault(table.rows[r][by_index], []).append(p)
        return members


def read_table_items(
    table,
    available: dict[str, ItemType],
    skip: set[int],
    given: dict[str, str] | None = None,
    positive: dict[str, tuple[str, ...]] | None = None,
    by_row: bool = True,
) -> Read:
    """Every column of a table outside `skip`, typed: by option, else by type row, else detected.

    `by_row=False` leaves out each row's code (Column.codes), which only groups and pair agreement use.
    """
    from qiframe.imports.tables import column_letter

    given_index = {table.require(header): t for header, t in (given or {}).items()}
    positive_index = {table.require(header): answers for header, answers in (positive or {}).items()}
    row_types = type_row(table, skip)
    rows = tuple(range(1 if row_types else 0, len(table.rows)))
    start = 1 if row_types else 0
    transposed = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.headers)
    columns, problems = [], []
    for i, header in enumerate(table.headers):
        if i in skip:
            continue
        texts = transposed[i][start:]
        by_text = Counter(texts)
        code_of: dict[str, int] = {}  # folded text -> code
        distinct: list[str] = []
        spelled: list[str] = []
        text_code: dict[str, int] = {}
        for text in by_text:  # in order of first appearance
            key = fold(text)
            if key not in code_of:
                code_of[key] = len(distinct)
                distinct.append(key)
                spelled.append(text)
            text_code[text] = code_of[key]
        codes = tuple(map(text_code.__getitem__, texts)) if by_row else ()
        totals = [0] * len(distinct)
        for text, n in by_text.items():
            totals[text_code[text]] += n
        counts = Counter(dict(zip(distinct, totals, strict=True)))
        if i in given_index:
            detection = chosen(given_index[i], "option", counts, available)
        elif row_types and row_types.get(i) == NAMED:
            detection = Detection(
                TEXT, "type row", 0, 0, f"{fold(table.rows[0][i])!r} in the type row: not an item", named=True
            )
        elif row_types and i in row_types:
            detection = chosen(row_types[i], "type row", counts, available)
        else:
            detection = detect(counts, available)
        item = available.get(detection.type) or (_NOTHING if detection.type == UNANSWERED else None)
        if item is None:
            if i in positive_index:
                raise InputError(
                    f"{{positive}} {header}=…: column {header!r} is not an item ({detection.rule})",
                    table.path,
                    options=("positive",),
                )
            columns.append(
                Column(
                    i,
                    header,
                    column_letter(i),
                    detection,
                    None,
                    codes,
                    tuple(distinct),
                    tuple(spelled),
                    (),
                    tuple(totals),
                    frozenset(),
                    "",
                )
            )
            continue
        read = tuple(read_cell(k, item) for k in distinct)
        labels, phrase = positive_ranks(item, positive_index.get(i), header)
        columns.append(
            Column(
                i,
                header,
                column_letter(i),
                detection,
                item,
                codes,
                tuple(distinct),
                tuple(spelled),
                read,
                tuple(totals),
                labels,
                phrase,
            )
        )
        bad = {c for c, cell in enumerate(read) if cell.tag == "unreadable"}
        if bad:
            for r, text in zip(rows, texts, strict=True):
                if text_code[text] in bad:
                    problems.append(
                        Problem(
                            table.row_numbers[r],
                            header,
                            column_letter(i),
                            table.rows[r][i],
                            f"{table.rows[r][i]!r} is not {_expected(item)}; left out",
                        )
                    )
    problems.sort(key=lambda p: (p.row, len(p.letter), p.letter))
    return Read(tuple(columns), rows, table.row_numbers[0] if row_types else None, tuple(problems))


def _expected(item: ItemType) -> str:
    if item.id == "number":
        return "a number, n/a or blank"
    if item.id == "scale":
        return f"a level of {item.label}, n/a or blank"
    return f"a {item.id} answer ({', '.join(a.label for a in item.levels)}), n/a or blank"


# --- summarising -------------------------------------------------------------------------------------

SMALL_N = 20
"""Below this many answers (but at or above the minimum sample) one answer moves the share by more than five
points, which can jump a whole band: such items are flagged so that the numbers are quoted with the term."""


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """One item (reading item or survey question) summarised over a set of rows."""

    column: str
    """The column header: the item or the question."""
    letter: str
    """The column letter."""
    kind: str
    """The item type (one of ORDER), or "unanswered" when nothing was counted."""
    rule: str
    """How the type was decided, with its numbers."""
    n: int
    """The denominator: answers counted (not blank, not applicable, don't know or unreadable)."""
    positive: int
    """Answers counted positive (good or better, yes, present, agreed, ...)."""
    phrase: str
    """How the positive answers read, e.g. "good or better", "yes", "agreed"."""
    description: Description | None
    """`positive` of `n` in quantity terms (or counts only, below the minimum sample); None when n is 0."""
    sentence: str
    """A drafted sentence for a report, stating its denominator and the answers not counted."""
    distribution: tuple[AnswerCount, ...] = ()
    """The count at every level of the type, best first, zeros included (not for numbers)."""
    answers: tuple[AnswerCount, ...] = ()
    """Every answer given, as first written, most frequent first (not-counted answers included)."""
    not_applicable: int = 0
    """Cells marked not applicable."""
    dont_know: int = 0
    """"Don't know"-style answers."""
    not_answered: int = 0
    """Blank cells."""
    problems: int = 0
    """Unreadable cells, left out."""
    small_n: bool = False
    """Whether n is below SMALL_N (and above 0): quote the numbers with the term."""
    numbers: NumberStats | None = None
    """For number items: total, mean and range."""

    @property
    def share(self) -> float | None:
        """`positive` as a percentage of `n`, or None when n is 0."""
        return self.description.percent if self.description else None

    @property
    def agreed(self) -> int:
        """For survey questions: answers counted as agreeing (or yes, always, ...)."""
        return self.positive

    @property
    def not_counted(self) -> int:
        """Cells left out of the denominator, for whatever reason."""
        return self.not_applicable + self.dont_know + self.not_answered + self.problems


def summarise_column(
    column: Column, rows: list[int] | None, terms, minimum: int | None, sentence
) -> ItemSummary:
    """One column over the given data rows (all when None); `sentence(column, summary)` drafts the sentence."""
    from dataclasses import replace

    from qiframe.analysis import quantities

    if column.item is None:
        raise ValueError("a text column is not an item")
    by_code = column.counts(rows)
    cells: Counter = Counter()
    for code, n in by_code.items():
        cells[column.read[code]] += n
    counts = tally(cells, column.item, column.positive)
    written = sorted(
        ((column.keys[c], column.spelled[c], n) for c, n in by_code.items() if column.keys[c]),
        key=lambda kcn: (-kcn[2], kcn[0]),
    )
    answers = tuple(AnswerCount(spelled, n) for _, spelled, n in written)
    description = None
    if counts.n and column.item.id != "number":
        description = quantities.describe_count(counts.positive, counts.n, terms, minimum)
    kind = column.item.id
    summary = ItemSummary(
        column=column.header,
        letter=column.letter,
        kind=kind,
        rule=column.detection.rule,
        n=counts.n,
        positive=counts.positive,
        phrase=column.phrase,
        description=description,
        sentence="",
        distribution=counts.levels,
        answers=answers,
        not_applicable=counts.not_applicable,
        dont_know=counts.dont_know,
        not_answered=counts.not_answered,
        problems=counts.unreadable,
        small_n=bool(description and description.term and counts.n < SMALL_N),
        numbers=counts.numbers,
    )
    return replace(summary, sentence=sentence(column, summary))


def lower_first(text: str) -> str:
    """ "Chronology" -> "chronology", but "IRD held" and "SHANARRI" keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def term_phrase(term: str) -> str:
    """A term ready to stand before "of the ...": a bare "majority" or "minority" takes "the"."""
    return f"the {term}" if term.split()[:1] in (["majority"], ["minority"]) else term


def not_counted_text(item: ItemSummary, blank: str = "blank") -> str:
    """The cells left out of the denominator in words: "4 did not answer; 2 not applicable"."""
    parts = []
    if item.not_answered:
        parts.append(f"{item.not_answered} {blank}")
    if item.not_applicable:
        parts.append(f"{item.not_applicable} not applicable")
    if item.dont_know:
        parts.append(f"{item.dont_know} did not know or preferred not to say")
    if item.problems:
        parts.append(f"{item.problems} unreadable, left out")
    return "; ".join(parts)


def number_text(stats: NumberStats) -> str:
    """ "total 120, mean 2.1, from 0 to 7"."""

    def show(value: float) -> str:
        return f"{value:.6g}"

    return f"total {show(stats.total)}, mean {show(round(stats.mean, 2))}, from {show(stats.low)} to {show(stats.high)}"


def small_n_warnings(sets: list[tuple[str, tuple]], minimum: int) -> list[str]:
    """One warning per group listing items with few answers: counts only, or a term to quote with numbers."""
    out = []
    for group, items in sets:
        where = f" in group {group!r}" if group else ""
        below = [f'"{i.column}" ({i.n})' for i in items if i.description and i.description.counts_only]
        few = [f'"{i.column}" ({i.n})' for i in items if i.small_n]
        if below:
            out.append(
                f"fewer than the minimum sample of {minimum} answers{where} for {', '.join(below)}: the "
                "counts are given instead of a quantity term"
            )
        if few:
            out.append(
                f"fewer than {SMALL_N} answers{where} for {', '.join(few)}: one answer more or less can "
                "change the term, so quote the numbers with it"
            )
    return out
