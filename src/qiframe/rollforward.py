"""Starting next year's evaluation from last year's: `qiframe init NEW --from OLD`.

The new evaluation uses the same framework, or a newer edition reached through a crosswalk. It carries:
the team, organisation and check settings; each indicator's lead and contributors; the open actions with
their measures and progress notes (and the inspection recommendations they answer); and, by default, the
evidence still inside the staleness window (`--evidence current`; `all` or `none` otherwise). Last year's
grades are kept as context on each assessment (`last_year`), never as this year's grade: every new
assessment starts ungraded.

Everything is built in a hidden folder beside the new one and renamed into place at the end, so a failure
half-way leaves nothing behind.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from qiframe import clock, model, store, yamlio
from qiframe.errors import InputError

EVIDENCE_CHOICES = ("current", "all", "none")
STALE_MONTHS = 24
"""The staleness window when the earlier evaluation sets none (the `stale-evidence` check's default)."""


@dataclass(frozen=True)
class RollForward:
    """What `init --from` carried into the new evaluation, and what it left behind."""

    root: str
    """The new evaluation's folder."""
    framework: str
    """Its framework id."""
    crosswalk: str
    """The crosswalk used to reach a newer framework edition, or ""."""
    indicators: int
    """Assessment files written."""
    leads: int
    """Assessments whose lead was carried."""
    last_year: int
    """Assessments that show last year's grade as context."""
    actions: tuple[str, ...]
    """Ids of the open actions carried."""
    actions_left: tuple[str, ...]
    """Ids of the closed (done or dropped) actions left behind."""
    evidence: tuple[str, ...]
    """Ids of the evidence items carried."""
    evidence_left: tuple[str, ...]
    """Ids of the evidence items left behind (out of date, undated, or by --evidence none)."""
    cutoff: str
    """The oldest date of evidence still in date, or "" when --evidence is not `current`."""
    findings: tuple[str, ...]
    """Ids of the inspection findings carried (those an open action answers)."""

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def roll_forward(
    old_root: str | os.PathLike,
    folder: str | os.PathLike,
    framework_id: str = "",
    evidence: str = "current",
    title: str = "",
    period: tuple[str, str] | None = None,
) -> RollForward:
    """Create next year's evaluation in `folder` from the evaluation at `old_root` (all or nothing)."""
    if evidence not in EVIDENCE_CHOICES:
        raise InputError(
            f"{{evidence}} {evidence!r} is not one of: {', '.join(EVIDENCE_CHOICES)}", options=("evidence",)
        )
    old = store.load(store.find_root(old_root))
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("folder exists and is not empty; choose a new folder", target)
    from qiframe import crosswalks, frameworks

    framework = frameworks.load(framework_id or old.framework.id, start=target.resolve().parent)
    walk = None
    if framework.id != old.framework.id:
        walk = crosswalks.find(old.framework, framework, start=target.resolve().parent)
        if walk is None:
            raise InputError(
                f"no crosswalk maps {old.framework.id!r} to {framework.id!r}; start the new evaluation "
                "on the same framework, or add a crosswalk to frameworks/crosswalks/"
            )
    programme = old.metadata.programme if framework.id == old.framework.id else ""
    meta = old.metadata
    span = period or _next_period(meta.period_from, meta.period_to)
    on = model.parse_date(span[1]) if span else None
    on = on or clock.today()

    # Which earlier indicator each new assessment continues: its grade (and lead) through the crosswalk's
    # grade pairs; evidence and actions follow every pair.
    grade_of = dict(walk.grades) if walk else {i: i for i in old.assessable_ids}

    def links(ids: tuple[str, ...]) -> tuple[str, ...]:
        if walk is None:
            return ids
        return crosswalks.carry_links(walk, ids)

    months = _stale_months(old)
    cutoff = _months_before(on, months)
    carried_evidence: list[model.Evidence] = []
    left_evidence: list[model.Evidence] = []
    for item in sorted(old.evidence.values(), key=lambda e: e.id):
        end = model.parse_date(item.end_date)
        keep = evidence == "all" or (evidence == "current" and end is not None and cutoff <= end)
        (carried_evidence if keep else left_evidence).append(item)
    open_actions = [a for a in old.actions.values() if a.status not in ("done", "dropped")]
    closed = sorted(a.id for a in old.actions.values() if a.status in ("done", "dropped"))
    answered = {a.answers for a in open_actions if a.answers}
    findings = [f for f in meta.findings if f.id in answered]

    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    building = parent / f".{target.name}.qiframe-new-{os.getpid()}"
    if building.exists():
        shutil.rmtree(building)
    try:
        store.init(building, framework.id, programme or None, title or meta.title, meta.organisation, span)
        leads = last = 0
        # Everything after the skeleton is one transaction; the rename below puts the whole folder in place.
        with store.transaction(building) as tx:
            new = tx.evaluation
            for ident, a in new.assessments.items():
                earlier = next((o for o, n in grade_of.items() if n == ident), "")
                before = old.assessments.get(earlier) if earlier else None
                if before is None:
                    continue
                context = _last_year(old, earlier, before)
                leads += bool(before.lead)
                last += context is not None

                def mutate(doc, before=before, context=context):
                    store.set_field(doc, "lead", before.lead, store.ASSESSMENT_FIELDS)
                    store.set_field(doc, "contributors", list(before.contributors), store.ASSESSMENT_FIELDS)
                    store.set_field(doc, "last_year", context, store.ASSESSMENT_FIELDS)

                tx.edit(a.path, "indicator", mutate)
            for item in carried_evidence:
                data = dict(yamlio.load(Path(old.root) / item.path))
                if walk is not None:
                    data["indicators"] = list(links(item.indicators))
                    data.pop("themes", None)  # themes belong to the earlier framework's indicators
                data = {k: v for k, v in data.items() if v not in ([], None)}
                tx.create(f"{store.FOLDERS['evidence']}/{Path(item.path).name}", "evidence", data)
            for action in open_actions:
                data = dict(yamlio.load(Path(old.root) / action.path))
                if walk is not None and action.indicator:
                    mapped = grade_of.get(action.indicator) or next(iter(links((action.indicator,))), "")
                    data["indicator"] = mapped
                data = {k: v for k, v in data.items() if v not in ("", [], None)}
                tx.create(f"{store.FOLDERS['action']}/{Path(action.path).name}", "action", data)

            def settings(doc):
                for key, value in (
                    ("team", list(meta.team)),
                    ("checks", dict(meta.checks) or None),
                    ("findings", [_finding_record(f, walk, links) for f in findings] or None),
                ):
                    store.set_field(doc, key, value, store.METADATA_FIELDS)

            tx.edit(store.EVALUATION_FILE, "evaluation", settings)
        store.load(building)  # the whole new evaluation loads and validates before it is put in place
        with contextlib.suppress(FileNotFoundError):
            (building / store.PRIVATE / "cache.json").unlink()
        if target.exists():
            target.rmdir()
        os.rename(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return RollForward(
        os.fspath(target),
        framework.id,
        walk.path if walk else "",
        len(new.assessments),
        leads,
        last,
        tuple(sorted(a.id for a in open_actions)),
        tuple(closed),
        tuple(e.id for e in carried_evidence),
        tuple(e.id for e in left_evidence),
        cutoff.isoformat() if evidence == "current" else "",
        tuple(f.id for f in findings),
    )


def _last_year(old: model.Evaluation, ident: str, a: model.Assessment) -> dict | None:
    if a.grade is None:
        return None
    scale = old.framework.scale_for(ident)
    level = scale.level(a.grade)
    if level is None or scale.judgement:
        return None
    record = {
        "grade": a.grade,
        "label": level.label,
        "indicator": ident,
        "framework": old.framework.id,
        "date": old.metadata.evaluation_date,
    }
    return {k: v for k, v in record.items() if v not in ("", None)}


def _finding_record(f: model.ExternalFinding, walk, links) -> dict:
    record = {
        "id": f.id,
        "kind": f.kind,
        "indicators": list(links(f.indicators) if walk else f.indicators),
        "text": f.text,
        "source": f.source,
        "date": f.date,
    }
    return {k: v for k, v in record.items() if v not in ("", None, [])}


def _stale_months(old: model.Evaluation) -> int:
    setting = old.metadata.checks.get("stale-evidence")
    months = setting.get("months") if isinstance(setting, dict) else None
    return months if isinstance(months, int) and not isinstance(months, bool) and months > 0 else STALE_MONTHS


def _next_period(start: str, end: str) -> tuple[str, str] | None:
    """The period a year after the earlier one, or None when the earlier one had none."""
    a, b = model.parse_date(start), model.parse_date(end)
    if a is None or b is None:
        return None
    return _months_after(a, 12).isoformat(), _months_after(b, 12).isoformat()


def _months_after(day: dt.date, months: int) -> dt.date:
    return _months_before(day, -months)


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the 31st becomes the month's last day)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
