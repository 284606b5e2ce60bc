"""The position statement: the one document model every export renders.

A section file (statement/<unit>.yaml) holds a programme unit's answers to the programme's questions.
Answers are plain text: paragraphs separated by blank lines, bullets on lines starting with "- ", and
evidence cited as `[E-k3m9qx]` (see `qiframe.citations`). `build_statement` turns the sections (or the
indicator assessments, `by="indicators"`) into a `Statement` in which citations are numbered E1, E2 … in
order of first citation and listed in an evidence appendix; the Markdown, HTML and Word exports only lay
that model out.

Drafting lives in `statement.drafting`, editing one section in `statement.editing`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from qiframe import citations, clock, model, wording
from qiframe.errors import InputError, NotFound

DRAFT_MARKER = "DRAFT – written by qiframe from the assessments; rewrite in your own words."
"""First line of every drafted answer; an answer holding nothing else counts as unanswered."""

# A word is a run of letters or digits, joined through apostrophes, hyphens, dots, slashes and underscores
# ("don't", "co-ordinator", "e.g", "E-k3m9qx") and through commas between digits ("1,200"). Punctuation,
# dashes and bullet marks are not words. An evidence id counts as one word, like the "E3" that replaces it,
# so the count of an answer file and of the exported text agree.
_WORD = re.compile(r"[^\W_]+(?:(?:['’._/-]|(?<=\d),(?=\d))[^\W_]+)*")
_BULLET = re.compile(r"^([-*•])\s+")


def leftover_drafts(evaluation: model.Evaluation) -> list[tuple[model.Section, str]]:
    """(section, question id) of each answer that still holds the draft marker and some drafted text in
    a section no longer flagged as a draft: the machine's words about to pass as the group's."""
    return [
        (section, qid)
        for section in evaluation.sections.values()
        if not section.draft
        for qid, text in section.answers.items()
        if DRAFT_MARKER in (text or "") and not is_unanswered(text)
    ]


def count_words(text: str) -> int:
    """The number of words a reader sees in a text; the one word count used by exports and checks."""
    return len(_WORD.findall(text or ""))


def is_unanswered(text: str | None) -> bool:
    """Whether an answer is empty: missing, blank, or holding nothing but the draft marker."""
    return not any(line.strip() and line.strip() != DRAFT_MARKER for line in (text or "").splitlines())


# --- the document model --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """One cited evidence item as the reader sees it."""

    label: str
    """"E3" for an item in the appendix; otherwise what stands in its place ("E-zz9x?" or "withheld")."""
    number: int | None = None
    """The item's number in the appendix; None when it is not listed there."""

    @property
    def anchor(self) -> str:
        """Target name of the appendix entry (an HTML id, a Word bookmark)."""
        return f"ref-{self.label}" if self.number is not None else ""


def evidence_label(number: int) -> str:
    """How an evidence number is printed: E01, E02 … (two digits, so a folder of the files sorts in order)."""
    return f"E{number:02d}"


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation in running text: one or more references inside square brackets."""

    refs: tuple[Ref, ...]
    """The references, in the order written."""

    @property
    def text(self) -> str:
        return "[" + ", ".join(r.label for r in self.refs) + "]"


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or bullet of body text."""

    kind: str
    """"paragraph", "bullet", "draft" (the draft marker line) or "missing" (qiframe's placeholder for an
    answer not yet written; not counted as words)."""
    parts: tuple[str | Citation, ...]
    """Text and citations, in order."""

    @property
    def text(self) -> str:
        """The block as the reader sees it."""
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    @property
    def words(self) -> int:
        return 0 if self.kind == "missing" else count_words(self.text)


@dataclass(frozen=True, slots=True)
class Part:
    """A sub-heading of a section and its text: one question's answer, or one field of an assessment."""

    heading: str
    """The question ("How do we know?") or field ("Strengths")."""
    blocks: tuple[Block, ...]
    """Its text."""
    missing: bool = False
    """Whether there is no answer yet."""

    @property
    def words(self) -> int:
        return sum(b.words for b in self.blocks)


