"""Cold reads: `status` on 5,000 items and `aggregate` over 100 evaluations of 100 items, no parse cache.

    .venv/bin/python benchmarks/bench_aggregate.py [--runs 9] [--keep DIR]

A cold read is what a first command pays after a clone or on a new machine, and what `aggregate` pays for
every establishment; a cold run deletes the parse caches first. A large first read is shared between the
cores (`qiframe.workers`); the row "in one process" is the same read with `QIFRAME_PROCESSES=1`.

The baseline is a fresh Python process doing `json.load` of the same 5,000 items in one file. Every row
is measured pair by pair: the baseline runs just before each run of the command, and the ratio shown is
the median of the pairs' ratios, so that it holds while a shared machine's speed drifts (medians taken
minutes apart do not). The targets are a ratio (status) and an absolute bound on this machine (aggregate).
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
from timing import ENV, PYTHON, compile_sources

QIFRAME = [str(Path(PYTHON).with_name("qiframe"))]


def seconds(command: list[str], cold: list[Path], env: dict) -> float:
    """Wall time of one run of `command`, after deleting the parse caches of the folders in `cold`."""
    for root in cold:
        (root / ".qiframe" / "cache.json").unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def paired(
    command: list[str], baseline: list[str], runs: int, cold: list[Path] = (), env: dict | None = None
) -> tuple[float, float, float]:
    """(median seconds of `command`, median seconds of the baseline, median ratio of the pairs), after
    one uncounted pair."""
    times, bases, ratios = [], [], []
    for i in range(runs + 1):
        base = seconds(baseline, [], ENV)
        elapsed = seconds(command, list(cold), env or ENV)
        if i:
            times.append(elapsed)
            bases.append(base)
            ratios.append(elapsed / base)
    return statistics.median(times), statistics.median(bases), statistics.median(ratios)


def line(name: str, figures: tuple[float, float, float], target: str = "") -> str:
    elapsed, _, ratio = figures
    return f"{name:<48} {elapsed * 1000:8.1f} ms  {ratio:5.2f}x  {target}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
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

    print(f"qiframe cold reads — medians of {args.runs} runs, each paired with a run of the baseline\n")
    baseline = [PYTHON, "-c", JSON_LOAD, str(json_file)]
    status = [*QIFRAME, "status", "--format", "json", "-e", str(base)]
    cold = paired(status, baseline, args.runs, [base])
    print(f"{'python: json.load of the 5,000 items (one file)':<48} {cold[1] * 1000:8.1f} ms")
    print(line("status, 5,000 items, no parse cache", cold, "<= 8x"))
    one = {**ENV, "QIFRAME_PROCESSES": "1"}
    print(line("  the same read in one process", paired(status, baseline, args.runs, [base], one)))
    print(line("status, 5,000 items, parse cache warm", paired(status, baseline, args.runs)))
    aggregate = [*QIFRAME, "aggregate", "--format", "json", str(many)]
    print(
        line(
            "aggregate, 100 evaluations x 100 items, no cache",
            paired(aggregate, baseline, args.runs, roots),
            "< 2 s",
        )
    )
    print(line("aggregate, 100 x 100, parse caches warm", paired(aggregate, baseline, args.runs)))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
