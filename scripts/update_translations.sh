#!/usr/bin/env bash
# Refresh the Chinese catalogue from the tr() strings in simulator/ui and compile it.
#   1. lupdate adds new strings to simulator/data/i18n/roleplay_zh_CN.ts (marked unfinished) and drops
#      strings no longer in the code;
#   2. translate the unfinished entries (Qt Linguist, or edit the XML);
#   3. run this script again: lrelease writes roleplay_zh_CN.qm, which is committed so that the app needs
#      no Qt tools at run time. tests/ui/test_i18n.py fails while any string is untranslated.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
TS=simulator/data/i18n/roleplay_zh_CN.ts
QT_TOOLS=$("$PY" -c 'import os, PySide6; print(os.path.dirname(PySide6.__file__))')  # lupdate, lrelease
tool() { "$QT_TOOLS/$1" "${@:2}"; }
mapfile -t sources < <(find simulator/ui -name '*.py' | LC_ALL=C sort)
tool lupdate -extensions py -no-obsolete -locations none -target-language zh_CN "${sources[@]}" -ts "$TS"
tool lrelease "$TS" -qm "${TS%.ts}.qm"
unfinished=$(grep -c 'type="unfinished"' "$TS" || true)
if [ "$unfinished" -gt 0 ]; then
  echo "$unfinished string(s) in $TS still need a translation (type=\"unfinished\")." >&2
  exit 1
fi