@dataclass(frozen=True, slots=True)
class StatementSection:
    """A top-level section: one unit of the programme (or one indicator, by indicators)."""

    id: str
    """The unit (or indicator or suite) id."""
    heading: str
    """The heading as shown, e.g. "S1 – Risks to children are spotted early …"."""
    parts: tuple[Part, ...]
    """Its sub-headed parts."""
    share: float | None = None
    """This section's share of the word limit (limit / number of units), if there is a limit."""
    draft: bool = False
    """Whether the section file is still flagged as a machine draft."""

    @property
    def words(self) -> int:
        return sum(p.words for p in self.parts)

    @property
    def anchor(self) -> str:
        return "section-" + re.sub(r"[^A-Za-z0-9]+", "-", self.id).strip("-").lower()


@dataclass(frozen=True, slots=True)
class GradeRow:
    """One row of the table of self-evaluated grades."""

    id: str
    """Indicator or suite id."""
    title: str
    """Its title."""
    value: int | None
    """The level value, or None when not graded yet."""
    label: str
    """The scale's label for the level, or "" when not graded."""
    judgement: bool = False
    """Whether the indicator is judged on a scale of its own (e.g. confidence), so no grade is printed."""
    rationale: tuple[Block, ...] = ()
    """Why: the assessment's rationale, with its citations numbered."""
    last_year: str = ""
    """Last year's grade as context ("last year: 4 Good"), or "": never this year's grade."""

    @property
    def text(self) -> str:
        if self.value is None:
            text = "Not judged yet" if self.judgement else "Not graded yet"
        else:
            text = self.label if self.judgement else f"{self.label} ({self.value})"
        return f"{text} ({self.last_year})" if self.last_year else text


@dataclass(frozen=True, slots=True)
class AppendixEntry:
    """One cited evidence item in the appendix."""

    number: int
    """Its number: E01 is the first item cited (or the number a final export fixed)."""
    evidence: model.Evidence
    """The item."""
    location: str = ""
    """Where to find it, as printed: "" when left out (not reachable outside the partnership)."""
    file_name: str = ""
    """In an evidence pack, the name of its file in the pack ("E07 – Survey of children.pdf"); else ""."""

    @property
    def label(self) -> str:
        return evidence_label(self.number)

    @property
    def anchor(self) -> str:
        return f"ref-{self.label}"

    @property
    def kind(self) -> str:
        return self.evidence.kind.replace("-", " ").capitalize()

    @property
    def source(self) -> str:
        return model.SOURCE_LABELS.get(self.evidence.source, self.evidence.source).capitalize()

    @property
    def date(self) -> str:
        e = self.evidence
        return (
            f"{uk_date(e.date)} to {uk_date(e.date_to)}"
            if e.date_to and e.date_to != e.date
            else uk_date(e.date)
        )


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What the partnership writes in evaluation.yaml for the front of the statement."""

    context: tuple[Block, ...] = ()
    """Introduction and context."""
    version: str = ""
    """Version of the document."""
    marking: str = ""
    """Protective marking for every page."""
    sign_off: tuple[model.SignOff, ...] = ()
    """Who signs it off."""


@dataclass(frozen=True, slots=True)
class Statement:
    """The whole position statement, ready to lay out in any format."""

    title: str
    """Title on the title page."""
    organisation: str
    """The partnership or establishment."""
    framework: str
    """The framework's title."""
    programme: str
    """The programme's title ("" when the evaluation has none)."""
    period: str
    """The period evaluated, as shown ("" when not set)."""
    date: str
    """Date of the document, as shown."""
    by: str
    """"units" or "indicators"."""
    sections: tuple[StatementSection, ...]
    """The body."""
    word_limit: int | None
    """The programme's word limit for the whole statement."""
    page_limit: int | None
    """The programme's page limit, if it sets one (not checked; Word decides the pages)."""
    grades: tuple[GradeRow, ...]
    """Self-evaluated grades of the programme's graded indicators and suites; empty when left out."""
    appendix: tuple[AppendixEntry, ...]
    """Every cited item that may be listed, in number order."""
    warnings: tuple[str, ...]
    """Problems the reader of the export should know about: unknown citations, withheld items, gaps."""
    wording_note: str = ""
    """A line for the front matter when the document prints framework titles nobody has confirmed."""

    front: FrontMatter = FrontMatter()
    """Context, version, marking and sign-off."""
    final: bool = False
    """A submission: no word-count aids, the evaluation's date, checked by `final_problems`."""
    pack: bool = False
    """The appendix lists the evidence pack's file names."""
    numbers: tuple[tuple[str, int], ...] = ()
    """Every cited item's id and number (what a final export records)."""

    @property
    def grades_heading(self) -> str:
        """The heading of the grade column: judgements (e.g. confidence) are not grades."""
        return "Grade or judgement" if any(g.judgement for g in self.grades) else "Grade"

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)

    @property
    def word_summary(self) -> str:
        """One sentence on the word count against the programme's limits, shown in every export."""
        if self.word_limit:
            text = (
                f"The body of the statement has {self.words:,} words against a limit of {self.word_limit:,}."
            )
        else:
            text = f"The body of the statement has {self.words:,} words; the programme sets no word limit."
        if self.page_limit:
            text += f" The programme limits the statement to {self.page_limit} pages."
        return text


