"""What each page shows, built from a loaded evaluation with the core's own functions.

Nothing here writes; `app` calls these to fill the templates. Links from check problems to the page that
fixes them are made here too, so a template only lays things out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from qiframe import model, store

SOURCE_LETTERS = {"data": "Q", "views": "V", "observation": "O", "documentation": "D"}
"""The letters `qiframe status` shows for the triangulation sources present."""


@dataclass(frozen=True)
class ProblemRow:
    """A check problem and where on the page to fix it."""

    severity: str
    rule: str
    message: str
    where: str
    """The file and line, as `check` prints them."""
    href: str
    """The page that fixes it, or ""."""


def indicator_href(ident: str) -> str:
    return f"/indicators/{quote(ident, safe='')}"


def evidence_href(ident: str) -> str:
    return f"/evidence/{quote(ident, safe='')}"


def section_href(unit: str) -> str:
    return f"/statement/{quote(unit, safe='')}"


def overview(evaluation: model.Evaluation) -> dict:
    """Per key question: the status rows; then every check problem with a link to fix it."""
    from qiframe import checks
    from qiframe import status as core_status

    report = core_status.status(evaluation)
    groups: list[tuple[str, list]] = []
    for row in report.rows:
        kq = evaluation.framework.key_question(row.key_question)
        heading = f"{kq.id} {kq.title}" if kq else "Graded together"
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(row)
    problems = [
        ProblemRow(
            p.severity,
            p.rule,
            p.message,
            ":".join(str(x) for x in (p.path, p.line, p.column) if x),
            problem_href(p),
        )
        for p in checks.run(evaluation).problems
    ]
    return {
        "report": report,
        "groups": groups,
        "summary": report.to_json()["summary"],
        "problems": problems,
        "sources": model.SOURCES,
        "source_labels": model.SOURCE_LABELS,
        "letters": SOURCE_LETTERS,
        "scale_for": evaluation.framework.scale_for,
    }


def problem_href(problem) -> str:
    """The page on which a problem is fixed: its evidence item, its indicator, its section or action."""
    path = problem.path or ""
    if problem.evidence:
        return evidence_href(problem.evidence)
    if path.startswith(store.FOLDERS["section"] + "/"):
        return section_href(Path(path).stem)
    if path.startswith(store.FOLDERS["action"] + "/"):
        return f"/actions#{quote(Path(path).stem, safe='')}"
    if problem.indicator:
        return indicator_href(problem.indicator)
    if path.startswith(store.FOLDERS["indicator"] + "/"):
        return indicator_href(Path(path).stem)
    return ""


def indicator(evaluation: model.Evaluation, ident: str) -> dict:
    """An indicator's (or suite's) page: scale, proposals, grade, notes, evidence, themes, actions."""
    from qiframe import statement

    framework = evaluation.framework
    programme = evaluation.programme
    ident = store.assessment_id(evaluation, ident)
    suite = programme.suite(ident) if programme else None
    covers = suite.indicators if suite else (ident,)
    assessment = evaluation.assessments.get(ident) or model.Assessment(ident)
    relpath = assessment.path or f"{store.FOLDERS['indicator']}/{ident}.yaml"
    grading_unit = programme.grading_unit(ident) if programme else None
    scale = framework.scale_for(ident)
    proposals = [(p, scale.level(p.grade)) for p in assessment.proposed]
    return {
        "ident": ident,
        "title": evaluation.title_of(ident),
        "suite": suite,
        "indicator": framework.indicators.get(ident),
        "assessment": assessment,
        "relpath": relpath,
        "version": store.version(evaluation.root, relpath),
        "scale": scale,
        "level": scale.level(assessment.grade) if assessment.grade is not None else None,
        "proposals": proposals,
        "graded": bool(programme and ident in programme.graded),
        "part_of": grading_unit if grading_unit not in (None, ident) else None,
        "members": [(i, evaluation.title_of(i)) for i in covers] if suite else [],
        "evidence": statement.evidence_for(evaluation, covers, ()),
        "actions": [a for a in evaluation.actions.values() if a.indicator == ident],
        "statuses": model.ASSESSMENT_STATUSES,
        "source_labels": model.SOURCE_LABELS,
    }


FILTERS = ("qi", "source", "kind", "agency")


def register(evaluation: model.Evaluation, chosen: dict[str, str]) -> dict:
    """The evidence register, filtered as `evidence list` filters it."""
    qi, source, kind, agency = (chosen.get(f) or None for f in FILTERS)
    items = [
        e
        for e in evaluation.evidence.values()
        if (qi is None or qi in e.indicators)
        and (source is None or e.source == source)
        and (kind is None or e.kind == kind)
        and (agency is None or e.agency.casefold() == agency.casefold())
    ]
    items.sort(key=lambda e: (e.date, e.id))
    return {"items": items, "total": len(evaluation.evidence), "chosen": chosen, **choices(evaluation)}


def choices(evaluation: model.Evaluation) -> dict:
    """The options of the evidence forms: indicators in framework order, sources, kinds, agencies."""
    return {
        "indicators": [(i, ind.title) for i, ind in evaluation.framework.indicators.items()],
        "sources": model.SOURCES,
        "source_labels": model.SOURCE_LABELS,
        "kinds": model.EVIDENCE_KINDS,
        "agencies": sorted({e.agency for e in evaluation.evidence.values() if e.agency}, key=str.casefold),
        "voices": evaluation.framework.voices.groups,
        "age_bands": evaluation.framework.voices.age_bands,
        "voice_label": lambda ident: getattr(evaluation.framework.voices.group(ident), "label", ident),
    }


def evidence_item(evaluation: model.Evaluation, ident: str) -> dict:
    item = store.resolve(evaluation.evidence, ident, "evidence item")
    linked = [(i, evaluation.title_of(i)) for i in item.indicators]
    return {
        "item": item,
        "linked": linked,
        "version": store.version(evaluation.root, item.path),
        **choices(evaluation),
    }


def statement_overview(evaluation: model.Evaluation) -> dict:
    from qiframe import statement

    statement.require_units(evaluation)
    doc = statement.build_statement(evaluation, grades=False)
    return {"doc": doc}


def section(evaluation: model.Evaluation, unit: str) -> dict:
    """A unit's editor: each question's answer and words, the section's share, the citations it lacks."""
    from qiframe import statement

    programme = statement.require_units(evaluation)
    u = statement.find_unit(programme, unit)
    doc = statement.build_statement(evaluation, grades=False)
    built = next(s for s in doc.sections if s.id == u.id)
    existing = evaluation.sections.get(u.id)
    relpath = existing.path if existing else f"{store.FOLDERS['section']}/{u.id}.yaml"
    answers = existing.answers if existing else {}
    questions = [
        (q, answers.get(q.id) or "", part.words)
        for q, part in zip(programme.questions, built.parts, strict=True)
    ]
    unknown = sorted({i for _, text, _ in questions for i in _cited(text) if i not in evaluation.evidence})
    return {
        "unit": u,
        "built": built,
        "questions": questions,
        "relpath": relpath,
        "version": store.version(evaluation.root, relpath),
        "unknown": unknown,
        "known_ids": sorted(evaluation.evidence),
        "doc": doc,
        "warnings": [w for w in doc.warnings if w.startswith(u.id) or relpath in w],
    }


