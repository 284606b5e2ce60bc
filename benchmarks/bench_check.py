"""Time `qiframe check` on a generated 5,000-evidence evaluation against check-jsonschema on the same files.

check-jsonschema validates each evidence file against src/qiframe/schemas/evidence.schema.json and
nothing more; `qiframe check` also validates (on a cold run), then runs every rule over the whole
evaluation. Both are timed as whole processes, alternately, in one run of this script.

`store.load` keeps a parse cache (.qiframe/cache.json), so `check` is timed twice: cold (cache deleted
before every run: every file parsed and validated) and warm (unchanged files come from the cache, the
usual case when a team runs check again after editing a few files).

    .venv/bin/python benchmarks/bench_check.py [--items 5000] [--runs 5]

A last row times the worst case for locating problems: a setting that makes nearly every evidence item
stale, so almost every file gets a finding with a line and column.

Targets (issue 4): warm `check` under 1 s, and faster than check-jsonschema.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from timing import QIFRAME, ROOT, row  # noqa: E402

SCHEMA = ROOT / "src" / "qiframe" / "schemas" / "evidence.schema.json"


def timed(command: list[str], cwd: Path, before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):  # check exits 1 when it finds errors: that is a result, not a failure
        raise SystemExit(
            f"{' '.join(map(str, command))} failed ({result.returncode}): {result.stderr.decode()[-500:]}"
        )
    return elapsed


def in_process(root: Path) -> tuple[float, float]:
    """Seconds for store.load (warm) and checks.run in this process: where a warm run's time goes."""
    from qiframe import checks, store

    checks.load_rules()
    start = time.perf_counter()
    ev = store.load(root)
    loaded = time.perf_counter()
    checks.run(ev)
    return loaded - start, time.perf_counter() - loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    jsonschema_bin = Path(sys.executable).with_name("check-jsonschema")
    if not jsonschema_bin.exists():
        found = shutil.which("check-jsonschema")
        if not found:
            raise SystemExit("check-jsonschema is not installed (pip install check-jsonschema)")
        jsonschema_bin = Path(found)
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "evaluation", args.items)
        # The parse cache ignores files changed in the last two seconds (an edit racing a read).
        time.sleep(2.1)
        files = sorted(str(p.relative_to(root)) for p in (root / "evidence").glob("*.yaml"))
        cache = root / ".qiframe" / "cache.json"
        check = [*QIFRAME, "check", "--format", "json"]
        schema_check = [str(jsonschema_bin), "--schemafile", str(SCHEMA), *files]
        version = [*QIFRAME, "--version"]

        timed(check, root)  # warm the OS file cache and write the parse cache once
        cold, warm, other, startup = [], [], [], []
        for _ in range(args.runs):
            cold.append(timed(check, root, before=lambda: cache.unlink(missing_ok=True)))
            warm.append(timed(check, root))
            other.append(timed(schema_check, root))
            startup.append(timed(version, root))
        load, run = in_process(root)
        # The worst case for locating problems: nearly every evidence file has one.
        with (root / "evaluation.yaml").open("a", encoding="utf-8") as handle:
            handle.write("checks:\n  stale-evidence: {months: 1}\n")
        timed(check, root)
        flagged = [timed(check, root) for _ in range(args.runs)]
        findings = json.loads(subprocess.run(check, cwd=root, capture_output=True).stdout)["summary"]

    cold_s, warm_s, other_s = (statistics.median(x) for x in (cold, warm, other))
    print(f"{args.items} evidence files, median of {args.runs} runs each (ratio to check-jsonschema)")
    print(row("check-jsonschema --schemafile evidence.schema.json", other_s))
    print(row("qiframe check, cold (no parse cache)", cold_s, other_s))
    print(row("qiframe check, warm (parse cache)", warm_s, other_s, "target < 1 s and < check-jsonschema"))
    print(row("  of which: qiframe --version (interpreter + CLI)", statistics.median(startup)))
    print(row("  of which: store.load, warm (in process)", load))
    print(row("  of which: checks.run, all rules (in process)", run))
    print(
        row(
            f"qiframe check, warm, {findings['warnings']:,} warnings located",
            statistics.median(flagged),
            other_s,
        )
    )
    verdict = "met" if warm_s < 1 and warm_s < other_s else "NOT met"
    print(
        f"target {verdict}: warm check {warm_s:.2f} s, {other_s / warm_s:.1f}x faster than check-jsonschema; "
        f"cold check {cold_s:.2f} s ({other_s / cold_s:.1f}x)"
    )


if __name__ == "__main__":
    main()
