"""Rules on the position statement: `unanswered-question`, `uncited-claim` and `word-limit`.

They apply when the evaluation's programme defines statement questions (or, for `word-limit`, a word
limit); words are counted with `qiframe.statement.count_words`, the same count the exports print.
"""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.citations import cited_ids
from qiframe.statement import count_words, is_unanswered


@rule("unanswered-question", "error", options={})
def unanswered_question(ctx: Context) -> Iterator[Finding]:
    """A unit of the programme has no statement section, or its section does not answer one of the
    programme's questions.

    An answer that is missing, blank, or holds nothing but the line qiframe puts at the top of a draft
    counts as unanswered. Draft the sections from the assessments with `qiframe statement draft`, then
    write them in your own words with `qiframe statement edit UNIT`.

    Passes:

        # statement/S1.yaml
        unit: S1
        answers:
          now: Most children on the register are seen within a day of a concern being raised.
          know: Our March audit of 40 records found risk assessed well in most of them [E-k3m9qx].
          next: We will extend the audit to children under pre-birth plans by June.

    Fails:

        # statement/S1.yaml
        unit: S1
        answers:
          now: Most children on the register are seen within a day of a concern being raised.
          know: ""
    """
    ev = ctx.evaluation
    prog = ev.programme
    if prog is None or not prog.questions:
        return
    for unit in prog.units:
        section = ev.sections.get(unit.id)
        if section is None:
            yield Finding(f"{unit.id} has no statement section: write statement/{unit.id}.yaml with "
                          f"`qiframe statement draft {unit.id}` or `qiframe statement edit {unit.id}`",
                          item=unit.id)
            continue
        for q in prog.questions:
            if is_unanswered(section.answers.get(q.id)):
                where = ("answers", q.id) if q.id in section.answers else ("answers",)
                yield Finding(f"{unit.id} does not answer {q.text!r} ({q.id})", path=section.path, where=where,
                              item=unit.id)


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
          know: Three in four plans we audited were outcome-focused [E-k3m9qx; E-p4r7tz].

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
            if unit_id in units and not is_unanswered(text) and not cited_ids(text):
                yield Finding(f"{unit_id}: the answer to {q.text!r} cites no evidence (cite items as [E-…])",
                              path=section.path, where=("answers", q.id), item=unit_id)


@rule("word-limit", "error", options={})
def word_limit(ctx: Context) -> Iterator[Finding]:
    """The position statement is longer than the programme's word limit (an error), or one section is
    longer than its share of the limit: the limit divided by the number of units (a warning).

    Words are counted in the answers as a reader sees them: runs of letters and digits, with an evidence
    citation counting one word per item, exactly as `qiframe export statement` reports. Headings, the
    title page, the grades table and the evidence appendix are not counted.

    Passes:

        # risk-of-harm-2021: word_limit 5000 over four statements, a share of 1,250 words each
        # statement/S1.yaml  1,180 words
        # statement/S2.yaml  1,240 words
        # statement/S3.yaml    990 words
        # statement/S4.yaml  1,210 words    total 4,620

    Fails:

        # statement/S1.yaml  1,480 words    over its share of 1,250: warning
        # statement/S2.yaml  1,300 words    over its share: warning
        # statement/S3.yaml  1,190 words
        # statement/S4.yaml  1,260 words    over its share: warning; total 5,230 is over 5,000: error
    """
    ev = ctx.evaluation
    prog = ev.programme
    if prog is None or not prog.word_limit or not prog.units:
        return
    limit = prog.word_limit
    share = limit / len(prog.units)
    questions = [q.id for q in prog.questions]
    total = 0
    for unit in prog.units:
        section = ev.sections.get(unit.id)
        if section is None:
            continue
        words = sum(count_words(section.answers.get(q, "")) for q in questions)
        total += words
        if words > share:
            yield Finding(f"{unit.id} has {words:,} words, over its share of the {limit:,}-word limit "
                          f"({share:,.0f} for each of {len(prog.units)} units)", path=section.path,
                          where=("answers",), item=unit.id, severity="warning")
    if total > limit:
        yield Finding(f"the position statement has {total:,} words, over the programme's limit of {limit:,}",
                      item="statement")
