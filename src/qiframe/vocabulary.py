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

# How each kind is written out, for messages and for matching a register's words ("Case file audit").
KIND_LABELS = {
    "case-file-audit": "case-file audit",
    "survey": "survey",
    "focus-group": "focus group",
    "interview": "interview",
    "performance-data": "performance data",
    "policy-document": "policy document",
    "plan": "plan",
    "minutes": "minutes",
    "observation": "observation",
    "case-study": "case study",
    "report": "report",
    "other": "other",
}

# The triangulation source a kind of evidence is unless the user says otherwise. Kinds not listed (case
# study, report, other) can be any source, and default to DEFAULT_SOURCE.
KIND_SOURCES = {
    "survey": "views",
    "focus-group": "views",
    "interview": "views",
    "observation": "observation",
    "case-file-audit": "data",
    "performance-data": "data",
    "policy-document": "documentation",
    "plan": "documentation",
}
DEFAULT_SOURCE = "documentation"

# Sources a kind can sensibly be; any other is a contradiction the `kind-source-mismatch` rule reports.
# (A survey's results can be presented as quantitative data; a focus group cannot be a policy.)
KIND_ALLOWED_SOURCES = {
    "survey": ("views", "data"),
    "focus-group": ("views",),
    "interview": ("views",),
    "observation": ("observation",),
    "case-file-audit": ("data", "observation"),
    "performance-data": ("data",),
    "policy-document": ("documentation",),
    "plan": ("documentation",),
}


def default_source(kind: str) -> str:
    """The source a kind of evidence is when none is given: a survey holds people's views."""
    return KIND_SOURCES.get(kind, DEFAULT_SOURCE)


# Triangulation, in one place: the sources that count (documentation shows intent rather than impact, so
# it does not) and how many of them an indicator needs unless `weak-triangulation: {threshold: N}` says.
TRIANGULATING = ("data", "views", "observation")
TRIANGULATION_THRESHOLD = 2

# Whose views evidence holds, when the framework names no groups of its own (framework `voices:`).
# Each group says whom it speaks for: children, families, staff, partners or other.
VOICE_GROUPS = (
    ("children-and-young-people", "children and young people", "children"),
    ("care-experienced", "care-experienced young people", "children"),
    ("parents-and-carers", "parents and carers", "families"),
    ("kinship-and-foster-carers", "kinship and foster carers", "families"),
    ("staff", "staff", "staff"),
    ("partners", "partners", "partners"),
    ("other", "others", "other"),
)
VOICE_SPEAKS_FOR = ("children", "families", "staff", "partners", "other")
AGE_BANDS = ("under 8", "8-11", "12-15", "16-17", "18-25")
