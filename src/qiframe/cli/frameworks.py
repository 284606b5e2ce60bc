"""`qiframe frameworks list|show|validate`."""

from pathlib import Path
from typing import Any

import typer

from qiframe.cli.evaluation import EVALUATION_OPTION
from qiframe.cli.output import FORMAT_OPTION, Format, console, done, emit_json

app = typer.Typer(help="List, show and validate framework definitions.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="frameworks")


@app.command("list")
def list_(fmt: Format = FORMAT_OPTION) -> None:
    """List the frameworks found: bundled ones and those in the workspace's frameworks/ folder."""
    from qiframe import frameworks

    listed = frameworks.listing()
    for problem in listed.problems:
        typer.echo(f"warning: {problem} (left out)", err=True)
    rows = []
    for fw in listed.frameworks:
        rows.append({"id": fw.id, "title": fw.title, "publisher": fw.publisher, "edition": fw.edition,
                     "indicators": len(fw.indicators), "origin": fw.origin, "path": str(fw.path),
                     "unconfirmed": fw.unconfirmed_count, "titles": fw.title_count,
                     "programmes": [p.id for p in fw.programmes]})
    if fmt is Format.json:
        emit_json({"frameworks": rows, "problems": [str(p) for p in listed.problems]})
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, pad_edge=False, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("QIs", justify="right")
    table.add_column("origin", no_wrap=True)
    table.add_column("unconfirmed", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), str(r["indicators"]), str(r["origin"]), f"{r['unconfirmed']} of {r['titles']}",
                      f"{escape(str(r['title']))} [dim]({escape(str(r['publisher']))}, {escape(str(r['edition']))})[/]")
    console().print(table)


