"""`qiframe check`'s report: text for people (grouped by indicator), JSON, GitHub workflow annotations."""

from __future__ import annotations

import os

from qiframe.render import Markup, escape, json_text, renderer

REPORT = "qiframe.checks.Report"
COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
ANNOTATIONS = {"error": "error", "warning": "warning", "info": "notice"}


@renderer(REPORT, "text")
def text(report) -> Markup:
    """One problem per line (never wrapped, so editors and scripts can read path:line:col), under the
    heading of its indicator."""
    lines = []
    group = None
    for p in report.problems:
        if p.indicator != group or group is None:
            group = p.indicator
            lines.append(f"[bold]{escape(_heading(report, group))}[/]")
        lines.append(
            f"  {escape(_where(report, p))}[{COLOURS[p.severity]}]{p.severity}[/] [dim]{p.rule}[/] "
            f"{escape(p.message)}"
        )
    lines.append(summary(report))
    return Markup("\n".join(lines) + "\n")


@renderer(REPORT, "json")
def as_json(report) -> str:
    return json_text(report.to_json())


@renderer(REPORT, "github")
def github(report) -> str:
    lines = []
    for p in report.problems:
        props = []
        if p.path:
            props.append(f"file={_prop(os.path.relpath(os.path.join(report.root, p.path)))}")
            if p.line is not None:
                props += [f"line={p.line}", f"col={p.column or 1}"]
        props.append(f"title={_prop(p.rule)}")
        lines.append(f"::{ANNOTATIONS[p.severity]} {','.join(props)}::{_data(p.message)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report) -> str:
    s = report.summary()
    if not report.problems:
        said = "No problems found"
    else:
        said = (
            f"{s['errors']} error{'s' * (s['errors'] != 1)}, {s['warnings']} warning"
            f"{'s' * (s['warnings'] != 1)}, {s['info']} info"
        )
    return said + (f" ({s['suppressed']} suppressed)" if s["suppressed"] else "") + "."


def _heading(report, indicator: str) -> str:
    if not indicator:
        return "Evidence and other files"
    return report.headings.get(indicator, indicator)


def _where(report, problem) -> str:
    """path:line:col relative to the current folder, so terminals and editors can open it."""
    if not problem.path:
        return ""
    from qiframe.errors import display_path

    parts = [display_path(os.path.join(report.root, problem.path))]
    if problem.line is not None:
        parts += [str(problem.line), str(problem.column or 1)]
    return ":".join(parts) + ": "


def _data(text: str) -> str:
    # Workflow commands end at a newline, and % starts an escape.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
