"""Documents a partnership can send as they are: the shared export layer, the final statement, fixed evidence
numbers, the moderation pack, file hygiene and print-ready pages (checked in LibreOffice's PDF)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from qiframe import store, yamlio
from qiframe.statement import DRAFT_MARKER
from qiframe.text import md_escape, xml_text
from tests.conftest import EXAMPLE, snapshot
from tests.test_statement import answered, care_evaluation, write_section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice and poppler are not installed"
)


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".qiframe"))
    return root


@pytest.fixture
def small(tmp_path) -> tuple[Path, dict[str, str]]:
    """A small risk-of-harm evaluation with every section answered."""
    root = tmp_path / "ev"
    ids = care_evaluation(root)
    for unit in ("S1", "S2", "S3", "S4"):
        write_section(root, unit, answered(ids, 20))
    return root, ids


def run(cli, *args):
    result = cli(*map(str, args))
    assert result.code == 0, result.err
    return result


# --- the shared text layer -------------------------------------------------------------------------------


def test_xml_text_turns_line_controls_into_breaks_and_drops_what_xml_forbids():
    assert xml_text("one\vtwo\fthree\u2028four") == "one\ntwo\nthree\nfour"
    assert xml_text("a\ufffeb\uffffc\x00d\x1fe\ud800f") == "abcdef"
    assert xml_text("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert xml_text(None) == "" and xml_text(3) == "3"


def test_md_escape_makes_markup_literal_and_one_line():
    assert (
        md_escape("*bold* _it_ `code` [link](x) <b> a|b & #h ~~s~~ ![i]")
        == "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\> a\\|b \\& \\#h \\~\\~s\\~\\~ \\!\\[i\\]"
    )
    assert md_escape("- not a list") == "\\- not a list"
    assert md_escape("1. not ordered") == "1\\. not ordered"
    assert md_escape("two\nlines\vand\u2028more") == "two lines and more"
    assert md_escape("back\\slash") == "back\\\\slash"


def test_every_markdown_writer_uses_the_one_escaper(small, cli, tmp_path):
    from qiframe.render.compare import _md

    assert _md("a|b *c*") == md_escape("a|b *c*")
    root, ids = small
    store.update_evidence(root, ids["audit"], {"title": "Audit *spring* | [x](y)"})
    out = tmp_path / "s.md"
    run(cli, "export", "statement", "-o", out, "-e", root)
    assert md_escape("Audit *spring* | [x](y)") in out.read_text(encoding="utf-8")


# --- the four crashes, each now an export ----------------------------------------------------------------


def _without_numbering(data: bytes) -> bytes:
    """A .docx as a plain letterhead template is: no numbering part, no list styles."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename == "word/numbering.xml":
                continue
            content = src.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                content = re.sub(rb"<Relationship [^>]*numbering[^>]*/>", b"", content)
            if item.filename == "[Content_Types].xml":
                content = re.sub(rb"<Override [^>]*numbering[^>]*/>", b"", content)
            if item.filename == "word/styles.xml":
                content = re.sub(
                    rb"<w:style [^>]*w:styleId=\"List[^\"]*\".*?</w:style>", b"", content, flags=re.S
                )
            dst.writestr(item, content)
    return out.getvalue()


def _letterhead(path: Path, numbering: bool = True, template: bool = False) -> Path:
    import docx

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Glenmuir Council letterhead"
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue() if numbering else _without_numbering(buffer.getvalue())
    if template:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                content = src.read(item)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                dst.writestr(item, content)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def _bullet_numbering(document) -> str:
    """The number format behind the List Bullet style, followed through the numbering part."""
    style = next(st for st in document.styles if st.name == "List Bullet")
    num_id = style.element.pPr.find(f"{W}numPr").find(f"{W}numId").get(f"{W}val")
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    return abstract.find(f".//{W}numFmt").get(f"{W}val")


