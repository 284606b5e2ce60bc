"""`qiframe init`, `status`, `grade`, `note`, `assign` and `edit`."""

from pathlib import Path

import typer

from qiframe.cli.output import FORMAT_OPTION, Format, console, done, emit_json, level_style

SOURCE_LETTERS = {"data": "Q", "views": "V", "observation": "O", "documentation": "D"}
EVALUATION_OPTION = typer.Option(
    None, "--evaluation", "-e", metavar="DIR",
    help="The evaluation folder; default: the one containing the current folder.",
)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(status)
    app.command()(grade)
    app.command()(note)
    app.command()(assign)
    app.command()(edit)


def init(
    folder: Path = typer.Argument(..., metavar="DIR", help="Folder to create for the evaluation."),
    framework: str = typer.Option(None, "--framework",
                                  help="Framework id (see `qiframe frameworks list`); with --from, default: the "
                                       "earlier evaluation's (a newer edition is reached through a crosswalk)."),
    programme: str = typer.Option(None, "--programme", help="Programme id, e.g. risk-of-harm-2021."),
    title: str = typer.Option("", "--title", help="Title of the evaluation."),
    organisation: str = typer.Option("", "--organisation", help="The partnership or establishment."),
    period: str = typer.Option(None, "--period", metavar="FROM:TO",
                               help="Period evaluated as two ISO dates, e.g. 2025-04-01:2026-03-31."),
    start_from: Path = typer.Option(None, "--from", metavar="OLD_EVALUATION",
                                    help="Start from last year's evaluation: leads, open actions, in-date evidence "
                                         "and last year's grades (as context only) are carried."),
    evidence: str = typer.Option("current", "--evidence", metavar="WHICH",
                                 help="With --from: evidence to carry: current (within the staleness window), "
                                      "all or none."),
) -> None:
    """Start an evaluation: a folder with evaluation.yaml and one assessment file per indicator."""
    from qiframe import store
    from qiframe.errors import InputError

    span = _period(period) if period else None
    if start_from is not None:
        from qiframe import rollforward

        if programme or organisation:
            raise InputError("--programme and --organisation come from the earlier evaluation with --from")
        result = rollforward.roll_forward(start_from, folder, framework or "", evidence, title, span)
        _print_rolled(result)
        return
    if framework is None:
        raise InputError("give --framework ID (or --from OLD_EVALUATION)")
    if evidence != "current":
        raise InputError("--evidence goes with --from OLD_EVALUATION")
    root = store.init(folder, framework, programme, title, organisation, span)
    count = len(list((root / "indicators").glob("*.yaml")))
    done(f"Created evaluation {root} with {count} indicator files.")


def _print_rolled(r) -> None:
    lines = [f"Created evaluation {r.root} ({r.framework}) from last year's, with {r.indicators} indicator files.",
             f"  leads carried: {r.leads}; last year's grade shown as context on {r.last_year} (no grade written)",
             f"  open actions carried: {len(r.actions)}" + (f" ({', '.join(r.actions)})" if r.actions else "")
             + (f"; finished ones left behind: {len(r.actions_left)}" if r.actions_left else ""),
             f"  evidence carried: {len(r.evidence)}" + (f" (dated {r.cutoff} or later)" if r.cutoff else "")
             + (f"; left behind: {len(r.evidence_left)} ({', '.join(r.evidence_left)})" if r.evidence_left else "")]
    if r.crosswalk:
        lines.append(f"  through the crosswalk {Path(r.crosswalk).name}")
    if r.findings:
        lines.append(f"  inspection recommendations carried with their actions: {', '.join(r.findings)}")
    done("\n".join(lines))


def _period(text: str) -> tuple[str, str]:
    from qiframe import periods

    if ":" not in text:
        raise typer.BadParameter("expected FROM:TO as ISO dates, FROM not after TO", param_hint="--period")
    start, end = periods.span(text, "--period", ("day",))
    return start, end or start


