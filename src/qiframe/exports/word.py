"""The shared Word layer: every .docx qiframe writes (statement, progress report, moderation pack) is made
and finished here, so they share one house style and the same file hygiene.

- `new_document` opens a council's template (.docx or .dotx, with or without a numbering part or list
  styles) or starts from python-docx's blank document in the house style, and adds the styles qiframe uses
  that the template lacks.
- `finish` sets real core properties (title, the evaluation's organisation as author, created and modified
  now), British English proofing, Word 2013+ layout (no Compatibility Mode) and no prompt to update fields,
  then returns the file's bytes.
- `table`, `heading`, `paragraph`, `footer` and the small XML helpers lay content out the same way in all
  of them. All text goes through `safe.xml_text`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from qiframe.errors import InputError
from qiframe.text import xml_text

# Styles of qiframe's own (added when absent), so a reader can tell them apart and tests can find them.
DRAFT_STYLE = "Draft Note"
MISSING_STYLE = "Missing Answer"
WORDS_STYLE = "Word Count"
SMALL_STYLE = "Table Text"
FONT = "Arial"
ACCENT = "1F4E79"
RULE = "A6A6A6"
MUTED = "595959"
HEADER_FILL = "DCE6F1"
DRAFT_FILL = "FFF2CC"
LANGUAGE = "en-GB"

_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
)


def new_document(template: str | os.PathLike | None = None, landscape: bool = False):
    """A python-docx Document: the template's (body emptied, page set-up, headers and footers kept), or a
    blank one in the house style. Styles qiframe needs are added when missing."""
    from docx import Document

    if template is not None:
        doc = _open_template(Path(template))
        _clear_body(doc)
    else:
        doc = Document()
        _house_style(doc, landscape)
    ensure_styles(doc)
    return doc


def _open_template(path: Path):
    """Open a .docx or .dotx (a .dotx is a .docx whose main part is typed as a template)."""
    from docx import Document

    if not path.is_file():
        raise InputError("template not found", path)
    try:
        data = path.read_bytes()
        data = _as_document(data)
        return Document(io.BytesIO(data))
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read the template: {exc.strerror or exc}", path) from None
    except Exception as exc:  # python-docx raises several types for a file that is not a Word document
        raise InputError(
            f"not a Word document or template (.docx, .dotx) ({type(exc).__name__})", path
        ) from None


def _as_document(data: bytes) -> bytes:
    """The package with its main part typed as a document, so a .dotx (or macro-enabled file) opens."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").decode("utf-8")
        if not any(t in types for t in _TEMPLATE_TYPES):
            return data
        for t in _TEMPLATE_TYPES:
            types = types.replace(t, _DOCUMENT_TYPE)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename.startswith("word/vbaProject") or item.filename.endswith("vbaData.xml"):
                    continue  # macros are never carried into a document qiframe writes
                content = (
                    types.encode("utf-8") if item.filename == "[Content_Types].xml" else source.read(item)
                )
                target.writestr(item, content)
    return out.getvalue()