# --- reading answers -------------------------------------------------------------------------------------


def split_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each paragraph and bullet of an answer.

    Blank lines separate paragraphs; consecutive lines of a paragraph are joined. A line starting with
    "- ", "* " or "• " starts a bullet; an indented line after it continues the bullet, an unindented one
    starts a new paragraph (so "Strengths:" after a list is a paragraph of its own).
    """
    blocks: list[list] = []
    current: list | None = None
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        if line == DRAFT_MARKER:
            blocks.append(["draft", line])
            current = None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            current = ["bullet", line[bullet.end() :]]
            blocks.append(current)
        elif current is not None and (current[0] == "paragraph" or raw[:1].isspace()):
            current[1] += " " + line
        else:
            current = ["paragraph", line]
            blocks.append(current)
    return [(kind, body) for kind, body in blocks]


class _Citer:
    """Numbers evidence in order of first citation and collects what cannot be listed.

    Items a final export has numbered keep their numbers; other items get the numbers after the highest
    recorded one, in order of first citation.
    """

    def __init__(self, evaluation: model.Evaluation) -> None:
        self.evidence = evaluation.evidence
        self.fixed = {i: n for i, n in evaluation.metadata.statement.evidence_numbers.items()}
        self.next = max(self.fixed.values(), default=0) + 1
        self.numbers: dict[str, int] = {}
        self.warnings: list[str] = []

    def parts(self, text: str, where: str) -> tuple[str | Citation, ...]:
        out: list[str | Citation] = []
        last = 0
        for match in citations.CITATION.finditer(text):
            if match.start() > last:
                out.append(text[last : match.start()])
            out.append(Citation(tuple(self.ref(i, where) for i in citations.ids_in(match))))
            last = match.end()
        if last < len(text):
            out.append(text[last:])
        return tuple(out)

    def ref(self, ident: str, where: str) -> Ref:
        item = self.evidence.get(ident)
        if item is None:
            self.warnings.append(f"{where} cites {ident}, which is not in the evidence register")
            return Ref(f"{ident}?")
        if item.personal_data:
            self.warnings.append(
                f"{where} cites {ident}, which may contain personal data; it is shown as "
                "'withheld' and left out of the appendix"
            )
            return Ref("withheld")
        number = self.numbers.get(ident)
        if number is None:
            number = self.fixed.get(ident)
            if number is None:
                number, self.next = self.next, self.next + 1
            self.numbers[ident] = number
        return Ref(evidence_label(number), number)

    def blocks(self, text: str, where: str) -> tuple[Block, ...]:
        return tuple(Block(kind, self.parts(body, where)) for kind, body in split_blocks(text))

    def appendix(self, pack: bool, internal: bool) -> tuple[AppendixEntry, ...]:
        out = []
        for ident, number in sorted(self.numbers.items(), key=lambda x: x[1]):
            e = self.evidence[ident]
            location = e.location if internal or is_reachable(e.location) else ""
            out.append(AppendixEntry(number, e, location, pack_file_name(number, e) if pack else ""))
        return tuple(out)


# Host names that only a partnership's own network (or its sign-in) reaches.
_INTERNAL_HOST = re.compile(
    r"(^|\.)(intranet|internal|sharepoint|local|localhost|lan|corp|home|localdomain)(\.|$)"
    r"|^[^.]+$",
    re.IGNORECASE,
)


def is_reachable(location: str) -> bool:
    """Whether someone outside the partnership could open a location: a public http(s) address, not a file
    path, a share, an intranet or SharePoint address or a private network address."""
    import ipaddress
    from urllib.parse import urlsplit

    if not location or any(c.isspace() for c in location.strip()):
        return False
    try:
        parts = urlsplit(location.strip())
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme.casefold() not in ("http", "https") or not host:
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return not _INTERNAL_HOST.search(host)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def pack_file_name(number: int, e: model.Evidence) -> str:
    """The item's file name in an evidence pack: "E07 – Survey of children.pdf" (the extension taken from
    its location when that names a file), without characters Windows refuses in file names."""
    from urllib.parse import unquote, urlsplit

    title = _UNSAFE_NAME.sub(" ", e.title)
    title = " ".join(title.split()).rstrip(". ")[:120] or e.id
    path = unquote(urlsplit(e.location).path if "://" in e.location else e.location)
    suffix = Path(path.replace("\\", "/")).suffix
    ext = suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix) and not title.endswith(suffix) else ""
    return f"{evidence_label(number)} – {title}{ext}"


MISSING = Block("missing", ("No answer yet.",))


def build_statement(
    evaluation: model.Evaluation,
    by: str = "units",
    grades: bool = True,
    today: dt.date | None = None,
    final: bool = False,
    pack: bool = False,
    internal_locations: bool = False,
) -> Statement:
    """The position statement of an evaluation, organised by the programme's units or by indicator.

    `final` makes the submission: no word-count aids, and (in the appendix) no
    locations that only the partnership can open unless `internal_locations`. `pack` lists the appendix
    as the evidence pack's file names, and also leaves out internal locations unless asked.
    """
    if by not in ("units", "indicators"):
        raise InputError(f"{{by}} must be units or indicators, not {by!r}", options=("by",))
    programme = evaluation.programme
    citer = _Citer(evaluation)
    warnings: list[str] = []
    if by == "units":
        sections = _unit_sections(evaluation, require_units(evaluation), citer, warnings)
    else:
        sections = _indicator_sections(evaluation, citer)
    # The front matter is numbered after the body, so the body's numbers are the same with or without
    # the grades table (and a statement read back from Word finds the numbers it was exported with).
    settings = evaluation.metadata.statement
    front = FrontMatter(
        citer.blocks(settings.context, "the context in evaluation.yaml"),
        settings.version,
        settings.marking,
        settings.sign_off,
    )
    grade_rows = _grades(evaluation, citer) if grades else ()
    meta = evaluation.metadata
    period = f"{long_date(meta.period_from)} to {long_date(meta.period_to)}" if meta.period_from else ""
    limit = programme.word_limit if programme else None
    warnings += citer.warnings + _limit_warnings(sections, limit)
    # Dated by the evaluation (its `date`, else the end of its period), draft or final; today only when
    # the evaluation has neither.
    day = meta.evaluation_date or (today or clock.today()).isoformat()
    return Statement(
        title="Position statement",
        organisation=meta.organisation,
        framework=evaluation.framework.title,
        programme=programme.title if programme else "",
        period=period,
        date=long_date(day),
        by=by,
        sections=tuple(sections),
        word_limit=limit,
        page_limit=programme.page_limit if programme else None,
        grades=grade_rows,
        appendix=citer.appendix(pack, internal_locations or not (final or pack)),
        warnings=tuple(dict.fromkeys(warnings)),
        front=front,
        final=final,
        pack=pack,
        numbers=tuple(sorted(citer.numbers.items(), key=lambda x: x[1])),
        wording_note=wording.note(evaluation, only=wording.statement_items(evaluation, by, grades)),
    )


# Kinds of problem that keep a statement from being final, each one overridable with --allow KIND.
FINAL_CHECKS = {
    "draft": "sections still flagged as machine drafts (draft: true)",
    "machine-text": "answers that still hold qiframe's drafted text (the DRAFT line)",
    "unanswered": "questions without an answer",
    "wording": "titles whose wording is not confirmed against the published framework",
}


@dataclass(frozen=True, slots=True)
class FinalProblem:
    """One reason the statement is not ready to submit."""

    kind: str
    """One of FINAL_CHECKS."""
    where: str
    """The section (and question) or title concerned."""
    message: str
    """What is wrong, naming the file to change."""


def final_problems(
    evaluation: model.Evaluation, by: str = "units", grades: bool = True
) -> list[FinalProblem]:
    """Everything that keeps the statement from being submitted as it is."""
    out: list[FinalProblem] = []
    if by == "units":
        programme = require_units(evaluation)
        for unit in programme.units:
            section = evaluation.sections.get(unit.id)
            if section is None:
                out.append(
                    FinalProblem(
                        "unanswered", unit.id, f"{unit.id} has no section yet (statement/{unit.id}.yaml)"
                    )
                )
                continue
            if section.draft:
                out.append(
                    FinalProblem(
                        "draft",
                        unit.id,
                        f"{unit.id} is flagged as a machine draft (draft: true in {section.path})",
                    )
                )
            for q in programme.questions:
                text = section.answers.get(q.id, "")
                where = f"{unit.id} ({q.text})"
                if DRAFT_MARKER in (text or "") or "DRAFT" in (text or "").split():
                    out.append(
                        FinalProblem(
                            "machine-text",
                            where,
                            f"{where} still holds DRAFT text ({section.path}, answer {q.id!r})",
                        )
                    )
                if is_unanswered(text):
                    out.append(FinalProblem("unanswered", where, f"{where} has no answer ({section.path})"))
    out += _wording_problems(evaluation, by, grades)
    return out


def _wording_problems(evaluation: model.Evaluation, by: str, grades: bool) -> list[FinalProblem]:
    """The titles the statement prints that nobody has confirmed against the published framework."""
    out = []
    for item in wording.unconfirmed(evaluation, only=wording.statement_items(evaluation, by, grades)):
        out.append(
            FinalProblem(
                "wording",
                item.item,
                f"the title of {item.label} ({item.text!r}) is not "
                "confirmed against the published framework (`qiframe frameworks confirm`, or "
                "replace it in evaluation.yaml)",
            )
        )
    return out


def require_units(evaluation: model.Evaluation) -> model.Programme:
    """The programme whose units the statement's sections follow, or an error saying what to do instead:
    with no such programme there are no sections to draft or edit, but the statement can still be
    exported indicator by indicator, from the assessments."""
    programme = evaluation.programme
    if programme is None or not programme.units:
        which = (
            f"programme {programme.id} has no inspection questions or statements"
            if programme
            else "this evaluation has no programme"
        )
        raise InputError(
            f"{which}, so the position statement has no sections to draft or edit; write it "
            "from the assessments with `qiframe export statement --by indicators -o FILE`, or "
            "name a programme with units in evaluation.yaml (see `qiframe frameworks show "
            f"{evaluation.framework.id}`)",
            Path(evaluation.root) / model.EVALUATION_FILE,
        )
    return programme


def _unit_sections(
    evaluation: model.Evaluation, programme: model.Programme, citer: _Citer, warnings: list[str]
) -> list[StatementSection]:
    limit = programme.word_limit
    share = limit / len(programme.units) if limit else None
    questions = {q.id for q in programme.questions}
    out = []
    for unit in programme.units:
        section = evaluation.sections.get(unit.id)
        if section is None:
            warnings.append(f"{unit.id} has no section yet (statement/{unit.id}.yaml)")
        else:
            for qid in section.answers:
                if qid not in questions:
                    warnings.append(
                        f"{section.path}: answer {qid!r} matches no question of the programme "
                        f"({', '.join(sorted(questions))}) and is left out"
                    )
            if section.draft:
                warnings.append(f"{unit.id} is still a machine draft (draft: true in {section.path})")
        parts = []
        for q in programme.questions:
            text = section.answers.get(q.id, "") if section else ""
            if is_unanswered(text):
                if section is not None:
                    warnings.append(f"{unit.id} has no answer to {q.text!r}")
                parts.append(Part(q.text, (*citer.blocks(text, f"{unit.id} ({q.text})"), MISSING), True))
            else:
                parts.append(Part(q.text, citer.blocks(text, f"{unit.id} ({q.text})")))
        out.append(
            StatementSection(
                unit.id,
                f"{unit.id} – {unit.title.rstrip('.')}",
                tuple(parts),
                share,
                bool(section and section.draft),
            )
        )
    for section, qid in leftover_drafts(evaluation):
        warnings.append(
            f"{section.unit}: the answer {qid!r} is still qiframe's draft (in {section.path}); "
            "rewrite it in your own words"
        )
    for unit_id, section in evaluation.sections.items():
        if unit_id not in {u.id for u in programme.units}:
            warnings.append(f"{section.path}: {unit_id} is not a unit of programme {programme.id}; left out")
    return out


def _indicator_ids(evaluation: model.Evaluation) -> list[str]:
    """Indicators (and suites) to show by indicator: the programme's, or every assessed one, in order."""
    programme = evaluation.programme
    framework = evaluation.framework
    if programme and programme.units:
        wanted = {i for u in programme.units for i in u.indicators} | set(programme.graded_indicators)
    elif programme and programme.scope:
        wanted = set(programme.scope)
    else:
        wanted = set(evaluation.assessments)
    out: list[str] = []
    for ind in framework.indicators:
        if ind not in wanted:
            continue
        suite = programme.grading_unit(ind) if programme else None
        if suite and suite != ind and suite not in out:
            out.append(suite)  # a suite graded as one comes before its first member
        out.append(ind)
    return out


