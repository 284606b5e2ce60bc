"""Grades given by an inspection, kept in evaluation.yaml's `external` list.

An inspection grades some indicators, and sometimes a suite as one (leadership 9.1–9.4). Each indicator
or suite holds at most one external grade: adding another replaces it, so correcting a typo is the same
command as recording the grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qiframe import model, store
from qiframe.errors import InputError

EXTERNAL_FIELDS = ("indicator", "grade", "source", "date")


def add(
    root: str | Path, indicator: str, level_text: str, source: str = "", date: str = ""
) -> tuple[model.ExternalGrade, bool]:
    """Record (or replace) the inspection's grade of an indicator or suite. Returns it and whether it replaced one."""
    with store.transaction(root) as tx:
        return _add(tx, indicator, level_text, source, date)


def _add(
    tx: store.Transaction, indicator: str, level_text: str, source: str, date: str
) -> tuple[model.ExternalGrade, bool]:
    evaluation = tx.evaluation
    ident = store.assessment_id(evaluation, indicator)
    level = store.level(evaluation.framework.scale_for(ident), level_text)
    source = " ".join(source.split())
    if date and model.parse_date(date) is None:
        raise InputError(f"{{date}} {date!r} is not an ISO date (YYYY-MM-DD)", options=("date",))
    record = {"indicator": ident, "grade": level.value, "source": source, "date": date}
    replaced = [False]

    def mutate(doc):
        entries = doc.get("external")
        if entries is None:
            store.set_field(
                doc,
                "external",
                [{k: v for k, v in record.items() if v not in ("", None)}],
                store.METADATA_FIELDS,
            )
            return
        for entry in entries:
            if isinstance(entry, dict) and entry.get("indicator") == ident:
                # Change the fields in place so comments on the entry survive; a source or date not given
                # this time keeps the one recorded before.
                for key in EXTERNAL_FIELDS[1:]:
                    if record[key] not in ("", None):
                        store.set_field(entry, key, record[key], EXTERNAL_FIELDS)
                replaced[0] = True
                return
        new = {k: v for k, v in record.items() if v not in ("", None)}
        entries.append(_commented(new))

    tx.edit(store.EVALUATION_FILE, "evaluation", mutate)
    return model.ExternalGrade(ident, level.value, source, date), replaced[0]


def _commented(record: dict):
    """A new list entry in the file's layout, with its date unquoted like every other date."""
    import datetime as dt

    from qiframe import yamlio

    if record.get("date"):
        record = {**record, "date": dt.date.fromisoformat(record["date"])}
    return yamlio.to_commented(record)


@dataclass(frozen=True)
class Grades:
    """The inspection's grades as `external list` shows them (rows of `listing`)."""

    rows: tuple[dict, ...]


def grades(evaluation: model.Evaluation) -> Grades:
    return Grades(tuple(listing(evaluation)))


def listing(evaluation: model.Evaluation) -> list[dict]:
    """The external grades in the evaluation's order of indicators, each with its label and title."""
    order = evaluation.order
    rows = []
    for x in sorted(evaluation.metadata.external, key=lambda x: order.get(x.indicator, len(order))):
        level = evaluation.framework.scale_for(x.indicator).level(x.grade)
        rows.append(
            {
                "indicator": x.indicator,
                "title": evaluation.title_of(x.indicator),
                "grade": x.grade,
                "label": level.label if level else None,
                "source": x.source or None,
                "date": x.date or None,
            }
        )
    return rows
