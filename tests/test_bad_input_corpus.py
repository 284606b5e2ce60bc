"""A corpus of bad input: files, command-line values, spreadsheets and hostile environments.

Every case runs one real command on a private copy of a small evaluation and must give: the expected
exit code (2); exactly one `qiframe: error:` line, naming the file (with line and column where the
problem has a place in it); no traceback; under 2 KB of message; and not one byte changed in the
evaluation. Full disks and read-only folders are the store's own tests (issue 12), not these.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qiframe import store
from tests.conftest import snapshot

EVIDENCE = "evidence/E-good22.yaml"
INDICATOR = "indicators/2.1.yaml"
ACTION = "actions/A-good22.yaml"
SECTION = "statement/S1.yaml"
META = "evaluation.yaml"

GOOD_EVIDENCE = (
    "id: E-good22\ntitle: Case file audit\nsource: data\nkind: case-file-audit\nindicators: ['2.1']\n"
)
GOOD_ACTION = "id: A-good22\ntitle: Re-audit chronologies\nindicator: '2.1'\ndue: 2027-03-31\n"
GOOD_SECTION = "unit: S1\nanswers:\n  now: Risks are spotted early.\n"
GOOD_META = (
    "qiframe: 1\ntitle: Glenmuir partnership\nframework: ci-care-protection-2019\n"
    "programme: risk-of-harm-2021\nperiod:\n  from: 2025-04-01\n  to: 2026-03-31\n"
)


@dataclass
class Case:
    """One bad input and the command that meets it."""

    args: list[str]
    """The command, without -e (added for every case that works on the evaluation)."""
    files: dict[str, bytes | None] = field(default_factory=dict)
    """Files to write into the evaluation copy before running (None removes the file)."""
    names: str | None = None
    """The file the message must name, relative to the evaluation (or a spreadsheet's name)."""
    located: bool = False
    """Whether the message must give line:column in that file."""
    env: dict[str, str] = field(default_factory=dict)
    """Environment variables for the command."""
    prepare: Callable[[Path], None] | None = None
    """Anything else to set up in the evaluation copy (links, FIFOs, folders)."""
    process: bool = False
    """Run in a process of its own (a hang or a crash must not take the test run with it)."""
    evaluation: bool = True
    """Whether to pass -e with the evaluation copy."""


CORPUS: dict[str, Case] = {}


def case(name: str, *args: str, **kw) -> None:
    assert name not in CORPUS, name
    CORPUS[name] = Case(list(args), **kw)


def bad_file(
    name: str,
    relpath: str,
    content: str | bytes,
    located: bool = True,
    command: tuple[str, ...] = ("status",),
) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    case(name, *command, files={relpath: data}, names=relpath, located=located)


# --- evidence files ------------------------------------------------------------------------------------

E = "id: E-good22\n"
bad_file("ev-malformed", EVIDENCE, E + "title: [unclosed\n")
bad_file("ev-tab-indent", EVIDENCE, E + "title: T\nindicators:\n\t- '2.1'\n")
bad_file("ev-duplicate-key", EVIDENCE, E + "title: T\ntitle: U\n")
bad_file("ev-submission-not-boolean", EVIDENCE, E + "title: T\nsubmission: maybe\n")
bad_file("ev-personal-data-yes-is-text", EVIDENCE, E + "title: T\npersonal_data: yes\n")
bad_file("ev-unknown-field", EVIDENCE, E + "title: T\ncolour: blue\n")
bad_file("ev-unknown-source", EVIDENCE, E + "title: T\nsource: rumour\n")
bad_file("ev-unknown-kind", EVIDENCE, E + "title: T\nkind: hearsay\n")
bad_file("ev-id-not-file-name", EVIDENCE, "id: E-other2\ntitle: T\n")
bad_file("ev-id-missing", EVIDENCE, "title: T\n")
bad_file("ev-title-missing", EVIDENCE, E)
bad_file("ev-title-null", EVIDENCE, E + "title:\n")
bad_file("ev-title-number", EVIDENCE, E + "title: 2026\n")
bad_file("ev-title-blank", EVIDENCE, E + "title: '   '\n")
bad_file("ev-title-empty", EVIDENCE, E + "title: ''\n")
bad_file("ev-title-nel", EVIDENCE, E + "title: a\u0085b\n")
bad_file("ev-title-line-separator", EVIDENCE, E + "title: a\u2028b\n")
bad_file("ev-title-paragraph-separator", EVIDENCE, E + "title: a\u2029b\n")
bad_file("ev-title-100kb", EVIDENCE, E + "title: " + "x" * 100_000 + "\n")
bad_file("ev-summary-too-long", EVIDENCE, E + "title: T\nsummary: " + "y" * 30_000 + "\n")
bad_file("ev-impossible-date", EVIDENCE, E + "title: T\ndate: 2026-02-30\n")
bad_file("ev-month-13", EVIDENCE, E + "title: T\ndate: 2026-13-01\n")
bad_file("ev-date-day-first", EVIDENCE, E + "title: T\ndate: 01/02/2026\n")
bad_file("ev-date-to-impossible", EVIDENCE, E + "title: T\ndate: 2026-01-01\ndate_to: 2026-04-31\n")
bad_file("ev-date-a-number", EVIDENCE, E + "title: T\ndate: 20260101\n")
bad_file("ev-indicators-not-a-list", EVIDENCE, E + "title: T\nindicators: 2.1\n")
bad_file("ev-indicator-with-space", EVIDENCE, E + "title: T\nindicators: ['2 1']\n")
bad_file("ev-indicator-a-mapping", EVIDENCE, E + "title: T\nindicators: [{a: b}]\n")
bad_file("ev-themes-a-number", EVIDENCE, E + "title: T\nthemes: [5]\n")
bad_file("ev-empty", EVIDENCE, "")
bad_file("ev-only-comments", EVIDENCE, "# nothing here\n")
bad_file("ev-a-list", EVIDENCE, "- just\n- a list\n")
bad_file("ev-a-scalar", EVIDENCE, "just text\n")
bad_file("ev-binary", EVIDENCE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", located=False)
bad_file("ev-invalid-utf8", EVIDENCE, b"id: E-good22\ntitle: caf\xe9\n")
bad_file("ev-utf16", EVIDENCE, "id: E-good22\ntitle: T\n".encode("utf-16"), located=False)
bad_file("ev-bom-and-error", EVIDENCE, b"\xef\xbb\xbf" + (E + "title: T\nsource: rumour\n").encode())
bad_file("ev-crlf-and-error", EVIDENCE, (E + "title: T\nsource: rumour\n").replace("\n", "\r\n"))
bad_file("ev-deep-flow", EVIDENCE, E + "title: T\nthemes: " + "[" * 30_000 + "]" * 30_000 + "\n")
bad_file("ev-deep-block", EVIDENCE, E + "title: T\nthemes:\n" + "- " * 30_000 + "x\n")
bad_file("ev-deep-mapping", EVIDENCE, E + "title: T\nthemes: " + "{a: " * 200 + "b" + "}" * 200 + "\n")
bad_file(
    "ev-alias-bomb",
    EVIDENCE,
    E
    + "title: T\nthemes: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"l{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 6)}]\n" for i in range(12)),
    located=False,
)
bad_file("ev-python-tag", EVIDENCE, E + "title: !!python/object/apply:os.system ['echo hi']\n")
bad_file("ev-binary-tag", EVIDENCE, E + "title: !!binary aGVsbG8=\n", located=False)
bad_file("ev-set-tag", EVIDENCE, E + "title: T\nthemes: !!set {a, b}\n")
bad_file("ev-int-tag-on-text", EVIDENCE, E + "title: !!int abc\n")
bad_file("ev-huge-integer-title", EVIDENCE, E + "title: " + "9" * 5000 + "\n")
bad_file("ev-two-documents", EVIDENCE, E + "title: T\n---\nid: E-other2\n")
bad_file("ev-key-not-text", EVIDENCE, E + "title: T\n? [a, b]\n: c\n", located=False)
bad_file("ev-bool-key", EVIDENCE, E + "title: T\ntrue: x\n", located=False)

