"""`qiframe status`: per indicator its lead, grade, evidence count, sources and state (text, JSON)."""

from __future__ import annotations

from qiframe.render import Column, Grid, Table, escape, json_text, renderer

STATUS = "qiframe.status.Status"
SOURCE_LETTERS = {"data": "Q", "views": "V", "observation": "O", "documentation": "D"}
LEVEL_COLOURS = ("green", "green3", "yellow3", "dark_orange", "red", "red3")


def level_style(scale, value: int | None) -> str:
    """A colour for a grade: best levels green, worst red, whatever the number of levels."""
    if value is None or scale.level(value) is None:
        return "dim"
    ordered = sorted(scale.values, reverse=True)
    position = ordered.index(value) / max(1, len(ordered) - 1)
    return LEVEL_COLOURS[round(position * (len(LEVEL_COLOURS) - 1))]


@renderer(STATUS, "json")
def status_json(report) -> str:
    return json_text(report.to_json())


@renderer(STATUS, "text")
def status_text(report) -> Grid:
    """One block per key question, with the same fixed columns so they line up down the page."""
    framework = report.definition
    parts: list = [
        f"[bold]{report.title}[/] [dim]({report.framework}"
        f"{' / ' + report.programme if report.programme else ''})[/]"
    ]
    proposals = any(row.proposed for row in report.rows)
    context = any(row.last_year for row in report.rows)
    columns = _columns(report, framework, proposals, context)
    groups: dict[str, list] = {}
    for row in report.rows:
        groups.setdefault(row.key_question, []).append(row)
    for number, (kq_id, rows) in enumerate(groups.items()):
        kq = framework.key_question(kq_id)
        parts.append(f"\n[bold]{kq.id + ' ' + kq.title if kq else 'Graded together'}[/]")
        layout = (
            ("box", None),
            ("show_header", number == 0),
            ("pad_edge", False),
            ("expand", True),
            ("padding", (0, 1, 0, 0)),
        )
        parts.append(
            Table(columns, tuple(_cells(row, framework, proposals, context) for row in rows), layout)
        )
    parts.append(_summary(report, context))
    return Grid(parts)


def _columns(report, framework, proposals: bool, context: bool) -> tuple[Column, ...]:
    # Ids and grades are never cut: their columns are as wide as the widest one in the whole report.
    id_width = max([len(row.id) + 2 for row in report.rows] + [4])
    grade_width = max([len(f"{lv.value} {lv.label}") for lv in framework.scale.levels] + [5])
    columns = [
        Column("QI", (("width", id_width), ("no_wrap", True))),
        Column("title", (("ratio", 3), ("min_width", 12), ("overflow", "fold"))),
        Column("lead", (("ratio", 2), ("min_width", 8), ("overflow", "fold"))),
        Column("grade", (("width", grade_width), ("no_wrap", True))),
    ]
    if proposals:
        columns.append(Column("proposed", (("width", 8), ("no_wrap", True))))
    if context:
        columns.append(
            Column(
                "last year", (("width", 13), ("no_wrap", True), ("overflow", "ellipsis"), ("style", "dim"))
            )
        )
    columns += [
        Column("items", (("width", 5), ("justify", "right"))),
        Column("sources", (("width", 7), ("no_wrap", True))),
        Column("state", (("width", 11), ("no_wrap", True))),
    ]
    return tuple(columns)


def _cells(row, framework, proposals: bool, context: bool) -> tuple[str, ...]:
    from qiframe.model import SOURCES

    scale = framework.scale_for(row.id)
    shown = row.grade_label if row.judgement else f"{row.grade} {row.grade_label}"
    grade = (
        f"[{level_style(scale, row.grade)}]{shown}[/]"
        if row.grade is not None
        else ("[red]—[/]" if row.graded else "—")
    )
    cells = [row.id + (" *" if row.graded else ""), escape(row.title), escape(row.lead) or "—", grade]
    if proposals:  # the spread of evaluators' proposed grades, for moderation
        cells.append(", ".join(map(str, row.proposed)))
    if context:
        cells.append(f"{row.last_year.grade} {row.last_year.label}".strip() if row.last_year else "")
    cells += [
        str(row.evidence),
        " ".join(SOURCE_LETTERS[s] if s in row.sources else "·" for s in SOURCES),
        row.state,
    ]
    return tuple(cells)


def _summary(report, context: bool) -> str:
    summary = report.to_json()["summary"]
    if report.programme:
        grades = f"{summary['graded_with_grade']} of {summary['graded']} graded (*) have a grade"
    else:
        grades = f"{summary['with_grade']} of {summary['indicators']} have a grade"
    return (
        f"\n{summary['indicators']} indicators; {grades}; {summary['evidence']} evidence items; "
        f"{summary['without_evidence']} indicators without evidence.\nSources: Q quantitative data, "
        "V people's views, O direct observation, D documentation."
        + (
            "\nLast year: the previous evaluation's grade, shown as context; it is not this year's grade."
            if context
            else ""
        )
    )
