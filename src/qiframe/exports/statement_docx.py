"""The position statement as a Word document, built with python-docx.

Real Heading 1/2 styles (so Word's navigation pane and contents work), a title page, a contents field that
Word offers to refresh on opening, A4 pages with page numbers, tables whose header rows repeat on every
page, and citations that are internal links to bookmarked appendix entries. With a template (a council's
own .docx) the body is emptied and its styles, page set-up, headers and footers are kept; styles the
template lacks are added so the document still has headings and bullets.
"""

from __future__ import annotations

import io
import os

from qiframe.errors import InputError
from qiframe.statement import Block, Citation, Statement

# Styles of qiframe's own (added when absent), so a reader can tell them apart and tests can find them.
DRAFT_STYLE = "Draft Note"
MISSING_STYLE = "Missing Answer"
WORDS_STYLE = "Word Count"
ACCENT = "1F4E79"
RULE = "A6A6A6"
HEADER_FILL = "DCE6F1"
DRAFT_FILL = "FFF2CC"

APPENDIX_HEADER = ("Ref", "Evidence and location", "Kind and source", "Date", "Agency")

# Text width of an A4 page with 2 cm margins, in centimetres: tables are laid out to fill it.
TEXT_WIDTH_CM = 17.0


def render(statement: Statement, template: str | os.PathLike | None = None) -> bytes:
    """The .docx file's bytes."""
    from docx import Document

    if template is not None:
        try:
            doc = Document(os.fspath(template))
        except Exception as exc:  # python-docx raises several types for a file that is not a Word document
            raise InputError(f"not a Word .docx document ({type(exc).__name__})", template) from None
        _clear_body(doc)
    else:
        doc = Document()
        _house_style(doc)
    writer = _Writer(doc, statement, own_layout=template is None)
    writer.write()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, doc, statement: Statement, own_layout: bool) -> None:
        self.doc = doc
        self.s = statement
        self.own_layout = own_layout
        self.bookmark_id = 0
        _ensure_styles(doc)

    def write(self) -> None:
        s = self.s
        self.title_page()
        self.contents()
        for sec in s.sections:
            self.heading(sec.heading, 1, page_break=True)
            for part in sec.parts:
                self.heading(part.heading, 2)
                for block in part.blocks:
                    self.block(block)
            share = f" (share of the limit: {sec.share:,.0f})" if sec.share else ""
            self.doc.add_paragraph(f"{sec.words:,} words{share}", style=WORDS_STYLE)
        if s.grades:
            self.heading("Self-evaluated grades", 1, page_break=True)
            rows = [(g.id, g.title, g.text) for g in s.grades]
            self.table(("Indicator", "Title", self.s.grades_heading), rows, (2.5, 10.0, 4.5))
        self.heading("Word count", 1, page_break=not s.grades)
        self.doc.add_paragraph(s.word_summary)
        rows = [(sec.heading, f"{sec.words:,}", f"{sec.share:,.0f}" if sec.share else "–") for sec in s.sections]
        rows.append(("Total", f"{s.words:,}", f"{s.word_limit:,}" if s.word_limit else "–"))
        self.table(("Section", "Words", "Share of the limit"), rows, (10.5, 2.5, 4.0), numeric=(1, 2),
                   total=True)
        if s.appendix:
            self.heading("Evidence", 1, page_break=True)
            # Five columns fit A4 portrait; the location goes under the title, where a long path has room.
            rows = [(e.label, (e.evidence.title, e.evidence.location), (e.kind, e.source), e.date,
                     e.evidence.agency) for e in s.appendix]
            table = self.table(APPENDIX_HEADER, rows, (1.1, 7.3, 3.0, 2.4, 3.2), small=True)
            for entry, row in zip(s.appendix, table.rows[1:], strict=True):
                self.bookmark(row.cells[0].paragraphs[0], _bookmark(entry.anchor))
        if self.own_layout:
            self.page_numbers()
        _update_fields_on_open(self.doc)

    # --- pieces -----------------------------------------------------------------------------------------

    def title_page(self) -> None:
        from docx.shared import Cm

        s = self.s
        title = self.doc.add_paragraph(s.title, style="Title")
        title.paragraph_format.space_before = Cm(6)
        if s.organisation:
            self.doc.add_paragraph(s.organisation, style="Subtitle")
        for label, value in (("Programme", s.programme), ("Framework", s.framework), ("Period", s.period),
                             ("Date", s.date)):
            if value:
                p = self.doc.add_paragraph()
                p.add_run(f"{label}: ").bold = True
                p.add_run(value)
        if s.wording_note:
            p = self.doc.add_paragraph()
            p.add_run("Note on wording: ").bold = True
            p.add_run(s.wording_note).italic = True

    def contents(self) -> None:
        """A TOC field whose shown result already lists the headings (without page numbers), so the page
        reads well even where fields are not refreshed; Word rebuilds it with page numbers on opening."""
        p = self.doc.add_paragraph("Contents", style="TOC Heading")
        p.paragraph_format.page_break_before = True
        # By indicators every section repeats the same five sub-headings: list the indicators only.
        depth = 3 if self.s.by == "units" else 1
        entries = []
        for sec in self.s.sections:
            entries.append((1, sec.heading))
            entries += [(2, part.heading) for part in sec.parts if depth > 1]
        entries += [(1, "Self-evaluated grades")] if self.s.grades else []
        entries += [(1, "Word count")] + ([(1, "Evidence")] if self.s.appendix else [])
        paragraphs = [self.doc.add_paragraph(text, style=_style(self.doc, f"toc {level}")) for level, text in entries]
        first, last = paragraphs[0], paragraphs[-1]
        runs = [_field_char("begin"), _instruction(f' TOC \\o "1-{depth}" \\h \\z \\u '), _field_char("separate")]
        for element in reversed(runs):
            first._p.insert(_first_run_index(first._p), element)
        last._p.append(_field_char("end"))

    def heading(self, text: str, level: int, page_break: bool = False) -> None:
        p = self.doc.add_paragraph(text, style=f"Heading {level}")
        if page_break:
            p.paragraph_format.page_break_before = True

    def block(self, block: Block) -> None:
        style = {"bullet": "List Bullet", "draft": DRAFT_STYLE, "missing": MISSING_STYLE}.get(block.kind)
        p = self.doc.add_paragraph(style=style)
        for part in block.parts:
            if isinstance(part, Citation):
                p.add_run("[")
                for i, ref in enumerate(part.refs):
                    if i:
                        p.add_run(", ")
                    if ref.number is not None:
                        _link(p, _bookmark(ref.anchor), ref.label)
                    else:
                        p.add_run(ref.label)
                p.add_run("]")
            else:
                p.add_run(part)

    def table(self, header, rows, widths, numeric=(), total=False, small=False):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        if "Table Grid" in [st.name for st in self.doc.styles]:
            table.style = "Table Grid"
        _borders(table)
        table.autofit = False
        for c, width in enumerate(widths):
            table.columns[c].width = Cm(width)
        for r, values in enumerate([header, *rows]):
            row = table.rows[r]
            _keep_row_together(row)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Cm(widths[c])
                first, *details = value if isinstance(value, tuple) else (value,)
                for i, line in enumerate([first, *(d for d in details if d)]):
                    paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                    paragraph.paragraph_format.space_before = Pt(2)
                    paragraph.paragraph_format.space_after = Pt(2)
                    run = paragraph.add_run(str(line))
                    if small:
                        run.font.size = Pt(9 if i == 0 else 8)
                    if i > 0:  # a further line in a cell is a detail: the location, the source
                        run.font.color.rgb = RGBColor.from_string("595959")
                    if r == 0 or (total and r == len(rows)):
                        run.bold = True
                    if c in numeric:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if r == 0:
                    _shade(cell, HEADER_FILL)
        _repeat_header(table.rows[0])
        return table

    def bookmark(self, paragraph, name: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        paragraph._p.insert(_first_run_index(paragraph._p), start)
        paragraph._p.append(end)

    def page_numbers(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section = self.doc.sections[0]
        section.different_first_page_header_footer = True  # no number on the title page
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("Page ")
        p._p.append(_simple_field("PAGE", "1"))
        p.add_run(" of ")
        p._p.append(_simple_field("NUMPAGES", "1"))


# --- document set-up -------------------------------------------------------------------------------------


def _house_style(doc) -> None:
    """A4 with 2 cm margins and a plain sans-serif face, for documents made without a template."""
    from docx.shared import Cm, Pt, RGBColor

    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
    normal = doc.styles["Normal"]
    _font(normal, "Arial")
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 30), ("Subtitle", 16), ("Heading 1", 17), ("Heading 2", 13)):
        style = doc.styles[name]
        _font(style, "Arial")
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        style.font.italic = False
    doc.styles["Heading 1"].paragraph_format.space_after = Pt(6)
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(12)
    doc.styles["Heading 2"].paragraph_format.space_after = Pt(3)
    doc.styles["Subtitle"].font.color.rgb = RGBColor.from_string("404040")
    _no_border(doc.styles["Title"])


