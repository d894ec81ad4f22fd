"""Render a ``Document`` as a .docx in the format of GB/T 9704-2012.

Layout per ../shared/RULES.md: A4; margins top 37 mm, bottom 35, left 28, right 26 (a 156 × 225
mm text block); a grid of 22 lines × 28 characters; title 2号 (22 pt) 方正小标宋简体 centred; body
3号 (16 pt) 仿宋_GB2312 with a first-line indent of two characters; 一、 headings in 黑体, （一） in
楷体_GB2312, 1. and （1） in 仿宋; page numbers "— 1 —" in 4号 (14 pt) 宋体, odd pages right and
even pages left, one character in from the edge, the line of the number 7 mm below the text
block (7.5); the title broken between words in a trapezoid or diamond (7.3.1, see layout.py);
the signer and 成文日期 set per 7.3.5.2 (no seal).

The document declares Simplified Chinese (w:lang zh-CN in the defaults, every style and every
run, and themeFontLang): with the template's ja-JP, LibreOffice picks Japanese glyph shapes. The
official font names stay in the file, each declared in the font table with its usual alternate
name and the GB2312 character set; the PDF conversion maps them to free faces (fonts.conf).
Prompts left to fill in (【待补充：…】) are highlighted yellow so none is printed unnoticed.

Everything is carried by named styles (officers paste the draft into their unit's template,
so real styles matter more than direct formatting), and every font is set for the east-Asian
slot too, which is the one Word and WPS use for Chinese characters.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils import timezone
from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from dangjian.reports.document import Document
from dangjian.reports.layout import break_title, chinese_date, signature_layout

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
# One character of the body grid in twips (16 pt less the condensing): indents "in characters".
CHAR_TWIPS = BODY_PT * 20 + CHAR_CONDENSE_TWIPS
TEXT_BLOCK_TWIPS = round(156 / 25.4 * 1440)  # 156 mm
LANGUAGE = "zh-CN"
# The page number's line: exactly one 4号 line, its top 7 mm below the text block (7.5), so the
# footer's bottom edge sits at 35 mm − 7 mm − one line from the foot of the page.
PAGE_NUMBER_GAP_MM = 7
BOTTOM_MARGIN_MM = 35
# A 14 pt CJK face is about 18 pt from ascender to descender: a line of exactly 17 pt puts the
# top of the glyphs, not just of the line box, 7 mm below the text block (measured in the PDF
# LibreOffice makes: 7.1 mm).
PAGE_NUMBER_LINE_PT = 17

# Child order of w:rPr and w:pPr in the schema (ECMA-376 CT_RPr, CT_PPr): Word rejects others.
RPR_ORDER = tuple(
    "w:" + tag
    for tag in (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ).split()
)
PPR_ORDER = tuple(
    "w:" + tag
    for tag in (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
        "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
        "rPr sectPr pPrChange"
    ).split()
)

# The font table: each official face with the name it goes by elsewhere, its family class and
# the GB2312 character set (86), so Word/WPS without the exact face pick a Chinese one of the
# same kind rather than a Japanese or Latin default.
FONT_TABLE: tuple[tuple[str, str, str, str], ...] = (
    # name, altName, family, pitch
    (TITLE_FONT, "方正小标宋_GBK", "script", "variable"),
    (BODY_FONT, "仿宋", "modern", "fixed"),
    (HEI_FONT, "SimHei", "modern", "fixed"),
    (KAI_FONT, "楷体", "modern", "fixed"),
    (PAGE_NUMBER_FONT, "SimSun", "auto", "variable"),
)

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


def _insert_ordered(parent, element, sequence: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    """Put ``element`` into ``parent`` at its place in the schema's child order (Word checks it)."""
    tag = element.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = list(sequence)
    local = next(name for name in names if qn(name) == tag)
    parent.insert_element_before(element, *names[names.index(local) + 1 :])


def _rpr_child(rpr, tag: str, **attrs: str):  # type: ignore[no-untyped-def]
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    _insert_ordered(rpr, element, RPR_ORDER)
    return element


def _ppr_child(ppr, tag: str, **attrs: str):  # type: ignore[no-untyped-def]
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    _insert_ordered(ppr, element, PPR_ORDER)
    return element


def _set_lang(rpr) -> None:  # type: ignore[no-untyped-def]
    _rpr_child(rpr, "w:lang", val=LANGUAGE, eastAsia=LANGUAGE)


