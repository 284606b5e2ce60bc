"""The yearly cycle: grades over many years, roll-forward into next year, measures as run charts, and the
inspection's findings set beside the self-evaluation."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import snapshot

# The three years of one setting: 2024 and 2026 on "How good is our early learning and childcare?",
# 2025 on the shared 2025 framework, brought across by the bundled crosswalk (read backwards for 2025).
# Crosswalk grade pairs used here: 2.1 <-> safeguarding-and-child-protection, 2.3 <->
# learning-teaching-and-assessment, 3.2 <-> childrens-progress.
GRADES = {
    "2024": ("es-hgioelc", {"2.1": "3", "2.3": "4", "3.2": "2"}),
    "2025": (
        "ci-es-elc-2025",
        {
            "safeguarding-and-child-protection": "4",
            "learning-teaching-and-assessment": "4",
            "childrens-progress": "3",
        },
    ),
    "2026": ("es-hgioelc", {"2.1": "5", "2.3": "3", "3.2": "3"}),
}


def _ok(result):
    assert result.code == 0, result.err + result.out
    return result


def _year(cli, base: Path, year: str) -> Path:
    framework, grades = GRADES[year]
    root = base / f"se-{year}"
    _ok(
        cli(
            "init",
            root,
            "--framework",
            framework,
            "--period",
            f"{int(year) - 1}-04-01:{year}-03-31",
            "--title",
            f"Self-evaluation {year}",
        )
    )
    for qi, level in grades.items():
        _ok(cli("grade", qi, level, "-e", root))
    return root


@pytest.fixture
def three_years(tmp_path, cli) -> list[Path]:
    # Made out of order on purpose: the trend orders them by evaluation date.
    return [_year(cli, tmp_path, y) for y in ("2026", "2024", "2025")]


def test_must_show_trend_lists_each_indicators_three_grades_in_order(cli, three_years):
    newest, older, middle = three_years
    out = _ok(cli("compare", "--with", middle, "--with", older, "--format", "json", "-e", newest)).out
    data = json.loads(out)
    assert [y["date"] for y in data["years"]] == ["2024-03-31", "2025-03-31", "2026-03-31"]
    assert [y["framework"] for y in data["years"]] == ["es-hgioelc", "ci-es-elc-2025", "es-hgioelc"]
    assert data["years"][1]["crosswalk"]["path"].endswith("es-hgioelc--ci-es-elc-2025.yaml")
    rows = {r["indicator"]: r for r in data["indicators"]}
    assert sorted(rows) == ["2.1", "2.3", "3.2"]
    expected = {qi: [GRADES[y][1].get(qi) for y in ("2024", "2025", "2026")] for qi in ("2.1", "2.3", "3.2")}
    # The 2025 grades arrive through the crosswalk under the 2025 framework's ids.
    expected["2.1"][1] = GRADES["2025"][1]["safeguarding-and-child-protection"]
    expected["2.3"][1] = GRADES["2025"][1]["learning-teaching-and-assessment"]
    expected["3.2"][1] = GRADES["2025"][1]["childrens-progress"]
    for qi, grades in expected.items():
        assert [str(g["grade"]) for g in rows[qi]["grades"]] == grades
        assert [g["carried"] for g in rows[qi]["grades"]] == [False, True, False]
    # 2.1: 3 → 4 → 5 on six-level scales: one position up each year.
    assert rows["2.1"]["changes"] == [1, 1]
    assert rows["2.1"]["overall"] == 2
    assert rows["2.3"]["changes"] == [0, -1]

    text = _ok(cli("compare", "--with", middle, "--with", older, "-e", newest)).out
    line = next(x for x in text.splitlines() if x.startswith("2.1 "))
    assert line.index("3 Satisfactory") < line.index("4 Good*") < line.index("5 Very good")
    md = _ok(cli("compare", "--with", middle, "--with", older, "-f", "md", "-e", newest)).out
    assert "| 2024 | 2025 | 2026 |" in md


def _trend_workbook(cli, three_years, tmp_path) -> Path:
    newest, older, middle = three_years
    out = tmp_path / "trend.xlsx"
    _ok(cli("compare", "--with", middle, "--with", older, "-o", out, "-e", newest))
    return out


def test_must_show_trend_workbook_has_a_line_chart(cli, three_years, tmp_path):
    from openpyxl import load_workbook

    out = _trend_workbook(cli, three_years, tmp_path)
    wb = load_workbook(out)
    ws = wb["Trend"]
    assert [c.value for c in ws[1]][:5] == ["Indicator", "Title", "2024", "2025", "2026"]
    assert [ws.cell(2, c).value for c in range(1, 6)][0] == "2.1"
    assert ws.cell(2, 3).value == "3 Satisfactory"
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "lineChart"
    assert len(chart.series) == 3
    # Positions on the scale, read back from the chart's data sheet: 2.1 went 3 → 4 → 5 on a six-level scale.
    data = wb["Chart data"]
    assert [data.cell(r, 2).value for r in range(2, 5)] == [3, 4, 5]
    assert chart.y_axis.scaling.max == 6  # the scale's size, from the framework


@pytest.mark.slow
def test_must_show_trend_workbook_opens_in_libreoffice(cli, three_years, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = _trend_workbook(cli, three_years, tmp_path)
    profile = tmp_path / "lo"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "trend.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")


def test_trend_needs_a_crosswalk_between_unrelated_frameworks(cli, tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    c = tmp_path / "c"
    _ok(cli("init", a, "--framework", "es-hgios4", "--period", "2023-04-01:2024-03-31"))
    _ok(cli("init", b, "--framework", "es-hgioelc", "--period", "2024-04-01:2025-03-31"))
    _ok(cli("init", c, "--framework", "es-hgioelc", "--period", "2025-04-01:2026-03-31"))
    before = snapshot(tmp_path)
    result = cli("compare", "--with", a, "--with", b, "-o", tmp_path / "t.xlsx", "-e", c)
    assert result.code == 2
    assert "no crosswalk" in result.err
    assert snapshot(tmp_path) == before


def test_trend_output_must_be_a_workbook(cli, three_years, tmp_path):
    newest, older, middle = three_years
    result = cli("compare", "--with", middle, "--with", older, "-o", tmp_path / "t.csv", "-e", newest)
    assert result.code == 2 and ".xlsx" in result.err


def test_trend_on_a_four_level_scale(cli, tmp_path):
    """Nothing assumes six levels: the test framework's four non-numeric levels."""
    four = Path(__file__).parent / "data" / "frameworks" / "valid" / "four-level.yaml"
    ws = tmp_path / "ws"
    (ws / "frameworks").mkdir(parents=True)
    shutil.copy(four, ws / "frameworks" / "test-four-level.yaml")
    roots = []
    for year in ("2024", "2025", "2026"):
        root = ws / year
        _ok(
            cli(
                "init",
                root,
                "--framework",
                "test-four-level",
                "--period",
                f"{int(year) - 1}-04-01:{year}-03-31",
            )
        )
        roots.append(root)
    import qiframe.store as store

    ev = store.load(roots[0])
    qi = next(iter(ev.assessments))
    labels = [lv.label for lv in sorted(ev.framework.scale.levels, key=lambda lv: lv.value)]
    for root, label in zip(roots, (labels[0], labels[1], labels[-1]), strict=True):
        _ok(cli("grade", qi, label, "-e", root))
    data = json.loads(
        _ok(cli("compare", "--with", roots[0], "--with", roots[1], "-f", "json", "-e", roots[2])).out
    )
    row = next(r for r in data["indicators"] if r["indicator"] == qi)
    assert [g["position"] for g in row["grades"]] == [1, 2, len(labels)]
    assert data["scale"] == labels
    from openpyxl import load_workbook

    _ok(cli("compare", "--with", roots[0], "--with", roots[1], "-o", tmp_path / "four.xlsx", "-e", roots[2]))
    chart = load_workbook(tmp_path / "four.xlsx")["Trend"]._charts[0]
    assert chart.y_axis.scaling.max == len(labels)


