"""Kinds and sources, whose voice the evidence holds, dates at their precision, and the rules on them."""

from __future__ import annotations

from qiframe import periods, store, yamlio


def new_eval(cli, tmp_path, *extra):
    folder = tmp_path / "eval"
    result = cli("init", folder, "--framework", "ci-care-protection-2019", *extra)
    assert result.code == 0, result.err
    return folder


def stored(folder, ident) -> dict:
    return yamlio.load(folder / "evidence" / f"{ident}.yaml")


def test_survey_without_a_source_stores_views(cli, tmp_path):
    folder = new_eval(cli, tmp_path)
    expected = {
        "survey": "views",
        "focus-group": "views",
        "interview": "views",
        "observation": "observation",
        "case-file-audit": "data",
        "performance-data": "data",
        "policy-document": "documentation",
        "other": "documentation",
    }
    for kind, source in expected.items():
        result = cli("evidence", "add", "--title", f"A {kind}", "--kind", kind, "-e", folder)
        assert result.code == 0, result.err
        assert stored(folder, result.out.strip())["source"] == source, kind
    chosen = cli(
        "evidence", "add", "--title", "Survey data", "--kind", "survey", "--source", "data", "-e", folder
    )
    assert stored(folder, chosen.out.strip())["source"] == "data"


def test_voice_ages_and_a_month_date(cli, tmp_path):
    folder = new_eval(cli, tmp_path)
    result = cli(
        "evidence",
        "add",
        "--title",
        "Young people's survey",
        "--kind",
        "survey",
        "--voice",
        "Children and young people",
        "--voice",
        "care-experienced",
        "--ages",
        "12-15",
        "--date",
        "March 2025",
        "--agency",
        "Council",
        "-e",
        folder,
    )
    assert result.code == 0, result.err
    data = stored(folder, result.out.strip())
    assert data["voice"] == ["children-and-young-people", "care-experienced"]
    assert data["ages"] == ["12-15"] and data["date"] == "2025-03" and data["agency"] == "Council"
    item = store.load(folder).evidence[result.out.strip()]
    assert item.voice == ("children-and-young-people", "care-experienced") and item.date == "2025-03"
    listed = cli("evidence", "list", "-e", folder)
    assert "March 2025" in listed.out
    bad = cli("evidence", "add", "--title", "X", "--voice", "pupils", "-e", folder)
    assert bad.code == 2 and "'pupils' is not a voice group" in bad.err


def test_year_and_period_dates(cli, tmp_path):
    folder = new_eval(cli, tmp_path)
    result = cli("evidence", "add", "--title", "Annual data", "--date", "2024", "-e", folder)
    assert result.code == 0, result.err
    text = (folder / "evidence" / f"{result.out.strip()}.yaml").read_text(encoding="utf-8")
    assert "date: '2024'" in text or 'date: "2024"' in text  # a year stays text, never the number 2024
    assert store.load(folder).evidence[result.out.strip()].date == "2024"
    span = cli("evidence", "add", "--title", "Audit", "--date", "2025-01:March 2025", "-e", folder)
    data = stored(folder, span.out.strip())
    assert (data["date"], data["date_to"]) == ("2025-01", "2025-03")
    backwards = cli("evidence", "add", "--title", "Audit", "--date", "2025-03:2025-01", "-e", folder)
    assert backwards.code == 2 and "ends before it starts" in backwards.err
    nonsense = cli("evidence", "add", "--title", "Audit", "--date", "Marchember 2025", "-e", folder)
    assert nonsense.code == 2 and "Invalid value for --date" in nonsense.err and "March 2025" in nonsense.err


def test_periods_parse_each_precision():
    cases = {
        "2025-03-14": ("2025-03-14", "day", "14 March 2025"),
        "14/03/2025": ("2025-03-14", "day", None),
        "March 2025": ("2025-03", "month", "March 2025"),
        "Sept 2024": ("2024-09", "month", None),
        "2025-03": ("2025-03", "month", None),
        "03/2025": ("2025-03", "month", None),
        "2025": ("2025", "year", "2025"),
        "2025-03-14T10:00:00": ("2025-03-14", "day", None),
    }
    for text, (iso, precision, label) in cases.items():
        found = periods.parse(text)
        assert (found.text, found.precision) == (iso, precision), text
        if label:
            assert found.label == label
    for bad in ("2025-02-30", "13/2025", "Smarch 2025", "25", "2025-3", ""):
        assert periods.parse(bad) is None, bad
    assert (periods.start("2024-02").isoformat(), periods.end("2024-02").isoformat()) == (
        "2024-02-01",
        "2024-02-29",
    )
    assert periods.end("2024").isoformat() == "2024-12-31"
    assert periods.parse_date("2025-03") is None and periods.parse_date("2025-03-01").day == 1
    assert periods.stored("March 2025") is None  # files hold the ISO form only