def _font(style, name: str) -> None:
    """Set a style's face, dropping theme fonts (Word lets a theme font win over a named one)."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:cs"), name)


def _no_border(style) -> None:
    from docx.oxml.ns import qn

    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _clear_body(doc) -> None:
    """Remove the template's content, keeping the final section properties (page set-up, headers, footers)."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _ensure_styles(doc) -> None:
    """Add what the document lacks: templates saved by Word hold only the styles they have used."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    # Style names compare case-insensitively, as in Word: a template made by Word calls them "toc 1".
    names = {st.name.casefold() for st in doc.styles}

    def add(name, base="Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
        style = doc.styles.add_style(name, kind)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles[base]
        names.add(name.casefold())
        return style

    for level, size in ((1, 16), (2, 13)):
        if f"heading {level}" not in names:
            style = add(f"Heading {level}")
            style.font.size, style.font.bold = Pt(size), True
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(18 if level == 1 else 12)
            _outline_level(style, level - 1)
            style.next_paragraph_style = doc.styles["Normal"]
    if "title" not in names:
        style = add("Title")
        style.font.size, style.font.bold = Pt(28), True
    if "subtitle" not in names:
        add("Subtitle").font.size = Pt(16)
    if "toc heading" not in names:
        style = add("TOC Heading")
        style.font.size, style.font.bold = Pt(16), True
    for level in (1, 2):
        if f"toc {level}" not in names:
            style = add(f"toc {level}")  # Word's own name for its contents styles
            style.paragraph_format.space_after = Pt(2 if level == 2 else 4)
            if level == 1:
                style.paragraph_format.space_before = Pt(6)
                style.font.bold = True
            else:
                style.paragraph_format.left_indent = Pt(16)
    if "list bullet" not in names:
        _bullet_style(doc, add("List Bullet"))
    if "hyperlink" not in names:
        style = add("Hyperlink", base=None, kind=WD_STYLE_TYPE.CHARACTER)
        style.font.color.rgb = RGBColor.from_string("0563C1")
        style.font.underline = True
    if DRAFT_STYLE.casefold() not in names:
        style = add(DRAFT_STYLE)
        style.font.italic = True
        _paragraph_shading(style, DRAFT_FILL)
    if MISSING_STYLE.casefold() not in names:
        style = add(MISSING_STYLE)
        style.font.italic = True
        style.font.color.rgb = RGBColor.from_string("9C2B23")
    if WORDS_STYLE.casefold() not in names:
        style = add(WORDS_STYLE)
        style.font.size = Pt(9)
        style.font.color.rgb = RGBColor.from_string("595959")
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        style.paragraph_format.space_before = Pt(12)


def _style(doc, name: str):
    """A style by name, ignoring case."""
    return next(st for st in doc.styles if st.name.casefold() == name.casefold())


def _outline_level(style, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    ppr.append(element)


def _shading(fill: str):
    """A w:shd element filling a paragraph or table cell with a solid colour."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _paragraph_shading(style, fill: str) -> None:
    style.element.get_or_add_pPr().append(_shading(fill))


