"""The .docx follows GB/T 9704-2012: page, margins, grid, fonts and sizes per style, page numbers."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from dangjian.reports.document import Block, Document, Run
from dangjian.reports.render_docx import render_docx


def sample() -> Document:
    document = Document("测试局机关党委2025年上半年党建工作总结")
    document.paragraph("2025年上半年，测试局机关党委坚持以习近平新时代中国特色社会主义思想为指导。")
    document.heading(1, "主要工作", "一、")
    document.heading(2, "提高政治站位，落实主体责任", "（一）")
    for _ in range(30):
        document.paragraph(
            "一是严格落实“三会一课”制度。", Run("6次", "figure", "activities.count.general_meeting")
        )
    document.heading(1, "存在的问题", "二、")
    document.paragraph(Run("【待补充：本期存在的问题】", "prompt"))
    return document


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx(sample(), signer="测试局机关党委", date=datetime.date(2025, 7, 8))


def east_asia(style) -> str:  # type: ignore[no-untyped-def]
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_is_a4_with_gbt_9704_margins(docx_bytes: bytes) -> None:
    section = open_docx(io.BytesIO(docx_bytes)).sections[0]
    # Word stores lengths in twips: compare in millimetres to a twip's precision.
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    for length, expected in zip(measured, [210, 297, 37, 35, 28, 26], strict=True):
        assert abs(length.mm - expected) < 0.02, (length.mm, expected)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines in the 225 mm text block


@pytest.mark.parametrize(
    "style, font, size, bold",
    [
        ("Title", "方正小标宋简体", 22, False),
        ("Normal", "仿宋_GB2312", 16, False),
        ("Heading 1", "黑体", 16, False),
        ("Heading 2", "楷体_GB2312", 16, False),
        ("Heading 3", "仿宋_GB2312", 16, True),
        ("Heading 4", "仿宋_GB2312", 16, False),
    ],
)
def test_styles_carry_fonts_in_the_east_asian_slot(
    docx_bytes: bytes, style: str, font: str, size: int, bold: bool
) -> None:
    doc = open_docx(io.BytesIO(docx_bytes))
    st = doc.styles[style]
    assert st.font.name == font and east_asia(st) == font
    assert st.font.size == Pt(size)
    assert bool(st.font.bold) is bold


def test_body_uses_styles_not_direct_formatting(docx_bytes: bytes) -> None:
    doc = open_docx(io.BytesIO(docx_bytes))
    styles = [p.style.name for p in doc.paragraphs]
    assert styles[0] == "Title" and "Heading 1" in styles and "Heading 2" in styles
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "测试局机关党委2025年上半年党建工作总结"
    assert "一、主要工作" in texts and "（一）提高政治站位，落实主体责任" in texts
    assert all(run.font.name is None and run.font.size is None for p in doc.paragraphs[1:] for run in p.runs)


def test_body_has_two_character_first_line_indent(docx_bytes: bytes) -> None:
    doc = open_docx(io.BytesIO(docx_bytes))
    ind = doc.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_page_numbers_alternate_sides_with_dashes(docx_bytes: bytes) -> None:
    doc = open_docx(io.BytesIO(docx_bytes))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for paragraph in (odd, even):
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in "".join(paragraph._p.itertext())
        assert all(run.font.size == Pt(14) for run in paragraph.runs)


def test_converts_to_pdf_and_png_pages(docx_bytes: bytes, tmp_path: Path) -> None:
    from dangjian.reports.render_pdf import docx_to_pdf, soffice_path

    assert soffice_path(), "LibreOffice (soffice) is not installed: run scripts/ensure-browser.sh as root"
    assert shutil.which("pdftoppm"), (
        "poppler-utils (pdftoppm) is not installed: run scripts/ensure-browser.sh"
    )
    pdf = docx_to_pdf(docx_bytes)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    # 30 paragraphs of ~1 line each plus headings: more than one page, fewer than five at 22 lines a page.
    assert 2 <= len(pages) <= 4


# --- issue 11 point 6: the document itself -------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def part(docx: bytes, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name).decode("utf-8")


def tree(docx: bytes, name: str):  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.fromstring(part(docx, name).encode("utf-8"))


def test_document_declares_simplified_chinese_everywhere(docx_bytes: bytes) -> None:
    styles = tree(docx_bytes, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}eastAsia") == "zh-CN" and default.get(f"{W}val") == "zh-CN"
    for name in ("Normal", "Title", "Heading1", "Heading2", "Heading3", "Heading4", "Signature"):
        style = styles.find(f"{W}style[@{W}styleId='{name}']")
        assert style.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-CN", name
    document = tree(docx_bytes, "word/document.xml")
    runs = [r for r in document.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert runs and all(r.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-CN" for r in runs)
    settings = tree(docx_bytes, "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    for name in ("word/styles.xml", "word/settings.xml", "word/document.xml", "word/fontTable.xml"):
        assert "ja-JP" not in part(docx_bytes, name) and "ＭＳ" not in part(docx_bytes, name), name


def test_font_table_keeps_official_names_with_chinese_fallbacks(docx_bytes: bytes) -> None:
    fonts = {f.get(f"{W}name"): f for f in tree(docx_bytes, "word/fontTable.xml").findall(f"{W}font")}
    expected = {
        "方正小标宋简体": "方正小标宋_GBK",
        "仿宋_GB2312": "仿宋",
        "黑体": "SimHei",
        "楷体_GB2312": "楷体",
    }
    for name, alternate in expected.items():
        assert fonts[name].find(f"{W}altName").get(f"{W}val") == alternate
        assert fonts[name].find(f"{W}charset").get(f"{W}val") == "86"  # GB2312


def test_prompts_are_highlighted_yellow_and_nothing_else(docx_bytes: bytes) -> None:
    document = tree(docx_bytes, "word/document.xml")
    marked, plain = [], []
    for run in document.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not text:
            continue
        highlight = run.find(f"{W}rPr/{W}highlight")
        (marked if highlight is not None else plain).append(text)
        if highlight is not None:
            assert highlight.get(f"{W}val") == "yellow"
    assert marked == ["【待补充：本期存在的问题】"]
    assert not any("待补充" in text for text in plain)


def title_lines(docx: bytes) -> list[str]:
    document = tree(docx, "word/document.xml")
    title = document.find(f"{W}body/{W}p")
    assert title.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Title"
    lines, current = [], ""
    for element in title.iter(f"{W}t", f"{W}br"):
        if element.tag == f"{W}br":
            lines.append(current)
            current = ""
        else:
            current += element.text or ""
    return [*lines, current]


def test_long_title_breaks_between_words_in_a_trapezoid() -> None:
    from dangjian.reports.layout import text_width

    document = Document("中共测试市第一局机关委员会2026年上半年党风廉政建设工作报告")
    lines = title_lines(render_docx(document, signer="中共测试市第一局机关委员会"))
    assert lines == ["中共测试市第一局机关委员会", "2026年上半年党风廉政建设工作报告"]
    widths = [text_width(line) for line in lines]
    assert widths[0] != widths[1] and max(widths) <= 20


@pytest.mark.parametrize(
    "title, org",
    [
        ("测试局机关党委关于2026年上半年党建工作情况的总结", "测试局机关党委"),
        ("中共某某市生态环境局党组关于2025年度模范机关创建工作情况的汇报", "中共某某市生态环境局党组"),
        ("第一党支部书记2026年抓基层党建工作述职报告", "第一党支部"),
        ("中共测试市第一局机关委员会2026年上半年党建工作总结", "中共测试市第一局机关委员会"),
        ("第一党支部关于2026年上半年党风廉政建设工作情况的报告", "第一党支部"),
    ],
)
def test_title_lines_never_strand_a_character_or_split_a_word(title: str, org: str) -> None:
    from dangjian.reports.layout import break_title, text_width, title_words

    lines = break_title(title, keep=[org])
    assert "".join(lines) == title
    assert all(text_width(line) >= 3 for line in lines), lines  # never "…工作总/结"
    assert all(text_width(line) <= 20 for line in lines), lines
    # every break falls between two of jieba's words (or whole periods / the org's name)
    boundaries, at = set(), 0
    for word in title_words(title, [org]):
        at += len(word)
        boundaries.add(at)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at in boundaries, (lines, at)
    assert not any(line.endswith(("关于", "的")) for line in lines[:-1]), lines
    if len(lines) == 3:  # trapezoid or diamond, never an hourglass
        a, b, c = (text_width(line) for line in lines)
        assert not (b < a and b < c), lines


def test_short_title_stays_on_one_line() -> None:
    assert title_lines(render_docx(Document("第一党支部2026年党建工作总结"))) == [
        "第一党支部2026年党建工作总结"
    ]


def signature_paragraphs(docx: bytes) -> list[tuple[str, str, str]]:
    """(text, indent, alignment) of the 落款 lines: "r<chars>" right indent or "l<twips>" left."""
    document = tree(docx, "word/document.xml")
    out = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "Signature":
            ind = p.find(f"{W}pPr/{W}ind")
            indent = (
                f"r{ind.get(f'{W}rightChars')}" if ind.get(f"{W}rightChars") else f"l{ind.get(f'{W}left')}"
            )
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            out.append((text, indent, p.find(f"{W}pPr/{W}jc").get(f"{W}val")))
    return out


def test_signature_and_date_follow_7_3_5_2(docx_bytes: bytes) -> None:
    # 测试局机关党委 (7 characters) ends 2 characters from the right margin, so it starts 9 from
    # it; the date starts 2 characters right of that, 7 characters of 315 twips from the margin
    # of the 156 mm (8844 twips) text block.
    assert signature_paragraphs(docx_bytes) == [
        ("测试局机关党委", "r200", "right"),
        ("2025年7月8日", f"l{8844 - 7 * 315}", "left"),
    ]
    document = tree(docx_bytes, "word/document.xml")
    paragraphs = list(document.find(f"{W}body").iter(f"{W}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs]
    at = texts.index("测试局机关党委")
    assert texts[at - 1] == ""  # one blank line under the body


def test_a_date_longer_than_the_signer_moves_the_signer_left() -> None:
    docx = render_docx(Document("标题"), signer="第一党支部", date=datetime.date(2026, 11, 29))
    # 第一党支部 = 5, 2026年11月29日 = 3 + 8 × ½ = 7: date 2 from the margin, signer 2 + 7 − 5 + 2.
    assert signature_paragraphs(docx) == [
        ("第一党支部", "r600", "right"),
        ("2026年11月29日", "r200", "right"),
    ]


def test_a_persons_signature_block_replaces_the_unit() -> None:
    document = Document("述职报告")
    document.paragraph("正文。")
    document.blocks.append(Block("signature", [Run("述职人：王某某")]))
    docx = render_docx(document, signer="第一党支部", date=datetime.date(2026, 1, 5))
    assert [text for text, _, _ in signature_paragraphs(docx)] == ["述职人：王某某", "2026年1月5日"]


def test_page_number_line_sits_7_mm_below_the_text_block(docx_bytes: bytes) -> None:
    doc = open_docx(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    fmt = footer.paragraph_format
    line = fmt.line_spacing
    assert fmt.line_spacing_rule == 4  # exactly
    # top of the number's line = page bottom − footer distance − its line height
    top_mm = 297 - section.footer_distance.mm - line.mm
    assert abs(top_mm - (297 - 35 + 7)) < 0.05, top_mm
    assert footer._p.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
    for run in footer.runs:
        assert run.font.size == Pt(14)
        assert run._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "宋体"
    assert section.footer.paragraphs[0].paragraph_format.right_indent == Pt(14)  # 一字 in from the edge
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == Pt(14)


def test_properties_name_the_unit_and_the_generation_time() -> None:
    moment = datetime.datetime(2026, 11, 29, 9, 30, tzinfo=datetime.UTC)
    docx = render_docx(sample(), signer="测试局机关党委", unit="测试局机关党委", generated_at=moment)
    props = open_docx(io.BytesIO(docx)).core_properties
    assert props.author == "测试局机关党委" and props.last_modified_by == "测试局机关党委"
    assert props.title == "测试局机关党委2025年上半年党建工作总结"
    assert props.created == props.modified == moment
    core = part(docx, "docProps/core.xml")
    assert "python-docx" not in core and "2013" not in core
    app = part(docx, "docProps/app.xml")
    assert "<Company>测试局机关党委</Company>" in app and "Microsoft Macintosh Word" not in app


@pytest.fixture(scope="module")
def pdf_path(docx_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dangjian.reports.render_pdf import docx_to_pdf, soffice_path

    assert soffice_path() and shutil.which("pdffonts"), "run scripts/ensure-browser.sh as root"
    pdf = tmp_path_factory.mktemp("pdf") / "r.pdf"
    pdf.write_bytes(docx_to_pdf(docx_bytes))
    return pdf


def pdf_words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, xMin, yMin, word) of every word LibreOffice set, in points from the top left."""
    import re

    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words, page = [], 0
    for line in xml.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', line)
        if match:
            words.append((page, float(match.group(1)), float(match.group(2)), match.group(3)))
    return words


