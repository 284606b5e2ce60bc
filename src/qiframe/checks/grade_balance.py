"""Rule `grade-balance`: a grade its strengths and areas for improvement do not support."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from qiframe import model
from qiframe.checks import Context, Finding, _scope, rule
from qiframe.errors import InputError

KINDS = {"strengths": "strengths", "improvements": "areas for improvement"}


def _expects_option(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(k in KINDS for k in v) for v in value.values()
    ):
        return "expected a mapping from a level (value or label) to a list of strengths and/or improvements"
    return None


@rule("grade-balance", "warning", options={"expects": _expects_option})
def grade_balance(ctx: Context) -> Iterator[Finding]:
    """A grade that the assessment's strengths and areas for improvement do not support.

    What each level needs is read from the framework's scale (`expects` on each level): on the Care
    Inspectorate and Education Scotland six-point scales, very good or better needs strengths, good and
    adequate need both strengths and areas for improvement, and weak or worse needs areas for
    improvement. For a scale whose levels say nothing, the rule does nothing unless evaluation.yaml
    gives the meaning itself. Setting: `expects`, e.g. `{Strong: [strengths], Weak: [improvements]}`.

    Passes:

        # indicators/2.1.yaml
        indicator: "2.1"
        grade: 4
        strengths: [Children's plans are reviewed on time.]
        improvements: [Chronologies are not kept up to date.]

    Fails:

        # indicators/2.1.yaml
        indicator: "2.1"
        grade: 4
        strengths: [Children's plans are reviewed on time.]
    """
    ev = ctx.evaluation
    scale = ev.framework.scale
    expects = _configured(ev, ctx.setting("expects", None))
    if expects is None:
        expects = {lv.value: lv.expects for lv in scale.levels if lv.expects}
    if not expects:
        return
    for subject in _scope.subjects(ev):
        a = ev.assessments.get(subject)
        if a is None or a.grade is None or a.grade not in expects:
            continue
        if ev.framework.scale_for(subject).judgement:
            continue  # a judgement (e.g. confidence) is not on the grading scale these expectations describe
        missing = [k for k in expects[a.grade] if not _recorded(getattr(a, k))]
        if not missing:
            continue
        level = scale.level(a.grade)
        named = f"{a.grade} {level.label}" if level else str(a.grade)
        needs = " and ".join(KINDS[k] for k in expects[a.grade])
        lacking = " or ".join(KINDS[k] for k in missing)
        yield Finding(
            f"{_scope.name(ev, subject)} is graded {named}, which needs {needs}, but records no {lacking}",
            path=a.path,
            where=("grade",),
            indicator=subject,
        )


def _recorded(notes: tuple[str, ...]) -> bool:
    return any(n.strip() for n in notes)


def _configured(ev: model.Evaluation, raw: dict | None) -> dict[int, tuple[str, ...]] | None:
    """The configured meaning by level value; a key that names no level is an input error."""
    if raw is None:
        return None
    out = {}
    for key, kinds in raw.items():
        level = ev.framework.scale.parse(key)
        if level is None:
            from qiframe import yamlio

            path = os.path.join(ev.root, "evaluation.yaml")
            line, column = yamlio.locate(path, ("checks", "grade-balance", "expects", key), key=True)
            choices = ", ".join(f"{lv.value} ({lv.label})" for lv in ev.framework.scale.levels)
            raise InputError(
                f"checks: grade-balance.expects: {key!r} is not a level of the scale: {choices}",
                path,
                line,
                column,
            )
        out[level.value] = tuple(kinds)
    return out
