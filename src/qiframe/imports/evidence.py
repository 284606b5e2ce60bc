"""Evidence import from a spreadsheet: plan first (per row new, changed, unchanged or rejected), then apply.

Two kinds of sheet are read: the Evidence sheet of `qiframe export matrix` exactly as exported (so a
register edited in Excel comes back: changed rows update, new rows are added, nothing else moves), and any
register whose headers name the fields, matched ignoring case, spaces and punctuation, with common aliases
and `--map COLUMN=field` for the rest.

A row that carries an id updates that item. A row without one matches an existing item of the same title,
so that importing the same file twice changes nothing; otherwise it is new. An id the register does not
hold is rejected rather than taken as new, so a mistyped or deleted id never forks an item.

Values are read the way registers write them: a kind or a source by its id or its label, ignoring case
and punctuation ("Case file audit", "People's views"); local words through a value mapping
(`Audit=case-file-audit`, or a mapping file); dates as a day, a month or a year ("31/03/2025",
"March 2025", "2025"), stored at that precision. A row with a kind and no source takes the kind's source
(a survey holds people's views). Every value read through a label or a mapping is reported.

Nothing in the sheet is ever evaluated: a cell holding a formula is rejected for its row (unless it is
exactly the text already stored, as the export writes such text back out).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qiframe import model, periods, schemas, store, vocabulary
from qiframe.cells import HEADERS, HEADERS_SHEET, display, from_csv
from qiframe.errors import InputError
from qiframe.imports.tables import Table, read_table

ALIASES = {
    "id": ("ref", "reference", "refno", "evidenceid", "evidenceref", "evidencereference"),
    "title": ("evidence", "name", "document", "evidencetitle", "item", "documenttitle"),
    "summary": ("whatitshows", "description", "details", "whatthisshows"),
    "kind": ("type", "evidencetype", "kindofevidence", "evidencekind"),
    "source": ("triangulation", "sourcetype", "triangulationsource"),
    "date": ("datefrom", "from", "startdate", "start"),
    "date_to": ("to", "enddate", "end", "until"),
    "agency": ("organisation", "organization", "service", "partner"),
    "voice": ("whoseviews", "whosevoice", "voices", "viewsof", "respondents", "respondentgroup"),
    "ages": ("age", "agebands", "ageband", "agegroup", "agegroups"),
    "owner": ("heldby", "contact", "responsible"),
    "location": ("link", "url", "path", "hyperlink", "filelocation", "where"),
    "indicators": ("qi", "qis", "indicator", "qualityindicator", "qualityindicators"),
    "themes": ("theme",),
    "units": ("unit", "statement", "statements"),
    "submission": ("insubmission", "includeinsubmission", "submit"),
    "personal_data": ("personal", "containspersonaldata", "personalinformation"),
}
"""Other headers (normalised by `header_key`) that name each field."""

IGNORE = ("", "-", "ignore")
"""What `--map COLUMN=…` accepts to leave a column out."""
LIST_FIELDS = {"indicators", "themes", "units", "voice", "ages"}
MAPPED_FIELDS = ("kind", "source", "voice")
"""The fields whose local words a value mapping can translate."""
BOOL_FIELDS = {"submission", "personal_data"}
DATE_FIELDS = {"date", "date_to"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
ACTIONS = ("new", "changed", "unchanged", "rejected")

# Themes are titles that may hold commas, so only ";" (or a line break) separates them.
_SPLIT = {
    "indicators": re.compile(r"[;,\n]"),
    "units": re.compile(r"[;,\n]"),
    "themes": re.compile(r"[;\n]"),
    "voice": re.compile(r"[;,\n]"),
    "ages": re.compile(r"[;,\n]"),
}


@dataclass(frozen=True)
class MappedValue:
    """A cell value read as a field's value other than by its exact id: by label, by mapping, or as a date."""

    field: str
    """The field, e.g. "kind"."""
    text: str
    """What the sheet says, e.g. "Audit"."""
    value: str
    """What is stored, e.g. "case-file-audit"."""
    how: str
    """"label", "mapping", "date" (a date written otherwise than YYYY-MM-DD) or "from kind" (a source)."""
    rows: tuple[int, ...]
    """The rows where it was read so."""

    def to_json(self) -> dict:
        return {
            "field": self.field,
            "text": self.text,
            "value": self.value,
            "how": self.how,
            "rows": list(self.rows),
        }


