#!/usr/bin/env bash
# `make run`: install what is missing, build, create the local cluster under .data/ (first run
# only), migrate, and run PostgreSQL, the FastCGI programs and nginx until Ctrl-C or SIGTERM.
# HERALD_STANDIN=1 also runs the platform stand-in (Tests/HeraldTests/Fixtures/oauth_standin.py) and
# points every platform at it, so accounts can be connected and posts published without the real ones.
# HERALD_REPLICA=1 also makes a streaming replica of the local cluster (.data/pg-replica, made afresh on each start) and
# points HERALD_READ_DATABASE_URL at it (README: "Reading analytics from a replica").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oauth-standin.sh"
cd "$HERALD_ROOT"

PORT=${HERALD_PORT:-8080}
DATA=$HERALD_ROOT/.data
PG_PORT=${HERALD_PG_PORT:-5433}
CONFIGURATION=${CONFIGURATION:-debug}
STANDIN=${HERALD_STANDIN:-}
case $STANDIN in ""|0|1) ;; *) die "HERALD_STANDIN must be 1 (run the platform stand-in) or unset, not '$STANDIN'" ;; esac
REPLICA=${HERALD_REPLICA:-}
case $REPLICA in ""|0|1) ;; *) die "HERALD_REPLICA must be 1 (run a streaming replica) or unset, not '$REPLICA'" ;; esac

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
    stop_oauth_standin
    stop_pg "$DATA/pg-replica"
    stop_pg "$DATA/pg"
    log "stopped"
}
# Ctrl-C or SIGTERM ends the script (so the wait loop below does not outlive what it watched), and
# leaving runs cleanup once.
trap cleanup EXIT
trap 'exit 0' INT TERM

create_roles "$DATA/pg-socket" "$PG_PORT"
"$BIN/heraldctl" migrate up
# The keyring that seals OAuth tokens: made once, then kept (back it up apart from the database).
[ -f "$HERALD_KEYRING_FILE" ] || "$BIN/heraldctl" keys init
if [ "$REPLICA" = 1 ]; then
    # Its own socket directory, so the port next to the primary's is free whatever runs on the machine.
    REPLICA_PORT=$((PG_PORT + 1))
    log "making a streaming replica in .data/pg-replica (socket .data/pg-replica-socket, port $REPLICA_PORT)"
    make_replica "$DATA/pg" "$DATA/pg-socket" "$PG_PORT" "$DATA/pg-replica" "$DATA/pg-replica-socket" "$REPLICA_PORT"
    start_pg "$DATA/pg-replica" "$DATA/pg-replica-socket" "$REPLICA_PORT"
    export HERALD_READ_DATABASE_URL=${HERALD_READ_DATABASE_URL:-"host=$DATA/pg-replica-socket port=$REPLICA_PORT dbname=herald user=herald_app"}
fi
if [ "$STANDIN" = 1 ]; then
    # Exports the platforms' clients, endpoints and publishing APIs (and the one Mastodon server
    # allowed, the Bluesky server) pointing at the stand-in, for the programs and herald-worker.
    start_oauth_standin "$DATA/logs"
fi
start_programs "$BIN" "$DATA/logs"
render_nginx "$DATA/nginx" "$PORT" "$DATA/run" "$DATA/logs/access.log"
stop_nginx "$DATA/nginx"
start_nginx "$DATA/nginx"

echo "Herald is running at http://127.0.0.1:$PORT"
if [ "$STANDIN" = 1 ]; then
    echo "The platform stand-in (HERALD_STANDIN=1) listens at $OAUTH_STANDIN_URL: X, LinkedIn, Reddit, Bluesky and Mastodon point there"
    echo "(Mastodon server: $OAUTH_STANDIN_URL; Bluesky: any handle, an app password like abcd-efgh-ijkl-mnop; it forgets everything when this stops;"
    echo " what arrived: curl '$OAUTH_STANDIN_URL/_control/posts?platform=mastodon'; its log: .data/logs/oauth-standin.log)"
fi
if [ "$REPLICA" = 1 ]; then
    echo "Analytics read from the streaming replica in .data/pg-replica (HERALD_READ_DATABASE_URL='$HERALD_READ_DATABASE_URL')"
fi
echo "(logs in .data/logs; mail is kept in the outbox: HERALD_OWNER_DATABASE_URL='$HERALD_OWNER_DATABASE_URL' $BIN/heraldctl mail outbox; Ctrl-C stops)"
tail -n 0 -F "$DATA/logs/herald-auth.log" &
TAIL=$!
# Wait until a program dies or we are told to stop.
while true; do
    for pid in "${PROGRAM_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || { log "a Herald program exited; see .data/logs"; exit 1; }
    done
    if [ -n "$OAUTH_STANDIN_PID" ] && ! kill -0 "$OAUTH_STANDIN_PID" 2>/dev/null; then
        log "the platform stand-in exited; see .data/logs/oauth-standin.log"
        exit 1
    fi
    sleep 1 &
    wait $! || true
done