MM = 72 / 25.4


def test_pdf_page_number_sits_7_mm_below_the_text_block(pdf_path: Path) -> None:
    dashes = [w for w in pdf_words(pdf_path) if w[3] == "—"]
    assert dashes and {w[0] for w in dashes} == set(range(1, max(w[0] for w in dashes) + 1))
    text_block_bottom = (297 - 35) * MM
    for _page, _x, top, _ in dashes:
        assert 6.8 <= (top - text_block_bottom) / MM <= 7.5, (top - text_block_bottom) / MM
    odd = [x for page, x, _y, _ in dashes if page % 2]
    even = [x for page, x, _y, _ in dashes if not page % 2]
    assert min(odd) > 300 > max(even)  # odd pages right, even pages left


def test_pdf_date_starts_two_characters_right_of_the_signer(pdf_path: Path) -> None:
    words = pdf_words(pdf_path)
    signer = [w for w in words if w[3] == "测试局机关党委"][-1]  # the 落款 closes the document
    date = next(w for w in words if w[0] == signer[0] and w[3].startswith("2025") and w[2] > signer[2])
    step = (date[1] - signer[1]) / (16 - 0.25)  # in characters of the condensed body grid
    assert 1.8 <= step <= 2.2, step
    right_margin = (210 - 26) * MM
    signer_end = signer[1] + 7 * (16 - 0.25)
    assert 1.8 <= (right_margin - signer_end) / (16 - 0.25) <= 2.2


