"""Exporting the position statement to Word, Markdown and HTML, read back and checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qiframe import citations, store
from qiframe.statement import count_words
from tests.conftest import EXAMPLE, snapshot
from tests.test_statement import answered, care_evaluation, write_section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BEFORE = ["Self-evaluated grades"]
AFTER = ["Word count", "Evidence"]
FIXED_HEADINGS = ["Introduction and context", *BEFORE, *AFTER, "Sign-off"]
NOT_BODY = ("heading", "title", "subtitle", "toc", "word count", "missing answer")


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the bundled example evaluation, so exports never write into the repository."""
    if not (EXAMPLE / "evaluation.yaml").is_file():
        pytest.skip("the example evaluation is not there yet")
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".qiframe"))
    return root


def _answered_care_evaluation(root: Path) -> dict[str, str]:
    """A small risk-of-harm evaluation with all four sections answered; S2 holds hostile text."""
    ids = care_evaluation(root)
    for unit in ("S1", "S3", "S4"):
        write_section(root, unit, answered(ids, 30))
    write_section(
        root,
        "S2",
        {
            "now": "Strengths:\n- Families say <script>alert('x')</script> & more\n- Second point\n\nA closing line.",
            "know": f"Views [{ids['group']}; {ids['audit']}] and a plan [{ids['plan']}].",
            "next": "- Review *all* [links](http://example.invalid)\n- | pipes | too",
        },
    )
    return ids


@pytest.fixture
def built(tmp_path, prebuilt) -> tuple[Path, dict[str, str]]:
    ids = prebuilt(_answered_care_evaluation, tmp_path / "ev")
    return tmp_path / "ev", ids


def export(cli, root: Path, name: str, *extra: str):
    out = root.parent / name
    result = cli("export", "statement", "-o", out, "-e", root, *extra)
    assert result.code == 0, result.err
    return out, result


def printed_counts(out: str) -> tuple[dict[str, int], int]:
    sections = {m[1]: int(m[2].replace(",", "")) for m in re.finditer(r"^(\S+): ([\d,]+) words", out, re.M)}
    total = int(re.search(r"^Total: ([\d,]+)", out, re.M)[1].replace(",", ""))
    return sections, total


def body_by_section(document) -> dict[str, list[str]]:
    """Body paragraphs (what a reader counts) under each Heading 1, in order."""
    out: dict[str, list[str]] = {}
    current = None
    for p in document.paragraphs:
        name = p.style.name
        if name == "Heading 1":
            current = p.text
            out[current] = []
        elif current is not None and not name.casefold().startswith(NOT_BODY):
            out[current].append(p.text)
    return out


def expected_order(root: Path) -> list[str]:
    """Evidence ids in order of first citation, read straight from the files: the sections, then the front
    matter (the context and the rationale of each graded indicator)."""
    ev = store.load(root)
    prog = ev.programme
    front = [ev.metadata.statement.context] + [
        ev.assessments[g].rationale for g in prog.graded if g in ev.assessments
    ]
    text = "\n".join(
        [
            ev.sections[u.id].answers.get(q.id, "")
            for u in prog.units
            if u.id in ev.sections
            for q in prog.questions
        ]
        + front
    )
    return [i for i in citations.cited_ids(text) if i in ev.evidence and not ev.evidence[i].personal_data]


# --- Word ------------------------------------------------------------------------------------------------


