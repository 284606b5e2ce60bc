"""How long each page of `qiframe serve` takes to render for the bundled example, in-process.

    .venv/bin/python benchmarks/bench_web.py [--runs N] [--evaluation DIR]

Each page is requested through Starlette's TestClient (the whole application: the guard, the route, the
load of the evaluation, the template), once to warm up, then N times; the median is printed against the
200 ms target. The evaluation is copied to a temporary folder first, so the example is never touched.
The start-up of the other commands is measured by bench_startup.py: `qiframe --help` imports nothing of the
server (tests/test_web.py checks that too).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "evaluations" / "example-partnership"
PAGES = (
    "/",
    "/indicators/2.1",
    "/evidence",
    "/evidence?qi=2.1&source=views",
    "/evidence/E-pnj2q4",
    "/statement",
    "/statement/S1",
    "/actions",
    "/downloads",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--evaluation", type=Path, default=EXAMPLE, help="the evaluation to copy and serve")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    warnings.filterwarnings("ignore", message="Using .httpx. with .starlette.testclient.")
    from starlette.testclient import TestClient

    from qiframe.web.app import create_app

    with tempfile.TemporaryDirectory(prefix="qiframe-bench-web-") as tmp:
        root = Path(tmp) / "evaluation"
        shutil.copytree(args.evaluation, root, ignore=shutil.ignore_patterns(".qiframe"))
        client = TestClient(create_app(root, "bench", 8000), base_url="http://127.0.0.1:8000")
        client.get("/?token=bench")
        time.sleep(2.1)  # the parse cache ignores files younger than two seconds
        print(
            f"qiframe serve — median render time of each page of {args.evaluation.name}, {args.runs} runs\n"
        )
        worst = 0.0
        for page in PAGES:
            if client.get(page).status_code != 200:
                print(f"{page:<36} (not in this evaluation)")
                continue
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
            median = statistics.median(times)
            worst = max(worst, median)
            print(f"{page:<36} {median * 1000:8.1f} ms   < 200 ms {'ok' if median < 0.2 else 'OVER'}")
        print(f"\nslowest page: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
