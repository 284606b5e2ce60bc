"""Fixed vocabularies of qiframe's files, kept apart from the dataclasses so importing them is cheap."""

# Where a title or theme was confirmed. Users see the non-confirmed ones marked so they can check them.
PROVENANCE_STATUSES = ("confirmed", "unofficial", "unconfirmed", "disputed")

# The four kinds of evidence used to triangulate a judgement.
SOURCES = ("data", "views", "observation", "documentation")
SOURCE_LABELS = {
    "data": "quantitative data",
    "views": "people's views",
    "observation": "direct observation",
    "documentation": "documentation",
}

EVIDENCE_KINDS = (
    "case-file-audit",
    "survey",
    "focus-group",
    "interview",
    "performance-data",
    "policy-document",
    "plan",
    "minutes",
    "observation",
    "case-study",
    "report",
    "other",
)

ASSESSMENT_STATUSES = ("not-started", "in-progress", "draft", "agreed")
ACTION_STATUSES = ("not-started", "in-progress", "done", "dropped")
