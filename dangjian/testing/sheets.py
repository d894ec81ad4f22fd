"""Excel files for import tests: rows as an .xlsx upload, as a browser would post it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook


def xlsx_upload(
    rows: Sequence[Sequence[Any]] = (), name: str = "导入.xlsx", *, body: bytes = b""
) -> io.BytesIO:
    """``rows`` (or an existing workbook's ``body``, e.g. an export) as a named file to post."""
    if not body:
        book = Workbook()
        for row in rows:
            book.active.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        body = buffer.getvalue()
    out = io.BytesIO(body)
    out.name = name
    return out