# --- assessment files ------------------------------------------------------------------------------------

A = "indicator: '2.1'\n"
bad_file("qi-grade-9", INDICATOR, A + "grade: 9\n")
bad_file("qi-grade-0", INDICATOR, A + "grade: 0\n")
bad_file("qi-grade-negative", INDICATOR, A + "grade: -1\n")
bad_file("qi-grade-label", INDICATOR, A + "grade: good\n")
bad_file("qi-grade-fraction", INDICATOR, A + "grade: 4.5\n")
bad_file("qi-grade-huge", INDICATOR, A + "grade: 99999999999999999999\n")
bad_file("qi-grade-bool", INDICATOR, A + "grade: true\n")
bad_file("qi-proposed-7", INDICATOR, A + "proposed:\n  - by: Pair A\n    grade: 7\n")
bad_file("qi-proposed-no-by", INDICATOR, A + "proposed:\n  - grade: 4\n")
bad_file("qi-proposed-empty-by", INDICATOR, A + "proposed:\n  - by: ''\n    grade: 4\n")
bad_file("qi-proposed-bad-date", INDICATOR, A + "proposed:\n  - by: A\n    grade: 4\n    date: 2026-02-29\n")
bad_file("qi-proposed-not-list", INDICATOR, A + "proposed: 4\n")
bad_file("qi-status-done", INDICATOR, A + "status: done\n")
bad_file("qi-status-unknown", INDICATOR, A + "status: finished\n")
bad_file("qi-indicator-mismatch", INDICATOR, "indicator: '2.2'\n")
bad_file("qi-indicator-number", INDICATOR, "indicator: 2.1\n")
bad_file("qi-lead-a-list", INDICATOR, A + "lead: [Ann, Bob]\n")
bad_file("qi-strengths-text", INDICATOR, A + "strengths: Stable staff\n")
bad_file("qi-strengths-number", INDICATOR, A + "strengths: [4]\n")
bad_file("qi-rationale-mapping", INDICATOR, A + "rationale: {a: b}\n")
bad_file("qi-unknown-field", INDICATOR, A + "score: 4\n")
bad_file("qi-malformed", INDICATOR, A + "strengths: [\n")
bad_file("qi-nel", INDICATOR, A + "lead: Ann\u0085Bob\n")
bad_file("qi-grade-9-on-grade", INDICATOR, A + "grade: 9\n", command=("grade", "2.1", "4"))
bad_file("qi-grade-9-on-note", INDICATOR, A + "grade: 9\n", command=("note", "2.1", "-s", "x"))
bad_file("qi-grade-9-on-check", INDICATOR, A + "grade: 9\n", command=("check",))
bad_file("qi-grade-9-on-export", INDICATOR, A + "grade: 9\n", command=("export", "statement", "-o", "s.md"))
bad_file("qi-grade-9-on-compare", INDICATOR, A + "grade: 9\n", command=("compare", "--external"))