# --- roll forward --------------------------------------------------------------------------------------


@pytest.fixture
def last_year(tmp_path, cli, monkeypatch) -> dict:
    monkeypatch.setenv("QIFRAME_TODAY", "2025-03-20")
    root = tmp_path / "se-2025"
    _ok(
        cli(
            "init",
            root,
            "--framework",
            "es-hgioelc",
            "--period",
            "2024-04-01:2025-03-31",
            "--title",
            "Self-evaluation 2025",
        )
    )
    _ok(cli("assign", "2.1", "--lead", "Morag", "--contributor", "Iain", "-e", root))
    _ok(cli("assign", "3.2", "--lead", "Priya", "-e", root))
    _ok(cli("grade", "2.1", "4", "-e", root))
    _ok(cli("grade", "3.2", "3", "-e", root))
    # The new evaluation's date is 2026-03-31 (the period a year on); 24 months earlier is 2024-03-31.
    fresh = _ok(
        cli("evidence", "add", "-t", "Care plan audit", "--qi", "2.1", "--date", "2025-01-15", "-e", root)
    ).out.strip()
    old = _ok(
        cli("evidence", "add", "-t", "Parent survey", "--qi", "3.2", "--date", "2023-11-01", "-e", root)
    ).out.strip()
    undated = _ok(cli("evidence", "add", "-t", "Floor book", "--qi", "3.2", "-e", root)).out.strip()
    open_action = _ok(
        cli(
            "action",
            "add",
            "-t",
            "Review every care plan each term",
            "--qi",
            "2.1",
            "--owner",
            "Morag",
            "--due",
            "2025-12-31",
            "-e",
            root,
        )
    ).out.strip()
    _ok(
        cli(
            "action",
            "update",
            open_action,
            "--status",
            "in-progress",
            "--progress",
            "Audit tool agreed",
            "--date",
            "2025-02-01",
            "-e",
            root,
        )
    )
    _ok(cli("action", "measure", open_action, "48", "--date", "2025-01", "-e", root))
    _ok(cli("action", "measure", open_action, "55", "--date", "2025-02", "-e", root))
    finished = _ok(
        cli("action", "add", "-t", "New induction pack", "--qi", "3.2", "--status", "done", "-e", root)
    ).out.strip()
    return {
        "root": root,
        "fresh": fresh,
        "old": old,
        "undated": undated,
        "open": open_action,
        "done": finished,
    }


