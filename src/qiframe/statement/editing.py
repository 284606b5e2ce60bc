"""Editing one position statement section in $EDITOR, validated before it is saved."""

from __future__ import annotations

from pathlib import Path

from qiframe import citations, model, store, yamlio
from qiframe.errors import InputError
from qiframe.statement import DRAFT_MARKER, find_unit, require_units


def edit_section(evaluation: model.Evaluation, unit: str, again=None) -> list[str]:
    """Open a unit's section in $EDITOR (starting from an empty one), validated before it is saved.

    Returns lines to show: the outcome, then any citation of an id the register lacks. A new section is
    written only if the user writes something, so opening and closing the editor leaves no trace. When the
    saved text no longer holds the draft marker, the `draft` flag is cleared in the same write: a person
    has taken it over. An invalid edit is never thrown away (see `qiframe.editor`); `again` is the
    question whether to edit an invalid text again (`editor.edit_file`).
    """
    from qiframe import editor

    programme = require_units(evaluation)
    u = find_unit(programme, unit)
    root = Path(evaluation.root)
    section = evaluation.sections.get(u.id)
    relpath = section.path if section else f"{store.FOLDERS['section']}/{u.id}.yaml"
    questions = {q.id for q in programme.questions}

    def known_questions(data: dict, path) -> None:
        for key in data.get("answers") or {}:
            if key not in questions:
                line, column = yamlio.locate(path, ("answers", key), key=True)
                raise InputError(
                    f"{key!r} is not a question of programme {programme.id} "
                    f"(questions: {', '.join(q.id for q in programme.questions)})",
                    path,
                    line,
                    column,
                )

    cleared = [False]

    def clear_draft_flag(tx: store.Transaction, data: dict) -> None:
        answers = data.get("answers") or {}
        if data.get("draft") and not any(DRAFT_MARKER in (text or "") for text in answers.values()):
            tx.edit(relpath, "section", lambda doc: store.set_field(doc, "draft", None, ()))
            cleared[0] = True

    outcome = editor.edit_file(
        root,
        relpath,
        "section",
        known_questions,
        start=_skeleton(programme, u),
        finish=clear_draft_flag,
        again=again,
    )
    if section is None and outcome.endswith("unchanged"):
        return [f"{relpath}: unchanged; nothing saved"]
    if cleared[0]:
        outcome += " (draft flag cleared: the draft marker is gone)"
    data = yamlio.load(root / relpath) if (root / relpath).exists() else {}
    lines = [outcome]
    for qid, text in (data.get("answers") or {}).items():
        lines += [
            f"warning: {u.id} ({qid}) cites {i}, which is not in the evidence register"
            for i in citations.cited_ids(text or "")
            if i not in evaluation.evidence
        ]
    return lines


def _skeleton(programme: model.Programme, unit: model.Unit) -> str:
    """A new section file: the unit and its questions as comments, every answer empty."""
    lines = [
        store.header("section").rstrip("\n"),
        f"# {unit.id}: {' '.join(unit.title.split())}",
        "# Write each answer below its question. Start a bullet with '- ', leave a blank line between",
        "# paragraphs, and cite evidence by id in square brackets: [E-k3m9qx] or [E-k3m9qx, E-p4r7tz].",
        f'unit: "{unit.id}"',
        "answers:",
    ]
    for q in programme.questions:
        lines += [f"  # {' '.join(q.text.split())}", f"  {q.id}: |", ""]
    return "\n".join(lines) + "\n"


def save_answers(root: str | Path, unit: str, answers: dict[str, str]) -> list[str]:
    """Replace a unit's answers (a page's editor), keeping the file's comments; returns lines to show.

    Questions not named in `answers` keep their text. A section file is created from the skeleton when
    there is none. When no answer holds the draft marker any more, the `draft` flag is cleared. The lines
    are the outcome, then a warning for each citation of an id the register lacks.
    """
    with store.transaction(root) as tx:
        return _save_answers(tx, unit, answers)


def _save_answers(tx: store.Transaction, unit: str, answers: dict[str, str]) -> list[str]:
    evaluation = (
        tx.evaluation
    )  # read inside the lock: what the page saves is merged into the file as it is now
    programme = require_units(evaluation)
    u = find_unit(programme, unit)
    questions = [q.id for q in programme.questions]
    for key, text in answers.items():
        if key not in questions:
            raise InputError(
                f"{key!r} is not a question of programme {programme.id} (questions: {', '.join(questions)})"
            )
        if "\x00" in text:
            raise InputError("an answer cannot contain a NUL character")
    section = evaluation.sections.get(u.id)
    relpath = section.path if section else f"{store.FOLDERS['section']}/{u.id}.yaml"
    cleaned = {
        k: "\n".join(line.rstrip() for line in v.replace("\r\n", "\n").split("\n")).strip("\n")
        for k, v in answers.items()
    }

    def mutate(doc):
        if doc.get("answers") is None:
            doc["answers"] = yamlio.to_commented({})
        for qid in questions:  # in the programme's order, whatever order the form sent
            if qid in cleaned and (cleaned[qid] or qid in doc["answers"]):
                doc["answers"][qid] = yamlio.to_commented(cleaned[qid]) if cleaned[qid] else ""
        texts = [str(t or "") for t in doc["answers"].values()]
        if doc.get("draft") and not any(DRAFT_MARKER in t for t in texts):
            store.set_field(doc, "draft", None, ())

    before = tx.text(relpath)
    if before is None:  # a new section starts from the skeleton; both are written together, or neither
        tx.write_text(relpath, "section", _skeleton(programme, u), validate=False)
    tx.edit(relpath, "section", mutate)
    changed = tx.text(relpath) != before
    lines = [f"{relpath}: {'saved' if changed else 'unchanged'}"]
    for qid, text in cleaned.items():
        lines += [
            f"warning: {u.id} ({qid}) cites {i}, which is not in the evidence register"
            for i in citations.cited_ids(text)
            if i not in evaluation.evidence
        ]
    return lines
