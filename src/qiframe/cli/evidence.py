"""`qiframe evidence add|list|show|link|unlink|remove`: the evidence register."""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import done, format_choices
from qiframe.cli.output import show as show_result
from qiframe.render import evidence as rendered
from qiframe.vocabulary import EVIDENCE_KINDS, SOURCES

app = typer.Typer(
    help="The evidence register: add, list, show, link, unlink, remove and import items.",
    no_args_is_help=True,
)

# Members come from the vocabulary at run time, which mypy cannot follow; hence the ignores.
Source = Enum("Source", {s: s for s in SOURCES}, type=str)  # type: ignore[misc]
Kind = Enum("Kind", {k: k for k in EVIDENCE_KINDS}, type=str)  # type: ignore[misc]


if TYPE_CHECKING:
    ListFormat = str
    ItemFormat = str
else:
    ListFormat = format_choices("ListFormat", rendered.CHOSEN)
    ItemFormat = format_choices("ItemFormat", rendered.ITEM)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="evidence")


QI_OPTION = typer.Option(None, "--qi", help="Indicator the item supports (repeatable).")


@app.command()
def add(
    title: str = typer.Option(..., "--title", "-t", help="Title of the evidence item."),
    qi: list[str] = QI_OPTION,
    source: Source = typer.Option(
        None,
        "--source",
        help="Triangulation source: data, views, observation or documentation; default: "
        "by the kind (survey, focus group, interview: views; observation: observation; "
        "case-file audit, performance data: data; otherwise documentation).",
    ),
    kind: Kind = typer.Option(Kind("other"), "--kind", help="Kind of evidence."),
    summary: str = typer.Option("", "--summary", help="What it shows."),
    date: str = typer.Option(
        "",
        "--date",
        help="A day, month or year (2025-03-31, March 2025, 2025-03, 2025), or FROM:TO for a period.",
    ),
    agency: str = typer.Option("", "--agency", help="The agency it comes from."),
    voice: list[str] = typer.Option(
        None,
        "--voice",
        metavar="GROUP",
        help="Whose views it holds (repeatable): a voice group of the framework, "
        "e.g. children-and-young-people, parents-and-carers, staff.",
    ),
    ages: list[str] = typer.Option(
        None,
        "--ages",
        metavar="BAND",
        help="Age band of the children and young people heard (repeatable), e.g. 8-11.",
    ),
    owner: str = typer.Option("", "--owner", help="Who holds it."),
    location: str = typer.Option("", "--location", help="URL or path (never opened by qiframe)."),
    theme: list[str] = typer.Option(None, "--theme", help='Theme it supports, as "QI: theme" (repeatable).'),
    unit: list[str] = typer.Option(None, "--unit", help="Programme unit it supports (repeatable)."),
    submission: bool = typer.Option(
        False, "--submission/--no-submission", help="Whether it goes into the inspection submission."
    ),
    personal_data: bool = typer.Option(
        False, "--personal-data/--no-personal-data", help="Whether it may contain personal data."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Add an evidence item and print its id."""
    from qiframe import store

    start, end = _dates(date)
    item = store.add_evidence(
        store.find_root(evaluation),
        title=title,
        summary=summary,
        kind=kind.value,
        source=source.value if source else "",
        date=start,
        date_to=end,
        agency=agency,
        voice=list(voice or []),
        ages=list(ages or []),
        owner=owner,
        location=location,
        indicators=list(qi or []),
        themes=list(theme or []),
        units=list(unit or []),
        submission=submission,
        personal_data=personal_data,
    )
    typer.echo(item.id)


def _dates(text: str) -> tuple[str, str]:
    from qiframe.errors import InputError
    from qiframe.model import parse_period

    try:
        return parse_period(text)
    except InputError as exc:
        raise typer.BadParameter(exc.message, param_hint="--date") from None


@app.command("list")
def list_(
    qi: str = typer.Option(None, "--qi", help="Only items supporting this indicator."),
    source: Source = typer.Option(None, "--source", help="Only items from this source."),
    kind: Kind = typer.Option(None, "--kind", help="Only items of this kind."),
    agency: str = typer.Option(None, "--agency", help="Only items from this agency (case-insensitive)."),
    fmt: ListFormat = typer.Option("text", "--format", "-f", help="text, json or csv."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """List evidence items, optionally filtered."""
    from qiframe import evidence, store

    chosen = evidence.choose(
        store.load(store.find_root(evaluation)),
        qi,
        source.value if source else None,
        kind.value if kind else None,
        agency,
    )
    show_result(chosen, fmt)


@app.command()
def show(
    evidence_id: str = typer.Argument(..., metavar="ID", help="Evidence id or a unique prefix of it."),
    fmt: ItemFormat = typer.Option("text", "--format", "-f", help="text, json or csv."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Show one evidence item."""
    from qiframe import store

    ev = store.load(store.find_root(evaluation))
    show_result(store.resolve(ev.evidence, evidence_id, "evidence item"), fmt)


@app.command()
def edit(
    evidence_id: str = typer.Argument(..., metavar="ID", help="Evidence id or a unique prefix of it."),
    title: str = typer.Option(None, "--title", "-t", help="New title."),
    summary: str = typer.Option(None, "--summary", help="What it shows (empty text clears it)."),
    source: Source = typer.Option(None, "--source", help="Triangulation source."),
    kind: Kind = typer.Option(None, "--kind", help="Kind of evidence."),
    date: str = typer.Option(
        None, "--date", help="ISO date, or FROM:TO for a period (empty text clears it)."
    ),
    agency: str = typer.Option(None, "--agency", help="The agency it comes from."),
    owner: str = typer.Option(None, "--owner", help="Who holds it."),
    location: str = typer.Option(None, "--location", help="URL or path (never opened by qiframe)."),
    submission: bool = typer.Option(
        None, "--submission/--no-submission", help="Whether it goes into the inspection submission."
    ),
    personal_data: bool = typer.Option(
        None, "--personal-data/--no-personal-data", help="Whether it may contain personal data."
    ),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Change fields of an evidence item; the file keeps its comments. Links: `evidence link`/`unlink`."""
    from qiframe import evidence, store

    changes = {
        "title": title,
        "summary": summary,
        "source": source.value if source else None,
        "kind": kind.value if kind else None,
        "agency": agency,
        "owner": owner,
        "location": location,
        "submission": submission,
        "personal_data": personal_data,
    }
    if date is not None:
        changes["date"], changes["date_to"] = _dates(date)
    item = evidence.edit(store.find_root(evaluation), evidence_id, changes)
    done(f"{item.id}: saved ({item.title})")


@app.command()
def link(
    evidence_id: str = typer.Argument(..., metavar="ID", help="Evidence id or a unique prefix of it."),
    qi: list[str] = typer.Option(..., "--qi", help="Indicator to link (repeatable)."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Link an evidence item to more indicators."""
    _relink(evidence_id, qi, evaluation, add=True)


@app.command()
def unlink(
    evidence_id: str = typer.Argument(..., metavar="ID", help="Evidence id or a unique prefix of it."),
    qi: list[str] = typer.Option(..., "--qi", help="Indicator to unlink (repeatable)."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Remove links between an evidence item and indicators."""
    _relink(evidence_id, qi, evaluation, add=False)


def _relink(evidence_id: str, qi: list[str], evaluation: Path | None, add: bool) -> None:
    from qiframe import store

    updated = store.relink_evidence(store.find_root(evaluation), evidence_id, list(qi), add=add)
    done(f"{updated.id}: linked to {', '.join(updated.indicators) or 'no indicator'}")


@app.command()
def remove(
    evidence_id: str = typer.Argument(..., metavar="ID", help="Evidence id or a unique prefix of it."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Remove an evidence item (its file is deleted; git keeps the history)."""
    from qiframe import store

    item = store.remove_evidence(store.find_root(evaluation), evidence_id)
    done(f"{item.id}: removed ({item.title})")