def test_must_show_init_from_carries_open_actions_and_leads_in_date_evidence_no_grade(
    cli, last_year, tmp_path
):
    from qiframe import store

    new = tmp_path / "se-2026"
    result = _ok(cli("init", new, "--from", last_year["root"]))
    assert "open actions carried: 1" in result.err
    ev = store.load(new)
    old = store.load(last_year["root"])
    assert ev.framework.id == "es-hgioelc"
    assert (ev.metadata.period_from, ev.metadata.period_to) == ("2025-04-01", "2026-03-31")
    # Leads and contributors carried.
    assert ev.assessments["2.1"].lead == "Morag" and ev.assessments["2.1"].contributors == ("Iain",)
    assert ev.assessments["3.2"].lead == "Priya"
    # No grade written anywhere; last year's grade kept as context only.
    assert all(a.grade is None and not a.proposed for a in ev.assessments.values())
    assert str(ev.assessments["2.1"].last_year) == "last year: 4 Good"
    assert ev.assessments["3.2"].last_year.grade == 3
    assert ev.assessments["1.1"].last_year is None
    for path in (new / "indicators").glob("*.yaml"):
        assert "\ngrade:" not in path.read_text(encoding="utf-8")
    # Only the open action, with its history and its measure's series.
    assert list(ev.actions) == [last_year["open"]]
    carried = ev.actions[last_year["open"]]
    assert carried.progress == old.actions[last_year["open"]].progress
    assert [v.value for v in carried.measure.values] == [48, 55]
    # Evidence: only the item dated within 24 months of the new evaluation date.
    assert sorted(ev.evidence) == [last_year["fresh"]]
    assert ev.evidence[last_year["fresh"]].title == "Care plan audit"
    assert last_year["old"] in result.err and last_year["undated"] in result.err
    # The new evaluation counts nothing as graded.
    status = json.loads(_ok(cli("status", "-f", "json", "-e", new)).out)
    assert not any(row.get("grade") for row in status["indicators"])
    row = next(r for r in status["indicators"] if r["id"] == "2.1")
    assert row["last_year"] == {
        "grade": 4,
        "label": "Good",
        "indicator": "2.1",
        "framework": "es-hgioelc",
        "date": "2025-03-31",
    }
    text = _ok(cli("status", "-e", new)).out
    assert "last year" in text
    line = next(x for x in text.splitlines() if x.startswith("2.1 "))
    assert "4 Good" in line and "Morag" in line


