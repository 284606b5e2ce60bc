"""Reading and writing an evaluation folder.

    evaluation.yaml          metadata and settings
    indicators/<id>.yaml     one assessment per indicator (or suite graded as one)
    evidence/<id>.yaml       one evidence item per file
    actions/<id>.yaml        one improvement action per file
    statement/<unit>.yaml    one position statement section per programme unit
    .qiframe/                local copies of the schemas, the parse cache and the lock (not shared)

One file per item means two people adding different items on separate branches never conflict.

Every write is a transaction (`with store.transaction(root) as tx:`): it takes the evaluation's lock,
loads what it changes inside the lock (`tx.evaluation`, `tx.read`), stages new, edited (round-trip,
keeping comments) and removed files, validating each, and when the block ends without an exception
commits them all-or-nothing through a journal under `.qiframe/` (see `qiframe.journal`). An exception
writes nothing; so does a write that fails validation or that the operating system refuses (disk full,
read-only folder), which is reported as a clear error naming the file. The public functions below
(`add_evidence`, `edit_assessment`, `edit`, …) are each one transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qiframe import (
    clock,
    conflicts,
    frameworks,
    integrity,
    journal,
    model,
    notices,
    periods,
    schemas,
    vocabulary,
    workers,
    yamlio,
)
from qiframe.errors import InputError, NotFound

EVALUATION_FILE = model.EVALUATION_FILE
FOLDERS = {"indicator": "indicators", "evidence": "evidence", "action": "actions", "section": "statement"}
ID_FIELDS = {"indicator": "indicator", "evidence": "id", "action": "id", "section": "unit"}
PRIVATE = ".qiframe"
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: ids are read aloud and typed
ID_PREFIX = {"evidence": "E-", "action": "A-", "finding": "F-"}
DATE_FIELDS = {"date", "date_to", "due", "as_of", "from", "to"}
EVIDENCE_FIELDS = model.EVIDENCE_FIELDS
METADATA_FIELDS = (
    "qiframe",
    "title",
    "framework",
    "programme",
    "organisation",
    "period",
    "date",
    "team",
    "agencies",
    "checks",
    "suppress",
    "external",
    "findings",
    "wording",
    "statement",
)
ASSESSMENT_FIELDS = (
    "indicator",
    "lead",
    "contributors",
    "status",
    "grade",
    "proposed",
    "rationale",
    "strengths",
    "improvements",
    "next_steps",
    "last_year",
)


# --- finding -----------------------------------------------------------------------------------------


def find_root(evaluation: str | os.PathLike | None = None) -> Path:
    """The evaluation folder: the one given, or the one containing the current folder."""
    if evaluation is not None:
        root = Path(evaluation)
        if not (root / EVALUATION_FILE).is_file():
            raise InputError(f"not an evaluation folder (no {EVALUATION_FILE})", root)
        return root
    try:
        here = Path.cwd()
    except FileNotFoundError:
        raise InputError(
            "the current folder no longer exists (was it deleted or moved?); change to an existing "
            "folder, or pass {evaluation} DIR with a full path",
            options=("evaluation",),
        ) from None
    for folder in (here, *here.parents):
        if (folder / EVALUATION_FILE).is_file():
            return folder
    raise InputError(
        "no evaluation here: run inside an evaluation folder or pass {evaluation} DIR "
        "(start one with `qiframe init`)",
        options=("evaluation",),
    )


# --- loading -----------------------------------------------------------------------------------------


def load(root: str | os.PathLike) -> model.Evaluation:
    """The whole evaluation, validated. Unchanged files come from the parse cache."""
    with _no_cycle_collection():
        return _load(Path(root))


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an evaluation is read.

    A read makes hundreds of thousands of objects (a few dozen per file) and none of them in a cycle, yet
    the collector would walk all of them again each time enough new ones pile up: a twentieth of the
    first read of a large evaluation, for nothing. Reference counting frees everything as usual.
    """
    import gc

    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _load(root: Path) -> model.Evaluation:
    for name in (PRIVATE, *FOLDERS.values()):
        if (root / name).exists() and not (root / name).is_dir():
            raise InputError("should be a folder, but is a file: rename or remove it", root / name)
    if journal.pending(root) and not _holds_lock(root):
        with writing(root):  # finishes (or undoes) an interrupted write before anything is read
            pass
    cache = yamlio.ParseCache(root / PRIVATE / "cache.json")
    meta_path = root / EVALUATION_FILE
    meta_stat = yamlio.file_stat(meta_path)
    meta_data = cache.get(EVALUATION_FILE, meta_stat)
    if meta_data is None:
        meta_data = _read(meta_path, "evaluation")
        assert meta_data is not None  # without a list of copies, _read raises rather than skipping
        cache.put(EVALUATION_FILE, meta_stat, meta_data)
    metadata = build_metadata(meta_data)
    seen: set[str] = set()
    copies: list[conflicts.ConflictCopy] = []
    # Not while holding the lock: a forked copy would hold it too, until it exits.
    shared = not _HELD.__dict__.get("roots")

    def start(kind: str, known: frozenset[str] = frozenset()) -> _Reading:
        """The files of a folder, in name order: their data from the cache when unchanged, the rest being
        read (on every core when there are many, as in the first read of a large evaluation)."""
        reading = _Reading([], [], workers.each(str, []))  # nothing to read
        folder = root / FOLDERS[kind]
        if not folder.is_dir():
            return reading
        every = {name for name in os.listdir(folder) if not name.startswith(".")}
        fresh: list[str] = []
        base = os.fspath(folder) + os.sep  # paths as text: a Path per file costs more than a cached read
        for name in sorted(every):
            if conflicts.is_candidate(name):
                copy = conflicts.copy_of(name, every, FOLDERS[kind], known)
                if copy is not None:
                    reading.copies.append(copy)
                    continue
            if not name.endswith(".yaml"):
                continue
            path = base + name
            key = f"{FOLDERS[kind]}/{name}"
            seen.add(key)
            if key in cache.entries:
                try:
                    data = cache.get(key, yamlio.file_stat(path))
                except InputError as exc:
                    data = workers.Failed(exc)
                if data is not None:
                    reading.found.append((key, data))
                    continue
            reading.found.append((key, None))
            fresh.append(path)
        if shared and workers.processes(len(fresh)) > 1:
            yamlio.ready()  # the parser is loaded before any copy is forked, so that copies share it
            schemas.ready(kind)
        reading.read = workers.each(lambda path: _read_item(path, kind), fresh, shared=shared)
        return reading

    def finish(reading: _Reading) -> list[tuple[str, dict]]:
        """The files' data; the first file in order that is wrong raises, as when they are read one by one."""
        copies.extend(reading.copies)
        done: list[tuple[str, dict]] = []
        with contextlib.closing(reading.read):  # stopping at an error stops any copies still reading
            for key, data in reading.found:
                if data is None:
                    data = next(reading.read)
                    if isinstance(data, conflicts.ConflictCopy):
                        copies.append(data)
                        continue
                    if not isinstance(data, workers.Failed):
                        stat, data = data
                        cache.put(key, stat, data)
                if isinstance(data, workers.Failed):
                    raise data.error
                done.append((key, data))
        return done

    # Evidence, the most files by far, is read first: forked copies read it while this process reads the
    # framework and the assessments, whose errors are still reported before any evidence file's.
    evidence_reading = start("evidence")
    with contextlib.closing(evidence_reading.read):
        framework = integrity.framework_of(
            root, metadata, lambda: frameworks.load(metadata.framework, start=root, cache=cache)
        )
        if metadata.wording:
            from qiframe import wording

            framework = wording.apply(framework, metadata.wording, meta_path)
        aliases = framework.aliases
        renamed: list[tuple[str, str, str]] = []

        def current(ident: str, key: str) -> str:
            if ident in aliases:
                renamed.append((key, ident, aliases[ident]))
                return aliases[ident]
            return ident

        known = (
            frozenset(framework.indicators)
            | frozenset(s.id for p in framework.programmes for s in p.suites)
            | frozenset(aliases)
        )
        assessments = _assessments(root, finish(start("indicator", known)), aliases, current)
        evidence_files = finish(evidence_reading)
    action_files, section_files = finish(start("action")), finish(start("section"))
    cache.keep_only(seen | {EVALUATION_FILE} | {k for k in cache.entries if k.startswith("framework:")})
    # Every file is read: the cache is saved by a copy of this process while this one builds the
    # evaluation from the files (when the cache is large and forking is safe; else it is saved first).
    with workers.alongside(cache.save, len(cache.entries) if cache.dirty else 0, shared=shared):
        evaluation = _evaluation(
            root, metadata, framework, assessments, (evidence_files, action_files, section_files), current
        )
        evaluation = dataclasses.replace(evaluation, renamed=tuple(renamed))  # all noted by now
        integrity.check(evaluation)
    copies += _root_copies(root)
    if copies:
        notices.notify(_copies_notice(copies))
    return dataclasses.replace(evaluation, conflict_copies=tuple(copies))