# --- action and statement files --------------------------------------------------------------------------

T = "id: A-good22\ntitle: Re-audit\n"
bad_file("act-status-unknown", ACTION, T + "status: finished\n")
bad_file("act-due-impossible", ACTION, T + "due: 2027-02-29\n")
bad_file("act-due-words", ACTION, T + "due: next March\n")
bad_file("act-title-blank", ACTION, "id: A-good22\ntitle: ' '\n")
bad_file("act-measure-text", ACTION, T + "measure:\n  baseline: lots\n")
bad_file("act-measure-unknown-field", ACTION, T + "measure:\n  goal: 5\n")
bad_file("act-progress-no-text", ACTION, T + "progress:\n  - date: 2026-01-01\n")
bad_file("act-progress-bad-date", ACTION, T + "progress:\n  - date: 2026-06-31\n    text: Done\n")
bad_file("act-id-mismatch", ACTION, "id: A-other2\ntitle: T\n")
bad_file("act-on-action-list", ACTION, T + "status: finished\n", command=("action", "list"))
bad_file("sec-answers-a-list", SECTION, "unit: S1\nanswers: [a, b]\n")
bad_file("sec-answer-a-number", SECTION, "unit: S1\nanswers:\n  now: 5\n")
bad_file("sec-draft-maybe", SECTION, "unit: S1\ndraft: maybe\nanswers: {}\n")
bad_file("sec-unit-mismatch", SECTION, "unit: S2\nanswers: {}\n")
bad_file("sec-answer-too-long", SECTION, "unit: S1\nanswers:\n  now: " + "w " * 110_000 + "\n")
bad_file("sec-on-statement-show", SECTION, "unit: S1\ndraft: maybe\n", command=("statement", "show"))

# --- evaluation.yaml -------------------------------------------------------------------------------------

