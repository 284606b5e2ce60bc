"""Start-up time of `qiframe --version` and `--help`, as ratios to `python -c "import typer"`.

python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse

from timing import PYTHON, QIFRAME, compile_sources, median_seconds, row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    compile_sources()
    typer = median_seconds([PYTHON, "-c", "import typer"], args.runs)
    version = median_seconds([*QIFRAME, "--version"], args.runs)
    help_ = median_seconds([*QIFRAME, "--help"], args.runs)
    print(row('python -c "import typer" (baseline)', typer))
    print(row("qiframe --version", version, typer, "target <= 1.5x"))
    print(row("qiframe --help", help_, typer, "target <= 1.5x"))


if __name__ == "__main__":
    main()
