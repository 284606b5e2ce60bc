"""The improvement plan's progress report: "what we said we would do / what we have done".

One document model, grouped by indicator, is rendered to Word (progress_docx), Excel (progress_xlsx) or
Markdown (progress_md), chosen by the output file's suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

from qiframe import actions, clock, model

STATUS_WORDS = {"not-started": "Not started", "in-progress": "In progress", "done": "Done", "dropped": "Dropped"}


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
    """What we have done: the progress notes, dated, oldest first."""


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
    groups: tuple[Group, ...]
    """Actions grouped by indicator, in framework order."""
    wording_note: str = ""
    """A line saying which printed indicator titles nobody has confirmed; "" when all are."""

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def summary(self) -> str:
        rows = self.rows
        if not rows:
            return "No improvement actions are recorded yet."
        counts = [f"{sum(r.action.status == s for r in rows)} {STATUS_WORDS[s].lower()}"
                  for s in STATUS_WORDS if any(r.action.status == s for r in rows)]
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
    today = today or clock.today_iso()
    by_indicator: dict[str, list[model.Action]] = {}
    for action in actions.listing(evaluation, today=today):
        by_indicator.setdefault(action.indicator, []).append(action)
    groups = []
    for ident, group in by_indicator.items():
        title = evaluation.title_of(ident) if ident else "Not linked to an indicator"
        groups.append(Group(ident, title, tuple(_row(a, today) for a in group)))
    # listing() sorts unknown and empty indicators last already; keep the unlinked group at the very end.
    groups.sort(key=lambda g: g.indicator == "")
    meta = evaluation.metadata
    from qiframe import wording

    printed = {g.indicator for g in groups if g.indicator}
    note = wording.note(evaluation, only=printed) if printed else ""
    return Report("Improvement plan: progress", meta.title, meta.organisation, today, tuple(groups), note)


def _row(action: model.Action, today: str) -> Row:
    overdue = actions.is_overdue(action, today)
    status = STATUS_WORDS.get(action.status, action.status) + (" (overdue)" if overdue else "")
    notes = tuple(f"{p.date}: {p.text}" for p in sorted(action.progress, key=lambda p: p.date))
    return Row(action, action.title, action.improvement, status, overdue, actions.measure_text(action.measure),
               notes)


def clean(text: str) -> str:
    """Text without the control characters that Word and Excel files cannot hold (tabs and newlines stay)."""
    return "".join(ch for ch in text if ch in "\t\n" or not (ord(ch) < 32 or 0xFFFE <= ord(ch) <= 0xFFFF
                                                                or 0xD800 <= ord(ch) <= 0xDFFF))