def test_crash_template_without_numbering_part_now_exports(small, cli, tmp_path):
    import docx

    root, _ = small
    template = _letterhead(tmp_path / "letterhead.docx", numbering=False)
    with zipfile.ZipFile(template) as z:
        assert "word/numbering.xml" not in z.namelist()
    assert "List Bullet" not in [s.name for s in docx.Document(template).styles]
    out = tmp_path / "s.docx"
    run(cli, "export", "statement", "-o", out, "--template", template, "-e", root)
    document = docx.Document(out)
    assert document.sections[0].header.paragraphs[0].text == "Glenmuir Council letterhead"
    assert _bullet_numbering(document) == "bullet"


def test_crash_dotx_template_now_exports(small, cli, tmp_path):
    import docx

    root, _ = small
    template = _letterhead(tmp_path / "council.dotx", numbering=False, template=True)
    with zipfile.ZipFile(template) as z:
        assert b"template.main+xml" in z.read("[Content_Types].xml")
    out = tmp_path / "s.docx"
    run(cli, "export", "statement", "-o", out, "--template", template, "-e", root)
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml")
    assert b"document.main+xml" in types and b"template.main+xml" not in types
    document = docx.Document(out)
    assert document.sections[0].header.paragraphs[0].text == "Glenmuir Council letterhead"
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)


def test_crash_vertical_tab_in_evidence_now_exports(small, cli, tmp_path):
    import docx

    root, ids = small
    store.update_evidence(
        root, ids["audit"], {"title": "Case file audit\vspring sample", "agency": "Social work\fservices"}
    )
    for name in ("s.docx", "s.html", "s.md"):
        run(cli, "export", "statement", "-o", tmp_path / name, "-e", root)
    table = docx.Document(tmp_path / "s.docx").tables[-1]
    row = next(r for r in table.rows if r.cells[1].paragraphs[0].text.startswith("Case file audit"))
    assert row.cells[1].paragraphs[0].text == "Case file audit\nspring sample"  # a line break in Word
    assert row.cells[1].paragraphs[0]._p.xpath(".//w:br")
    assert "Case file audit\nspring sample" in (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "\v" not in (tmp_path / "s.md").read_text(encoding="utf-8")
    run(cli, "export", "progress", "-o", tmp_path / "p.docx", "-e", root)
    run(cli, "export", "moderation", "-o", tmp_path / "m.docx", "-e", root)


def test_crash_noncharacters_in_the_matrix_now_export(small, cli, tmp_path):
    import openpyxl

    root, ids = small
    store.update_evidence(root, ids["group"], {"title": "Young people\ufffe's focus\uffff group\v2025"})
    out = tmp_path / "m.xlsx"
    run(cli, "export", "matrix", "-o", out, "-e", root)
    titles = {
        r[0]: r[1] for r in openpyxl.load_workbook(out)["Evidence"].iter_rows(min_row=2, values_only=True)
    }
    assert titles[ids["group"]] == "Young people's focus group\n2025"


@pytest.mark.parametrize("command", ["progress", "statement", "matrix", "moderation"])
def test_unwritable_outputs_exit_2_with_a_message(small, cli, tmp_path, command):
    root, _ = small
    suffix = ".xlsx" if command == "matrix" else ".docx"
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path / "a-file")
    for target in (f"/proc/qiframe-out{suffix}", tmp_path / "a-file" / f"out{suffix}"):
        result = cli("export", command, "-o", str(target), "-e", str(root))
        assert result.code == 2, (target, result.err)
        assert result.err.startswith("qiframe: error: ") and result.err.count("\n") == 1
        assert "Traceback" not in result.err
    assert snapshot(tmp_path / "a-file") == before


