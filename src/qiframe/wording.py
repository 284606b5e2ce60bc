"""The wording guard: which framework titles an evaluation's documents would print without a source.

Everything in a position statement, matrix or progress report goes out under the partnership's name, so
a title qiframe could not compare with a published source (see `model.Provenance`) must be checked by the
partnership before it is sent. A partnership records that in evaluation.yaml:

    wording:
      "5.1":                                   # replace qiframe's wording with the partnership's copy
        title: The title as printed in our copy of the framework
        source: Care Inspectorate, quality framework (2019), page 14
      unit:risk-of-harm-2021/S1:               # or confirm that qiframe's wording matches that copy
        confirmed: Risks to children are spotted early and acted on well, so children are safer.
        source: Inspection notification letter, 2 March 2026

`apply` folds these records into the framework an evaluation is loaded with, so every export prints the
partnership's wording; `unconfirmed` lists what is still not trusted; `store.record_wording` writes a
record. A confirmation names the wording it confirmed and lapses if that wording changes. This module only
reads values (it sits with the model), so the store, the checks and the exports can all use it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from qiframe import model
from qiframe.errors import InputError, NotFound

NOTE = (
    "{count} framework title{s} in this document {are} not yet confirmed against the published framework "
    "({items}); confirm or replace {them} before submission (see qiframe check, rule unconfirmed-wording)."
)
"""The note exports print where such titles appear, filled by `note`."""


@dataclass(frozen=True)
class Unconfirmed:
    """A title an export of the evaluation would print that is not confirmed."""

    item: str
    """How evaluation.yaml names it, e.g. "5.1" or "unit:risk-of-harm-2021/S1"."""
    kind: str
    """"indicator", "theme", "key question", "area", "unit", "suite", "scale" or "quantity terms"."""
    text: str
    """The wording as it would be printed."""
    status: str
    """Its provenance status in the framework file."""
    source: str
    """What the framework file says about where it came from."""
    lapsed: bool = False
    """Whether the partnership confirmed an earlier wording, which has since changed."""

    @property
    def label(self) -> str:
        """A short name for a reader: "S1", "QI 5.1", "key question A", "theme 1 of QI 2.1"."""
        kind, _, rest = self.item.partition(":")
        if not rest:
            return f"QI {self.item}" if self.kind == "indicator" else self.kind
        if kind in ("unit", "suite"):
            return rest.rsplit("/", 1)[-1]
        if kind == "theme":
            ind, _, n = rest.partition("/")
            return f"theme {n} of QI {ind}"
        return f"{self.kind} {rest}"

    def to_json(self) -> dict:
        return {
            "item": self.item,
            "kind": self.kind,
            "text": self.text,
            "status": self.status,
            "source": self.source,
            "lapsed": self.lapsed,
        }


# --- naming items ------------------------------------------------------------------------------------------


def canonical_item(framework: model.Framework, text: str, programme: str = "") -> str:
    """The item key a user's text names: "2.1", "kq:A", "unit:S1" (the evaluation's programme) …"""
    keys = {t.item for t in framework.titles()}
    text = text.strip()
    if text in keys:
        return text
    if text in framework.aliases:
        return framework.aliases[text]
    for prefix in ("unit:", "suite:"):
        if text.startswith(prefix) and "/" not in text and programme:
            candidate = f"{prefix}{programme}/{text[len(prefix) :]}"
            if candidate in keys:
                return candidate
    folded = [k for k in keys if k.casefold() == text.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise NotFound(
        f"no title {text!r} in framework {framework.id!r}; name one as 2.1, kq:A, area:5, "
        "theme:2.1/1, unit:PROGRAMME/ID (or unit:ID in an evaluation with a programme), "
        "suite:PROGRAMME/ID, scale, scale:ID or quantity-terms (`qiframe frameworks show` lists them)"
    )


# --- applying the partnership's records --------------------------------------------------------------------

REPLACEABLE = {"indicator", "theme", "key question", "area", "unit", "suite"}


def apply(framework: model.Framework, records: dict[str, dict], path: str | Path = "") -> model.Framework:
    """The framework with the partnership's replacements printed and its confirmations recorded.

    An item that no title of the framework has is refused (a typo would otherwise silently leave a title
    unchecked); so is a replacement of the scale or quantity terms, which can only be confirmed.
    """
    if not records:
        return framework
    by_item = {t.item: t for t in framework.titles()}
    checked: dict[str, tuple[str, str, str]] = {}  # item -> (record, new text, source)
    for item, record in records.items():
        title = by_item.get(item)
        if title is None:
            from qiframe import yamlio

            line, column = yamlio.locate(path, ("wording", item), key=True) if path else (None, None)
            raise InputError(
                f"wording: {item!r} is not a title of framework {framework.id!r} (see `qiframe "
                "frameworks show`)",
                path or None,
                line,
                column,
            )
        if "title" in record:
            if title.kind not in REPLACEABLE:
                from qiframe import yamlio

                line, column = (
                    yamlio.locate(path, ("wording", item, "title"), key=True) if path else (None, None)
                )
                raise InputError(
                    f"wording: {item!r} ({title.kind}) can be confirmed but not replaced",
                    path or None,
                    line,
                    column,
                )
            checked[item] = ("replaced", record["title"], record["source"])
        elif record.get("confirmed") == title.text:
            checked[item] = ("confirmed", title.text, record["source"])
    if not checked:
        return framework
    return _rebuilt(framework, checked)


def _mark(prov: model.Provenance, item: str, checked: dict) -> tuple[model.Provenance, str | None]:
    if item not in checked:
        return prov, None
    record, text, source = checked[item]
    return dataclasses.replace(prov, partnership=record, partnership_source=source), text


def _rebuilt(fw: model.Framework, checked: dict) -> model.Framework:
    replace = dataclasses.replace
    kqs = []
    for kq in fw.key_questions:
        prov, text = _mark(kq.provenance, f"kq:{kq.id}", checked)
        kqs.append(replace(kq, provenance=prov, title=text or kq.title))
    areas = []
    for area in fw.areas:
        prov, text = _mark(area.provenance, f"area:{area.id}", checked)
        areas.append(replace(area, provenance=prov, title=text or area.title))
    indicators = {}
    for ind in fw.indicators.values():
        prov, text = _mark(ind.provenance, ind.id, checked)
        themes = []
        for n, theme in enumerate(ind.themes, 1):
            tprov, ttext = _mark(theme.provenance, f"theme:{ind.id}/{n}", checked)
            themes.append(replace(theme, provenance=tprov, title=ttext or theme.title))
        indicators[ind.id] = replace(ind, provenance=prov, title=text or ind.title, themes=tuple(themes))
    programmes = []
    for prog in fw.programmes:
        units = []
        for unit in prog.units:
            uprov, utext = _mark(unit.provenance, f"unit:{prog.id}/{unit.id}", checked)
            units.append(replace(unit, provenance=uprov, title=utext or unit.title))
        suites = []
        for suite in prog.suites:
            sprov, stext = _mark(suite.provenance, f"suite:{prog.id}/{suite.id}", checked)
            suites.append(replace(suite, provenance=sprov, title=stext or suite.title))
        programmes.append(replace(prog, units=tuple(units), suites=tuple(suites)))
    scale_prov, _ = _mark(fw.scale.provenance, "scale", checked)
    scales = tuple(replace(s, provenance=_mark(s.provenance, f"scale:{s.id}", checked)[0]) for s in fw.scales)
    terms_prov, _ = _mark(fw.quantity_terms.provenance, "quantity-terms", checked)
    return replace(
        fw,
        key_questions=tuple(kqs),
        areas=tuple(areas),
        indicators=indicators,
        programmes=tuple(programmes),
        scale=replace(fw.scale, provenance=scale_prov),
        scales=scales,
        quantity_terms=replace(fw.quantity_terms, provenance=terms_prov),
    )


# --- what the exports print --------------------------------------------------------------------------------


def printed_items(evaluation: model.Evaluation) -> list[str]:
    """Item keys of the titles this evaluation's exports print, in framework order.

    The statement, matrix and progress report print the programme's units and suites, the titles of the
    indicators the evaluation assesses, links evidence to, grades or draws on in a unit, their key
    questions (the matrix groups by them), the themes evidence is linked to, the scales of those
    indicators (the labels of grades and judgements) and, where grades are summarised, nothing else.
    Areas and other themes are shown only by `frameworks show`, so they are not counted here.
    """
    fw = evaluation.framework
    prog = evaluation.programme
    indicators: set[str] = set(evaluation.assessments) & set(fw.indicators)
    for item in evaluation.evidence.values():
        indicators.update(i for i in item.indicators if i in fw.indicators)
    for action in evaluation.actions.values():
        if action.indicator in fw.indicators:
            indicators.add(action.indicator)
    if prog:
        indicators.update(prog.graded_indicators)
        for unit in prog.units:
            indicators.update(unit.indicators)
    items: list[str] = []
    for kq in fw.key_questions:
        if indicators & set(kq.indicators):
            items.append(f"kq:{kq.id}")
    linked_themes = {t for e in evaluation.evidence.values() for t in e.themes}
    scales: set[str] = set()
    for ind in fw.indicators.values():
        if ind.id not in indicators:
            continue
        items.append(ind.id)
        scales.add(f"scale:{ind.scale}" if ind.scale else "scale")
        for n, theme in enumerate(ind.themes, 1):
            if f"{ind.id}: {theme.title}" in linked_themes:
                items.append(f"theme:{ind.id}/{n}")
    if prog:
        items += [f"suite:{prog.id}/{s.id}" for s in prog.suites]
        items += [f"unit:{prog.id}/{u.id}" for u in prog.units]
    items += sorted(scales)
    return items


def unconfirmed(evaluation: model.Evaluation, only: set[str] | None = None) -> list[Unconfirmed]:
    """The not-confirmed titles this evaluation's exports would print, after the partnership's records.

    A title passes when the framework file confirms it, or when evaluation.yaml confirms or replaces it.
    `only` narrows the answer to some items (a document that prints fewer titles).
    """
    by_item = {t.item: t for t in evaluation.framework.titles()}
    records = evaluation.metadata.wording
    out = []
    for item in printed_items(evaluation):
        if only is not None and item not in only:
            continue
        title = by_item.get(item)
        if title is None or title.provenance.trusted:
            continue
        lapsed = "confirmed" in records.get(item, {})
        out.append(
            Unconfirmed(
                item, title.kind, title.text, title.provenance.status, title.provenance.source, lapsed
            )
        )
    return out


def note(evaluation: model.Evaluation, most: int = 6, only: set[str] | None = None) -> str:
    """The one note an export prints when it holds unconfirmed titles; "" when there are none."""
    found = unconfirmed(evaluation, only)
    if not found:
        return ""
    shown = ", ".join(u.label for u in found[:most]) + (
        f" and {len(found) - most} more" if len(found) > most else ""
    )
    one = len(found) == 1
    return NOTE.format(
        count=len(found),
        items=shown,
        s="" if one else "s",
        are="is" if one else "are",
        them="it" if one else "them",
    )


def statement_items(evaluation: model.Evaluation, by: str = "units", grades: bool = True) -> set[str]:
    """The titles a position statement prints: its section headings, its table of grades and their scales."""
    fw = evaluation.framework
    prog = evaluation.programme
    items: set[str] = set()
    shown: set[str] = set()
    if by == "units" and prog:
        items.update(f"unit:{prog.id}/{u.id}" for u in prog.units)
    else:
        shown.update(evaluation.assessments)
        if prog:
            shown.update(i for u in prog.units for i in u.indicators)
    if grades and prog:
        shown.update(prog.graded)
    for ident in shown:
        suite = prog.suite(ident) if prog else None
        if prog and suite:
            items.add(f"suite:{prog.id}/{suite.id}")
        elif ident in fw.indicators:
            items.add(ident)
            items.add(f"scale:{fw.indicators[ident].scale}" if fw.indicators[ident].scale else "scale")
    return items
