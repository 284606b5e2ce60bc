"""Many evaluations at once: `aggregate` and `export dataset` checked against counts made independently.

The evaluations are generated here by writing their YAML files directly, from choices the test records
itself, so the expected numbers never come from qiframe's own code.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qiframe import store
from qiframe.portfolio import dataset as dataset_core
from tests.conftest import ROOT

FRAMEWORKS = {
    "ci-care-protection-2019": ("risk-of-harm-2021", ["2.1", "5.3", "5.4", "9.2"]),
    "es-hgios4": (None, ["1.3", "2.3", "3.1", "3.2"]),
}
SOURCES = ["data", "views", "observation", "documentation"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _make(base: Path, count: int = 50, seed: int = 11) -> dict:
    """`count` evaluations over two frameworks; returns what was written, for the expectations."""
    rng = random.Random(seed)
    truth: dict = {"grades": {}, "external": {}, "evidence": {}, "links": {}, "framework": {}}
    template = {}
    for fw, (programme, _) in FRAMEWORKS.items():
        template[fw] = store.init(base / f"_template-{fw}", fw, programme, organisation="Template")
    for n in range(count):
        fw = "ci-care-protection-2019" if n % 5 < 3 else "es-hgios4"
        programme, indicators = FRAMEWORKS[fw]
        name = f"Establishment {n:02d}"
        root = base / ("partnerships" if fw.startswith("ci") else "schools") / f"est-{n:02d}"
        shutil.copytree(template[fw], root)
        truth["framework"][name] = fw
        grades = {}
        for ind in indicators:
            grade = rng.choice([None, 2, 3, 4, 4, 5, 5, 6])
            body = f"indicator: '{ind}'\nstatus: {'agreed' if grade else 'in-progress'}\n"
            if grade is not None:
                body += f"grade: {grade}\nrationale: Chosen by the test\n"
                grades[ind] = grade
            _write(root / "indicators" / f"{ind}.yaml", body)
        truth["grades"][name] = grades
        external = {}
        if n % 4 == 0:  # a quarter of them have been inspected
            for ind in indicators[:2]:
                external[ind] = rng.choice([3, 4, 5])
        truth["external"][name] = external
        meta = (
            (root / "evaluation.yaml")
            .read_text(encoding="utf-8")
            .replace("organisation: Template", f"organisation: {name}")
        )
        if external:
            meta += "external:\n" + "".join(
                f"  - indicator: '{i}'\n    grade: {g}\n" for i, g in external.items()
            )
        _write(root / "evaluation.yaml", meta)
        items = rng.randint(0, 4)
        links = []
        for k in range(items):
            ident = f"E-t{n:02d}k{k}"
            linked = rng.sample(indicators, rng.randint(1, 2))
            source = rng.choice(SOURCES)
            links += [(ident, i, source) for i in linked]
            _write(
                root / "evidence" / f"{ident}.yaml",
                f"id: {ident}\ntitle: Item {k} of {name}\nsource: {source}\ndate: 2025-06-01\nindicators:\n"
                + "".join(f"  - '{i}'\n" for i in linked),
            )
        truth["evidence"][name] = items
        truth["links"][name] = links
    for fw in FRAMEWORKS:
        shutil.rmtree(template[fw])
    return truth


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    base = tmp_path_factory.mktemp("many")
    return base, _make(base)


def test_aggregate_json_matches_counts_made_independently(many, cli):
    base, truth = many
    result = cli("aggregate", str(base), "--format", "json")
    assert result.code == 0, result.err
    groups = {g["framework"]: g for g in json.loads(result.out)["groups"]}
    assert set(groups) == set(FRAMEWORKS)
    for fw, (_, indicators) in FRAMEWORKS.items():
        g = groups[fw]
        members = [name for name, f in truth["framework"].items() if f == fw]
        assert sorted(e["name"] for e in g["establishments"]) == sorted(members)
        by_id = {i["id"]: i for i in g["indicators"]}
        for ind in indicators:
            given = [truth["grades"][m][ind] for m in members if ind in truth["grades"][m]]
            counts = Counter(given)
            assert by_id[ind]["counts"] == {str(v): counts.get(v, 0) for v in (6, 5, 4, 3, 2, 1)}, ind
            assert by_id[ind]["graded"] == len(given)
            ordered = sorted(given)
            assert by_id[ind]["median"] == [ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]]
            assert (by_id[ind]["lowest"], by_id[ind]["highest"]) == (min(given), max(given))
            pairs = [
                (truth["grades"][m][ind], truth["external"][m][ind])
                for m in members
                if ind in truth["grades"][m] and ind in truth["external"][m]
            ]
            assert by_id[ind]["inspection"] == {
                "matched": sum(s == x for s, x in pairs),
                "above": sum(s > x for s, x in pairs),
                "below": sum(s < x for s, x in pairs),
            }
        grid = {(c["establishment"], c["indicator"]): c for c in g["grid"]}
        for m in members:
            for ind in indicators:
                assert grid[m, ind]["grade"] == truth["grades"][m].get(ind)
                assert grid[m, ind]["inspection"] == truth["external"][m].get(ind)
        inspection_outliers = {
            (o["establishment"], o["indicator"]) for o in g["outliers"] if o["rule"] == "inspection"
        }
        expected = {
            (m, ind)
            for m in members
            for ind, x in truth["external"][m].items()
            if ind in truth["grades"][m] and abs(truth["grades"][m][ind] - x) >= 2
        }
        assert inspection_outliers == expected
        assert g["coverage"]["establishments"] == len(members)
        assert g["coverage"]["graded_any"] == sum(bool(truth["grades"][m]) for m in members)
        for source in SOURCES:
            assert g["coverage"]["sources"][source] == sum(
                any(s == source for _, _, s in truth["links"][m]) for m in members
            ), source


def test_aggregate_one_framework_and_the_text_and_markdown_reports(many, cli):
    base, truth = many
    result = cli("aggregate", str(base / "schools"), "--framework", "es-hgios4", "--format", "md")
    assert result.code == 0, result.err
    schools = sum(f == "es-hgios4" for f in truth["framework"].values())
    assert f"{schools} evaluations" in result.out
    assert "| 2.3 |" in result.out and "care and protection" not in result.out
    text = cli("aggregate", str(base))
    assert text.code == 0 and "How good is our school?" in text.out and "Coverage:" in text.out
    wrong = cli("aggregate", str(base), "--framework", "no-such")
    assert wrong.code == 2 and "no evaluation on framework 'no-such'" in wrong.err


def test_aggregate_refuses_a_folder_without_evaluations(tmp_path, cli):
    result = cli("aggregate", str(tmp_path))
    assert result.code == 2
    assert "no evaluation folder here" in result.err and str(tmp_path) in result.err


def test_a_crosswalk_folds_one_framework_into_another(many, cli, tmp_path):
    base, truth = many
    walk = tmp_path / "walk.yaml"
    walk.write_text(
        "from: es-hgios4\nto: ci-care-protection-2019\nindicators:\n  '2.3': '2.1'\n", encoding="utf-8"
    )
    result = cli("aggregate", str(base), "--crosswalk", str(walk), "--format", "json")
    assert result.code == 0, result.err
    groups = json.loads(result.out)["groups"]
    assert [g["framework"] for g in groups] == ["ci-care-protection-2019"]
    row = next(i for i in groups[0]["indicators"] if i["id"] == "2.1")
    expected = [g.get("2.1") for g in truth["grades"].values()] + [
        g.get("2.3") for name, g in truth["grades"].items() if truth["framework"][name] == "es-hgios4"
    ]
    assert row["graded"] == sum(v is not None for v in expected)


def test_aggregate_workbook_heat_map_follows_the_scale(many, cli, tmp_path):
    from qiframe.exports.matrix import level_colours

    base, truth = many
    out = tmp_path / "aggregate.xlsx"
    result = cli("aggregate", str(base / "partnerships"), "-o", str(out))
    assert result.code == 0, result.err
    wb = load_workbook(out)
    ws = wb["Grid"]
    indicators = [c.value for c in ws[2][1:]]
    colours = level_colours(store.load(next((base / "partnerships").iterdir())).framework.scale)
    checked = 0
    for row in ws.iter_rows(min_row=4):
        name = row[0].value
        if name not in truth["grades"]:
            continue
        for ind, cell in zip(indicators, row[1:], strict=False):
            grade = truth["grades"][name].get(ind)
            assert cell.value == grade
            if grade is not None:
                assert cell.fill.fgColor.rgb.endswith(colours[grade])
                checked += 1
    assert checked > 20
    assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows == "$2:$3"  # 9 is A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert "QI 2.1" in wb.sheetnames and "Distribution" in wb.sheetnames


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_aggregate_workbook_opens_in_libreoffice(many, cli, tmp_path):
    base, _ = many
    out = tmp_path / "aggregate.xlsx"
    assert cli("aggregate", str(base), "-o", str(out)).code == 0
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "aggregate.pdf"
    assert done.returncode == 0 and pdf.stat().st_size > 1000, done.stderr


def test_dataset_parquet_read_back_with_duckdb(many, cli, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    base, truth = many
    out = tmp_path / "dataset"
    result = cli("export", "dataset", str(base), "-o", str(out))
    assert result.code == 0, result.err
    con = duckdb.connect()

    def count(table: str) -> int:
        return con.execute(f"SELECT count(*) FROM '{out / table}.parquet'").fetchone()[0]

    n = len(truth["framework"])
    assert count("evaluations") == n
    assert count("evidence") == sum(truth["evidence"].values())
    assert count("evidence_links") == sum(len(v) for v in truth["links"].values())
    assert count("external_grades") == sum(len(v) for v in truth["external"].values())
    graded = con.execute(
        f"SELECT count(*) FROM '{out}/assessments.parquet' WHERE grade IS NOT NULL"
    ).fetchone()[0]
    assert graded == sum(len(v) for v in truth["grades"].values())
    types = dict(
        con.execute(f"DESCRIBE SELECT * FROM '{out}/assessments.parquet'").fetchall()[i][:2]
        for i in range(len(dataset_core.SCHEMA[1].columns))
    )
    assert types["grade"] == "BIGINT" and types["indicator"] == "VARCHAR"

    # The three documented queries, run as documented (from the dataset folder), against expectations.
    queries = dict(dataset_core.QUERIES)
    con.execute(f"SET file_search_path = '{out}'")
    distribution = con.execute(queries["Grade distribution per indicator"]).fetchall()
    expected = Counter((ind, g) for grades in truth["grades"].values() for ind, g in grades.items())
    assert {(r[0], r[1]): r[3] for r in distribution} == dict(expected)

    above = con.execute(queries["Establishments whose self-evaluation is above the inspection"]).fetchall()
    expected_above = sorted(
        (name, ind)
        for name, x in truth["external"].items()
        for ind, g in x.items()
        if truth["grades"][name].get(ind, 0) > g
    )
    assert sorted((r[0], r[1]) for r in above) == expected_above

    sources = con.execute(queries["Evidence sources per indicator"]).fetchall()
    expected_sources: Counter = Counter()
    for links in truth["links"].values():
        for _, ind, source in links:
            expected_sources[ind, source] += 1
    assert {(r[0], r[1]): r[2] for r in sources} == dict(expected_sources)


def test_dataset_csv_needs_nothing_more_and_guards_formulas(tmp_path, cli):
    root = store.init(tmp_path / "e", "es-hgios4", organisation='=HYPERLINK("x")')
    out = tmp_path / "csv"
    assert cli("export", "dataset", str(root), "-o", str(out), "--format", "csv").code == 0
    text = (out / "evaluations.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t.name}.csv" for t in dataset_core.SCHEMA)


def test_dataset_refuses_an_unknown_format_and_writes_nothing(tmp_path, cli):
    root = store.init(tmp_path / "e", "es-hgios4")
    result = cli("export", "dataset", str(root), "-o", str(tmp_path / "out"), "--format", "xls")
    assert result.code == 2 and "unknown format" in result.err
    assert not (tmp_path / "out").exists()


def test_data_dictionary_is_current():
    assert (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8") == dataset_core.dictionary(), (
        "docs/dataset.md is out of date: run `python -m qiframe.portfolio.dataset > docs/dataset.md`"
    )
