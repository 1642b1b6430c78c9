#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine for bwo-desktop: system libraries for Qt, a venv
# in .venv and the package with the requested extras. Sourced by start.sh and test.sh.
# Usage: source scripts/setup.sh EXTRAS   (e.g. "test,dev" or "")
set -euo pipefail

BWO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BWO_VENV="${BWO_VENV:-$BWO_ROOT/.venv}"
BWO_EXTRAS="${1:-}"

# Qt offscreen needs these; a real window under Xvfb needs the rest; pdftoppm renders PDFs
# in the tests; fonts-dejavu-core gives Qt a font on bare machines.
BWO_APT_QT=(libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 fonts-dejavu-core)
BWO_APT_WINDOW=(xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
BWO_APT_TEST=(poppler-utils)

bwo_missing_apt() {
  local missing=()
  command -v dpkg-query >/dev/null 2>&1 || { echo ""; return; }
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

bwo_ensure_apt() {
  local missing
  missing="$(bwo_missing_apt "$@")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo ">> apt-get install $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Ontbrekende systeempakketten: $missing" >&2
    echo "Installeer ze eerst, bijvoorbeeld:  sudo apt-get install -y --no-install-recommends $missing" >&2
    return 1
  fi
}

bwo_ensure_python() {
  local py="${PYTHON:-python3}"
  if ! command -v "$py" >/dev/null 2>&1; then
    echo "Python 3.11 of nieuwer is nodig (python3 niet gevonden)." >&2
    return 1
  fi
  if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "Python 3.11 of nieuwer is nodig; gevonden: $("$py" --version 2>&1)." >&2
    return 1
  fi
  if [ ! -x "$BWO_VENV/bin/python" ]; then
    if ! "$py" -m venv "$BWO_VENV" 2>/dev/null; then
      bwo_ensure_apt python3-venv
      rm -rf "$BWO_VENV"
      "$py" -m venv "$BWO_VENV"
    fi
    "$BWO_VENV/bin/python" -m pip install -q --upgrade pip
  fi
  local spec="$BWO_ROOT"
  [ -n "$BWO_EXTRAS" ] && spec="$BWO_ROOT[$BWO_EXTRAS]"
  # Re-install only when pyproject.toml changed since the last install for these extras.
  local stamp="$BWO_VENV/.bwo-installed-${BWO_EXTRAS//,/-}"
  if [ ! -f "$stamp" ] || [ "$BWO_ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo ">> pip install -e .${BWO_EXTRAS:+[$BWO_EXTRAS]}"
    "$BWO_VENV/bin/python" -m pip install -q -e "$spec"
    touch "$stamp"
  fi
}
