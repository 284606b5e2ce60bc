"""Reading a position statement edited in Word back into the section files.

The document is read by the headings `qiframe export statement` writes: a Heading 1 per unit ("S1 – …"),
under it a Heading 2 per question of the programme, and the answer's paragraphs and bullets below. Other
headings (grades, word count, evidence, anything a person added) and what follows them are reported as
ignored. Citations as the export numbers them (`[E3]`, `[E3, E7]`) are mapped back to evidence ids through
the document's own evidence appendix, checked against the numbering the evaluation gives now; an
`[E-k3m9qx]` typed in Word is taken as it is.

An answer whose text reads the same as the export of the current file is left exactly as it is. In a
changed answer, paragraphs the person did not touch keep their source text (ids, line breaks); only the
changed ones are written from the document.

A document with unresolved tracked changes is refused, saying how many: taking only some of the text would
silently mix versions. Comments are listed, with the section they are in.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qiframe import model, statement, store
from qiframe.errors import InputError
from qiframe.imports.changes import FileChange, apply

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRACKED = {"ins": "insertion", "del": "deletion", "moveFrom": "move", "moveTo": "move"}
# qiframe's own paragraph styles in the export (see exports.statement_docx).
DRAFT_STYLE = "draft note"
MISSING_STYLE = "missing answer"
WORDS_STYLE = "word count"
MISSING_TEXT = "No answer yet."
APPENDIX_HEADING = "evidence"

_BRACKETS = re.compile(r"\[([^\[\]\n]{1,400})\]")
_LISTED = re.compile(r"^(?P<label>E\d+)\s*[–—:.-]\s*(?P<title>.+)$")
_TOKEN = re.compile(r"^(?:E0*(?P<number>\d+)|(?P<withheld>withheld)|(?P<id>E-[A-Za-z0-9]+)\??)$")


@dataclass(frozen=True)
class AnswerPlan:
    """What importing one answer would do."""

    unit: str
    question: str
    """The question id."""
    action: str
    """"changed" or "unchanged"."""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    where: str
    """The unit and question it is attached to, or "outside the sections"."""


@dataclass(frozen=True)
class StatementImport:
    """The outcome of reading a Word statement against the sections, before anything is written."""

    path: str
    answers: tuple[AnswerPlan, ...]
    """Every answer found in the document, in document order."""
    matched: tuple[str, ...]
    """How headings were matched, one line each."""
    ignored: tuple[str, ...]
    """What was left out and why."""
    comments: tuple[Comment, ...]
    citations: str
    """Where the evidence numbers were read from."""
    words: dict[str, int] = field(default_factory=dict)
    """Words per unit after the import."""
    shares: dict[str, float | None] = field(default_factory=dict)
    total: int = 0
    word_limit: int | None = None

    @property
    def changed(self) -> list[AnswerPlan]:
        return [a for a in self.answers if a.action == "changed"]

    def diff(self, answer: AnswerPlan) -> list[str]:
        name = f"{answer.unit} ({answer.question})"
        return list(
            difflib.unified_diff(
                answer.old.splitlines(),
                answer.new.splitlines(),
                f"{name} now",
                f"{name} from Word",
                lineterm="",
            )
        )

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "answers": [
                {"unit": a.unit, "question": a.question, "action": a.action, "diff": self.diff(a)}
                for a in self.answers
            ],
            "matched": list(self.matched),
            "ignored": list(self.ignored),
            "citations": self.citations,
            "comments": [dataclasses.asdict(c) for c in self.comments],
            "words": self.words,
            "shares": self.shares,
            "total": self.total,
            "word_limit": self.word_limit,
        }


# --- reading the document ------------------------------------------------------------------------------


@dataclass
class _Para:
    kind: str
    """paragraph, bullet, draft, missing, words, heading1, heading2."""
    text: str
    comments: tuple[str, ...] = ()


def _open(path: Path):
    if path.suffix.casefold() != ".docx":
        raise InputError("a statement edited in Word is a .docx file", path)
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError("no such file", path) from None
    if size > MAX_BYTES:
        raise InputError(
            f"the file is {size / 2**20:.1f} MiB, over the limit of {MAX_BYTES // 2**20} MiB", path
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise InputError("the document unpacks to more than 200 MiB", path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputError("not a Word .docx document", path) from None
    from docx import Document

    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises several types for a file that is not a Word document
        raise InputError(f"not a Word .docx document ({type(exc).__name__})", path) from None


def tracked_changes(doc) -> dict[str, int]:
    """Unresolved tracked changes in the body, by kind (insertion, deletion, move)."""
    counts: dict[str, int] = {}
    for tag, kind in TRACKED.items():
        found = sum(1 for _ in doc.element.body.iter(f"{W}{tag}"))
        if found:
            counts[kind] = counts.get(kind, 0) + found
    return counts


def _style(paragraph) -> str:
    try:
        return (paragraph.style.name or "").casefold()
    except (KeyError, AttributeError, ValueError):
        return ""


def _kind(paragraph) -> str:
    style = _style(paragraph)
    heading = re.fullmatch(r"heading ([12])", style)
    if heading:
        return f"heading{heading[1]}"
    if style == DRAFT_STYLE:
        return "draft"
    if style == MISSING_STYLE:
        return "missing"
    if style == WORDS_STYLE:
        return "words"
    ppr = paragraph._p.pPr
    if style.startswith("list bullet") or (ppr is not None and ppr.numPr is not None):
        return "bullet"
    return "paragraph"


def _paragraph_text(paragraph) -> str:
    return " ".join(paragraph.text.replace("\u00a0", " ").split())


def _walk(doc):
    """Body paragraphs and tables in order: ("p", _Para) or ("table", table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, doc)
            ids = tuple(
                el.get(f"{W}id") for el in child.iter(f"{W}commentRangeStart", f"{W}commentReference")
            )
            yield "p", _Para(_kind(paragraph), _paragraph_text(paragraph), tuple(dict.fromkeys(ids)))
        elif child.tag == f"{W}tbl":
            yield "table", Table(child, doc)