@app.command()
def show(
    framework_id: str = typer.Argument(..., metavar="ID", help="Framework id, e.g. ci-care-protection-2019."),
    programme: str = typer.Option(None, "--programme", "-p", help="Mark the indicators this programme grades."),
    owner: str = typer.Option(None, "--owner", metavar="INSPECTORATE",
                              help="Only the indicators this inspectorate owns, e.g. \"Care Inspectorate\"."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show a framework as a tree of key questions, areas, indicators and themes.

    Every title not confirmed against a published source is marked with how far it can be trusted
    (assumed, paraphrased, unofficial); so are programme units, suites, the scale and the quantity terms.
    """
    from qiframe import frameworks

    fw = frameworks.load(framework_id)
    prog = frameworks.programme(fw, programme) if programme else None
    shown = frameworks.owned_by(fw, owner) if owner else list(fw.indicators)
    if fmt is Format.json:
        data = frameworks.as_json(fw, programme)
        data["indicators"] = [i for i in data["indicators"] if i["id"] in shown]
        emit_json(data)
        return
    from rich.markup import escape
    from rich.tree import Tree

    def mark(prov) -> str:
        return "" if prov.confirmed else f" [yellow]({prov.status})[/]"

    def owned(ind) -> str:
        if not ind.owner:
            return ""
        unsure = "" if ind.owner_provenance and ind.owner_provenance.confirmed else \
            f", {ind.owner_provenance.status if ind.owner_provenance else 'unconfirmed'}"
        return f" [dim]\\[{escape(ind.owner)}{unsure}][/]"

    tree = Tree(f"[bold]{escape(fw.title)}[/] — {escape(fw.publisher)}, {escape(fw.edition)} [dim]({fw.id})[/]")
    for kq in fw.key_questions:
        members = [i for i in kq.indicators if i in shown]
        if not members:
            continue
        branch = tree.add(f"[bold]{escape(kq.id)}[/] {escape(kq.title)}{mark(kq.provenance)}")
        parents: dict[str, Any] = {}
        for ind_id in members:
            ind = fw.indicators[ind_id]
            parent = branch
            area = fw.area(ind.area) if ind.area else None
            if area is not None:
                if area.id not in parents:
                    parents[area.id] = branch.add(f"[bold]Area {escape(area.shown)}[/]{mark(area.provenance)}")
                parent = parents[area.id]
            unit = prog.grading_unit(ind_id) if prog else None
            graded = (f" [green]graded with {unit}[/]" if unit and unit != ind_id
                      else " [green]graded[/]" if unit else "")
            judged = f" [magenta]judged: {escape(fw.scale_for(ind_id).title or 'own scale')}[/]" if ind.scale else ""
            leaf = parent.add(f"[cyan]{escape(ind.id)}[/] {escape(ind.title)}{mark(ind.provenance)}{owned(ind)}"
                              f"{graded}{judged}")
            for theme in ind.themes:
                leaf.add(f"{escape(theme.title)}{mark(theme.provenance)}")
    out = console()
    out.print(tree)
    out.print("Scale: " + ", ".join(f"{lv.value} {escape(lv.label)}" for lv in fw.scale.levels)
              + mark(fw.scale.provenance))
    for extra in fw.scales:
        out.print(f"{escape(extra.title or extra.id)}: " + ", ".join(escape(lv.label) for lv in extra.levels)
                  + mark(extra.provenance))
    out.print("Quantity terms: " + ", ".join(f"{escape(b.term)} {b.describe()}" for b in fw.quantity_terms.bands)
              + mark(fw.quantity_terms.provenance))
    if fw.aliases:
        out.print("Earlier ids still accepted: " + ", ".join(f"{old} → {new}" for old, new in fw.aliases.items()))
    if prog:
        out.print(f"Programme {prog.id}: {escape(prog.title)}")
        for suite in prog.suites:
            out.print(f"  {suite.id} {escape(suite.title)}{mark(suite.provenance)} [dim]({', '.join(suite.indicators)})[/]")
        for unit in prog.units:
            out.print(f"  {unit.id} {escape(unit.title)}{mark(unit.provenance)} [dim]({', '.join(unit.indicators)})[/]")
    elif fw.programmes:
        out.print("Programmes: " + ", ".join(p.id for p in fw.programmes))
    if fw.unconfirmed_count:
        out.print(f"[yellow]{fw.unconfirmed_count} of {fw.title_count} titles (key questions, areas, indicators, "
                  "themes, programme units and suites, scales, quantity terms) are not confirmed against a "
                  "published source: check them against your copy of the framework, then record it with "
                  "`qiframe frameworks confirm`.[/]")


@app.command()
def confirm(
    framework_id: str = typer.Argument(..., metavar="ID", help="The evaluation's framework id."),
    item: str = typer.Argument(..., metavar="ITEM",
                               help="The title: 2.1, kq:A, area:5, theme:2.1/1, unit:S1, suite:leadership, "
                                    "scale or quantity-terms."),
    source: str = typer.Option(..., "--source", help="Where the partnership's copy of the wording comes from."),
    title: str = typer.Option(None, "--title", help="Replace qiframe's wording with the partnership's copy."),
    evaluation: Path = EVALUATION_OPTION,
) -> None:
    """Record in evaluation.yaml that the partnership checked a title against its own copy of the framework.

    With --title, the partnership's wording replaces qiframe's in every export. Either way the title no
    longer counts as unconfirmed wording (`qiframe check`, rule unconfirmed-wording).
    """
    from qiframe import store

    done(str(store.record_wording(store.find_root(evaluation), framework_id, item, source, title)))


@app.command()
def validate(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Framework YAML files to validate."),
) -> None:
    """Validate framework files: schema and meaning (unique ids, references, scale order, bands).

    Prints each problem as FILE:LINE:COL: message and exits 2 when there is any.
    """
    from qiframe import frameworks

    problems = [p for path in files for p in frameworks.validate_file(path)]
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(2)
    typer.echo(f"{len(files)} framework file{'s' if len(files) != 1 else ''} valid")
