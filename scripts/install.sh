#!/usr/bin/env bash
# Installs what the app needs on Debian/Ubuntu: system packages (apt) and a virtualenv in .venv.
# Usage: scripts/install.sh [--test]   (--test adds the test tools and the PostgreSQL server)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_PACKAGES=(
  python3-venv libespeak-ng1 espeak-ng libportaudio2 libsndfile1
  pulseaudio pulseaudio-utils libasound2-plugins fonts-noto-cjk libjemalloc2
  libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1
)
if [ "${1:-}" = "--test" ]; then
  APT_PACKAGES+=(xvfb sox poppler-utils postgresql)
fi
missing=()
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null | awk '$4 == "installed" {print $1}')"
for p in "${APT_PACKAGES[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# pip runs only when the declared dependencies changed since the last install (a stamp per mode holds
# their hash), so a second start costs no more than the app itself. The test set includes the app set.
deps_hash="$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)"
stamp_app=".venv/.installed-app-$deps_hash"
stamp_test=".venv/.installed-test-$deps_hash"
if [ "${1:-}" = "--test" ]; then
  wanted="$stamp_test"
else
  wanted="$stamp_app"
fi
if [ ! -e "$wanted" ] && [ ! -e "$stamp_test" ]; then
  rm -f .venv/.installed-*
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "${1:-}" = "--test" ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$wanted"
fi