@pytest.mark.parametrize(("choice", "expected"), [("all", {"fresh", "old", "undated"}), ("none", set())])
def test_init_from_evidence_all_or_none(cli, last_year, tmp_path, choice, expected):
    from qiframe import store

    new = tmp_path / "next"
    _ok(cli("init", new, "--from", last_year["root"], "--evidence", choice))
    assert set(store.load(new).evidence) == {last_year[k] for k in expected}


def test_init_from_a_newer_edition_through_the_crosswalk(cli, last_year, tmp_path):
    from qiframe import store

    new = tmp_path / "elc"
    _ok(cli("init", new, "--from", last_year["root"], "--framework", "ci-es-elc-2025"))
    ev = store.load(new)
    # 2.1 carries its grade (and so its lead) to safeguarding-and-child-protection.
    a = ev.assessments["safeguarding-and-child-protection"]
    assert a.lead == "Morag" and a.grade is None
    assert a.last_year.indicator == "2.1" and a.last_year.framework == "es-hgioelc"
    assert ev.actions[last_year["open"]].indicator == "safeguarding-and-child-protection"
    assert ev.evidence[last_year["fresh"]].indicators == ("safeguarding-and-child-protection",)


def test_init_from_is_all_or_nothing(cli, last_year, tmp_path):
    new = tmp_path / "taken"
    new.mkdir()
    (new / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli("init", new, "--from", last_year["root"])
    assert result.code == 2 and "not empty" in result.err
    assert snapshot(tmp_path) == before
    # A bad choice of evidence, or a framework no crosswalk reaches, writes nothing either.
    for args in (("--evidence", "some"), ("--framework", "es-hgios4")):
        result = cli("init", tmp_path / "fresh", "--from", last_year["root"], *args)
        assert result.code == 2, result.out
        assert not (tmp_path / "fresh").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --- measures as series and run charts -------------------------------------------------------------------

MONTHS = [f"2025-{m:02d}" for m in range(3, 13)] + [f"2026-{m:02d}" for m in range(1, 5)]  # 14 months
WITH_SHIFT = [50, 48, 51, 49, 58, 61, 57, 60, 62, 59, 63, 52, 47, 50]
WITHOUT = [48, 50, 55, 53, 49, 47, 50, 56, 54, 46, 49, 53, 57, 52]


def test_must_show_a_shift_of_seven_points_above_the_median_is_found():
    """By hand: sorted, the 14 values are 47 48 49 50 50 51 52 | 57 58 59 60 61 62 63, so the median is
    (52 + 57) / 2 = 54.5 and no point lies on it. Points 5 to 11 (58 61 57 60 62 59 63) are all above it:
    seven in a row, a shift (six or more). Below it are points 1-4 and 12-14: runs of four and three, no
    shift. Rises and falls alternate at least every third point (49→58→61 up, 61→57 down, 57→60→62 up,
    62→59 down, 59→63 up, 63→52→47 down, 47→50 up), so no five points go the same way: no trend. The
    points fall in three runs (below, above, below); for 14 useful observations the table expects 4 to 12
    runs, so three runs are too few, a second signal."""
    from qiframe.analysis import runchart

    chart = runchart.analyse(WITH_SHIFT, MONTHS)
    assert chart.median == 54.5
    shifts = [s for s in chart.signals if s.kind == "shift"]
    assert len(shifts) == 1
    shift = shifts[0]
    assert (shift.first, shift.last, shift.points, shift.direction) == (4, 10, 7, "above")
    assert "Shift: 7 points in a row above the median (2025-07 to 2026-01)" in chart.summary
    assert not [s for s in chart.signals if s.kind == "trend"]
    assert chart.runs == 3 and chart.runs_limits == (4, 12)
    assert [s.kind for s in chart.signals] == ["too-few-runs", "shift"]


def test_must_show_a_series_without_a_signal_reports_none():
    """By hand: sorted, 46 47 48 49 49 50 50 | 52 53 53 54 55 56 57, median (50 + 52) / 2 = 51. Above (+)
    or below (-): - - + + - - - + + - - + + +, six runs (longest three points): no shift, and six runs lie
    within the 4 to 12 the table expects for 14 points. The longest stretch going one way is four points
    (55 53 49 47 down; 46 49 53 57 up): no trend."""
    from qiframe.analysis import runchart

    chart = runchart.analyse(WITHOUT, MONTHS)
    assert chart.median == 51
    assert chart.runs == 6
    assert chart.signals == ()
    assert chart.summary.startswith("No run-chart signal")


@pytest.mark.parametrize(
    ("values", "kind", "points"),
    [
        ([1, 2, 3, 4, 5, 3, 2], "trend", 5),  # five rising points
        ([1, 2, 2, 3, 4, 5, 3], "trend", 5),  # a repeated value neither breaks nor counts
        ([1, 2, 3, 4, 3, 2, 1, 2], None, 0),  # four rising points only
    ],
)
def test_trends(values, kind, points):
    from qiframe.analysis import runchart

    trends = [s for s in runchart.analyse(values).signals if s.kind == "trend"]
    assert [s.points for s in trends] == ([points] if kind else [])


def test_points_on_the_median_neither_break_nor_count_towards_a_shift():
    from qiframe.analysis import runchart

    # median 5: the six 6s around two 5s make a shift of six, not two runs of three.
    chart = runchart.analyse([6, 6, 6, 5, 5, 6, 6, 6, 1, 2, 3, 4, 4])
    assert chart.median == 5
    shift = next(s for s in chart.signals if s.kind == "shift")
    assert (shift.first, shift.last, shift.points) == (0, 7, 6)


def test_runs_table_agrees_with_the_runs_distribution():
    """The table's limits, checked against Swed and Eisenhart's exact distribution of the number of runs
    with half the points on each side: each limit within one of the 2.5% points computed here."""
    from math import comb

    from qiframe.analysis import runchart

    for n, (low, high) in runchart.RUNS_LIMITS.items():
        n1, n2 = n // 2, n - n // 2
        total = comb(n, n1)

        def p(r, n1=n1, n2=n2, total=total):
            k = r // 2
            if r % 2 == 0:
                return 2 * comb(n1 - 1, k - 1) * comb(n2 - 1, k - 1) / total
            return (comb(n1 - 1, k) * comb(n2 - 1, k - 1) + comb(n1 - 1, k - 1) * comb(n2 - 1, k)) / total

        cum, lower = 0.0, None
        for r in range(2, n + 1):
            cum += p(r)
            if cum > 0.025:
                lower = r
                break
        cum, upper = 0.0, None
        for r in range(n, 1, -1):
            cum += p(r)
            if cum > 0.025:
                upper = r
                break
        assert abs(low - lower) <= 1 and abs(high - upper) <= 1, n


@pytest.fixture
def measured(tmp_path, cli, monkeypatch) -> tuple[Path, str]:
    monkeypatch.setenv("QIFRAME_TODAY", "2026-04-20")
    root = tmp_path / "ev"
    _ok(cli("init", root, "--framework", "es-hgioelc", "--period", "2025-04-01:2026-03-31"))
    action = _ok(
        cli(
            "action",
            "add",
            "-t",
            "Plan every child's next steps with families",
            "--qi",
            "3.2",
            "--measure",
            "Children with shared next steps",
            "--unit",
            "%",
            "--baseline",
            "50",
            "--target",
            "70",
            "--target-date",
            "2026-06",
            "-e",
            root,
        )
    ).out.strip()
    for month, value in zip(MONTHS, WITH_SHIFT, strict=True):
        _ok(cli("action", "measure", action, str(value), "--date", month, "-e", root))
    return root, action


def test_action_measure_records_a_series(cli, measured):
    from qiframe import store

    root, action = measured
    _ok(cli("action", "measure", action, "66", "--date", "2026-04", "--note", "Recounted", "-e", root))
    m = store.load(root).actions[action].measure
    assert [v.date for v in m.values] == MONTHS
    assert [v.value for v in m.values] == WITH_SHIFT[:-1] + [66]
    assert m.values[-1].note == "Recounted" and m.current == 66 and m.as_of == "2026-04"
    assert (m.baseline, m.target, m.target_date, m.interval) == (50, 70, "2026-06", "monthly")
    bad = cli("action", "measure", action, "1", "--date", "2026-13", "-e", root)
    assert bad.code == 2 and "2026-13" in bad.err


def test_an_old_current_value_is_one_value_of_the_series(cli, tmp_path):
    from qiframe import store

    root = tmp_path / "ev"
    _ok(cli("init", root, "--framework", "es-hgioelc"))
    action = _ok(
        cli("action", "add", "-t", "Audit", "--current", "40", "--as-of", "2026-01-31", "-e", root)
    ).out.strip()
    assert [(v.date, v.value) for v in store.load(root).actions[action].measure.values] == [
        ("2026-01-31", 40)
    ]
    _ok(cli("action", "measure", action, "45", "--date", "2026-02", "-e", root))
    m = store.load(root).actions[action].measure
    assert [(v.date, v.value) for v in m.values] == [("2026-01-31", 40), ("2026-02", 45)]
    text = (root / "actions" / f"{action}.yaml").read_text(encoding="utf-8")
    assert "current:" not in text and "as_of:" not in text


def test_export_progress_has_run_charts(cli, measured, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    root, action = measured
    xlsx, docx_path, md = tmp_path / "p.xlsx", tmp_path / "p.docx", tmp_path / "p.md"
    for out in (xlsx, docx_path, md):
        _ok(cli("export", "progress", "-o", out, "-e", root))
    wb = load_workbook(xlsx)
    sheet = wb["Run charts"]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "lineChart" and len(chart.series) == 2
    assert [sheet.cell(r, 2).value for r in range(4, 18)] == WITH_SHIFT
    assert {sheet.cell(r, 3).value for r in range(4, 18)} == {54.5}
    assert "Shift: 7 points in a row above the median" in sheet.cell(2, 1).value
    progress = wb["Progress"]
    header = [c.value for c in progress[1]]
    assert "Shift: 7 points" in progress.cell(2, header.index("Run-chart signals") + 1).value
    doc = Document(docx_path)
    assert len(doc.inline_shapes) == 1
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob].blob
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "Shift: 7 points in a row above the median" in texts and "Median 54.5" in texts
    assert "Shift: 7 points in a row above the median" in md.read_text(encoding="utf-8")


def test_png_writer_draws_a_readable_image():
    import struct
    import zlib

    from qiframe.analysis import runchart
    from qiframe.exports import chart_png

    data = chart_png.draw(runchart.analyse(WITH_SHIFT, MONTHS), target=70, width=200, height=100)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (200, 100)
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    raw = zlib.decompress(data[idat + 4 : idat + 4 + length])
    assert len(raw) == height * (1 + width * 3)
    rows = [raw[r * (1 + width * 3) + 1 : (r + 1) * (1 + width * 3)] for r in range(height)]
    colours = {bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)}
    assert bytes(chart_png.BLUE) in colours and bytes(chart_png.ORANGE) in colours
    assert bytes(chart_png.GREEN) in colours and bytes(chart_png.GREY) in colours


