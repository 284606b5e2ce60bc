"""Rule `uncited-claim`: an answer of the position statement that should cite evidence cites none."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.citations import cited_ids
from qiframe.statement import is_unanswered


@rule("uncited-claim", "warning", options={})
def uncited_claim(ctx: Context) -> Iterator[Finding]:
    """An answer that should point to evidence ("How do we know?") cites none.

    The position statement must mark its links to supporting evidence throughout. Cite evidence items by
    id in square brackets, e.g. [E-k3m9qx] or [E-k3m9qx, E-p4r7tz]; the exports turn them into numbered
    references (E1, E2 …) with an evidence appendix.

    Passes:

        # statement/S2.yaml
        unit: S2
        answers:
          know: Three in four plans we audited were outcome-focused [E-k3m9qx; E-7bq2df].

    Fails:

        # statement/S2.yaml
        unit: S2
        answers:
          know: Our audit showed that most plans were outcome-focused.
    """
    ev = ctx.evaluation
    prog = ev.programme
    if prog is None:
        return
    units = {u.id for u in prog.units}
    for q in prog.questions:
        if not q.cites_evidence:
            continue
        for unit_id, section in ev.sections.items():
            text = section.answers.get(q.id)
            if unit_id in units and not is_unanswered(text) and not cited_ids(text or ""):
                yield Finding(
                    f"{unit_id}: the answer to {q.text!r} cites no evidence (cite items as [E-…])",
                    path=section.path,
                    where=("answers", q.id),
                    item=unit_id,
                )
