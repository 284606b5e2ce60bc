"""What a write costs since every write is a transaction: `evidence add` (and a 500-row `evidence import`)
now, as a ratio to the same command of the code before transactions (commit 67eb938), measured in one run.

    .venv/bin/python benchmarks/bench_write.py [--runs 9] [--items 2000] [--before 67eb938]

The earlier code is taken from git (`git archive`) into a temporary folder and run with PYTHONPATH pointing
at it, from the same Python and libraries; the two are run alternately on copies of one generated
evaluation, so drifting machine load falls on both alike. Target: ratio <= 1.10 (no dearer than before).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from generate import generate
from timing import ENV, PYTHON, ROOT, compile_sources, row


def earlier_source(commit: str, into: Path) -> Path:
    """The `src` tree of an earlier commit, unpacked into a folder; returns the folder to put on PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src", "frameworks"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    import compileall

    compileall.compile_dir(str(into / "src"), quiet=1)
    return into / "src"


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-400:]}")
    return elapsed


def alternate(make_command, envs: dict[str, dict], runs: int, prepare=None) -> dict[str, float]:
    """Median time per variant, the variants run alternately (after one warm-up each)."""
    times: dict[str, list[float]] = {name: [] for name in envs}
    for i in range(runs + 1):
        for name, env in envs.items():
            if prepare:
                prepare(name)
            elapsed = timed(make_command(name), env)
            if i:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--items", type=int, default=2000, help="Evidence items in the evaluation written to."
    )
    parser.add_argument("--before", default="67eb938", help="The commit to compare with.")
    args = parser.parse_args()
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="qiframe-bench-write-") as tmp:
        tmp = Path(tmp)
        old_src = earlier_source(args.before, tmp / "code-before")
        template = generate(tmp / "template", args.items)
        envs = {
            "now": {**ENV, "PYTHONPATH": str(ROOT / "src")},
            "before": {**ENV, "PYTHONPATH": str(old_src)},
        }
        folders = {}
        for name in envs:
            folders[name] = tmp / f"evaluation-{name}"
            shutil.copytree(template, folders[name])
            subprocess.run(
                [PYTHON, "-m", "qiframe", "status", "-e", str(folders[name])],
                env=envs[name],
                check=True,
                capture_output=True,
            )  # warm each one's parse cache
        time.sleep(2.1)  # files younger than 2 s are never cached; let the cache cover every file

        def add(name: str) -> list[str]:
            return [
                PYTHON,
                "-m",
                "qiframe",
                "evidence",
                "add",
                "--title",
                "Benchmark item",
                "--qi",
                "2.1",
                "--source",
                "data",
                "-e",
                str(folders[name]),
            ]

        adds = alternate(add, envs, args.runs)
        register = tmp / "register.csv"
        register.write_text(
            "title,indicators,source\n" + "".join(f"Imported {n},2.1;5.1,views\n" for n in range(500)),
            encoding="utf-8",
        )
        imports = {name: tmp / f"import-{name}" for name in envs}

        def fresh(name: str) -> None:
            shutil.rmtree(imports[name], ignore_errors=True)
            shutil.copytree(folders[name], imports[name])

        def import_(name: str) -> list[str]:
            return [PYTHON, "-m", "qiframe", "evidence", "import", str(register), "-e", str(imports[name])]

        import_times = alternate(import_, envs, max(3, args.runs // 3), prepare=fresh)
    print(f"evaluation of {args.items} evidence items; before = {args.before}; {os.cpu_count()} cores")
    print(row(f"evidence add, before ({args.before})", adds["before"]))
    print(row("evidence add, now (a transaction)", adds["now"], adds["before"], "target <= 1.10x"))
    print(row(f"evidence import 500 rows, before ({args.before})", import_times["before"]))
    print(
        row(
            "evidence import 500 rows, now (one transaction)",
            import_times["now"],
            import_times["before"],
            "target <= 1.10x",
        )
    )


if __name__ == "__main__":
    main()
