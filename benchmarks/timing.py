"""Small helpers shared by the benchmark scripts: run a command several times and report medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Measure what a user gets: byte-code cached. Some shells set PYTHONDONTWRITEBYTECODE, which would make
# qiframe recompile its sources on every run while the installed libraries it is compared with do not.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_sources() -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)


QIFRAME = [PYTHON, "-m", "qiframe"]


def median_seconds(
    command: list[str],
    runs: int = 7,
    cwd: str | Path | None = None,
    check: bool = True,
    ok_codes: tuple[int, ...] = (0,),
) -> float:
    """Median wall time of a command over `runs` runs (after one warm-up run)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        elapsed = time.perf_counter() - start
        if check and result.returncode not in ok_codes:
            raise SystemExit(
                f"{' '.join(map(str, command))} failed ({result.returncode}): {result.stderr.decode()[-500:]}"
            )
        if i:
            times.append(elapsed)
    return statistics.median(times)


def once_seconds(command: list[str], cwd: str | Path | None = None) -> float:
    """Wall time of a single run (for cold-cache figures, which a repeat would warm)."""
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV
    )
    return time.perf_counter() - start


def peak_memory_mb(command: list[str], cwd: str | Path | None = None) -> float:
    """Peak resident memory of one run of a command, in MB (Linux and macOS).

    A fresh wrapper process runs the command as its only child, so ru_maxrss is that command's peak.
    """
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True, env=ENV
    )
    peak = int(out.stdout.strip())
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def row(name: str, seconds: float, baseline: float | None = None, target: str = "") -> str:
    ratio = f"{seconds / baseline:5.2f}x" if baseline else "      "
    return f"{name:<48} {seconds * 1000:8.1f} ms  {ratio}  {target}"