def _set_fonts(rpr_owner, font: str) -> None:  # type: ignore[no-untyped-def]
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        _insert_ordered(rpr, fonts, RPR_ORDER)
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
    """docDefaults at 3号 in Chinese: Word and WPS compute the grid's character pitch from this size."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        _rpr_child(rpr_default, tag, val=str(BODY_PT * 2))
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    _insert_ordered(rpr_default, fonts, RPR_ORDER)
    _set_lang(rpr_default)
    # The template's themeFontLang says ja-JP: LibreOffice then draws Chinese in Japanese shapes.
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)


def _configure_font_table(doc) -> None:  # type: ignore[no-untyped-def]
    """Replace the template's font table (Japanese ＭＳ 明朝 …) with the faces this document uses."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = []
    for name, alt, family, pitch in FONT_TABLE:
        fonts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    xml = f"<w:fonts {nsdecls('w')}>{''.join(fonts)}</w:fonts>"
    part._blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml).encode("utf-8")


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
        _set_lang(style.element.get_or_add_rPr())
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
        # firstLineChars keeps the indent at two characters whatever the font size.
        _ppr_child(
            ppr, "w:ind", firstLineChars=str(indent_chars * 100), firstLine=str(indent_chars * BODY_PT * 20)
        )
        # Chinese official text puts no extra space between CJK characters and digits/Latin.
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            _ppr_child(ppr, tag, val="0")
        border = ppr.find(qn("w:pBdr"))
        if border is not None:  # the stock Title style has a rule under it
            ppr.remove(border)
        if name == "Title":
            # The title keeps its exact 28.95 pt lines off the grid: on the grid a 22 pt line
            # takes two grid lines in LibreOffice and a two-line title looks double-spaced.
            _ppr_child(ppr, "w:snapToGrid", val="0")
        if name == "Normal":
            _rpr_child(style.element.get_or_add_rPr(), "w:spacing", val=str(CHAR_CONDENSE_TWIPS))
        if name.startswith("Heading"):
            style.font.underline = False


def _page_setup(section) -> None:  # type: ignore[no-untyped-def]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(BOTTOM_MARGIN_MM)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(BOTTOM_MARGIN_MM - PAGE_NUMBER_GAP_MM) - Pt(PAGE_NUMBER_LINE_PT)
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
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # Exactly one 4号 line, off the body's line grid, so the footer distance places it (7.5).
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(PAGE_NUMBER_LINE_PT)
    _ppr_child(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val="0")
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)

    def run(text: str = ""):  # type: ignore[no-untyped-def]
        r = paragraph.add_run(text)
        r.font.size = Pt(PAGE_NUMBER_PT)
        r.font.name = PAGE_NUMBER_FONT
        _set_fonts(r._r, PAGE_NUMBER_FONT)
        _set_lang(r._r.get_or_add_rPr())
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


