"""Importing an existing self-evaluation grid: one row per indicator, from the spreadsheet a partnership
kept before it used qiframe.

Columns are matched by their headers (ignoring case, spaces and punctuation, with common names such as
"QI", "Key strengths", "Areas for development") or named with `--map COLUMN=field`; grades are read as the
scale's labels or values ("Good", "4", "Good (4)"), and other words (a RAG colour, "G") are given with
`--grade TEXT=LEVEL`. Strengths, areas for improvement and next steps are one per line in a cell.

Per row: **changed** (the grade, rationale and lead are set where the assessment has none; notes it does
not hold yet are added), **unchanged**, **blank**, **conflict** (the assessment already says something
else, or is agreed: left alone) or **refused** (an unknown indicator or grade, a formula, a repeated
indicator), which stops the import unless `skip_invalid`. With `by`, grades are recorded as that
evaluator's proposals instead of the assessment's grade.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from qiframe import assessment_forms as forms
from qiframe import clock, model, store, yamlio
from qiframe.errors import InputError
from qiframe.imports.changes import FileChange, apply
from qiframe.imports.evidence import header_key
from qiframe.imports.tables import Table, read_table

FIELDS = ("indicator", "title", "grade", "rationale", "strengths", "improvements", "next_steps", "lead")
ALIASES = {
    "indicator": (
        "qi",
        "qualityindicator",
        "indicatorid",
        "id",
        "ref",
        "qiref",
        "qino",
        "qinumber",
        "number",
    ),
    "title": ("indicatortitle", "qititle", "name", "qualityindicatortitle"),
    "grade": (
        "evaluation",
        "level",
        "selfevaluatedgrade",
        "selfevaluation",
        "rating",
        "score",
        "grading",
        "proposedgrade",
        "agreedgrade",
    ),
    "rationale": (
        "reasons",
        "reason",
        "evaluativecomment",
        "comment",
        "comments",
        "justification",
        "evaluativestatement",
        "summary",
    ),
    "strengths": ("keystrengths", "strength", "whatweredoingwell", "whatisworkingwell"),
    "improvements": (
        "areasforimprovement",
        "areaforimprovement",
        "aois",
        "aoi",
        "areasfordevelopment",
        "developmentareas",
        "improvement",
        "areastoimprove",
    ),
    "next_steps": ("nextstep", "actions", "whatwewilldonext", "improvementactions", "plannedactions"),
    "lead": ("leadofficer", "owner", "responsible", "leadperson"),
}
IGNORE = ("", "-", "ignore")
ACTIONS = ("changed", "unchanged", "blank", "conflict", "refused")


@dataclass(frozen=True)
class GridRow:
    row: int
    """The row number the spreadsheet shows."""
    action: str
    """One of ACTIONS."""
    indicator: str = ""
    matched: str = ""
    """How the indicator was recognised, e.g. "'QI 2.1 Impact…' by id"."""
    reason: str = ""
    changes: tuple[str, ...] = ()
    values: dict = field(default_factory=dict)
    """What to write: grade, rationale, lead (set), and notes per list field (added)."""

    def to_json(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "indicator": self.indicator or None,
            "matched": self.matched or None,
            "reason": self.reason or None,
            "changes": list(self.changes),
        }


@dataclass(frozen=True)
class GridImport:
    path: str
    sheet: str | None
    columns: dict[str, str]
    """Header -> field, for the columns used."""
    ignored: tuple[str, ...]
    """Columns left out, each with why."""
    grades: dict[str, str]
    """Grade texts met -> how they were read ("Good (4)", "Good (4) by --grade")."""
    rows: tuple[GridRow, ...]
    by: str = ""

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def invalid(self) -> list[GridRow]:
        return [r for r in self.rows if r.action == "refused"]

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ACTIONS}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "sheet": self.sheet,
            "columns": self.columns,
            "ignored": list(self.ignored),
            "grades": self.grades,
            "by": self.by or None,
            "rows": [r.to_json() for r in self.rows],
            "summary": self.summary(),
        }


class _Refuse(Exception):
    def __init__(self, message: str, action: str = "refused") -> None:
        super().__init__(message)
        self.action = action


def parse_pairs(pairs, option: str, example: str) -> dict[str, str]:
    out = {}
    for pair in pairs or ():
        left, sep, right = pair.partition("=")
        if not sep or not left.strip():
            raise InputError(f"{option} {pair!r}: expected {example}")
        out[left.strip()] = right.strip()
    return out


def map_columns(table: Table, mapping: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    by_key = {header_key(f): f for f in FIELDS}
    by_key.update({header_key(label): f for f, label in forms.FIELDS.items()})
    for f, names in ALIASES.items():
        for name in names:
            by_key.setdefault(name, f)
    columns: dict[int, str] = {}
    skipped: dict[int, str] = {}
    for column, name in mapping.items():
        index = next((i for i, h in enumerate(table.headers) if header_key(h) == header_key(column)), None)
        if index is None:
            raise InputError(
                f"{{map}} {column}={name}: no column {column!r} (columns: {', '.join(table.headers)})",
                table.path,
                options=("map",),
            )
        if name.casefold() in IGNORE:
            skipped[index] = "left out by --map"
            continue
        target = next((f for f in FIELDS if header_key(f) == header_key(name)), None)
        if target is None:
            raise InputError(
                f"{{map}} {column}={name}: no field {name!r} (fields: {', '.join(FIELDS)})",
                table.path,
                options=("map",),
            )
        columns[index] = target
    for i, header in enumerate(table.headers):
        if i not in columns and i not in skipped and by_key.get(header_key(header)) in FIELDS:
            if by_key[header_key(header)] in columns.values():
                skipped[i] = f"another column already gives {by_key[header_key(header)]}"
            else:
                columns[i] = by_key[header_key(header)]
    if "indicator" not in columns.values() and "title" not in columns.values():
        raise InputError(
            f"no column names the indicator (columns: {', '.join(table.headers)}); name it with "
            "{map} COLUMN=indicator (an id such as 2.1, or the title)",
            table.path,
            options=("map",),
        )
    ignored = [
        f"{h!r}: {skipped.get(i, 'matches no field (use --map COLUMN=field to read it)')}"
        for i, h in enumerate(table.headers)
        if i not in columns
    ]
    return columns, ignored


def plan_import(
    evaluation: model.Evaluation,
    path: str | Path,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    grade_map: dict[str, str] | None = None,
    by: str = "",
) -> GridImport:
    """Compare every row of the grid with the assessments; nothing is written."""
    table = read_table(path, sheet)
    columns, ignored = map_columns(table, mapping or {})
    framework = evaluation.framework
    values_map = {}
    for text, level_text in (grade_map or {}).items():
        if all(sc.parse(level_text) is None for sc in (framework.scale, *framework.scales)):
            raise InputError(
                f"{{grade}} {text}={level_text}: {level_text!r} is not a level of the scale "
                f"({', '.join(lv.label for lv in framework.scale.levels)})",
                options=("grade",),
            )
        values_map[" ".join(text.split()).casefold()] = level_text
    by = forms.normal_name(by)
    grades: dict[str, str] = {}
    rows = []
    seen: dict[str, int] = {}
    headers = {f: table.headers[i] for i, f in columns.items()}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        raw = {f: cells[i] for i, f in columns.items()}
        try:
            plan = _plan_row(evaluation, number, raw, headers, values_map, grades, by)
            if plan.indicator and plan.indicator in seen and plan.action != "blank":
                raise _Refuse(f"{plan.indicator} is also on row {seen[plan.indicator]}")
            if plan.indicator:
                seen.setdefault(plan.indicator, number)
        except _Refuse as exc:
            plan = GridRow(number, exc.action, reason=str(exc))
        rows.append(plan)
    return GridImport(
        str(path),
        table.sheet,
        {table.headers[i]: f for i, f in sorted(columns.items())},
        tuple(ignored),
        grades,
        tuple(rows),
        by,
    )


def _indicator(evaluation: model.Evaluation, raw: dict[str, str]) -> tuple[str, str]:
    ids = sorted(evaluation.assessable_ids, key=len, reverse=True)
    text = raw.get("indicator", "")
    if text:
        cleaned = re.sub(r"^(?:qi|quality indicator)\s*", "", text.strip(), flags=re.I)
        for ident in ids:
            if cleaned.casefold() == ident.casefold():
                return ident, f"{text!r} by id"
        for ident in ids:
            if re.match(rf"{re.escape(ident)}(?:\s|[:.–-]\s|$)", cleaned, re.I):
                return ident, f"{text!r} by the id it starts with"
    for candidate in (raw.get("title", ""), text):
        key = header_key(candidate)
        if not key:
            continue
        found = [i for i in ids if header_key(evaluation.title_of(i)) == key]
        if len(found) == 1:
            return found[0], f"{candidate!r} by title"
    shown = text or raw.get("title", "")
    raise _Refuse(f"{shown!r} is not an indicator of framework {evaluation.framework.id} (by id or title)")


def _grade(scale: model.Scale, text: str, values_map: dict, grades: dict[str, str], header: str):
    key = " ".join(text.split()).casefold()
    if key in values_map:
        level = scale.parse(values_map[key])
        if level is None:
            raise _Refuse(
                f"--grade maps {text!r} to {values_map[key]!r}, which is not a level of this "
                f"indicator's scale ({', '.join(lv.label for lv in scale.levels)})"
            )
        grades[text] = f"{scale.shown(level.value)} by --grade"
        return level
    level = scale.parse(text)
    if level is None:
        words = scale.parse(re.sub(r"[\d()\[\]:.–-]+", " ", text))
        number = re.match(r"\s*(\d+)", text)
        numbered = scale.parse(int(number[1])) if number else None
        if words and numbered and words != numbered:
            raise _Refuse(f"{header} {text!r} names two levels ({words.label} and {numbered.label})")
        level = words or numbered
    if level is None:
        raise _Refuse(
            f"{header} {text!r} is not a level of the scale "
            f"({', '.join(lv.label for lv in scale.levels)}); map it with --grade '{text}=LEVEL'"
        )
    grades[text] = scale.shown(level.value)
    return level


def _plan_row(evaluation, number, raw, headers, values_map, grades, by) -> GridRow:
    for f, text in raw.items():
        if text.startswith("="):
            raise _Refuse(f"formula in column {headers[f]!r}; type the value instead")
    if not any(raw.values()):
        return GridRow(number, "blank")
    ident, matched = _indicator(evaluation, raw)
    scale = evaluation.framework.scale_for(ident)
    level = _grade(scale, raw["grade"], values_map, grades, headers["grade"]) if raw.get("grade") else None
    a = evaluation.assessments.get(ident) or model.Assessment(ident)
    values: dict = {}
    changes = []
    conflicts = []
    rationale = raw.get("rationale", "").replace("\r\n", "\n").strip()
    if by:
        own = next((p for p in a.proposed if p.by == by), None)
        if level is not None:
            notes = {f: forms.split_lines(raw.get(f, "")) for f in ("strengths", "improvements")}
            proposal = model.Proposal(
                by, level.value, "", rationale, notes["strengths"], notes["improvements"]
            )
            if forms.proposal_digest(proposal) != forms.proposal_digest(own):
                values["proposal"] = {
                    "by": by,
                    "grade": level.value,
                    "rationale": rationale,
                    "strengths": list(notes["strengths"]),
                    "improvements": list(notes["improvements"]),
                }
                changes.append(f"{by} proposes {scale.shown(level.value)}")
    else:
        for name, new in (
            ("grade", level.value if level else None),
            ("rationale", rationale),
            ("lead", raw.get("lead", "").strip()),
        ):
            old = getattr(a, name)
            if new in (None, "") or new == old:
                continue
            if old not in (None, ""):
                shown = scale.shown(old) if name == "grade" else old
                conflicts.append(f"{name} is already {_short(shown)!r}")
                continue
            values[name] = new
            changes.append(
                f"grade {scale.shown(level.value)}" if name == "grade" and level else f"{name} set"
            )
    if by and raw.get("lead", "").strip() and raw["lead"].strip() != a.lead:
        if a.lead:
            conflicts.append(f"lead is already {a.lead!r}")
        else:
            values["lead"] = raw["lead"].strip()
            changes.append("lead set")
    for f in forms.LIST_FIELDS:
        present = {" ".join(t.split()) for t in getattr(a, f)}
        fresh = tuple(t for t in forms.split_lines(raw.get(f, "")) if " ".join(t.split()) not in present)
        if fresh:
            values.setdefault("notes", {})[f] = fresh
            changes.append(f"{len(fresh)} {forms.FIELDS[f].lower()} added")
    if not values and not conflicts:
        return GridRow(number, "unchanged", ident, matched)
    if a.status == "agreed" and values:
        raise _Refuse(f"{ident} is agreed; an import never changes an agreed assessment", "conflict")
    if conflicts:
        raise _Refuse(
            f"{ident}: {'; '.join(conflicts)}; the row is left alone (change it with qiframe grade/edit "
            "if the grid is right)",
            "conflict",
        )
    return GridRow(number, "changed", ident, matched, changes=tuple(changes), values=values)


def _short(text) -> str:
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "…"


def rejection(plan: GridImport) -> InputError:
    first = plan.invalid[0]
    return InputError(
        f"{len(plan.invalid)} row(s) refused, so nothing was written (row {first.row}: "
        f"{first.reason}); fix them, or import the rest with {{skip_invalid}}",
        plan.path,
        options=("skip_invalid",),
    )


def apply_import(
    root: str | Path,
    plan: GridImport,
    evaluation: model.Evaluation,
    skip_invalid: bool = False,
    today: dt.date | None = None,
) -> tuple[str, ...]:
    if plan.invalid and not skip_invalid:
        raise rejection(plan)
    day = today or clock.today()
    rows = [r for r in plan.rows if r.action == "changed"]
    changes = [
        FileChange(
            f"{store.FOLDERS['indicator']}/{r.indicator}.yaml",
            "indicator",
            _mutation(r.values, plan.by, day),
            {"indicator": r.indicator, "status": "not-started"},
        )
        for r in rows
    ]
    before = {r.indicator: evaluation.assessments.get(r.indicator) for r in rows}

    def verify(current: model.Evaluation) -> None:
        for ident, old in before.items():
            if current.assessments.get(ident) != old:
                raise InputError(
                    f"{ident} changed while the import was being prepared, so nothing was "
                    "written; run the import again",
                    plan.path,
                )

    return apply(root, changes, verify)


def _mutation(values: dict, by: str, day: dt.date):
    def mutate(doc) -> None:
        for name in ("grade", "rationale", "lead"):
            if name in values:
                store.set_field(doc, name, values[name], store.ASSESSMENT_FIELDS)
        if "proposal" in values:
            record = {k: v for k, v in values["proposal"].items() if v not in ("", [], None)}
            record = {
                "by": record["by"],
                "grade": record["grade"],
                "date": day,
                **{k: record[k] for k in ("rationale", "strengths", "improvements") if k in record},
            }
            current = doc.get("proposed")
            index = next((i for i, p in enumerate(current or []) if p.get("by") == by), None)
            if index is not None:
                current[index] = yamlio.to_commented(record)
            else:
                store.append_items(doc, "proposed", [record], store.ASSESSMENT_FIELDS)
        for name, items in values.get("notes", {}).items():
            store.append_items(doc, name, list(items), store.ASSESSMENT_FIELDS)

    return mutate
