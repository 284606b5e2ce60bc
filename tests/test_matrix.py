"""The Excel evidence matrix, read back with openpyxl (and converted by LibreOffice where it is installed).

Expected values are computed here from the loaded evaluation, independently of the exporter's code, and
compared with what the workbook holds.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from qiframe import model, store
from qiframe.exports import matrix
from qiframe.exports.matrix import level_colours, write_matrix
from tests.conftest import DATA, EXAMPLE, snapshot

PAYLOAD = '=HYPERLINK("http://x","y")'
SOFFICE = shutil.which("soffice")
NOW = datetime(2026, 1, 15, 9, 30)
EVIDENCE_HEADERS = [
    "ID",
    "Title",
    "What it shows",
    "Kind",
    "Source",
    "Date",
    "Date to",
    "Agency",
    "Voice",
    "Ages",
    "Owner",
    "Location",
    "Indicators",
    "Themes",
    "Units",
    "Submission",
    "Personal data",
]
SHEETS = ["Summary", "Evidence", "Matrix", "Triangulation", "Actions", "Lists"]


# --- evaluations to export ---------------------------------------------------------------------------


def copy_example(tmp_path: Path) -> Path:
    """The example evaluation, copied so that loading it writes no cache into the repository."""
    if not (EXAMPLE / "evaluation.yaml").is_file():
        pytest.skip("the example evaluation is not there yet")
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".qiframe"))
    return target


def build_rich(tmp_path: Path) -> Path:
    """A four-level-scale evaluation whose text tries every trick: formula-like starts, control
    characters, personal data, a dangling indicator, non-web locations and an action with a measure."""
    fw_text = (DATA / "frameworks" / "valid" / "four-level.yaml").read_text(encoding="utf-8")
    fw_text = fw_text.replace("title: Children's voices shape what we do", f"title: '{PAYLOAD}'")
    fw_text = fw_text.replace("title: How good is our care?", "title: '+ How good is our care?'")
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "four-level.yaml").write_text(fw_text, encoding="utf-8")
    root = store.init(
        tmp_path / "ev",
        "test-four-level",
        "visit",
        title=PAYLOAD,
        organisation="@Partnership",
        period=("2025-04-01", "2026-03-31"),
    )
    items = [
        dict(
            id="E-aaaaa1",
            title=PAYLOAD,
            summary="Line one\nline two",
            kind="survey",
            source="views",
            date="2025-05-01",
            date_to="2025-06-30",
            agency="-Council",
            owner="+Owner",
            location="https://example.org/report?a=1&b=2",
            indicators=["safe-care", "voice"],
            themes=["safe-care: Safe routines"],
            units=["U1"],
            submission=True,
        ),
        dict(
            id="E-aaaaa2",
            title="+plus",
            kind="case-file-audit",
            source="data",
            date="2025-07-01",
            location="file:///C:/secret.docx",
            indicators=["leadership", "safe-care"],
        ),
        dict(
            id="E-aaaaa3",
            title="\tstarts with a tab",
            source="observation",
            location="javascript:alert(1)",
            indicators=["voice", "improvement"],
        ),
        dict(
            id="E-aaaaa4",
            title="Named child's chronology",
            personal_data=True,
            indicators=["safe-care"],
            source="documentation",
        ),
        dict(
            id="E-aaaaa5",
            title="#N/A",
            location="Shared drive/plan.docx",
            indicators=["99.9", "voice"],
            source="documentation",
            kind="plan",
        ),
        dict(id="E-aaaaa6", title="@mention and \rcarriage return", kind="minutes", source="views"),
    ]
    with store.writing(root):
        for item in items:
            store.write_new(root / "evidence" / f"{item['id']}.yaml", "evidence", item)
        store.write_new(
            root / "actions" / "A-aaaaa1.yaml",
            "action",
            {
                "id": "A-aaaaa1",
                "title": PAYLOAD,
                "indicator": "safe-care",
                "improvement": "-Plans are late",
                "owner": "Service manager",
                "due": "2026-06-30",
                "status": "in-progress",
                "measure": {
                    "name": "Plans on time",
                    "unit": "%",
                    "baseline": 40,
                    "target": 90,
                    "current": 55.5,
                    "as_of": "2026-02-01",
                },
                "progress": [
                    {"date": "2026-01-10", "text": "Audit started"},
                    {"date": "2026-02-01", "text": "=SUM(A1:A9) started"},
                ],
            },
        )
        store.write_new(root / "actions" / "A-aaaaa2.yaml", "action", {"id": "A-aaaaa2", "title": "Plain"})
    for indicator, grade, lead in (
        ("safe-care", 4, PAYLOAD),
        ("voice", 3, "Lead"),
        ("leadership", 2, ""),
        ("improvement", 1, "Other lead"),
    ):

        def mutate(doc, grade=grade, lead=lead):
            store.set_field(doc, "grade", grade, store.ASSESSMENT_FIELDS)
            store.set_field(doc, "lead", lead, store.ASSESSMENT_FIELDS)

        store.edit_assessment(root, indicator, mutate)
    return root


def rich_folder(folder: Path) -> None:
    """`build_rich` in a folder of its own (the evaluation and the workspace framework beside it)."""
    folder.mkdir()
    build_rich(folder)


@pytest.fixture
def rich(tmp_path, prebuilt) -> Path:
    prebuilt(rich_folder, tmp_path / "rich")
    return tmp_path / "rich" / "ev"


@pytest.fixture
def example(tmp_path) -> Path:
    return copy_example(tmp_path)


def export(root: Path, out: Path, **options) -> openpyxl.Workbook:
    write_matrix(store.load(root), out, now=NOW, **options)
    return openpyxl.load_workbook(out)


# --- reading a sheet back ----------------------------------------------------------------------------


def table(ws, header_row: int = 1) -> list[dict]:
    """Rows under a header row as dicts of header -> value."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:] if any(v is not None for v in row)]


