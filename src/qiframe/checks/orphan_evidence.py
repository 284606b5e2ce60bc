"""Rule `orphan-evidence`: an evidence item linked to no indicator."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule


@rule("orphan-evidence", "warning")
def orphan_evidence(ctx: Context) -> Iterator[Finding]:
    """An evidence item supports no indicator.

    It appears in no indicator's evidence, no matrix column and no statement section, so either link it
    (`qiframe evidence link ID --qi QI`) or remove it. Themes alone do not link an item: the indicator
    list is the one place the link is kept.

    Passes:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Minutes of the chief officers' group
        indicators: ["9.2"]

    Fails:

        # evidence/E-k3m9qx.yaml
        id: E-k3m9qx
        title: Minutes of the chief officers' group
    """
    for item in ctx.evaluation.evidence.values():
        if not item.indicators:
            yield Finding(
                f"evidence {item.id} ({item.title}) is not linked to any indicator",
                path=item.path,
                where=("id",),
                evidence=item.id,
            )
