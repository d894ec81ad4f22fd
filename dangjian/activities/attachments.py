"""What an uploaded attachment really is, judged by its first bytes rather than its name."""

from __future__ import annotations

from django.conf import settings

from dangjian.core.uploads import human_size, sniff

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


# human_size and sniff live in core so every upload is judged the same way.
__all__ = ["ALLOWED_LABEL", "ALLOWED_TYPES", "human_size", "max_bytes", "sniff"]
