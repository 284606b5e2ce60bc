"""What `init --from` says it carried forward from last year's evaluation."""

from __future__ import annotations

from pathlib import Path

from qiframe.render import Markup, escape, renderer

ROLLED = "qiframe.rollforward.RollForward"


@renderer(ROLLED, "text")
def rolled_text(r) -> Markup:
    lines = [
        f"Created evaluation {r.root} ({r.framework}) from last year's, with {r.indicators} indicator files.",
        f"  leads carried: {r.leads}; last year's grade shown as context on {r.last_year} (no grade written)",
        f"  open actions carried: {len(r.actions)}"
        + (f" ({', '.join(r.actions)})" if r.actions else "")
        + (f"; finished ones left behind: {len(r.actions_left)}" if r.actions_left else ""),
        f"  evidence carried: {len(r.evidence)}"
        + (f" (dated {r.cutoff} or later)" if r.cutoff else "")
        + (
            f"; left behind: {len(r.evidence_left)} ({', '.join(r.evidence_left)})" if r.evidence_left else ""
        ),
    ]
    if r.crosswalk:
        lines.append(f"  through the crosswalk {Path(r.crosswalk).name}")
    if r.findings:
        lines.append(f"  inspection recommendations carried with their actions: {', '.join(r.findings)}")
    return Markup(escape("\n".join(lines)) + "\n")
