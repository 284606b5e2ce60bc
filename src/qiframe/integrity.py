"""Values read from an evaluation's files, checked against its framework: the one place, at load time.

The schemas check the form of each file alone (a grade is a whole number, a date looks like a date);
what a value means depends on the framework, so a schema cannot say that `grade: 9` is not a level of a
six-point scale. `problems` says it, located at the value, in the same words as a command-line value
gets, and `store.load` refuses the evaluation on the first one. Every command therefore sees only grades
that are levels of the scale, and `status`, `compare` and the exports never have to guess.

Checked here: the framework and programme named in evaluation.yaml, the period, the agreed and proposed
grades of each assessment, and the inspection's grades in `external`. Links from evidence, actions and
statement sections to indicators, themes and units are the `dangling-reference` check: an item linked to
an indicator that a revised framework dropped should be reported by `check`, not stop every command.
`qiframe grade` refuses to grade a member of a suite the programme grades as one (`alone_message` says
what to grade instead); a member's grade written by hand is kept, as the exports show it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from qiframe import model, yamlio
from qiframe.errors import InputError, NotFound
from qiframe.safetext import short


def located(root: str | os.PathLike, relpath: str, where: tuple, message: str) -> InputError:
    """An InputError at the value `where` (a JSON path) of the file `relpath` of the evaluation."""
    path = Path(root) / relpath
    return InputError(message, path, *yamlio.locate(path, where))


def framework_of(root: Path, metadata: model.Metadata, load_framework) -> model.Framework:
    """The evaluation's framework, checked to have its programme; a failure points into evaluation.yaml."""
    from qiframe import frameworks

    try:
        framework = load_framework()
    except NotFound as exc:
        raise located(root, "evaluation.yaml", ("framework",), exc.message) from None
    if metadata.programme:
        try:
            frameworks.programme(framework, metadata.programme)
        except NotFound as exc:
            raise located(root, "evaluation.yaml", ("programme",), exc.message) from None
    return framework


def check(evaluation: model.Evaluation) -> None:
    """Raise the first problem found by `problems`."""
    for relpath, where, message in problems(evaluation):
        raise located(evaluation.root, relpath, where, message)


def problems(evaluation: model.Evaluation) -> Iterator[tuple[str, tuple, str]]:
    """(file relative to the evaluation, JSON path of the value, message) for each value the framework
    does not allow, in the order the files are read."""
    meta = evaluation.metadata
    if meta.period_from and meta.period_to and meta.period_to < meta.period_from:
        yield (
            "evaluation.yaml",
            ("period", "to"),
            f"the period ends ({meta.period_to}) before it starts ({meta.period_from})",
        )
    framework = evaluation.framework
    for a in evaluation.assessments.values():
        scale = framework.scale_for(a.indicator)  # a judged indicator has a scale of its own
        if a.grade is not None and scale.level(a.grade) is None:
            yield a.path, ("grade",), _not_a_level("grade", a.grade, scale)
        for i, proposal in enumerate(a.proposed):
            if scale.level(proposal.grade) is None:
                yield (
                    a.path,
                    ("proposed", i, "grade"),
                    _not_a_level(f"{proposal.by}'s proposed grade", proposal.grade, scale),
                )
    known = evaluation.assessable_ids
    for i, external in enumerate(meta.external):
        if external.indicator not in known:
            yield (
                "evaluation.yaml",
                ("external", i, "indicator"),
                f"the inspection's grade names indicator {short(external.indicator)}, which framework "
                f"{evaluation.framework.id} does not have",
            )
        elif framework.scale_for(external.indicator).level(external.grade) is None:
            yield (
                "evaluation.yaml",
                ("external", i, "grade"),
                _not_a_level(
                    "the inspection's grade", external.grade, framework.scale_for(external.indicator)
                ),
            )


def _not_a_level(what: str, value: int, scale: model.Scale) -> str:
    kind = "judgement" if scale.judgement else "level"
    return (
        f"{what} {short(value)} is not a {kind} of the scale {scale.title or scale.id!r}: {scale.choices()}"
    )


def suite_members(evaluation: model.Evaluation) -> dict[str, model.Suite]:
    """Indicator id -> the suite that the programme grades as one and that covers it."""
    prog = evaluation.programme
    out: dict[str, model.Suite] = {}
    if prog is None:
        return out
    for gid in prog.graded:
        suite = prog.suite(gid)
        if suite is not None:
            out.update(dict.fromkeys(suite.indicators, suite))
    return out


def alone_message(evaluation: model.Evaluation, indicator: str) -> str:
    """Why a suite member takes no grade of its own, and what to grade instead."""
    suite = suite_members(evaluation)[indicator]
    programme = evaluation.metadata.programme  # a suite member has one: suites belong to programmes
    return (
        f"{indicator} is graded together with {', '.join(i for i in suite.indicators if i != indicator)} "
        f"as {suite.id!r} ({suite.title}) in programme {programme}: grade {suite.id} instead"
    )


def check_change(
    evaluation: model.Evaluation,
    relpath: str,
    new: model.Assessment | model.Metadata,
    path: str | os.PathLike,
) -> None:
    """Check one file's new content (`new`, read from `path`, e.g. an editor's copy) as if it replaced
    `relpath` in `evaluation`; raise the first problem in it, located in `path`."""
    from dataclasses import replace

    if isinstance(new, model.Assessment):
        assessments = {k: v for k, v in evaluation.assessments.items() if v.path != relpath}
        evaluation = replace(evaluation, assessments={**assessments, new.indicator: new})
    else:
        root = Path(evaluation.root)
        framework = framework_of(root, new, lambda: _framework(new, root))
        evaluation = replace(evaluation, metadata=new, framework=framework)
    for where_file, where, message in problems(evaluation):
        if where_file == relpath:
            raise InputError(message, path, *yamlio.locate(path, where))


def _framework(metadata: model.Metadata, root) -> model.Framework:
    from qiframe import frameworks

    return frameworks.load(metadata.framework, start=root)
