"""Property-based fuzzing of every loader: whatever the bytes, the result is data or one InputError."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qiframe import frameworks, store, yamlio
from qiframe.errors import InputError
from qiframe.yaml_loader import text_dates_constructor
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # fuzzing: hundreds of examples per test

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("QIFRAME_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Fragments that YAML parsers find interesting, mixed with arbitrary text.
YAMLISH = st.lists(
    st.sampled_from(
        [
            "id: ",
            "title: ",
            "indicators:",
            "\n",
            "  - ",
            "'2.1'",
            "&a ",
            "*a",
            "!!python/object ",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "- ",
            "|",
            ">",
            "#",
            "\t",
            "---",
            "...",
            "%YAML 1.1\n",
            "? ",
            '"',
            "'",
            "\\",
            "\ufeff",
            "\r\n",
            "null",
            "true",
            "2025-13-45",
            "1e999",
            "0o17",
            ".nan",
            "<<: *a",
            "\x00",
            "\x85",
            "\u2028",
        ]
    )
    | st.text(max_size=12),
    max_size=40,
).map("".join)


@FUZZ
@given(text=YAMLISH)
def test_yaml_text_parses_or_raises_input_error(text):
    try:
        yamlio.parse(text, "fuzz.yaml")
    except InputError as exc:
        assert exc.message


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_read_as_file_give_data_or_input_error(tmp_path, data):
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    try:
        yamlio.load(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) or "f.yaml" in str(exc)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(
    extra=st.dictionaries(
        st.sampled_from(["scale", "quantity_terms", "key_questions", "programmes", "id", "title", "qiframe"]),
        JSONISH,
        max_size=3,
    )
)
def test_framework_problems_never_crash_on_wrong_shapes(extra):
    data = yamlio.load(ROOT / "frameworks" / "ci-care-protection-2019.yaml")
    data.update(extra)
    found = frameworks.problems(data, "fuzz.yaml")
    assert all(isinstance(p, InputError) for p in found)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return store.init(tmp_path_factory.mktemp("tpl") / "ev", "ci-care-protection-2019", "risk-of-harm-2021")


@FUZZ
@given(
    body=YAMLISH,
    kind=st.sampled_from(
        [
            "evidence/E-fuzz22.yaml",
            "indicators/2.1.yaml",
            "evaluation.yaml",
            "actions/A-fuzz22.yaml",
            "statement/S1.yaml",
        ]
    ),
)
def test_evaluation_loads_or_raises_one_located_error(template, tmp_path_factory, body, kind):
    root = tmp_path_factory.mktemp("ev") / "ev"
    shutil.copytree(template, root)
    (root / kind).parent.mkdir(exist_ok=True)
    (root / kind).write_text(body, encoding="utf-8")
    try:
        store.load(root)
    except InputError as exc:
        assert exc.message and "\n" not in exc.message.strip()


# --- the fast paths agree with the reference implementations -------------------------------------------


@FUZZ
@given(text=YAMLISH)
def test_fast_yaml_reader_agrees_with_ruamels_safe_loader(text):
    from ruamel.yaml import YAML

    reference = YAML(typ="safe", pure=False)
    reference.Constructor = text_dates_constructor()
    try:
        expected = ("ok", reference.load(text))
    except Exception as exc:  # noqa: BLE001 - any failure must also be a failure of the fast path
        expected = ("error", type(exc).__name__)
    try:
        got = ("ok", yamlio._safe()(text))
    except Exception as exc:  # noqa: BLE001
        got = ("error", type(exc).__name__)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert repr(got[1]) == repr(expected[1])  # repr: NaN is not equal to itself


EVIDENCEISH = st.fixed_dictionaries(
    {"id": st.sampled_from(["E-abc234", "bad id", 12]), "title": st.sampled_from(["T", "", None, 3])},
    optional={
        "date": st.sampled_from(["2025-02-28", "2025-02-30", "2025-2-3", 20250101, "2024-02-29"]),
        "source": st.sampled_from(["data", "views", "rumour"]),
        "submission": st.sampled_from([True, "yes"]),
        "indicators": st.lists(st.sampled_from(["2.1", 2.1, "", "a b"]), max_size=3),
        "colour": st.just("blue"),
    },
)


@FUZZ
@given(data=EVIDENCEISH)
def test_compiled_validator_agrees_with_jsonschema(data):
    from qiframe import schemas

    assert schemas.is_valid(data, "evidence") == schemas._validator("evidence").is_valid(data)


# --- spreadsheets and the evidence import ----------------------------------------------------------------

CSVISH = st.lists(
    st.sampled_from(
        [
            ",",
            ";",
            "\t",
            '"',
            "\n",
            "\r\n",
            "=1+1",
            "@SUM(A1)",
            "Title",
            "ID",
            "QI",
            "2.1",
            "Source",
            "views",
            "Date",
            "2025-02-30",
            "\x00",
            "\ufeff",
            "é",
        ]
    )
    | st.text(max_size=8),
    max_size=40,
).map("".join)


@FUZZ
@given(text=CSVISH)
def test_csv_reads_or_raises_input_error(tmp_path, text):
    from qiframe.imports.tables import read_table

    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    try:
        table = read_table(path)
    except InputError as exc:
        assert exc.message
    else:
        assert all(len(row) == len(table.headers) for row in table.rows)


@FUZZ
@given(data=st.binary(max_size=400), prefix=st.sampled_from([b"", b"PK\x03\x04"]))
def test_any_bytes_as_xlsx_give_a_table_or_input_error(tmp_path, data, prefix):
    from qiframe.imports.tables import read_table

    path = tmp_path / "f.xlsx"
    path.write_bytes(prefix + data)
    try:
        read_table(path)
    except InputError as exc:
        assert "f.xlsx" in str(exc)


@FUZZ
@given(text=CSVISH)
def test_import_plan_classifies_every_row_or_raises_input_error(template, tmp_path, text):
    from qiframe.imports.evidence import plan_import
    from qiframe.imports.tables import read_table

    path = tmp_path / "f.csv"
    path.write_text("Title,QI,Source,Date\n" + text, encoding="utf-8")
    evaluation = store.load(template)
    try:
        plan = plan_import(evaluation, read_table(path))
    except InputError as exc:
        assert exc.message
    else:
        assert all(row.action in ("new", "changed", "unchanged", "rejected") for row in plan.rows)


# --- the fast parser against the reference --------------------------------------------------------------
#
# yaml-rs reads an evaluation's files; ruamel is the reference for what they mean. On anything either
# produces, the fast path must give exactly the reference's data, or the reference's own error.


def _both(text: str):
    results = []
    for parse in (yamlio.parse, yamlio._parse_reference):
        try:
            results.append(("data", parse(text, "f.yaml")))
        except InputError as exc:
            results.append(("error", exc.message))
    return results


@FUZZ
@given(text=YAMLISH)
def test_fast_parser_agrees_with_the_reference_on_fragments(text):
    fast, reference = _both(text)
    assert fast == reference


# Text as people type it: printable characters and new lines (control characters and line breaks other
# than \n are refused on input, so they are not part of what qiframe writes).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\x85\u2028\u2029")
    | st.just("\n"),
    max_size=10,
)
WRITTEN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(data=st.dictionaries(TEXT.filter(bool), WRITTEN, max_size=6))
def test_fast_parser_agrees_with_the_reference_on_files_qiframe_writes(data):
    text = yamlio.dump_roundtrip(yamlio.to_commented(data), "# a header comment\n")
    fast, reference = _both(text)
    assert fast == reference == ("data", yamlio.plain(data))


@pytest.mark.parametrize(
    "text",
    [
        "a: 2025-09-05",
        "a: yes",
        "a: 014",
        "a: .nan",
        "a: !!binary aGVsbG8=",
        "? [1, 2]\n: x",
        "a: 1\na: 2",
        "a: &x [1]\nb: *x",
        "a: |\n  x\n  y\n",
        "1: one\n2.5: two",
        "a: '2.1'\nb: 2.1",
        "[" * 100 + "]" * 100,
        "- &a [x, x]\n- &b [*a, *a]\n- [*b, *b]",
        "a: !!python/object:os.system x",
        "%YAML 1.1\n---\na: yes",
        "a: _0",
        "a: 1_000e1_0",
        "a: 1_0",
        "title: Survey_2025.pdf",
        "|\n",
        "a: >\n\n",
        "a: |  # c\n",
    ],
)
def test_fast_parser_agrees_with_the_reference_on_known_differences(text):
    fast, reference = _both(text)
    assert fast == reference


def test_ascii_text_goes_to_the_reference_exactly_for_controls_backslashes_and_tags():
    import re

    spec = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\\!]")
    for code in range(128):
        for text in (f"a: x{chr(code)}y\n", f"a: x{chr(code)}y\r\nb: z\r\n"):
            assert yamlio._needs_reference(text) == bool(spec.search(text)), repr(text)


def test_the_characters_left_to_the_reference_are_those_outside_yamls_printable_set():
    def printable(c: int) -> bool:  # YAML 1.2's c-printable, less the backslash, NEL, U+2028/9 and a BOM
        return (
            c in (0x0A, 0x0D)
            or (0x20 <= c <= 0x7E and c != 0x5C)
            or (0xA0 <= c <= 0xD7FF and c not in (0x2028, 0x2029))
            or (0xE000 <= c <= 0xFFFD and c != 0xFEFF)
            or 0x10000 <= c <= 0x10FFFF
        )

    pattern = yamlio._for_reference()
    wrong = [hex(c) for c in range(0x110000) if bool(pattern.search(chr(c))) == printable(c)]
    assert wrong == []


def test_the_fast_parser_is_the_one_reading_ordinary_files(monkeypatch):
    # If yaml-rs stopped being used (an import failure, say), reads would silently be ten times slower.
    assert yamlio._fast(), "yaml-rs is a dependency and should be importable"
    calls = []
    monkeypatch.setattr(yamlio, "_parse_reference", lambda *a: calls.append(a))
    assert yamlio.parse("id: E-abc234\ntitle: A\n", "f.yaml") == {"id": "E-abc234", "title": "A"}
    assert calls == []


def test_reading_first_in_worker_threads_never_crashes(tmp_path):
    """yaml-rs crashes a process that first imports it in a thread that exits: yamlio never lets one."""
    import subprocess
    import sys

    code = """
from concurrent.futures import ThreadPoolExecutor
from qiframe import yamlio
def read(i):
    return yamlio.parse(f"id: E-abc23{i % 10}\\ntitle: Item {i}\\n", "t.yaml")["title"]
for round in range(20):
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(read, range(8))) == [f"Item {i}" for i in range(8)]
print("read")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "read"
