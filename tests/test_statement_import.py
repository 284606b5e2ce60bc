"""A position statement exported to Word, edited there (with python-docx, as a person would in Word) and
read back into the section files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from qiframe import store, yamlio
from qiframe.statement import DRAFT_MARKER
from tests.conftest import EXAMPLE, snapshot


@pytest.fixture
def example(tmp_path) -> Path:
    if not (EXAMPLE / "evaluation.yaml").is_file():
        pytest.skip("the example evaluation is not there yet")
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".qiframe"))
    return root


def export(cli, root: Path) -> Path:
    out = root.parent / "statement.docx"
    result = cli("export", "statement", "-o", out, "-e", root)
    assert result.code == 0, result.err
    return out


def under(document, unit: str, question: str) -> list:
    """The body paragraphs under a unit's Heading 1 and a question's Heading 2."""
    out, in_unit, in_question = [], False, False
    for p in document.paragraphs:
        style = p.style.name
        if style == "Heading 1":
            in_unit, in_question = p.text.startswith(f"{unit} "), False
        elif style == "Heading 2":
            in_question = in_unit and p.text == question
        elif in_unit and in_question and p.text.strip() and style != "Word Count":
            out.append(p)
    return out


def appendix(document) -> dict[str, str]:
    """E-number -> the evidence title the document's evidence table shows."""
    table = document.tables[-1]
    return {row.cells[0].text.strip(): row.cells[1].paragraphs[0].text.strip() for row in table.rows[1:]}


def retype(paragraph, text: str) -> None:
    """Replace a paragraph's text as typing over it in Word would (its runs and links go)."""
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)
    paragraph.add_run(text)


def run_import(cli, root: Path, file: Path, *args: str, code: int = 0) -> dict:
    result = cli("statement", "import", file, "-e", root, "--format", "json", *args)
    assert result.code == code, result.err
    return json.loads(result.out) if result.out else {}


def id_titled(root: Path, title: str) -> str:
    found = [
        yamlio.load(p)["id"] for p in (root / "evidence").glob("*.yaml") if yamlio.load(p)["title"] == title
    ]
    assert len(found) == 1
    return found[0]


def test_unchanged_document_changes_nothing(example, cli):
    out = export(cli, example)
    before = snapshot(example)
    report = run_import(cli, example, out)
    assert {a["action"] for a in report["answers"]} == {"unchanged"}
    assert len(report["answers"]) == 12
    assert snapshot(example) == before


def test_an_edited_answer_and_a_new_citation_come_back_as_exactly_that_change(example, cli):
    out = export(cli, example)
    document = docx.Document(out)
    numbers = appendix(document)
    # The lead rewrites the second paragraph of S1's first answer ...
    s1_now = under(document, "S1", "How good are we now?")
    old_paragraph = s1_now[1].text
    new_paragraph = "Assessment of risk and need is now good in most cases, including for older young people."
    retype(s1_now[1], new_paragraph)
    # ... and cites an item already in the evidence list at the end of S3's plans.
    s3_next = under(document, "S3", "What do we plan to do next?")
    label = sorted(numbers, key=lambda x: int(x[1:]))[4]  # an existing number, e.g. E5
    s3_next[0].add_run(f" [{label}]")
    document.save(out)
    s1_before = (example / "statement" / "S1.yaml").read_text(encoding="utf-8")
    s3_before = yamlio.load(example / "statement" / "S3.yaml")["answers"]["next"]
    untouched = {p: p.read_bytes() for p in (example / "statement").glob("*.yaml") if p.stem in ("S2", "S4")}

    dry = cli("statement", "import", out, "-e", example, "--dry-run")
    assert dry.code == 0, dry.err
    assert f"\n    -{old_paragraph}\n" in dry.out and f"\n    +{new_paragraph}\n" in dry.out
    assert "Total:" in dry.out and "against a limit of" in dry.out
    assert (example / "statement" / "S1.yaml").read_text(encoding="utf-8") == s1_before  # dry run

    report = run_import(cli, example, out)
    changed = {(a["unit"], a["question"]) for a in report["answers"] if a["action"] == "changed"}
    assert changed == {("S1", "now"), ("S3", "next")}
    # S1: exactly that paragraph replaced, every other byte of the file as it was.
    s1_after = (example / "statement" / "S1.yaml").read_text(encoding="utf-8")
    assert s1_after == s1_before.replace(old_paragraph, new_paragraph)
    # S3: the citation came back as the evidence id the document's list names.
    ident = id_titled(example, numbers[label])
    s3_after = yamlio.load(example / "statement" / "S3.yaml")["answers"]["next"]
    first, rest = s3_before.split("\n", 1)
    assert s3_after == f"{first} [{ident}]\n{rest}"
    for path, data in untouched.items():
        assert path.read_bytes() == data
    # Importing the same document again changes nothing.
    again = snapshot(example)
    assert not [a for a in run_import(cli, example, out)["answers"] if a["action"] == "changed"]
    assert snapshot(example) == again


