"""Reading CSV and xlsx tables: delimiters, row numbers, cell text, formulas, limits and broken files."""

from __future__ import annotations

import datetime
import zipfile

import openpyxl
import pytest

from qiframe.errors import InputError
from qiframe.imports import tables
from qiframe.imports.tables import column_letter, read_table


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(tmp_path, delimiter):
    path = write(
        tmp_path / "t.csv",
        delimiter.join(["Record", "Plan", "Note"]) + "\n" + delimiter.join(["R1", "4", '"a, b; c"']) + "\n",
    )
    table = read_table(path)
    assert table.headers == ("Record", "Plan", "Note")
    assert table.rows == (("R1", "4", "a, b; c"),)


def test_quoted_header_with_commas_does_not_fool_the_sniffer(tmp_path):
    path = write(tmp_path / "s.csv", 'Id;"I feel safe, mostly";Other\n1;Agree;x\n')
    assert read_table(path).headers == ("Id", "I feel safe, mostly", "Other")


def test_bom_is_removed_and_spaces_trimmed(tmp_path):
    path = write(tmp_path / "b.csv", "Record , Plan\n R1 , 4 \n", "utf-8-sig")
    table = read_table(path)
    assert table.headers == ("Record", "Plan")
    assert table.rows == (("R1", "4"),)


def test_row_numbers_are_spreadsheet_rows(tmp_path):
    # A blank line is a blank spreadsheet row; a quoted cell spanning lines stays one row.
    path = write(tmp_path / "r.csv", 'Record,Note\nR1,"two\nlines"\n\nR2,x\nR3\n')
    table = read_table(path)
    assert table.row_numbers == (2, 4, 5)
    assert table.rows == (("R1", "two\nlines"), ("R2", "x"), ("R3", ""))


def test_duplicate_headers_name_both_columns(tmp_path):
    path = write(tmp_path / "d.csv", "Record,Plan,plan\n1,2,3\n")
    with pytest.raises(InputError, match="columns B and C") as info:
        read_table(path)
    assert info.value.path.endswith("d.csv") and info.value.line == 1


def test_data_without_header_names_the_column(tmp_path):
    path = write(tmp_path / "e.csv", "Record,,Plan\n1,x,3\n")
    with pytest.raises(InputError, match="column B has data but no header"):
        read_table(path)
    extra = write(tmp_path / "x.csv", "Record,Plan\n1,2,surprise\n")
    with pytest.raises(InputError, match="column C has data but no header"):
        read_table(extra)


def test_empty_unnamed_columns_are_dropped(tmp_path):
    path = write(tmp_path / "e.csv", "Record,,Plan,,\n1,,3,,\n")
    table = read_table(path)
    assert table.headers == ("Record", "Plan")
    assert table.rows == (("1", "3"),)


def test_limits_are_enforced(tmp_path):
    path = write(tmp_path / "big.csv", "A\n" + "x\n" * 10)
    with pytest.raises(InputError, match="more than 5 rows"):
        read_table(path, max_rows=5)
    assert len(read_table(path, max_rows=10)) == 10
    with pytest.raises(InputError, match="over the limit"):
        read_table(path, max_bytes=10)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.xls", b"x", "save it as .csv or .xlsx"),
        ("t", b"x", "without an extension"),
        ("t.csv", b"Record\n\xff\xfe\n", "not UTF-8"),
        ("t.csv", b"\n\n", "no header row"),
    ],
)
def test_unreadable_inputs(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_table(path)
    assert info.value.path == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_sheet_is_refused_for_csv(tmp_path):
    with pytest.raises(InputError, match="no sheets"):
        read_table(write(tmp_path / "t.csv", "A\n1\n"), sheet="Audit")


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


# --- xlsx --------------------------------------------------------------------------------------------


def workbook(path, cached_formula_value: str | None = None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Audit"
    ws.append(["Record", "Plan", "When", "Score", "Check"])
    ws.append(["R1", 4, datetime.date(2024, 1, 2), 2.0, "=2+2"])
    ws.append(["R2", "Good", datetime.datetime(2024, 3, 4, 10, 30), 0.25, True])
    ws["A5"] = "R3"  # row 4 left empty on purpose
    other = wb.create_sheet("Second")
    other.append(["Id", "Answer"])
    other.append([1, "Agree"])
    wb.save(path)
    if cached_formula_value is not None:
        _cache_formula(path, cached_formula_value)
    return path


def _cache_formula(path, value: str) -> None:
    """Store a cached result for the formula, as Excel does, to prove it is never used."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>2+2</f><v></v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<f>2+2</f><v></v>", f"<f>2+2</f><v>{value}</v>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_xlsx_cells_read_as_text(tmp_path):
    table = read_table(workbook(tmp_path / "a.xlsx"))
    assert table.sheet == "Audit"
    assert table.headers == ("Record", "Plan", "When", "Score", "Check")
    assert table.rows[0] == ("R1", "4", "2024-01-02", "2", "=2+2")
    assert table.rows[1] == ("R2", "Good", "2024-03-04T10:30:00", "0.25", "TRUE")
    assert table.rows[2] == ("R3", "", "", "", "")
    assert table.row_numbers == (2, 3, 5)


def test_xlsx_formula_is_its_text_even_with_a_cached_result(tmp_path):
    table = read_table(workbook(tmp_path / "c.xlsx", cached_formula_value="4"))
    assert table.rows[0][4] == "=2+2"


def test_xlsx_sheet_by_name_and_unknown_sheet(tmp_path):
    path = workbook(tmp_path / "s.xlsx")
    assert read_table(path, sheet="second").rows == (("1", "Agree"),)
    with pytest.raises(InputError, match="no sheet 'Missing' \\(sheets: 'Audit', 'Second'\\)"):
        read_table(path, sheet="Missing")


def test_corrupt_xlsx_names_the_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file at all")
    with pytest.raises(InputError, match="not a readable xlsx workbook") as info:
        read_table(path)
    assert info.value.path == str(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(InputError, match="not a readable xlsx workbook"):
        read_table(path)


def test_truncated_workbook(tmp_path):
    good = workbook(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match="not a readable xlsx workbook"):
        read_table(path)


def test_zip_bomb_is_refused_before_opening(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    assert path.stat().st_size < 50_000
    monkeypatch.setattr(tables, "MAX_UNZIPPED", 1_000_000)

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(InputError, match="unpacks to"):
        read_table(path)


def test_xlsx_row_limit(tmp_path):
    with pytest.raises(InputError, match="more than 2 rows"):
        read_table(workbook(tmp_path / "l.xlsx"), max_rows=2)


def test_table_lookup_ignores_case_and_spaces(tmp_path):
    table = read_table(write(tmp_path / "t.csv", "Record ID,Child  seen\n1,yes\n"))
    assert table.index("record id") == 0
    assert table.index("child seen") == 1
    assert table.index("nothing") is None
    with pytest.raises(InputError, match="columns: Record ID, Child  seen"):
        table.require("nothing")
