"""What an inspection reported besides grades, and how it lines up with the self-evaluation.

Findings (strengths, areas for improvement, recommendations, key messages) live in evaluation.yaml's
`findings` list, each about one or more indicators. The alignment asks "did we know ourselves well?":
each finding is either **found by both** (the self-evaluation named a matching strength or area for
improvement) or **found by the inspection only**; every strength or area for improvement of the
self-evaluation that no finding matches is **named by the self-evaluation only**.

Matching starts by indicator: a strength finding matches the strengths written for its indicators, an
area for improvement or a recommendation their areas for improvement, a key message either. A person
confirms or corrects that with `external finding pair`, which records the exact points a finding matches
(or that it matches none); a recorded pairing always wins over matching by indicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import model, store, yamlio
from qiframe.errors import InputError

FINDING_FIELDS = ("id", "kind", "indicators", "text", "source", "date", "pairs")
KIND_WORDS = {
    "strength": "strength",
    "improvement": "area for improvement",
    "recommendation": "recommendation",
    "key-message": "key message",
}
MATCHES = {
    "strength": ("strength",),
    "improvement": ("improvement",),
    "recommendation": ("improvement",),
    "key-message": ("strength", "improvement"),
}
"""Which points of the self-evaluation each kind of finding is matched with."""


# --- recording ---------------------------------------------------------------------------------------


def add(
    root: str | Path, kind: str, text: str, indicators: tuple[str, ...] = (), source: str = "", date: str = ""
) -> model.ExternalFinding:
    """Record one finding of the inspection."""
    with store.transaction(root) as tx:
        return _add(tx, kind, text, indicators, source, date)


def _add(
    tx: store.Transaction, kind: str, text: str, indicators: tuple[str, ...], source: str, date: str
) -> model.ExternalFinding:
    evaluation = tx.evaluation
    if kind not in model.FINDING_KINDS:
        raise InputError(
            f"{{kind}} {kind!r} is not one of: {', '.join(model.FINDING_KINDS)}", options=("kind",)
        )
    text = "".join(ch for ch in " ".join((text or "").split()) if ch.isprintable())
    if not text:
        raise InputError("{text} cannot be empty", options=("text",))
    ids = tuple(dict.fromkeys(store.assessment_id(evaluation, i) for i in indicators))
    if not ids and kind != "key-message":
        raise InputError(f"a {KIND_WORDS[kind]} needs {{qi}}: the indicator it is about", options=("qi",))
    if date and (model.parse_date(date) is None or len(date) != 10):
        raise InputError(f"{{date}} {date!r} is not an ISO date (YYYY-MM-DD)", options=("date",))
    source = " ".join(source.split())
    made: list[str] = []  # the new finding's id, allocated inside the edit

    def mutate(doc):
        entries = doc.get("findings")
        taken = {str(e.get("id")) for e in entries or () if isinstance(e, dict)}
        new = store.new_id("finding", taken)
        made.append(new)
        fields: dict[str, Any] = {
            "id": new,
            "kind": kind,
            "indicators": list(ids),
            "text": text,
            "source": source,
            "date": date,
        }
        record = {k: v for k, v in fields.items() if v not in ("", None, [])}
        if entries is None:
            store.set_field(doc, "findings", [record], store.METADATA_FIELDS)
        else:
            entries.append(_commented(record))

    tx.edit(store.EVALUATION_FILE, "evaluation", mutate)
    return model.ExternalFinding(made[0], kind, text, ids, source, date)


def pair(
    root: str | Path,
    finding_id: str,
    indicator: str = "",
    strengths: tuple[int, ...] = (),
    improvements: tuple[int, ...] = (),
    none: bool = False,
    auto: bool = False,
    keep: bool = False,
) -> model.ExternalFinding:
    """Record which strengths or areas for improvement of the self-evaluation a finding matches.

    Points are numbered as the assessment of `indicator` lists them (1 for the first). `none` records that it
    matches nothing; `auto` forgets the recorded pairing (matching by indicator again); `keep` adds to the
    points recorded before instead of replacing them.
    """
    with store.transaction(root) as tx:
        return _pair(tx, finding_id, indicator, strengths, improvements, none, auto, keep)


def _pair(
    tx: store.Transaction,
    finding_id: str,
    indicator: str,
    strengths: tuple[int, ...],
    improvements: tuple[int, ...],
    none: bool,
    auto: bool,
    keep: bool,
) -> model.ExternalFinding:
    evaluation = tx.evaluation
    findings = {f.id: f for f in evaluation.metadata.findings}
    finding = store.resolve(findings, finding_id, "inspection finding")
    chosen = bool(strengths or improvements)
    if sum((chosen, none, auto)) != 1:
        raise InputError(
            "give {strength} or {improvement} numbers (with {qi}), or {none}, or {auto}",
            options=("strength", "improvement", "qi", "none", "auto"),
        )
    points: list[dict] = []
    if chosen:
        if not indicator:
            raise InputError(
                "{strength} and {improvement} count the points of one indicator: give {qi}",
                options=("strength", "improvement", "qi"),
            )
        ident = store.assessment_id(evaluation, indicator)
        a = evaluation.assessments.get(ident, model.Assessment(ident))
        for kind, numbers, texts in (
            ("strength", strengths, a.strengths),
            ("improvement", improvements, a.improvements),
        ):
            for n in numbers:
                if not 1 <= n <= len(texts):
                    shown = "; ".join(f"{i}. {t}" for i, t in enumerate(texts, 1)) or "none recorded"
                    raise InputError(f"{ident} has no {KIND_WORDS[kind]} number {n} ({shown})")
                points.append({"indicator": ident, "kind": kind, "text": " ".join(texts[n - 1].split())})
    if keep and finding.pairs:
        earlier = [{"indicator": p.indicator, "kind": p.kind, "text": p.text} for p in finding.pairs]
        points = earlier + [p for p in points if p not in earlier]

    def mutate(doc):
        for entry in doc.get("findings") or ():
            if isinstance(entry, dict) and entry.get("id") == finding.id:
                if auto:
                    if "pairs" in entry:
                        del entry["pairs"]
                else:
                    entry["pairs"] = yamlio.to_commented(points)
                return

    data = tx.edit(store.EVALUATION_FILE, "evaluation", mutate)
    return next(store.build_finding(f) for f in data.get("findings", ()) if f["id"] == finding.id)


@dataclass(frozen=True)
class Listed:
    """The inspection's findings as `external finding list` shows them."""

    findings: tuple[model.ExternalFinding, ...]
    rows: tuple[dict, ...]
    """`listing`'s records, for scripts."""


