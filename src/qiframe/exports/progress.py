"""The improvement plan's progress report: "what we said we would do / what we have done".

One document model, grouped by indicator, is rendered to Word (progress_docx), Excel (progress_xlsx) or
Markdown (progress_md), chosen by the output file's suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

from qiframe import actions, clock, model
from qiframe.analysis import runchart

RAG_RULE = (
    "Red: past its due date and not done. Amber: due within 28 days and not done, or no due date. "
    "Green: done, or on track for a due date more than 28 days away. Dropped actions have no status."
)
RAG_FILLS = {"Red": "F4B6B0", "Amber": "FFE08A", "Green": "B7DDB0"}
AMBER_DAYS = 28
STATUS_WORDS = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}


@dataclass(frozen=True)
class Row:
    """One action as the report shows it."""

    action: model.Action
    """The action."""
    said: str
    """What we said we would do."""
    improvement: str
    """The area for improvement it answers."""
    status: str
    """The status in words, with "overdue" added when it is."""
    overdue: bool
    """Past its due date and not done or dropped."""
    measure: str
    """The measure in one line (baseline → current, target), or ""."""
    done: tuple[str, ...]
    """What we have done: the progress notes, dated (UK dates), oldest first, evidence cited by its
    statement number."""
    rag: str = ""
    """Red, Amber or Green from the status and due date (see RAG_RULE); "" for a dropped action."""
    chart: runchart.RunChart | None = None
    """The measure's run chart (its values over time, median and signals), or None without values."""
    answers: str = ""
    """The inspection recommendation it answers, as "F-…: text", or ""."""


@dataclass(frozen=True)
class Group:
    """The actions answering one indicator (or suite)."""

    indicator: str
    """Indicator or suite id; "" for actions tied to no indicator."""
    title: str
    """Its title, or "Not linked to an indicator"."""
    rows: tuple[Row, ...]
    """Its actions, by due date."""

    @property
    def heading(self) -> str:
        return f"{self.indicator} {self.title}".strip()


@dataclass(frozen=True)
class Recommendation:
    """One of the inspection's recommendations (or areas for improvement) and the actions answering it."""

    finding: model.ExternalFinding
    """The finding."""
    rows: tuple[Row, ...]
    """The actions that answer it (none: not answered yet)."""

    @property
    def heading(self) -> str:
        where = ", ".join(self.finding.indicators)
        return f"{self.finding.id}" + (f" ({where})" if where else "") + f": {self.finding.text}"


@dataclass(frozen=True)
class Report:
    """The whole progress report."""

    title: str
    """The report's title."""
    evaluation: str
    """The evaluation's title."""
    organisation: str
    """The partnership, or ""."""
    as_of: str
    """ISO date the report describes (overdue is judged against it)."""
    as_of_text: str = ""
    """The same date as a British reader writes it ("1 December 2026")."""
    groups: tuple[Group, ...] = ()
    """Actions grouped by indicator, in framework order."""
    wording_note: str = ""
    """A line saying which printed indicator titles nobody has confirmed; "" when all are."""
    recommendations: tuple[Recommendation, ...] = ()
    """The inspection's recommendations, each with the actions answering it (empty without findings)."""

    @property
    def charts(self) -> tuple[Row, ...]:
        """Rows whose measure has two values or more (a run chart of one point says nothing), in report order."""
        return tuple(r for r in self.rows if r.chart is not None and len(r.chart.values) > 1)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def summary(self) -> str:
        rows = self.rows
        if not rows:
            return "No improvement actions are recorded yet."
        counts = [
            f"{sum(r.action.status == s for r in rows)} {STATUS_WORDS[s].lower()}"
            for s in STATUS_WORDS
            if any(r.action.status == s for r in rows)
        ]
        overdue = sum(r.overdue for r in rows)
        text = f"{len(rows)} action{'s' if len(rows) != 1 else ''}: {', '.join(counts)}"
        return text + (f"; {overdue} overdue." if overdue else ".")


@dataclass(frozen=True)
class Written:
    """What an export wrote."""

    path: str
    """The file written."""
    count: int
    """How many actions it holds."""


def build(evaluation: model.Evaluation, today: str = "") -> Report:
    """The report's content, independent of the file format."""
    from qiframe import statement

    today = today or clock.today_iso()
    numbers = _evidence_numbers(evaluation)
    by_indicator: dict[str, list[model.Action]] = {}
    for action in actions.listing(evaluation, today=today):
        by_indicator.setdefault(action.indicator, []).append(action)
    findings = {f.id: f for f in evaluation.metadata.findings}
    groups = []
    for ident, group in by_indicator.items():
        title = evaluation.title_of(ident) if ident else "Not linked to an indicator"
        groups.append(Group(ident, title, tuple(_row(a, today, numbers, findings) for a in group)))
    # listing() sorts unknown and empty indicators last already; keep the unlinked group at the very end.
    groups.sort(key=lambda g: g.indicator == "")
    meta = evaluation.metadata
    from qiframe import wording

    printed = {g.indicator for g in groups if g.indicator}
    note = wording.note(evaluation, only=printed) if printed else ""
    rows = [r for g in groups for r in g.rows]
    recommendations = tuple(
        Recommendation(f, tuple(r for r in rows if r.action.answers == f.id))
        for f in evaluation.metadata.findings
        if f.kind in ("recommendation", "improvement")
        and (f.kind == "recommendation" or any(r.action.answers == f.id for r in rows))
    )
    return Report(
        "Improvement plan: progress",
        meta.title,
        meta.organisation,
        today,
        statement.long_date(today),
        tuple(groups),
        note,
        recommendations,
    )


def _evidence_numbers(evaluation: model.Evaluation) -> dict[str, int]:
    """The position statement's evidence numbers (fixed ones first), so both documents cite alike."""
    from qiframe import statement

    if evaluation.programme and evaluation.programme.units:
        return dict(statement.build_statement(evaluation).numbers)
    return dict(evaluation.metadata.statement.evidence_numbers)


def rag(action: model.Action, today: str) -> str:
    """Red, Amber or Green by RAG_RULE; "" for a dropped action."""
    if action.status == "dropped":
        return ""
    if action.status == "done":
        return "Green"
    if actions.is_overdue(action, today):
        return "Red"
    due, now = model.parse_date(action.due), model.parse_date(today)
    if due is None or now is None or (due - now).days <= AMBER_DAYS:
        return "Amber"
    return "Green"


def _row(action: model.Action, today: str, numbers: dict[str, int], findings: dict | None = None) -> Row:
    from qiframe import statement
    from qiframe.exports.moderation import numbered

    overdue = actions.is_overdue(action, today)
    status = STATUS_WORDS.get(action.status, action.status) + (" (overdue)" if overdue else "")
    notes = tuple(
        f"{statement.uk_date(p.date)}: {numbered(p.text, numbers)}"
        for p in sorted(action.progress, key=lambda p: p.date)
    )
    m = action.measure
    chart = (
        runchart.analyse([v.value for v in m.values], [v.date for v in m.values]) if m and m.values else None
    )
    finding = (findings or {}).get(action.answers)
    answers = f"{finding.id}: {finding.text}" if finding else action.answers
    return Row(
        action,
        numbered(action.title, numbers),
        numbered(action.improvement, numbers),
        status,
        overdue,
        actions.measure_text(action.measure),
        notes,
        rag(action, today),
        chart,
        answers,
    )