@dataclass
class _Reading:
    """A folder's files being read (`_load`'s `start`): what the cache had, and the rest coming in."""

    found: list[tuple[str, Any]]
    """(key, data) in name order; data None for a file being read, `workers.Failed` for one that failed."""
    copies: list[conflicts.ConflictCopy]
    """Conflict copies recognised by their names."""
    read: Any
    """The data of the files being read, in order (from `workers.each`)."""


def _assessments(
    root: Path, files: list[tuple[str, dict]], aliases: dict[str, str], current: Callable[[str, str], str]
) -> dict[str, model.Assessment]:
    assessments: dict[str, model.Assessment] = {}
    for key, d in files:
        a = build_assessment(d, key)
        if aliases and a.indicator in aliases:
            a = dataclasses.replace(a, indicator=current(a.indicator, key))
        if a.indicator in assessments:
            raise InputError(
                f"{a.indicator} is assessed twice: in {assessments[a.indicator].path} and here "
                "(one uses the indicator's earlier id); keep one file",
                root / key,
                1,
                1,
            )
        assessments[a.indicator] = a
    return assessments


def _evaluation(
    root: Path,
    metadata: model.Metadata,
    framework: model.Framework,
    assessments: dict[str, model.Assessment],
    files: tuple[list[tuple[str, dict]], list[tuple[str, dict]], list[tuple[str, dict]]],
    current: Callable[[str, str], str],
) -> model.Evaluation:
    """The evaluation built from the data of its evidence, action and statement files (`files`);
    `current(id, key)` gives an indicator's current id, noting a renamed one."""
    evidence_files, action_files, section_files = files
    aliases = framework.aliases
    evidence = {}
    for key, d in evidence_files:
        e = build_evidence(d, key)
        if aliases and (set(e.indicators) | {t.split(":", 1)[0] for t in e.themes}) & set(aliases):
            e = dataclasses.replace(
                e,
                indicators=tuple(current(i, key) for i in e.indicators),
                themes=tuple(_renamed_theme(t, aliases, lambda i, k=key: current(i, k)) for t in e.themes),
            )
        evidence[e.id] = e
    actions = {}
    for key, d in action_files:
        action = build_action(d, key)
        if action.indicator in aliases:
            action = dataclasses.replace(action, indicator=current(action.indicator, key))
        actions[action.id] = action
    if aliases and metadata.external:
        metadata = dataclasses.replace(
            metadata,
            external=tuple(
                dataclasses.replace(x, indicator=current(x.indicator, EVALUATION_FILE))
                for x in metadata.external
            ),
        )
    sections = {
        d["unit"]: model.Section(d["unit"], dict(d.get("answers", {})), d.get("draft", False), key)
        for key, d in section_files
    }
    return model.Evaluation(str(root), metadata, framework, assessments, evidence, actions, sections, ())


def _renamed_theme(theme: str, aliases: dict[str, str], current) -> str:
    """An evidence theme ("INDICATOR: title") with an earlier indicator id replaced by the current one."""
    ident, sep, rest = theme.partition(":")
    return f"{current(ident.strip())}{sep}{rest}" if sep and ident.strip() in aliases else theme


