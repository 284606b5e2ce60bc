"""`qiframe compare`'s reports: with the inspection, with an earlier year, and grades over the years, each
as plain text (for the terminal), Markdown (for reports) and JSON (for scripts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qiframe.render import Markup, escape, json_text, renderer
from qiframe.text import md_escape

if TYPE_CHECKING:
    from qiframe.compare import ExternalComparison, ExternalRow, YearComparison, YearRow

EXTERNAL = "qiframe.compare.ExternalComparison"
YEARS = "qiframe.compare.YearComparison"
TREND = "qiframe.compare.trend.Trend"


@renderer(EXTERNAL, "json")
@renderer(YEARS, "json")
@renderer(TREND, "json")
def as_json(result) -> str:
    return json_text(result.to_json())


def difference_words(row: ExternalRow) -> str:
    """How the self-evaluation's grade stands against the inspection's, in words."""
    if row.self_grade is None and row.external_grade is None:
        return "no grades"
    if row.self_grade is None:
        return "no self-evaluation grade"
    if row.external_grade is None:
        return "no inspection grade"
    if row.difference is None:
        return "a grade is not on the scale"
    if row.difference == 0:
        return "matched"
    size = abs(row.difference)
    way = "above" if row.difference > 0 else "below"
    return f"{size} level{'s' if size != 1 else ''} {way} the inspection"


def _grade(value: int | None, label: str, judgement: bool = False) -> str:
    """A grade as "4 Good"; a judgement (e.g. confidence) as its label alone."""
    if value is None:
        return "—"
    return (label or str(value)) if judgement else f"{value} {label}".strip()


def external_summary(c: ExternalComparison) -> str:
    if not c.compared:
        return c.lean_text[0].upper() + c.lean_text[1:] + "."
    return (
        f"{c.matched} of {len(c.compared)} matched; {c.within_one} within one level; "
        f"{c.self_above} graded above the inspection and {c.self_below} below. "
        f"{c.lean_text[0].upper() + c.lean_text[1:]}."
    )


@renderer(EXTERNAL, "text")
def external_text(c: ExternalComparison) -> str:
    table = [("QI", "title", "self-evaluation", "inspection", "difference")]
    for r in c.rows:
        table.append(
            (
                r.id,
                r.title,
                _grade(r.self_grade, r.self_label, r.judgement),
                _grade(r.external_grade, r.external_label, r.judgement),
                difference_words(r),
            )
        )
    lines = [f"{c.title}: self-evaluation compared with the inspection", ""]
    lines += _columns(table)
    lines += ["", external_summary(c)]
    sources = sorted({r.source for r in c.rows if r.source})
    if sources:
        lines.append("Inspection grades from: " + "; ".join(sources) + ".")
    if c.not_compared:
        lines.append("External grades outside the comparison: " + ", ".join(c.not_compared) + ".")
    if c.alignment is not None:
        lines += [""] + _alignment_lines(c.alignment, str)
    return "\n".join(lines) + "\n"


def _alignment_lines(al, esc) -> list[str]:
    """The findings' alignment: three groups and the line to quote."""
    from qiframe.compare.findings import KIND_WORDS

    def point(p) -> str:
        return f"{p.indicator} {KIND_WORDS[p.kind]}: {esc(p.text)}"

    lines = ["What the inspection found, beside the self-evaluation", ""]
    for heading, group in (("Found by both", al.both), ("Found by the inspection only", al.inspection_only)):
        lines.append(f"{heading} ({len(group)}):")
        for m in group:
            f = m.finding
            where = ", ".join(f.indicators)
            how = "" if not m.points else (" — paired by hand" if m.confirmed else " — matched by indicator")
            lines.append(
                f"  {f.id} {KIND_WORDS[f.kind]}" + (f" ({where})" if where else "") + f": {esc(f.text)}{how}"
            )
            lines += [f"    matches {point(p)}" for p in m.points]
    lines.append(f"Named by the self-evaluation only ({len(al.self_only)}):")
    lines += [f"  {point(p)}" for p in al.self_only]
    lines += ["", esc(al.summary)]
    return lines