@pytest.mark.slow
def test_progress_with_run_charts_opens_in_libreoffice(cli, measured, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    root, _ = measured
    for name in ("p.xlsx", "p.docx"):
        _ok(cli("export", "progress", "-o", tmp_path / name, "-e", root))
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path / name.split(".")[1]),
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = tmp_path / name.split(".")[1] / "p.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")


# --- the inspection's findings -------------------------------------------------------------------------


@pytest.fixture
def inspected(tmp_path, cli) -> dict:
    root = tmp_path / "ev"
    _ok(cli("init", root, "--framework", "es-hgioelc", "--period", "2025-04-01:2026-03-31"))
    _ok(
        cli(
            "note",
            "2.1",
            "-s",
            "Staff know each child's needs well",
            "-s",
            "Families trust the team",
            "-i",
            "Risk assessments are not reviewed on time",
            "-e",
            root,
        )
    )
    _ok(cli("note", "2.3", "-s", "Rich, well planned play outdoors", "-e", root))
    _ok(cli("note", "3.2", "-i", "Progress of children with additional needs is not tracked", "-e", root))
    ids = {}
    for key, kind, qi, text in (
        ("s21", "strength", "2.1", "Children are known and cared for as individuals"),
        ("s23", "strength", "2.3", "High-quality outdoor learning"),
        ("s13", "strength", "1.3", "A clear vision shared with families"),
        ("r32", "recommendation", "3.2", "Track the progress of every child with additional support needs"),
        ("r26", "recommendation", "2.6", "Involve parents more in their children's learning"),
    ):
        ids[key] = _ok(
            cli(
                "external",
                "finding",
                "add",
                "--kind",
                kind,
                "--qi",
                qi,
                "--text",
                text,
                "--source",
                "Inspection report, February 2026",
                "-e",
                root,
            )
        ).out.strip()
    return {"root": root, **ids}


