"""The position statement as a Word document, built with python-docx through the shared Word layer.

Real Heading 1/2 styles (so Word's navigation pane and contents work; each section is a Heading 1 and each
question a Heading 2 under it), a title page, a contents list, A4 pages numbered "Page N of M", tables
whose header rows repeat on every page, and citations that are internal links to bookmarked appendix
entries. With a template (a council's own .docx or .dotx) the body is emptied and its styles, page set-up,
headers and footers are kept; styles the template lacks are added. A final export has no word-count aids.
"""

from __future__ import annotations

import os

from qiframe.exports import word
from qiframe.statement import Block, Citation, Statement
from qiframe.text import xml_text

# Kept here for callers and tests that name qiframe's own styles.
DRAFT_STYLE, MISSING_STYLE, WORDS_STYLE = word.DRAFT_STYLE, word.MISSING_STYLE, word.WORDS_STYLE

APPENDIX_HEADER = ("Ref", "Evidence and location", "Kind and source", "Date", "Agency")
PACK_HEADER = ("Ref", "File in the evidence pack", "Kind and source", "Date", "Agency")
CONTEXT_HEADING = "Introduction and context"
GRADES_HEADING = "Self-evaluated grades"
SIGN_OFF_HEADING = "Sign-off"
WORDS_HEADING = "Word count"
EVIDENCE_HEADING = "Evidence"


def render(statement: Statement, template: str | os.PathLike | None = None) -> bytes:
    """The .docx file's bytes."""
    doc = word.new_document(template)
    _Writer(doc, statement, own_layout=template is None).write()
    s = statement
    title = f"{s.title} – {s.organisation}" if s.organisation else s.title
    return word.finish(doc, title, s.organisation, subject=s.programme or s.framework)