def summary_rows(ws) -> list[dict]:
    """The per-indicator table of the Summary sheet: from its header to the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Key question")
    out = []
    for row in rows[start + 1 :]:
        if all(v is None for v in row):
            break
        out.append(dict(zip(rows[start], row, strict=False)))
    return out


def expected_row(e: model.Evidence) -> list:
    """The Evidence sheet row an item should have, worked out here rather than by the exporter."""

    def text(value: str):
        return value or None

    def day(value: str):
        # A whole day is an Excel date; a month or a year stays text at its precision.
        return (datetime.fromisoformat(value) if len(value) == 10 else value) if value else None

    return [
        e.id,
        text(e.title),
        text(e.summary),
        e.kind,
        e.source,
        day(e.date),
        day(e.date_to),
        text(e.agency),
        text("; ".join(e.voice)),
        text("; ".join(e.ages)),
        text(e.owner),
        text(e.location),
        text("; ".join(e.indicators)),
        text("; ".join(e.themes)),
        text("; ".join(e.units)),
        "yes" if e.submission else "no",
        "yes" if e.personal_data else "no",
    ]


def assert_workbook_matches(
    wb: openpyxl.Workbook, ev: model.Evaluation, include_personal: bool = False
) -> None:
    """Every item, field, link mark, total and count of the workbook equals the evaluation's data."""
    items = [e for e in ev.evidence.values() if include_personal or not e.personal_data]
    assert wb.sheetnames == SHEETS

    # Evidence: one row per item, every field.
    rows = list(wb["Evidence"].iter_rows(values_only=True))
    assert list(rows[0]) == EVIDENCE_HEADERS
    got = {row[0]: list(row) for row in rows[1:]}
    assert set(got) == {e.id for e in items}
    for e in items:
        assert got[e.id] == expected_row(e), e.id

    # Matrix: a mark exactly where linked; totals per row, per column and overall.
    grid = list(wb["Matrix"].iter_rows(values_only=True))
    header = grid[1]
    assert header[:2] == ("ID", "Title") and header[-1] == "Total"
    indicators = list(header[2:-1])
    linked = {i for e in items for i in e.indicators}
    assert linked <= set(indicators)
    titles = grid[2]
    assert titles[1] == "Indicator"
    assert list(titles[2:-1]) == [ev.title_of(i) or None for i in indicators]
    body, totals = grid[3:-1], grid[-1]
    assert [row[0] for row in body] == sorted((e.id for e in items), key=lambda i: (ev.evidence[i].date, i))
    for row in body:
        e = ev.evidence[row[0]]
        assert row[1] == (e.title or None)
        marks = {ind for ind, cell in zip(indicators, row[2:-1], strict=True) if cell == matrix.MARK}
        assert marks == set(e.indicators), e.id
        assert all(cell in (matrix.MARK, None) for cell in row[2:-1])
        assert row[-1] == len(set(e.indicators))
    for ind, total in zip(indicators, totals[2:-1], strict=True):
        assert total == sum(ind in e.indicators for e in items), ind
    assert totals[-1] == sum(len(set(e.indicators)) for e in items)

    # Matrix: key-question header cells span exactly their indicators.
    ws = wb["Matrix"]
    spans = {str(r) for r in ws.merged_cells.ranges}
    fw = ev.framework
    col = 3
    for kq in fw.key_questions:
        shown = [i for i in kq.indicators if i in indicators]
        if not shown:
            continue
        assert ws.cell(1, col).value == f"{kq.id} {kq.title}"
        assert indicators[col - 3 : col - 3 + len(shown)] == shown
        if len(shown) > 1:
            first = openpyxl.utils.get_column_letter(col)
            last = openpyxl.utils.get_column_letter(col + len(shown) - 1)
            assert f"{first}1:{last}1" in spans
        col += len(shown)

    # Triangulation: per indicator, items per source.
    assert wb["Triangulation"]["A1"].value.startswith(
        "Highlighted: fewer than 2 of the triangulation sources"
    )
    for row in table(wb["Triangulation"], 2):
        ind = row["ID"]
        mine = [e for e in items if ind in e.indicators]
        for source in model.SOURCES:
            assert row[model.SOURCE_LABELS[source]] == sum(e.source == source for e in mine), (ind, source)
        assert row["Items"] == len(mine)
        assert row["Sources"] == len({e.source for e in mine})
        assert row["Triangulating sources"] == len({e.source for e in mine} - {"documentation"})
    assert [r["ID"] for r in table(wb["Triangulation"], 2)] == indicators

    # Summary: per indicator lead, grade, label, evidence count.
    summary = {r["ID"]: r for r in summary_rows(wb["Summary"])}
    for ind, a in ev.assessments.items():
        row = summary[ind]
        assert row["Lead"] == (a.lead or None)
        assert row["Grade"] == a.grade
        assert row["Grade label"] == (fw.scale.level(a.grade).label if a.grade is not None else None)
        prog = ev.programme
        suite = prog.suite(ind) if prog else None
        covers = set(suite.indicators) if suite else {ind}
        assert row["Evidence"] == sum(bool(covers & set(e.indicators)) for e in items), ind

    # Actions: one row per action.
    actions = {r["ID"]: r for r in table(wb["Actions"])}
    assert set(actions) == set(ev.actions)
    for a in ev.actions.values():
        row = actions[a.id]
        assert (row["Title"], row["Indicator"] or "", row["Owner"] or "", row["Status"]) == (
            a.title,
            a.indicator,
            a.owner,
            a.status,
        )
        assert row["Due"] == (datetime.fromisoformat(a.due) if a.due else None)
        if a.measure:
            assert (row["Baseline"], row["Target"], row["Current"]) == (
                a.measure.baseline,
                a.measure.target,
                a.measure.current,
            )
        if a.progress:
            latest = max(a.progress, key=lambda p: p.date)
            assert row["Latest progress"] == latest.text
            assert row["Latest progress date"] == datetime.fromisoformat(latest.date)