def _key(text: str) -> str:
    return " ".join(text.replace("–", "-").replace("—", "-").split()).casefold().rstrip(".?")


# --- evidence numbers ----------------------------------------------------------------------------------


def _numbering(evaluation: model.Evaluation, appendix_rows: list[tuple[str, str]], ignored: list[str]):
    """Evidence number -> id, from the document's appendix checked against today's numbering."""
    built = statement.build_statement(evaluation, grades=False)
    now = {e.number: e.evidence.id for e in built.appendix}
    if not appendix_rows:
        return now, "the numbering the evaluation gives now (the document has no evidence list)"
    by_title: dict[str, list[str]] = {}
    for item in evaluation.evidence.values():
        by_title.setdefault(_loose(item.title), []).append(item.id)
    numbers: dict[int, str] = {}
    for label, title in appendix_rows:
        match = re.fullmatch(r"E0*(\d+)", label.strip())
        if not match:
            continue
        number = int(match[1])
        current = now.get(number)
        # The list may show the title, or a file name made from it ("E07 – Survey of children.pdf").
        if current and _loose(evaluation.evidence[current].title) in _loose(title):
            numbers[number] = current
            continue
        titled = by_title.get(_loose(re.sub(r"^E\d+\s*[–—:.-]\s*|\.[A-Za-z0-9]{2,4}$", "", title)), [])
        if len(titled) == 1:
            numbers[number] = titled[0]
        elif current:
            numbers[number] = current
            ignored.append(
                f"evidence list: E{number} is titled {title!r} in the document but is "
                f"{evaluation.evidence[current].title!r} now; taken as {current}"
            )
        else:
            ignored.append(f"evidence list: E{number} ({title!r}) matches no item of the register")
    return numbers, "the document's evidence list"


