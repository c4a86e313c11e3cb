#!/usr/bin/env bash
# `make run`: install what is missing, build, create the local cluster under .data/ (first run
# only), migrate, and run PostgreSQL, the FastCGI programs and nginx until Ctrl-C or SIGTERM.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$HERALD_ROOT"

PORT=${HERALD_PORT:-8080}
DATA=$HERALD_ROOT/.data
PG_PORT=${HERALD_PG_PORT:-5433}
CONFIGURATION=${CONFIGURATION:-debug}

ensure_deps
log "building ($CONFIGURATION)"
swift build -c "$CONFIGURATION" --disable-index-store
BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)

mkdir -p "$DATA/run" "$DATA/logs"
if [ -f "$DATA/pg/postmaster.pid" ] && ! kill -0 "$(head -1 "$DATA/pg/postmaster.pid")" 2>/dev/null; then
    rm -f "$DATA/pg/postmaster.pid"
fi
init_pg "$DATA/pg"
stop_pg "$DATA/pg"   # a cluster left running by a killed `make run`
start_pg "$DATA/pg" "$DATA/pg-socket" "$PG_PORT"

export HERALD_DATABASE_URL=${HERALD_DATABASE_URL:-"host=$DATA/pg-socket port=$PG_PORT dbname=herald user=herald_app"}
export HERALD_OWNER_DATABASE_URL=${HERALD_OWNER_DATABASE_URL:-"host=$DATA/pg-socket port=$PG_PORT dbname=herald user=herald_owner"}
export HERALD_SOCKET_DIR=$DATA/run
export HERALD_MIGRATIONS_DIR=$HERALD_ROOT/migrations
export HERALD_BASE_URL=${HERALD_BASE_URL:-"http://127.0.0.1:$PORT"}
export HERALD_KEYRING_FILE=${HERALD_KEYRING_FILE:-$DATA/keyring}

TAIL=
cleanup() {
    trap - INT TERM EXIT
    log "stopping"
    [ -n "$TAIL" ] && kill "$TAIL" 2>/dev/null
    stop_nginx "$DATA/nginx"
    stop_programs
    stop_pg "$DATA/pg"
    log "stopped"
}
trap cleanup INT TERM EXIT

create_roles "$DATA/pg-socket" "$PG_PORT"
"$BIN/heraldctl" migrate up
# The keyring that seals OAuth tokens: made once, then kept (back it up apart from the database).
[ -f "$HERALD_KEYRING_FILE" ] || "$BIN/heraldctl" keys init
start_programs "$BIN" "$DATA/logs"
render_nginx "$DATA/nginx" "$PORT" "$DATA/run" "$DATA/logs/access.log"
stop_nginx "$DATA/nginx"
start_nginx "$DATA/nginx"

echo "Herald is running at http://127.0.0.1:$PORT"
echo "(logs in .data/logs; mail is kept in the outbox: HERALD_OWNER_DATABASE_URL='$HERALD_OWNER_DATABASE_URL' $BIN/heraldctl mail outbox; Ctrl-C stops)"
tail -n 0 -F "$DATA/logs/herald-auth.log" &
TAIL=$!
# Wait until a program dies or we are told to stop.
while true; do
    for pid in "${PROGRAM_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || { log "a Herald program exited; see .data/logs"; exit 1; }
    done
    sleep 1 &
    wait $! || true
done
