"""The progress report as Markdown: a heading and a table per indicator."""

from __future__ import annotations

from pathlib import Path

from qiframe import yamlio
from qiframe.exports.progress import Report

HEADERS = ("What we said we would do", "Owner", "Due", "Status", "Measure", "What we have done")


def write(report: Report, path: Path) -> None:
    yamlio.atomic_write(path, render(report))


def render(report: Report) -> str:
    about = report.evaluation + (f" — {report.organisation}" if report.organisation else "")
    lines = [f"# {_inline(report.title)}", "", _inline(about), "", _inline(f"Position on {report.as_of}. {report.summary}")]
    if report.wording_note:
        lines += ["", f"*Note on wording:* {_inline(report.wording_note)}"]
    for group in report.groups:
        lines += ["", f"## {_inline(group.heading)}", "", "| " + " | ".join(HEADERS) + " |",
                  "|" + "---|" * len(HEADERS)]
        for row in group.rows:
            a = row.action
            said = _cell(row.said) + (f"<br>*Answers: {_cell(row.improvement)}*" if row.improvement else "")
            done = "<br>".join(_cell(n) for n in row.done) or "Nothing recorded yet."
            lines.append(f"| {said} | {_cell(a.owner)} | {_cell(a.due)} | {_cell(row.status)} | "
                         f"{_cell(row.measure)} | {done} |")
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    """Text safe inside a table cell: one line, pipes and markup characters escaped."""
    text = _inline(text)
    for ch in "\\|*_`<>[]":
        text = text.replace(ch, "\\" + ch)
    return text