def test_tracked_changes_are_refused_with_the_count(example, cli):
    out = export(cli, example)
    document = docx.Document(out)
    paragraphs = under(document, "S2", "How good are we now?")
    for p, tag in ((paragraphs[0], "w:ins"), (paragraphs[0], "w:del"), (paragraphs[1], "w:ins")):
        change = OxmlElement(tag)
        change.set(qn("w:id"), str(len(tag)))
        change.set(qn("w:author"), "Chief officer")
        run = OxmlElement("w:r")
        text = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        text.text = " tracked"
        run.append(text)
        change.append(run)
        p._p.append(change)
    document.save(out)
    before = snapshot(example)
    result = cli("statement", "import", out, "-e", example)
    assert result.code == 2
    assert "3 unresolved tracked changes (2 insertions, 1 deletion)" in result.err
    assert "Traceback" not in result.err
    assert snapshot(example) == before


def test_comments_are_reported_with_their_section(example, cli):
    out = export(cli, example)
    document = docx.Document(out)
    paragraph = under(document, "S4", "How do we know?")[0]
    document.add_comment(paragraph.runs[0], text="Is this figure from this year?", author="Chief officer")
    document.save(out)
    report = run_import(cli, example, out, "--dry-run")
    assert report["comments"] == [
        {"author": "Chief officer", "text": "Is this figure from this year?", "where": "S4 (know)"}
    ]
    text = cli("statement", "import", out, "-e", example, "--dry-run")
    assert "comment by Chief officer in S4 (know): Is this figure from this year?" in text.out


def test_a_number_the_evidence_list_lacks_is_refused(example, cli):
    out = export(cli, example)
    document = docx.Document(out)
    under(document, "S1", "How do we know?")[0].add_run(" [E999]")
    document.save(out)
    before = snapshot(example)
    result = cli("statement", "import", out, "-e", example)
    assert result.code == 2 and "E999" in result.err and "nothing was written" in result.err
    assert snapshot(example) == before


def test_an_answer_typed_where_there_was_none_creates_it(example, cli):
    (example / "statement" / "S4.yaml").unlink()
    out = export(cli, example)
    document = docx.Document(out)
    # Typing over the placeholder under S4's first question.
    placeholder = under(document, "S4", "How good are we now?")
    assert [p.style.name for p in placeholder] == ["Missing Answer"]
    retype(placeholder[0], "Leaders work well together.")
    document.save(out)
    report = run_import(cli, example, out)
    assert [(a["unit"], a["question"]) for a in report["answers"] if a["action"] == "changed"] == [
        ("S4", "now")
    ]
    assert yamlio.load(example / "statement" / "S4.yaml") == {
        "unit": "S4",
        "answers": {"now": "Leaders work well together."},
    }


