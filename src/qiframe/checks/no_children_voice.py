"""Rule `no-children-voice`: an indicator about children or families with no evidence of their own views."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, _scope, rule

OWN_VIEWS = ("children", "families")
"""Whom a voice group must speak for to count as children's or families' own views."""


@rule("no-children-voice", "warning")
def no_children_voice(ctx: Context) -> Iterator[Finding]:
    """An indicator about children or families has no evidence of children's or families' own views.

    Which indicators are about children or families is set in the framework (`voices: indicators:`, e.g.
    2.1 and 2.2) or the programme (`voice_indicators:`). Their evidence needs at least one item whose
    `voice` is a group speaking for children or families (children and young people, care-experienced
    young people, parents and carers, kinship and foster carers): staff telling us what children think
    is not the same. Record it with `voice:` on the evidence item.

    Passes:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Survey of young people, kind: survey, voice: [children-and-young-people],
         indicators: ["2.1"]}

    Fails:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Staff survey, kind: survey, voice: [staff], indicators: ["2.1"]}
    """
    ev = ctx.evaluation
    about = set(ev.voice_indicators)
    if not about:
        return
    own = {g.id for g in ev.framework.voices.groups if g.speaks_for in OWN_VIEWS}
    index = ctx.linked()
    for subject in _scope.subjects(ev):
        covered = [i for i in _scope.covers(ev, subject) if i in about]
        if not covered:
            continue
        items = _scope.evidence_of(ev, subject, index)
        if any(own & set(e.voice) for e in items):
            continue
        groups = ", ".join(g.label for g in ev.framework.voices.groups if g.id in own)
        yield Finding(
            f"{_scope.name(ev, subject)} is about children or families but none of its "
            f"{len(items)} evidence item{'s' if len(items) != 1 else ''} holds their own views "
            f"(voice: {groups})",
            path=_scope.assessment_path(ev, subject),
            where=("indicator",),
            indicator=subject,
        )