M = GOOD_META
bad_file("meta-unknown-framework", META, M.replace("ci-care-protection-2019", "no-such-framework"))
bad_file("meta-unknown-programme", META, M.replace("risk-of-harm-2021", "nope"))
bad_file("meta-period-reversed", META, M.replace("to: 2026-03-31", "to: 2024-03-31"))
bad_file("meta-period-impossible", META, M.replace("from: 2025-04-01", "from: 2025-04-31"))
bad_file("meta-date-impossible", META, M + "date: 2026-02-30\n")
bad_file("meta-external-grade-9", META, M + "external:\n  - indicator: '2.1'\n    grade: 9\n")
bad_file("meta-external-unknown-indicator", META, M + "external:\n  - indicator: '99.9'\n    grade: 4\n")
bad_file("meta-external-grade-text", META, M + "external:\n  - indicator: '2.1'\n    grade: good\n")
bad_file("meta-version-2", META, M.replace("qiframe: 1", "qiframe: 2"))
bad_file("meta-title-blank", META, M.replace("title: Glenmuir partnership", "title: ' '"))
bad_file("meta-checks-bad-severity", META, M + "checks:\n  ungraded: loud\n")
bad_file("meta-suppress-no-reason", META, M + "suppress:\n  - rule: ungraded\n    item: '2.1'\n")
bad_file("meta-team-text", META, M + "team: everyone\n")
bad_file("meta-unknown-field", META, M + "colour: blue\n")
bad_file("meta-malformed", META, M + "team: [\n")
bad_file("meta-framework-missing", META, "qiframe: 1\ntitle: T\n")
bad_file(
    "meta-period-text", META, M.replace("period:\n  from: 2025-04-01\n  to: 2026-03-31\n", "period: 2025\n")
)
bad_file("meta-empty", META, "")
bad_file(
    "meta-on-evidence-add",
    META,
    M.replace("risk-of-harm-2021", "nope"),
    command=("evidence", "add", "--title", "x"),
)

# --- command-line values ---------------------------------------------------------------------------------

