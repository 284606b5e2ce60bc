"""Cold reads: `status` on 5,000 items and `aggregate` over 100 evaluations of 100 items, no parse cache.

    .venv/bin/python benchmarks/bench_aggregate.py [--runs 5] [--keep DIR]

A cold read is what a first command pays after a clone or on a new machine, and what `aggregate` pays for
every establishment. Each run deletes the parse caches first. A large first read is shared between the
cores (`qiframe.workers`); the row "in one process" is the same read with `QIFRAME_PROCESSES=1`. The baseline is a fresh Python process doing
`json.load` of the same 5,000 items in one file, measured in the same run; the targets are ratios to it
(status) and an absolute bound on this machine (aggregate).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from run import JSON_LOAD, dump_json
from timing import ENV, PYTHON, compile_sources, row

QIFRAME = [str(Path(PYTHON).with_name("qiframe"))]


def cold_seconds(command: list[str], roots: list[Path], runs: int, env: dict | None = None) -> float:
    """Median wall time of `runs` runs with no parse cache, after a first (uncounted) one; runs=0: one run."""
    times = []
    for i in range(runs + 1 if runs else 1):
        for root in roots:
            (root / ".qiframe" / "cache.json").unlink(missing_ok=True)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-400:]}")
        if i or not runs:
            times.append(elapsed)
    return statistics.median(times)


def paired_ratio(command: list[str], roots: list[Path], baseline: list[str], runs: int) -> float:
    """Median of the ratios of a cold run of `command` to a run of `baseline` just before it: pair by pair,
    so that the figure holds while the machine's speed drifts (the way bench_write.py compares)."""
    ratios = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(baseline, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        base = time.perf_counter() - start
        target = cold_seconds(command, roots, 0)
        if i:
            ratios.append(target / base)
    return statistics.median(ratios)


def warm_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    args = parser.parse_args()
    compile_sources()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qiframe-bench-"))
    base = work / "eval-5000"
    if not base.exists():
        generate(base, 5000)
    many = work / "many"
    if not many.exists():
        template = generate(work / "template-100", 100)
        for n in range(100):
            shutil.copytree(template, many / f"establishment-{n:03d}")
    roots = sorted(many.iterdir())
    json_file = work / "evidence-5000.json"
    dump_json(base, json_file)
    time.sleep(2.1)  # the parse cache ignores files younger than two seconds

    print(f"qiframe cold reads — medians of {args.runs} runs, ratios measured in this run\n")
    baseline = warm_seconds([PYTHON, "-c", JSON_LOAD, str(json_file)], args.runs)
    print(row("python: json.load of the 5,000 items (one file)", baseline))
    status = [*QIFRAME, "status", "--format", "json", "-e", str(base)]
    print(
        row("status, 5,000 items, no parse cache", cold_seconds(status, [base], args.runs), baseline, "<= 8x")
    )
    ratio = paired_ratio(status, [base], [PYTHON, "-c", JSON_LOAD, str(json_file)], args.runs)
    print(f"{'  paired with the baseline, run by run':<48} {'':>11}  {ratio:5.2f}x  <= 8x")
    one = cold_seconds(status, [base], args.runs, {**ENV, "QIFRAME_PROCESSES": "1"})
    print(row("  the same read in one process", one, baseline))
    print(row("status, 5,000 items, parse cache warm", warm_seconds(status, args.runs), baseline))
    aggregate = [*QIFRAME, "aggregate", "--format", "json", str(many)]
    cold = cold_seconds(aggregate, roots, args.runs)
    print(row("aggregate, 100 evaluations x 100 items, no cache", cold, baseline, "< 2 s"))
    print(row("aggregate, 100 x 100, parse caches warm", warm_seconds(aggregate, args.runs), baseline))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
