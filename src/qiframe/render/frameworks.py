"""`frameworks list` (a table, JSON) and `frameworks show` (a tree of key questions, areas, indicators and
themes, JSON); every title not confirmed against a published source is marked with how far it is trusted."""

from __future__ import annotations

from typing import Any

from qiframe.render import Column, Grid, Table, Tree, escape, json_text, renderer

LISTED = "qiframe.frameworks.Listed"
SHOWN = "qiframe.frameworks.Shown"


def _rows(listed) -> list[dict[str, Any]]:
    return [
        {
            "id": fw.id,
            "title": fw.title,
            "publisher": fw.publisher,
            "edition": fw.edition,
            "indicators": len(fw.indicators),
            "origin": fw.origin,
            "path": str(fw.path),
            "unconfirmed": fw.unconfirmed_count,
            "titles": fw.title_count,
            "programmes": [p.id for p in fw.programmes],
        }
        for fw in listed.frameworks
    ]


@renderer(LISTED, "json")
def listed_json(listed) -> str:
    return json_text({"frameworks": _rows(listed), "problems": [str(p) for p in listed.problems]})


@renderer(LISTED, "text")
def listed_text(listed) -> Grid:
    columns = (
        Column("id", (("no_wrap", True),)),
        Column("QIs", (("justify", "right"),)),
        Column("origin", (("no_wrap", True),)),
        Column("unconfirmed", (("no_wrap", True),)),
        Column("title", (("ratio", 1), ("overflow", "fold"))),
    )
    rows = tuple(
        (
            str(r["id"]),
            str(r["indicators"]),
            str(r["origin"]),
            f"{r['unconfirmed']} of {r['titles']}",
            f"{escape(str(r['title']))} [dim]({escape(str(r['publisher']))}, {escape(str(r['edition']))})[/]",
        )
        for r in _rows(listed)
    )
    return Grid([Table(columns, rows, (("box", None), ("pad_edge", False), ("expand", True)))])


@renderer(SHOWN, "json")
def shown_json(shown) -> str:
    from qiframe import frameworks

    data = frameworks.as_json(shown.framework, shown.programme.id if shown.programme else None)
    data["indicators"] = [i for i in data["indicators"] if i["id"] in shown.indicators]
    return json_text(data)


def _mark(prov) -> str:
    return "" if prov.confirmed else f" [yellow]({prov.status})[/]"


def _owned(ind) -> str:
    if not ind.owner:
        return ""
    unsure = (
        ""
        if ind.owner_provenance and ind.owner_provenance.confirmed
        else f", {ind.owner_provenance.status if ind.owner_provenance else 'unconfirmed'}"
    )
    return f" [dim]\\[{escape(ind.owner)}{unsure}][/]"


@renderer(SHOWN, "text")
def shown_text(shown) -> Grid:
    return Grid([_tree(shown), *_legend(shown)])


def _tree(shown) -> Tree:
    fw, prog = shown.framework, shown.programme
    tree = Tree(
        f"[bold]{escape(fw.title)}[/] — {escape(fw.publisher)}, {escape(fw.edition)} [dim]({fw.id})[/]"
    )
    for kq in fw.key_questions:
        members = [i for i in kq.indicators if i in shown.indicators]
        if not members:
            continue
        branch = tree.add(f"[bold]{escape(kq.id)}[/] {escape(kq.title)}{_mark(kq.provenance)}")
        parents: dict[str, Tree] = {}
        for ind_id in members:
            ind = fw.indicators[ind_id]
            parent = branch
            area = fw.area(ind.area) if ind.area else None
            if area is not None:
                if area.id not in parents:
                    parents[area.id] = branch.add(
                        f"[bold]Area {escape(area.shown)}[/]{_mark(area.provenance)}"
                    )
                parent = parents[area.id]
            unit = prog.grading_unit(ind_id) if prog else None
            graded = (
                f" [green]graded with {unit}[/]"
                if unit and unit != ind_id
                else " [green]graded[/]"
                if unit
                else ""
            )
            judged = (
                f" [magenta]judged: {escape(fw.scale_for(ind_id).title or 'own scale')}[/]"
                if ind.scale
                else ""
            )
            leaf = parent.add(
                f"[cyan]{escape(ind.id)}[/] {escape(ind.title)}{_mark(ind.provenance)}{_owned(ind)}"
                f"{graded}{judged}"
            )
            for theme in ind.themes:
                leaf.add(f"{escape(theme.title)}{_mark(theme.provenance)}")
    return tree


def _legend(shown) -> list[str]:
    """The scales, quantity terms, earlier ids and programme below the tree."""
    fw, prog = shown.framework, shown.programme
    lines = [
        "Scale: "
        + ", ".join(f"{lv.value} {escape(lv.label)}" for lv in fw.scale.levels)
        + _mark(fw.scale.provenance)
    ]
    lines += [
        f"{escape(extra.title or extra.id)}: "
        + ", ".join(escape(lv.label) for lv in extra.levels)
        + _mark(extra.provenance)
        for extra in fw.scales
    ]
    lines.append(
        "Quantity terms: "
        + ", ".join(f"{escape(b.term)} {b.describe()}" for b in fw.quantity_terms.bands)
        + _mark(fw.quantity_terms.provenance)
    )
    if fw.aliases:
        lines.append(
            "Earlier ids still accepted: " + ", ".join(f"{old} → {new}" for old, new in fw.aliases.items())
        )
    if prog:
        lines.append(f"Programme {prog.id}: {escape(prog.title)}")
        lines += [
            f"  {suite.id} {escape(suite.title)}{_mark(suite.provenance)} [dim]({', '.join(suite.indicators)})[/]"
            for suite in prog.suites
        ]
        lines += [
            f"  {unit.id} {escape(unit.title)}{_mark(unit.provenance)} [dim]({', '.join(unit.indicators)})[/]"
            for unit in prog.units
        ]
    elif fw.programmes:
        lines.append("Programmes: " + ", ".join(p.id for p in fw.programmes))
    if fw.unconfirmed_count:
        lines.append(
            f"[yellow]{fw.unconfirmed_count} of {fw.title_count} titles (key questions, areas, indicators, "
            "themes, programme units and suites, scales, quantity terms) are not confirmed against a "
            "published source: check them against your copy of the framework, then record it with "
            "`qiframe frameworks confirm`.[/]"
        )
    return lines