def test_must_show_each_finding_in_exactly_one_alignment_group(cli, inspected):
    root = inspected["root"]
    # Confirm by hand that the 2.1 strength matches the first strength only, not "Families trust the team".
    _ok(cli("external", "finding", "pair", inspected["s21"], "--qi", "2.1", "--strength", "1", "-e", root))
    data = json.loads(_ok(cli("compare", "--external", "--format", "json", "-e", root)).out)["findings"]
    # The hand-made expectation: the inspection's 2.1 and 2.3 strengths and its 3.2 recommendation were
    # named by the self-evaluation too; its 1.3 strength and 2.6 recommendation were not (the
    # self-evaluation wrote nothing for 1.3 or 2.6); the self-evaluation alone named the families' trust
    # (2.1) and the late risk assessments (2.1 improvement, which no finding is about).
    groups = {name: [f["id"] for f in data[name]] for name in ("found_by_both", "inspection_only")}
    assert groups == {
        "found_by_both": [inspected["s21"], inspected["s23"], inspected["r32"]],
        "inspection_only": [inspected["s13"], inspected["r26"]],
    }
    every = groups["found_by_both"] + groups["inspection_only"]
    assert sorted(every) == sorted(inspected[k] for k in ("s21", "s23", "s13", "r32", "r26"))
    assert len(every) == len(set(every))
    both = {f["id"]: f for f in data["found_by_both"]}
    assert both[inspected["s21"]]["confirmed"] is True
    assert both[inspected["s21"]]["matches"] == [
        {"indicator": "2.1", "kind": "strength", "text": "Staff know each child's needs well"}
    ]
    assert both[inspected["r32"]]["confirmed"] is False
    assert both[inspected["r32"]]["matches"][0]["text"].startswith("Progress of children")
    assert data["self_evaluation_only"] == [
        {"indicator": "2.1", "kind": "strength", "text": "Families trust the team"},
        {"indicator": "2.1", "kind": "improvement", "text": "Risk assessments are not reviewed on time"},
    ]
    assert data["summary"] == (
        "The self-evaluation had already identified 3 of the inspection's 5 findings "
        "(3 strengths, 2 recommendations), and named 2 further points that the "
        "inspection did not report."
    )
    text = _ok(cli("compare", "--external", "-e", root)).out
    assert "Found by both (3):" in text and "Found by the inspection only (2):" in text
    assert "Named by the self-evaluation only (2):" in text
    md = _ok(cli("compare", "--external", "-f", "md", "-e", root)).out
    assert "## What the inspection found" in md