def test_not_a_statement(example, cli, tmp_path):
    other = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague")
    document.save(other)
    result = cli("statement", "import", other, "-e", example)
    assert result.code == 2 and "no unit headings" in result.err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_document_resaved_by_libreoffice_still_imports(example, cli, tmp_path):
    out = export(cli, example)
    document = docx.Document(out)
    retype(under(document, "S2", "What do we plan to do next?")[0], "Keep the same worker for every child.")
    document.save(out)
    resaved = tmp_path / "resaved"
    done = subprocess.run(
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(resaved),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    copy = resaved / out.name
    assert copy.read_bytes() != out.read_bytes()
    report = run_import(cli, example, copy)
    assert [(a["unit"], a["question"]) for a in report["answers"] if a["action"] == "changed"] == [
        ("S2", "next")
    ]
    assert yamlio.load(example / "statement" / "S2.yaml")["answers"]["next"].startswith(
        "- Keep the same worker for every child.\n"
    )


def test_citations_follow_the_numbers_the_document_was_exported_with(example, cli):
    out = export(cli, example)
    document = docx.Document(out)
    numbers = appendix(document)
    # After the export, the item numbered E01 is flagged as personal data: today's export would number
    # everything after it differently, but the document keeps its own numbers.
    first = id_titled(example, numbers["E01"])
    store.update_evidence(example, first, {"personal_data": True})
    assert store.load(example).evidence[first].personal_data
    under(document, "S3", "What do we plan to do next?")[0].add_run(" [E5]")  # typed without the leading zero
    document.save(out)
    report = run_import(cli, example, out)
    changed = [(a["unit"], a["question"]) for a in report["answers"] if a["action"] == "changed"]
    assert changed == [("S3", "next")]
    text = yamlio.load(example / "statement" / "S3.yaml")["answers"]["next"]
    assert text.split("\n", 1)[0].endswith(f"[{id_titled(example, numbers['E05'])}]")


def test_an_edited_draft_loses_its_draft_flag(example, cli):
    path = example / "statement" / "S4.yaml"
    data = yamlio.load(path)
    data["draft"] = True
    data["answers"]["now"] = DRAFT_MARKER + "\n\n" + data["answers"]["now"]
    path.unlink()
    with store.writing(example):
        store.write_new(path, "section", {"unit": "S4", "draft": True, "answers": data["answers"]})
    out = export(cli, example)
    document = docx.Document(out)
    marker = under(document, "S4", "How good are we now?")[0]
    assert marker.text == DRAFT_MARKER
    marker._p.getparent().remove(marker._p)  # the lead deletes the draft note
    document.save(out)
    run_import(cli, example, out)
    after = yamlio.load(path)
    assert "draft" not in after and DRAFT_MARKER not in after["answers"]["now"]


def test_a_withheld_citation_in_an_edited_paragraph_keeps_its_item(example, cli):
    know = yamlio.load(example / "statement" / "S1.yaml")["answers"]["know"]
    first_line = know.split("\n", 1)[0]
    cited = re.findall(r"\[(E-[a-z0-9]+)\]", first_line)[0]
    store.update_evidence(example, cited, {"personal_data": True})
    out = export(cli, example)
    document = docx.Document(out)
    paragraph = under(document, "S1", "How do we know?")[0]
    assert "[withheld]" in paragraph.text
    retype(paragraph, "Referral discussions almost always began within a day [withheld].")
    document.save(out)
    run_import(cli, example, out)
    after = yamlio.load(example / "statement" / "S1.yaml")["answers"]["know"]
    assert after.split("\n", 1)[0] == f"- Referral discussions almost always began within a day [{cited}]."
    assert after.split("\n", 1)[1] == know.split("\n", 1)[1]
    # A [withheld] where no personal item was cited before cannot be resolved: refused.
    document = docx.Document(out)
    under(document, "S2", "How good are we now?")[0].add_run(" [withheld]")
    document.save(out)
    result = cli("statement", "import", out, "-e", example)
    assert result.code == 2 and "withheld" in result.err


def test_a_final_statement_with_an_evidence_pack_list_imports(example, cli):
    out = example.parent / "final.docx"
    result = cli(
        "export", "statement", "-o", out, "-e", example, "--final", "--evidence-pack", "--allow", "wording"
    )
    assert result.code == 0, result.err
    document = docx.Document(out)
    numbers = appendix(document)  # labels -> file names made from the titles
    label = sorted(numbers)[3]
    under(document, "S1", "What do we plan to do next?")[0].add_run(f" [{label}]")
    document.save(out)
    report = run_import(cli, example, out)
    assert not [line for line in report["ignored"] if line.startswith("evidence list")]
    assert [(a["unit"], a["question"]) for a in report["answers"] if a["action"] == "changed"] == [
        ("S1", "next")
    ]
    text = yamlio.load(example / "statement" / "S1.yaml")["answers"]["next"]
    cited = re.findall(r"\[(E-[a-z0-9]+)\]", text.split("\n", 1)[0])[-1]
    title = yamlio.load(example / "evidence" / f"{cited}.yaml")["title"]
    assert "".join(c for c in title.casefold() if c.isalnum()) in "".join(
        c for c in numbers[label].casefold() if c.isalnum()
    )