def test_example_statement_in_word(example, cli):
    import docx

    out, result = export(cli, example, "statement.docx")
    document = docx.Document(out)
    ev = store.load(example)
    units = ev.programme.units
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [
        "Introduction and context",
        *BEFORE,
        *[f"{u.id} – {u.title.rstrip('.')}" for u in units],
        "Word count",
        "Sign-off",
        "Evidence",
    ]
    h2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert h2 == [q.text for _ in units for q in ev.programme.questions]

    # Every citation is an internal link to a bookmarked appendix entry, numbered in order of first citation.
    body = document.element.body
    links = [
        (h.get(f"{W}anchor"), "".join(t.text for t in h.iter(f"{W}t"))) for h in body.iter(f"{W}hyperlink")
    ]
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert links and all(anchor in marks for anchor, _ in links)
    assert {anchor for anchor, _ in links} == marks
    assert all(anchor == f"ref_{label}" for anchor, label in links)
    appendix = document.tables[-1]
    rows = [[[p.text for p in c.paragraphs] for c in row.cells] for row in appendix.rows]
    assert rows[0] == [["Ref"], ["Evidence and location"], ["Kind and source"], ["Date"], ["Agency"]]
    order = expected_order(example)
    assert [r[0] for r in rows[1:]] == [[f"E{n:02d}"] for n in range(1, len(order) + 1)]
    items = [ev.evidence[i] for i in order]
    assert [r[1] for r in rows[1:]] == [[e.title, e.location] if e.location else [e.title] for e in items]
    assert [r[4] for r in rows[1:]] == [[e.agency] for e in items]
    assert {lbl for _, lbl in links} == {r[0][0] for r in rows[1:]}  # every listed item is cited

    # The word count printed is the count of the body text read back.
    sections, total = printed_counts(result.out)
    read_back = body_by_section(document)
    for u in units:
        assert sections[u.id] == sum(count_words(t) for t in read_back[f"{u.id} – {u.title.rstrip('.')}"])
    assert total == sum(sections.values())
    assert total == sum(
        count_words(t) for h, texts in read_back.items() if h not in FIXED_HEADINGS for t in texts
    )
    assert f"Total: {total:,} of 5,000 words" in result.out
    assert 0 < total < 5000


def test_word_document_structure(built, cli):
    import docx
    from docx.shared import Cm

    root, ids = built
    out, result = export(cli, root, "s.docx")
    document = docx.Document(out)
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert section.different_first_page_header_footer
    footer = section.footer._element
    assert [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")] == ["PAGE", "NUMPAGES"]
    settings = document.settings.element
    assert settings.find(f"{W}updateFields") is None  # Word asks nothing on opening
    instructions = [t.text for t in document.element.body.iter(f"{W}instrText")]
    assert instructions == [' TOC \\o "1-2" \\h \\z \\u ']
    assert [p.text for p in document.paragraphs if p.style.name == "toc 1"][:2] == [
        "Self-evaluated grades",
        "S1 – Risks to children are spotted early and acted on well, so children are safer",
    ]
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Position statement" and document.paragraphs[0].style.name == "Title"
    assert "Test Partnership" in paragraphs[1]
    assert "Period: 1 April 2024 to 31 March 2025" in paragraphs
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)
    grades = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert grades[0] == ["QI", "Title", "Grade", "Rationale"]
    assert grades[1][:3] == ["2.1", "Impact on children and young people", "Good (4)"]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Families say <script>alert('x')</script> & more" in bullets  # text stays text in Word
    # S2 cites group then audit then plan; S1 (earlier) cites the audit first.
    appendix = [[row.cells[0].text, row.cells[1].paragraphs[0].text] for row in document.tables[-1].rows[1:]]
    assert appendix == [
        ["E01", "Case file audit, spring"],
        ["E02", "Young people's focus group"],
        ["E03", "Parenting strategy"],
    ]
    assert "Views [E02; E01]" not in paragraphs and "Views [E02, E01] and a plan [E03]." in paragraphs


def test_word_template_keeps_styles_headers_and_footers(built, cli, tmp_path):
    import docx
    from docx.shared import RGBColor

    root, _ = built
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "Anytown Council – OFFICIAL"
    template.sections[0].footer.paragraphs[0].text = "Anytown corporate footer"
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x80)
    template.add_paragraph("Template body text that must go")
    # Word keeps only styles a document has used: drop List Bullet to prove a new one is made.
    styles = template.styles.element
    styles.remove(template.styles["List Bullet"].element)
    template.styles.add_style("toc 1", 1).font.italic = True  # as Word names it; must be reused, not doubled
    path = tmp_path / "corporate.docx"
    template.save(path)

    out, _ = export(cli, root, "s.docx", "--template", path)
    document = docx.Document(out)
    assert document.sections[0].header.paragraphs[0].text == "Anytown Council – OFFICIAL"
    assert document.sections[0].footer.paragraphs[0].text == "Anytown corporate footer"
    assert all("Template body text" not in p.text for p in document.paragraphs)
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x80)
    bullet = document.styles["List Bullet"]
    num_id = bullet.element.pPr.find(f"{W}numPr").find(f"{W}numId").get(f"{W}val")
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    assert abstract.find(f".//{W}numFmt").get(f"{W}val") == "bullet"
    toc = [st for st in document.styles if st.name.casefold() == "toc 1"]
    assert len(toc) == 1 and toc[0].font.italic
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][:2] == [
        "Self-evaluated grades",
        "S1 – Risks to children are spotted early and acted on well, so children are safer",
    ]


