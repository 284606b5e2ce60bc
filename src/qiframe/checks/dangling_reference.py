"""Rule `dangling-reference`: a link or citation to something that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe import model
from qiframe.checks import Context, Finding, _scope, rule
from qiframe.citations import cited_ids


@rule("dangling-reference", "error")
def dangling_reference(ctx: Context) -> Iterator[Finding]:
    """Something points at an indicator, theme, unit or evidence item that does not exist.

    Checked: the `indicators`, `themes` ("QI: theme title") and `units` of each evidence item against the
    framework and programme; the indicator of each assessment file and improvement action; the unit of
    each position statement section; and every evidence citation such as [E-k3m9qx] in text that an
    export could contain.

    Passes:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Case file audit
        indicators: ["2.1"]
        themes: ["2.1: Children and young people feel listened to, understood and respected"]

    Fails:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Case file audit
        indicators: ["2.1", "99.9"]
    """
    ev = ctx.evaluation
    yield from _evidence_links(ev)
    yield from _files(ev)
    for path, where, text, indicator, evidence in ctx.texts():
        if "[" not in text:  # most text cites nothing; skip the regex
            continue
        for ident in cited_ids(text):
            if ident not in ev.evidence:
                yield Finding(
                    f"cites evidence {ident}, which is not in the register",
                    path=path,
                    where=where,
                    indicator=indicator,
                    evidence=evidence,
                    item=_item(path),
                )


def _evidence_links(ev: model.Evaluation) -> Iterator[Finding]:
    known = _scope.known_ids(ev)
    prog = ev.programme
    units = {u.id for u in prog.units} if prog else set()
    fw = ev.framework
    for item in ev.evidence.values():
        for i, ind in enumerate(item.indicators):
            if ind not in known:
                yield Finding(
                    f"evidence {item.id} is linked to indicator {ind!r}, which framework {fw.id} does "
                    "not have",
                    path=item.path,
                    where=("indicators", i),
                    evidence=item.id,
                )
        for i, theme in enumerate(item.themes):
            problem = _theme_problem(fw, theme)
            if problem:
                yield Finding(
                    f"evidence {item.id}: {problem}", path=item.path, where=("themes", i), evidence=item.id
                )
        for i, unit in enumerate(item.units):
            if unit not in units:
                what = (
                    f"programme {prog.id} has no unit {unit!r}"
                    if prog
                    else f"is linked to unit {unit!r} but the evaluation has no programme"
                )
                yield Finding(
                    f"evidence {item.id}: {what}", path=item.path, where=("units", i), evidence=item.id
                )


def _theme_problem(fw: model.Framework, theme: str) -> str:
    qi, sep, title = theme.partition(":")
    qi, title = qi.strip(), " ".join(title.split())
    if not sep or not qi or not title:
        return f'theme {theme!r} should be written as "QI: theme title"'
    ind = fw.indicators.get(qi)
    if ind is None:
        return f"theme {theme!r} names indicator {qi!r}, which framework {fw.id} does not have"
    if not any(" ".join(t.title.split()).casefold() == title.casefold() for t in ind.themes):
        return f"indicator {qi} has no theme {title!r}"
    return ""


def _files(ev: model.Evaluation) -> Iterator[Finding]:
    known = _scope.known_ids(ev)
    fw = ev.framework
    for a in ev.assessments.values():
        if a.indicator not in known:
            yield Finding(
                f"{a.path} assesses indicator {a.indicator!r}, which framework {fw.id} does not have",
                path=a.path,
                where=("indicator",),
                item=a.indicator,
            )
    for act in ev.actions.values():
        if act.indicator and act.indicator not in known:
            yield Finding(
                f"action {act.id} answers indicator {act.indicator!r}, which framework {fw.id} does not have",
                path=act.path,
                where=("indicator",),
                item=act.id,
            )
    prog = ev.programme
    units = {u.id for u in prog.units} if prog else set()
    for section in ev.sections.values():
        if section.unit not in units:
            what = (
                f"programme {prog.id} has no unit {section.unit!r}"
                if prog
                else "the evaluation has no programme, so no statement units"
            )
            yield Finding(f"{section.path}: {what}", path=section.path, where=("unit",), item=section.unit)


def _item(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".yaml") else name
