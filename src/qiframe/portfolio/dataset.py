"""Evaluations as tidy tables: one row per fact, stable column names and types.

The column definitions below are the data dictionary; docs/dataset.md is generated from them
(`python -m qiframe.portfolio.dataset > docs/dataset.md`) and a test keeps the two the same.
Every table starts with `evaluation`, the evaluation's folder relative to the folder it was found in,
which joins the tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qiframe import model, store

TYPES = ("string", "int", "bool")
"""Column types: text, whole number, true/false. Every column may be empty (null) unless it is a key."""


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    """Column name (snake_case, never renamed once published)."""
    type: str
    """One of TYPES."""
    description: str
    """What it holds."""


@dataclass(frozen=True)
class Table:
    """One table of the dataset with its rows."""

    name: str
    """Table (and file) name."""
    description: str
    """What one row is."""
    columns: tuple[Column, ...]
    """The columns, in order."""
    rows: tuple[tuple, ...] = ()
    """The rows, each a tuple in column order."""


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


EVALUATION = _c(
    "evaluation", "string", "The evaluation's folder, relative to the folder given (joins every table)."
)

SCHEMA: tuple[Table, ...] = (
    Table(
        "evaluations",
        "One row per evaluation.",
        (
            EVALUATION,
            _c("title", "string", "Title of the evaluation."),
            _c("organisation", "string", "The partnership or establishment."),
            _c("framework", "string", "Framework id, e.g. ci-care-protection-2019."),
            _c("framework_title", "string", "Framework title."),
            _c("programme", "string", "Programme id, if any."),
            _c("period_from", "string", "Start of the period evaluated (ISO date)."),
            _c("period_to", "string", "End of the period evaluated (ISO date)."),
            _c("date", "string", "Date of the evaluation (ISO date)."),
            _c("scale_levels", "int", "How many levels the framework's scale has."),
        ),
    ),
    Table(
        "assessments",
        "One row per indicator (or suite) an evaluation assesses.",
        (
            EVALUATION,
            _c("indicator", "string", "Indicator or suite id, e.g. 2.1 or leadership."),
            _c("title", "string", "Its title."),
            _c("key_question", "string", "Key question id of the indicator (empty for a suite)."),
            _c("lead", "string", "Who leads it."),
            _c("status", "string", "not-started, in-progress, draft, agreed (the assessment's status)."),
            _c("grade", "int", "Agreed grade: the level's value on the framework's scale."),
            _c("grade_label", "string", "Label of the grade, e.g. Good."),
            _c(
                "grade_rank",
                "int",
                "Position of the grade counted from the worst level (0): comparable across "
                "scales with the same number of levels.",
            ),
            _c("rationale", "string", "Why the grade was given."),
        ),
    ),
    Table(
        "notes",
        "One row per strength, area for improvement or next step.",
        (
            EVALUATION,
            _c("indicator", "string", "Indicator or suite id."),
            _c("kind", "string", "strength, improvement or next_step."),
            _c("position", "int", "Order within its kind, from 1."),
            _c("text", "string", "The note."),
        ),
    ),
    Table(
        "proposals",
        "One row per evaluator's proposed grade, before moderation.",
        (
            EVALUATION,
            _c("indicator", "string", "Indicator or suite id."),
            _c("evaluator", "string", "Who proposed it."),
            _c("grade", "int", "Proposed grade (level value)."),
            _c("grade_label", "string", "Label of the proposed grade."),
            _c("date", "string", "When (ISO date)."),
        ),
    ),
    Table(
        "evidence",
        "One row per evidence item.",
        (
            EVALUATION,
            _c("evidence", "string", "Evidence id, e.g. E-k3m9qx."),
            _c("title", "string", "Title."),
            _c("kind", "string", "Kind, e.g. survey, case-file-audit."),
            _c("source", "string", "Triangulation source: data, views, observation or documentation."),
            _c("date", "string", "Date, or start of its period (ISO)."),
            _c("date_to", "string", "End of its period (ISO), if any."),
            _c("agency", "string", "Agency it comes from."),
            _c("submission", "bool", "Whether it goes into the inspection submission."),
            _c("personal_data", "bool", "Whether it may contain personal data."),
        ),
    ),
    Table(
        "evidence_links",
        "One row per link between an evidence item and an indicator.",
        (
            EVALUATION,
            _c("evidence", "string", "Evidence id."),
            _c("indicator", "string", "Indicator id it supports."),
        ),
    ),
    Table(
        "actions",
        "One row per improvement action.",
        (
            EVALUATION,
            _c("action", "string", "Action id, e.g. A-7hq2mx."),
            _c("title", "string", "What will be done."),
            _c("indicator", "string", "Indicator it improves."),
            _c("owner", "string", "Who owns it."),
            _c("due", "string", "Due date (ISO)."),
            _c("status", "string", "Its status."),
            _c("measure", "string", "Name of its measure, if any."),
            _c("unit", "string", "Unit of the measure."),
            _c("baseline", "string", "Baseline value, as written."),
            _c("target", "string", "Target value, as written."),
            _c("current", "string", "Latest value, as written."),
            _c("as_of", "string", "Date of the latest value (ISO)."),
        ),
    ),
    Table(
        "external_grades",
        "One row per grade an inspection gave.",
        (
            EVALUATION,
            _c("indicator", "string", "Indicator or suite id."),
            _c("grade", "int", "The inspection's grade (level value)."),
            _c("grade_label", "string", "Its label."),
            _c("grade_rank", "int", "Position counted from the worst level (0)."),
            _c("source", "string", "The inspection or report."),
            _c("date", "string", "Date (ISO)."),
        ),
    ),
    Table(
        "problems",
        "One row per problem `qiframe check` finds.",
        (
            EVALUATION,
            _c("rule", "string", "Rule id, e.g. weak-triangulation."),
            _c("severity", "string", "error, warning or info."),
            _c("message", "string", "The problem in one sentence."),
            _c("path", "string", "File within the evaluation, if any."),
            _c("line", "int", "Line in that file, if known."),
            _c("indicator", "string", "Indicator concerned, if any."),
            _c("evidence", "string", "Evidence item concerned, if any."),
        ),
    ),
)


def tables(folders: Iterable[str | os.PathLike], today: str = "") -> tuple[Table, ...]:
    """Every table, filled from the evaluations under `folders`."""
    from qiframe import checks
    from qiframe.portfolio import discover

    paths = [Path(f) for f in folders]
    rows: dict[str, list[tuple]] = {t.name: [] for t in SCHEMA}
    for root in discover(paths):
        evaluation = store.load(root)
        key = _key(root, paths)
        for name, row in _facts(key, evaluation, checks.run(evaluation, today=today)):
            rows[name].append(row)
    return tuple(Table(t.name, t.description, t.columns, tuple(rows[t.name])) for t in SCHEMA)


def _key(root: Path, folders: list[Path]) -> str:
    """The folder relative to the folder it was found under; its own name when it was given itself."""
    for base in folders:
        try:
            relative = root.resolve().relative_to(base.resolve())
        except ValueError:
            continue
        return relative.as_posix() if relative.parts else root.resolve().name
    return root.name


def _facts(key: str, ev: model.Evaluation, report) -> Iterator[tuple[str, tuple]]:
    fw, meta = ev.framework, ev.metadata
    scale = fw.scale

    def label(value: int | None) -> str | None:
        level = scale.level(value) if value is not None else None
        return level.label if level else None

    def rank(value: int | None) -> int | None:
        return scale.rank(value) if value is not None and scale.level(value) else None

    yield (
        "evaluations",
        (
            key,
            meta.title,
            meta.organisation or None,
            fw.id,
            fw.title,
            meta.programme or None,
            meta.period_from or None,
            meta.period_to or None,
            meta.evaluation_date or None,
            len(scale.levels),
        ),
    )
    kq_of = {i: kq.id for kq in fw.key_questions for i in kq.indicators}
    order = ev.order
    for ident in sorted(ev.assessments, key=lambda i: (order.get(i, len(order)), i)):
        a = ev.assessments[ident]
        yield (
            "assessments",
            (
                key,
                ident,
                ev.title_of(ident) or None,
                kq_of.get(ident),
                a.lead or None,
                a.status,
                a.grade,
                label(a.grade),
                rank(a.grade),
                a.rationale or None,
            ),
        )
        for kind, notes in (
            ("strength", a.strengths),
            ("improvement", a.improvements),
            ("next_step", a.next_steps),
        ):
            for n, text in enumerate(notes, 1):
                yield "notes", (key, ident, kind, n, text)
        for p in a.proposed:
            yield "proposals", (key, ident, p.by, p.grade, label(p.grade), p.date or None)
    for e in sorted(ev.evidence.values(), key=lambda e: e.id):
        yield (
            "evidence",
            (
                key,
                e.id,
                e.title,
                e.kind,
                e.source,
                e.date or None,
                e.date_to or None,
                e.agency or None,
                e.submission,
                e.personal_data,
            ),
        )
        for ind in e.indicators:
            yield "evidence_links", (key, e.id, ind)
    for act in sorted(ev.actions.values(), key=lambda x: x.id):
        m = act.measure
        yield (
            "actions",
            (
                key,
                act.id,
                act.title,
                act.indicator or None,
                act.owner or None,
                act.due or None,
                act.status,
                *(
                    _text(getattr(m, f)) if m else None
                    for f in ("name", "unit", "baseline", "target", "current", "as_of")
                ),
            ),
        )
    for x in meta.external:
        yield (
            "external_grades",
            (key, x.indicator, x.grade, label(x.grade), rank(x.grade), x.source or None, x.date or None),
        )
    for p in report.problems:
        yield (
            "problems",
            (
                key,
                p.rule,
                p.severity,
                p.message,
                p.path or None,
                p.line,
                p.indicator or None,
                p.evidence or None,
            ),
        )


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def dictionary() -> str:
    """docs/dataset.md: the data dictionary, then worked DuckDB queries (kept in QUERIES)."""
    out = [
        "# The dataset: evaluations as tidy tables",
        "",
        "<!-- Generated by `python -m qiframe.portfolio.dataset > docs/dataset.md`; edit the code, not this "
        "file. -->",
        "",
        "`qiframe export dataset -o DIR [--format parquet|csv] EVALUATION_DIR...` writes one file per table "
        "below (`evaluations.parquet`, …). Each row is one fact; `evaluation` joins the tables. Column names "
        "and types are stable: new columns may be added at the end, none is renamed or retyped. Dates are "
        "ISO text (a date given only as a month or a year keeps that precision). Empty values are null.",
        "",
        "Parquet needs pyarrow (`pip install 'qiframe[dataset]'`); CSV needs nothing more. Parquet is read "
        "by DuckDB, pandas, Polars, Power BI and Spark alike.",
        "",
    ]
    for t in SCHEMA:
        out += [f"## `{t.name}`", "", t.description, "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {c.description} |" for c in t.columns]
        out.append("")
    out += [
        "## Worked queries (DuckDB)",
        "",
        "Run them in DuckDB from the folder the dataset was written to (`duckdb` at a shell, or "
        "`duckdb.sql(...)` in Python). A test runs each of them on a generated dataset.",
        "",
    ]
    for title, sql in QUERIES:
        out += [f"### {title}", "", "```sql", sql.strip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


QUERIES: tuple[tuple[str, str], ...] = (
    (
        "Grade distribution per indicator",
        """
