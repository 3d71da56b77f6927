#!/usr/bin/env bash
# Installs the peer tools the benchmark compares against, outside the project's dependencies:
#   - Translate Toolkit with RapidFuzz (html2po, pot2po, po2html, pofilter) in bench/.peers/ (a venv, gitignored);
#   - po4a and GNU gettext (msgmerge) from Debian, when run as root.
# Idempotent: what is already there is left alone. Without root, po4a/msgmerge are reported missing and the
# benchmark skips them (it says so).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
PEERS=.peers

if [ -x "$PEERS/bin/pot2po" ] && "$PEERS/bin/python" -c 'import translate, rapidfuzz' 2>/dev/null; then
  echo "translate-toolkit: already in bench/$PEERS ($("$PEERS/bin/python" -c 'import translate.__version__ as v; print(v.sver)'))"
else
  echo "translate-toolkit: installing into bench/$PEERS"
  "$PYTHON" -m venv "$PEERS"
  "$PEERS/bin/python" -m pip install --quiet --upgrade pip
  "$PEERS/bin/python" -m pip install --quiet 'translate-toolkit[levenshtein]'
fi

need=()
command -v po4a >/dev/null 2>&1 || need+=(po4a)
command -v msgmerge >/dev/null 2>&1 || need+=(gettext)
if [ ${#need[@]} -eq 0 ]; then
  echo "po4a, msgmerge: already installed"
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing with apt-get: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "warning: not root (or no apt-get): ${need[*]} not installed; the benchmark will skip them" >&2
fi
