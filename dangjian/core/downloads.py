"""File downloads with Chinese file names that every browser saves correctly."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(
    body: bytes, content_type: str, filename: str, *, ascii_name: str = "download"
) -> HttpResponse:
    """``body`` as a download named ``filename`` (RFC 6266 filename*, with a plain fallback)."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fallback = f"{ascii_name}.{suffix}" if suffix else ascii_name
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename)}"
    return response