def register(tmp_path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Evidence", "Type", "Source", "Date", "QI", "Organisation"])
    for row in rows:
        ws.append(row)
    path = tmp_path / "register.xlsx"
    wb.save(path)
    return path


LOG = [
    ["", "Case file audit of 40 records", "Audit", "", "March 2025", "2.1", "Council"],
    ["", "Young people's survey", "Survey", "", "2025", "2.1", "Council"],
    ["", "Multi-agency procedures", "Policy document", "Documentation", "14/02/2025", "2.1", "NHS"],
]


def test_evidence_log_with_audit_and_a_month_imports_with_a_mapping(cli, tmp_path):
    folder = new_eval(cli, tmp_path)
    path = register(tmp_path, LOG)
    refused = cli("evidence", "import", path, "-e", folder)
    assert refused.code == 2 and "'Audit' is not one of" in refused.err and "row 2" in refused.err
    result = cli("evidence", "import", path, "--value", "Audit=case-file-audit", "-e", folder)
    assert result.code == 0, result.err
    assert "kind: 'Audit' → case-file-audit (mapping; row 2)" in result.out
    assert "date: 'March 2025' → 2025-03 (date; row 2)" in result.out
    assert "kind: 'Survey' → survey (label; row 3)" in result.out
    assert "source: views (from kind; row 3)" in result.out
    assert "kind: 'Policy document' → policy-document (label; row 4)" in result.out
    assert "date: '14/02/2025' → 2025-02-14 (date; row 4)" in result.out
    items = {e.title: e for e in store.load(folder).evidence.values()}
    audit = items["Case file audit of 40 records"]
    assert (audit.kind, audit.source, audit.date) == ("case-file-audit", "data", "2025-03")
    assert (items["Young people's survey"].source, items["Young people's survey"].date) == ("views", "2025")
    again = cli("evidence", "import", path, "--value", "Audit=case-file-audit", "-e", folder)
    assert again.code == 0 and "0 new, 0 changed, 3 unchanged, 0 rejected" in again.out


def test_value_mapping_file_and_json_report(cli, tmp_path):
    folder = new_eval(cli, tmp_path)
    mapping = tmp_path / "words.yaml"
    mapping.write_text("kind:\n  Audit: case-file-audit\nsource:\n  Consultation: views\n", encoding="utf-8")
    path = register(tmp_path, [["", "Audit", "Audit", "Consultation", "2025-03", "2.1", ""]])
    result = cli(
        "evidence", "import", path, "--values", mapping, "--format", "json", "--dry-run", "-e", folder
    )
    assert result.code == 0, result.err
    import json

    mapped = json.loads(result.out)["mapped"]
    assert {(m["field"], m["text"], m["value"], m["how"]) for m in mapped} == {
        ("kind", "Audit", "case-file-audit", "mapping"),
        ("source", "Consultation", "views", "mapping"),
    }
    for bad, message in (
        (["--value", "Audit=audit"], "not a kind"),
        (["--value", "Watching=observation"], "say which field"),
        (["--value", "nonsense"], "expected [FIELD:]WORD=VALUE"),
    ):
        refused = cli("evidence", "import", path, *bad, "-e", folder)
        assert refused.code == 2 and message in refused.err, bad


def test_staleness_and_future_rules_read_months_and_years(cli, tmp_path):
    folder = new_eval(cli, tmp_path, "--period", "2024-04-01:2025-03-31")
    # Evaluation date 2025-03-31; stale before 2023-03-31. March 2023 ends on the 31st: not stale;
    # February 2023 ends before it: stale. 2025 starts on 1 January: not in the future; 2026 is.
    ids = {}
    for date in ("2023-03", "2023-02", "2022", "2025", "2026", "April 2025"):
        result = cli("evidence", "add", "--title", f"Item {date}", "--date", date, "-e", folder)
        assert result.code == 0, result.err
        ids[date] = result.out.strip()
    import json

    report = json.loads(cli("check", "-e", folder, "--format", "json").out)
    stale = {p["evidence"] for p in report["problems"] if p["rule"] == "stale-evidence"}
    future = {p["evidence"] for p in report["problems"] if p["rule"] == "future-evidence"}
    assert stale == {ids["2023-02"], ids["2022"]}
    assert future == {ids["2026"], ids["April 2025"]}


def test_the_clock_reads_today_through_the_one_date_parser(monkeypatch):
    import pytest

    from qiframe import clock
    from qiframe.errors import InputError

    monkeypatch.setenv(clock.ENV, "2025-03-31")
    assert clock.today().isoformat() == "2025-03-31"
    for text in ("20250331", "2025-03", "31/03/2025"):  # Python alone would take the first; a day is needed
        monkeypatch.setenv(clock.ENV, text)
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            clock.today()
