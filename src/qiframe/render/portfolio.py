"""`qiframe aggregate`'s report: text, Markdown and JSON of an `Aggregate`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qiframe.render import json_text, renderer
from qiframe.text import md_escape

if TYPE_CHECKING:
    from qiframe.portfolio.aggregate import Aggregate, Distribution, Group

AGGREGATE = "qiframe.portfolio.aggregate.Aggregate"


@renderer(AGGREGATE, "json")
def as_json(result: Aggregate) -> str:
    return json_text(result.to_json())


@renderer(AGGREGATE, "text")
def text(result: Aggregate) -> str:
    out: list[str] = []
    for g in result.groups:
        n = len(g.establishments)
        out.append(f"{g.title} ({g.framework}): {n} evaluation{'' if n == 1 else 's'}")
        out.append("")
        levels = [lv.value for lv in g.scale.levels]
        header = ("QI", *(str(v) for v in levels), "graded", "not yet", "median", "range", "inspection =/+/-")
        rows = [header] + [_row(g, d) for d in g.distributions]
        out.extend(_columns(rows))
        out.append(
            "  not yet: expected to be graded (by the programme) but not graded. inspection: same/above/below."
        )
        out.append("  levels: " + ", ".join(f"{lv.value} {lv.label}" for lv in g.scale.levels))
        out.append("")
        if g.outliers:
            out.append("Grades that stand out:")
            out.extend(f"  {o.establishment} · {o.indicator}: {o.reason}" for o in g.outliers)
            out.append("")
        c = g.coverage
        sources = ", ".join(f"{s} {n}" for s, n in c.sources)
        out.append(
            f"Coverage: {c.graded_all} of {c.establishments} graded everything they grade, "
            f"{c.graded_any} graded something; evidence cited by source: {sources}; "
            f"{c.clean} check with no errors."
        )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


@renderer(AGGREGATE, "md")
def markdown(result: Aggregate) -> str:
    out: list[str] = []
    for g in result.groups:
        out.append(f"## {_md(g.title)} ({_md(g.framework)})")
        out.append("")
        out.append(
            f"{len(g.establishments)} evaluation{'' if len(g.establishments) == 1 else 's'}. Levels: "
            + ", ".join(f"{lv.value} {_md(lv.label)}" for lv in g.scale.levels)
            + "."
        )
        out.append("")
        levels = [lv.value for lv in g.scale.levels]
        out.append(
            "| QI | Title | "
            + " | ".join(str(v) for v in levels)
            + " | Graded | Not yet | Median | Range | Inspection =/+/- |"
        )
        out.append("|---|---|" + "---:|" * len(levels) + "---:|---:|---|---|---|")
        for d in g.distributions:
            _, *counts, graded, ungraded, median, spread, inspection = _row(g, d)
            out.append(
                f"| {_md(d.indicator)} | {_md(d.title)} | "
                + " | ".join(counts)
                + f" | {graded} | {ungraded} | {median} | {spread} | {inspection} |"
            )
        out.append("")
        if g.outliers:
            out.append("### Grades that stand out")
            out.append("")
            out.extend(
                f"- **{_md(o.establishment)}**, {_md(o.indicator)}: {_md(o.reason)}" for o in g.outliers
            )
            out.append("")
        c = g.coverage
        out.append(
            f"Coverage: {c.graded_all} of {c.establishments} graded everything they grade; "
            f"{c.clean} check with no errors."
        )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _row(g: Group, d: Distribution) -> tuple[str, ...]:
    from qiframe.portfolio.aggregate import median_text, range_text

    inspected = d.matched + d.above + d.below
    inspection = f"{d.matched}/{d.above}/{d.below}" if inspected else "–"
    return (
        d.indicator,
        *(str(n) for _, n in d.counts),
        str(d.graded),
        str(d.ungraded),
        median_text(d),
        range_text(d),
        inspection,
    )


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _md(value: str) -> str:
    """Text made literal in the Markdown report, by the one Markdown escaper of the project."""
    return md_escape(value).strip()