def _root_copies(root: Path) -> list[conflicts.ConflictCopy]:
    """Copies of evaluation.yaml beside it (the only file qiframe reads in the evaluation folder itself)."""
    with os.scandir(root) as entries:
        names = {e.name for e in entries if e.name.startswith("evaluation") and e.name != EVALUATION_FILE}
    found = [conflicts.copy_of(name, names | {EVALUATION_FILE}, "") for name in sorted(names)]
    return [c for c in found if c is not None]


def _copies_notice(copies: list[conflicts.ConflictCopy]) -> str:
    first = copies[0]
    what = (
        f"{first.path} (copies {first.original})"
        if first.original and first.cause != conflicts.MARKERS
        else first.path
    )
    more = f" and {len(copies) - 1} more" if len(copies) > 1 else ""
    return (
        f"skipped {len(copies)} conflict cop{'ies' if len(copies) != 1 else 'y'} or file{'s' if len(copies) != 1 else ''} "
        f"with merge conflicts: {what}{more}; `qiframe check` lists each and how to resolve it"
    )


def _read(
    path: str | Path, schema_name: str, copies: list | None = None, stat: os.stat_result | None = None
) -> dict | None:
    text = yamlio.read_text(path, stat=stat)
    line = conflicts.marker_line(text)
    if line is not None:
        if copies is None:
            raise InputError(
                "holds unresolved merge conflict markers (<<<<<<<, =======, >>>>>>>); keep the "
                "right lines, delete the markers and save",
                path,
                line,
                1,
            )
        inside = Path(path).relative_to(Path(path).parents[1]).as_posix()  # folder/name.yaml
        copies.append(
            conflicts.ConflictCopy(
                inside,
                inside,
                conflicts.MARKERS,
                "git",
                line,
            )
        )
        return None
    data = yamlio.parse(text, path)
    if data is None:
        raise InputError("the file is empty", path, 1, 1)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of fields", path, 1, 1)
    schemas.validate(data, schema_name, path)
    return data


def _read_item(path: str, kind: str) -> tuple[tuple[int, int], dict] | conflicts.ConflictCopy:
    """One file's (size, modification time) and checked data, or the conflict copy it is (a file holding
    merge markers). Plain values, which a worker process sends back fastest."""
    stat = yamlio.file_stat(path)
    copies: list[conflicts.ConflictCopy] = []
    data = _read(path, kind, copies, stat)
    if data is None:
        return copies[0]
    _check_name(path, kind, data)
    return (stat.st_size, stat.st_mtime_ns), data


def _check_name(path: str | Path, kind: str, data: dict) -> None:
    field = ID_FIELDS[kind]
    name = os.path.basename(path)
    if data[field] != name.rpartition(".")[0]:
        line, col = yamlio.locate(path, (field,))
        raise InputError(f"{field} {data[field]!r} does not match the file name {name!r}", path, line, col)


def build_metadata(d: dict) -> model.Metadata:
    period = d.get("period", {})
    return model.Metadata(
        title=d["title"],
        framework=d["framework"],
        programme=d.get("programme", ""),
        organisation=d.get("organisation", ""),
        period_from=period.get("from", ""),
        period_to=period.get("to", ""),
        date=d.get("date", ""),
        team=tuple(d.get("team", ())),
        agencies=tuple(d.get("agencies", ())),
        checks=dict(d.get("checks", {})),
        suppress=tuple(d.get("suppress", ())),
        external=tuple(
            model.ExternalGrade(x["indicator"], x["grade"], x.get("source", ""), x.get("date", ""))
            for x in d.get("external", ())
        ),
        findings=tuple(build_finding(f) for f in d.get("findings", ())),
        wording={k: dict(v) for k, v in d.get("wording", {}).items()},
        statement=_statement_settings(d.get("statement") or {}),
    )


def _statement_settings(d: dict) -> model.StatementSettings:
    return model.StatementSettings(
        context=d.get("context", ""),
        version=str(d.get("version", "")),
        marking=d.get("marking", ""),
        sign_off=tuple(
            model.SignOff(s["name"], s.get("role", ""), s.get("date", "")) for s in d.get("sign_off", ())
        ),
        evidence_numbers=dict(d.get("evidence_numbers", {})),
    )


def record_evidence_numbers(root: str | os.PathLike, numbers: dict[str, int]) -> dict[str, int]:
    """Fix the statement's evidence numbers in evaluation.yaml (`statement.evidence_numbers`), keeping the
    numbers already recorded; returns what is recorded now."""
    recorded: dict[str, int] = {}

    def mutate(doc):
        section = doc.get("statement")
        if section is None:
            set_field(doc, "statement", {}, METADATA_FIELDS)
            section = doc["statement"]
        current = dict(section.get("evidence_numbers") or {})
        taken = set(current.values())
        for ident, number in sorted(numbers.items(), key=lambda x: x[1]):
            if ident not in current and number not in taken:
                current[ident] = number
                taken.add(number)
        recorded.update(current)
        ordered = dict(sorted(current.items(), key=lambda x: x[1]))
        if dict(section.get("evidence_numbers") or {}) != ordered:
            section["evidence_numbers"] = yamlio.to_commented(ordered)

    edit(Path(root), EVALUATION_FILE, "evaluation", mutate)
    return recorded


def build_finding(f: dict) -> model.ExternalFinding:
    pairs = f.get("pairs")
    return model.ExternalFinding(
        f["id"],
        f["kind"],
        " ".join(f["text"].split()),
        tuple(f.get("indicators", ())),
        f.get("source", ""),
        f.get("date", ""),
        None if pairs is None else tuple(model.Pairing(p["indicator"], p["kind"], p["text"]) for p in pairs),
    )


