#!/usr/bin/env bash
# Installs the external tools the tests use when missing:
#   GNU gettext (msgfmt, msgcat, msgmerge)           - catalogs checked by the real tools
#   Debian's chromium and chromium-driver            - pages we write opened in a real headless browser
#   fonts-noto-core, fonts-noto-cjk                  - Arabic, Korean, Japanese glyphs for that browser
# As root on Debian/Ubuntu it installs them with apt-get; elsewhere it says what is missing, and the
# tests that need a tool skip loudly (under CI=true they fail instead).
set -u
missing=()
for tool in msgfmt msgcat msgmerge; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=("gettext"); break; }
done
command -v chromium >/dev/null 2>&1 || missing+=("chromium")
command -v chromedriver >/dev/null 2>&1 || missing+=("chromium-driver")
if command -v fc-list >/dev/null 2>&1; then
  fc-list | grep -qi "Noto Naskh Arabic\|Noto Sans Arabic" || missing+=("fonts-noto-core")
  fc-list | grep -qi "Noto Sans CJK" || missing+=("fonts-noto-cjk")
else
  missing+=("fonts-noto-core" "fonts-noto-cjk")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  echo "warning: apt-get could not install ${missing[*]}" >&2
else
  echo "warning: ${missing[*]} not found and cannot be installed here (not root, or no apt-get):" >&2
  echo "         install them yourself; the tests that need them will be skipped" >&2
fi
[ "${CI:-}" = "true" ] && { echo "error: CI=true requires ${missing[*]}" >&2; exit 1; }
exit 0