@dataclass(frozen=True)
class RowPlan:
    """What importing one row would do."""

    row: int
    """The row number the spreadsheet shows."""
    action: str
    """new, changed, unchanged or rejected."""
    id: str = ""
    """The evidence item it updates (empty for new and for most rejected rows)."""
    reason: str = ""
    """Why a row is rejected."""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """For a changed row: field -> (old value, new value)."""
    item: model.Evidence | None = None
    """For a new row: the item to add (its id is allocated when written)."""
    path: str = ""
    """For a changed row: the item's file, relative to the evaluation."""

    def to_json(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "id": self.id or None,
            "reason": self.reason or None,
            "changes": {k: {"old": _jsonable(o), "new": _jsonable(n)} for k, (o, n) in self.changes.items()},
            "title": self.item.title if self.item else None,
        }


@dataclass(frozen=True)
class ImportPlan:
    """The outcome of reading a sheet against the register, before anything is written."""

    path: str
    """The file read."""
    sheet: str | None
    """The worksheet read, or None for CSV."""
    columns: dict[str, str]
    """Header -> field, for the columns used."""
    ignored: tuple[str, ...]
    """Headers of the columns left out."""
    rows: tuple[RowPlan, ...]
    """One plan per data row, in sheet order."""
    mapped: tuple[MappedValue, ...] = ()
    """Every value read by label, by mapping or as a date written another way, once per distinct text."""

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def rejected(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == "rejected"]

    def summary(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTIONS}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "sheet": self.sheet,
            "columns": self.columns,
            "ignored": list(self.ignored),
            "rows": [r.to_json() for r in self.rows],
            "summary": self.summary(),
            "mapped": [m.to_json() for m in self.mapped],
        }


@dataclass(frozen=True)
class Applied:
    """What `apply_import` wrote."""

    changed: tuple[str, ...]
    """Ids of the items updated."""
    created: tuple[tuple[int, str], ...]
    """(row number, new id) of the items added."""


class _Reject(Exception):
    """A row cannot be imported; the message says why."""


# --- reading -----------------------------------------------------------------------------------------


def read(path: str | Path, sheet: str | None = None) -> Table:
    """The sheet to import: the one named, else a sheet called Evidence (as exported), else the first."""
    path = Path(path)
    if sheet is not None or path.suffix.casefold() not in (".xlsx", ".xlsm"):
        return read_table(path, sheet)
    try:
        return read_table(path, HEADERS_SHEET)
    except InputError as exc:
        if not exc.message.startswith("no sheet"):
            raise
    return read_table(path)


def header_key(text: str) -> str:
    """A header as compared: letters and digits only, case-folded ("Date to" == "date_to")."""
    return "".join(c for c in text.casefold() if c.isalnum())