@renderer(EXTERNAL, "md")
def external_markdown(c: ExternalComparison) -> str:
    lines = [
        f"# {_md(c.title)}: self-evaluation compared with the inspection",
        "",
        "| QI | Title | Self-evaluation | Inspection | Difference |",
        "|---|---|---|---|---|",
    ]
    for r in c.rows:
        lines.append(
            f"| {_md(r.id)} | {_md(r.title)} | {_md(_grade(r.self_grade, r.self_label, r.judgement))} | "
            f"{_md(_grade(r.external_grade, r.external_label, r.judgement))} | {difference_words(r)} |"
        )
    lines += ["", external_summary(c)]
    sources = sorted({r.source for r in c.rows if r.source})
    if sources:
        lines += ["", "Inspection grades from: " + "; ".join(_md(s) for s in sources) + "."]
    if c.not_compared:
        lines += ["", "External grades outside the comparison: " + ", ".join(map(_md, c.not_compared)) + "."]
    if c.alignment is not None:
        found = _alignment_lines(c.alignment, _md)
        lines += ["", f"## {found[0]}", ""] + [
            (f"- {line.strip()}" if line.startswith("  ") else line) for line in found[2:]
        ]
    return "\n".join(lines) + "\n"


# --- year on year --------------------------------------------------------------------------------------


def _changes(r: YearRow) -> list[str]:
    """The differences of one row, one line each."""
    out = []
    if not r.old.present:
        out.append("new: not in the earlier evaluation")
    elif not r.new.present:
        out.append("not in this evaluation")
    if r.grade_changed:
        carried = f" (carried from {r.old_id})" if r.carried and r.old.grade is not None else ""
        out.append(
            f"grade: {_grade(r.old.grade, r.old.label, r.old.judgement)}{carried} → {_grade(r.new.grade, r.new.label, r.new.judgement)}"
        )
    if r.evidence_added or r.evidence_removed:
        ids = [f"+{e}" for e in r.evidence_added] + [f"−{e}" for e in r.evidence_removed]
        out.append(f"evidence: {len(r.old.evidence)} → {len(r.new.evidence)} ({', '.join(ids)})")
    if r.old.sources != r.new.sources:
        out.append(f"sources: {', '.join(r.old.sources) or 'none'} → {', '.join(r.new.sources) or 'none'}")
    for what, items in (
        ("strength added", r.strengths_added),
        ("strength removed", r.strengths_removed),
        ("area for improvement added", r.improvements_added),
        ("area for improvement removed", r.improvements_removed),
    ):
        out += [f"{what}: {text}" for text in items]
    return out


def _heading(c: YearComparison) -> str:
    def about(side: dict) -> str:
        return Path(side["root"]).name + (f", {side['date']}" if side.get("date") else "")

    if c.old["title"] == c.new["title"]:
        return f"{c.new['title']}: {about(c.new)} compared with {about(c.old)}"
    return f"{c.new['title']} ({about(c.new)}) compared with {c.old['title']} ({about(c.old)})"


def _totals(c: YearComparison) -> str:
    s = c.summary()
    unchanged = s["indicators"] - s["changed"]
    return (
        f"{s['changed']} indicator{'s' if s['changed'] != 1 else ''} changed, {unchanged} unchanged; "
        f"{s['grades_changed']} grade{'s' if s['grades_changed'] != 1 else ''} changed. Evidence register: "
        f"{c.old['evidence']} → {c.new['evidence']} items ({len(c.evidence_added)} added, "
        f"{len(c.evidence_removed)} removed)."
    )


@renderer(YEARS, "text")
def years_text(c: YearComparison) -> str:
    lines = [_heading(c), ""]
    if c.mapped:
        lines += [
            f"Framework {c.old['framework']} mapped to {c.new['framework']}; carried grades are marked.",
            "",
        ]
        if c.crosswalk:
            lines[-1:-1] = [
                f"Mapped through the bundled crosswalk {Path(c.crosswalk).name} ({c.crosswalk_status})."
            ]
    for r in c.changed:
        lines.append(f"{r.id} {r.title}".rstrip())
        lines += [f"  {line}" for line in _changes(r)]
    if c.changed:
        lines.append("")
    lines.append(_totals(c))
    return "\n".join(lines) + "\n"


