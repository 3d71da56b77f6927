#!/usr/bin/env bash
# Installs the external tools the tests use (GNU gettext: msgfmt, msgcat, msgmerge) when missing.
# As root on Debian/Ubuntu it installs them with apt-get; elsewhere it says what is missing, and the
# tests that need a tool skip loudly (under CI=true they fail instead).
set -u
missing=()
for tool in msgfmt msgcat msgmerge; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing GNU gettext (missing: ${missing[*]})" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq gettext >/dev/null && exit 0
  echo "warning: apt-get could not install gettext" >&2
else
  echo "warning: ${missing[*]} not found and cannot be installed here (not root, or no apt-get):" >&2
  echo "         install GNU gettext yourself; the tests that need it will be skipped" >&2
fi
[ "${CI:-}" = "true" ] && { echo "error: CI=true requires GNU gettext" >&2; exit 1; }
exit 0
