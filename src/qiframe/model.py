"""The concepts of qiframe as frozen dataclasses.

These are plain values: loading and saving live in `frameworks` and `store`, so every other module (checks,
exports, analysis) works on these types alone and can be tested without files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# The fixed vocabularies live in a light module so the CLI can build its options without this one.
from qiframe.periods import parse_date  # noqa: E402,F401 - re-exported: the one date parser
from qiframe.vocabulary import (  # noqa: E402,F401 - re-exported
    ACTION_STATUSES,
    AGE_BANDS,
    ASSESSMENT_STATUSES,
    EVIDENCE_KINDS,
    PROVENANCE_STATUSES,
    SOURCE_LABELS,
    SOURCES,
    TRIANGULATING,
    TRIANGULATION_THRESHOLD,
    VOICE_GROUPS,
)

if TYPE_CHECKING:
    from fractions import Fraction

EVALUATION_FILE = "evaluation.yaml"
"""The file that makes a folder an evaluation: its metadata, at the folder's root."""
EVIDENCE_FIELDS = (
    "id",
    "title",
    "summary",
    "kind",
    "source",
    "date",
    "date_to",
    "agency",
    "voice",
    "ages",
    "owner",
    "location",
    "indicators",
    "themes",
    "units",
    "submission",
    "personal_data",
)
"""The fields of an evidence item, in the order its file, listings and the Evidence sheet show them."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a piece of framework text came from and how sure we are of it."""

    status: str
    """One of PROVENANCE_STATUSES."""
    source: str = ""
    """Free text naming the source (document, page, web page), or why it is not confirmed."""
    compared: str = ""
    """For a confirmed item: what was compared with the source (e.g. "title wording")."""
    partnership: str = ""
    """What the evaluation's partnership recorded: "" (nothing), "confirmed" or "replaced" (PARTNERSHIP_CHECKS)."""
    partnership_source: str = ""
    """Where the partnership's copy of the wording came from."""

    @property
    def confirmed(self) -> bool:
        """Whether the framework file's wording was compared with a source and matches it."""
        return self.status == "confirmed"

    @property
    def trusted(self) -> bool:
        """Whether the wording may go out under the partnership's name: confirmed by the framework file, or
        confirmed or replaced by the partnership."""
        return self.confirmed or bool(self.partnership)

    @property
    def shown(self) -> str:
        """The status as people see it: the partnership's record first, then the framework file's."""
        if self.partnership:
            return f"{self.partnership} by the partnership"
        return self.status


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a grading scale."""

    value: int
    """The number recorded for the level; higher is better."""
    label: str
    """The word used for the level, e.g. "Good"."""
    descriptor: str = ""
    """The short published descriptor, e.g. "Important strengths, with some areas for improvement"."""
    description: str = ""
    """A longer description in the project's own words."""
    expects: tuple[str, ...] = ()
    """What an assessment at this level should record: "strengths" and/or "improvements"."""


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered grading scale; nothing assumes six levels or the numbers 1-6."""

    id: str
    """Identifier of the scale."""
    levels: tuple[Level, ...]
    """Levels from best to worst."""
    threshold: int | None = None
    """The value of the lowest level that counts as "good or better" in summaries; None if not set."""
    kind: str = "grade"
    """"grade" (the framework's grading scale) or "judgement" (a scale of its own for an indicator judged,
    not graded, e.g. confidence in the capacity for improvement): a judgement's value is never printed."""
    provenance: Provenance = field(default_factory=lambda: Provenance("unconfirmed"))
    """Where the labels and short descriptors were confirmed (the longer descriptions are qiframe's)."""
    title: str = ""
    """What the scale is called where people see it, e.g. "Confidence in the capacity for improvement"."""

    @property
    def judgement(self) -> bool:
        return self.kind == "judgement"

    def shown(self, value: int | None) -> str:
        """A level as people read it: "Good (4)" on a grading scale, the label alone for a judgement."""
        level = self.level(value) if value is not None else None
        if level is None:
            return "" if value is None else str(value)
        return level.label if self.judgement else f"{level.label} ({level.value})"

    def level(self, value: int) -> Level | None:
        for level in self.levels:
            if level.value == value:
                return level
        return None

    def parse(self, text: str | int) -> Level | None:
        """The level named by a value or a label (case- and space-insensitive), or None."""
        if isinstance(text, bool):
            return None
        if isinstance(text, int):
            return self.level(text)
        key = " ".join(str(text).split()).casefold()
        if not key:
            return None
        for level in self.levels:
            if key == str(level.value) or key == level.label.casefold():
                return level
        return None

    def require(self, text: str | int, what: str = "") -> Level:
        """The level named by `text` (see `parse`), or an InputError naming the levels.

        The one place where a grade, a threshold or an inspection's grade named by the user or read from
        a file is turned into a level of the scale.
        """
        found = self.parse(text)
        if found is None:
            from qiframe.errors import InputError
            from qiframe.safetext import short

            subject = f"{what} " if what else ""
            kind = "judgement" if self.judgement else "level"
            raise InputError(
                f"{subject}{short(text)} is not a {kind} of the scale {self.title or self.id!r}: "
                f"{self.choices()}"
            )
        return found

    def choices(self) -> str:
        """The levels as "6 (Excellent), 5 (Very good), …" (a judgement's labels alone), for messages."""
        if self.judgement:
            return ", ".join(lv.label for lv in self.levels)
        return ", ".join(f"{lv.value} ({lv.label})" for lv in self.levels)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    def rank(self, value: int) -> int:
        """Position of a value counted from the worst level (0) upwards: differences are in levels."""
        ordered = sorted(self.values)
        return ordered.index(value)

    @property
    def default_threshold(self) -> int:
        """The threshold, or the value of the middle-upper level when the scale names none."""
        if self.threshold is not None:
            return self.threshold
        ordered = sorted(self.values)
        return ordered[len(ordered) // 2]


@dataclass(frozen=True, slots=True)
class QuantityBand:
    """One quantity term and the exact interval of percentages it covers."""

    term: str
    """The words, e.g. "the majority"."""
    lower: float
    """Lower bound, percent."""
    upper: float
    """Upper bound, percent."""
    lower_inclusive: bool = True
    """Whether the lower bound itself belongs to the band."""
    upper_inclusive: bool = False
    """Whether the upper bound itself belongs to the band."""
    note: str = ""
    """Anything the user should know about this band (e.g. an ambiguity in the published table)."""

    def contains(self, percent: float | Fraction) -> bool:
        """Whether the band holds a percentage, compared exactly (the one place band edges are applied).

        A float is read as the decimal it prints as (49.9 is exactly 499/10), and so are the bounds, so
        49.9 compares with a bound of 50 the way a person reading it expects; a Fraction (k of n as a
        percentage) is compared as it is, so 1 of 3 never drifts across an edge through rounding.
        """
        value, lower, upper = exact(percent), exact(self.lower), exact(self.upper)
        above = value > lower or (self.lower_inclusive and value == lower)
        below = value < upper or (self.upper_inclusive and value == upper)
        return above and below

    def describe(self) -> str:
        left = "[" if self.lower_inclusive else "("
        right = "]" if self.upper_inclusive else ")"
        return f"{left}{_num(self.lower)}%, {_num(self.upper)}%{right}"


def _num(value: float) -> str:
    return f"{value:g}"


def exact(number: float | int | Fraction) -> Fraction:
    """A number as the decimal it prints as: 49.9 means 499/10, not the float just below it."""
    from fractions import Fraction  # imported when used: with decimal, it costs every command 3 ms

    if isinstance(number, Fraction):
        return number
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


@dataclass(frozen=True, slots=True)
class QuantityTerms:
    """A framework's table of quantity terms."""

    bands: tuple[QuantityBand, ...]
    """Bands in ascending order; together they cover 0-100% with no gap or overlap."""
    rounding: str = "none"
    """How a proportion is rounded before banding: "none" (exact) or "integer" (half up to whole percent)."""
    provenance: Provenance = field(default_factory=lambda: Provenance("unconfirmed"))
    """Where the table came from."""
    minimum_sample: int | None = None
    """Below this many answers a proportion is given as counts, not a term; None: qiframe's default."""

    def band(self, percent: float) -> QuantityBand:
        for band in self.bands:
            if band.contains(percent):
                return band
        raise ValueError(f"{percent}% is outside the quantity terms")


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme within an indicator; themes are not graded."""

    title: str
    """The theme's title."""
    provenance: Provenance
    """Where the title was confirmed."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """A quality indicator."""

    id: str
    """Identifier, e.g. "2.1" or "children-progress"."""
    title: str
    """The indicator's title."""
    key_question: str
    """Id of the key question (or category) holding it."""
    provenance: Provenance
    """Where the title was confirmed."""
    area: str = ""
    """Optional grouping between key question and indicator (the CI framework's numbered areas)."""
    themes: tuple[Theme, ...] = ()
    """Themes, in order."""
    illustrations: tuple[tuple[int, str], ...] = ()
    """(level value, text in the project's own words) pairs."""
    challenge_questions: tuple[str, ...] = ()
    """Questions a team asks itself."""
    owner: str = ""
    """The inspectorate whose indicator it is, where a shared framework says (e.g. "Care Inspectorate")."""
    owner_provenance: Provenance | None = None
    """Where the owner was confirmed."""
    aliases: tuple[str, ...] = ()
    """Earlier ids of the indicator (e.g. a draft's), still accepted in evaluation files."""
    scale: str = ""
    """Id of the framework's judgement scale this indicator is judged on; "" for the grading scale."""


@dataclass(frozen=True, slots=True)
class Area:
    """A numbered area between key question and indicator (the CI framework's ten areas)."""

    id: str
    """Identifier, e.g. "5"."""
    title: str
    """The area's name."""
    provenance: Provenance
    """Where the name was confirmed."""

    @property
    def shown(self) -> str:
        return f"{self.id} {self.title}"


@dataclass(frozen=True, slots=True)
class Title:
    """One printed title of a framework, as the wording guard and `frameworks show` see it."""

    item: str
    """How evaluation.yaml names it: "5.1", "kq:A", "area:5", "theme:2.1/1", "unit:PROGRAMME/S1",
    "suite:PROGRAMME/leadership", "scale", "scale:ID", "quantity-terms"."""
    kind: str
    """"indicator", "theme", "key question", "area", "unit", "suite", "scale" or "quantity terms"."""
    text: str
    """The wording as printed."""
    provenance: Provenance
    """How far it can be trusted."""


@dataclass(frozen=True, slots=True)
class KeyQuestion:
    """A key question or category holding indicators."""

    id: str
    """Identifier, e.g. "B" or "leadership-and-management"."""
    title: str
    """The question or category title."""
    provenance: Provenance
    """Where the title was confirmed."""
    indicators: tuple[str, ...]
    """Ids of its indicators, in order."""


@dataclass(frozen=True, slots=True)
class Question:
    """A question every organising unit of a position statement must answer."""

    id: str
    """Identifier used as the key in statement files, e.g. "now"."""
    text: str
    """The question, e.g. "How good are we now?"."""
    cites_evidence: bool = False
    """Whether the answer is expected to cite evidence (the `uncited-claim` rule)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """An organising unit of a programme: an inspection question or statement."""

    id: str
    """Identifier, e.g. "S1"."""
    title: str
    """The question or statement."""
    indicators: tuple[str, ...]
    """Indicators it draws on."""
    provenance: Provenance
    """Where the wording was confirmed."""


@dataclass(frozen=True, slots=True)
class Suite:
    """Indicators graded together as one, e.g. leadership 9.1-9.4."""

    id: str
    """Identifier, e.g. "leadership"."""
    title: str
    """Title, e.g. "Leadership and direction"."""
    indicators: tuple[str, ...]
    """The indicators it covers."""
    provenance: Provenance = field(default_factory=lambda: Provenance("unconfirmed"))
    """Where the suite's title was confirmed."""


@dataclass(frozen=True, slots=True)
class VoiceGroup:
    """A group whose views evidence can hold, e.g. parents and carers."""

    id: str
    """Identifier stored in evidence files, e.g. "parents-and-carers"."""
    label: str
    """The group in words, e.g. "parents and carers"."""
    speaks_for: str
    """Whom it speaks for: "children", "families", "staff", "partners" or "other"."""


@dataclass(frozen=True, slots=True)
class Voices:
    """Whose views evidence can hold, and the indicators that need children's or families' own views."""

    groups: tuple[VoiceGroup, ...] = tuple(VoiceGroup(*g) for g in VOICE_GROUPS)
    """The groups, in order."""
    age_bands: tuple[str, ...] = AGE_BANDS
    """Age bands recorded for children and young people."""
    indicators: tuple[str, ...] = ()
    """Indicators about children or families (the `no-children-voice` rule)."""

    def group(self, id: str) -> VoiceGroup | None:
        return next((g for g in self.groups if g.id == id), None)

    def find(self, text: str) -> VoiceGroup | None:
        """The group named by id or label, ignoring case, spaces, hyphens and a leading "the"."""
        key = _fold(text)
        return next((g for g in self.groups if key in (_fold(g.id), _fold(g.label))), None)


def _fold(text: str) -> str:
    words = str(text).casefold().replace("-", " ").replace("_", " ").replace("’", "'").split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


@dataclass(frozen=True, slots=True)
class Programme:
    """An inspection programme or other lens on a framework."""

    id: str
    """Identifier, e.g. "risk-of-harm-2021"."""
    title: str
    """Title."""
    provenance: Provenance
    """Where the programme's facts were confirmed."""
    units: tuple[Unit, ...]
    """Organising units, in order."""
    graded: tuple[str, ...]
    """Graded indicator and suite ids."""
    suites: tuple[Suite, ...] = ()
    """Suites graded as one."""
    questions: tuple[Question, ...] = ()
    """Questions each unit of the position statement answers."""
    word_limit: int | None = None
    """Word limit of the whole position statement."""
    page_limit: int | None = None
    """Page limit of the whole position statement."""
    scope: tuple[str, ...] = ()
    """Indicators in scope; empty means the whole framework."""
    voice_indicators: tuple[str, ...] | None = None
    """Indicators about children or families in this programme; None: the framework's list."""

    def suite(self, id: str) -> Suite | None:
        return next((s for s in self.suites if s.id == id), None)

    @property
    def graded_indicators(self) -> tuple[str, ...]:
        """Every indicator that receives a grade, with suites expanded."""
        out: list[str] = []
        for gid in self.graded:
            suite = self.suite(gid)
            out.extend(suite.indicators if suite else (gid,))
        return tuple(out)

    def grading_unit(self, indicator: str) -> str | None:
        """The graded id (an indicator or suite) that covers an indicator, or None."""
        for gid in self.graded:
            suite = self.suite(gid)
            if gid == indicator or (suite and indicator in suite.indicators):
                return gid
        return None


@dataclass(frozen=True, slots=True)
class Framework:
    """A quality-indicator framework."""

    id: str
    """Identifier, e.g. "ci-care-protection-2019"."""
    title: str
    """Title."""
    publisher: str
    """Publisher."""
    edition: str
    """Edition or version."""
    published: str
    """Publication date as written (year, year-month or date)."""
    source: str
    """Where the framework text can be found."""
    reuse: str
    """A note on reuse of the framework's text."""
    scale: Scale
    """The grading scale."""
    quantity_terms: QuantityTerms
    """The quantity-term bands."""
    key_questions: tuple[KeyQuestion, ...]
    """Key questions or categories, in order."""
    indicators: dict[str, Indicator]
    """Indicators by id, in framework order."""
    programmes: tuple[Programme, ...] = ()
    """Programmes defined on this framework."""
    voices: Voices = field(default_factory=Voices)
    """Whose views evidence can hold (framework `voices:`, else qiframe's groups)."""
    origin: str = "bundled"
    """Where it was found: "bundled" or "workspace"."""
    path: str = ""
    """The file it was loaded from."""
    areas: tuple[Area, ...] = ()
    """Numbered areas the indicators' `area` refers to (empty when the framework has none)."""
    scales: tuple[Scale, ...] = ()
    """Judgement scales some indicators are judged on instead of the grading scale."""

    def programme(self, id: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == id), None)

    def key_question(self, id: str) -> KeyQuestion | None:
        return next((k for k in self.key_questions if k.id == id), None)

    def area(self, id: str) -> Area | None:
        return next((a for a in self.areas if a.id == id), None)

    def scale_for(self, ident: str) -> Scale:
        """The scale an indicator (or suite) is judged on: its own judgement scale, or the grading scale."""
        indicator = self.indicators.get(ident)
        if indicator is not None and indicator.scale:
            found = next((s for s in self.scales if s.id == indicator.scale), None)
            if found is not None:
                return found
        return self.scale

    @property
    def aliases(self) -> dict[str, str]:
        """Earlier indicator ids and the id each now has."""
        return {alias: ind.id for ind in self.indicators.values() for alias in ind.aliases}

    def canonical(self, ident: str) -> str:
        """The current id of an indicator named by its id or an earlier one; other text unchanged."""
        return ident if ident in self.indicators else self.aliases.get(ident, ident)

    def titles(self) -> list[Title]:
        """Every printed title with its provenance, in the order `frameworks show` lists them."""
        out: list[Title] = []
        for kq in self.key_questions:
            out.append(Title(f"kq:{kq.id}", "key question", kq.title, kq.provenance))
        for area in self.areas:
            out.append(Title(f"area:{area.id}", "area", area.title, area.provenance))
        for ind in self.indicators.values():
            out.append(Title(ind.id, "indicator", ind.title, ind.provenance))
            for n, theme in enumerate(ind.themes, 1):
                out.append(Title(f"theme:{ind.id}/{n}", "theme", theme.title, theme.provenance))
        for prog in self.programmes:
            for suite in prog.suites:
                out.append(Title(f"suite:{prog.id}/{suite.id}", "suite", suite.title, suite.provenance))
            for unit in prog.units:
                out.append(Title(f"unit:{prog.id}/{unit.id}", "unit", unit.title, unit.provenance))
        out.append(
            Title("scale", "scale", ", ".join(lv.label for lv in self.scale.levels), self.scale.provenance)
        )
        for scale in self.scales:
            out.append(
                Title(
                    f"scale:{scale.id}", "scale", ", ".join(lv.label for lv in scale.levels), scale.provenance
                )
            )
        out.append(
            Title(
                "quantity-terms",
                "quantity terms",
                ", ".join(b.term for b in self.quantity_terms.bands),
                self.quantity_terms.provenance,
            )
        )
        return out

    @property
    def unconfirmed_count(self) -> int:
        """How many printed titles (see `titles`) are not confirmed by a source."""
        return sum(not t.provenance.confirmed for t in self.titles())

    @property
    def title_count(self) -> int:
        return len(self.titles())


