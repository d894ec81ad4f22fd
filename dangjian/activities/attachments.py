"""What an uploaded attachment really is, judged by its first bytes rather than its name."""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.conf import settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# content type → (extension used for the stored name, label shown to the user)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "image/jpeg": (".jpg", "JPG图片"),
    "image/png": (".png", "PNG图片"),
    "application/pdf": (".pdf", "PDF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", "Word文档（.docx）"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", "Excel表格（.xlsx）"),
}
ALLOWED_LABEL = "、".join(label for _ext, label in ALLOWED_TYPES.values())


def max_bytes() -> int:
    return int(getattr(settings, "ACTIVITY_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def sniff(stream: IO[bytes]) -> str | None:
    """The content type of ``stream`` from its magic bytes, or None when it is not one we accept.

    .docx and .xlsx are both ZIP files; the part names inside tell them apart (and tell them from
    any other ZIP, which we refuse).
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            data = stream if stream.seekable() else io.BytesIO(stream.read())
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            stream.seek(0)
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None