def build_assessment(d: dict, path: str = "") -> model.Assessment:
    last = d.get("last_year")
    return model.Assessment(
        indicator=d["indicator"],
        lead=d.get("lead") or "",
        contributors=tuple(d.get("contributors", ())),
        status=d.get("status", "not-started"),
        grade=d.get("grade"),
        proposed=tuple(build_proposal(p) for p in d.get("proposed", ())),
        rationale=(d.get("rationale") or "").strip(),
        strengths=tuple(d.get("strengths", ())),
        improvements=tuple(d.get("improvements", ())),
        next_steps=tuple(d.get("next_steps", ())),
        path=path,
        last_year=model.LastYear(
            last["grade"],
            last.get("label", ""),
            last.get("indicator", ""),
            last.get("framework", ""),
            last.get("date", ""),
        )
        if last
        else None,
    )


def build_proposal(p: dict) -> model.Proposal:
    return model.Proposal(
        p["by"],
        p["grade"],
        p.get("date", ""),
        (p.get("rationale") or "").strip(),
        tuple(p.get("strengths", ())),
        tuple(p.get("improvements", ())),
    )


def build_evidence(d: dict, path: str = "") -> model.Evidence:
    return model.Evidence(
        id=d["id"],
        title=d["title"],
        summary=(d.get("summary") or "").strip(),
        kind=d.get("kind", "other"),
        source=d.get("source") or vocabulary.default_source(d.get("kind", "other")),
        date=d.get("date", ""),
        date_to=d.get("date_to", ""),
        agency=d.get("agency", ""),
        voice=tuple(d.get("voice", ())),
        ages=tuple(d.get("ages", ())),
        owner=d.get("owner", ""),
        location=d.get("location", ""),
        indicators=tuple(d.get("indicators", ())),
        themes=tuple(d.get("themes", ())),
        units=tuple(d.get("units", ())),
        submission=d.get("submission", False),
        personal_data=d.get("personal_data", False),
        path=path,
    )


def build_action(d: dict, path: str = "") -> model.Action:
    m = d.get("measure")
    measure = build_measure(m) if m else None
    return model.Action(
        id=d["id"],
        title=d["title"],
        indicator=d.get("indicator", ""),
        improvement=d.get("improvement", ""),
        owner=d.get("owner", ""),
        due=d.get("due", ""),
        status=d.get("status", "not-started"),
        measure=measure,
        progress=tuple(model.ProgressNote(p["date"], p["text"]) for p in d.get("progress", ())),
        path=path,
        answers=d.get("answers", ""),
    )


def build_measure(m: dict) -> model.Measure:
    """A measure; a file's single `current` value (as of `as_of`) is one value of the series."""
    values = [model.MeasureValue(v["date"], v["value"], v.get("note", "")) for v in m.get("values", ())]
    current, as_of = m.get("current"), m.get("as_of", "")
    if current is not None and not any(v.date == as_of and v.value == current for v in values):
        values.append(model.MeasureValue(as_of, current))
    values.sort(key=lambda v: v.date)
    if values:
        current, as_of = values[-1].value, values[-1].date
    return model.Measure(
        m.get("name", ""),
        m.get("unit", ""),
        m.get("baseline"),
        m.get("target"),
        current,
        as_of,
        tuple(values),
        m.get("target_date", ""),
        m.get("interval", "monthly"),
    )


def evidence_record(e: model.Evidence) -> dict:
    """An evidence item as file fields, in the stable order, leaving out empty values."""
    values = {f: getattr(e, f) for f in EVIDENCE_FIELDS}
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in values.items()
        if v not in ("", (), None) and not (k in ("submission", "personal_data") and v is False)
    }


# --- writing -----------------------------------------------------------------------------------------


_HELD = threading.local()

PRIVATE_IGNORED = ("cache.json", "lock", "lock.held", "tx/", "unsaved/", "*.tmp")
"""What `.qiframe/.gitignore` keeps out of git: per-machine files and everything temporary."""


def _holds_lock(root: Path) -> bool:
    return os.path.realpath(root) in _HELD.__dict__.get("roots", set())


@contextlib.contextmanager
def writing(root: str | os.PathLike, _undo_creations: bool = False) -> Iterator[None]:
    """Hold the evaluation's lock; every write of qiframe's happens inside one (through `transaction`).

    Taking the lock first finishes or undoes a write that was interrupted (see `qiframe.journal`), and
    says so once. Re-entrant within a thread: a second flock from the same process would otherwise wait on
    itself.
    """
    root = Path(root)
    held = _HELD.__dict__.setdefault("roots", set())
    key = os.path.realpath(root)
    if key in held:
        yield
        return
    with yamlio.locked(root / PRIVATE / "lock"):
        held.add(key)
        try:
            _recover(root, _undo_creations)
            try:
                _ensure_private(root)
            except OSError as exc:
                raise journal.WriteFailed(
                    f"could not write: {journal.os_reason(exc)}; nothing was changed",
                    exc.filename or root / PRIVATE,
                ) from None
            yield
        finally:
            held.discard(key)


def _recover(root: Path, undo_creations: bool = False) -> None:
    for r in journal.recover(root, undo_creations):
        if r.completed:
            notices.notify(
                f"completed an interrupted write of {r.files} file{'s' if r.files != 1 else ''} "
                f"(a qiframe command was stopped before it finished)"
            )
        else:
            notices.notify(
                f"undid an unfinished write of {r.files} file{'s' if r.files != 1 else ''} "
                f"(a qiframe command was stopped before it finished; nothing of it was kept)"
            )