# --- the must-shows ----------------------------------------------------------------------------------


def test_example_workbook_equals_the_evaluation(example, tmp_path):
    ev = store.load(example)
    assert len(ev.evidence) > 10  # the example is a realistic register, not an empty folder
    wb = export(example, tmp_path / "matrix.xlsx")
    assert_workbook_matches(wb, ev)


def test_rich_workbook_equals_the_evaluation_with_and_without_personal_data(rich, tmp_path):
    ev = store.load(rich)
    wb = export(rich, tmp_path / "a.xlsx")
    assert_workbook_matches(wb, ev)
    ids = [row[0] for row in wb["Evidence"].iter_rows(min_row=2, values_only=True)]
    assert "E-aaaaa4" not in ids
    facts = {row[0]: row[2] for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert facts["Left out (personal data)"] == 1
    assert facts["Evidence items"] == len(ev.evidence) - 1
    assert facts["Generated"] == NOW
    assert facts["qiframe version"]

    wb = export(rich, tmp_path / "b.xlsx", include_personal=True)
    assert_workbook_matches(wb, ev, include_personal=True)
    ids = [row[0] for row in wb["Evidence"].iter_rows(min_row=2, values_only=True)]
    assert "E-aaaaa4" in ids


def test_a_formula_like_title_is_a_text_cell_in_every_sheet(rich, tmp_path):
    out = tmp_path / "m.xlsx"
    wb = export(rich, out)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == PAYLOAD:
                    found.setdefault(ws.title, []).append(cell)
    # The payload is the evaluation title and a lead (Summary), an evidence title (Evidence, Matrix), an
    # indicator title (Triangulation) and an action title (Actions); Lists holds only ids and words.
    assert set(found) == set(SHEETS) - {"Lists"}
    for cells in found.values():
        for cell in cells:
            assert cell.data_type == "s"
            assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    # No formula anywhere in the file: no <f> element in any sheet.
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(SHEETS)
        for name in sheets:
            assert not re.search(rb"<f[ >]", archive.read(name)), name


@pytest.mark.parametrize("text", ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "=", "-"])
def test_risky_starts_stay_text(tmp_path, text):
    root = build_rich(tmp_path)
    store.update_evidence(root, "E-aaaaa2", {"title": text, "agency": text})
    wb = export(root, tmp_path / "m.xlsx")
    for sheet, column in (("Evidence", 2), ("Evidence", 8), ("Matrix", 2)):
        ws = wb[sheet]
        cell = next(ws.cell(r, column) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "E-aaaaa2")
        assert cell.value == text
        assert cell.data_type == "s", (sheet, column)
        assert bool(cell.quotePrefix) == text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_grade_colours_follow_a_four_level_scale(rich, tmp_path):
    ev = store.load(rich)
    wb = export(rich, tmp_path / "m.xlsx")
    ws = wb["Summary"]
    colours = level_colours(ev.framework.scale)
    assert len(set(colours.values())) == 4
    red = {v: int(c[0:2], 16) - int(c[2:4], 16) for v, c in colours.items()}
    assert red[4] < red[3] < red[2] < red[1]  # greener for better levels, redder for worse
    fills = {}
    for row in ws.iter_rows():
        if row[1].value in ("safe-care", "voice", "leadership", "improvement") and row[4].value is not None:
            fills[row[4].value] = row[4].fill.fgColor.rgb[-6:]
            assert row[5].fill.fgColor.rgb[-6:] == fills[row[4].value]
    assert fills == colours
    legend = [row for row in ws.iter_rows() if row[0].value in (1, 2, 3, 4) and row[1].value]
    assert [(r[0].value, r[1].value, r[0].fill.fgColor.rgb[-6:]) for r in legend] == [
        (lv.value, lv.label, colours[lv.value]) for lv in ev.framework.scale.levels
    ]