def _cited(text: str) -> list[str]:
    from qiframe import citations

    return citations.cited_ids(text)


def cited_unknown(text: str, known: list[str]) -> list[str]:
    """The ids a text cites that the register lacks (the statement rules' `dangling-reference`)."""
    return [i for i in _cited(text or "") if i not in set(known)]


def linked_citations(text: str):
    """Text with each cited evidence id linked to its page, the rest escaped; ids never break across lines."""
    import re

    from markupsafe import Markup, escape

    from qiframe import citations

    def link(match: re.Match) -> str:
        ids = citations.ids_in(match)
        inner = ", ".join(f'<a class="cite" href="{evidence_href(i)}">{i}</a>' for i in ids)
        return f'<span class="cite">[{inner}]</span>'

    return Markup(citations.CITATION.sub(link, str(escape(text or ""))))


def grade_class(scale: model.Scale, value: int | None) -> str:
    """A CSS class for a grade by its place on the scale (best "g0" … worst "g5"), whatever the scale."""
    if value is None or scale.level(value) is None:
        return "g-none"
    ordered = sorted(scale.values, reverse=True)
    return f"g{round(ordered.index(value) / max(1, len(ordered) - 1) * 5)}"


def action_rows(evaluation: model.Evaluation) -> dict:
    from qiframe import actions, clock

    today = clock.today_iso()
    rows = [
        (
            a,
            actions.measure_brief(a.measure),
            actions.is_overdue(a, today),
            evaluation.title_of(a.indicator),
            store.version(evaluation.root, a.path),
        )
        for a in actions.listing(evaluation)
    ]
    return {"rows": rows, "statuses": model.ACTION_STATUSES}


@dataclass(frozen=True)
class Download:
    """One export the downloads page offers."""

    name: str
    """The file name it is downloaded as."""
    title: str
    """What it is."""
    kind: str
    """statement, matrix, moderation or progress."""
    by: str = "units"
    """For the statement: by units or by indicators."""


def downloads(evaluation: model.Evaluation) -> list[Download]:
    has_units = bool(evaluation.programme and evaluation.programme.units)
    out = []
    if has_units:
        out += [
            Download(f"position-statement{suffix}", f"Position statement ({label})", "statement")
            for suffix, label in ((".docx", "Word"), (".md", "Markdown"), (".html", "web page"))
        ]
    out += [
        Download(
            f"statement-by-indicator{suffix}",
            f"Assessments by indicator ({label})",
            "statement",
            "indicators",
        )
        for suffix, label in ((".docx", "Word"), (".md", "Markdown"))
    ]
    out.append(Download("evidence-matrix.xlsx", "Evidence matrix (Excel workbook)", "matrix"))
    out += [
        Download(f"moderation-pack{suffix}", f"Moderation pack ({label})", "moderation")
        for suffix, label in ((".docx", "Word"), (".html", "web page"))
    ]
    out += [
        Download(f"improvement-progress{suffix}", f"Improvement plan progress ({label})", "progress")
        for suffix, label in ((".docx", "Word"), (".xlsx", "Excel"), (".md", "Markdown"))
    ]
    return out