case("cli-grade-not-a-level", "grade", "2.1", "9")
case("cli-grade-label-unknown", "grade", "2.1", "superb")
case("cli-grade-empty", "grade", "2.1", "")
case("cli-grade-100kb", "grade", "2.1", "z" * 100_000)
case("cli-grade-unknown-indicator", "grade", "9.9", "good")
case("cli-grade-agreed-without-rationale", "grade", "2.1", "good", "--agreed")
case("cli-grade-by-and-agreed", "grade", "2.1", "good", "--by", "A", "--agreed", "-r", "x")
case("cli-grade-by-blank", "grade", "2.1", "good", "--by", "  ")
case("cli-note-nothing", "note", "2.1")
case("cli-note-empty", "note", "2.1", "-s", " ")
case("cli-assign-bad-status", "assign", "2.1", "--status", "finished")
case("cli-assign-nothing", "assign", "2.1")
case("cli-evidence-blank-title", "evidence", "add", "--title", " ")
case("cli-evidence-nel-title", "evidence", "add", "--title", "a\u0085b")
case("cli-evidence-line-separator-title", "evidence", "add", "--title", "a\u2028b")
case("cli-action-nel-title", "action", "add", "--title", "a\u0085b")
case("cli-evidence-tab-only-title", "evidence", "add", "--title", "\t")
case("cli-evidence-huge-title", "evidence", "add", "--title", "t" * 100_000)
case("cli-evidence-impossible-date", "evidence", "add", "--title", "x", "--date", "2026-02-30")
case("cli-evidence-reversed-period", "evidence", "add", "--title", "x", "--date", "2026-03-01:2026-01-01")
case("cli-evidence-unknown-qi", "evidence", "add", "--title", "x", "--qi", "9.9")
case("cli-evidence-unknown-source", "evidence", "add", "--title", "x", "--source", "rumour")
case("cli-evidence-unknown-kind", "evidence", "add", "--title", "x", "--kind", "hearsay")
case("cli-evidence-show-unknown", "evidence", "show", "E-nope22")
case("cli-evidence-list-unknown-qi", "evidence", "list", "--qi", "9.9")
case("cli-evidence-link-unknown-qi", "evidence", "link", "E-good22", "--qi", "9.9")
case("cli-evidence-unlink-not-linked", "evidence", "unlink", "E-good22", "--qi", "5.1")
case("cli-evidence-remove-unknown", "evidence", "remove", "E-nope22")
case("cli-evidence-edit-nothing", "evidence", "edit", "E-good22")
case("cli-evidence-edit-blank-title", "evidence", "edit", "E-good22", "--title", "")
case("cli-evidence-edit-bad-date", "evidence", "edit", "E-good22", "--date", "2026-02-30")
case("cli-action-bad-due", "action", "add", "--title", "x", "--due", "2027-02-29")
case("cli-action-unknown-qi", "action", "add", "--title", "x", "--qi", "9.9")
case("cli-action-blank-title", "action", "add", "--title", "")
case("cli-action-update-unknown", "action", "update", "A-nope22", "--status", "done")
case("cli-action-bad-number", "action", "add", "--title", "x", "--baseline", "lots")
case("cli-describe-not-a-number", "describe", "abc")
case("cli-describe-over-100", "describe", "150")
case("cli-describe-negative", "describe", "--", "-5")
case("cli-describe-count-over-total", "describe", "--count", "5", "--of", "3")
case("cli-describe-count-alone", "describe", "--count", "1")
case("cli-describe-both", "describe", "50", "--count", "1", "--of", "2")
case("cli-describe-nan", "describe", "nan")
case("cli-external-bad-level", "external", "add", "2.1", "nine")
case("cli-external-unknown-qi", "external", "add", "9.9", "good")
case("cli-external-bad-date", "external", "add", "2.1", "good", "--date", "2026-13-01")
case("cli-statement-edit-unknown-unit", "statement", "edit", "S9")
case("cli-statement-draft-unknown-unit", "statement", "draft", "S9")
case("cli-export-unknown-suffix", "export", "statement", "-o", "statement.pdf")
case("cli-export-matrix-not-xlsx", "export", "matrix", "-o", "matrix.docx")
case("cli-export-missing-folder", "export", "statement", "-o", "no/such/folder/s.md")
case("cli-check-unknown-rule", "check", "--rule", "nope")
case("cli-status-unknown-format", "status", "--format", "xml")
case("cli-compare-with-nowhere", "compare", "--with", "/no/such/evaluation")
case("cli-unknown-command", "frobnicate")
case("cli-help-unknown", "help", "frobnicate", evaluation=False)
case("cli-frameworks-show-unknown", "frameworks", "show", "nope", evaluation=False)
case(
    "cli-frameworks-show-unknown-programme",
    "frameworks",
    "show",
    "ci-care-protection-2019",
    "--programme",
    "nope",
    evaluation=False,
)
case("cli-init-existing", "init", ".", "--framework", "es-hgios4", evaluation=False)
case("cli-init-unknown-framework", "init", "new-eval", "--framework", "nope", evaluation=False)
case(
    "cli-init-bad-period",
    "init",
    "new-eval",
    "--framework",
    "es-hgios4",
    "--period",
    "2026-04-01:2025-01-01",
    evaluation=False,
)
case("cli-evaluation-not-a-folder", "status", "-e", "/no/such/evaluation", evaluation=False)


# --- spreadsheets --------------------------------------------------------------------------------------


def sheet(
    name: str, content: bytes | Callable[[Path], None], *command: str, names: str | None = None
) -> None:
    """A spreadsheet written beside the evaluation, then given to a command; the message names it."""

    def prepare(root: Path, name=name, content=content) -> None:
        target = root.parent / name
        if callable(content):
            content(target)
        else:
            target.write_bytes(content)

    case(
        f"sheet-{name}-{command[0]}",
        *[a.replace("FILE", f"../{name}") for a in command],
        names=names or name,
        prepare=prepare,
    )


def _xlsx(rows: list[list], formula: str | None = None) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for row in rows:
            ws.append(row)
        if formula:
            ws["B2"] = formula
        wb.save(path)

    return write


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


for command in (
    ("evidence", "import", "FILE"),
    ("records", "summarise", "FILE"),
    ("survey", "summarise", "FILE"),
):
    sheet("text-as.xlsx", b"this is not a workbook\n", *command)
    sheet("zip-not-workbook.xlsx", _zip_without_workbook, *command)
    sheet("empty.csv", b"", *command)
    sheet("latin1.csv", "Record,Chronology\nR1,caf\xe9\n".encode("latin-1"), *command)
    sheet("nul.csv", b"Record,Item\nR1,\x00\n", *command)
    if command[0] != "survey":  # a survey of nobody is reported as such, not refused
        sheet("notes.txt", b"some notes\n", *command)