@renderer(YEARS, "md")
def years_markdown(c: YearComparison) -> str:
    lines = [f"# {_md(_heading(c))}", ""]
    if c.mapped:
        lines += [
            f"Framework {_md(c.old['framework'])} mapped to {_md(c.new['framework'])}; "
            "carried grades are marked.",
            "",
        ]
        if c.crosswalk:
            lines[-1:-1] = [
                f"Mapped through the crosswalk {_md(Path(c.crosswalk).name)} ({_md(c.crosswalk_status)})."
            ]
    lines += ["| QI | Title | Grade before | Grade now | Evidence | Changes |", "|---|---|---|---|---|---|"]
    for r in c.rows:
        before = _grade(r.old.grade, r.old.label, r.old.judgement) + (
            " (carried)" if r.carried and r.old.grade is not None else ""
        )
        changes = "<br>".join(_md(line) for line in _changes(r)) or "no change"
        lines.append(
            f"| {_md(r.id)} | {_md(r.title)} | {_md(before)} | {_md(_grade(r.new.grade, r.new.label, r.new.judgement))} | "
            f"{len(r.old.evidence)} → {len(r.new.evidence)} | {changes} |"
        )
    lines += ["", _md(_totals(c))]
    return "\n".join(lines) + "\n"


# --- trends over many years ----------------------------------------------------------------------------


def _point(p) -> str:
    return "—" if p.grade is None else f"{p.grade} {p.label}".strip() + ("*" if p.carried else "")


def _moves(row) -> str:
    parts = []
    for change in row.changes:
        parts.append("?" if change is None else ("=" if change == 0 else f"{change:+d}"))
    return " ".join(parts)


def _trend_notes(t) -> list[str]:
    notes = []
    for y in t.years:
        if y.crosswalk:
            notes.append(
                f"{y.label} ({y.framework}) brought across by the crosswalk {Path(y.crosswalk).name} "
                f"({y.crosswalk_status}); its grades are marked *."
            )
    s = t.summary()
    notes.append(
        f"{s['indicators']} indicators over {s['years']} evaluations: {s['up']} up, {s['down']} down, "
        f"{s['same']} the same from the first graded year to the last (changes in positions on the scale)."
    )
    return notes


@renderer(TREND, "text")
def trend_text(t) -> str:
    header = ("QI", "title", *(y.label for y in t.years), "changes")
    table = [header] + [(r.id, r.title, *(_point(p) for p in r.points), _moves(r)) for r in t.rows]
    lines = ["Grades over time: " + ", ".join(f"{y.label} {Path(y.root).name}" for y in t.years), ""]
    lines += _columns(table)
    lines += [""] + _trend_notes(t)
    return "\n".join(lines) + "\n"


@renderer(TREND, "md")
def trend_markdown(t) -> str:
    lines = [
        "# Grades over time",
        "",
        "| QI | Title | " + " | ".join(_md(y.label) for y in t.years) + " | Changes |",
        "|---|---|" + "---|" * len(t.years) + "---|",
    ]
    for r in t.rows:
        lines.append(
            f"| {_md(r.id)} | {_md(r.title)} | "
            + " | ".join(_md(_point(p)) for p in r.points)
            + f" | {_md(_moves(r))} |"
        )
    for note in _trend_notes(t):
        lines += ["", _md(note)]
    return "\n".join(lines) + "\n"


# --- helpers -------------------------------------------------------------------------------------------


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell (the one Markdown escaper of every export)."""
    return md_escape(text).strip()


# --- the inspection's grades and findings, listed ------------------------------------------------------

GRADES = "qiframe.compare.external.Grades"
FINDINGS = "qiframe.compare.findings.Listed"


@renderer(GRADES, "json")
def grades_json(grades) -> str:
    return json_text({"external": list(grades.rows)})


@renderer(GRADES, "text")
def grades_text(grades) -> str:
    lines = []
    for r in grades.rows:
        extra = "; ".join(x for x in (r["source"], r["date"]) if x)
        lines.append(
            f"{r['indicator']}  {r['grade']} {r['label'] or ''}  {r['title']}"
            + (f"  ({extra})" if extra else "")
        )
    return "".join(line + "\n" for line in lines)


@renderer(FINDINGS, "json")
def findings_json(listed) -> str:
    return json_text({"findings": list(listed.rows)})


@renderer(FINDINGS, "text")
def findings_text(listed) -> Markup:
    from qiframe.compare.findings import finding_line

    return Markup(
        "".join(
            escape(finding_line(f)) + ("  [dim](paired by hand)[/]" if f.pairs is not None else "") + "\n"
            for f in listed.findings
        )
    )
