"""Generate synthetic evaluations for the benchmarks: N evidence items over the 22 indicators.

    python benchmarks/generate.py DIR --items 5000

Files are written directly (JSON strings are valid YAML scalars), so 50,000 items take seconds; the
result is a normal evaluation that every qiframe command accepts.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from qiframe import store

AGENCIES = [
    "Council social work",
    "NHS health visiting",
    "Police Scotland",
    "Education services",
    "Children's Reporter",
    "Third-sector family support",
    "Housing services",
]
KINDS = [
    "case-file-audit",
    "survey",
    "focus-group",
    "performance-data",
    "policy-document",
    "observation",
    "minutes",
    "plan",
    "report",
    "case-study",
    "interview",
]
SOURCE_OF = {
    "case-file-audit": "data",
    "survey": "views",
    "focus-group": "views",
    "performance-data": "data",
    "policy-document": "documentation",
    "observation": "observation",
    "minutes": "documentation",
    "plan": "documentation",
    "report": "documentation",
    "case-study": "observation",
    "interview": "views",
}
SUBJECTS = [
    "child protection planning meetings",
    "initial referral discussions",
    "chronologies",
    "care plans for looked-after children",
    "pathway plans for young people leaving care",
    "family support outcomes",
    "multi-agency training",
    "participation of young people",
    "quality assurance of assessments",
    "team around the child meetings",
]
FINDINGS = ["most", "the majority of", "almost all", "less than half of", "a few"]


def generate(folder: Path, items: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    root = store.init(
        folder,
        "ci-care-protection-2019",
        "risk-of-harm-2021",
        title="Benchmark evaluation",
        organisation="Synthetic partnership",
        period=("2025-04-01", "2026-03-31"),
    )
    indicators = list(store.load(root).framework.indicators)
    taken: set[str] = set()
    for n in range(items):
        ident = store.new_id("evidence", taken)
        taken.add(ident)
        kind = rng.choice(KINDS)
        subject = rng.choice(SUBJECTS)
        linked = sorted(rng.sample(indicators, rng.randint(1, 4)), key=indicators.index)
        title = f"{kind.replace('-', ' ').capitalize()} of {subject}, sample {n}"
        summary = (
            f"Shows that {rng.choice(FINDINGS)} {subject} met the expected standard, "
            "with clear recording of the views of children and families."
        )
        lines = [
            store.header("evidence").rstrip("\n"),
            f"id: {ident}",
            f"title: {json.dumps(title)}",
            f"summary: {json.dumps(summary)}",
            f"kind: {kind}",
            f"source: {SOURCE_OF[kind]}",
            f"date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"agency: {json.dumps(rng.choice(AGENCIES))}",
            "owner: Quality assurance team",
            f"location: https://intranet.example/evidence/{ident}",
            "indicators:",
            *[f"  - '{i}'" for i in linked],
        ]
        if rng.random() < 0.3:
            lines.append("submission: true")
        (root / "evidence" / f"{ident}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i, ind in enumerate(indicators):
        path = root / "indicators" / f"{ind}.yaml"
        store.write_new(
            path,
            "indicator",
            {
                "indicator": ind,
                "lead": f"Lead officer {i + 1}",
                "status": "draft",
                "grade": 4 if ind == "2.1" else None,
                "rationale": "Strengths outweigh the areas to improve.",
                "strengths": ["Relationships are stable"],
                "improvements": ["Plans vary in quality"],
            }
            if ind == "2.1"
            else {"indicator": ind, "lead": f"Lead officer {i + 1}", "status": "draft"},
        )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    root = generate(args.folder, args.items)
    print(f"{root}: {args.items} evidence items")


if __name__ == "__main__":
    main()
