#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 on 127.0.0.1 for the persistence tests and print the line
# to export, e.g.:  eval "$(scripts/pg-test-server.sh)"
#
#   PG_PORT (default 5433)   PG_DATA (default /tmp/bwo-pg-<port>)
#   scripts/pg-test-server.sh stop     stops it again
#
# Installs postgresql via apt when it is missing and we are root. Runs the server as the
# `postgres` user when started as root (initdb refuses root). Progress goes to stderr; stdout
# carries only the export line.
set -euo pipefail

PG_PORT="${PG_PORT:-5433}"
PG_DATA="${PG_DATA:-/tmp/bwo-pg-${PG_PORT}}"
PG_USER=bwo
PG_PASSWORD=bwo
PG_DB=bwo_test
log() { echo "pg-test-server: $*" >&2; }

find_bindir() {
    local d
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return 0
    fi
    return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing postgresql (apt)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql-15 >&2 || apt-get install -y -qq postgresql >&2
        BINDIR="$(find_bindir)"
    else
        log "PostgreSQL is not installed; run: sudo apt-get install -y postgresql"
        exit 1
    fi
fi

# Run a command as the owner of the data directory.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

if [ "${1:-}" = "stop" ]; then
    as_owner "$BINDIR/pg_ctl" -D "$PG_DATA" -m fast stop >&2 || true
    exit 0
fi

if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb in $PG_DATA"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DATA"
    as_owner "$BINDIR/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
        || as_owner "$BINDIR/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale >&2
fi

if ! as_owner "$BINDIR/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "starting on 127.0.0.1:$PG_PORT"
    as_owner "$BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DATA -c fsync=off -c full_page_writes=off" start >&2
fi

PSQL=("$BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" != 1 ]; then
    "${PSQL[@]}" -d postgres -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB" >&2
fi
if [ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" != 1 ]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $PG_DB OWNER $PG_USER" >&2
fi

echo "export BWO_PG_URL=postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