# --- Word hygiene ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["statement", "progress", "moderation"])
def test_word_files_have_real_properties_british_english_and_no_compatibility_mode(
    example, cli, tmp_path, command
):
    import docx

    out = tmp_path / f"{command}.docx"
    run(cli, "export", command, "-o", out, "-e", example)
    document = docx.Document(out)
    props = document.core_properties
    organisation = store.load(example).metadata.organisation
    assert props.author == organisation and props.last_modified_by == organisation
    assert props.created.date() == dt.datetime.now(dt.UTC).date() and props.modified == props.created
    assert props.title and "python-docx" not in (props.title, props.author, props.comments)
    assert props.language == "en-GB"
    defaults = document.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault").find(f"{W}rPr")
    assert defaults.find(f"{W}lang").get(f"{W}val") == "en-GB"
    assert all(lang.get(f"{W}val") == "en-GB" for lang in document.styles.element.iter(f"{W}lang"))
    settings = document.settings.element
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]
    assert settings.find(f"{W}updateFields") is None
    footer = document.sections[-1].footer._element
    assert [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")] == ["PAGE", "NUMPAGES"]


# --- the final statement -----------------------------------------------------------------------------------


def test_final_refuses_draft_text_naming_the_section(small, cli, tmp_path):
    root, ids = small
    write_section(root, "S3", {**answered(ids), "know": f"{DRAFT_MARKER}\nAudit [{ids['audit']}]."})
    write_section(root, "S4", answered(ids), draft=True)
    out = tmp_path / "final.docx"
    before = snapshot(root)
    result = cli("export", "statement", "-o", str(out), "--final", "-e", str(root))
    assert result.code == 2
    assert "S3 (How do we know?) still holds DRAFT text" in result.err
    assert "S4 is flagged as a machine draft" in result.err
    assert "S1 (How" not in result.err and "S2 (How" not in result.err and "S1 is" not in result.err
    assert "--allow machine-text" in result.err and "--allow draft" in result.err
    # The wording guard: the test programme's unit titles are qiframe's own wording, not confirmed.
    assert "the title of S1 (" in result.err and "--allow wording" in result.err
    assert not out.exists() and snapshot(root) == before
    # Overridden, it exports; the draft mode never refuses.
    result = cli(
        "export",
        "statement",
        "-o",
        str(out),
        "--final",
        "--allow",
        "draft",
        "--allow",
        "machine-text",
        "-e",
        str(root),
    )
    assert result.code == 2 and "machine-text" not in result.err and "the title of S1 (" in result.err
    run(
        cli,
        "export",
        "statement",
        "-o",
        out,
        "--final",
        "--allow",
        "draft",
        "--allow",
        "machine-text",
        "--allow",
        "wording",
        "-e",
        root,
    )
    run(cli, "export", "statement", "-o", tmp_path / "draft.docx", "-e", root)


def test_final_refuses_unanswered_questions(small, cli, tmp_path):
    root, ids = small
    write_section(root, "S2", {"now": "Something.", "know": "", "next": "Later."})
    result = cli(
        "export", "statement", "-o", str(tmp_path / "f.md"), "--final", "--allow", "wording", "-e", str(root)
    )
    assert result.code == 2 and "S2 (How do we know?) has no answer" in result.err
    assert "the title of" not in result.err


def test_final_succeeds_on_the_example_with_front_matter_and_no_word_counts(example, cli, tmp_path):
    import docx

    out = tmp_path / "final.docx"
    result = run(cli, "export", "statement", "-o", out, "--final", "-e", example)
    assert "words" not in result.out.replace("evidence items", "")
    document = docx.Document(out)
    text = [p.text for p in document.paragraphs]
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1[:2] == ["Introduction and context", "Self-evaluated grades"] and h1[-2:] == [
        "Sign-off",
        "Evidence",
    ]
    assert "Word count" not in h1
    assert not any(re.search(r"\d words", t) for t in text)
    assert "Date: 31 March 2026" in text  # the evaluation's date, not the day of export
    assert "Version: 1.0" in text and "Protective marking: OFFICIAL-SENSITIVE" in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    meta = store.load(example).metadata.statement
    assert meta.context.split("\n")[0] in text
    grades = document.tables[0]
    assert [c.text for c in grades.rows[0].cells] == ["QI", "Title", "Grade", "Rationale"]
    assert grades.rows[1].cells[3].text.startswith("We judge the impact")
    signers = [[c.text for c in r.cells][:3] for r in document.tables[-2].rows[1:]]
    assert signers == [[s.name, s.role, "25 March 2026"] for s in meta.sign_off]
    # Internal addresses are not printed in a submission.
    assert "intranet." not in "\n".join(c.text for r in document.tables[-1].rows for c in r.cells)
    # The draft keeps the aids.
    run(cli, "export", "statement", "-o", tmp_path / "draft.docx", "-e", example)
    draft = docx.Document(tmp_path / "draft.docx")
    assert "Word count" in [p.text for p in draft.paragraphs if p.style.name == "Heading 1"]


def _appendix(path: Path) -> dict[str, str]:
    """Evidence title -> its number, from the Word appendix."""
    import docx

    table = docx.Document(path).tables[-1]
    return {r.cells[1].paragraphs[0].text: r.cells[0].text for r in table.rows[1:]}


def test_evidence_numbers_stay_fixed_after_an_edit_cites_a_new_item_earlier(example, cli, tmp_path):
    ev = store.load(example)
    run(cli, "export", "statement", "-o", tmp_path / "one.docx", "--final", "-e", example)
    first = _appendix(tmp_path / "one.docx")
    recorded = store.load(example).metadata.statement.evidence_numbers
    assert sorted(recorded.values()) == list(range(1, len(first) + 1))
    assert {ev.evidence[i].title: f"E{n:02d}" for i, n in recorded.items()} == first

    # An unrelated edit: the first answer now opens by citing an item nobody cited before.
    cited = set(recorded)
    new = next(e for e in ev.evidence.values() if e.id not in cited and not e.personal_data)

    def mutate(doc):
        doc["answers"]["now"] = f"A new opening sentence [{new.id}].\n\n" + doc["answers"]["now"]

    store.edit(example, "statement/S1.yaml", "section", mutate)
    run(cli, "export", "statement", "-o", tmp_path / "two.docx", "--final", "-e", example)
    second = _appendix(tmp_path / "two.docx")
    assert {t: n for t, n in second.items() if t != new.title} == first
    assert second[new.title] == f"E{len(first) + 1:02d}"
    assert store.load(example).metadata.statement.evidence_numbers[new.id] == len(first) + 1
    # The file keeps its comments through the recording.
    assert (
        "# the front matter of the submitted position statement" in (example / "evaluation.yaml").read_text()
    )


def test_evidence_pack_lists_file_names_and_leaves_out_internal_locations(example, cli, tmp_path):
    import docx

    from qiframe import citations

    ev = store.load(example)
    item = citations.cited_ids(ev.sections["S1"].answers["know"])[0]  # an item the statement cites
    store.update_evidence(example, item, {"location": "https://www.example.org/reports/survey.pdf"})
    out = tmp_path / "pack.docx"
    run(cli, "export", "statement", "-o", out, "--evidence-pack", "-e", example)
    rows = [[p.text for p in r.cells[1].paragraphs] for r in docx.Document(out).tables[-1].rows]
    assert rows[0] == ["File in the evidence pack"]
    labels = [r.cells[0].text for r in docx.Document(out).tables[-1].rows[1:]]
    for label, cell in zip(labels, rows[1:], strict=True):
        assert re.fullmatch(rf"{label} – [^\\/:*?\"<>|]+", cell[0]), cell
        assert all("intranet" not in line for line in cell[1:])
    public = store.load(example).evidence[item]
    shown = [c for c in rows[1:] if c[0].endswith(f"{public.title}.pdf")]
    assert shown and shown[0][1:] == ["https://www.example.org/reports/survey.pdf"]
    run(cli, "export", "statement", "-o", out, "--evidence-pack", "--internal-locations", "-e", example)
    cells = [p.text for r in docx.Document(out).tables[-1].rows for p in r.cells[1].paragraphs]
    assert any("intranet.glenmuir.example" in c for c in cells)


# --- the moderation pack -----------------------------------------------------------------------------------


def test_grade_by_records_the_evaluators_reasons(small, cli):
    root, _ = small
    run(
        cli,
        "grade",
        "2.1",
        "5",
        "--by",
        "Pair B",
        "--rationale",
        "Attendance rose",
        "--strength",
        "Stable homes",
        "--improvement",
        "Plans",
        "--improvement",
        "Voice",
        "-e",
        root,
    )
    data = yamlio.load(root / "indicators" / "2.1.yaml")
    proposal = next(p for p in data["proposed"] if p["by"] == "Pair B")
    assert proposal["rationale"] == "Attendance rose" and proposal["grade"] == 5
    assert proposal["strengths"] == ["Stable homes"] and proposal["improvements"] == ["Plans", "Voice"]
    assert data.get("rationale") != "Attendance rose"  # the agreed rationale is not touched


@pytest.mark.parametrize("name", ["pack.docx", "pack.html"])
def test_moderation_pack_has_a_section_per_graded_indicator_with_every_proposal(example, cli, tmp_path, name):
    import docx

    ev = store.load(example)
    graded = [g for g in ev.programme.graded]
    out = tmp_path / name
    result = run(cli, "export", "moderation", "-o", out, "-e", example)
    proposals = [p for g in graded for p in ev.assessments[g].proposed]
    assert (
        f"{len(graded)} indicator{'s' if len(graded) != 1 else ''}, {len(proposals)} proposals" in result.err
    )
    if name.endswith(".html"):
        html = out.read_text(encoding="utf-8")
        assert html.count('<section class="indicator"') == len(graded)
        for p in proposals:
            assert f"<th>{p.by}</th>" in html and p.rationale.split(" [")[0] in html
        return
    document = docx.Document(out)
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [f"{g} – {ev.title_of(g)}" for g in graded]
    side_by_side = document.tables[0]
    assert [c.text for c in side_by_side.rows[0].cells][1:] == [
        p.by for p in ev.assessments[graded[0]].proposed
    ]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in side_by_side.rows[1:]}
    for i, p in enumerate(ev.assessments[graded[0]].proposed):
        assert rows["Reasons"][i].startswith(p.rationale[:40])
        assert all(s.split(" [")[0] in rows["Strengths"][i] for s in p.strengths)
        assert all(s.split(" [")[0] in rows["Areas for improvement"][i] for s in p.improvements)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Rule: at least 2 of the 3 sources" in text
    scale = [t for t in document.tables if t.rows[0].cells[0].text == "Level"][0]
    assert [r.cells[1].text for r in scale.rows[1:]] == [lv.label for lv in ev.framework.scale.levels]
    decision = document.tables[-1]
    assert decision.rows[0].cells[0].text == "Agreed at moderation"
    assert {r.cells[0].text for r in decision.rows[1:]} >= {"Agreed grade", "Reasons for the agreed grade"}


