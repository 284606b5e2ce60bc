"""Time `summarise_records` and `qiframe records summarise` on a 100,000-row record-reading CSV.

Run: .venv/bin/python benchmarks/bench_records.py [ROWS]

Prints the median of 3 runs of each stage and its ratio to a bare `csv.reader` pass over the same file,
the floor any CSV-based summary pays. Target: the whole command under 5 s.
"""

from __future__ import annotations

import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qiframe import frameworks
from qiframe.analysis import records
from qiframe.imports.tables import read_table

RUNS = 3
TARGET_SECONDS = 5.0
ITEMS = ("Chronology", "Assessment", "Plan", "Review", "Risk assessment", "Child's views")
YES_NO = ("Child seen alone", "IRD held")
LABELS = {6: "Excellent", 5: "Very good", 4: "Good", 3: "Adequate", 2: "Weak", 1: "Unsatisfactory"}


def generate(path: Path, rows: int) -> None:
    rng = random.Random(2025)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Record", "Agency", *ITEMS, *YES_NO])
        for i in range(rows):
            grades = []
            for _ in ITEMS:
                value = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6))
                grades.append(LABELS[value] if rng.random() < 0.3 else str(value))
            answers = [rng.choice(("yes", "yes", "no", "n/a", "")) for _ in YES_NO]
            writer.writerow(
                [f"R{i:06d}", rng.choice(("SW", "Health", "Education", "Police")), *grades, *answers]
            )


def median_time(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    fw = frameworks.load("ci-care-protection-2019")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        generate(path, rows)
        size = path.stat().st_size / 1024 / 1024
        print(f"{rows:,} rows, {len(ITEMS) + len(YES_NO)} items, {size:.1f} MiB; median of {RUNS} runs")

        def bare() -> None:
            with path.open(newline="", encoding="utf-8") as handle:
                for _ in csv.reader(handle):
                    pass

        def summarise() -> None:
            records.summarise_records(read_table(path), fw.scale, fw.quantity_terms)

        def summarise_by() -> None:
            records.summarise_records(read_table(path), fw.scale, fw.quantity_terms, by="Agency")

        def command() -> None:
            subprocess.run(
                [sys.executable, "-m", "qiframe", "records", "summarise", str(path), "--format", "json"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        floor = median_time(bare)
        table = read_table(path)
        results = [
            ("bare csv.reader pass", floor),
            ("read_table", median_time(lambda: read_table(path))),
            (
                "summarise_records (table in memory)",
                median_time(lambda: records.summarise_records(table, fw.scale, fw.quantity_terms)),
            ),
            ("read_table + summarise_records", median_time(summarise)),
            ("read_table + summarise_records --by Agency", median_time(summarise_by)),
            ("qiframe records summarise (subprocess)", median_time(command)),
        ]
    for name, seconds in results:
        print(f"  {name:<45} {seconds:7.3f} s  {seconds / floor:6.1f}x bare")
    whole = results[-1][1]
    verdict = "within" if whole < TARGET_SECONDS else "OVER"
    print(f"whole command {whole:.2f} s: {verdict} the {TARGET_SECONDS:g} s target")
    return 0 if whole < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