def finish(doc, title: str, author: str, subject: str = "", now: dt.datetime | None = None) -> bytes:
    """Set the file's properties, language and compatibility; return the .docx bytes."""
    props = doc.core_properties
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.title = xml_text(title)[:255]
    props.subject = xml_text(subject)[:255]
    props.author = xml_text(author)[:255] or "qiframe"
    props.last_modified_by = props.author
    props.created = props.modified = stamp
    props.revision = 1
    props.language = LANGUAGE
    props.comments = ""
    props.keywords = ""
    props.category = ""
    _language(doc)
    _compatibility(doc)
    _no_field_update_prompt(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- house style --------------------------------------------------------------------------------------


def _house_style(doc, landscape: bool) -> None:
    """A4 with 2 cm margins (1.5 cm landscape) and a plain sans-serif face, for documents made without a
    template."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    for section in doc.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            section.left_margin = section.right_margin = Cm(1.5)
        else:
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
            section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
    normal = doc.styles["Normal"]
    set_font(normal, FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (
        ("Title", 30),
        ("Subtitle", 16),
        ("Heading 1", 17),
        ("Heading 2", 13),
        ("Heading 3", 11),
    ):
        style = doc.styles[name]
        set_font(style, FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(ACCENT if name != "Subtitle" else "404040")
        style.font.italic = False
    doc.styles["Heading 1"].paragraph_format.space_after = Pt(6)
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(12)
    doc.styles["Heading 2"].paragraph_format.space_after = Pt(3)
    doc.styles["Heading 3"].paragraph_format.space_before = Pt(8)
    doc.styles["Heading 3"].paragraph_format.space_after = Pt(2)
    _no_border(doc.styles["Title"])


def set_font(style, name: str) -> None:
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


def style(doc, name: str):
    """A style by name, ignoring case (Word's own templates call them "toc 1")."""
    return next(st for st in doc.styles if st.name.casefold() == name.casefold())


def ensure_styles(doc) -> None:
    """Add what the document lacks: templates saved by Word hold only the styles they have used."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    names = {st.name.casefold() for st in doc.styles}

    def add(name, base="Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
        new = doc.styles.add_style(name, kind)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            new.base_style = style(doc, base)
        names.add(name.casefold())
        return new

    for level, size in ((1, 16), (2, 13), (3, 11)):
        if f"heading {level}" not in names:
            new = add(f"Heading {level}")
            new.font.size, new.font.bold = Pt(size), True
            new.paragraph_format.keep_with_next = True
            new.paragraph_format.space_before = Pt(18 if level == 1 else 12 if level == 2 else 8)
            _outline_level(new, level - 1)
            new.next_paragraph_style = style(doc, "Normal")
    if "title" not in names:
        new = add("Title")
        new.font.size, new.font.bold = Pt(28), True
    if "subtitle" not in names:
        add("Subtitle").font.size = Pt(16)
    if "toc heading" not in names:
        new = add("TOC Heading")
        new.font.size, new.font.bold = Pt(16), True
    for level in (1, 2):
        if f"toc {level}" not in names:
            new = add(f"toc {level}")  # Word's own name for its contents styles
            new.paragraph_format.space_after = Pt(2 if level == 2 else 4)
            if level == 1:
                new.paragraph_format.space_before = Pt(6)
                new.font.bold = True
            else:
                new.paragraph_format.left_indent = Pt(16)
    if "list bullet" not in names or not _has_numbering(doc, style(doc, "List Bullet")):
        _bullet_style(doc, style(doc, "List Bullet") if "list bullet" in names else add("List Bullet"))
    if "hyperlink" not in names:
        new = add("Hyperlink", base=None, kind=WD_STYLE_TYPE.CHARACTER)
        new.font.color.rgb = RGBColor.from_string("0563C1")
        new.font.underline = True
    if DRAFT_STYLE.casefold() not in names:
        new = add(DRAFT_STYLE)
        new.font.italic = True
        new.element.get_or_add_pPr().append(shading(DRAFT_FILL))
    if MISSING_STYLE.casefold() not in names:
        new = add(MISSING_STYLE)
        new.font.italic = True
        new.font.color.rgb = RGBColor.from_string("9C2B23")
    if WORDS_STYLE.casefold() not in names:
        new = add(WORDS_STYLE)
        new.font.size = Pt(9)
        new.font.color.rgb = RGBColor.from_string(MUTED)
        new.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        new.paragraph_format.space_before = Pt(12)
    if SMALL_STYLE.casefold() not in names:
        new = add(SMALL_STYLE)
        new.font.size = Pt(9)
        new.paragraph_format.space_before = Pt(2)
        new.paragraph_format.space_after = Pt(2)
        new.paragraph_format.line_spacing = 1.0


def _outline_level(st, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    st.element.get_or_add_pPr().append(element)


def _numbering(doc):
    """The document's numbering part, created when the document (a plain letterhead template) has none."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.parts.numbering import NumberingPart

    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return rel.target_part.element
    element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
    numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, part.package)
    part.relate_to(numbering, RT.NUMBERING)
    return numbering.element


def _has_numbering(doc, st) -> bool:
    """Whether a list style points at a numbering definition the document really has."""
    from docx.oxml.ns import qn

    ppr = st.element.pPr
    num = ppr.find(qn("w:numPr")) if ppr is not None else None
    ident = num.find(qn("w:numId")) if num is not None else None
    if ident is None:
        return False
    numbering = _numbering(doc)
    return any(n.get(qn("w:numId")) == ident.get(qn("w:val")) for n in numbering.findall(qn("w:num")))


def _bullet_style(doc, st) -> None:
    """Give the List Bullet style a bullet list definition in the numbering part (made if missing)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = _numbering(doc)
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    nums = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(ids, default=0) + 1, max(nums, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
    )
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    )
    first_num = numbering.find(qn("w:num"))  # every abstractNum must come before the first num
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    ppr = st.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:numPr")):
        ppr.remove(old)
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))
    if ppr.find(qn("w:contextualSpacing")) is None:
        ppr.insert(1, parse_xml(f"<w:contextualSpacing {nsdecls('w')}/>"))  # no gap between bullets


# --- file hygiene ------------------------------------------------------------------------------------


def _language(doc) -> None:
    """British English for proofing: the document defaults, every style that names a language, the theme."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    langs = [rpr.find(qn("w:lang"))] if rpr.find(qn("w:lang")) is not None else []
    if not langs:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
        langs = [lang]
    langs += styles.iter(qn("w:lang"))
    for lang in langs:
        lang.set(qn("w:val"), LANGUAGE)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)


