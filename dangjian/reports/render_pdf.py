"""PDF through LibreOffice headless, when it is installed.

The conversion runs with the project's fontconfig aliases (fonts/fonts.conf) on top of the
system's, so the official face names in the .docx (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312)
land on four different free faces instead of one fallback for all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed (or failed); the message says what to do, in Chinese."""


FONT_ALIASES = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def fontconfig_file(directory: Path) -> Path:
    """A fontconfig file in ``directory``: the system's configuration, then the project's aliases."""
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{SYSTEM_FONTCONFIG}</include>\n'
        f"  <include>{FONT_ALIASES}</include>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


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
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(Path(tmp)))}
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout, env=env)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{exc}") from exc
        result = Path(tmp) / "report.pdf"
        if not result.exists():
            raise PdfUnavailable("LibreOffice 未生成 PDF 文件。")
        return result.read_bytes()
