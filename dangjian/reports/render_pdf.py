"""PDF through LibreOffice headless, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or failed); the message says what to do, in Chinese."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_bytes: bytes, *, timeout: int = 120) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailable(
            "服务器未安装 LibreOffice，无法生成 PDF；请下载 .docx，或请管理员安装 libreoffice-writer。"
        )
    with tempfile.TemporaryDirectory(prefix="dangjian-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx_bytes)
        # A private profile directory: concurrent conversions must not share LibreOffice's lock.
        profile = Path(tmp) / "profile"
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{exc}") from exc
        result = Path(tmp) / "report.pdf"
        if not result.exists():
            raise PdfUnavailable("LibreOffice 未生成 PDF 文件。")
        return result.read_bytes()