def test_moderation_pack_for_one_indicator_of_a_four_level_framework(cli, tmp_path):
    (tmp_path / "frameworks").mkdir()
    shutil.copy(
        Path(__file__).parent / "data" / "frameworks" / "valid" / "four-level.yaml",
        tmp_path / "frameworks" / "test-four-level.yaml",
    )
    root = store.init(tmp_path / "ev", "test-four-level")
    levels = store.load(root).framework.scale.levels
    run(cli, "grade", "safe-care", levels[0].label, "--by", "Ann", "-r", "Strong audit", "-e", root)
    run(cli, "grade", "voice", levels[-1].label, "--by", "Ben", "-e", root)
    out = tmp_path / "m.html"
    run(cli, "export", "moderation", "-o", out, "--qi", "safe-care", "-e", root)
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="indicator"') == 1 and "Strong audit" in html and "Ben" not in html
    for level in store.load(root).framework.scale.levels:
        assert level.label in html


# --- print-ready pages, checked in LibreOffice's PDF ----------------------------------------------------


def _pdf(path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "pdf"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return folder / f"{path.stem}.pdf"


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's size and word boxes, from pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page[3]
            )
        ]
        pages.append((float(page[1]), float(page[2]), words))
    return pages


def _overlaps(words) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than a third of the smaller one: text printed on text."""
    found = []
    ordered = sorted(words)
    for i, (x0, y0, x1, y1, w) in enumerate(ordered):
        for a0, b0, a1, b1, v in ordered[i + 1 :]:
            if a0 >= x1:
                break
            dx, dy = min(x1, a1) - max(x0, a0), min(y1, b1) - max(y0, b0)
            if dx > 0 and dy > 0:
                smaller = min((x1 - x0) * (y1 - y0), (a1 - a0) * (b1 - b0))
                if dx * dy > smaller / 3:
                    found.append((w, v))
    return found


def _assert_a4_and_clean(pdf: Path) -> int:
    pages = _pages(pdf)
    assert pages
    for n, (width, height, words) in enumerate(pages, 1):
        assert sorted((round(width), round(height))) == [595, 842], (pdf.name, n)  # A4, either way round
        assert all(x1 <= width + 1 for _, _, x1, _, _ in words), (pdf.name, n)  # nothing runs off the page
        assert not _overlaps(words), (pdf.name, n, _overlaps(words)[:5])
    return len(pages)


@pytest.mark.slow
@needs_office
def test_overlap_detector_finds_text_printed_on_text(tmp_path):
    """The control for the checks below: a row too short for its wrapped text is caught."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws["A1"] = " ".join(["overflowing"] * 40)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 20
    ws.row_dimensions[1].height = 14
    ws["A2"] = "next row text"
    ws["A3"] = "and another row"
    out = tmp_path / "bad.xlsx"
    wb.save(out)
    words = _pages(_pdf(out, tmp_path))[0][2]
    assert _overlaps(words) or sum(w == "overflowing" for *_, w in words) < 40


