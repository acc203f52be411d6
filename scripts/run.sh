#!/usr/bin/env bash
# Installs everything (apt + .venv) and starts the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/python -m simulator "$@"
