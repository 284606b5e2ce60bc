"""`qiframe frameworks list|show|validate`."""

from pathlib import Path

import typer

from qiframe.cli.output import FORMAT_OPTION, Format, console, emit_json

app = typer.Typer(help="List, show and validate framework definitions.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="frameworks")


@app.command("list")
def list_(fmt: Format = FORMAT_OPTION) -> None:
    """List the frameworks found: bundled ones and those in the workspace's frameworks/ folder."""
    from qiframe import frameworks

    rows = []
    for found in sorted(frameworks.discover().values(), key=lambda f: f.id):
        fw = frameworks.load_file(found.path, origin=found.origin)
        rows.append({"id": fw.id, "title": fw.title, "publisher": fw.publisher, "edition": fw.edition,
                     "indicators": len(fw.indicators), "origin": found.origin, "path": str(found.path),
                     "unconfirmed": fw.unconfirmed_count, "titles": fw.title_count,
                     "programmes": [p.id for p in fw.programmes]})
    if fmt is Format.json:
        emit_json({"frameworks": rows})
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("QIs", justify="right")
    table.add_column("origin", no_wrap=True)
    table.add_column("unconfirmed", no_wrap=True)
    table.add_column("title", ratio=1, overflow="fold")
    for r in rows:
        table.add_row(r["id"], str(r["indicators"]), r["origin"], f"{r['unconfirmed']} of {r['titles']}",
                      f"{r['title']} [dim]({r['publisher']}, {r['edition']})[/]")
    console().print(table)


@app.command()
def show(
    framework_id: str = typer.Argument(..., metavar="ID", help="Framework id, e.g. ci-care-protection-2019."),
    programme: str = typer.Option(None, "--programme", "-p", help="Mark the indicators this programme grades."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show a framework as a tree of key questions, indicators and themes."""
    from qiframe import frameworks

    fw = frameworks.load(framework_id)
    prog = frameworks.programme(fw, programme) if programme else None
    if fmt is Format.json:
        emit_json(frameworks.as_json(fw, programme))
        return
    from rich.tree import Tree

    def mark(prov) -> str:
        return "" if prov.confirmed else f" [yellow]({prov.status})[/]"

    tree = Tree(f"[bold]{fw.title}[/] — {fw.publisher}, {fw.edition} [dim]({fw.id})[/]")
    for kq in fw.key_questions:
        branch = tree.add(f"[bold]{kq.id}[/] {kq.title}{mark(kq.provenance)}")
        for ind_id in kq.indicators:
            ind = fw.indicators[ind_id]
            graded = " [green]graded[/]" if prog and prog.grading_unit(ind_id) else ""
            leaf = branch.add(f"[cyan]{ind.id}[/] {ind.title}{mark(ind.provenance)}{graded}")
            for theme in ind.themes:
                leaf.add(f"{theme.title}{mark(theme.provenance)}")
    out = console()
    out.print(tree)
    out.print("Scale: " + ", ".join(f"{lv.value} {lv.label}" for lv in fw.scale.levels))
    out.print("Quantity terms: " + ", ".join(f"{b.term} {b.describe()}" for b in fw.quantity_terms.bands))
    if prog:
        out.print(f"Programme {prog.id}: {prog.title}")
        for unit in prog.units:
            out.print(f"  {unit.id} {unit.title} [dim]({', '.join(unit.indicators)})[/]")
    elif fw.programmes:
        out.print("Programmes: " + ", ".join(p.id for p in fw.programmes))
    if fw.unconfirmed_count:
        out.print(f"[yellow]{fw.unconfirmed_count} of {fw.title_count} titles are not confirmed by an official "
                  "source: check them against your copy of the framework.[/]")


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
