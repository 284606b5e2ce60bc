"""`statement show`: each section's words against its share and its unanswered questions, and one unit's
text (text, JSON)."""

from __future__ import annotations

from qiframe.render import Column, Grid, Table, escape, json_text, renderer

REVIEW = "qiframe.statement.Review"


@renderer(REVIEW, "json")
def review_json(review) -> str:
    doc = review.statement
    return json_text(
        {
            "sections": [
                {
                    "unit": s.id,
                    "heading": s.heading,
                    "words": s.words,
                    "share": s.share,
                    "draft": s.draft,
                    "unanswered": [p.heading for p in s.parts if p.missing],
                    "parts": [{"question": p.heading, "words": p.words} for p in s.parts],
                }
                for s in review.sections
            ],
            "words": doc.words,
            "word_limit": doc.word_limit,
            "page_limit": doc.page_limit,
            "warnings": list(doc.warnings),
        }
    )


@renderer(REVIEW, "text")
def review_text(review) -> Grid:
    parts: list = _text(review.sections[0]) if review.text else []
    columns = tuple(
        Column(c, (("justify", "right" if c in ("words", "share") else "left"),))
        for c in ("unit", "words", "share", "unanswered")
    )
    rows = []
    for s in review.sections:
        over = s.share is not None and s.words > s.share
        words = f"[red]{s.words:,}[/]" if over else f"{s.words:,}"
        missing = ", ".join(p.heading for p in s.parts if p.missing)
        rows.append(
            (
                s.id + (" (draft)" if s.draft else ""),
                words,
                f"{s.share:,.0f}" if s.share else "–",
                escape(missing) or "–",
            )
        )
    parts.append(Table(columns, tuple(rows), (("box", None), ("title_justify", "left"))))
    parts.append(review.statement.word_summary)
    return Grid(parts)


def _text(section) -> list:
    lines = [f"[bold]{escape(section.heading)}[/]"]
    for part in section.parts:
        lines.append(f"\n[bold]{escape(part.heading)}[/] [dim]({part.words:,} words)[/]")
        for block in part.blocks:
            prefix = "  • " if block.kind == "bullet" else ""
            style = "dim italic" if block.kind in ("draft", "missing") else ""
            text = escape(prefix + block.text)
            lines.append(f"[{style}]{text}[/]" if style else text)
    return lines + [""]


STATEMENT = "qiframe.statement.Statement"


@renderer(STATEMENT, "text")
def word_counts(doc) -> str:
    """Each section's words against its share, then the total against the limit (after an export)."""
    lines = [
        f"{s.id}: {s.words:,} words" + (f" (share {s.share:,.0f})" if s.share else "") for s in doc.sections
    ]
    limit = f" of {doc.word_limit:,}" if doc.word_limit else ""
    lines.append(f"Total: {doc.words:,}{limit} words")
    return "".join(line + "\n" for line in lines)
