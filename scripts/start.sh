#!/usr/bin/env bash
# Start bwo-desktop from a fresh machine: system packages, venv, and demo data when there is
# no database yet. Usage: bash scripts/start.sh [--db PATH]
set -euo pipefail
source "$(dirname "$0")/setup.sh" ""
bwo_ensure_apt "${BWO_APT_QT[@]}"
bwo_ensure_python
cd "$BWO_ROOT"

DB=""
if [ "${1:-}" = "--db" ] && [ -n "${2:-}" ]; then DB="$2"; fi
if [ -z "$DB" ]; then
  DB="$("$BWO_VENV/bin/python" -c 'from bwo_desktop.paths import default_db_path; print(default_db_path())')"
fi
if [ ! -f "$DB" ]; then
  export BWO_PASSPHRASE="${BWO_PASSPHRASE:-demo-wachtwoord-bwo}"
  echo ">> Nog geen database: demogegevens in $DB (wachtwoordzin: $BWO_PASSPHRASE)"
  mkdir -p "$(dirname "$DB")"
  "$BWO_VENV/bin/bwo-desktop" demo --db "$DB" --cases 60
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname -s)" = "Linux" ]; then
  # No screen (a server or container): run in a virtual one so the command still works.
  bwo_ensure_apt "${BWO_APT_WINDOW[@]}"
  echo ">> Geen beeldscherm gevonden: start in een virtueel scherm (xvfb-run)"
  exec xvfb-run -a -s "-screen 0 1366x768x24" "$BWO_VENV/bin/bwo-desktop" --db "$DB"
fi
exec "$BWO_VENV/bin/bwo-desktop" --db "$DB"
