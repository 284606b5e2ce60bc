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

        # evaluation.yaml (programme risk-of-harm-2021): every title the documents print is recorded
        wording:
          kq:B: {confirmed: "How well do we meet the needs of our stakeholders?", source: "p. 6"}
          kq:C: {confirmed: "How good is our delivery of services for children, young people and families?", source: "p. 6"}
          kq:D: {confirmed: "How good is our operational management?", source: "p. 6"}
          kq:E: {confirmed: "How good is our leadership?", source: "p. 6"}
          theme:2.1/1: {confirmed: "Children and young people feel valued, loved, fulfilled and secure", source: "p. 6"}
          5.1: {confirmed: "Early help and recognising concerns", source: "p. 6"}
          5.2: {confirmed: "Assessing risk and need", source: "p. 6"}
          6.1: {confirmed: "Policies, procedures and legal measures", source: "p. 6"}
          6.2: {confirmed: "Planning and improving services", source: "p. 6"}
          6.3: {confirmed: "Participation of children, young people, families and other stakeholders", source: "p. 6"}
          6.4: {confirmed: "Performance management and quality assurance", source: "p. 6"}
          unit:risk-of-harm-2021/S1: {title: "Statement 1 as our copy prints it", source: "p. 3"}
          unit:risk-of-harm-2021/S2: {title: "Statement 2 as our copy prints it", source: "p. 3"}
          unit:risk-of-harm-2021/S3: {title: "Statement 3 as our copy prints it", source: "p. 3"}
          unit:risk-of-harm-2021/S4: {title: "Statement 4 as our copy prints it", source: "p. 3"}

    Fails:

        # evaluation.yaml (programme risk-of-harm-2021): nothing recorded, so unit S1's title (qiframe's
        # paraphrase), the key questions (assumed) and 5.1 (qiframe's own title) are all reported
        wording: {}
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
        yield Finding(
            f"{found.kind} {found.item} {found.text!r} is {why}: confirm or replace it "
            f"(qiframe frameworks confirm {ctx.evaluation.framework.id} {found.item} --source …)",
            path=EVALUATION_FILE,
            where=where,
            indicator=indicator,
            item=found.item,
        )