def _indicator_sections(evaluation: model.Evaluation, citer: _Citer) -> list[StatementSection]:
    programme = evaluation.programme
    out = []
    for ident in _indicator_ids(evaluation):
        a = evaluation.assessments.get(ident) or model.Assessment(ident)
        title = indicator_title(evaluation, ident)
        where = indicator_label(evaluation, ident)
        parts = []
        scale = evaluation.framework.scale_for(ident)
        if programme is None or programme.grading_unit(ident) == ident or a.grade is not None:
            level = scale.level(a.grade) if a.grade is not None else None
            if scale.judgement:
                heading, text = "Self-evaluated judgement", level.label if level else "Not judged yet"
            else:
                heading, text = (
                    "Self-evaluated grade",
                    f"{level.label} ({level.value})" if level else "Not graded yet",
                )
            if a.last_year is not None:
                text = f"{text} ({a.last_year})"
            parts.append(Part(heading, (Block("paragraph", (text,)),)))
        for heading, items in (("Strengths", a.strengths), ("Areas for improvement", a.improvements)):
            if items:
                parts.append(
                    Part(
                        heading,
                        tuple(Block("bullet", citer.parts(" ".join(t.split()), where)) for t in items),
                    )
                )
        if a.rationale:
            parts.append(Part("Rationale", citer.blocks(a.rationale, where)))
        if a.next_steps:
            parts.append(
                Part(
                    "Next steps",
                    tuple(Block("bullet", citer.parts(" ".join(t.split()), where)) for t in a.next_steps),
                )
            )
        shown = [e for e in evidence_for(evaluation, (ident,), ()) if not e.personal_data]
        if shown:
            parts.append(
                Part(
                    "Evidence",
                    tuple(Block("bullet", citer.parts(f"{e.title} [{e.id}]", where)) for e in shown),
                )
            )
        if not parts:
            parts.append(Part("Assessment", (Block("missing", ("Not assessed yet.",)),), True))
        out.append(StatementSection(ident, f"{ident} – {title}", tuple(parts)))
    return out


