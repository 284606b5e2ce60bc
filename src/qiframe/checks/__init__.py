"""The check engine: rules over a loaded evaluation, each in its own module.

A rule module defines one function decorated with `@rule(id, severity)`; its docstring explains the rule
and holds a passing and a failing example (rendered into docs/checks.md). A rule receives a `Context`
and yields `Finding`s; the engine applies the evaluation's settings (off, severity, suppressions) and
returns a `Report`.

Settings in evaluation.yaml:

    checks:
      missing-lead: off                      # turn a rule off
      weak-triangulation: {severity: error, threshold: 3}
      stale-evidence: {months: 36}
    suppress:
      - {rule: personal-data, item: E-k3m9qx, reason: "Staff work email, agreed with data protection"}

A suppression names an item by its id: the evidence, action or indicator id, or the unit of a statement
section; it hides that rule's findings for that item only, and must say why.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from qiframe import model
from qiframe.checks._locate import Locator
from qiframe.errors import InputError

SEVERITIES = ("error", "warning", "info")
EVALUATION_FILE = model.EVALUATION_FILE


@dataclass(frozen=True)
class Finding:
    """What a rule reports, before settings are applied."""

    message: str
    """One sentence for the user."""
    path: str = ""
    """File relative to the evaluation folder, e.g. "evidence/E-k3m9qx.yaml"."""
    where: tuple = ()
    """JSON path inside the file, used to find line and column."""
    indicator: str = ""
    """The indicator concerned, if any."""
    evidence: str = ""
    """The evidence id concerned, if any."""
    item: str = ""
    """What a suppression names; defaults to the evidence id, the indicator, or the file's name."""
    severity: str = ""
    """Overrides the rule's severity for this finding (e.g. `ungraded` on ungraded-by-programme QIs)."""


@dataclass(frozen=True)
class Problem:
    """A finding with its rule, effective severity and location."""

    rule: str
    """Rule id."""
    severity: str
    """error, warning or info."""
    message: str
    """One sentence for the user."""
    path: str
    """File relative to the evaluation folder, or ""."""
    line: int | None
    """1-based line in the file, if known."""
    column: int | None
    """1-based column in the file, if known."""
    indicator: str
    """Indicator concerned, or ""."""
    evidence: str
    """Evidence id concerned, or ""."""

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "path": self.path or None,
            "line": self.line,
            "column": self.column,
            "indicator": self.indicator or None,
            "evidence": self.evidence or None,
        }


@dataclass(frozen=True)
class Report:
    """Everything `check` found."""

    problems: tuple[Problem, ...]
    """Problems, sorted by indicator, path and line."""
    suppressed: int = 0
    """How many findings a suppression hid."""
    root: str = ""
    """The evaluation folder the paths are relative to."""
    headings: dict[str, str] = field(default_factory=dict, compare=False)
    """Indicator id -> its heading ("2.1 Safeguarding"), for each indicator a problem names."""

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        return self.count("error") > 0 or (strict and self.count("warning") > 0)

    def summary(self) -> dict:
        return {
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "info": self.count("info"),
            "suppressed": self.suppressed,
        }

    def to_json(self) -> dict:
        return {"problems": [p.to_json() for p in self.problems], "summary": self.summary()}


