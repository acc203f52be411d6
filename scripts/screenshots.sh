#!/usr/bin/env bash
# Screenshots of every screen in Chinese and English under a real X server (Xvfb) into docs/screenshots/.
# The app runs with temporary data, config and cache folders, so the user's own calls never show up.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
for tool in xvfb-run xauth pulseaudio paplay espeak-ng; do
  command -v "$tool" >/dev/null || { echo "$tool not found: run ./scripts/test.sh once (it installs the test tools)" >&2; exit 2; }
done
out="${1:-docs/screenshots}"
tmp=$(mktemp -d /tmp/roleplay-sim.XXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache"
# PYTHONPATH: this checkout's simulator/, whatever the virtualenv's editable install points at.
env -u WAYLAND_DISPLAY PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" ROLEPLAY_SIM_DATA="$tmp/data" ROLEPLAY_SIM_CONFIG="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$PY" scripts/screenshots.py "$out"
