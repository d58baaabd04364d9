#!/usr/bin/env bash
# Debian packages regbook needs: CJK fonts (site, PDF), Pango (WeasyPrint), Chromium and its
# driver (browser tests), poppler-utils (PDF tests). Installs what is missing when run as root;
# otherwise says what to install and stops.
set -euo pipefail
packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium chromium-driver poppler-utils git)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请以 root 身份运行：apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "正在安装系统软件包：${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