@dataclass(frozen=True)
class Context:
    """What a rule sees: the evaluation and its own settings."""

    evaluation: model.Evaluation
    """The loaded evaluation."""
    settings: dict[str, Any] = field(default_factory=dict)
    """This rule's settings from evaluation.yaml (a mapping; empty when none)."""
    today: str = ""
    """ISO date the run takes as today (`run`'s `today`, by default `clock.today()`)."""
    shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What several rules derive from the same evaluation, computed once per run (one dict per run)."""

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, or its value from an earlier rule of this run."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    def texts(self) -> list[tuple[str, tuple, str, str, str]]:
        """`iter_text(evaluation)` as a list, collected once per run."""
        return self.once("texts", lambda: list(iter_text(self.evaluation)))

    def linked(self) -> dict[str, list[model.Evidence]]:
        """Evidence by the id it is linked to, built once per run."""
        from qiframe.checks import _scope

        return self.once("linked", lambda: _scope.linked(self.evaluation))


# An option check takes the configured value and returns what is wrong with it, or None when it is fine.
OptionCheck = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    """Rule id, e.g. "weak-triangulation"."""
    severity: str
    """Default severity."""
    function: Callable[[Context], Iterable[Finding]]
    """The check itself."""
    doc: str
    """The docstring: description, then passing and failing examples."""
    enabled: bool = True
    """False for rules that are off unless configured."""
    options: dict[str, OptionCheck] | None = None
    """The rule's settings and a check of each value; None when the rule does not declare them."""
    module: str = ""
    """The module that defines the rule."""


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, enabled: bool = True, options: dict[str, OptionCheck] | None = None):
    """Register a check rule function under an id with a default severity.

    `options` names the settings the rule reads, each with a check of its value; evaluation.yaml is then
    refused when it sets anything else for the rule.
    """
    if severity not in SEVERITIES:
        raise ValueError(severity)

    def register(function: Callable[[Context], Iterable[Finding]]):
        REGISTRY[rule_id] = Rule(
            rule_id,
            severity,
            function,
            (function.__doc__ or "").strip(),
            enabled,
            options,
            function.__module__,
        )
        return function

    return register


def positive_int(value: Any) -> str | None:
    """Option check: a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"expected a whole number of at least 1, found {value!r}"
    return None


def load_rules() -> dict[str, Rule]:
    """Import every rule module of this package (each registers itself); modules named _x are helpers."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def settings_for(evaluation: model.Evaluation, rule_id: str) -> tuple[str | None, dict]:
    """(severity override or "off" or None, options) from evaluation.yaml."""
    raw = evaluation.metadata.checks.get(rule_id)
    if raw is None:
        return None, {}
    if isinstance(raw, str):
        return raw, {}
    options = dict(raw)
    return options.pop("severity", None), options


def validate_settings(evaluation: model.Evaluation, rules: dict[str, Rule]) -> None:
    """Refuse settings that name no rule, options a rule does not have, and suppressions without a reason.

    A typo in a rule id would otherwise silently leave the rule on, so it is an input error located in
    evaluation.yaml.
    """
    path = os.path.join(evaluation.root, EVALUATION_FILE)

    def fail(message: str, where: tuple, key: bool = False) -> None:
        from qiframe import yamlio

        line, column = yamlio.locate(path, where, key=key)
        raise InputError(message, path, line, column)

    for rule_id, raw in evaluation.metadata.checks.items():
        if rule_id not in rules:
            fail(
                f"checks: unknown rule {rule_id!r}{_did_you_mean(rule_id, rules)}",
                ("checks", rule_id),
                key=True,
            )
        declared = rules[rule_id].options
        if not isinstance(raw, dict) or declared is None:
            continue
        for name, value in raw.items():
            if name == "severity":
                continue
            if name not in declared:
                known = ", ".join(["severity", *declared])
                fail(
                    f"checks: {rule_id} has no setting {name!r} (it has: {known})",
                    ("checks", rule_id, name),
                    key=True,
                )
            problem = declared[name](value)
            if problem:
                fail(f"checks: {rule_id}.{name}: {problem}", ("checks", rule_id, name))
    for i, entry in enumerate(evaluation.metadata.suppress):
        if entry.get("rule") not in rules:
            fail(
                f"suppress: unknown rule {entry.get('rule')!r}{_did_you_mean(str(entry.get('rule')), rules)}",
                ("suppress", i, "rule"),
            )
        if not str(entry.get("reason") or "").strip():
            fail(
                "suppress: a suppression needs a reason saying why the finding is acceptable",
                ("suppress", i, "reason") if "reason" in entry else ("suppress", i),
            )


def _did_you_mean(text: str, rules: dict[str, Rule]) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(rules), n=1)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(rules))})"