def _ensure_private(root: Path) -> None:
    """Local copies of the schemas (for editors, offline) and a .gitignore for the private files."""
    private = root / PRIVATE
    ignore = private / ".gitignore"  # first, so that a kill while writing the rest leaves nothing for git
    current = ignore.read_text(encoding="utf-8") if ignore.is_file() else None
    missing = [p for p in PRIVATE_IGNORED if p not in (current or "").splitlines()]
    if missing:
        text = (
            current
            if current is not None
            else "# qiframe's cache, lock and temporary files are per machine\n"
        )
        yamlio.atomic_write(ignore, text + ("" if text.endswith("\n") else "\n") + "\n".join(missing) + "\n")
    for name in schemas.NAMES:
        if name == "framework":
            continue
        target = private / "schemas" / f"{name}.schema.json"
        text = (schemas.SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            yamlio.atomic_write(target, text)


# --- transactions ------------------------------------------------------------------------------------


@dataclass
class _Staged:
    kind: str
    text: str | None
    """The new text; None removes the file."""
    existed: bool
    """Whether the file was on disk when the transaction began to change it."""


class Transaction:
    """Changes to an evaluation's files, staged under its lock and committed together.

    `evaluation` is the evaluation as loaded inside the lock (before this transaction's changes); `read`
    and `exists` see the staged changes. Paths are relative to the evaluation folder: `evaluation.yaml`
    or `<folder>/<name>.yaml` with one of the item folders.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._staged: dict[str, _Staged] = {}
        self._folders: list[str] = []
        self._evaluation: model.Evaluation | None = None
        self._taken: dict[str, set[str]] = {}

    @property
    def evaluation(self) -> model.Evaluation:
        """The evaluation, loaded fresh inside the lock (once per transaction)."""
        if self._evaluation is None:
            self._evaluation = load(self.root)
        return self._evaluation

    @property
    def staged(self) -> tuple[str, ...]:
        """The files this transaction will write or remove, in order."""
        return tuple(self._staged)

    def path(self, relpath: str) -> Path:
        return self.root / _checked_relpath(relpath)

    def text(self, relpath: str) -> str | None:
        """The file's text as this transaction sees it (staged, else on disk); None if there is none."""
        relpath = _checked_relpath(relpath)
        if relpath in self._staged:
            return self._staged[relpath].text
        path = self.root / relpath
        if not path.exists():
            return None
        return yamlio.read_text(path)

    def exists(self, relpath: str) -> bool:
        return self.text(relpath) is not None

    def read(self, relpath: str) -> Any:
        """The file's plain data as this transaction sees it; None if there is no such file."""
        text = self.text(relpath)
        return None if text is None else yamlio.parse(text, self.path(relpath))

    def create(self, relpath: str, kind: str, data: dict) -> dict:
        """Stage a new file from plain data; refuses a file that exists. Returns the data."""
        relpath = _checked_relpath(relpath)
        path = self.root / relpath
        if self.exists(relpath):
            raise InputError("already exists; nothing was written", path)
        _validate(data, kind, path)
        self._stage(relpath, kind, yamlio.dump_roundtrip(yamlio.to_commented(_dated(data)), header(kind)))
        return data

    def edit(self, relpath: str, kind: str, mutate: Callable[[Any], None]) -> dict:
        """Stage a round-trip edit of a file (comments kept): `mutate` changes the document in place."""
        relpath = _checked_relpath(relpath)
        path = self.root / relpath
        original = self.text(relpath)
        if original is None:
            raise InputError("file not found", path)
        yamlio.parse(original, path)  # same checks and messages as the fast path
        doc = yamlio.parse_roundtrip(original, path)
        mutate(doc)
        data = yamlio.plain(doc, path)
        _validate(data, kind, path)
        text = yamlio.dump_roundtrip(doc, header(kind))
        if text != original:
            self._stage(relpath, kind, text)
        return data

    def write_text(self, relpath: str, kind: str, text: str, validate: bool = True) -> dict | None:
        """Stage a file's text exactly as given (what a person typed in an editor), validated first."""
        relpath = _checked_relpath(relpath)
        path = self.root / relpath
        data = None
        if validate:
            data = yamlio.parse(text, path)
            if not isinstance(data, dict):
                raise InputError("expected a mapping of fields", path, 1, 1)
            _validate(data, kind, path)
        if text != self.text(relpath):
            self._stage(relpath, kind, text)
        return data

    def remove(self, relpath: str) -> None:
        """Stage the removal of a file."""
        relpath = _checked_relpath(relpath)
        if not self.exists(relpath):
            raise InputError("file not found", self.root / relpath)
        self._stage(relpath, "", None)

    def make_folder(self, relfolder: str) -> None:
        """Create an (empty) item folder with the commit."""
        if relfolder not in FOLDERS.values():
            raise InputError(f"not an item folder: {relfolder!r}")
        if not (self.root / relfolder).is_dir() and relfolder not in self._folders:
            self._folders.append(relfolder)

    def new_id(self, kind: str) -> str:
        """A fresh id for a new item: unused on disk and in this transaction (the one id allocator)."""
        taken = self._taken.get(kind)
        if taken is None:
            folder = self.root / FOLDERS[kind]
            taken = {name.split(".", 1)[0] for name in (os.listdir(folder) if folder.is_dir() else ())}
            self._taken[kind] = taken
            taken.update(Path(r).stem for r in self._staged if r.startswith(FOLDERS[kind] + "/"))
        ident = new_id(kind, taken)
        taken.add(ident)
        return ident

    def _stage(self, relpath: str, kind: str, text: str | None) -> None:
        for item_kind, taken in self._taken.items():  # ids staged by name stay taken
            if relpath.startswith(FOLDERS[item_kind] + "/"):
                taken.add(Path(relpath).stem)
        previous = self._staged.get(relpath)
        existed = previous.existed if previous else (self.root / relpath).exists()
        self._staged[relpath] = _Staged(kind, text, existed)

    def _changes(self) -> list[journal.Change]:
        # evaluation.yaml goes last: in a new evaluation it is what makes the folder an evaluation.
        order = sorted(self._staged, key=lambda r: r == EVALUATION_FILE)
        out = []
        for rel in order:
            st = self._staged[rel]
            if st.text is None and not st.existed:
                continue  # created and removed again within the transaction
            out.append(journal.Change(rel, None if st.text is None else st.text.encode("utf-8"), st.existed))
        return out

    def commit(self) -> None:
        """Write the staged changes all-or-nothing (called when the `transaction` block ends cleanly)."""
        journal.commit(self.root, self._changes(), tuple(self._folders))
        self._staged.clear()
        self._folders.clear()


_ACTIVE = threading.local()


@contextlib.contextmanager
def transaction(root: str | os.PathLike, _undo_creations: bool = False) -> Iterator[Transaction]:
    """Take the lock, yield a `Transaction`, and commit its staged files when the block ends cleanly.

    An exception in the block writes nothing. Within a transaction on the same evaluation (same thread),
    a nested `transaction` joins it: its changes are committed with the outer block's.
    """
    root = Path(root)
    active = _ACTIVE.__dict__.setdefault("tx", {})
    key = os.path.realpath(root)
    if key in active:
        yield active[key]
        return
    with writing(root, _undo_creations):
        tx = Transaction(root)
        active[key] = tx
        try:
            yield tx
            tx.commit()
        finally:
            del active[key]


def _checked_relpath(relpath: str | os.PathLike) -> str:
    """A path inside the evaluation that a transaction may write: evaluation.yaml or an item file."""
    text = os.fspath(relpath).replace("\\", "/")
    if text == EVALUATION_FILE:
        return text
    folder, sep, name = text.partition("/")
    if (
        not sep
        or folder not in FOLDERS.values()
        or "/" in name
        or not name.endswith(".yaml")
        or name.startswith(".")
        or name in (".yaml",)
    ):
        raise InputError(f"not a file of an evaluation that qiframe writes: {text!r}")
    return text


def _validate(data: Any, kind: str, path: Path) -> None:
    schemas.validate(data, kind, path)
    field_name = ID_FIELDS.get(kind)
    if field_name and isinstance(data, dict) and data.get(field_name) != path.stem:
        raise InputError(
            f"{field_name} {data.get(field_name)!r} does not match the file name {path.name!r}", path
        )


def header(kind: str) -> str:
    depth = 0 if kind == "evaluation" else 1
    return yamlio.schema_header(kind, depth)


def _dated(value: Any, key: str | None = None) -> Any:
    """ISO date strings as dates in known date fields, so they are written unquoted."""
    if isinstance(value, dict):
        return {k: _dated(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    if key in DATE_FIELDS and isinstance(value, str):
        # Only a whole day becomes a YAML date; a month or a year ("2025-03", "2025") stays text.
        return periods.parse_date(value) or value
    return value


def write_new(path: Path, kind: str, data: dict) -> None:
    """Validate and write one file atomically, outside any evaluation's transactions.

    For files that are not part of an evaluation (and tests that build one by hand); qiframe's own
    writes to an evaluation go through `transaction`.
    """
    schemas.validate(data, kind, path.name)
    yamlio.atomic_write(path, yamlio.dump_roundtrip(yamlio.to_commented(_dated(data)), header(kind)))


def edit(root: Path, relpath: str, kind: str, mutate: Callable[[Any], None]) -> dict:
    """Edit one file round-trip in a transaction; validated before it replaces the file. Returns the new data."""
    with transaction(root) as tx:
        return tx.edit(relpath, kind, mutate)


def set_field(doc: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set a field, inserting a new key at its place in the stable order; None or empty removes it."""
    if value in (None, "", [], ()):
        if key in doc:
            del doc[key]
        return
    value = yamlio.to_commented(_dated(value, key))
    if key in doc:
        doc[key] = value
        return
    position = len(doc)
    if key in order:
        later = set(order[order.index(key) + 1 :])
        for i, existing in enumerate(doc):
            if existing in later:
                position = i
                break
    # Comment lines above the next key hang on the previous entry; keep them above the next key.
    previous = list(doc)[position - 1] if position else None
    moved = yamlio.take_comment_lines(doc, previous) if previous is not None else ""
    doc.insert(position, key, value)
    yamlio.give_comment_lines(doc, key, moved)


def append_items(doc: Any, key: str, items: list, order: tuple[str, ...]) -> None:
    """Append to a list field, keeping comment lines that follow the list where they were."""
    current = doc.get(key)
    if not current:
        set_field(doc, key, list(current or []) + items, order)
        return
    moved = yamlio.take_comment_lines(current, len(current) - 1)
    current.extend(yamlio.to_commented(items))
    yamlio.give_comment_lines(current, len(current) - 1, moved)


def remove_items(doc: Any, key: str, positions: list[int]) -> None:
    """Remove items of a list field in place, keeping comment lines that followed the last one."""
    current = doc[key]
    moved = yamlio.take_comment_lines(doc, key)
    for index in sorted(positions, reverse=True):
        del current[index]
    if not current:
        previous = list(doc)[list(doc).index(key) - 1] if list(doc).index(key) else None
        del doc[key]
        if previous is not None:
            yamlio.give_comment_lines(doc, previous, moved)
        return
    yamlio.give_comment_lines(doc, key, moved)


def new_id(kind: str, taken: set[str]) -> str:
    """A short random id: independent allocations on two branches practically never collide."""
    import secrets  # imported when used: with hmac and hashlib, it would cost every read 5 ms

    while True:
        candidate = ID_PREFIX[kind] + "".join(secrets.choice(ID_ALPHABET) for _ in range(6))
        if candidate not in taken:
            return candidate


def init(
    folder: str | os.PathLike,
    framework_id: str,
    programme_id: str | None = None,
    title: str = "",
    organisation: str = "",
    period: tuple[str, str] | None = None,
) -> Path:
    """Create an evaluation folder with one assessment file per indicator in scope, all-or-nothing.

    A killed `init` leaves at most the private `.qiframe/` folder, which the next `init` here clears.
    """
    root = Path(folder)
    if (root / PRIVATE).is_dir() and journal.pending(root) and not (root / EVALUATION_FILE).exists():
        with writing(root, _undo_creations=True):  # the leftovers of a killed init
            pass
    if (root / EVALUATION_FILE).exists():
        raise InputError("an evaluation already exists here", root / EVALUATION_FILE)
    if root.exists() and any(p for p in root.iterdir() if p.name != PRIVATE):
        raise InputError("folder exists and is not empty; choose a new folder", root)
    framework = frameworks.load(framework_id, start=root.resolve().parent)
    programme = frameworks.programme(framework, programme_id) if programme_id else None
    meta: dict[str, Any] = {
        "qiframe": 1,
        "title": title or default_title(framework, organisation),
        "framework": framework.id,
    }
    if programme:
        meta["programme"] = programme.id
    if organisation:
        meta["organisation"] = organisation
    if period:
        meta["period"] = {"from": period[0], "to": period[1]}
        meta["date"] = period[1]
    schemas.validate(meta, "evaluation", root / EVALUATION_FILE)
    scope = programme.scope if programme and programme.scope else tuple(framework.indicators)
    assessment_ids = list(scope) + [s.id for s in (programme.suites if programme else ())]
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise journal.WriteFailed(f"could not create the folder: {journal.os_reason(exc)}", root) from None
    with transaction(root) as tx:
        for ind in assessment_ids:
            tx.create(
                f"{FOLDERS['indicator']}/{ind}.yaml", "indicator", {"indicator": ind, "status": "not-started"}
            )
        for kind in ("evidence", "action"):
            tx.make_folder(FOLDERS[kind])
        tx.create(EVALUATION_FILE, "evaluation", meta)
    return root


def default_title(framework: model.Framework, organisation: str = "") -> str:
    """The title of an evaluation started without one: "Glenmuir partnership: self-evaluation", or
    "Self-evaluation using “A quality framework for …”" when no organisation is named."""
    if organisation.strip():
        return f"{' '.join(organisation.split())}: self-evaluation"
    return f"Self-evaluation using “{framework.title}”"


def add_evidence(root: str | os.PathLike, **fields: Any) -> model.Evidence:
    """Add an evidence item; indicators must exist in the framework."""
    with transaction(root) as tx:
        item = stage_new_evidence(tx, **fields)
    return item


def stage_new_evidence(tx: Transaction, **fields: Any) -> model.Evidence:
    """Stage a new evidence item in a transaction (a fresh id, indicators checked); returns it."""
    evaluation = tx.evaluation
    _known_indicators(evaluation, fields.get("indicators", ()))
    if fields.get("indicators"):
        fields["indicators"] = [evaluation.framework.canonical(i) for i in fields["indicators"]]
    fields["voice"] = voices(evaluation.framework, fields.get("voice", ()))
    if not fields.get("source"):
        fields["source"] = vocabulary.default_source(fields.get("kind", "other"))
    fields["id"] = tx.new_id("evidence")
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    item = model.Evidence(**values)
    record = evidence_record(item)
    relpath = f"{FOLDERS['evidence']}/{item.id}.yaml"
    tx.create(relpath, "evidence", record)
    return build_evidence(record, relpath)


def voices(framework: model.Framework, given) -> tuple[str, ...]:
    """Voice groups named by id or label, as ids; an InputError lists the framework's groups."""
    out = []
    for text in given or ():
        group = framework.voices.find(text)
        if group is None:
            known = ", ".join(g.id for g in framework.voices.groups)
            raise InputError(f"{text!r} is not a voice group of framework {framework.id!r} (groups: {known})")
        out.append(group.id)
    return tuple(dict.fromkeys(out))


def update_evidence(root: str | os.PathLike, evidence_id: str, changes: dict[str, Any]) -> model.Evidence:
    """Change fields of an evidence item, keeping the file's comments."""
    with transaction(root) as tx:
        item = resolve(tx.evaluation.evidence, evidence_id, "evidence item")
        if "indicators" in changes:
            _known_indicators(tx.evaluation, changes["indicators"])

        def mutate(doc):
            for key, value in changes.items():
                set_field(doc, key, value, EVIDENCE_FIELDS)

        data = tx.edit(item.path, "evidence", mutate)
    return build_evidence(data, item.path)


def remove_evidence(root: str | os.PathLike, evidence_id: str) -> model.Evidence:
    with transaction(root) as tx:
        item = resolve(tx.evaluation.evidence, evidence_id, "evidence item")
        tx.remove(item.path)
    return item


def edit_assessment(
    root: str | os.PathLike, indicator: str, mutate: Callable[[Any], None]
) -> model.Assessment:
    """Edit the assessment of an indicator (or suite) round-trip, creating its file if it is missing."""
    with transaction(root) as tx:
        return stage_assessment_edit(tx, indicator, mutate)


def stage_assessment_edit(tx: Transaction, indicator: str, mutate: Callable[[Any], None]) -> model.Assessment:
    """`edit_assessment` within a transaction: the file is created inside the lock if it is missing."""
    evaluation = tx.evaluation
    indicator = assessment_id(evaluation, indicator)
    existing = evaluation.assessments.get(indicator)
    # A file written under an earlier id (an alias) stays where it is.
    relpath = existing.path if existing and existing.path else f"{FOLDERS['indicator']}/{indicator}.yaml"
    if not tx.exists(relpath):
        tx.create(relpath, "indicator", {"indicator": indicator, "status": "not-started"})
    data = tx.edit(relpath, "indicator", mutate)
    return build_assessment(data, relpath)


def assessment_id(evaluation: model.Evaluation, text: str) -> str:
    """An indicator or suite id named by the user: exact, or case-insensitive."""
    ids = list(evaluation.framework.indicators) + [
        s.id for s in (evaluation.programme.suites if evaluation.programme else ())
    ]
    if text in ids:
        return text
    aliases = evaluation.framework.aliases
    if text in aliases:
        return aliases[text]
    folded = [i for i in ids if i.casefold() == text.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise NotFound(
        f"unknown indicator {text!r} in framework {evaluation.framework.id!r} (known: {_sample(ids)})"
    )


def _known_indicators(evaluation: model.Evaluation, ids) -> None:
    for ind in ids:
        if evaluation.framework.canonical(ind) not in evaluation.framework.indicators:
            raise NotFound(
                f"unknown indicator {ind!r} in framework {evaluation.framework.id!r} "
                f"(known: {_sample(list(evaluation.framework.indicators))})"
            )


def _sample(ids: list[str], most: int = 30) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f", … ({len(ids)} in all)" if len(ids) > most else "")


def resolve(items: dict[str, Any], text: str, what: str) -> Any:
    """An item by id or by any unique prefix of its id (case-insensitive)."""
    if text in items:
        return items[text]
    key = text.casefold()
    matches = [i for i in items if i.casefold().startswith(key)]
    if not matches:
        # Let people type the part after "E-" too.
        matches = [i for i in items if i.casefold().split("-", 1)[-1].startswith(key)]
    if len(matches) == 1:
        return items[matches[0]]
    if not matches:
        raise NotFound(f"no {what} {text!r}")
    raise InputError(
        f"{text!r} matches {len(matches)} {what}s ({', '.join(sorted(matches)[:5])}); type more of the id"
    )


def level(scale: model.Scale, text: str) -> model.Level:
    """A level of the scale named by value or label, or an InputError naming the levels."""
    return scale.require(text)


# --- the partnership's record of framework wording ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class WordingRecord:
    """What `record_wording` wrote to evaluation.yaml."""

    item: str
    """The item key, e.g. "5.1" or "unit:risk-of-harm-2021/S1"."""
    record: str
    """"confirmed" or "replaced"."""
    text: str
    """The wording now trusted."""
    source: str
    """Where the partnership's copy comes from."""

    def __str__(self) -> str:
        verb = "confirmed" if self.record == "confirmed" else "replaced with the partnership's wording"
        return f"{self.item} {verb}: {self.text!r} (source: {self.source})"


def record_wording(
    root: str | os.PathLike,
    framework_id: str,
    item_text: str,
    source: str,
    title: str | None = None,
    today: dt.date | None = None,
) -> WordingRecord:
    """Record under `wording:` in evaluation.yaml that the partnership checked a framework title against its
    own copy (or, with `title`, replaced it with that copy's wording)."""
    root = Path(root)
    with transaction(root) as tx:
        return _record_wording(tx, framework_id, item_text, source, title, today)


def _record_wording(
    tx: Transaction, framework_id: str, item_text: str, source: str, title: str | None, today: dt.date | None
) -> WordingRecord:
    from qiframe import wording

    root = tx.root
    evaluation = tx.evaluation
    if framework_id != evaluation.framework.id:
        raise InputError(f"this evaluation uses framework {evaluation.framework.id!r}, not {framework_id!r}")
    if not source.strip():
        raise InputError(
            "{source} must say where the partnership's copy of the wording comes from", options=("source",)
        )
    # Item keys and texts come from the framework file itself, so a replacement recorded earlier is not
    # mistaken for the wording being confirmed.
    original_framework = frameworks.load(framework_id, start=root)
    item = wording.canonical_item(original_framework, item_text, evaluation.metadata.programme)
    original = next(t for t in original_framework.titles() if t.item == item)
    if title is not None:
        if original.kind not in wording.REPLACEABLE:
            raise InputError(f"{item} ({original.kind}) can be confirmed but not replaced")
        if not title.strip():
            raise InputError("{title} must not be empty", options=("title",))
        entry: dict[str, Any] = {"title": " ".join(title.split()), "source": " ".join(source.split())}
    else:
        entry = {"confirmed": original.text, "source": " ".join(source.split())}
    entry["date"] = (today or clock.today()).isoformat()

    def mutate(doc: Any) -> None:
        records = doc.get("wording")
        if records is None:
            set_field(doc, "wording", {item: entry}, METADATA_FIELDS)
        else:
            records[item] = yamlio.to_commented(_dated(entry, "wording"))

    tx.edit(EVALUATION_FILE, "evaluation", mutate)
    return WordingRecord(
        item,
        "replaced" if title is not None else "confirmed",
        entry.get("title") or entry["confirmed"],
        entry["source"],
    )


# --- compare-and-swap: refusing to overwrite what changed since a page was made ---------------------


def version(root: str | os.PathLike, relpath: str) -> str:
    """A short digest of a file's bytes ("absent" when there is none): what a form was rendered from."""
    import hashlib

    parts = Path(relpath).parts
    if Path(relpath).is_absolute() or ".." in parts or len(parts) > 2:
        raise InputError(f"not a file of the evaluation: {relpath!r}")
    try:
        data = (Path(root) / relpath).read_bytes()
    except FileNotFoundError:
        return "absent"
    return hashlib.sha256(data).hexdigest()[:20]


def require_versions(root: str | os.PathLike, expected: dict[str, str]) -> None:
    """Refuse (Stale) when a file is no longer the version given; call it inside a `transaction(root)`,
    before staging anything.

    The caller holds the lock around this check and its write, so nothing can change in between.
    """
    from qiframe.errors import Stale

    for relpath, token in expected.items():
        if version(root, relpath) != token:
            raise Stale(
                f"{relpath} was changed by someone else after this page was opened, so your change "
                "was not saved. The page now shows the newer version, with what you typed kept in the "
                "form: check it and save again."
            )


def relink_evidence(
    root: str | os.PathLike, evidence_id: str, indicators: list[str], add: bool
) -> model.Evidence:
    """Link an evidence item to indicators (or unlink it), in one transaction.

    The item and its list of indicators are read inside the lock, so concurrent links and unlinks never
    lose each other; the list is edited in place, so comments on it stay.
    """
    with transaction(root) as tx:
        evaluation = tx.evaluation
        item = resolve(evaluation.evidence, evidence_id, "evidence item")
        if add:
            _known_indicators(evaluation, indicators)

        def mutate(doc):
            current = [str(i) for i in doc.get("indicators") or []]
            if add:
                append_items(
                    doc,
                    "indicators",
                    [q for q in dict.fromkeys(indicators) if q not in current],
                    EVIDENCE_FIELDS,
                )
                return
            missing = [q for q in indicators if q not in current]
            if missing:
                raise InputError(f"{item.id} is not linked to {', '.join(missing)}")
            remove_items(doc, "indicators", [i for i, q in enumerate(current) if q in indicators])

        data = tx.edit(item.path, "evidence", mutate)
    return build_evidence(data, item.path)
