"""Rule `kind-source-mismatch`: an evidence item whose kind and source contradict each other."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe import vocabulary
from qiframe.checks import Context, Finding, rule


@rule("kind-source-mismatch", "warning")
def kind_source_mismatch(ctx: Context) -> Iterator[Finding]:
    """An evidence item's source contradicts its kind, so it counts wrongly in triangulation.

    A survey, focus group or interview holds people's views (a survey's results may also be presented as
    quantitative data); an observation is direct observation; a case-file audit or performance data is
    quantitative data; a policy document or plan is documentation. Case studies, reports, minutes and
    other kinds can be any source.

    Passes:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Staff survey, kind: survey, source: views, indicators: ["2.1"]}

    Fails:

        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Staff survey, kind: survey, source: documentation, indicators: ["2.1"]}
    """
    for item in ctx.evaluation.evidence.values():
        allowed = vocabulary.KIND_ALLOWED_SOURCES.get(item.kind)
        if allowed is None or item.source in allowed:
            continue
        kind = vocabulary.KIND_LABELS[item.kind]
        sources = " or ".join(vocabulary.SOURCE_LABELS[s] for s in allowed)
        yield Finding(
            f"evidence {item.id} ({item.title}) is a {kind} but its source is "
            f"{vocabulary.SOURCE_LABELS[item.source]}; a {kind} is {sources}",
            path=item.path,
            where=("source",),
            evidence=item.id,
        )
