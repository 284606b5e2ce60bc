"""The rendering layer: every (result type, format) in the registry renders a sample result, and the command
line keeps to parse -> call -> render (no report built in `cli/`, no long command functions).

The source rules are read from the code with `ast`, and each checker is shown failing on a small sample of
code that breaks its rule, so a rule that stopped matching anything could not pass silently.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from qiframe import render

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "src" / "qiframe" / "cli"
EXAMPLE = ROOT / "evaluations" / "example-partnership"
DANGLING = ROOT / "tests" / "data" / "checks" / "dangling-reference"
MOST_COMMAND_LINES = 35
"""Most lines of a command function's body (after its docstring)."""


# --- samples of every result type the registry renders ----------------------------------------------------


def _framework():
    from qiframe import frameworks

    return frameworks.load("ci-care-protection-2019")


def _table(tmp_path: Path, name: str, text: str):
    from qiframe.imports import tables

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return tables.read_table(path)


RECORDS_CSV = (
    "Record,Reader,Plan quality,Child seen,Team\nR1,A,5,Yes,North\nR2,A,4,No,South\nR3,A,3,Yes,North\n"
    "R1,B,4,Yes,North\nR2,B,2,No,South\nR3,B,3,n/a,North\n"
)
SURVEY_CSV = (
    "Respondent,I feel safe,I am listened to,Group\n1,Strongly agree,Yes,a\n2,Agree,No,b\n"
    "3,Disagree,Yes,a\n4,Don't know,Yes,b\n"
)


def _copy(source: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / source.name
    if not target.exists():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("cache.json"))
    return target


def _example(tmp_path):
    from qiframe import store

    return store.load(_copy(EXAMPLE, tmp_path))


def _check_report(tmp_path):
    from qiframe import checks, store

    return checks.run(store.load(_copy(DANGLING, tmp_path)))


def _aggregate(tmp_path):
    from qiframe.portfolio import aggregate

    return aggregate.aggregate([_copy(EXAMPLE, tmp_path)])


def _proportion(tmp_path):
    from qiframe.analysis import quantities, reports

    fw = _framework()
    return reports.Proportion(quantities.describe(6.25, fw.quantity_terms), fw, "a fraction?")


def _records(tmp_path):
    from qiframe import evidence
    from qiframe.analysis import records, reports

    fw = _framework()
    table = _table(tmp_path, "records.csv", RECORDS_CSV)
    item = next(iter(_example(tmp_path).evidence.values()))
    return reports.RecordsReport(
        records.summarise_records(table, fw.scale, fw.quantity_terms, by="Team"),
        fw,
        evidence.Recorded(item, True),
    )


def _agreement(tmp_path):
    from qiframe.analysis import agreement, reports

    fw = _framework()
    return reports.AgreementReport(
        agreement.pair_agreement(_table(tmp_path, "pairs.csv", RECORDS_CSV), fw.scale), fw
    )


def _survey(tmp_path):
    from qiframe.analysis import reports, surveys

    fw = _framework()
    table = _table(tmp_path, "survey.csv", SURVEY_CSV)
    summary = surveys.summarise_survey(table, fw.quantity_terms, by="Group", invited={"": 10}, scale=fw.scale)
    return reports.SurveyReport(summary, fw)


def _external(tmp_path):
    from qiframe import compare

    return compare.compare_external(_example(tmp_path))


def _years(tmp_path):
    from qiframe import compare

    ev = _example(tmp_path)
    return compare.compare_years(ev, ev)


def _trend(tmp_path):
    from qiframe.compare import trend

    ev = _example(tmp_path)
    return trend.compare_trend([ev, ev])


def _action(tmp_path):
    return next(iter(_example(tmp_path).actions.values()))


def _actions_chosen(tmp_path):
    from qiframe import actions

    return actions.choose(_example(tmp_path))


def _evidence_item(tmp_path):
    return next(iter(_example(tmp_path).evidence.values()))


def _evidence_chosen(tmp_path):
    from qiframe import evidence

    return evidence.choose(_example(tmp_path))


def _listed(tmp_path):
    from qiframe import frameworks

    return frameworks.listing()


