"""Rule `unknown-voice`: an evidence item naming a voice group the framework does not have."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule


@rule("unknown-voice", "error")
def unknown_voice(ctx: Context) -> Iterator[Finding]:
    """An evidence item's `voice` names a group that is not one of the framework's voice groups.

    The voice rules count only known groups, so a misspelt group silently hides whose views an item
    holds. The groups are the framework's `voices: groups:` (by default children-and-young-people,
    care-experienced, parents-and-carers, kinship-and-foster-carers, staff, partners, other).

    Passes:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Parents' focus group, kind: focus-group, voice: [parents-and-carers]}

    Fails:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Parents' focus group, kind: focus-group, voice: [parents]}
    """
    voices = ctx.evaluation.framework.voices
    known = ", ".join(g.id for g in voices.groups)
    for item in ctx.evaluation.evidence.values():
        for i, group in enumerate(item.voice):
            if voices.group(group) is None:
                yield Finding(
                    f"evidence {item.id} ({item.title}): {group!r} is not a voice group (groups: {known})",
                    path=item.path,
                    where=("voice", i),
                    evidence=item.id,
                )
