"""Time `write_matrix` on 5,000 evidence items x 22 indicators against a bare openpyxl write-only dump.

The bare dump writes the same cells (same sheets, rows and values) with no styles, links, validation or
layout, so the ratio is the price of everything the export adds. Both run in the same process, alternately.

    .venv/bin/python benchmarks/bench_matrix.py [--items 5000] [--repeat 5]

Targets (issue 5): write_matrix under 2 s, and at most 2x the bare dump.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from qiframe import frameworks, model, store
from qiframe.cells import display
from qiframe.exports import matrix

WORDS = (
    "audit",
    "case",
    "file",
    "review",
    "children",
    "families",
    "plan",
    "risk",
    "safety",
    "meeting",
    "multi-agency",
    "chronology",
    "assessment",
    "team",
    "visit",
    "survey",
    "views",
    "parents",
    "carers",
    "staff",
    "training",
    "quality",
    "assurance",
    "improvement",
    "report",
    "minutes",
    "partnership",
    "protection",
    "early",
    "help",
    "wellbeing",
    "outcome",
    "performance",
    "data",
)


def synthetic(items: int, seed: int = 5) -> model.Evaluation:
    """An evaluation of the CI care-and-protection framework (22 indicators) with `items` evidence items."""
    rng = random.Random(seed)
    fw = frameworks.load("ci-care-protection-2019")
    ids = list(fw.indicators)

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()

    evidence = {}
    for i in range(items):
        ident = f"E-{i:06d}"
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(900))
        evidence[ident] = model.Evidence(
            id=ident,
            title=words(rng.randint(4, 10)),
            summary=words(rng.randint(15, 40)) + ".",
            kind=rng.choice(model.EVIDENCE_KINDS),
            source=rng.choice(model.SOURCES),
            date=start.isoformat(),
            date_to=(start + timedelta(days=90)).isoformat() if rng.random() < 0.3 else "",
            agency=rng.choice(("Council", "Health board", "Police Scotland", "Third sector")),
            owner=words(2),
            location=f"https://intranet.example.org/docs/{i}"
            if rng.random() < 0.6
            else f"Shared drive/Evidence/{i}.docx",
            indicators=tuple(rng.sample(ids, rng.randint(1, 4))),
            submission=rng.random() < 0.2,
        )
    assessments = {i: model.Assessment(i, lead=words(2), grade=rng.choice(fw.scale.values)) for i in ids}
    actions = {
        f"A-{i:04d}": model.Action(
            f"A-{i:04d}",
            words(8),
            indicator=rng.choice(ids),
            owner=words(2),
            due="2025-06-30",
            measure=model.Measure("Audits done", "%", 40, 90, 60),
            progress=(model.ProgressNote("2025-01-10", words(12)),),
        )
        for i in range(60)
    }
    meta = model.Metadata(
        "Synthetic evaluation", fw.id, "joint-2018", "Example partnership", "2024-04-01", "2025-03-31"
    )
    return model.Evaluation("/nonexistent", meta, fw, assessments, evidence, actions)


def bare_dump(evaluation: model.Evaluation, path: Path) -> None:
    """The same cells as plain values in a write-only workbook: no styles, links, validation or layout."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    items = sorted(evaluation.evidence.values(), key=lambda e: (e.date, e.id))
    columns = matrix.matrix_columns(evaluation)
    ids = [i for _, group in columns for i in group]

    summary = wb.create_sheet("Summary")
    for _ in range(12):
        summary.append(["Label", "Value"])
    for ind in list(evaluation.assessments) + ["leadership"]:
        summary.append(["Key question", ind, "Title", "Lead", 4, "Good", 10, "views, data", "yes", "agreed"])
    for level in evaluation.framework.scale.levels:
        summary.append([level.value, level.label, level.descriptor])

    sheet = wb.create_sheet("Evidence")
    sheet.append(list(store.EVIDENCE_FIELDS))
    for e in items:
        row = [display(f, getattr(e, f)) or None for f in store.EVIDENCE_FIELDS]
        row[5] = model.parse_date(e.date)
        row[6] = model.parse_date(e.date_to)
        sheet.append(row)

    grid = wb.create_sheet("Matrix")
    grid.append(["Evidence", None] + [None] * len(ids) + ["Total"])
    grid.append(["ID", "Title", *ids, "Total"])
    position = {ind: i for i, ind in enumerate(ids)}
    for e in items:
        marks = [None] * len(ids)
        for ind in e.indicators:
            marks[position[ind]] = "x"
        grid.append([e.id, e.title, *marks, len(e.indicators)])
    grid.append([None, "Total", *([1] * len(ids)), 1])

    tri = wb.create_sheet("Triangulation")
    tri.append(["Key question", "ID", "Title", "a", "b", "c", "d", "Items", "Sources"])
    for ind in ids:
        tri.append(["Key question", ind, "Title", 1, 2, 3, 4, 10, 4])

    acts = wb.create_sheet("Actions")
    acts.append(list(matrix.ACTION_HEADERS))
    for a in evaluation.actions.values():
        acts.append(
            [
                a.id,
                a.title,
                a.indicator,
                "",
                a.owner,
                date(2025, 6, 30),
                a.status,
                "Audits done",
                "%",
                40,
                90,
                60,
                date(2025, 1, 10),
                date(2025, 1, 10),
                a.progress[0].text,
            ]
        )

    lists = wb.create_sheet("Lists")
    for _ in range(len(ids) + 1):
        lists.append(["a", "b", "c", "d"])
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    evaluation = synthetic(args.items)
    ours, bare, ours_cpu, bare_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "matrix.xlsx"
        plain = Path(tmp) / "bare.xlsx"
        matrix.write_matrix(evaluation, out)  # warm imports and caches
        bare_dump(evaluation, plain)
        for _ in range(args.repeat):
            start, cpu = time.perf_counter(), time.process_time()
            matrix.write_matrix(evaluation, out)
            ours.append(time.perf_counter() - start)
            ours_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            bare_dump(evaluation, plain)
            bare.append(time.perf_counter() - start)
            bare_cpu.append(time.process_time() - cpu)
        sizes = out.stat().st_size, plain.stat().st_size
    mine, base = statistics.median(ours), statistics.median(bare)
    ratio = mine / base
    print(
        f"evidence items: {args.items}, indicators: {len(evaluation.framework.indicators)}, runs: {args.repeat}"
    )
    # CPU time is printed too: on a shared machine it is less disturbed by other processes than wall time.
    print(
        f"write_matrix:     median {mine:.3f} s wall, {statistics.median(ours_cpu):.3f} s CPU "
        f"({sizes[0] / 1e6:.1f} MB)"
    )
    print(
        f"bare openpyxl:    median {base:.3f} s wall, {statistics.median(bare_cpu):.3f} s CPU "
        f"({sizes[1] / 1e6:.1f} MB)"
    )
    print(
        f"ratio:            {ratio:.2f}x wall, {statistics.median(ours_cpu) / statistics.median(bare_cpu):.2f}x CPU "
        "(target: under 2 s and at most 2x)"
    )
    return 0 if mine < 2.0 and ratio <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
