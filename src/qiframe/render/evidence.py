"""The evidence register: a chosen list of items (text table, JSON, CSV) and one item (text, JSON, CSV)."""

from __future__ import annotations

from qiframe.render import Column, Grid, Markup, Table, csv_text, escape, json_text, renderer

CHOSEN = "qiframe.evidence.Chosen"
ITEM = "qiframe.model.Evidence"
COLUMNS = ("id", "title", "source", "kind", "date", "agency", "voice", "QIs")


@renderer(CHOSEN, "text")
def chosen_text(chosen) -> Grid:
    from qiframe import periods

    rows = []
    for e in chosen.items:
        when = periods.show(e.date) + (f" to {periods.show(e.date_to)}" if e.date_to else "")
        rows.append(
            tuple(
                escape(v)
                for v in (
                    e.id,
                    e.title,
                    e.source,
                    e.kind,
                    when,
                    e.agency,
                    ", ".join(e.voice),
                    ", ".join(e.indicators),
                )
            )
        )
    table = Table(tuple(Column(c) for c in COLUMNS), tuple(rows))
    return Grid([table, f"{len(chosen.items)} of {chosen.total} items"])


@renderer(CHOSEN, "json")
def chosen_json(chosen) -> str:
    from qiframe.store import evidence_record

    return json_text({"evidence": [evidence_record(e) for e in chosen.items]})


@renderer(CHOSEN, "csv")
def chosen_csv(chosen) -> str:
    return _csv(chosen.items)


@renderer(ITEM, "text")
def item_text(item) -> Markup:
    from qiframe.store import evidence_record

    return Markup(
        "".join(
            f"[bold]{key}[/]: {escape(', '.join(value) if isinstance(value, list) else str(value))}\n"
            for key, value in evidence_record(item).items()
        )
    )


@renderer(ITEM, "json")
def item_json(item) -> str:
    from qiframe.store import evidence_record

    return json_text(evidence_record(item))


@renderer(ITEM, "csv")
def item_csv(item) -> str:
    return _csv([item])


def _csv(items) -> str:
    """The register's fields as columns; lists joined by "; ", yes/no for flags, every cell spreadsheet-safe."""
    from qiframe.cells import csv_safe
    from qiframe.store import EVIDENCE_FIELDS

    rows = []
    for e in items:
        row = []
        for field in EVIDENCE_FIELDS:
            value = getattr(e, field)
            text = (
                "; ".join(value)
                if isinstance(value, tuple)
                else ("yes" if value else "no")
                if isinstance(value, bool)
                else value
            )
            row.append(csv_safe(text))
        rows.append(row)
    return csv_text(EVIDENCE_FIELDS, rows)