# --- an evaluation -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """One evaluator's proposed grade, before moderation."""

    by: str
    """Who proposed it."""
    grade: int
    """The proposed level value."""
    date: str = ""
    """When, ISO date."""
    rationale: str = ""
    """Why this evaluator proposes the grade."""
    strengths: tuple[str, ...] = ()
    """Strengths this evaluator found."""
    improvements: tuple[str, ...] = ()
    """Areas for improvement this evaluator found."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """The assessment of one indicator (or suite) in an evaluation."""

    indicator: str
    """The indicator (or suite) id."""
    lead: str = ""
    """Who leads it."""
    contributors: tuple[str, ...] = ()
    """Who contributes."""
    status: str = "not-started"
    """One of ASSESSMENT_STATUSES."""
    grade: int | None = None
    """The agreed level value, or None."""
    proposed: tuple[Proposal, ...] = ()
    """Proposed grades from individual evaluators."""
    rationale: str = ""
    """Why the grade was given."""
    strengths: tuple[str, ...] = ()
    """Strengths."""
    improvements: tuple[str, ...] = ()
    """Areas for improvement."""
    next_steps: tuple[str, ...] = ()
    """Next steps."""
    path: str = ""
    """The file it was loaded from (relative to the evaluation)."""
    last_year: LastYear | None = None
    """The grade the previous evaluation gave (context only: never counted as this year's grade)."""


@dataclass(frozen=True, slots=True)
class LastYear:
    """What the previous year's evaluation graded, carried forward as context by `init --from`."""

    grade: int
    """The level value it gave."""
    label: str
    """That level's label on its own framework's scale."""
    indicator: str = ""
    """The indicator's id in the previous evaluation (differs across framework editions)."""
    framework: str = ""
    """The previous evaluation's framework id."""
    date: str = ""
    """The previous evaluation's date."""

    def __str__(self) -> str:
        return f"last year: {self.grade} {self.label}".strip()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One evidence item of the register."""

    id: str
    """Stable id, e.g. "E-k3m9qx"."""
    title: str
    """Title."""
    summary: str = ""
    """What it shows."""
    kind: str = "other"
    """One of EVIDENCE_KINDS."""
    source: str = "documentation"
    """Triangulation source: one of SOURCES."""
    date: str = ""
    """A day, month or year in ISO form ("2025-03-14", "2025-03", "2025"), or the start of a period."""
    date_to: str = ""
    """The end of the period, if it covers one, at the same kinds of precision."""
    agency: str = ""
    """The agency it comes from."""
    voice: tuple[str, ...] = ()
    """Whose views it holds: ids of the framework's voice groups (children-and-young-people, staff, ...)."""
    ages: tuple[str, ...] = ()
    """Age bands of the children and young people whose views it holds, e.g. "8-11"."""
    owner: str = ""
    """Who holds it."""
    location: str = ""
    """URL or path; never opened by qiframe."""
    indicators: tuple[str, ...] = ()
    """Indicators it supports."""
    themes: tuple[str, ...] = ()
    """Themes it supports, as "INDICATOR: theme title"."""
    units: tuple[str, ...] = ()
    """Programme units it supports."""
    submission: bool = False
    """Whether it goes into the inspection submission."""
    personal_data: bool = False
    """Whether it may contain personal data."""
    path: str = ""
    """The file it was loaded from (relative to the evaluation)."""

    @property
    def end_date(self) -> str:
        return self.date_to or self.date


@dataclass(frozen=True, slots=True)
class Measure:
    """How an action's progress is measured."""

    name: str = ""
    """What is measured."""
    unit: str = ""
    """Unit, e.g. "%"."""
    baseline: float | None = None
    """Value at the start."""
    target: float | None = None
    """Value aimed for."""
    current: float | None = None
    """Latest value."""
    as_of: str = ""
    """ISO date of the latest value."""
    values: tuple[MeasureValue, ...] = ()
    """The dated values recorded, oldest first (a file with only `current` holds it as the one value)."""
    target_date: str = ""
    """When the target is to be reached (ISO date or YYYY-MM), or ""."""
    interval: str = "monthly"
    """How often a value is due: one of MEASURE_INTERVALS."""


MEASURE_INTERVALS = {"weekly": 0.25, "monthly": 1, "quarterly": 3, "termly": 4, "yearly": 12}
"""How often a measure is reported, in months (a week a quarter of one)."""


@dataclass(frozen=True, slots=True)
class MeasureValue:
    """One dated value of a measure."""

    date: str
    """ISO date or month (YYYY-MM) the value is for."""
    value: float
    """The value."""
    note: str = ""
    """What the value needs to be read with, or ""."""


@dataclass(frozen=True, slots=True)
class ProgressNote:
    """A dated note of what has been done."""

    date: str
    """ISO date."""
    text: str
    """What was done."""


@dataclass(frozen=True, slots=True)
class Action:
    """An improvement action."""

    id: str
    """Stable id, e.g. "A-x7p2qd"."""
    title: str
    """What we said we would do."""
    indicator: str = ""
    """The indicator it answers."""
    improvement: str = ""
    """The area for improvement it answers."""
    owner: str = ""
    """Who owns it."""
    due: str = ""
    """ISO due date."""
    status: str = "not-started"
    """One of ACTION_STATUSES."""
    measure: Measure | None = None
    """How progress is measured."""
    progress: tuple[ProgressNote, ...] = ()
    """What we have done."""
    path: str = ""
    """The file it was loaded from (relative to the evaluation)."""
    answers: str = ""
    """The id of the inspection's recommendation (an external finding) the action answers, or ""."""

    def is_overdue(self, today: str) -> bool:
        """Past its due date on `today` (ISO) and neither done nor dropped: the one definition, used by
        `action list --status overdue`, the `overdue-action` check and the progress report."""
        due, now = parse_date(self.due), parse_date(today)
        return due is not None and now is not None and due < now and self.status not in ("done", "dropped")


@dataclass(frozen=True, slots=True)
class ExternalGrade:
    """A grade given by an inspection."""

    indicator: str
    """The indicator or suite graded."""
    grade: int
    """The level value."""
    source: str = ""
    """The inspection or report."""
    date: str = ""
    """ISO date."""


FINDING_KINDS = ("strength", "improvement", "recommendation", "key-message")
"""What an inspection reports besides grades."""


@dataclass(frozen=True, slots=True)
class Pairing:
    """A point of the self-evaluation that an inspection finding matches."""

    indicator: str
    """The assessment's indicator."""
    kind: str
    """"strength" or "improvement"."""
    text: str
    """The strength or area for improvement as written in the assessment."""


@dataclass(frozen=True, slots=True)
class ExternalFinding:
    """Something an inspection reported: a strength, an area for improvement, a recommendation or a key message."""

    id: str
    """Stable id, e.g. "F-x7p2qd"."""
    kind: str
    """One of FINDING_KINDS."""
    text: str
    """What the inspection said, in the partnership's record."""
    indicators: tuple[str, ...] = ()
    """The indicators it is about."""
    source: str = ""
    """The inspection or report."""
    date: str = ""
    """ISO date."""
    pairs: tuple[Pairing, ...] | None = None
    """The self-evaluation points a person confirmed it matches (() for none); None: matched by indicator."""


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the position statement: a programme unit's answers."""

    unit: str
    """The unit id."""
    answers: dict[str, str]
    """Answers by question id."""
    draft: bool = False
    """Whether the text is a machine draft not yet edited by a person."""
    path: str = ""
    """The file it was loaded from (relative to the evaluation)."""


@dataclass(frozen=True, slots=True)
class SignOff:
    """One person signing the statement off for submission."""

    name: str
    """Who signs."""
    role: str = ""
    """Their role ("Chair, Chief Officers Group")."""
    date: str = ""
    """ISO date of the sign-off."""


@dataclass(frozen=True, slots=True)
class StatementSettings:
    """The statement's front matter and the evidence numbers fixed by a final export (evaluation.yaml,
    `statement:`)."""

    context: str = ""
    """Introduction and the partnership's context, as answer text (paragraphs, bullets, citations)."""
    version: str = ""
    """Version of the submitted document ("1.0")."""
    marking: str = ""
    """Protective marking printed at the top of every page ("OFFICIAL-SENSITIVE")."""
    sign_off: tuple[SignOff, ...] = ()
    """Who signed the statement off."""
    evidence_numbers: dict[str, int] = field(default_factory=dict)
    """Evidence id → number, recorded by `export statement --final`; those items keep their numbers."""


@dataclass(frozen=True, slots=True)
class Metadata:
    """The evaluation's metadata and settings (evaluation.yaml)."""

    title: str
    """Title of the evaluation."""
    framework: str
    """Framework id."""
    programme: str = ""
    """Programme id, if any."""
    organisation: str = ""
    """The partnership or establishment."""
    period_from: str = ""
    """ISO start of the period evaluated."""
    period_to: str = ""
    """ISO end of the period evaluated."""
    date: str = ""
    """ISO date of the evaluation (used for evidence age); defaults to period_to."""
    team: tuple[str, ...] = ()
    """Members of the team."""
    agencies: tuple[str, ...] = ()
    """The partner agencies in the team (evaluation.yaml `agencies`)."""
    checks: dict = field(default_factory=dict)
    """Check settings by rule id (raw mapping from the file)."""
    suppress: tuple[dict, ...] = ()
    """Suppressions: mappings with rule, item and reason."""
    external: tuple[ExternalGrade, ...] = ()
    """Grades given by an inspection."""
    findings: tuple[ExternalFinding, ...] = ()
    """What an inspection reported besides grades."""
    wording: dict = field(default_factory=dict)
    """The partnership's record of framework titles by item: confirmed or replaced, with the source."""
    statement: StatementSettings = field(default_factory=StatementSettings)
    """The position statement's front matter and fixed evidence numbers."""

    @property
    def evaluation_date(self) -> str:
        return self.date or self.period_to


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One self-evaluation, loaded whole."""

    root: str
    """The evaluation folder."""
    metadata: Metadata
    """evaluation.yaml."""
    framework: Framework
    """The framework it uses."""
    assessments: dict[str, Assessment]
    """Assessments by indicator id."""
    evidence: dict[str, Evidence]
    """Evidence items by id."""
    actions: dict[str, Action] = field(default_factory=dict)
    """Actions by id."""
    sections: dict[str, Section] = field(default_factory=dict)
    """Position statement sections by unit id."""
    renamed: tuple[tuple[str, str, str], ...] = ()
    """(file, earlier id, current id) wherever a file names an indicator by an earlier id (an alias)."""
    conflict_copies: tuple = ()
    """Sync-conflict copies and merge leftovers found beside the real files and left unread
    (`qiframe.conflicts.ConflictCopy`)."""

    @property
    def programme(self) -> Programme | None:
        return self.framework.programme(self.metadata.programme) if self.metadata.programme else None

    @property
    def voice_indicators(self) -> tuple[str, ...]:
        """Indicators about children or families: the programme's list, else the framework's."""
        prog = self.programme
        if prog is not None and prog.voice_indicators is not None:
            return prog.voice_indicators
        return self.framework.voices.indicators

    @property
    def triangulation_threshold(self) -> int:
        """How many of the TRIANGULATING sources an indicator needs: `weak-triangulation: {threshold: N}` in
        evaluation.yaml, else TRIANGULATION_THRESHOLD. The rule and the matrix export both ask here."""
        raw = self.metadata.checks.get("weak-triangulation")
        value = raw.get("threshold") if isinstance(raw, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else TRIANGULATION_THRESHOLD

    def evidence_for(self, indicator: str) -> list[Evidence]:
        return [e for e in self.evidence.values() if indicator in e.indicators]

    @property
    def assessable_ids(self) -> set[str]:
        """Ids an assessment can be about: the framework's indicators and the programme's suites."""
        ids = set(self.framework.indicators)
        if self.programme:
            ids.update(s.id for s in self.programme.suites)
        return ids

    @property
    def order(self) -> dict[str, int]:
        """Position of each indicator and suite id: the framework's order, then the programme's suites.

        Every listing that goes indicator by indicator sorts by this, so they all agree."""
        ids = list(self.framework.indicators)
        if self.programme:
            ids += [s.id for s in self.programme.suites]
        return {ident: i for i, ident in enumerate(ids)}

    def title_of(self, ident: str) -> str:
        """The title of an indicator, or of a suite of the programme; "" when it is neither."""
        indicator = self.framework.indicators.get(ident)
        if indicator:
            return indicator.title
        suite = self.programme.suite(ident) if self.programme else None
        return suite.title if suite else ""


def parse_period(text: str) -> tuple[str, str]:
    """(start, end) of a date or a period "FROM:TO" as stored, through the one date parser (`periods`).

    Raises InputError with the message every form of qiframe shows for a bad date.
    """
    from qiframe.periods import span

    return span(text, "")
