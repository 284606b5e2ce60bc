"""Reading an assessment workbook back: proposals under the evaluator's name, notes added, nothing forced.

Per indicator sheet the plan is one of:

- **changed**: the evaluator's proposal is recorded (grade, reasons, strengths, areas for improvement) and
  notes the assessment does not hold yet are added;
- **unchanged**: everything the sheet says is already recorded (a second import of the same file);
- **blank**: nothing filled in, skipped;
- **conflict**: the indicator changed since the workbook was made (its grade, status or rationale, or this
  evaluator's proposal), so the sheet is left alone;
- **refused**: the sheet cannot be read as it stands (a value that is not a level of the scale, a formula,
  reasons without a grade) or the indicator is agreed (an import never touches an agreed assessment).

Conflicts and agreed indicators are reported and left alone while the rest is written; a sheet refused for
its content stops the whole import (nothing written) unless `skip_invalid`. Formulas are never evaluated.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from qiframe import assessment_forms as forms
from qiframe import clock, model, store, yamlio
from qiframe.errors import InputError
from qiframe.imports.changes import FileChange, apply
from qiframe.imports.tables import cell_text, check_workbook_file

ACTIONS = ("changed", "unchanged", "blank", "conflict", "refused")


@dataclass(frozen=True)
class SheetPlan:
    """What importing one indicator's sheet would do."""

    sheet: str
    """The worksheet."""
    indicator: str
    """The indicator (or suite) it is about."""
    action: str
    """One of ACTIONS."""
    reason: str = ""
    """Why a sheet is refused or in conflict."""
    changes: tuple[str, ...] = ()
    """What would change, in words."""
    cells: dict[str, str] = field(default_factory=dict)
    """Field -> the cell it was read from (e.g. "B8")."""
    proposal: dict | None = None
    """The proposal to record (file fields), or None."""
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Notes to add per list field."""
    invalid: bool = False
    """Whether a refusal is about the sheet's content (which stops the import) rather than the indicator."""

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "indicator": self.indicator,
            "action": self.action,
            "reason": self.reason or None,
            "changes": list(self.changes),
            "cells": self.cells,
        }


@dataclass(frozen=True)
class AssessmentImport:
    """The outcome of reading a workbook against the evaluation, before anything is written."""

    path: str
    """The workbook read."""
    evaluator: str
    """Whose proposals these are."""
    evaluator_from: str
    """Where the name came from: "the workbook's record" (made --for NAME) or "the cover sheet, cell B7"."""
    made: str
    """When the workbook was made (ISO)."""
    sheets: tuple[SheetPlan, ...]
    """One plan per indicator sheet, in workbook order."""
    ignored: tuple[str, ...] = ()
    """Sheets and cells left out, each with the reason."""

    def count(self, action: str) -> int:
        return sum(s.action == action for s in self.sheets)

    @property
    def invalid(self) -> list[SheetPlan]:
        return [s for s in self.sheets if s.invalid]

    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ACTIONS}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "evaluator": self.evaluator,
            "evaluator_from": self.evaluator_from,
            "made": self.made,
            "sheets": [s.to_json() for s in self.sheets],
            "ignored": list(self.ignored),
            "summary": self.summary(),
        }


class _Refuse(Exception):
    def __init__(self, message: str, invalid: bool = True, action: str = "refused") -> None:
        super().__init__(message)
        self.invalid = invalid
        self.action = action


# --- reading -------------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    cells: dict[tuple[int, int], tuple[object, str]]
    """(row, column) -> (value, openpyxl data type), only cells that hold something."""

    def text(self, row: int, column: int) -> str:
        value, _ = self.cells.get((row, column), (None, "n"))
        return cell_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()

    def is_formula(self, row: int, column: int) -> bool:
        value, kind = self.cells.get((row, column), (None, "n"))
        return kind == "f" or (kind != "s" and isinstance(value, str) and value.startswith("="))

    def labelled(self, label: str) -> int | None:
        """The row whose column-A label (its first line) is `label`, ignoring case and spaces."""
        key = " ".join(label.split()).casefold()
        for row, column in sorted(self.cells):
            if column == 1:
                first = self.text(row, 1).split("\n", 1)[0]
                if " ".join(first.split()).casefold() == key:
                    return row
        return None