def parse_map(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`COLUMN=field` options as a mapping; an empty field (or "-") leaves the column out."""
    out = {}
    for pair in pairs:
        column, sep, name = pair.partition("=")
        if not sep or not column.strip():
            raise InputError(
                f"{{map}} {pair!r}: expected COLUMN=field, e.g. {{map}} 'Evidence ref=id'", options=("map",)
            )
        out[column.strip()] = name.strip()
    return out


def parse_values(
    pairs: list[str] | tuple[str, ...], path: str | Path | None = None
) -> dict[str, dict[str, str]]:
    """Value mappings, field -> {local word -> value}, from `[FIELD:]WORD=VALUE` options and a mapping file.

    The file is YAML: `kind: {Audit: case-file-audit}`, `source: {...}`, `voice: {...}`. Without a FIELD,
    an option applies to the field whose vocabulary holds VALUE (kind or source; "observation", which is
    both, needs one).
    """
    from qiframe import yamlio

    out: dict[str, dict[str, str]] = {f: {} for f in MAPPED_FIELDS}
    if path is not None:
        data = yamlio.load(path)
        if not isinstance(data, dict) or any(
            k not in MAPPED_FIELDS or not isinstance(v, dict) for k, v in data.items()
        ):
            raise InputError(
                f"a value mapping file holds mappings under {', '.join(MAPPED_FIELDS)}, e.g. "
                "kind: {Audit: case-file-audit}",
                path,
            )
        for name, words in data.items():
            for word, value in words.items():
                out[name][header_key(str(word))] = str(value)
    for pair in pairs:
        left, sep, value = pair.rpartition("=")
        name, colon, word = left.partition(":")
        if not colon:
            name, word = "", left
        name, word, value = name.strip().casefold(), word.strip(), value.strip()
        if not sep or not word or not value or (name and name not in MAPPED_FIELDS):
            raise InputError(
                f"{{value}} {pair!r}: expected [FIELD:]WORD=VALUE with FIELD one of "
                f"{', '.join(MAPPED_FIELDS)}, e.g. {{value}} Audit=case-file-audit",
                options=("value",),
            )
        if not name:
            fits = [
                f
                for f, known in (("kind", model.EVIDENCE_KINDS), ("source", model.SOURCES))
                if value in known
            ]
            if len(fits) != 1:
                raise InputError(
                    f"{{value}} {pair!r}: say which field it maps, e.g. {{value}} 'kind:{word}={value}'"
                    if fits
                    else f"{{value}} {pair!r}: {value!r} is not a kind ({', '.join(model.EVIDENCE_KINDS)}) "
                    f"or a source ({', '.join(model.SOURCES)})",
                    options=("value",),
                )
            name = fits[0]
        out[name][header_key(word)] = value
    return {f: m for f, m in out.items() if m}


def map_columns(table: Table, mapping: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and the headers left out. Explicit mappings win over aliases."""
    by_key = {header_key(f): f for f in store.EVIDENCE_FIELDS}
    for f, header in HEADERS.items():
        by_key[header_key(header)] = f
    for f, names in ALIASES.items():
        for name in names:
            by_key.setdefault(name, f)
    columns: dict[int, str] = {}
    skipped: set[int] = set()
    for column, name in mapping.items():
        index = next((i for i, h in enumerate(table.headers) if header_key(h) == header_key(column)), None)
        if index is None:
            raise InputError(
                f"{{map}} {column}={name}: no column {column!r} (columns: {', '.join(table.headers)})",
                table.path,
                options=("map",),
            )
        if name.casefold() in IGNORE:
            skipped.add(index)
            continue
        target = next((f for f in store.EVIDENCE_FIELDS if header_key(f) == header_key(name)), None)
        if target is None:
            raise InputError(
                f"{{map}} {column}={name}: no field {name!r} (fields: {', '.join(store.EVIDENCE_FIELDS)})",
                table.path,
                options=("map",),
            )
        columns[index] = target
    for i, header in enumerate(table.headers):
        if i not in columns and i not in skipped and header_key(header) in by_key:
            columns[i] = by_key[header_key(header)]
    seen: dict[str, int] = {}
    for i, f in sorted(columns.items()):
        if f in seen:
            raise InputError(
                f"columns {table.headers[seen[f]]!r} and {table.headers[i]!r} both give the {f} "
                f"field; leave one out with {{map}} '{table.headers[i]}='",
                table.path,
                options=("map",),
            )
        seen[f] = i
    if "title" not in seen and "id" not in seen:
        raise InputError(
            f"no column gives a title or an id (columns: {', '.join(table.headers)}); "
            "name one with {map} COLUMN=title",
            table.path,
            options=("map",),
        )
    ignored = [h for i, h in enumerate(table.headers) if i not in columns]
    return columns, ignored


# --- planning ----------------------------------------------------------------------------------------


def plan_import(
    evaluation: model.Evaluation,
    table: Table,
    mapping: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
) -> ImportPlan:
    """Compare every row of the sheet with the register; nothing is written.

    `values` maps local words to field values (see `parse_values`).
    """
    columns, ignored = map_columns(table, mapping or {})
    reader = _Values(evaluation, values or {})
    by_title: dict[str, list[model.Evidence]] = {}
    for item in evaluation.evidence.values():
        by_title.setdefault(_title_key(item.title), []).append(item)
    folded = {i.casefold(): i for i in evaluation.evidence}
    claimed: dict[str, int] = {}
    rows = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        raw = {f: cells[i] for i, f in columns.items()}
        try:
            plan = _plan_row(evaluation, table, columns, number, raw, by_title, folded, reader)
            if plan.id and plan.id in claimed and plan.action != "unchanged":
                raise _Reject(f"{plan.id} is also on row {claimed[plan.id]}")
            if plan.id:
                claimed.setdefault(plan.id, number)
        except _Reject as exc:
            plan = RowPlan(number, "rejected", raw.get("id", ""), str(exc))
        rows.append(plan)
    return ImportPlan(
        table.path,
        table.sheet,
        {table.headers[i]: f for i, f in sorted(columns.items())},
        tuple(ignored),
        tuple(rows),
        reader.report(rows),
    )


def _plan_row(evaluation, table, columns, number, raw, by_title, folded, reader) -> RowPlan:
    headers = {f: table.headers[i] for i, f in columns.items()}
    ident = raw.get("id", "")
    item = None
    if ident.startswith("="):
        raise _Reject(f"formula in column {headers['id']!r}; type the value instead")
    if ident:
        key = ident if ident in evaluation.evidence else folded.get(ident.casefold())
        if key is None:
            raise _Reject(
                f"no evidence item {ident!r} in the register; to add the row as a new item, clear "
                f"its {headers['id']} cell (or leave the column out with --map '{headers['id']}=')"
            )
        item = evaluation.evidence[key]
    reader.row = number
    values = {
        f: _value(evaluation, f, text, headers[f], item, reader) for f, text in raw.items() if f != "id"
    }
    if "title" in values and not values["title"]:
        raise _Reject("the title is empty")
    if item is None:
        item = _match_title(values, by_title)
    if item is None:
        if "title" not in values:
            raise _Reject("no title: a new item needs one")
        if not values.get("source"):
            values["source"] = vocabulary.default_source(values.get("kind", "other"))
            if "kind" in values and values["kind"] != "other":
                reader.note("source", "", values["source"], "from kind")
        new = model.Evidence(id="", **values)
        _validate(new, number)
        return RowPlan(number, "new", item=new)
    if "source" in values and not values["source"]:
        del values["source"]  # an empty source cell leaves the stored source as it is
    changes = {f: (getattr(item, f), v) for f, v in values.items() if _differs(getattr(item, f), v)}
    if not changes:
        return RowPlan(number, "unchanged", item.id, path=item.path)
    _validate(dataclasses.replace(item, **{f: new for f, (_, new) in changes.items()}), number)
    return RowPlan(number, "changed", item.id, changes=changes, path=item.path)


def _match_title(values: dict, by_title: dict[str, list[model.Evidence]]) -> model.Evidence | None:
    """The existing item an id-less row stands for: the one with its title, if that is clear."""
    candidates = by_title.get(_title_key(values.get("title", "")), [])
    if len(candidates) == 1:
        return candidates[0]
    same = [c for c in candidates if not any(_differs(getattr(c, f), v) for f, v in values.items())]
    if same:
        return same[0]
    if candidates:
        raise _Reject(
            f"{len(candidates)} items have this title ({', '.join(c.id for c in candidates[:5])}); "
            "give the ID of the one to update"
        )
    return None


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _validate(item: model.Evidence, number: int) -> None:
    record = store.evidence_record(dataclasses.replace(item, id=item.id or "E-new"))
    try:
        schemas.validate(record, "evidence", f"row {number}")
    except InputError as exc:
        raise _Reject(exc.message) from None


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return _text(old) != _text(new)
    return old != new


def _text(value: str) -> str:
    """Text as stored: a spreadsheet's line breaks as \\n, no surrounding spaces (the reader strips cells)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _value(
    evaluation: model.Evaluation,
    name: str,
    text: str,
    header: str,
    item: model.Evidence | None,
    reader: _Values,
) -> Any:
    """One cell parsed into a field's value, or a _Reject saying what is wrong with it."""
    text = from_csv(text)  # a CSV written by `evidence list --format csv` guards risky text this way
    # The export writes stored text that starts with "=" as a text cell; reading it back unchanged is fine.
    if text.startswith("=") and (item is None or _text(display(name, getattr(item, name))) != _text(text)):
        raise _Reject(f"formula in column {header!r}; type the value instead")
    if name in DATE_FIELDS:
        return reader.date(name, text, header)
    if name in BOOL_FIELDS:
        key = text.casefold()
        if key in YES:
            return True
        if key in NO:
            return False
        raise _Reject(f"{header} {text!r} is not yes or no")
    if name == "kind":
        return reader.choice("kind", text, "other", header)
    if name == "source":
        return reader.choice("source", text, "", header)
    if name == "voice":
        return tuple(
            dict.fromkeys(
                reader.choice("voice", v.strip(), "", header)
                for v in _SPLIT["voice"].split(_text(text))
                if v.strip()
            )
        )
    if name == "ages":
        return tuple(dict.fromkeys(v.strip() for v in _SPLIT["ages"].split(_text(text)) if v.strip()))
    if name in LIST_FIELDS:
        return _list(evaluation, name, text, header, item)
    return _text(text)


class _Values:
    """Reads kinds, sources, voices and dates for one import, and records each value not read as written."""

    def __init__(self, evaluation: model.Evaluation, mapping: dict[str, dict[str, str]]) -> None:
        groups = evaluation.framework.voices.groups
        self.ids = {
            "kind": {header_key(k): k for k in model.EVIDENCE_KINDS},
            "source": {header_key(s): s for s in model.SOURCES},
            "voice": {header_key(g.id): g.id for g in groups},
        }
        self.labels = {
            "kind": {header_key(label): k for k, label in vocabulary.KIND_LABELS.items()},
            "source": {
                **{header_key(label): s for s, label in model.SOURCE_LABELS.items()},
                "documents": "documentation",
                "document": "documentation",
                "views": "views",
            },
            "voice": {header_key(g.label): g.id for g in groups},
        }
        known = {"kind": model.EVIDENCE_KINDS, "source": model.SOURCES, "voice": tuple(g.id for g in groups)}
        for name, words in mapping.items():
            for word, value in words.items():
                if value not in known[name]:
                    raise InputError(
                        f"value mapping {word}={value}: {value!r} is not a {name} ({', '.join(known[name])})"
                    )
        self.mapping = mapping
        self.known = known
        self.row = 0
        self.seen: dict[tuple[str, str, str, str], list[int]] = {}

    def note(self, name: str, text: str, value: str, how: str) -> None:
        self.seen.setdefault((name, text, value, how), []).append(self.row)

    def choice(self, name: str, text: str, default: str, header: str) -> str:
        if not text:
            return default
        key = header_key(text)
        if key in self.ids[name]:
            value = self.ids[name][key]
            if text != value:
                self.note(name, text, value, "label")
            return value
        for how, table in (("mapping", self.mapping.get(name, {})), ("label", self.labels[name])):
            if key in table:
                self.note(name, text, table[key], how)
                return table[key]
        raise _Reject(
            f"{header} {text!r} is not one of: {', '.join(self.known[name])}; map a local word with "
            f"a value mapping, e.g. {text}={self.known[name][0]}"
        )

    def date(self, name: str, text: str, header: str) -> str:
        if not text:
            return ""
        found = periods.parse(text)
        if found is None:
            raise _Reject(f"{header} {text!r} is not a date; {periods.HINT}")
        if found.text != text and not (len(text) > 10 and text[:10] == found.text):
            self.note(name, text, found.text, "date")
        return found.text

    def report(self, rows) -> tuple[MappedValue, ...]:
        rejected = {r.row for r in rows if r.action == "rejected"}
        out = []
        for (name, text, value, how), numbers in self.seen.items():
            kept = tuple(n for n in numbers if n not in rejected)
            if kept:
                out.append(MappedValue(name, text, value, how, kept))
        return tuple(out)


def _list(
    evaluation: model.Evaluation, name: str, text: str, header: str, item: model.Evidence | None
) -> tuple[str, ...]:
    values = [v.strip() for v in _SPLIT[name].split(_text(text))]
    values = list(dict.fromkeys(v for v in values if v))
    if name == "themes":
        return tuple(values)
    if name == "indicators":
        known = list(evaluation.framework.indicators)
        what = f"an indicator of framework {evaluation.framework.id!r}"
    else:
        prog = evaluation.programme
        if prog is None:
            return tuple(values)
        known = [u.id for u in prog.units]
        what = f"a unit of programme {prog.id!r}"
    folded = {k.casefold(): k for k in known}
    already = set(getattr(item, name)) if item else set()
    out = []
    for value in values:
        if value in known or value in already:
            out.append(value)
        elif value.casefold() in folded:
            out.append(folded[value.casefold()])
        else:
            raise _Reject(f"{header}: {value!r} is not {what}")
    return tuple(dict.fromkeys(out))


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# --- applying ----------------------------------------------------------------------------------------


def apply_import(root: str | Path, plan: ImportPlan, skip_invalid: bool = False) -> Applied:
    """Write a plan's new and changed items in one transaction: all of them, or (failed, killed) none."""
    if plan.rejected and not skip_invalid:
        raise rejection(plan)
    changed: list[str] = []
    created: list[tuple[int, str]] = []
    with store.transaction(root) as tx:
        _still_current(tx.evaluation, plan)
        for row in plan.rows:
            if row.action == "changed":
                tx.edit(row.path, "evidence", _mutation(row.changes))
                changed.append(row.id)
            elif row.action == "new" and row.item is not None:
                ident = tx.new_id("evidence")
                record = store.evidence_record(dataclasses.replace(row.item, id=ident))
                tx.create(f"{store.FOLDERS['evidence']}/{ident}.yaml", "evidence", record)
                created.append((row.row, ident))
    return Applied(tuple(changed), tuple(created))


def _still_current(evaluation: model.Evaluation, plan: ImportPlan) -> None:
    """Under the lock, check that no item the plan changes was edited or removed since it was planned.

    Without this, an edit made between planning and writing could be overwritten, or a removed item could
    make the import fail half-way; instead nothing is written and the user runs the import again.
    """
    current = evaluation.evidence
    for row in plan.rows:
        if row.action != "changed":
            continue
        item = current.get(row.id)
        if item is None or any(
            _differs(getattr(item, name), old) for name, (old, _new) in row.changes.items()
        ):
            raise InputError(
                f"{row.id} (row {row.row}) changed while the import was being prepared, so nothing "
                "was written; run the import again",
                plan.path,
            )


def rejection(plan: ImportPlan) -> InputError:
    """The error for a plan with rejected rows: how many, the first reason, and the way out."""
    first = plan.rejected[0]
    return InputError(
        f"{len(plan.rejected)} row(s) rejected, so nothing was written (row {first.row}: "
        f"{first.reason}); fix them, or import the rest with {{skip_invalid}}",
        plan.path,
        options=("skip_invalid",),
    )


def _mutation(changes: dict[str, tuple[Any, Any]]):
    def mutate(doc) -> None:
        for name, (_, new) in changes.items():
            if isinstance(new, tuple):
                new = list(new)
            if new is False:
                new = None  # the files leave out false flags
            store.set_field(doc, name, new, store.EVIDENCE_FIELDS)

    return mutate