SELECT a.indicator, a.grade, a.grade_label, count(*) AS evaluations
FROM 'assessments.parquet' a
WHERE a.grade IS NOT NULL
GROUP BY ALL
ORDER BY a.indicator, a.grade DESC;
""",
    ),
    (
        "Establishments whose self-evaluation is above the inspection",
        """
SELECT e.organisation, a.indicator, a.grade_label AS self, x.grade_label AS inspection,
       a.grade_rank - x.grade_rank AS levels_above
FROM 'assessments.parquet' a
JOIN 'external_grades.parquet' x USING (evaluation, indicator)
JOIN 'evaluations.parquet' e USING (evaluation)
WHERE a.grade_rank > x.grade_rank
ORDER BY levels_above DESC, e.organisation, a.indicator;
""",
    ),
    (
        "Evidence sources per indicator",
        """
SELECT l.indicator, v.source, count(DISTINCT v.evaluation || '/' || v.evidence) AS items,
       count(DISTINCT v.evaluation) AS evaluations
FROM 'evidence_links.parquet' l
JOIN 'evidence.parquet' v USING (evaluation, evidence)
GROUP BY ALL
ORDER BY l.indicator, v.source;
""",
    ),
)


if __name__ == "__main__":
    import sys

    sys.stdout.write(dictionary())
