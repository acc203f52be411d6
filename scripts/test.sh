#!/usr/bin/env bash
# Installs everything (apt + .venv) and runs the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export ROLEPLAY_SIM_TESTS_STRICT="${ROLEPLAY_SIM_TESTS_STRICT:-1}"  # all installed: a missing part fails, not skips
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" .venv/bin/python -m pytest "$@"
