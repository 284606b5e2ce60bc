"""Rule `word-limit`: the position statement, or one of its sections, over the programme's word limit.

Words are counted with `qiframe.statement.count_words`, the same count the exports print.
"""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.statement import count_words


@rule("word-limit", "error", options={})
def word_limit(ctx: Context) -> Iterator[Finding]:
    """The position statement is longer than the programme's word limit (an error), or one section is
    longer than its share of the limit: the limit divided by the number of units (a warning).

    Words are counted in the answers as a reader sees them: runs of letters and digits, with an evidence
    citation counting one word per item, exactly as `qiframe export statement` reports. Headings, the
    title page, the grades table and the evidence appendix are not counted.

    Passes:

        # programme risk-of-harm-2021: word_limit 5000 over four units, a share of 1,250 words each
        # statement/S1.yaml
        {unit: S1, answers: {now: <1180 words>}}
        # statement/S2.yaml
        {unit: S2, answers: {now: <1240 words>}}
        # statement/S3.yaml
        {unit: S3, answers: {now: <990 words>}}
        # statement/S4.yaml: 4,620 words in all
        {unit: S4, answers: {now: <1210 words>}}

    Fails:

        # statement/S1.yaml: over its share of 1,250 (a warning)
        {unit: S1, answers: {now: <1480 words>}}
        # statement/S2.yaml: over its share (a warning)
        {unit: S2, answers: {now: <1300 words>}}
        # statement/S3.yaml
        {unit: S3, answers: {now: <1190 words>}}
        # statement/S4.yaml: over its share (a warning); 5,230 words in all, over 5,000 (an error)
        {unit: S4, answers: {now: <1260 words>}}
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
            yield Finding(
                f"{unit.id} has {words:,} words, over its share of the {limit:,}-word limit "
                f"({share:,.0f} for each of {len(prog.units)} units)",
                path=section.path,
                where=("answers",),
                item=unit.id,
                severity="warning",
            )
    if total > limit:
        yield Finding(
            f"the position statement has {total:,} words, over the programme's limit of {limit:,}",
            item="statement",
        )