def test_pairing_none_and_auto(cli, inspected):
    root = inspected["root"]
    _ok(cli("external", "finding", "pair", inspected["s23"], "--none", "-e", root))
    data = json.loads(_ok(cli("compare", "--external", "-f", "json", "-e", root)).out)["findings"]
    assert inspected["s23"] in [f["id"] for f in data["inspection_only"]]
    assert {"indicator": "2.3", "kind": "strength", "text": "Rich, well planned play outdoors"} in data[
        "self_evaluation_only"
    ]
    _ok(cli("external", "finding", "pair", inspected["s23"], "--auto", "-e", root))
    data = json.loads(_ok(cli("compare", "--external", "-f", "json", "-e", root)).out)["findings"]
    assert inspected["s23"] in [f["id"] for f in data["found_by_both"]]
    listed = json.loads(_ok(cli("external", "finding", "list", "-f", "json", "-e", root)).out)["findings"]
    assert [f["kind"] for f in listed] == ["strength"] * 3 + ["recommendation"] * 2
    assert listed[0]["titles"] == ["Safeguarding and child protection"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "praise", "--qi", "2.1", "--text", "x"), "praise"),
        (("--kind", "strength", "--text", "x"), "--qi"),
        (("--kind", "strength", "--qi", "9.9", "--text", "x"), "9.9"),
        (("--kind", "strength", "--qi", "2.1", "--text", "  "), "empty"),
    ],
)
def test_finding_add_bad_input_writes_nothing(cli, inspected, args, message):
    root = inspected["root"]
    before = snapshot(root)
    result = cli("external", "finding", "add", *args, "-e", root)
    assert result.code == 2 and message in result.err
    assert snapshot(root) == before