def indicator_title(evaluation: model.Evaluation, ident: str) -> str:
    return evaluation.title_of(ident) or ident


def _grades(evaluation: model.Evaluation, citer: _Citer) -> tuple[GradeRow, ...]:
    programme = evaluation.programme
    if programme is None:
        return ()
    rows = []
    for gid in programme.graded:
        scale = evaluation.framework.scale_for(gid)
        a = evaluation.assessments.get(gid)
        level = scale.level(a.grade) if a and a.grade is not None else None
        rationale = citer.blocks(a.rationale, indicator_label(evaluation, gid)) if a and a.rationale else ()
        rows.append(
            GradeRow(
                gid,
                indicator_title(evaluation, gid),
                level.value if level else None,
                level.label if level else "",
                scale.judgement,
                rationale,
                str(a.last_year) if a and a.last_year else "",
            )
        )
    return tuple(rows)


def _limit_warnings(sections: list[StatementSection], limit: int | None) -> list[str]:
    out = []
    total = sum(s.words for s in sections)
    if limit and total > limit:
        out.append(f"the statement has {total:,} words, over the limit of {limit:,}")
    for s in sections:
        if s.share is not None and s.words > s.share:
            out.append(f"{s.id} has {s.words:,} words, over its share of {s.share:,.0f}")
    return out