def test_open_problems_are_counted_per_indicator(rich, tmp_path):
    from qiframe.checks import Problem

    problems = [
        Problem("x", "error", "m", "", None, None, "safe-care", ""),
        Problem("y", "warning", "m", "", None, None, "safe-care", ""),
        Problem("z", "warning", "m", "", None, None, "voice", ""),
    ]
    write_matrix(store.load(rich), tmp_path / "m.xlsx", problems=problems)
    rows = {r["ID"]: r for r in summary_rows(openpyxl.load_workbook(tmp_path / "m.xlsx")["Summary"])}
    assert rows["safe-care"]["Open problems"] == 2
    assert rows["voice"]["Open problems"] == 1
    assert rows["leadership"]["Open problems"] == 0
    # Without problems the column is not there at all.
    write_matrix(store.load(rich), tmp_path / "n.xlsx")
    rows = summary_rows(openpyxl.load_workbook(tmp_path / "n.xlsx")["Summary"])
    assert "Open problems" not in rows[0]


def test_triangulated_follows_the_sources(rich, tmp_path):
    wb = export(rich, tmp_path / "m.xlsx")
    rows = {r["ID"]: r for r in summary_rows(wb["Summary"])}
    # voice: views (E-aaaaa1) + observation (E-aaaaa3) + documentation; safe-care: views + data.
    assert rows["voice"]["Triangulated"] == "yes"
    assert rows["safe-care"]["Triangulated"] == "yes"
    assert rows["leadership"]["Triangulated"] == "no"  # data only
    assert rows["safe-care"]["Sources"] == "quantitative data, people's views"