@pytest.mark.slow
@needs_office
def test_every_export_prints_on_a4_one_page_wide_with_repeated_headers_and_no_overlap(example, cli, tmp_path):
    import docx
    import openpyxl

    files = {}
    for name, command, extra in (
        ("statement.docx", "statement", ()),
        ("final.docx", "statement", ("--final",)),
        ("progress.docx", "progress", ()),
        ("moderation.docx", "moderation", ()),
        ("matrix.xlsx", "matrix", ()),
        ("progress.xlsx", "progress", ()),
    ):
        files[name] = tmp_path / name
        run(cli, "export", command, "-o", files[name], *extra, "-e", example)

    # Workbooks: every printed sheet A4, one page wide, header rows repeated, a footer, named fonts.
    for name in ("matrix.xlsx", "progress.xlsx"):
        wb = openpyxl.load_workbook(files[name])
        for ws in wb.worksheets:
            if ws.sheet_state == "hidden":
                continue
            setup = ws.page_setup
            assert setup.paperSize == 9, (name, ws.title)
            assert (
                setup.fitToWidth == 1 and setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
            )
            if ws.title != "Summary":
                assert ws.print_title_rows, (name, ws.title)
            assert ws.oddFooter.left.text == "&A" and "&P" in ws.oddFooter.right.text
            assert ws.oddFooter.center.text
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        assert cell.font.name and cell.font.sz, (name, ws.title, cell.coordinate)
        with zipfile.ZipFile(files[name]) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            assert all(b'numberStoredAsText="1"' in z.read(n) for n in sheets)
        matrix = wb["Matrix"] if "Matrix" in wb.sheetnames else None
        if matrix is not None:
            assert matrix.print_title_rows == "$1:$3"

    # Word: the header row of every table repeats.
    for name in ("statement.docx", "final.docx", "progress.docx", "moderation.docx"):
        for table in docx.Document(files[name]).tables:
            assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None, name

    for name, path in files.items():
        pages = _assert_a4_and_clean(_pdf(path, tmp_path))
        assert pages >= 1, name
    # One page wide: the progress workbook's one sheet of seven actions prints on a single page.
    assert len(_pages(_pdf(files["progress.xlsx"], tmp_path))) == 1


@pytest.mark.slow
@needs_office
def test_html_exports_print_on_a4_without_overlap(example, cli, tmp_path):
    for name, command in (("statement.html", "statement"), ("moderation.html", "moderation")):
        out = tmp_path / name
        run(cli, "export", command, "-o", out, "-e", example)
        folder = tmp_path / "pdf"
        done = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--headless",
                "--convert-to",
                "pdf:writer_web_pdf_Export",
                "--outdir",
                str(folder),
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        pages = _pages(folder / f"{out.stem}.pdf")
        assert pages and all(not _overlaps(words) for _, _, words in pages), name