_WORD_URI = "http://schemas.microsoft.com/office/word"
# Elements that follow w:compat in the settings part (schema order).
_AFTER_COMPAT = (
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def _compatibility(doc) -> None:
    """Word 2013 and later layout (compatibilityMode 15), so Word does not open it in Compatibility Mode."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        later = {qn(f"w:{t}") for t in _AFTER_COMPAT} | {qn("m:mathPr")}
        for child in settings:
            if child.tag in later:
                child.addprevious(compat)
                break
        else:
            settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            compat.remove(setting)
    for old in compat.findall(qn("w:useFELayout")):
        compat.remove(old)
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), _WORD_URI)
    setting.set(qn("w:val"), "15")
    # Word's legacy flags come first in w:compat, then the compatSetting elements.
    first = compat.find(qn("w:compatSetting"))
    if first is not None:
        first.addprevious(setting)
    else:
        compat.append(setting)


def _no_field_update_prompt(doc) -> None:
    """Drop any "update fields on open" flag (it makes Word ask whether to update the document's fields)."""
    from docx.oxml.ns import qn

    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)


# --- content ------------------------------------------------------------------------------------------


def heading(doc, text: str, level: int, page_break: bool = False):
    p = doc.add_paragraph(xml_text(text), style=style(doc, f"Heading {level}"))
    if page_break:
        p.paragraph_format.page_break_before = True
    return p


def paragraph(doc, text: str = "", style_name: str | None = None, bold_label: str = ""):
    """A paragraph, optionally starting with a bold label ("Date: ")."""
    p = doc.add_paragraph(style=style(doc, style_name) if style_name else None)
    if bold_label:
        p.add_run(xml_text(bold_label)).bold = True
    if text:
        p.add_run(xml_text(text))
    return p


def table(doc, header, rows, widths_cm, numeric=(), total=False, small=True, fills=None):
    """A bordered table with a shaded header row repeated on every page and rows kept whole.

    A cell value may be a tuple: its first item the main line, the rest detail lines in grey. `fills` maps
    (row index, column index) of body rows to a fill colour.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    out = doc.add_table(rows=1 + len(rows), cols=len(header))
    if "table grid" in {st.name.casefold() for st in doc.styles}:
        out.style = style(doc, "Table Grid")
    borders(out)
    out.autofit = False
    for c, width in enumerate(widths_cm):
        out.columns[c].width = Cm(width)  # LibreOffice reads the grid, Word the cells: set both
    small_style = style(doc, SMALL_STYLE) if small else None
    for r, values in enumerate([header, *rows]):
        row = out.rows[r]
        keep_row_together(row)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Cm(widths_cm[c])
            first, *details = value if isinstance(value, tuple) else (value,)
            for i, line in enumerate([first, *(d for d in details if d)]):
                para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                if small_style is not None:
                    para.style = small_style
                else:
                    para.paragraph_format.space_before = Pt(2)
                    para.paragraph_format.space_after = Pt(2)
                run = para.add_run(xml_text("" if line is None else line))
                if i > 0:  # a further line in a cell is a detail: the location, the source
                    run.font.color.rgb = RGBColor.from_string(MUTED)
                    if small:
                        run.font.size = Pt(8)
                if r == 0 or (total and r == len(rows)):
                    run.bold = True
                if c in numeric:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0:
                shade(cell, HEADER_FILL)
            elif fills and (r - 1, c) in fills:
                shade(cell, fills[(r - 1, c)])
    repeat_header(out.rows[0])
    return out


def footer(doc, left: str = "", first_page: bool = True) -> None:
    """A footer on every page: `left` text (the document's title, a marking) and "Page N of M"."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    section = doc.sections[-1]
    section.different_first_page_header_footer = not first_page
    p = section.footer.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    tabs = p.paragraph_format.tab_stops
    for inherited in p.style.paragraph_format.tab_stops:  # the Footer style's centre and right tabs
        tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    if left:
        run = p.add_run(xml_text(left))
        run.font.size = Pt(8)
    p.add_run("\t").font.size = Pt(8)
    for piece in ("Page ", ("PAGE", "1"), " of ", ("NUMPAGES", "1")):
        if isinstance(piece, str):
            p.add_run(piece).font.size = Pt(8)
        else:
            p._p.append(simple_field(*piece))


def header_text(doc, text: str) -> None:
    """A centred line at the top of every page (the protective marking)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[-1]
    for part in (section.header, section.first_page_header):
        p = part.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(xml_text(text))
        run.bold = True
        run.font.size = Pt(9)


# --- XML pieces ---------------------------------------------------------------------------------------


def shading(fill: str):
    """A w:shd element filling a paragraph or table cell with a solid colour."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(shading(fill))


def keep_row_together(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header(row) -> None:
    """Mark a row as the table's header, which Word and LibreOffice repeat at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def borders(tbl) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    edges = "".join(
        f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
        for e in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tblpr = tbl._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    element = parse_xml(f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>")
    # tblBorders comes before tblLayout, tblCellMar and tblLook in the schema order Word checks.
    later = [
        qn(t)
        for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    ]
    for child in tblpr:
        if child.tag in later:
            child.addprevious(element)
            return
    tblpr.append(element)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name: letters, digits and underscores, starting with a letter."""
    return anchor.replace("-", "_")


def first_run_index(p) -> int:
    from docx.oxml.ns import qn

    for i, child in enumerate(p):
        if child.tag != qn("w:pPr"):
            return i
    return len(p)


def bookmark(paragraph_, name: str, ident: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    paragraph_._p.insert(first_run_index(paragraph_._p), start)
    paragraph_._p.append(end)


def internal_link(paragraph_, target: str, text: str) -> None:
    """A hyperlink to a bookmark in the same document."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), target)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), style(paragraph_.part.document, "Hyperlink").style_id)
    rpr.append(rstyle)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = xml_text(text)
    run.append(t)
    link.append(run)
    paragraph_._p.append(link)


def field_char(kind: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def instruction(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    run.append(instr)
    return run


def simple_field(instr: str, shown: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(Pt(8).pt * 2)))
    rpr.append(size)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    field.append(run)
    return field
