"""What `describe`, `records summarise|agreement` and `survey summarise` hand to the rendering layer: the
summary with the framework whose scale and quantity terms it used (and the evidence item it recorded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qiframe import model


@dataclass(frozen=True)
class Proportion:
    """A quantity term for a percentage or for K of N (`quantities.describe` / `describe_count`)."""

    found: Any
    framework: model.Framework
    warning: str = ""
    """What to say about a percentage that looks like a fraction typed as a percentage, or nothing."""


@dataclass(frozen=True)
class RecordsReport:
    summary: Any
    """A `records.RecordsSummary`."""
    framework: model.Framework
    evidence: Any = None
    """The evidence item the summary was recorded as (an `evidence.Recorded`), or None."""


@dataclass(frozen=True)
class SurveyReport:
    summary: Any
    """A `surveys.SurveySummary`."""
    framework: model.Framework
    evidence: Any = None


@dataclass(frozen=True)
class AgreementReport:
    summary: Any
    """An `agreement.AgreementSummary`."""
    framework: model.Framework