def _read_workbook(path: Path) -> dict[str, _Sheet]:
    check_workbook_file(path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(f"not a readable xlsx workbook ({type(exc).__name__})", path) from None
    try:
        sheets = {}
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue
            ws.reset_dimensions()
            cells = {}
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None and getattr(cell, "column", None):
                        cells[(cell.row, cell.column)] = (cell.value, cell.data_type)
            sheets[ws.title] = _Sheet(ws.title, cells)
        return sheets
    except Exception as exc:
        raise InputError(f"not a readable xlsx workbook ({type(exc).__name__})", path) from None
    finally:
        wb.close()


def _meta(sheets: dict[str, _Sheet], path: Path) -> tuple[dict[str, str], list[tuple[str, str, str, dict]]]:
    meta_sheet = sheets.get(forms.META_SHEET)
    if meta_sheet is None or meta_sheet.text(1, 2) != forms.FORMAT:
        raise InputError(
            "not an assessment workbook made by `qiframe export assessments` (its hidden record "
            "is missing); to bring in a table of grades, use `qiframe import grid`",
            path,
        )
    values = {meta_sheet.text(r, 1): meta_sheet.text(r, 2) for r in range(1, len(forms.META_KEYS) + 1)}
    start = len(forms.META_KEYS) + 2
    rows = []
    r = start + 1
    while meta_sheet.text(r, 1):
        try:
            proposals = json.loads(meta_sheet.text(r, 4) or "{}")
        except ValueError:
            raise InputError(f"the workbook's hidden record is damaged (row {r})", path) from None
        rows.append((meta_sheet.text(r, 1), meta_sheet.text(r, 2), meta_sheet.text(r, 3), proposals))
        r += 1
    return values, rows


def _evaluator(sheets: dict[str, _Sheet], values: dict[str, str], path: Path) -> tuple[str, str]:
    if values.get("evaluator"):
        return forms.normal_name(values["evaluator"]), "the workbook's record (made for this evaluator)"
    cover = sheets.get(forms.COVER_SHEET)
    row = cover.labelled(forms.EVALUATOR_LABEL) if cover else None
    if row is None:
        raise InputError(f"the {forms.COVER_SHEET} sheet has no {forms.EVALUATOR_LABEL} cell", path)
    assert cover is not None  # a row was found on it
    if cover.is_formula(row, 2):
        raise InputError(f"{forms.COVER_SHEET}!B{row} holds a formula; type the evaluator's name", path)
    name = forms.normal_name(cover.text(row, 2))
    if not name:
        raise InputError(
            f"no evaluator named: type your name (or your pair's) in {forms.COVER_SHEET}!B{row}, "
            "save, and import again",
            path,
        )
    return name, f"the {forms.COVER_SHEET} sheet, cell B{row}"


def plan_import(evaluation: model.Evaluation, path: str | Path) -> AssessmentImport:
    """Compare every indicator sheet of the workbook with the evaluation; nothing is written."""
    path = Path(path)
    if path.suffix.casefold() not in (".xlsx", ".xlsm"):
        raise InputError("an assessment workbook is an .xlsx file", path)
    sheets = _read_workbook(path)
    values, rows = _meta(sheets, path)
    if values.get("framework") != evaluation.framework.id:
        raise InputError(
            f"this workbook was made for framework {values.get('framework')!r}, not "
            f"{evaluation.framework.id!r}: it belongs to another evaluation",
            path,
        )
    if values.get("evaluation") != evaluation.metadata.title:
        raise InputError(
            f"this workbook was made from evaluation {values.get('evaluation')!r}, not "
            f"{evaluation.metadata.title!r}",
            path,
        )
    evaluator, source = _evaluator(sheets, values, path)
    plans = []
    known = {forms.COVER_SHEET, forms.META_SHEET}
    for name, ident, base, proposals in rows:
        known.add(name)
        sheet = sheets.get(name)
        if sheet is None:
            plans.append(SheetPlan(name, ident, "refused", "the sheet is missing from the workbook"))
            continue
        try:
            plans.append(_plan_sheet(evaluation, sheet, ident, base, proposals, evaluator))
        except _Refuse as exc:
            plans.append(SheetPlan(name, ident, exc.action, str(exc), invalid=exc.invalid))
    ignored = [f"sheet {title!r}: not one of the workbook's forms" for title in sheets if title not in known]
    for name, *_ in rows:
        sheet = sheets.get(name)
        outside = sorted((r, c) for (r, c) in sheet.cells if c > 2) if sheet else []
        if outside:
            from openpyxl.utils import get_column_letter

            refs = ", ".join(f"{get_column_letter(c)}{r}" for r, c in outside[:5])
            more = f" and {len(outside) - 5} more" if len(outside) > 5 else ""
            ignored.append(
                f"sheet {name!r}: {refs}{more}: outside the form (only column B beside a label is read)"
            )
    return AssessmentImport(
        str(path), evaluator, source, values.get("made", ""), tuple(plans), tuple(ignored)
    )


def _plan_sheet(
    evaluation: model.Evaluation, sheet: _Sheet, ident: str, base: str, proposals: dict, evaluator: str
) -> SheetPlan:
    if ident not in evaluation.assessable_ids:
        raise _Refuse(f"{ident} is not an indicator of framework {evaluation.framework.id}")
    row = sheet.labelled(forms.INDICATOR_LABEL)
    if row is None or sheet.text(row, 2) != ident:
        raise _Refuse(f"the sheet's {forms.INDICATOR_LABEL} cell does not say {ident}")
    cells: dict[str, str] = {}
    given: dict[str, str] = {}
    for name, label in forms.FIELDS.items():
        row = sheet.labelled(label)
        if row is None:
            raise _Refuse(f"no {label!r} label in column A")
        cells[name] = f"B{row}"
        if sheet.is_formula(row, 2):
            raise _Refuse(f"{cells[name]} ({label}) holds a formula; type the text instead")
        given[name] = sheet.text(row, 2)
    if not any(given.values()):
        return SheetPlan(sheet.title, ident, "blank", cells=cells)
    scale = evaluation.framework.scale_for(ident)
    level = None
    if given["grade"]:
        level = scale.parse(given["grade"])
        if level is None:
            choices = ", ".join(lv.label for lv in scale.levels)
            raise _Refuse(f"{cells['grade']}: {given['grade']!r} is not a level of the scale ({choices})")
    elif given["rationale"]:
        raise _Refuse(f"{cells['rationale']} gives reasons but no grade is picked in {cells['grade']}")
    a = evaluation.assessments.get(ident) or model.Assessment(ident)
    notes = {f: forms.split_lines(given[f]) for f in forms.LIST_FIELDS}
    proposal = None
    changes = []
    own = next((p for p in a.proposed if p.by == evaluator), None)
    if level is not None:
        proposal = {
            "by": evaluator,
            "grade": level.value,
            "rationale": given["rationale"],
            "strengths": list(notes["strengths"]),
            "improvements": list(notes["improvements"]),
        }
        new = model.Proposal(
            evaluator, level.value, "", given["rationale"], notes["strengths"], notes["improvements"]
        )
        if forms.proposal_digest(new) == forms.proposal_digest(own):
            proposal = None
        else:
            was = ""
            if own is not None:
                old = scale.level(own.grade)
                was = (
                    f" (was {old.label if old else own.grade})"
                    if own.grade != level.value
                    else " (reasons or notes changed)"
                )
            changes.append(f"proposal {scale.shown(level.value)}{was}")
    fresh = {}
    for f in forms.LIST_FIELDS:
        present = {" ".join(t.split()) for t in getattr(a, f)}
        added = tuple(t for t in notes[f] if " ".join(t.split()) not in present)
        if added:
            fresh[f] = added
            changes.append(f"{len(added)} {forms.FIELDS[f].lower()} added")
    if proposal is None and not fresh:
        return SheetPlan(sheet.title, ident, "unchanged", cells=cells)
    if a.status == "agreed":
        raise _Refuse(
            f"{ident} is agreed ({scale.shown(a.grade) or 'no grade'}); an import never "
            "changes an agreed assessment. To reopen it: qiframe assign "
            f"{ident} --status in-progress",
            invalid=False,
        )
    if forms.base_digest(evaluation.assessments.get(ident)) != base:
        raise _Refuse(
            f"{ident} changed since the workbook was made (its grade, status or rationale); left "
            "alone: compare the sheet with `qiframe status`, then record by hand or export a fresh "
            "workbook",
            invalid=False,
            action="conflict",
        )
    if forms.proposal_digest(own) != proposals.get(evaluator, ""):
        raise _Refuse(
            f"{evaluator}'s proposal for {ident} changed since the workbook was made; left alone: "
            f"export a fresh workbook for {evaluator} to continue from what is recorded",
            invalid=False,
            action="conflict",
        )
    return SheetPlan(
        sheet.title, ident, "changed", changes=tuple(changes), cells=cells, proposal=proposal, notes=fresh
    )


# --- writing -------------------------------------------------------------------------------------------


def apply_import(
    root: str | Path,
    plan: AssessmentImport,
    evaluation: model.Evaluation,
    skip_invalid: bool = False,
    today: dt.date | None = None,
) -> tuple[str, ...]:
    """Write every changed sheet at once; a sheet refused for its content stops everything unless skipped."""
    if plan.invalid and not skip_invalid:
        raise rejection(plan)
    day = (today or clock.today()).isoformat()
    changes = []
    for sheet in plan.sheets:
        if sheet.action != "changed":
            continue
        changes.append(
            FileChange(
                f"{store.FOLDERS['indicator']}/{sheet.indicator}.yaml",
                "indicator",
                _mutation(sheet, plan.evaluator, day),
                {"indicator": sheet.indicator, "status": "not-started"},
            )
        )
    seen = {
        s.indicator: evaluation.assessments.get(s.indicator) for s in plan.sheets if s.action == "changed"
    }

    def verify(current: model.Evaluation) -> None:
        for ident, before in seen.items():
            if current.assessments.get(ident) != before:
                raise InputError(
                    f"{ident} changed while the import was being prepared, so nothing was "
                    "written; run the import again",
                    plan.path,
                )

    return apply(root, changes, verify)


def rejection(plan: AssessmentImport) -> InputError:
    first = plan.invalid[0]
    return InputError(
        f"{len(plan.invalid)} sheet(s) refused, so nothing was written (sheet {first.sheet!r}: "
        f"{first.reason}); fix them, or import the rest with {{skip_invalid}}",
        plan.path,
        options=("skip_invalid",),
    )


def _mutation(sheet: SheetPlan, evaluator: str, day: str):
    def mutate(doc) -> None:
        if sheet.proposal is not None:
            record = {k: v for k, v in sheet.proposal.items() if v not in ("", [], None)}
            record["date"] = dt.date.fromisoformat(day)
            ordered = {
                k: record[k]
                for k in ("by", "grade", "date", "rationale", "strengths", "improvements")
                if k in record
            }
            current = doc.get("proposed")
            index = next((i for i, p in enumerate(current or []) if p.get("by") == evaluator), None)
            if index is not None:
                current[index] = yamlio.to_commented(ordered)  # in place: comments on the others stay
            else:
                store.append_items(doc, "proposed", [ordered], store.ASSESSMENT_FIELDS)
        for name, items in sheet.notes.items():
            store.append_items(doc, name, list(items), store.ASSESSMENT_FIELDS)

    return mutate
