#!/usr/bin/env bash
# Debian packages regbook needs, in two groups:
#   check  what `make check` needs: Python with its venv module, and git (the deletion guard);
#   all    (the default; build, test, serve) the above, plus CJK fonts (site, PDF), Pango
#          (WeasyPrint), Chromium and its driver (browser tests) and poppler-utils (PDF tests).
# Installs what is missing when run as root; otherwise says what to install and stops.
set -euo pipefail
light=(python3 python3-venv git)
heavy=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium chromium-driver poppler-utils)
case "${1:-all}" in
  check) packages=("${light[@]}") ;;
  all) packages=("${light[@]}" "${heavy[@]}") ;;
  *)
    echo "用法：scripts/system-deps.sh [check|all]（check：只装 make check 所需的软件包；all：全部，默认）" >&2
    exit 2
    ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请以 root 身份运行：apt-get update && apt-get install -y ${missing[*]}" >&2
  echo "（或者：sudo scripts/system-deps.sh ${1:-all}；之后再运行 make）" >&2
  exit 1
fi
echo "正在安装系统软件包：${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
