"""Write docs/checks.md from the rule docstrings: `python -m qiframe.checks._docs [--check]`.

Each rule's docstring is its documentation: a description, then "Passes:" and "Fails:" each followed by
an indented example. The page is generated so it cannot drift from the code; `--check` exits 1 when the
file on disk is out of date, and any rule without both examples stops generation.
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from qiframe.checks import REGISTRY, Rule, load_rules

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "docs" / "checks.md"


@dataclass(frozen=True)
class RuleDoc:
    """A rule's docstring taken apart."""

    description: str
    """Everything before "Passes:"."""
    passes: str
    """The passing example, dedented."""
    fails: str
    """The failing example, dedented."""


class Undocumented(ValueError):
    """A rule whose docstring lacks a description or an example."""


def parse(rule: Rule) -> RuleDoc:
    """Split a rule's docstring into description and examples, or raise Undocumented naming the gap."""
    lines = textwrap.dedent(_after_first(rule.doc)).splitlines()
    first = rule.doc.splitlines()[0].strip() if rule.doc else ""
    try:
        p = next(i for i, line in enumerate(lines) if line.strip() == "Passes:")
        f = next(i for i, line in enumerate(lines) if line.strip() == "Fails:")
    except StopIteration:
        raise Undocumented(
            f'rule {rule.id} ({rule.module}): the docstring needs a "Passes:" and a "Fails:" example'
        ) from None
    if not first or f < p:
        raise Undocumented(
            f"rule {rule.id} ({rule.module}): the docstring needs a description, then "
            '"Passes:", then "Fails:"'
        )
    description = "\n".join([first, *lines[:p]]).strip()
    passes = textwrap.dedent("\n".join(lines[p + 1 : f])).strip("\n")
    fails = textwrap.dedent("\n".join(lines[f + 1 :])).strip("\n")
    if not passes.strip() or not fails.strip():
        raise Undocumented(f"rule {rule.id} ({rule.module}): an example is empty")
    return RuleDoc(description, passes, fails)


def _after_first(doc: str) -> str:
    # The summary line sits right after the quotes, unindented; the rest carries the code's indent.
    return doc.split("\n", 1)[1] if "\n" in doc else ""


INTRO = """\
# Check rules

<!-- Generated from the rule docstrings by `python -m qiframe.checks._docs`; do not edit by hand. -->

`qiframe check` runs these rules over an evaluation and reports each problem as
`path:line:col: severity rule message`. It exits 0 when nothing fails, 1 when there is an error (or a
warning, with `--strict`), and 2 when a file cannot be read. `--format json` gives `problems` and a
`summary` for scripts; `--format github` gives workflow annotations; `--rule ID` runs chosen rules only.

Rules are set in `evaluation.yaml`: turn one off, change its severity or a setting, or suppress one
finding for one item (an evidence, action or indicator id, or a statement unit) with a reason. An
unknown rule id, an unknown setting or a suppression without a reason is refused.

Each rule below shows a passing and a failing example, and the test suite runs both. An example shows
only the files that matter (each after a comment naming it) in an evaluation that is otherwise complete;
`<1180 words>` stands for an answer of that many words.

```yaml
checks:
  missing-lead: off
  weak-triangulation: {severity: error, threshold: 3}
  stale-evidence: {months: 36}
suppress:
  - rule: personal-data
    item: E-k3m9qx
    reason: The address is the team's shared work mailbox.
```
"""


def render(rules: dict[str, Rule]) -> str:
    """The whole page for these rules, in id order."""
    ordered = [rules[k] for k in sorted(rules)]
    docs = {r.id: parse(r) for r in ordered}
    out = [INTRO, "| rule | default severity | what it finds |", "|---|---|---|"]
    for r in ordered:
        summary = docs[r.id].description.split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        out.append(
            f"| [`{r.id}`](#{r.id}) | {r.severity}{' (off unless configured)' if not r.enabled else ''} "
            f"| {summary} |"
        )
    for r in ordered:
        d = docs[r.id]
        settings = f" Settings: {', '.join(f'`{o}`' for o in r.options)}." if r.options else ""
        out += [
            "",
            f"## {r.id}",
            "",
            f"Default severity: **{r.severity}**{' (off unless configured)' if not r.enabled else ''}."
            f"{settings}",
            "",
            _reflow(d.description),
            "",
            "Passes:",
            "",
            "```yaml",
            d.passes,
            "```",
            "",
            "Fails:",
            "",
            "```yaml",
            d.fails,
            "```",
        ]
    return "\n".join(out) + "\n"


def _reflow(text: str) -> str:
    """Paragraphs as single lines, so the Markdown does not depend on the docstring's wrapping."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    path = Path(paths[0]) if paths else DEFAULT_PATH
    try:
        text = render(load_rules())
    except Undocumented as exc:
        print(f"qiframe: error: {exc}", file=sys.stderr)
        return 1
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if check:
        if current != text:
            print(f"{path} is out of date: run python -m qiframe.checks._docs", file=sys.stderr)
            return 1
        return 0
    if current != text:
        from qiframe import yamlio

        yamlio.atomic_write(path, text)
    print(f"{path}: {len(REGISTRY)} rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