class _Writer:
    def __init__(self, doc, statement: Statement, own_layout: bool) -> None:
        self.doc = doc
        self.s = statement
        self.own_layout = own_layout
        self.bookmark_id = 0

    def extra_headings(self) -> tuple[list[str], list[str]]:
        """Headings of the document's own parts, before and after the sections."""
        s = self.s
        before = ([CONTEXT_HEADING] if s.front.context else []) + ([GRADES_HEADING] if s.grades else [])
        after = [] if s.final else [WORDS_HEADING]
        after += [SIGN_OFF_HEADING] if s.front.sign_off else []
        after += [EVIDENCE_HEADING] if s.appendix else []
        return before, after

    def write(self) -> None:
        s = self.s
        before, after = self.extra_headings()
        self.title_page()
        self.contents(before, after)
        if s.front.context:
            word.heading(self.doc, CONTEXT_HEADING, 1, page_break=True)
            for block in s.front.context:
                self.block(block)
        if s.grades:
            word.heading(self.doc, GRADES_HEADING, 1, page_break=not s.front.context)
            self.grades()
        for sec in s.sections:
            word.heading(self.doc, sec.heading, 1, page_break=True)
            for part in sec.parts:
                word.heading(self.doc, part.heading, 2)
                for block in part.blocks:
                    self.block(block)
            if not s.final:
                share = f" (share of the limit: {sec.share:,.0f})" if sec.share else ""
                self.doc.add_paragraph(
                    f"{sec.words:,} words{share}", style=word.style(self.doc, word.WORDS_STYLE)
                )
        if not s.final:
            word.heading(self.doc, WORDS_HEADING, 1, page_break=True)
            self.doc.add_paragraph(s.word_summary)
            rows = [
                (sec.heading, f"{sec.words:,}", f"{sec.share:,.0f}" if sec.share else "–")
                for sec in s.sections
            ]
            rows.append(("Total", f"{s.words:,}", f"{s.word_limit:,}" if s.word_limit else "–"))
            word.table(
                self.doc,
                ("Section", "Words", "Share of the limit"),
                rows,
                (10.5, 2.5, 4.0),
                numeric=(1, 2),
                total=True,
                small=False,
            )
        if s.front.sign_off:
            word.heading(self.doc, SIGN_OFF_HEADING, 1, page_break=True)
            self.doc.add_paragraph("This position statement was agreed and signed off by:")
            signers = [(p.name, p.role, _long_date(p.date), "") for p in s.front.sign_off]
            table = word.table(
                self.doc, ("Name", "Role", "Date", "Signature"), signers, (4.5, 6.0, 3.0, 3.5), small=False
            )
            for row in table.rows[1:]:
                row.height = _cm(1.2)
        if s.appendix:
            self.appendix()
        self.footer()

    # --- pieces -------------------------------------------------------------------------------------

    def title_page(self) -> None:
        from docx.shared import Cm

        s = self.s
        title = self.doc.add_paragraph(xml_text(s.title), style=word.style(self.doc, "Title"))
        title.paragraph_format.space_before = Cm(6)
        if s.organisation:
            self.doc.add_paragraph(xml_text(s.organisation), style=word.style(self.doc, "Subtitle"))
        for label, value in (
            ("Programme", s.programme),
            ("Framework", s.framework),
            ("Period", s.period),
            ("Date", s.date),
            ("Version", s.front.version),
            ("Protective marking", s.front.marking),
        ):
            if value:
                word.paragraph(self.doc, value, bold_label=f"{label}: ")
        if s.wording_note:
            word.paragraph(self.doc, bold_label="Note on wording: ").add_run(
                xml_text(s.wording_note)
            ).italic = True

    def contents(self, before: list[str], after: list[str]) -> None:
        """A TOC field whose shown result already lists the headings, each a link to its heading, so the
        page reads well as it is; Word can refresh it (with page numbers) on request, without a prompt."""
        p = self.doc.add_paragraph("Contents", style=word.style(self.doc, "TOC Heading"))
        p.paragraph_format.page_break_before = True
        depth = 2 if self.s.by == "units" else 1
        entries = [(1, h) for h in before]
        for sec in self.s.sections:
            entries.append((1, sec.heading))
            entries += [(2, part.heading) for part in sec.parts if depth > 1]
        entries += [(1, h) for h in after]
        paragraphs = [
            self.doc.add_paragraph(xml_text(text), style=word.style(self.doc, f"toc {level}"))
            for level, text in entries
        ]
        first, last = paragraphs[0], paragraphs[-1]
        runs = [
            word.field_char("begin"),
            word.instruction(f' TOC \\o "1-{depth}" \\h \\z \\u '),
            word.field_char("separate"),
        ]
        for element in reversed(runs):
            first._p.insert(word.first_run_index(first._p), element)
        last._p.append(word.field_char("end"))

    def block(self, block: Block, paragraph=None) -> None:
        style = {"bullet": "List Bullet", "draft": word.DRAFT_STYLE, "missing": word.MISSING_STYLE}.get(
            block.kind
        )
        p = paragraph or self.doc.add_paragraph(style=word.style(self.doc, style) if style else None)
        for part in block.parts:
            if isinstance(part, Citation):
                p.add_run("[")
                for i, ref in enumerate(part.refs):
                    if i:
                        p.add_run(", ")
                    if ref.number is not None:
                        word.internal_link(p, word.bookmark_name(ref.anchor), ref.label)
                    else:
                        p.add_run(xml_text(ref.label))
                p.add_run("]")
            else:
                p.add_run(xml_text(part))

    def grades(self) -> None:
        s = self.s
        self.doc.add_paragraph(
            "The grades the partnership gives itself on the programme's graded quality indicators, and why."
        )
        rows = [(g.id, g.title, g.text, "") for g in s.grades]
        table = word.table(
            self.doc, ("QI", "Title", s.grades_heading, "Rationale"), rows, (1.4, 4.2, 2.6, 8.8)
        )
        for g, row in zip(s.grades, table.rows[1:], strict=True):
            cell = row.cells[3]
            for i, block in enumerate(g.rationale):
                para = (
                    cell.paragraphs[0]
                    if i == 0
                    else cell.add_paragraph(style=word.style(self.doc, word.SMALL_STYLE))
                )
                self.block(block, para)

    def appendix(self) -> None:
        s = self.s
        word.heading(self.doc, EVIDENCE_HEADING, 1, page_break=True)
        if s.pack:
            self.doc.add_paragraph("Each item is a file of the evidence pack, named by its reference.")
        if s.pack:
            rows = [
                (e.label, (e.file_name, e.location), (e.kind, e.source), e.date, e.evidence.agency)
                for e in s.appendix
            ]
            header = PACK_HEADER
        else:
            rows = [
                (e.label, (e.evidence.title, e.location), (e.kind, e.source), e.date, e.evidence.agency)
                for e in s.appendix
            ]
            header = APPENDIX_HEADER
        table = word.table(self.doc, header, rows, (1.2, 7.2, 3.0, 2.4, 3.2))
        for entry, row in zip(s.appendix, table.rows[1:], strict=True):
            self.bookmark_id += 1
            word.bookmark(row.cells[0].paragraphs[0], word.bookmark_name(entry.anchor), self.bookmark_id)

    def footer(self) -> None:
        s = self.s
        if s.front.marking:
            word.header_text(self.doc, s.front.marking)
        if self.own_layout:
            left = f"{s.title} – {s.organisation}" if s.organisation else s.title
            if s.front.version:
                left += f" – version {s.front.version}"
            word.footer(self.doc, left, first_page=False)


def _cm(value: float):
    from docx.shared import Cm

    return Cm(value)


def _long_date(iso: str) -> str:
    from qiframe.statement import long_date

    return long_date(iso) if iso else ""