def _shown(tmp_path):
    from qiframe import frameworks

    return frameworks.show("ci-care-protection-2019", "joint-2018")


def _status(tmp_path):
    from qiframe import status

    return status.status(_example(tmp_path))


def _evidence_imported(tmp_path):
    from qiframe.imports import changes
    from qiframe.imports import evidence as importer

    path = tmp_path / "register.csv"
    path.write_text("Title,Kind,Date\nAudit [bold]notes[/],Audit,2026-03\nNo kind,,\n", encoding="utf-8")
    words = importer.parse_values(["Audit=case-file-audit"])
    plan = importer.plan_import(_example(tmp_path), importer.read(path), {}, words)
    return changes.EvidenceImported(plan, None, True)


def _grid_imported(tmp_path):
    from qiframe.imports import changes, grid

    path = tmp_path / "grid.csv"
    path.write_text("QI,Grade,Strengths\n2.1,Good,Staff know children well\n9.9,Weak,x\n", encoding="utf-8")
    return changes.GridImported(grid.plan_import(_example(tmp_path), path), None, True)


def _assessments_imported(tmp_path):
    from qiframe.exports.assessments import write_assessments
    from qiframe.imports import assessments, changes

    ev = _example(tmp_path)
    path = tmp_path / "forms.xlsx"
    write_assessments(ev, path, (), "Pair A")
    return changes.AssessmentsImported(assessments.plan_import(ev, path), ("indicators/2.1.yaml",), False)


def _statement_imported(tmp_path):
    from qiframe import exports
    from qiframe.imports import changes, statement_docx

    ev = _example(tmp_path)
    path = tmp_path / "statement.docx"
    exports.write_statement(ev, path)
    return changes.StatementImported(statement_docx.plan_import(ev, path), None, True)


def _review(tmp_path):
    from qiframe import statement

    return statement.review(_example(tmp_path), "S1")


def _grades(tmp_path):
    from qiframe import store
    from qiframe.compare import external

    root = _copy(EXAMPLE, tmp_path)
    external.add(root, "2.1", "4", "Inspection [report]", "2026-01-20")
    return external.grades(store.load(root))


def _findings(tmp_path):
    from qiframe import store
    from qiframe.compare import findings

    root = _copy(EXAMPLE, tmp_path)
    findings.add(root, "strength", "Staff know the [bold]children[/] well", ("2.1",))
    return findings.listed(store.load(root))


def _statement(tmp_path):
    from qiframe import statement

    return statement.build_statement(_example(tmp_path))


def _rolled(tmp_path):
    from qiframe import rollforward

    return rollforward.roll_forward(_copy(EXAMPLE, tmp_path), tmp_path / "next-year", "", "current", "", None)


SAMPLES = {
    "qiframe.statement.Statement": _statement,
    "qiframe.rollforward.RollForward": _rolled,
    "qiframe.statement.Review": _review,
    "qiframe.compare.external.Grades": _grades,
    "qiframe.compare.findings.Listed": _findings,
    "qiframe.checks.Report": _check_report,
    "qiframe.portfolio.aggregate.Aggregate": _aggregate,
    "qiframe.analysis.reports.Proportion": _proportion,
    "qiframe.analysis.reports.RecordsReport": _records,
    "qiframe.analysis.reports.AgreementReport": _agreement,
    "qiframe.analysis.reports.SurveyReport": _survey,
    "qiframe.compare.ExternalComparison": _external,
    "qiframe.compare.YearComparison": _years,
    "qiframe.compare.trend.Trend": _trend,
    "qiframe.model.Action": _action,
    "qiframe.actions.Chosen": _actions_chosen,
    "qiframe.model.Evidence": _evidence_item,
    "qiframe.evidence.Chosen": _evidence_chosen,
    "qiframe.frameworks.Listed": _listed,
    "qiframe.frameworks.Shown": _shown,
    "qiframe.status.Status": _status,
    "qiframe.imports.changes.EvidenceImported": _evidence_imported,
    "qiframe.imports.changes.GridImported": _grid_imported,
    "qiframe.imports.changes.AssessmentsImported": _assessments_imported,
    "qiframe.imports.changes.StatementImported": _statement_imported,
}
"""Result type -> a function making a real one (from the core, never built by hand)."""