sheet(
    "formula.xlsx", _xlsx([["id", "title"], ["E-good22", "x"]], formula="=1+1"), "evidence", "import", "FILE"
)
sheet(
    "audit.csv", b"Record,Chronology\nR1,yes\n", "records", "summarise", "FILE", "--sheet", "Nope", names=None
)
sheet("audit2.csv", b"Record,Chronology\nR1,yes\nR2,no\n", "records", "summarise", "FILE", "--by", "Team")
sheet("survey.csv", b"Respondent,Q1\nS1,Agree\n", "survey", "summarise", "FILE", "--by", "Role")
sheet("ids.csv", b"Record,Chronology\nR1,yes\n", "records", "summarise", "FILE", "--id", "Case")
case("sheet-missing-records", "records", "summarise", "../no-such-file.csv", names="no-such-file.csv")
case("sheet-missing-import", "evidence", "import", "../no-such-file.xlsx", names="no-such-file.xlsx")
case("sheet-folder-import", "evidence", "import", "../", names="..")


# --- environments ----------------------------------------------------------------------------------------


def editor(body: str) -> dict[str, str]:
    """An $EDITOR that runs a line of Python on the file it is given (`p`, a Path)."""
    code = f"import sys, pathlib; p = pathlib.Path(sys.argv[1]); {body}"
    return {"EDITOR": f"{sys.executable} -c {_quote(code)}"}


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


case("env-editor-missing", "edit", "2.1", env={"EDITOR": "no-such-editor-qiframe"})
case("env-editor-unbalanced-quote", "edit", "2.1", env={"EDITOR": "vi 'oops"})
case("env-editor-fails", "edit", "2.1", env={"EDITOR": "false"})
case("env-editor-not-executable", "edit", "2.1", env={"EDITOR": "/etc/hostname"})
case(
    "env-editor-latin-1",
    "edit",
    "2.1",
    names=INDICATOR,
    located=True,
    env=editor("p.write_bytes(p.read_bytes() + 'lead: Ren\\u00e9e\\n'.encode('latin-1'))"),
)
case(
    "env-editor-nel",
    "edit",
    "2.1",
    names=INDICATOR,
    located=True,
    env=editor("p.write_text(p.read_text() + 'lead: a\\u0085b\\n', encoding='utf-8')"),
)
case(
    "env-editor-grade-9",
    "edit",
    "2.1",
    names=INDICATOR,
    located=True,
    env=editor("p.write_text(p.read_text() + 'grade: 9\\n')"),
)
case("env-editor-binary", "edit", "2.1", names=INDICATOR, env=editor("p.write_bytes(b'\\x00\\x01')"))
case("env-editor-deletes-file", "edit", "2.1", names=INDICATOR, env=editor("p.unlink()"))
case(
    "env-editor-changes-id",
    "edit",
    "2.1",
    names=INDICATOR,
    located=True,
    env=editor("p.write_text(p.read_text().replace(\"'2.1'\", \"'2.2'\"))"),
)
case("env-statement-editor-missing", "statement", "edit", "S1", env={"EDITOR": "no-such-editor-qiframe"})


def _plain_file(name: str) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).write_text("oops\n", encoding="utf-8")

    return prepare


for folder in (".qiframe", "evidence", "indicators", "actions", "statement"):
    case(f"env-{folder.strip('.')}-is-a-file", "status", prepare=_plain_file(folder), names=folder)
case(
    "env-qiframe-is-a-file-on-write",
    "note",
    "2.1",
    "-s",
    "x",
    prepare=_plain_file(".qiframe"),
    names=".qiframe",
)
case(
    "env-evidence-is-a-file-on-add",
    "evidence",
    "add",
    "--title",
    "x",
    prepare=_plain_file("evidence"),
    names="evidence",
)


def _link(target: str, name: str = "E-link22.yaml") -> Callable[[Path], None]:
    return lambda root: (root / "evidence" / name).symlink_to(target)


def _loop(root: Path) -> None:
    (root / "evidence" / "E-loop22.yaml").symlink_to("E-loop23.yaml")
    (root / "evidence" / "E-loop23.yaml").symlink_to("E-loop22.yaml")


