"""What an uploaded file really is, judged by its first bytes rather than its name.

Shared by every app that keeps uploads (activity attachments, admission documents), so a file
renamed to .pdf is refused the same way everywhere.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

OLE_STORAGE = "application/x-ole-storage"  # the pre-2007 .doc / .xls container


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
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE_STORAGE
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
