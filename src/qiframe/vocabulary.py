"""Fixed vocabularies of qiframe's files, kept apart from the dataclasses so importing them is cheap."""

# How far a printed title (indicator, theme, key question, area, programme unit, scale text, quantity
# table) can be trusted. Only "confirmed" means the wording was compared with a source and matches it:
# - confirmed:   the wording matches the cited source (the provenance names the source and what was compared);
# - paraphrased: the source publishes this item, but the words are qiframe's restatement of it;
# - assumed:     qiframe's best understanding, not checked against any source (recollection, or borrowed
#                from a neighbouring document);
# - unofficial:  not the publisher's wording: a title qiframe wrote where the official one is unknown, or
#                one found only in an unofficial copy.
# "unconfirmed" and "disputed" are the earlier names, still read in users' own framework files.
PROVENANCE_STATUSES = ("confirmed", "paraphrased", "assumed", "unofficial", "unconfirmed", "disputed")

# What a partnership recorded about a title in its evaluation.yaml (`wording:`): it checked the wording
# against its own copy of the framework ("confirmed"), or replaced it with that copy's wording ("replaced").
PARTNERSHIP_CHECKS = ("confirmed", "replaced")

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