def _bullet_style(doc, style) -> None:
    """Give a new List Bullet style a bullet list definition in the numbering part."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = doc.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    nums = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(ids, default=0) + 1, max(nums, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    # Every abstractNum must come before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    ppr = style.element.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))
    ppr.insert(1, parse_xml(f'<w:contextualSpacing {nsdecls("w")}/>'))  # no gap between bullets


# --- XML pieces ------------------------------------------------------------------------------------------


def _bookmark(anchor: str) -> str:
    """A Word bookmark name: letters, digits and underscores, starting with a letter."""
    return anchor.replace("-", "_")


def _first_run_index(p) -> int:
    from docx.oxml.ns import qn

    for i, child in enumerate(p):
        if child.tag != qn("w:pPr"):
            return i
    return len(p)


def _link(paragraph, bookmark: str, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), paragraph.part.document.styles["Hyperlink"].style_id)
    rpr.append(style)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _field_char(kind: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    run.append(instr)
    return run


def _simple_field(instruction: str, shown: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    field.append(run)
    return field


def _keep_row_together(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_shading(fill))


def _borders(table) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    edges = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
                    for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    borders = parse_xml(f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>")
    # tblBorders belongs after tblStyle/tblpPr/tblOverlap/bidiVisual/tblStyleRowBandSize/.../tblW/jc/...;
    # placing it before tblLayout, tblCellMar and tblLook keeps the schema order Word checks.
    later = [qn(t) for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                             "w:tblDescription")]
    for child in tblpr:
        if child.tag in later:
            child.addprevious(borders)
            return
    tblpr.append(borders)


# Elements that follow w:updateFields in the settings part (schema order).
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                        "decimalSymbol", "listSeparator")


def _update_fields_on_open(doc) -> None:
    """Ask Word to refresh fields (the contents) when the document is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    later = {qn(f"w:{t}") for t in _AFTER_UPDATE_FIELDS} | {qn("m:mathPr")}
    for child in settings:
        if child.tag in later:
            child.addprevious(element)
            return
    settings.append(element)