def run(
    evaluation: model.Evaluation, only: Iterable[str] = (), today: str = "", locate: bool = True
) -> Report:
    """Run the rules (all, or `only`) and apply settings and suppressions.

    Rules that are off unless configured still run when named in `only`. Without `locate`, problems carry
    no line and column (reading files for positions is most of the cost when only counts are wanted).
    """
    from qiframe import clock

    rules = load_rules()
    validate_settings(evaluation, rules)
    only = tuple(only)
    for rule_id in only:
        if rule_id not in rules:
            raise InputError(f"unknown rule {rule_id!r}{_did_you_mean(rule_id, rules)}")
    today = today or clock.today_iso()
    suppressions = {(s["rule"], s["item"]) for s in evaluation.metadata.suppress}
    problems: list[Problem] = []
    suppressed = 0
    locator = Locator(evaluation.root)
    shared: dict[str, Any] = {}
    for rule_id in sorted(set(only) or rules):
        r = rules[rule_id]
        override, options = settings_for(evaluation, rule_id)
        if override == "off" or (not r.enabled and override is None and not options and rule_id not in only):
            continue
        for finding in r.function(Context(evaluation, options, today, shared)):
            item = finding.item or finding.evidence or finding.indicator or _stem(finding.path)
            if (rule_id, item) in suppressions:
                suppressed += 1
                continue
            severity = override or finding.severity or r.severity
            line, column = (
                locator.locate(finding.path, finding.where) if finding.path and locate else (None, None)
            )
            problems.append(
                Problem(
                    rule_id,
                    severity,
                    finding.message,
                    finding.path,
                    line,
                    column,
                    finding.indicator,
                    finding.evidence,
                )
            )
    problems.sort(key=lambda p: (_indicator_key(p.indicator), p.path, p.line or 0, p.column or 0, p.rule))
    return Report(
        tuple(problems),
        suppressed,
        evaluation.root,
        {p.indicator: _heading(evaluation, p.indicator) for p in problems if p.indicator},
    )


def _heading(evaluation: model.Evaluation, indicator: str) -> str:
    found = evaluation.framework.indicators.get(indicator)
    suite = evaluation.programme.suite(indicator) if evaluation.programme else None
    return f"{indicator} {found.title if found else suite.title if suite else ''}".strip()


def _stem(path: str) -> str:
    name = os.path.basename(path)
    return name[:-5] if name.endswith(".yaml") else name


def _indicator_key(indicator: str) -> tuple:
    parts: list[Any] = []
    for part in indicator.split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return (indicator == "", tuple(parts))


def iter_text(evaluation: model.Evaluation) -> Iterator[tuple[str, tuple, str, str, str]]:
    """Every piece of user text that an export could contain: (path, where, text, indicator, evidence).

    Evidence marked `personal_data: true` is left out: exports leave it out too. Rules read it through
    `Context.texts()`, which collects it once per run.
    """
    meta = evaluation.metadata
    for key in ("title", "organisation"):
        value = getattr(meta, key)
        if value:
            yield EVALUATION_FILE, (key,), value, "", ""
    for i, name in enumerate(meta.team):
        yield EVALUATION_FILE, ("team", i), name, "", ""
    for a in evaluation.assessments.values():
        if a.lead:
            yield a.path, ("lead",), a.lead, a.indicator, ""
        for i, name in enumerate(a.contributors):
            yield a.path, ("contributors", i), name, a.indicator, ""
        if a.rationale:
            yield a.path, ("rationale",), a.rationale, a.indicator, ""
        for key in ("strengths", "improvements", "next_steps"):
            for i, text in enumerate(getattr(a, key)):
                yield a.path, (key, i), text, a.indicator, ""
    for e in evaluation.evidence.values():
        if e.personal_data:
            continue
        for key in ("title", "summary", "agency", "owner", "location"):
            value = getattr(e, key)
            if value:
                yield e.path, (key,), value, "", e.id
    for s in evaluation.sections.values():
        for qid, text in s.answers.items():
            yield s.path, ("answers", qid), text, "", ""
    for act in evaluation.actions.values():
        for key in ("title", "improvement", "owner"):
            value = getattr(act, key)
            if value:
                yield act.path, (key,), value, act.indicator, ""
        for i, note in enumerate(act.progress):
            yield act.path, ("progress", i, "text"), note.text, act.indicator, ""