def uk_date(iso: str) -> str:
    """An ISO date as 31/03/2026 (the short form British readers expect); other text unchanged."""
    day = model.parse_date(iso)
    return f"{day:%d/%m/%Y}" if day else iso


def long_date(iso: str) -> str:
    """An ISO date as "31 March 2026"; other text unchanged."""
    day = model.parse_date(iso)
    return f"{day.day} {day:%B %Y}" if day else iso


def indicator_label(evaluation: model.Evaluation, ident: str) -> str:
    return f"QI {ident}" if ident in evaluation.framework.indicators else indicator_title(evaluation, ident)


def evidence_for(evaluation: model.Evaluation, ids, units) -> list[model.Evidence]:
    wanted = set(ids)
    items = [
        e for e in evaluation.evidence.values() if wanted & set(e.indicators) or set(units) & set(e.units)
    ]
    return sorted(
        items,
        key=lambda e: (
            model.SOURCES.index(e.source) if e.source in model.SOURCES else 99,
            e.date,
            e.title.casefold(),
            e.id,
        ),
    )


@dataclass(frozen=True)
class Review:
    """What `statement show` shows: the statement's word counts for its sections (one unit's or all), and
    whether that unit's text is shown too."""

    statement: Statement
    sections: tuple
    text: bool


def review(evaluation: model.Evaluation, unit: str | None = None) -> Review:
    """The statement without grades, for one unit (its text and counts) or every unit (counts)."""
    doc = build_statement(evaluation, grades=False)
    wanted = find_unit(require_units(evaluation), unit).id if unit else None
    return Review(doc, tuple(s for s in doc.sections if wanted in (None, s.id)), unit is not None)


def find_unit(programme: model.Programme, text: str) -> model.Unit:
    """A unit of the programme named exactly or case-insensitively, or a NotFound listing the units."""
    for u in programme.units:
        if u.id == text or u.id.casefold() == text.casefold():
            return u
    raise NotFound(
        f"unknown unit {text!r} in programme {programme.id} "
        f"(units: {', '.join(u.id for u in programme.units)})"
    )