def _add_run(paragraph, text: str, *, prompt: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    if prompt:
        rpr.highlight_val = WD_COLOR_INDEX.YELLOW
    _set_lang(rpr)
    return run


def _title(doc, title: str, keep: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    """The title in its trapezoid/diamond lines: one paragraph, lines joined by line breaks."""
    paragraph = doc.add_paragraph(style="Title")
    for index, line in enumerate(break_title(title, keep=keep)):
        run = _add_run(paragraph, line)
        if index:
            run._r.insert(0, OxmlElement("w:br"))


def _indent_right_chars(paragraph, chars: float) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = _ppr_child(ppr, "w:ind")
    ind.set(qn("w:rightChars"), str(round(chars * 100)))
    ind.set(qn("w:right"), str(round(chars * CHAR_TWIPS)))
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")
    # Right-aligned on the paragraph too: pasted into a unit's template, it keeps its place.
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _signature(doc, signers: list[str], date_text: str) -> None:  # type: ignore[no-untyped-def]
    """落款 without a seal (7.3.5.2): a blank line, the signer(s), the date under them."""
    if not signers and not date_text:
        return
    doc.add_paragraph("", style="Normal")
    widest = max(signers, key=len) if signers else ""
    layout = signature_layout(widest, date_text)
    for signer in signers:
        paragraph = doc.add_paragraph(style="Signature")
        _add_run(paragraph, signer)
        # Every signer line ends where the widest one does (joint signers stack, 7.3.5.2).
        _indent_right_chars(paragraph, layout.signer_indent)
    if date_text:
        paragraph = doc.add_paragraph(style="Signature")
        _add_run(paragraph, date_text)
        if layout.date_from_right is None:
            _indent_right_chars(paragraph, layout.date_indent)
        else:
            # Left-aligned from where the signer starts + 2: the step stays exact even where an
            # application widens the digits or spaces them from the Chinese characters.
            ppr = paragraph._p.get_or_add_pPr()
            left = TEXT_BLOCK_TWIPS - round(layout.date_from_right * CHAR_TWIPS)
            # The line may run up to two characters into the right margin: LibreOffice sets a gap
            # at each join of digits and 年月日, and "2026年11月30日" under an 8-character signer
            # then broke before 日. The start stays exact; the date never wraps.
            _ppr_child(
                ppr,
                "w:ind",
                left=str(left),
                right=str(-2 * CHAR_TWIPS),
                firstLine="0",
                firstLineChars="0",
            )
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _properties(doc, *, title: str, unit: str, generated_at: datetime.datetime) -> None:  # type: ignore[no-untyped-def]
    """Core and application properties: the unit as author and company, the real generation time."""
    props = doc.core_properties
    props.title = title
    props.author = unit
    props.last_modified_by = unit
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    # Core properties are UTC (W3CDTF with Z); python-docx writes naive datetimes as given.
    moment = generated_at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    props.created = moment
    props.modified = moment
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml")
    app = parse_xml(part.blob)
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
    for tag, value in (("Company", unit), ("Application", "dangjian 党建台账"), ("Template", "")):
        element = app.find(f"ep:{tag}", ns)
        if element is not None:
            element.text = value
    from lxml import etree

    part._blob = etree.tostring(app, xml_declaration=True, encoding="UTF-8", standalone=True)


def render_docx(
    document: Document,
    *,
    signer: str = "",
    date: datetime.date | None = None,
    unit: str = "",
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The .docx bytes of ``document`` in GB/T 9704 layout.

    ``signer`` is the 落款 (the draft's unit); a ``signature`` block in the document (a person's
    述职人 line) takes its place. ``date`` is the 成文日期. ``unit`` names the author and
    company in the file's properties (the signer when not given).
    """
    doc = new_docx()
    _configure_styles(doc)
    _configure_font_table(doc)
    section = doc.sections[0]
    if section.start_type != WD_SECTION.NEW_PAGE:
        section.start_type = WD_SECTION.NEW_PAGE
    _page_setup(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(section.footer, odd=True)
    _page_number_paragraph(section.even_page_footer, odd=False)

    unit = unit or signer
    _title(doc, document.title, keep=[name for name in (unit, signer) if name])
    doc.add_paragraph("", style="Normal")  # one blank line between title and body (7.3.2)
    signers: list[str] = []
    for block in document.blocks:
        if block.type == "heading":
            style = f"Heading {min(max(block.level, 1), 4)}"
            paragraph = doc.add_paragraph(style=style)
            # （一） headings carry their first sentence in the body font after the heading phrase
            # in some units; we keep the whole heading in its style, as GB/T 9704 7.3.3 shows.
            if block.number:
                _add_run(paragraph, block.number)
            for run in block.runs:
                _add_run(paragraph, run.text, prompt=run.kind == "prompt")
        elif block.type == "signature":
            signers.append(block.text)
        elif block.type == "date":
            continue  # the 成文日期 is the export's, set below
        else:
            paragraph = doc.add_paragraph(style="Normal")
            for run in block.runs:
                _add_run(paragraph, run.text, prompt=run.kind == "prompt")
    _signature(doc, signers or ([signer] if signer else []), chinese_date(date) if date else "")
    # python-docx's template ships an empty first paragraph; remove it so the title is first.
    body = doc.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)
    _properties(doc, title=document.title, unit=unit, generated_at=generated_at or timezone.now())
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_version(draft: Any, version: Any, *, date: datetime.date | None = None) -> bytes:
    """A saved version of a draft as .docx, signed by the draft's unit and dated ``date`` (today)."""
    from dangjian.core.dates import today

    return render_docx(
        Document.from_json(version.document),
        signer=draft.signer,
        date=date or today(),
        unit=draft.organization.name,
    )


def write_docx(document: Document, path: Path, **kwargs: Any) -> None:
    path.write_bytes(render_docx(document, **kwargs))
