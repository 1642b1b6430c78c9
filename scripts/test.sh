#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, venv, lint, types, tests.
# Usage: bash scripts/test.sh [pytest arguments...]
set -euo pipefail
source "$(dirname "$0")/setup.sh" "test,dev"
bwo_ensure_apt "${BWO_APT_QT[@]}" "${BWO_APT_TEST[@]}"
bwo_ensure_python
cd "$BWO_ROOT"
export QT_QPA_PLATFORM=offscreen
echo ">> ruff"
"$BWO_VENV/bin/ruff" check .
"$BWO_VENV/bin/ruff" format --check .
echo ">> mypy"
"$BWO_VENV/bin/mypy"
echo ">> pytest"
"$BWO_VENV/bin/python" -m pytest "$@"
