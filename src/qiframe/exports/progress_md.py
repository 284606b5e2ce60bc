"""The progress report as Markdown: a heading and a table per indicator."""

from __future__ import annotations

from pathlib import Path

from qiframe.exports.files import write_output
from qiframe.exports.progress import RAG_RULE, Report
from qiframe.statement import uk_date
from qiframe.text import md_escape

HEADERS = ("What we said we would do", "Owner", "Due", "RAG", "Status", "Measure", "What we have done")


def write(report: Report, path: Path) -> None:
    write_output(path, render(report))


def render(report: Report) -> str:
    about = report.evaluation + (f" — {report.organisation}" if report.organisation else "")
    lines = [
        f"# {_cell(report.title)}",
        "",
        _cell(about),
        "",
        _cell(f"Position on {report.as_of_text or report.as_of}. {report.summary}"),
        "",
        f"*{_cell(RAG_RULE)}*",
    ]
    if report.wording_note:
        lines += ["", f"*Note on wording:* {_cell(report.wording_note)}"]
    for group in report.groups:
        lines += [
            "",
            f"## {_cell(group.heading)}",
            "",
            "| " + " | ".join(HEADERS) + " |",
            "|" + "---|" * len(HEADERS),
        ]
        for row in group.rows:
            a = row.action
            said = _cell(row.said) + (f"<br>*Answers: {_cell(row.improvement)}*" if row.improvement else "")
            done = "<br>".join(_cell(n) for n in row.done) or "Nothing recorded yet."
            lines.append(
                f"| {said} | {_cell(a.owner)} | {_cell(uk_date(a.due))} | {row.rag or '–'} | {_cell(row.status)} | "
                f"{_cell(row.measure)} | {done} |"
            )
    if report.recommendations:
        lines += ["", "## By the inspection's recommendations"]
        for rec in report.recommendations:
            lines += ["", f"**{_cell(rec.heading)}**", ""]
            lines += [f"- {_cell(r.action.id)} {_cell(r.said)} ({_cell(r.status)})" for r in rec.rows] or [
                "- No action answers it yet."
            ]
    if report.charts:
        lines += ["", "## Measures over time"]
        for row in report.charts:
            m, chart = row.action.measure, row.chart
            if m is None or chart is None or chart.median is None:
                continue
            points = ", ".join(f"{d} {v:g}" for d, v in zip(chart.labels, chart.values, strict=True))
            lines += [
                "",
                f"**{_cell(row.action.id)} {_cell(m.name or row.said)}**: {_cell(points)}; "
                f"median {chart.median:g}.",
                "",
                _cell(chart.summary),
            ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a table cell: one line, Markdown's markup escaped."""
    return md_escape(text).strip()