def test_pdf_shows_four_distinct_faces(pdf_path: Path) -> None:
    """Title, body, 一、 and （一） headings each land on their own free face (fonts/fonts.conf)."""
    pdf = pdf_path
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}
    faces = {
        "title": any("NotoSerifCJK" in n and "Bold" in n for n in names),
        "body": any("UMing" in n for n in names),
        "hei": any("NotoSansCJK" in n for n in names),
        "kai": any("UKai" in n for n in names),
    }
    assert all(faces.values()), (faces, names)


def test_a_title_without_usable_word_breaks_is_cut_evenly() -> None:
    from dangjian.reports.layout import break_title

    lines = break_title("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQ")  # 43 half-width letters, one "word"
    assert "".join(lines) == "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQ"
    assert len(lines) == 2 and min(len(line) for line in lines) >= 20


def test_pdf_date_under_a_long_signer_stays_on_one_line(tmp_path: Path) -> None:
    # An 8-character signer leaves the 7-character date one character of room; LibreOffice sets
    # a gap at each join of digits and 年月日 (five here), and 日 used to wrap to its own line.
    from dangjian.reports.render_pdf import docx_to_pdf, soffice_path

    assert soffice_path(), "run scripts/ensure-browser.sh as root"
    docx = render_docx(sample(), signer="测试市财政局党组", date=datetime.date(2026, 11, 30))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(docx_to_pdf(docx))
    words = pdf_words(pdf)
    year = next(w for w in words if w[3] == "2026")
    day = [w for w in words if w[3] == "日" and w[0] == year[0]][-1]
    assert abs(day[2] - year[2]) < 1, (year, day)  # same line