def test_every_result_type_in_the_registry_has_a_sample():
    missing = sorted({kind for kind, _ in render.registry()} - set(SAMPLES))
    assert not missing, f"add a sample to SAMPLES for: {missing}"


@pytest.mark.parametrize("kind,fmt", sorted(render.registry()), ids=lambda v: v.rsplit(".", 1)[-1])
def test_every_renderer_renders_a_sample(kind, fmt, tmp_path):
    result = SAMPLES[kind](tmp_path)
    assert render.type_name(type(result)) == kind
    text = render.render(result, fmt)
    assert isinstance(text, str) and text.endswith("\n") and text.strip()
    if fmt == "json":
        assert isinstance(json.loads(text), dict)
    elif fmt == "csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
    elif fmt == "md":
        assert text.startswith("#") or text.startswith("|")
    elif fmt == "github":
        assert text.splitlines()[0].startswith("::")
    elif isinstance(text, render.Markup):
        from rich.text import Text

        Text.from_markup(text)  # well-formed console markup: every tag closed, file text escaped
    assert fmt in render.formats(kind)


def test_a_grid_is_the_same_report_as_plain_text():
    table = render.Table((render.Column("id"), render.Column("title")), (("E-1", "Audit"), ("E-22", "Visit")))
    tree = render.Tree("root")
    tree.add("branch").add("leaf")
    grid = render.Grid(["heading", table, tree, "2 items"])
    assert grid == "heading\nid  title\nE-1  Audit\nE-22  Visit\nroot\n    branch\n        leaf\n2 items\n"
    assert grid.parts == ("heading", table, tree, "2 items")


def test_file_text_with_markup_prints_literally(tmp_path):
    from rich.text import Text

    assert (
        "Audit [bold]notes[/]" in Text.from_markup(render.render(_evidence_imported(tmp_path), "text")).plain
    )


# --- the command line builds no report itself -------------------------------------------------------------


