"""Render a ``Document`` as a .docx in the format of GB/T 9704-2012.

Layout per ../shared/RULES.md: A4; margins top 37 mm, bottom 35, left 28, right 26 (a 156 × 225
mm text block); a grid of 22 lines × 28 characters; title 2号 (22 pt) 方正小标宋简体 centred; body
3号 (16 pt) 仿宋_GB2312 with a first-line indent of two characters; 一、 headings in 黑体, （一） in
楷体_GB2312, 1. and （1） in 仿宋; page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right and
even pages left, one character in from the edge.

Everything is carried by named styles (officers paste the draft into their unit's template,
so real styles matter more than direct formatting), and every font is set for the east-Asian
slot too, which is the one Word and WPS use for Chinese characters.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dangjian.reports.document import Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
# 225 mm of text block / 22 lines = 10.23 mm ≈ 28.95 pt per line.
LINE_PITCH_TWIPS = 579
# 156 mm / 28 characters = 15.79 pt per character, a little less than the 16 pt glyphs: the body
# is condensed by 0.25 pt (in twentieths of a point) so exactly 28 fit. A "linesAndChars" grid
# would say the same to Word, but LibreOffice then gives every glyph wider than a grid cell two
# cells and sets 14 characters a line; a line grid plus condensed spacing reads right in
# Word, WPS and LibreOffice alike.
CHAR_CONDENSE_TWIPS = -5

# Style name → (font, size, bold, alignment, first-line indent in characters)
STYLES: dict[str, tuple[str, int, bool, WD_ALIGN_PARAGRAPH | None, int]] = {
    "Title": (TITLE_FONT, TITLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "Normal": (BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "Heading 1": (HEI_FONT, BODY_PT, False, None, 2),
    "Heading 2": (KAI_FONT, BODY_PT, False, None, 2),
    "Heading 3": (BODY_FONT, BODY_PT, True, None, 2),
    "Heading 4": (BODY_FONT, BODY_PT, False, None, 2),
    "Signature": (BODY_FONT, BODY_PT, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
}


def _set_fonts(rpr_owner, font: str) -> None:  # type: ignore[no-untyped-def]
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    # Theme fonts would override the explicit ones in Word: drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _style(doc, name: str):  # type: ignore[no-untyped-def]
    try:
        return doc.styles[name]
    except KeyError:
        return doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _configure_defaults(doc) -> None:  # type: ignore[no-untyped-def]
    """docDefaults at 3号: Word and WPS compute the docGrid character pitch from this size."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        element = rpr_default.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr_default.append(element)
        element.set(qn("w:val"), str(BODY_PT * 2))
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr_default.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)


def _configure_styles(doc) -> None:  # type: ignore[no-untyped-def]
    _configure_defaults(doc)
    for name, (font, size, bold, align, indent_chars) in STYLES.items():
        style = _style(doc, name)
        if name not in ("Normal",):
            style.base_style = doc.styles["Normal"]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element, font)
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = align
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
        fmt.keep_with_next = name.startswith("Heading")
        fmt.widow_control = True
        ppr = style.element.get_or_add_pPr()
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            ppr.append(ind)
        # firstLineChars keeps the indent at two characters whatever the font size.
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
        ind.set(qn("w:firstLine"), str(indent_chars * BODY_PT * 20))
        # Chinese official text puts no extra space between CJK characters and digits/Latin.
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            flag = ppr.find(qn(tag))
            if flag is None:
                flag = OxmlElement(tag)
                ppr.append(flag)
            flag.set(qn("w:val"), "0")
        border = ppr.find(qn("w:pBdr"))
        if border is not None:  # the stock Title style has a rule under it
            ppr.remove(border)
        if name == "Normal":
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(CHAR_CONDENSE_TWIPS))
            style.element.get_or_add_rPr().append(spacing)
        if name.startswith("Heading"):
            style.font.underline = False


def _page_setup(section) -> None:  # type: ignore[no-untyped-def]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28) - Mm(7)  # page number sits ~7 mm below the text block
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    if grid.get(qn("w:charSpace")) is not None:
        del grid.attrib[qn("w:charSpace")]


def _page_number_paragraph(footer, *, odd: bool) -> None:  # type: ignore[no-untyped-def]
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for old_run in list(paragraph._p.iter(qn("w:r"))):
        old_run.getparent().remove(old_run)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)

    def run(text: str = ""):  # type: ignore[no-untyped-def]
        r = paragraph.add_run(text)
        r.font.size = Pt(PAGE_NUMBER_PT)
        r.font.name = PAGE_NUMBER_FONT
        _set_fonts(r._r, PAGE_NUMBER_FONT)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text or ""
    run(" —")


def render_docx(document: Document, *, signer: str = "", date_text: str = "") -> bytes:
    """The .docx bytes of ``document`` in GB/T 9704 layout."""
    doc = new_docx()
    _configure_styles(doc)
    section = doc.sections[0]
    if section.start_type != WD_SECTION.NEW_PAGE:
        section.start_type = WD_SECTION.NEW_PAGE
    _page_setup(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, odd=True)
    _page_number_paragraph(section.even_page_footer, odd=False)

    doc.add_paragraph(document.title, style="Title")
    doc.add_paragraph("", style="Normal")  # one blank line between title and body (7.3.2)
    for block in document.blocks:
        if block.type == "heading":
            style = f"Heading {min(max(block.level, 1), 4)}"
            paragraph = doc.add_paragraph(style=style)
            # （一） headings carry their first sentence in the body font after the heading phrase
            # in some units; we keep the whole heading in its style, as GB/T 9704 7.3.3 shows.
            paragraph.add_run(block.full_text)
        elif block.type in ("signature", "date"):
            paragraph = doc.add_paragraph(block.text, style="Signature")
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * (4 if block.type == "signature" else 2))
        else:
            paragraph = doc.add_paragraph(style="Normal")
            for run in block.runs:
                paragraph.add_run(run.text)
    if signer or date_text:
        doc.add_paragraph("", style="Normal")
        if signer:
            p = doc.add_paragraph(signer, style="Signature")
            p.paragraph_format.right_indent = Pt(BODY_PT * 4)
        if date_text:
            p = doc.add_paragraph(date_text, style="Signature")
            p.paragraph_format.right_indent = Pt(BODY_PT * 2)
    # python-docx's template ships an empty first paragraph; remove it so the title is first.
    body = doc.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_version(draft: Any, version: Any) -> bytes:
    """A saved version of a draft as .docx, signed and dated as the draft (the download and the PDF job)."""
    day = draft.updated_at.date() if draft.updated_at else None
    date_text = f"{day.year}年{day.month}月{day.day}日" if day else ""
    return render_docx(Document.from_json(version.document), signer=draft.signer, date_text=date_text)


def write_docx(document: Document, path: Path, **kwargs: str) -> None:
    path.write_bytes(render_docx(document, **kwargs))
