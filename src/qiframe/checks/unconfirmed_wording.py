"""Rule `unconfirmed-wording`: a framework title the exports would print that nobody has checked."""

from __future__ import annotations

from collections.abc import Iterator

from qiframe.checks import EVALUATION_FILE, Context, Finding, rule


@rule("unconfirmed-wording", "warning")
def unconfirmed_wording(ctx: Context) -> Iterator[Finding]:
    """A title the statement, matrix or progress report would print is not confirmed against a source.

    Everything those documents print goes out under the partnership's name. Some titles in the bundled
    frameworks are qiframe's own (marked `unofficial`), restate a published text in other words
    (`paraphrased`) or come from recollection (`assumed`); `qiframe frameworks show` marks them. Check each
    against your copy of the framework, then either confirm it
    (`qiframe frameworks confirm FRAMEWORK ITEM --source "…"`) or replace it with the published wording
    (`… --title "…"`); both are recorded under `wording:` in evaluation.yaml. A confirmation names the
    wording it confirmed, and is reported again if qiframe's wording later changes. Suppress one title
    with its item key (`5.1`, `unit:risk-of-harm-2021/S1`) and a reason.

    Passes:

        # evaluation.yaml (programme risk-of-harm-2021, which prints unit S1)
        wording:
          unit:risk-of-harm-2021/S1:
            title: The statement exactly as the partnership's copy of the programme prints it
            source: Inspection notification pack, March 2026, page 3

    Fails:

        # evaluation.yaml (programme risk-of-harm-2021): unit S1's title is qiframe's paraphrase
        programme: risk-of-harm-2021
    """
    from qiframe import wording

    records = ctx.evaluation.metadata.wording
    for found in wording.unconfirmed(ctx.evaluation):
        if found.lapsed:
            why = "the wording the partnership confirmed has changed since; check it again"
            where: tuple = ("wording", found.item)
        else:
            why = f"{found.status}, not confirmed"
            where = ("wording", found.item) if found.item in records else ("framework",)
        indicator = found.item if found.kind == "indicator" else ""
        yield Finding(f"{found.kind} {found.item} {found.text!r} is {why}: confirm or replace it "
                      f"(qiframe frameworks confirm {ctx.evaluation.framework.id} {found.item} --source …)",
                      path=EVALUATION_FILE, where=where, indicator=indicator, item=found.item)