def _loose(text: str) -> str:
    """Letters and digits only: a title and the file name made from it ("E07 – Survey.pdf") compare equal."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _appendix_rows(table) -> list[tuple[str, str]]:
    rows = []
    for row in table.rows[1:]:
        cells = row.cells
        if len(cells) < 2:
            continue
        label = _paragraph_text(cells[0].paragraphs[0]) if cells[0].paragraphs else ""
        title = _paragraph_text(cells[1].paragraphs[0]) if cells[1].paragraphs else ""
        rows.append((label, title))
    return rows


class _Unresolved(Exception):
    pass


def _to_source(text: str, numbers: dict[int, str], withheld: list[str]) -> str:
    """A paragraph as read in Word with its citations turned back into evidence ids."""

    def replace(match: re.Match) -> str:
        tokens = [t.strip() for t in re.split(r"[,;]", match[1])]
        parsed = [_TOKEN.match(t) for t in tokens]
        if not tokens or not all(parsed):
            return match[0]  # "[sic]", "[1]": not a citation
        ids = []
        for token, m in zip(tokens, parsed, strict=True):
            assert m is not None  # all(parsed) above
            if m["number"]:
                ident = numbers.get(int(m["number"]))
                if ident is None:
                    raise _Unresolved(f"cites {token}, which is not in the document's evidence list")
                ids.append(ident)
            elif m["withheld"]:
                if not withheld:
                    raise _Unresolved(
                        "cites [withheld], which stands for an item with personal data that this "
                        "paragraph did not cite before; cite it by id in qiframe instead"
                    )
                ids.append(withheld.pop(0))
            else:
                ids.append(m["id"])
        return "[" + ", ".join(ids) + "]"

    return _BRACKETS.sub(replace, text)


# --- answers -------------------------------------------------------------------------------------------


def _source_blocks(text: str) -> list[tuple[str, str, str, bool]]:
    """(kind, joined text, raw source, blank line before it) per block of an answer, split as
    `statement.split_blocks` splits it."""
    blocks = statement.split_blocks(text)
    raws: list[list[str]] = []
    gaps: list[bool] = []
    kinds: list[str] = []
    current: list[str] | None = None
    blank = False
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            current, blank = None, True
            continue
        if (
            line == statement.DRAFT_MARKER
            or statement._BULLET.match(line)
            or current is None
            or not (kinds[-1] == "paragraph" or raw[:1].isspace())
        ):
            kind = (
                "draft"
                if line == statement.DRAFT_MARKER
                else ("bullet" if statement._BULLET.match(line) else "paragraph")
            )
            current = [raw]
            raws.append(current)
            kinds.append(kind)
            gaps.append(blank)
            if kind == "draft":
                current = None
        else:
            current.append(raw)
        blank = False
    if len(raws) != len(blocks):  # cannot happen while both follow the same rules; fall back to joined text
        return [(k, b, _render(k, b), True) for k, b in blocks]
    return [(k, b, "\n".join(r), g) for (k, b), r, g in zip(blocks, raws, gaps, strict=True)]


def _render(kind: str, text: str) -> str:
    return "- " + text if kind == "bullet" else text


def _merge(original: str, shown: list[str], paras: list[_Para], numbers, personal: set[str]) -> str:
    """The new answer: untouched blocks keep their source, changed ones come from the document."""
    source = _source_blocks(original)
    theirs = [_key_text(p.kind, p.text) for p in paras]
    ours = [_key_text(k, t) for (k, _, _, _), t in zip(source, shown, strict=True)]
    out: list[tuple[str, str, int | None]] = []  # (kind, text, index in the original)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if op == "equal":
            out += [(source[i][0], source[i][2], i) for i in range(i1, i2)]
        elif op in ("replace", "insert"):
            # A block that reads differently only because its numbers moved keeps its source text.
            candidates = {_canonical(source[i][0], source[i][1]): i for i in range(i1, i2)}
            # "[withheld]" stands for the personal-data items the replaced blocks cited, in order.
            withheld = [x for i in range(i1, i2) for x in _cited(source[i][1]) if x in personal]
            for p in paras[j1:j2]:
                if p.kind == "draft":
                    out.append(("draft", statement.DRAFT_MARKER, None))
                    continue
                converted = _to_source(p.text, numbers, withheld)
                same = candidates.pop(_canonical(p.kind, converted), None)
                if same is not None:
                    out.append((source[same][0], source[same][2], same))
                else:
                    out.append((p.kind, _render(p.kind, converted), None))
    pieces = []
    for n, (kind, text, index) in enumerate(out):
        if n:
            before_kind, _, before_index = out[n - 1]
            if index is not None and before_index is not None and index == before_index + 1:
                pieces.append("\n\n" if source[index][3] else "\n")  # as the file had it
            else:
                pieces.append("\n" if kind == "bullet" and before_kind == "bullet" else "\n\n")
        pieces.append(text)
    return "".join(pieces)


def _canonical(kind: str, text: str) -> str:
    """A block in source form, compared ignoring spacing and how the ids of one citation are separated."""
    from qiframe import citations

    joined = citations.CITATION.sub(lambda m: "[" + ", ".join(citations.ids_in(m)) + "]", text)
    return _key_text(kind, joined)


def _key_text(kind: str, text: str) -> str:
    return f"{'bullet' if kind == 'bullet' else 'text'}:{' '.join(text.split())}"


def plan_import(evaluation: model.Evaluation, path: str | Path) -> StatementImport:
    """Read the document and compare every answer with the section files; nothing is written."""
    path = Path(path)
    doc = _open(path)
    tracked = tracked_changes(doc)
    if tracked:
        total = sum(tracked.values())
        kinds = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in tracked.items())
        raise InputError(
            f"the document has {total} unresolved tracked change{'s' if total != 1 else ''} "
            f"({kinds}); accept or reject them in Word (Review → Accept/Reject → All), save, and "
            "import again. Nothing was written.",
            path,
        )
    programme = statement.require_units(evaluation)
    units = {u.id: u for u in programme.units}
    questions = {_key(q.text): q for q in programme.questions}
    matched: list[str] = []
    ignored: list[str] = []
    found: dict[tuple[str, str], list[_Para]] = {}
    comment_where: dict[str, str] = {}
    appendix: list[tuple[str, str]] = []
    unit: model.Unit | None = None
    question: model.Question | None = None
    other: str | None = None
    for kind, item in _walk(doc):
        if kind == "table":
            if other is not None and _key(other) == APPENDIX_HEADING:
                appendix += _appendix_rows(item)
            elif unit is not None:
                ignored.append(f"a table under {unit.id} (tables are not part of an answer)")
            continue
        p = item
        where = (
            f"{unit.id} ({question.id})"
            if unit and question
            else (unit.id if unit else "outside the sections")
        )
        for cid in p.comments:
            comment_where.setdefault(cid, where)
        if p.kind == "heading1":
            unit, question, other = _unit_for(p.text, units), None, None
            if unit is None:
                other = p.text
                if _key(p.text) == APPENDIX_HEADING:
                    matched.append(
                        f"heading {p.text!r} → the evidence list, read for the numbers of citations"
                    )
                else:
                    ignored.append(
                        f"heading {p.text!r} and the text under it: not a unit of programme {programme.id}"
                    )
            else:
                matched.append(f"heading {p.text!r} → unit {unit.id}")
            continue
        if p.kind == "heading2":
            if unit is None:
                continue
            question = questions.get(_key(p.text))
            if question is None:
                ignored.append(
                    f"{unit.id}: heading {p.text!r} and the text under it: not a question of the programme"
                )
            else:
                matched.append(f"{unit.id}: heading {p.text!r} → question {question.id}")
                found.setdefault((unit.id, question.id), [])
            continue
        if unit is None and other is not None and _key(other) == APPENDIX_HEADING:
            listed = _LISTED.match(
                p.text
            )  # an evidence list written as lines: "E07 – Survey of children.pdf"
            if listed:
                appendix.append((listed["label"], listed["title"]))
            continue
        if unit is None or question is None or not p.text:
            continue
        if p.kind == "words":
            continue  # the export's word count line, not part of an answer
        if p.kind == "missing" and p.text == MISSING_TEXT:
            continue
        if p.kind == "missing":
            p = _Para("paragraph", p.text)
        if p.kind == "draft" and p.text != statement.DRAFT_MARKER:
            p = _Para("paragraph", p.text)
        found[(unit.id, question.id)].append(p)
    if not found:
        raise InputError(
            "no unit headings of the position statement found (Heading 1 such as "
            f"{programme.units[0].id + ' – …'!r} with the questions as Heading 2); is this a "
            "statement exported by qiframe?",
            path,
        )
    for u in programme.units:
        if not any(key[0] == u.id for key in found):
            ignored.append(f"{u.id}: not in the document; its section is left as it is")
    numbers, citations_from = _numbering(evaluation, appendix, ignored)
    shown = _shown_blocks(evaluation)
    answers = []
    problems = []
    for (unit_id, qid), paras in found.items():
        section = evaluation.sections.get(unit_id)
        old = (section.answers.get(qid) or "") if section else ""
        mine = shown.get((unit_id, qid), [])
        if [_key_text(k, t) for k, t in mine] == [_key_text(p.kind, p.text) for p in paras]:
            answers.append(AnswerPlan(unit_id, qid, "unchanged", old, old))
            continue
        personal = {i for i, e in evaluation.evidence.items() if e.personal_data}
        try:
            new = _merge(old, [t for _, t in mine], paras, numbers, personal)
        except _Unresolved as exc:
            problems.append(f"{unit_id} ({qid}) {exc}")
            continue
        action = "unchanged" if new.strip() == old.strip() else "changed"
        answers.append(AnswerPlan(unit_id, qid, action, old, new if action == "changed" else old))
    if problems:
        raise InputError(
            f"{problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
            + "; nothing was written",
            path,
        )
    comments = tuple(
        Comment(
            c.author or "",
            " ".join((c.text or "").split()),
            comment_where.get(str(c.comment_id), "outside the sections"),
        )
        for c in _comments(doc)
    )
    words, shares, total = _words(evaluation, answers)
    return StatementImport(
        str(path),
        tuple(answers),
        tuple(matched),
        tuple(ignored),
        comments,
        citations_from,
        words,
        shares,
        total,
        programme.word_limit,
    )


def _unit_for(text: str, units: dict[str, model.Unit]) -> model.Unit | None:
    key = _key(text)
    for u in units.values():
        ident = u.id.casefold()
        if (
            key == ident
            or re.match(rf"{re.escape(ident)}\s*[-:.]\s", key + " ")
            or key.startswith(ident + " ")
        ):
            return u
    return None


def _cited(text: str) -> list[str]:
    from qiframe import citations

    out = []
    for match in citations.CITATION.finditer(text or ""):
        out += citations.ids_in(match)
    return out


def _comments(doc) -> list:
    try:
        return list(doc.comments)
    except Exception:  # a document without a comments part
        return []


def _shown_blocks(evaluation: model.Evaluation) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Per (unit, question), the blocks as the export shows them now (missing placeholders left out)."""
    built = statement.build_statement(evaluation, grades=False)
    programme = statement.require_units(evaluation)
    out = {}
    for section in built.sections:
        for q, part in zip(programme.questions, section.parts, strict=True):
            out[(section.id, q.id)] = [(b.kind, b.text) for b in part.blocks if b.kind != "missing"]
    return out


