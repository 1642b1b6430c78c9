#!/usr/bin/env bash
# Build the frozen app (PyInstaller, one folder) with installer/bwo-desktop.spec.
# Result: dist/bwo-desktop/ with bwo-desktop (windowed) and bwo-desktop-cli (console).
# PyInstaller does not cross-compile: this builds for the machine it runs on (Linux here,
# Windows in .github/workflows/windows.yml). Check the result with
#   QT_QPA_PLATFORM=offscreen dist/bwo-desktop/bwo-desktop-cli --self-test
# Usage: bash scripts/build-frozen.sh [--clean]
set -euo pipefail
source "$(dirname "$0")/setup.sh" "build"
# PyInstaller's Qt hooks import PySide6 while analysing; binutils gives it objdump.
bwo_ensure_apt "${BWO_APT_QT[@]}" binutils
bwo_ensure_python
cd "$BWO_ROOT"

CLEAN=()
if [ "${1:-}" = "--clean" ]; then CLEAN=(--clean); fi

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
start=$(date +%s)
echo ">> pyinstaller installer/bwo-desktop.spec"
"$BWO_VENV/bin/pyinstaller" --noconfirm "${CLEAN[@]}" --log-level WARN \
  --distpath "$BWO_ROOT/dist" --workpath "$BWO_ROOT/build/pyinstaller" \
  installer/bwo-desktop.spec
end=$(date +%s)

BUNDLE="$BWO_ROOT/dist/bwo-desktop"
for exe in bwo-desktop bwo-desktop-cli; do
  [ -x "$BUNDLE/$exe" ] || { echo "FOUT: $BUNDLE/$exe ontbreekt" >&2; exit 1; }
done
echo ">> klaar in $((end - start)) s: $BUNDLE"
echo ">> grootte: $(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) bestanden)"
