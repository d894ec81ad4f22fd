"""The .docx follows GB/T 9704-2012: page, margins, grid, fonts and sizes per style, page numbers."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from dangjian.reports.document import Document, Run
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
    return render_docx(sample(), signer="测试局机关党委", date_text="2025年7月8日")


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