def test_only_web_locations_are_live_links(rich, tmp_path):
    wb = export(rich, tmp_path / "m.xlsx")
    ws = wb["Evidence"]
    links = {}
    for row in ws.iter_rows(min_row=2):
        location = row[11]
        links[row[0].value] = location.hyperlink.target if location.hyperlink else None
    assert links["E-aaaaa1"] == "https://example.org/report?a=1&b=2"
    assert links["E-aaaaa2"] is None  # file:
    assert links["E-aaaaa3"] is None  # javascript:
    assert links["E-aaaaa5"] is None  # a path
    assert ws["L1"].value == "Location"


def test_layout_validation_and_properties(rich, tmp_path):
    ev = store.load(rich)
    wb = export(rich, tmp_path / "m.xlsx")
    evidence = wb["Evidence"]
    assert evidence.freeze_panes == "C2"
    assert evidence.auto_filter.ref == f"A1:Q{evidence.max_row}"
    assert evidence.column_dimensions["B"].width >= 20
    assert evidence["B2"].alignment.wrap_text
    dated = next(r for r in evidence.iter_rows(min_row=2) if r[0].value == "E-aaaaa1")
    assert dated[5].number_format == "yyyy-mm-dd" and dated[5].is_date

    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    columns = {
        lists.cell(1, c).value: [
            lists.cell(r, c).value for r in range(2, lists.max_row + 1) if lists.cell(r, c).value is not None
        ]
        for c in range(1, lists.max_column + 1)
    }
    assert columns["Indicator"] == list(ev.framework.indicators)
    assert columns["Source"] == list(model.SOURCES)
    assert columns["Kind"] == list(model.EVIDENCE_KINDS)
    validations = {}
    for dv in evidence.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        validations[evidence[f"{letter}1"].value] = dv
    assert set(validations) == {"Source", "Kind", "Indicators", "Submission", "Personal data"}
    for header, name in (
        ("Source", "Source"),
        ("Kind", "Kind"),
        ("Indicators", "Indicator"),
        ("Submission", "Yes/no"),
    ):
        dv = validations[header]
        assert dv.type == "list"
        sheet, cells = dv.formula1.split("!")
        assert sheet == "Lists"
        first, last = cells.replace("$", "").split(":")
        values = [c.value for row in lists[first:last] for c in row]
        assert values == columns[name]
    assert validations["Source"].showErrorMessage and not validations["Indicators"].showErrorMessage

    matrix = wb["Matrix"]
    assert matrix.freeze_panes == "C4"
    assert matrix.print_title_rows == "$1:$3"
    assert matrix.page_setup.orientation == "landscape"
    assert matrix.page_setup.fitToWidth == 1 and matrix.page_setup.fitToHeight == 0
    assert matrix.sheet_properties.pageSetUpPr.fitToPage

    props = wb.properties
    assert props.creator == "qiframe"
    assert props.title == f"Evidence matrix: {ev.metadata.title}"
    assert props.created is not None


# --- the command -------------------------------------------------------------------------------------


def test_cli_writes_the_workbook(cli, example, tmp_path):
    out = tmp_path / "out" / "matrix.xlsx"
    out.parent.mkdir()
    result = cli("export", "matrix", "-o", out, "-e", example)
    assert result.code == 0, result.err
    assert "Wrote" in result.err
    wb = openpyxl.load_workbook(out)
    assert_workbook_matches(wb, store.load(example))
    problems = [r.get("Open problems") for r in summary_rows(wb["Summary"])]
    assert all(isinstance(p, int) for p in problems)


