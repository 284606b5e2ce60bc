"""Rule `no-agency-evidence`: a partner agency in the team that has contributed no evidence."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import EVALUATION_FILE, Context, Finding, rule


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@rule("no-agency-evidence", "warning")
def no_agency_evidence(ctx: Context) -> Iterator[Finding]:
    """A partner agency named in the evaluation's team (`agencies:` in evaluation.yaml) has no evidence item.

    A joint self-evaluation rests on every partner's evidence; an agency that sits on the team but whose
    practice no evidence shows is a gap an inspection will notice. An item counts for an agency when its
    `agency` names it (ignoring case and spacing).

    Passes:

        # evaluation.yaml
        agencies: [Council, NHS Borders]
        # evidence/E-k3m9qx.yaml
        {id: E-k3m9qx, title: Case file audit, kind: case-file-audit, agency: Council, indicators: ["2.1"]}
        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Health visiting data, kind: performance-data, agency: NHS Borders,
         indicators: ["2.1"]}

    Fails:

        # evaluation.yaml
        agencies: [Council, NHS Borders, Police Scotland]
        # evidence/E-k3m9qx.yaml
        {id: E-k3m9qx, title: Case file audit, kind: case-file-audit, agency: Council, indicators: ["2.1"]}
        # evidence/E-7bq2df.yaml
        {id: E-7bq2df, title: Health visiting data, kind: performance-data, agency: NHS Borders,
         indicators: ["2.1"]}
    """
    ev = ctx.evaluation
    contributed = {_key(e.agency) for e in ev.evidence.values() if e.agency}
    for i, agency in enumerate(ev.metadata.agencies):
        if _key(agency) not in contributed:
            yield Finding(
                f"{agency} is in the evaluation's team but no evidence item comes from it",
                path=EVALUATION_FILE,
                where=("agencies", i),
            )
