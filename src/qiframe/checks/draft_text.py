"""Rule `draft-text`: a machine draft left in an answer of a section a person has taken over."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import Context, Finding, rule
from qiframe.statement import leftover_drafts


@rule("draft-text", "warning")
def draft_text(ctx: Context) -> Iterator[Finding]:
    """A position statement answer still holds the paragraph qiframe drafted (it begins with the line
    "DRAFT – written by qiframe from the assessments; …") although the section is no longer flagged as a
    draft: someone took the section over and rewrote other answers, but this one would go into the
    export in the machine's words.

    Rewrite the answer in your own words with `qiframe statement edit UNIT`, or empty it to have it
    reported as unanswered.

    Passes:

        # statement/S1.yaml
        unit: S1
        answers:
          now: Risks are usually spotted early and shared promptly.

    Fails:

        # statement/S1.yaml
        unit: S1
        answers:
          now: |
            DRAFT – written by qiframe from the assessments; rewrite in your own words.

            Strengths: chronologies are up to date.
    """
    for section, question in leftover_drafts(ctx.evaluation):
        yield Finding(
            f"{section.unit}: the answer {question!r} is still qiframe's draft, though the section "
            "is no longer marked as a draft",
            path=section.path,
            where=("answers", question),
            item=section.unit,
        )