def _words(evaluation: model.Evaluation, answers: list[AnswerPlan]):
    sections = dict(evaluation.sections)
    for a in answers:
        if a.action != "changed":
            continue
        current = sections.get(a.unit) or model.Section(a.unit, {}, False, f"statement/{a.unit}.yaml")
        sections[a.unit] = dataclasses.replace(current, answers={**current.answers, a.question: a.new})
    built = statement.build_statement(dataclasses.replace(evaluation, sections=sections), grades=False)
    return {s.id: s.words for s in built.sections}, {s.id: s.share for s in built.sections}, built.words


# --- writing -------------------------------------------------------------------------------------------


def apply_import(root: str | Path, plan: StatementImport, evaluation: model.Evaluation) -> tuple[str, ...]:
    """Write every changed answer at once (one file per unit)."""
    by_unit: dict[str, dict[str, str]] = {}
    for a in plan.changed:
        by_unit.setdefault(a.unit, {})[a.question] = a.new
    order = tuple(q.id for q in statement.require_units(evaluation).questions)
    changes = []
    for unit_id, new in by_unit.items():
        section = evaluation.sections.get(unit_id)
        relpath = section.path if section else f"{store.FOLDERS['section']}/{unit_id}.yaml"
        changes.append(FileChange(relpath, "section", _mutation(new, order), {"unit": unit_id}))
    before = {u: evaluation.sections.get(u) for u in by_unit}

    def verify(current: model.Evaluation) -> None:
        for unit_id, section in before.items():
            now = current.sections.get(unit_id)
            if (now.answers if now else None) != (section.answers if section else None):
                raise InputError(
                    f"{unit_id} changed while the import was being prepared, so nothing was "
                    "written; run the import again",
                    plan.path,
                )

    return apply(root, changes, verify)


def _mutation(new: dict[str, str], order: tuple[str, ...]):
    def mutate(doc) -> None:
        from qiframe import yamlio

        if doc.get("answers") is None:
            doc["answers"] = yamlio.to_commented({})
        answers = doc["answers"]
        for qid, text in new.items():
            if qid in answers:
                answers[qid] = yamlio.to_commented(text)
            else:
                store.set_field(answers, qid, text, order)
        if doc.get("draft") and not any(statement.DRAFT_MARKER in (t or "") for t in answers.values()):
            del doc["draft"]  # a person has taken the text over

    return mutate
