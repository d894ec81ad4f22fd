#!/usr/bin/env bash
# Installs what the browser and document tests need from Debian's packages, once: chromium
# (Playwright drives it; it never downloads a browser of its own), CJK fonts, LibreOffice
# and poppler for .docx → PDF → PNG. Skips quietly what is already there.
#
# The fonts stand in for the official faces of GB/T 9704-2012 in the PDF (the mapping is
# dangjian/reports/fonts/fonts.conf): Noto Serif CJK Bold for 小标宋 (title), AR PL UMing for
# 仿宋 (body), Noto Sans CJK / WenQuanYi Zen Hei for 黑体 (一、), AR PL UKai for 楷体 (（一）).
set -euo pipefail
need=()
# grep without -q: an early exit would kill fc-list with SIGPIPE, which pipefail reports as missing.
has_font() { fc-list : family 2>/dev/null | grep -i "$1" >/dev/null; }
command -v chromium >/dev/null 2>&1 || need+=(chromium)
has_font "Noto Sans CJK" || need+=(fonts-noto-cjk)
has_font "AR PL UMing" || need+=(fonts-arphic-uming)
has_font "AR PL UKai" || need+=(fonts-arphic-ukai)
has_font "WenQuanYi Zen Hei" || need+=(fonts-wqy-zenhei)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "缺少 ${need[*]}：请以 root 运行 apt-get install -y ${need[*]}（浏览器测试将跳过）" >&2
  exit 0
fi
echo "installing ${need[*]} from Debian's packages …"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