def status(evaluation: Path = EVALUATION_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Per indicator: lead, grade, evidence count, sources present and state."""
    from qiframe import status as core
    from qiframe import store

    ev = store.load(store.find_root(evaluation))
    report = core.status(ev)
    if fmt is Format.json:
        emit_json(report.to_json())
        return
    _print_status(report, ev.framework)


def _print_status(report, framework) -> None:
    """One block per key question, with the same fixed columns so they line up down the page."""
    from rich.markup import escape
    from rich.table import Table

    from qiframe.model import SOURCES

    out = console()
    out.print(f"[bold]{report.title}[/] [dim]({report.framework}"
              f"{' / ' + report.programme if report.programme else ''})[/]")
    proposals = any(row.proposed for row in report.rows)
    context = any(row.last_year for row in report.rows)
    id_width = max([len(row.id) + 2 for row in report.rows] + [4])
    grade_width = max([len(f"{lv.value} {lv.label}") for lv in framework.scale.levels] + [5])
    groups: dict[str, list] = {}
    for row in report.rows:
        groups.setdefault(row.key_question, []).append(row)
    for number, (kq_id, rows) in enumerate(groups.items()):
        kq = framework.key_question(kq_id)
        out.print(f"\n[bold]{kq.id + ' ' + kq.title if kq else 'Graded together'}[/]")
        table = Table(box=None, show_header=number == 0, pad_edge=False, expand=True, padding=(0, 1, 0, 0))
        # Ids and grades are never cut: their columns are as wide as the widest one in the whole report.
        table.add_column("QI", width=id_width, no_wrap=True)
        table.add_column("title", ratio=3, min_width=12, overflow="fold")
        table.add_column("lead", ratio=2, min_width=8, overflow="fold")
        table.add_column("grade", width=grade_width, no_wrap=True)
        if proposals:
            table.add_column("proposed", width=8, no_wrap=True)
        if context:
            table.add_column("last year", width=13, no_wrap=True, overflow="ellipsis", style="dim")
        table.add_column("items", width=5, justify="right")
        table.add_column("sources", width=7, no_wrap=True)
        table.add_column("state", width=11, no_wrap=True)
        for row in rows:
            scale = framework.scale_for(row.id)
            shown = row.grade_label if row.judgement else f"{row.grade} {row.grade_label}"
            grade = (f"[{level_style(scale, row.grade)}]{shown}[/]"
                     if row.grade is not None else ("[red]—[/]" if row.graded else "—"))
            cells = [row.id + (" *" if row.graded else ""), escape(row.title), escape(row.lead) or "—", grade]
            if proposals:  # the spread of evaluators' proposed grades, for moderation
                cells.append(", ".join(map(str, row.proposed)))
            if context:
                cells.append(f"{row.last_year.grade} {row.last_year.label}".strip() if row.last_year else "")
            cells += [str(row.evidence), " ".join(SOURCE_LETTERS[s] if s in row.sources else "·" for s in SOURCES),
                      row.state]
            table.add_row(*cells)
        out.print(table)
    summary = report.to_json()["summary"]
    if report.programme:
        grades = f"{summary['graded_with_grade']} of {summary['graded']} graded (*) have a grade"
    else:
        grades = f"{summary['with_grade']} of {summary['indicators']} have a grade"
    out.print(f"\n{summary['indicators']} indicators; {grades}; {summary['evidence']} evidence items; "
              f"{summary['without_evidence']} indicators without evidence.\nSources: Q quantitative data, "
              "V people's views, O direct observation, D documentation."
              + ("\nLast year: the previous evaluation's grade, shown as context; it is not this year's grade."
                 if context else ""))


def grade(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id, e.g. 2.1 or leadership."),
    level: str = typer.Argument(..., metavar="LEVEL", help="A value or label of the scale: 4 or good."),
    rationale: str = typer.Option(None, "--rationale", "-r", help="Why this grade (with --by: that evaluator's "
                                  "reasons, kept with the proposal)."),
    by: str = typer.Option(None, "--by", metavar="NAME", help="Record NAME's proposed grade (moderation)."),
    strength: list[str] = typer.Option(None, "--strength", "-s", help="With --by: a strength that evaluator "
                                       "found (repeatable)."),
    improvement: list[str] = typer.Option(None, "--improvement", "-i", help="With --by: an area for "
                                          "improvement that evaluator found (repeatable)."),
    agreed: bool = typer.Option(False, "--agreed", help="Mark the grade as agreed after moderation."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record the grade of an indicator, or one evaluator's proposed grade and reasons with --by.

    An agreed grade is the group's settled judgement: changing it needs --agreed again (a new agreement,
    with its rationale), and without it the command refuses. An indicator that the programme grades as
    part of a suite (9.1-9.4 as leadership) is graded through the suite.
    """
    from qiframe import assessments, store

    root = store.find_root(evaluation)
    result = assessments.grade(root, indicator, level, rationale=rationale, by=by, agreed=agreed,
                               strengths=tuple(strength or ()), improvements=tuple(improvement or ()))
    done(result)


def note(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    strength: list[str] = typer.Option(None, "--strength", "-s", help="Add a strength (repeatable)."),
    improvement: list[str] = typer.Option(None, "--improvement", "-i", help="Add an area for improvement."),
    next_step: list[str] = typer.Option(None, "--next-step", "-n", help="Add a next step."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add strengths, areas for improvement and next steps to an indicator's assessment."""
    from qiframe import assessments, store

    if not (strength or improvement or next_step):
        raise typer.BadParameter("give at least one of --strength, --improvement, --next-step")
    root = store.find_root(evaluation)
    added = assessments.add_notes(root, indicator, strength or [], improvement or [], next_step or [])
    done(added)


def assign(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    lead: str = typer.Option(None, "--lead", help="Who leads the assessment."),
    contributor: list[str] = typer.Option(None, "--contributor", help="Add a contributor (repeatable)."),
    state: str = typer.Option(None, "--status", help="not-started, in-progress, draft or agreed."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Set the lead, contributors or status of an indicator's assessment."""
    from qiframe import assessments, store

    if lead is None and not contributor and state is None:
        raise typer.BadParameter("give --lead, --contributor or --status")
    root = store.find_root(evaluation)
    done(assessments.assign(root, indicator, lead, contributor or [], state))


def edit(
    indicator: str = typer.Argument(..., metavar="QI", help="Indicator or suite id."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Open an indicator's assessment in $EDITOR; the result is validated before it is saved."""
    from qiframe import editor, store

    done(editor.edit_assessment(store.find_root(evaluation), indicator))