case("env-dangling-link", "status", prepare=_link("nowhere.yaml"), names="evidence/E-link22.yaml")
case("env-link-loop", "status", prepare=_loop, names="evidence/E-loop22.yaml")
case("env-link-to-folder", "status", prepare=_link("../indicators"), names="evidence/E-link22.yaml")
case(
    "env-fifo",
    "status",
    prepare=lambda root: os.mkfifo(root / "evidence" / "E-fifo22.yaml"),
    names="evidence/E-fifo22.yaml",
    process=True,
)
case(
    "env-fifo-indicator",
    "grade",
    "2.2",
    "4",
    prepare=lambda root: os.mkfifo(root / "indicators" / "5.9.yaml"),
    names="indicators/5.9.yaml",
    process=True,
)
case(
    "env-evaluation-yaml-is-a-folder",
    "status",
    prepare=lambda root: ((root / META).unlink(), (root / META).mkdir()),
    names="ev",
)
case("env-cwd-deleted", "status", process=True, evaluation=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = store.init(
        tmp_path_factory.mktemp("corpus") / "ev",
        "ci-care-protection-2019",
        "risk-of-harm-2021",
        organisation="Glenmuir partnership",
        period=("2025-04-01", "2026-03-31"),
    )
    (root / EVIDENCE).write_text(GOOD_EVIDENCE, encoding="utf-8")
    (root / ACTION).write_text(GOOD_ACTION, encoding="utf-8")
    (root / "statement").mkdir(exist_ok=True)
    (root / SECTION).write_text(GOOD_SECTION, encoding="utf-8")
    (root / META).write_text(GOOD_META, encoding="utf-8")
    store.load(root)  # the template itself is valid
    return root


def test_the_corpus_is_wide_enough():
    kinds = {name.split("-")[0] for name in CORPUS}
    assert len(CORPUS) >= 150, len(CORPUS)
    assert {"ev", "qi", "act", "sec", "meta", "cli", "sheet", "env"} <= kinds


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_input(name, template, tmp_path, cli):
    spec = CORPUS[name]
    if ("fifo" in name and not hasattr(os, "mkfifo")) or ("link" in name and os.name == "nt"):
        pytest.skip("POSIX only")
    work = tmp_path / "work"
    work.mkdir()
    root = work / "ev"
    shutil.copytree(template, root, symlinks=True)
    for relpath, content in spec.files.items():
        if content is None:
            (root / relpath).unlink()
        else:
            (root / relpath).write_bytes(content)
    if spec.prepare:
        spec.prepare(root)
    before = snapshot_safe(root)
    args = [*spec.args, *(["-e", str(root)] if spec.evaluation else [])]
    code, out, err = run(name, args, root, spec)
    assert code == 2, (code, out[-500:], err[-1500:])
    errors = [line for line in err.splitlines() if line.startswith("qiframe: error: ")]
    assert len(errors) == 1, err[-2000:]
    others = [
        line
        for line in err.splitlines()
        if line.strip() and not line.startswith(("qiframe: error: ", "Usage:"))
    ]
    assert not others, err[-2000:]
    assert "Traceback" not in out + err
    assert len(err.encode("utf-8")) < 2048, len(err)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", err), repr(err[:300])
    if spec.names is not None:
        assert spec.names in errors[0], errors[0]
        if spec.located:
            assert re.search(re.escape(spec.names) + r":\d+:\d+: ", errors[0]), errors[0]
    assert snapshot_safe(root) == before


def snapshot_safe(root: Path) -> dict:
    """conftest.snapshot (every file's bytes), plus the links and special files it does not read."""
    out: dict = dict(snapshot(root))
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(root))] = ("link", os.readlink(p))
        elif not p.is_dir() and not p.is_file() and p.exists():
            out[str(p.relative_to(root))] = ("special", p.stat().st_mode)
    return out


def run(name: str, args: list[str], root: Path, spec: Case) -> tuple[int, str, str]:
    from tests.conftest import run_cli

    if not spec.process:
        saved = {k: os.environ.get(k) for k in spec.env}
        os.environ.update(spec.env)
        try:
            result = run_cli(*args, cwd=root)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return result.code, result.out, result.err
    env = {**os.environ, **spec.env}
    if name == "env-cwd-deleted":
        gone = root.parent / "gone"
        gone.mkdir()
        script = (
            "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
            "from qiframe.cli.main import run; run(sys.argv[2:])"
        )
        command = [sys.executable, "-c", script, str(gone), *args]
    else:
        command = [sys.executable, "-c", "from qiframe.cli.main import run; run()", *args]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr
