"""Rule `moderation-gap`: evaluators' proposed grades far apart with nothing agreed."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, positive_int, rule


@rule("moderation-gap", "warning", options={"levels": positive_int})
def moderation_gap(ctx: Context) -> Iterator[Finding]:
    """Evaluators proposed grades two or more levels apart, and no grade has been agreed yet.

    The gap is counted in positions on the framework's scale, not by subtracting the recorded numbers,
    so it means the same on a four-level scale or one with gaps in its values. A grade counts as agreed
    once it is recorded with `qiframe grade QI LEVEL --agreed` (the assessment's status is then
    "agreed"). The distance that triggers the rule can be changed with `levels` (default 2).

    Passes:

        # indicators/2.1.yaml: proposals one level apart
        indicator: "2.1"
        proposed:
          - {by: Aisha, grade: 4}
          - {by: Ben, grade: 3}

    Fails:

        # indicators/2.1.yaml: proposals two levels apart, nothing agreed
        indicator: "2.1"
        proposed:
          - {by: Aisha, grade: 4}
          - {by: Ben, grade: 2}
    """
    framework = ctx.evaluation.framework
    threshold = ctx.setting("levels", 2)
    for a in ctx.evaluation.assessments.values():
        if a.grade is not None and a.status == "agreed":
            continue
        scale = framework.scale_for(a.indicator)
        # A proposal whose value is not on the scale is another rule's business; it cannot be ranked.
        on_scale = [p for p in a.proposed if scale.level(p.grade) is not None]
        if len(on_scale) < 2:
            continue
        ranks = {p: scale.rank(p.grade) for p in on_scale}
        low = min(on_scale, key=lambda p: ranks[p])
        high = max(on_scale, key=lambda p: ranks[p])
        spread = ranks[high] - ranks[low]
        if spread < threshold:
            continue
        yield Finding(
            f"proposed grades are {spread} levels apart ({high.by}: {_named(scale, high.grade)}, "
            f"{low.by}: {_named(scale, low.grade)}) and no grade is agreed; moderate, then record the "
            f"result with `qiframe grade {a.indicator} LEVEL --agreed`",
            path=a.path,
            where=("proposed",),
            indicator=a.indicator,
            item=a.indicator,
        )


def _named(scale, value: int) -> str:
    level = scale.level(value)
    return f"{value} {level.label}" if level else str(value)