def report_building(source: str, name: str = "<cli>") -> list[str]:
    """Places in a module's source that build JSON, CSV or a Markdown table themselves."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in {
                ("json", "dumps"),
                ("json", "dump"),
                ("csv", "writer"),
                ("csv", "DictWriter"),
            }:
                found.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module in ("json", "csv"):
            found += [
                f"{name}:{node.lineno} imports {a.name} from {node.module}"
                for a in node.names
                if a.name in ("dumps", "dump", "writer", "DictWriter")
            ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "|---" in node.value or "---|" in node.value:
                found.append(f"{name}:{node.lineno} writes a Markdown table rule")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
            and " | " in node.func.value.value
        ):  # a cell separator; "|".join of choices is help text
            found.append(f"{name}:{node.lineno} joins Markdown table cells")
    return found


def test_cli_modules_build_no_json_csv_or_markdown_tables():
    found = [
        hit
        for path in sorted(CLI.glob("*.py"))
        for hit in report_building(path.read_text(encoding="utf-8"), path.name)
    ]
    assert not found, "render these in qiframe.render instead:\n" + "\n".join(found)


def test_the_report_building_finder_finds_each_kind():
    sample = (
        "import json, csv\nfrom json import dumps\n"
        "def a(x):\n    return json.dumps(x)\n"
        "def b(f):\n    return csv.writer(f)\n"
        "def c(cells):\n    return ['| ' + ' | '.join(cells) + ' |', '|---|---|']\n"
    )
    assert sorted(f.split(" ", 1)[1] for f in report_building(sample)) == [
        "imports dumps from json",
        "joins Markdown table cells",
        "uses csv.writer",
        "uses json.dumps",
        "writes a Markdown table rule",
    ]


# --- command functions stay short --------------------------------------------------------------------------


def _is_command(node: ast.FunctionDef) -> bool:
    """A function whose parameters are typer options or arguments (directly or through a shared constant)."""
    for default in [*node.args.defaults, *node.args.kw_defaults]:
        if (
            isinstance(default, ast.Call)
            and isinstance(default.func, ast.Attribute)
            and isinstance(default.func.value, ast.Name)
            and default.func.value.id == "typer"
        ):
            return True
        if isinstance(default, ast.Name) and default.id.isupper():
            return True
    return False


def long_commands(source: str, name: str = "<cli>", most: int = MOST_COMMAND_LINES) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.FunctionDef) or not _is_command(node):
            continue
        body = node.body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring is help text, not work
        if body and (lines := node.end_lineno - body[0].lineno + 1) > most:
            found.append(f"{name}: {node.name} has {lines} lines")
    return found


def test_command_functions_are_short():
    found = [
        hit
        for path in sorted(CLI.glob("*.py"))
        for hit in long_commands(path.read_text(encoding="utf-8"), path.name)
    ]
    assert not found, (
        f"commands over {MOST_COMMAND_LINES} lines (move the work into the core and the "
        "report into qiframe.render):\n" + "\n".join(found)
    )


def test_the_length_check_counts_commands_only():
    body = "\n".join(f"    x{i} = {i}" for i in range(36))
    sample = (
        f"import typer\ndef cmd(a: int = typer.Option(1)):\n    '''Help.'''\n{body}\n"
        f"def shared(a: int = OPTION):\n{body}\n"
        f"def helper(a=1):\n{body}\n"
    )
    assert long_commands(sample) == ["<cli>: cmd has 36 lines", "<cli>: shared has 36 lines"]
    assert long_commands(sample, most=36) == []


# --- the core names its parameters, never a command-line flag ----------------------------------------------

SRC = ROOT / "src" / "qiframe"
FLAG = re.compile(r"(?<![\w`-])--[a-z][a-z-]+")
STILL_NAMING_FLAGS = {
    "compare/__init__.py",
    "exports/__init__.py",
    "exports/matrix.py",
    "exports/moderation.py",
    "imports/assessments.py",
    "imports/evidence.py",
    "imports/grid.py",
    "periods.py",
    "render/analysis.py",
    "rollforward.py",
    "checks/unconfirmed_wording.py",
}
"""Core modules whose messages still name flags (issue 17's remaining work): none may join, and each must
leave the list once its messages name parameters (`InputError(..., options=...)`)."""


def flags_named(source: str) -> list[str]:
    """Flags in a module's string constants other than docstrings, CSS, and commands quoted in backticks."""
    tree = ast.parse(source)
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string: its text around the values, read as one
            value = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs | parts:
            value = node.value
        else:
            continue
        text = re.sub(r"`[^`]*`", "", value)
        if "{" in text and ":root" in text:
            continue  # a style sheet's custom properties
        found += FLAG.findall(text)
    return found


def test_core_messages_name_parameters_not_flags():
    naming = {
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if not p.relative_to(SRC).as_posix().startswith(("cli/", "web/", "checks/_docs"))
        and flags_named(p.read_text(encoding="utf-8"))
    }
    assert not naming - STILL_NAMING_FLAGS, "write {name} and options=(name,) instead of the flag"
    assert not STILL_NAMING_FLAGS - naming, "these no longer name flags: take them off the list"
    assert flags_named(
        '"""--doc"""\nx = "give --by NAME"\ny = "see `qiframe grade --agreed`"\n'
        'z = f"`qiframe grade {a} --agreed` or {b} --qi"\n'
    ) == ["--by", "--qi"]


def test_an_error_names_a_parameter_that_each_front_end_spells():
    from qiframe.cli.main import flag
    from qiframe.errors import InputError

    problem = InputError("{by} records a proposal and {agreed} the agreed grade", options=("by", "agreed"))
    assert problem.said(flag) == "--by records a proposal and --agreed the agreed grade"
    assert problem.said(str.upper) == "BY records a proposal and AGREED the agreed grade"
    assert flag("rationale") == "-r/--rationale" and flag("min_sample") == "--min-sample"
    assert InputError("no {braces} named").said(flag) == "no {braces} named"


def test_the_command_line_spells_the_cores_parameters_as_its_flags(cli, tmp_path):
    from qiframe import store

    root = store.init(tmp_path / "ev", "ci-care-protection-2019", "risk-of-harm-2021")
    result = cli("grade", "2.1", "3", "--by", "Aisha", "--agreed", "-e", root)
    assert result.code == 2
    assert (
        result.err
        == "qiframe: error: --by records a proposal and --agreed the agreed grade: give one of them\n"
    )
