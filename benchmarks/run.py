"""Time the main commands on synthetic evaluations and print medians and ratios measured in one run.

    .venv/bin/python benchmarks/run.py [--runs 5] [--large 50000] [--keep DIR]

Every figure is a median of several runs of the real command (a fresh process each time, as a user runs
it), and every target is a ratio to a baseline measured in the same run, because these machines are
shared and absolute times drift. Evaluations are generated once per run with benchmarks/generate.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from timing import PYTHON, compile_sources, median_seconds, once_seconds, peak_memory_mb, row

QIFRAME = [str(Path(PYTHON).with_name("qiframe"))]
CHECK_JSONSCHEMA = str(Path(PYTHON).with_name("check-jsonschema"))
SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "qiframe" / "schemas"

BARE_DUMP = """
import json, sys
from openpyxl import Workbook
items = json.load(open(sys.argv[2], encoding="utf-8"))
indicators = sorted({i for item in items for i in item.get("indicators", [])})
fields = ["id", "title", "summary", "kind", "source", "date", "agency", "owner", "location", "indicators",
          "submission"]
wb = Workbook(write_only=True)
evidence = wb.create_sheet("Evidence")
evidence.append(fields)
for item in items:
    evidence.append([", ".join(v) if isinstance(v, list) else v for v in (item.get(f) for f in fields)])
matrix = wb.create_sheet("Matrix")
matrix.append(["id", "title", *indicators, "total"])
for item in items:
    linked = set(item.get("indicators", []))
    matrix.append([item["id"], item["title"], *("x" if i in linked else None for i in indicators), len(linked)])
wb.save(sys.argv[1])
"""
JSON_LOAD = """
import json, sys
json.load(open(sys.argv[1], encoding="utf-8"))
"""


def commands(root: Path, out: Path) -> dict[str, list[str]]:
    e = ["-e", str(root)]
    return {
        "status": [*QIFRAME, "status", "--format", "json", *e],
        "check": [*QIFRAME, "check", "--format", "json", *e],
        "export matrix": [*QIFRAME, "export", "matrix", "-o", str(out / f"{root.name}.xlsx"), *e],
    }


def dump_json(root: Path, target: Path) -> None:
    """The evaluation's evidence as one JSON file: the floor for loading the same data."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from qiframe import store

    ev = store.load(root)
    target.write_text(json.dumps([store.evidence_record(e) for e in ev.evidence.values()]), encoding="utf-8")


def cold(root: Path) -> None:
    (root / ".qiframe" / "cache.json").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=int, default=50000, help="items in the large evaluation (0 to skip)")
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    args = parser.parse_args()
    compile_sources()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qiframe-bench-"))
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    sizes = [500, 5000] + ([args.large] if args.large else [])
    roots = {}
    for size in sizes:
        root = work / f"eval-{size}"
        if not root.exists():
            started = time.perf_counter()
            generate(root, size)
            print(f"generated {size} items in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        roots[size] = root
    time.sleep(2.1)  # the parse cache ignores files younger than two seconds

    print(f"qiframe benchmarks — medians of {args.runs} runs, ratios measured in this run\n")
    typer = median_seconds([PYTHON, "-c", "import typer"], args.runs * 3)
    print(row('python -c "import typer"', typer))
    print(row("qiframe --version", median_seconds([*QIFRAME, "--version"], args.runs * 3), typer, "<= 1.5x"))
    print(row("qiframe --help", median_seconds([*QIFRAME, "--help"], args.runs * 3), typer, "<= 1.5x"))

    base = roots[5000]
    json_file = work / "evidence-5000.json"
    dump_json(base, json_file)
    json_load = median_seconds([PYTHON, "-c", JSON_LOAD, str(json_file)], args.runs)
    print()
    print(row("python: json.load of the 5,000 items (one file)", json_load))
    for name in ("status", "check"):
        cold(base)
        print(
            row(
                f"{name}, 5,000 items, first run (no parse cache)",
                once_seconds(commands(base, out)[name]),
                json_load,
            )
        )
    times: dict[tuple[str, int], float] = {}
    for name, command in commands(base, out).items():
        times[name, 5000] = median_seconds(command, args.runs, ok_codes=(0, 1))
        target = {"status": "< 1 s", "check": "< 1 s", "export matrix": "< 2 s"}[name]
        print(row(f"{name}, 5,000 items", times[name, 5000], json_load, target))

    evidence_files = sorted(str(p) for p in (base / "evidence").glob("*.yaml"))
    cj = median_seconds(
        [CHECK_JSONSCHEMA, "--schemafile", str(SCHEMAS / "evidence.schema.json"), *evidence_files],
        max(1, args.runs // 2),
    )
    print(row("check-jsonschema on the same evidence files", cj))
    print(row("  qiframe check relative to check-jsonschema", times["check", 5000], cj, "< 1x"))
    bare = median_seconds([PYTHON, "-c", BARE_DUMP, str(out / "bare.xlsx"), str(json_file)], args.runs)
    print(row("bare openpyxl write-only dump of the same cells", bare))
    print(row("  export matrix relative to the bare dump", times["export matrix", 5000], bare, "<= 2x"))

    if args.large:
        large = roots[args.large]
        print()
        for name, command in commands(large, out).items():
            times[name, args.large] = median_seconds(command, max(1, args.runs // 2), ok_codes=(0, 1))
            print(
                row(
                    f"{name}, {args.large:,} items",
                    times[name, args.large],
                    times[name, 5000],
                    "<= 12x the 5,000-item time",
                )
            )
            if name == "status":
                cold(large)
                print(row(f"  first run, {args.large:,} items (no parse cache)", once_seconds(command)))
            memory = peak_memory_mb(command)
            print(f"{'  peak memory':<48} {memory:8.0f} MB          < 500 MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