@pytest.mark.parametrize(
    "name, message",
    [
        ("missing/matrix.xlsx", "does not exist"),
        ("matrix.docx", "give the evidence matrix (an Excel workbook) a name ending in .xlsx"),
    ],
)
def test_cli_refuses_bad_outputs_and_writes_nothing(cli, rich, tmp_path, name, message):
    before = snapshot(tmp_path)
    result = cli("export", "matrix", "-o", tmp_path / name, "-e", rich)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert result.err.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_cli_refuses_a_folder_as_output(cli, rich, tmp_path):
    (tmp_path / "dir.xlsx").mkdir()
    result = cli("export", "matrix", "-o", tmp_path / "dir.xlsx", "-e", rich)
    assert result.code == 2 and "is a folder" in result.err


def test_a_failed_write_keeps_the_previous_workbook(rich, tmp_path, monkeypatch):
    import os

    from qiframe.errors import InputError

    out = tmp_path / "m.xlsx"
    write_matrix(store.load(rich), out)
    before = out.read_bytes()

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(InputError, match="cannot write the file: Permission denied"):
        write_matrix(store.load(rich), out, include_personal=True)
    monkeypatch.undo()
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.xlsx")] == []


# --- LibreOffice -------------------------------------------------------------------------------------


def convert(workbook: Path, target: str, tmp_path: Path) -> Path:
    """Convert with LibreOffice in a private profile; returns the output folder."""
    converted = tmp_path / "converted"
    run = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(converted),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    return converted


# Field 12 = -1 writes every sheet to its own CSV file (LibreOffice 7.2 and later).
EVERY_SHEET_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_every_sheet_of_the_example(example, tmp_path):
    ev = store.load(example)
    out = tmp_path / "m.xlsx"
    write_matrix(ev, out)
    converted = convert(out, EVERY_SHEET_CSV, tmp_path)
    for sheet in SHEETS:
        assert (converted / f"m-{sheet}.csv").is_file(), sheet
    rows = read_csv(converted / "m-Evidence.csv")
    assert rows[0] == EVIDENCE_HEADERS
    assert sorted(row[0] for row in rows[1:]) == sorted(
        e.id for e in ev.evidence.values() if not e.personal_data
    )
    grid = read_csv(converted / "m-Matrix.csv")
    assert grid[-1][-1] == str(
        sum(len(set(e.indicators)) for e in ev.evidence.values() if not e.personal_data)
    )
    # LibreOffice's own xlsx of the workbook opens again in openpyxl with every sheet.
    again = openpyxl.load_workbook(convert(out, "xlsx", tmp_path) / "m.xlsx")
    assert again.sheetnames == SHEETS
    assert again["Evidence"]["B1"].value == "Title"


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_formula_like_text_as_text(rich, tmp_path):
    out = tmp_path / "m.xlsx"
    write_matrix(store.load(rich), out)
    converted = convert(out, EVERY_SHEET_CSV, tmp_path)
    rows = {row[0]: row for row in read_csv(converted / "m-Evidence.csv")[1:]}
    assert rows["E-aaaaa1"][1] == PAYLOAD  # the text itself, not a computed "y"
    assert rows["E-aaaaa5"][1] == "#N/A"
    assert rows["E-aaaaa2"][1] == "+plus"
    assert rows["E-aaaaa1"][5] == "2025-05-01"
    matrix_titles = {row[0]: row[1] for row in read_csv(converted / "m-Matrix.csv")[3:]}
    assert matrix_titles["E-aaaaa1"] == PAYLOAD
    actions = {row[0]: row for row in read_csv(converted / "m-Actions.csv")[1:]}
    assert actions["A-aaaaa1"][1] == PAYLOAD
    assert actions["A-aaaaa1"][14] == "=SUM(A1:A9) started"


def test_dates_are_real_dates(rich, tmp_path):
    wb = export(rich, tmp_path / "m.xlsx")
    row = next(r for r in wb["Evidence"].iter_rows(min_row=2) if r[0].value == "E-aaaaa1")
    assert row[5].value.date() == date(2025, 5, 1) and row[6].value.date() == date(2025, 6, 30)
    action = next(r for r in wb["Actions"].iter_rows(min_row=2) if r[0].value == "A-aaaaa1")
    assert action[5].is_date and action[5].value.date() == date(2026, 6, 30)