def listed(evaluation: model.Evaluation) -> Listed:
    return Listed(tuple(evaluation.metadata.findings), tuple(listing(evaluation)))


def listing(evaluation: model.Evaluation) -> list[dict]:
    """The findings as recorded, each with its indicators' titles."""
    return [_finding_json(evaluation, f) for f in evaluation.metadata.findings]


def _commented(record: dict):
    if record.get("date"):
        record = {**record, "date": dt.date.fromisoformat(record["date"])}
    return yamlio.to_commented(record)


# --- alignment ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A strength or area for improvement the self-evaluation wrote."""

    indicator: str
    """The assessment's indicator."""
    kind: str
    """"strength" or "improvement"."""
    text: str
    """As written."""

    def to_json(self) -> dict:
        return {"indicator": self.indicator, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Match:
    """One finding and the self-evaluation points it matches (none: found by the inspection only)."""

    finding: model.ExternalFinding
    """The finding."""
    points: tuple[Point, ...]
    """The matching points."""
    confirmed: bool
    """Whether a person recorded the pairing (else it is matched by indicator)."""


@dataclass(frozen=True)
class Alignment:
    """Where the inspection and the self-evaluation agree on what is strong and what needs to improve."""

    both: tuple[Match, ...]
    """Findings the self-evaluation had named too."""
    inspection_only: tuple[Match, ...]
    """Findings the self-evaluation had not named."""
    self_only: tuple[Point, ...]
    """Points of the self-evaluation that no finding matches."""

    @property
    def summary(self) -> str:
        """One line a partnership can quote."""
        total = len(self.both) + len(self.inspection_only)
        if not total:
            return "No inspection findings are recorded."
        kinds: dict[str, int] = {}
        for m in self.both + self.inspection_only:
            kinds[m.finding.kind] = kinds.get(m.finding.kind, 0) + 1
        counted = ", ".join(f"{n} {KIND_WORDS[k]}{'s' if n != 1 else ''}" for k, n in kinds.items())
        also = len(self.self_only)
        return (
            f"The self-evaluation had already identified {len(self.both)} of the inspection's {total} "
            f"findings ({counted}), and named {also} further point{'s' if also != 1 else ''} that the "
            f"inspection did not report."
        )

    def to_json(self) -> dict:
        def match(m: Match) -> dict:
            return {
                "id": m.finding.id,
                "kind": m.finding.kind,
                "indicators": list(m.finding.indicators),
                "text": m.finding.text,
                "confirmed": m.confirmed,
                "matches": [p.to_json() for p in m.points],
            }

        return {
            "found_by_both": [match(m) for m in self.both],
            "inspection_only": [match(m) for m in self.inspection_only],
            "self_evaluation_only": [p.to_json() for p in self.self_only],
            "summary": self.summary,
        }


def align(evaluation: model.Evaluation) -> Alignment:
    """Each finding in exactly one group (both, or inspection only), and the self-evaluation's unmatched points."""
    written = _points(evaluation)
    both: list[Match] = []
    inspection_only: list[Match] = []
    used: set[Point] = set()
    for f in evaluation.metadata.findings:
        if f.pairs is not None:
            points = tuple(p for p in (Point(x.indicator, x.kind, x.text) for x in f.pairs) if p in written)
        else:
            points = tuple(p for p in written if p.indicator in f.indicators and p.kind in MATCHES[f.kind])
        used.update(points)
        (both if points else inspection_only).append(Match(f, points, f.pairs is not None))
    return Alignment(tuple(both), tuple(inspection_only), tuple(p for p in written if p not in used))


def _points(evaluation: model.Evaluation) -> list[Point]:
    order = {ident: i for i, ident in enumerate(evaluation.framework.indicators)}
    out = []
    for ident in sorted(evaluation.assessments, key=lambda i: (order.get(i, len(order)), i)):
        a = evaluation.assessments[ident]
        out += [Point(ident, "strength", " ".join(t.split())) for t in a.strengths]
        out += [Point(ident, "improvement", " ".join(t.split())) for t in a.improvements]
    return out


def _finding_json(evaluation: model.Evaluation, f: model.ExternalFinding) -> dict:
    return {
        "id": f.id,
        "kind": f.kind,
        "indicators": list(f.indicators),
        "titles": [evaluation.title_of(i) for i in f.indicators],
        "text": f.text,
        "source": f.source or None,
        "date": f.date or None,
        "pairs": None
        if f.pairs is None
        else [{"indicator": p.indicator, "kind": p.kind, "text": p.text} for p in f.pairs],
    }


def finding_line(f: model.ExternalFinding) -> str:
    where = ", ".join(f.indicators)
    return f"{f.id}  {KIND_WORDS[f.kind]}" + (f" ({where})" if where else "") + f": {f.text}"