def test_by_indicators_in_word(built, cli):
    import docx

    root, _ = built
    out, result = export(cli, root, "qi.docx", "--by", "indicators", "--no-grades")
    document = docx.Document(out)
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    ev = store.load(root)
    wanted = {i for u in ev.programme.units for i in u.indicators}
    expected = [f"{i} – {ind.title}" for i, ind in ev.framework.indicators.items() if i in wanted]
    assert h1 == [*expected, "Word count", "Evidence"]
    assert [t.text for t in document.element.body.iter(f"{W}instrText")] == [' TOC \\o "1-1" \\h \\z \\u ']
    assert [p.text for p in document.paragraphs if re.fullmatch(r"toc \d", p.style.name)] == h1
    grade = next(
        i
        for i, p in enumerate(document.paragraphs)
        if p.style.name == "Heading 1" and p.text == "2.1 – Impact on children and young people"
    )
    assert [p.text for p in document.paragraphs[grade + 1 : grade + 3]] == [
        "Self-evaluated grade",
        "Good (4)",
    ]
    assert "Total: " in result.out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_word_document_to_pdf(built, example, cli, tmp_path):
    for root in (built[0], example):
        out, _ = export(cli, root, "statement.docx")
        folder = tmp_path / f"pdf-{root.name}"
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        pdf = folder / "statement.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60
            ).stdout
            assert "Position statement" in text and "How do we know?" in text and "Evidence" in text


# --- Markdown and HTML -----------------------------------------------------------------------------------


def test_markdown_links_every_citation_and_escapes_user_text(built, cli):
    root, _ = built
    out, result = export(cli, root, "s.md")
    text = out.read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(#(ref-E\d+)\)", text))
    anchors = set(re.findall(r'<a id="(ref-E\d+)"></a>', text))
    assert links == anchors == {"ref-E01", "ref-E02", "ref-E03"}
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\[links\\](http://example.invalid)" in text and "\\*all\\*" in text and "\\| pipes \\|" in text
    assert len(re.findall(r"^## S\d – ", text, re.M)) == 4
    _, total = printed_counts(result.out)
    assert f"The body of the statement has {total:,} words against a limit of 5,000." in text


def test_html_is_self_contained_escaped_and_linked(built, cli):
    root, _ = built
    out, result = export(cli, root, "s.html")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "Families say &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    assert not re.search(r"""(src=|<link|@import|url\()""", html)
    assert "@media print" in html and "@page" in html
    hrefs = set(re.findall(r'href="#(ref-E\d+)"', html))
    ids = set(re.findall(r'<tr id="(ref-E\d+)"', html))
    assert hrefs == ids == {"ref-E01", "ref-E02", "ref-E03"}
    assert html.count('<section class="unit"') == 4
    sections, total = printed_counts(result.out)
    assert f"The body of the statement has {total:,} words" in html
    for unit, words in sections.items():
        assert re.search(rf'id="section-{unit.lower()}">.*?<p class="words">{words:,} words', html, re.S)


# --- refusals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "{dir}/s.pdf"), "cannot tell the format from 's.pdf'"),
        (("-o", "{dir}/s.md", "--template", "{dir}/t.docx"), "--template applies to Word"),
        (("-o", "{dir}/s.docx", "--template", "{dir}/missing.docx"), "template not found"),
        (("-o", "{dir}/s.docx", "--template", "{dir}/t.docx"), "not a Word document or template"),
        (("-o", "{dir}/s.docx", "--by", "themes"), "'themes' is not one of"),
        (
            (
                "-o",
                "{dir}/nowhere/s.docx",
            ),
            "does not exist; create it first",
        ),
        (
            (
                "-o",
                "{dir}",
            ),
            "cannot tell the format",
        ),
        (
            (
                "-o",
                "{dir}/folder.html",
            ),
            "is a folder",
        ),
    ],
)
def test_bad_export_requests_exit_2_and_write_nothing(built, cli, tmp_path, args, message):
    root, _ = built
    (tmp_path / "t.docx").write_text("not really a Word file", encoding="utf-8")
    (tmp_path / "folder.html").mkdir()
    before = snapshot(tmp_path)
    result = cli("export", "statement", *[a.format(dir=tmp_path) for a in args], "-e", root)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert snapshot(tmp_path) == before
