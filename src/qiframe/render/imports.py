"""The reports of the import commands: every row or sheet with what it does, in text and JSON.

Text is console markup with every piece of file text escaped, so it prints exactly as written."""

from __future__ import annotations

from qiframe.render import Markup, escape, json_text, renderer

EVIDENCE = "qiframe.imports.changes.EvidenceImported"
ASSESSMENTS = "qiframe.imports.changes.AssessmentsImported"
GRID = "qiframe.imports.changes.GridImported"
STATEMENT = "qiframe.imports.changes.StatementImported"
SHOWN_CHANGES = 3
"""`evidence import` names at most this many changed fields of a row; unchanged rows are only counted."""


def _markup(lines: list[str]) -> Markup:
    return Markup("".join(escape(line) + "\n" for line in lines))


def _written(result) -> list[str]:
    written = result.written
    return [f"wrote {len(written)} file(s): {', '.join(written)}"] if written else []


@renderer(ASSESSMENTS, "json")
@renderer(GRID, "json")
@renderer(STATEMENT, "json")
def files_json(result) -> str:
    written = result.written
    return json_text({**result.plan.to_json(), "written": list(written) if written is not None else None})


# --- evidence import ---------------------------------------------------------------------------------


@renderer(EVIDENCE, "json")
def evidence_json(result) -> str:
    applied = result.written
    return json_text(
        {
            **result.plan.to_json(),
            "written": applied is not None,
            "created": [{"row": row, "id": ident} for row, ident in (applied.created if applied else ())],
        }
    )


@renderer(EVIDENCE, "text")
def evidence_text(result) -> Markup:
    from qiframe.cells import HEADERS

    plan, applied = result.plan, result.written
    new_ids = dict(applied.created) if applied else {}
    where = f"{plan.path}" + (f" (sheet {plan.sheet})" if plan.sheet else "")
    if plan.columns == {header: name for name, header in HEADERS.items()}:
        lines = [f"{where}: an Evidence sheet as qiframe exports it"]
    else:
        lines = [f"{where}: columns {', '.join(f'{h} → {f}' for h, f in plan.columns.items())}"]
    if plan.ignored:
        lines.append(f"ignored columns: {', '.join(plan.ignored)}")
    for m in plan.mapped:
        rows = ", ".join(map(str, m.rows[:5])) + (f" and {len(m.rows) - 5} more" if len(m.rows) > 5 else "")
        text = f"{m.text!r} → " if m.text else ""
        lines.append(f"{m.field}: {text}{m.value} ({m.how}; row{'s' if len(m.rows) > 1 else ''} {rows})")
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        if row.action == "rejected":
            line = f"row {row.row}: rejected: {row.reason}"
        elif row.action == "new":
            line = f"row {row.row}: new {new_ids.get(row.row, '')}".rstrip() + f": {row.item.title}"
        else:
            fields = list(row.changes)
            more = f" and {len(fields) - SHOWN_CHANGES} more" if len(fields) > SHOWN_CHANGES else ""
            line = f"row {row.row}: changed {row.id}: {', '.join(fields[:SHOWN_CHANGES])}{more}"
        lines.append(line)
    counts = plan.summary()
    lines.append(", ".join(f"{counts[a]} {a}" for a in ("new", "changed", "unchanged", "rejected")))
    return _markup(lines)


# --- import assessments ------------------------------------------------------------------------------


@renderer(ASSESSMENTS, "text")
def assessments_text(result) -> Markup:
    plan = result.plan
    lines = [
        f"{plan.path}: assessment workbook made {plan.made.replace('T', ' ')}; evaluator {plan.evaluator} "
        f"(from {plan.evaluator_from})"
    ]
    layouts = {tuple(s.cells.items()) for s in plan.sheets if s.cells}
    if len(layouts) == 1:
        cells = dict(next(iter(layouts)))
        lines.append("read on every sheet: " + ", ".join(f"{_field_label(f)} {c}" for f, c in cells.items()))
    for s in plan.sheets:
        line = f"sheet {s.sheet} ({s.indicator}): {s.action}"
        if s.changes:
            line += ": " + "; ".join(s.changes)
        if s.reason:
            line += ": " + s.reason
        if len(layouts) > 1 and s.cells:
            line += " [" + ", ".join(f"{_field_label(f)} {c}" for f, c in s.cells.items()) + "]"
        lines.append(line)
    lines += [f"ignored: {text}" for text in plan.ignored]
    lines.append(", ".join(f"{n} {a}" for a, n in plan.summary().items()))
    return _markup(lines + _written(result))


def _field_label(name: str) -> str:
    from qiframe.assessment_forms import FIELDS

    return FIELDS[name].lower()


# --- statement import --------------------------------------------------------------------------------


@renderer(STATEMENT, "text")
def statement_text(result) -> Markup:
    plan = result.plan
    lines = [f"{plan.path}: evidence numbers read through {plan.citations}"]
    lines += [f"matched: {line}" for line in plan.matched]
    lines += [f"ignored: {line}" for line in plan.ignored]
    lines += [f"comment by {c.author or 'someone'} in {c.where}: {c.text}" for c in plan.comments]
    for a in plan.answers:
        lines.append(f"{a.unit} ({a.question}): {a.action}")
        if result.dry_run and a.action == "changed":
            lines += ["    " + line for line in plan.diff(a)]
    for unit, words in plan.words.items():
        share = plan.shares.get(unit)
        over = " – over its share" if share is not None and words > share else ""
        lines.append(
            f"{unit}: {words:,} words" + (f" (share of the limit {share:,.0f}){over}" if share else "")
        )
    limit = f" against a limit of {plan.word_limit:,}" if plan.word_limit else ""
    lines.append(f"Total: {plan.total:,} words{limit}")
    changed = len(plan.changed)
    lines.append(f"{changed} answer(s) changed, {len(plan.answers) - changed} unchanged")
    return _markup(lines + _written(result))


# --- import grid -------------------------------------------------------------------------------------


@renderer(GRID, "text")
def grid_text(result) -> Markup:
    plan = result.plan
    where = plan.path + (f" (sheet {plan.sheet})" if plan.sheet else "")
    lines = [f"{where}: columns " + ", ".join(f"{h} → {f}" for h, f in plan.columns.items())]
    lines += [f"ignored column {text}" for text in plan.ignored]
    if plan.grades:
        lines.append("grades read: " + ", ".join(f"{t!r} → {how}" for t, how in plan.grades.items()))
    if plan.by:
        lines.append(f"grades recorded as proposals by {plan.by}")
    for r in plan.rows:
        if r.action == "blank":
            continue
        line = f"row {r.row}: {r.action}"
        if r.indicator:
            line += f" {r.indicator} ({r.matched})"
        if r.changes:
            line += ": " + "; ".join(r.changes)
        if r.reason:
            line += ": " + r.reason
        lines.append(line)
    lines.append(", ".join(f"{n} {a}" for a, n in plan.summary().items()))
    return _markup(lines + _written(result))