def test_findings_keep_comments_in_evaluation_yaml(cli, inspected):
    root = inspected["root"]
    path = root / "evaluation.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("findings:", "# what the inspectors said\nfindings:"),
        encoding="utf-8",
    )
    _ok(cli("external", "finding", "add", "--kind", "key-message", "--text", "A caring setting", "-e", root))
    assert "# what the inspectors said" in path.read_text(encoding="utf-8")


def test_actions_answer_recommendations_and_progress_groups_them(cli, inspected, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    root = inspected["root"]
    action = _ok(
        cli(
            "action",
            "add",
            "-t",
            "Start a tracker for children with additional support needs",
            "--qi",
            "3.2",
            "--answers",
            inspected["r32"],
            "-e",
            root,
        )
    ).out.strip()
    wrong = cli("action", "add", "-t", "x", "--answers", inspected["s21"], "-e", root)
    assert wrong.code == 2 and "strength" in wrong.err
    shown = json.loads(_ok(cli("action", "show", action, "-f", "json", "-e", root)).out)
    assert shown["answers"] == inspected["r32"]
    md_path = tmp_path / "p.md"
    _ok(cli("export", "progress", "-o", md_path, "-e", root))
    md = md_path.read_text(encoding="utf-8")
    section = md.split("## By the inspection's recommendations", 1)[1]
    first, second = section.split(f"**{inspected['r26']}", 1)
    assert action in first and "Start a tracker" in first
    assert "No action answers it yet." in second
    _ok(cli("export", "progress", "-o", tmp_path / "p.xlsx", "-e", root))
    ws = load_workbook(tmp_path / "p.xlsx")["Recommendations"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [inspected["r32"], inspected["r26"]]
    assert rows[0][3] == action and rows[1][4] == "No action answers it yet."
    _ok(cli("export", "progress", "-o", tmp_path / "p.docx", "-e", root))
    text = "\n".join(p.text for p in Document(tmp_path / "p.docx").paragraphs)
    assert "By the inspection's recommendations" in text


def test_statement_shows_last_years_grade_as_context_only(cli, last_year, tmp_path):
    new = tmp_path / "se-2026"
    _ok(cli("init", new, "--from", last_year["root"]))
    _ok(cli("export", "statement", "--by", "indicators", "-o", tmp_path / "s.md", "-e", new))
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "Not graded yet (last year: 4 Good)" in text
