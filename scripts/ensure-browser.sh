#!/usr/bin/env bash
# Installs what the browser and document tests need from Debian's packages, once: chromium
# (Playwright drives it; it never downloads a browser of its own), CJK fonts, LibreOffice
# and poppler for .docx → PDF → PNG. Skips quietly what is already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "缺少 ${need[*]}：请以 root 运行 apt-get install -y ${need[*]}（浏览器测试将跳过）" >&2
  exit 0
fi
echo "installing ${need[*]} from Debian's packages …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
