#!/usr/bin/env bash
# `make run`: install what is missing, build, create the local cluster under .data/ (first run
# only), migrate, and run PostgreSQL, the FastCGI programs and nginx until Ctrl-C or SIGTERM.
# HERALD_STANDIN=1 also runs the platform stand-in (Tests/HeraldTests/Fixtures/oauth_standin.py) and
# points every platform at it, so accounts can be connected and posts published without the real ones.
# HERALD_REPLICA=1 also makes a streaming replica of the local cluster (.data/pg-replica, made afresh on each start) and
# points HERALD_READ_DATABASE_URL at it (README: "Reading analytics from a replica").
# HERALD_DATA_DIR puts the cluster, sockets, logs and keyring elsewhere than .data (RunScriptTests);
# HERALD_BIN_DIR runs the programs built there instead of building.
# PostgreSQL takes peer authentication only, on a socket directory only its user can use; nginx's workers
# never run as root; a program that dies is restarted by the supervisor (scripts/lib.sh: start_programs).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oauth-standin.sh"
cd "$HERALD_ROOT"

PORT=${HERALD_PORT:-8080}
DATA=${HERALD_DATA_DIR:-$HERALD_ROOT/.data}
PG_PORT=${HERALD_PG_PORT:-5433}
CONFIGURATION=${CONFIGURATION:-debug}
STANDIN=${HERALD_STANDIN:-}
case $STANDIN in ""|0|1) ;; *) die "HERALD_STANDIN must be 1 (run the platform stand-in) or unset, not '$STANDIN'" ;; esac
REPLICA=${HERALD_REPLICA:-}
case $REPLICA in ""|0|1) ;; *) die "HERALD_REPLICA must be 1 (run a streaming replica) or unset, not '$REPLICA'" ;; esac

ensure_deps
if [ -n "${HERALD_BIN_DIR:-}" ]; then
    BIN=$HERALD_BIN_DIR
    [ -x "$BIN/herald-auth" ] || die "HERALD_BIN_DIR=$BIN holds no built herald-auth"
else
    log "building ($CONFIGURATION)"
    swift build -c "$CONFIGURATION" --disable-index-store
    BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)
fi

TAIL=
SLEEPER=
# Stops everything started, whatever state the start reached, and exits: on Ctrl-C or SIGTERM (to
# this script alone or to its whole process group), when a program gives up, or at the end. Nothing in
# it may end it early (no errexit), and another Ctrl-C does not interrupt it.
cleanup() {
    local status=$? pid
    set +e
    trap '' INT TERM
    trap - EXIT
    log "stopping"
    for pid in $TAIL $SLEEPER; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    stop_nginx "$DATA/nginx"
    stop_programs
    stop_oauth_standin
    stop_pg "$DATA/pg-replica"
    stop_pg "$DATA/pg"
    log "stopped"
    exit "$status"
}
trap cleanup EXIT
# Told to stop: a success.
trap 'exit 0' INT TERM

mkdir -p "$DATA/logs"
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
# Until told to stop (the traps above end the wait at once), or until the supervisor gives up on a
# program that keeps dying or the stand-in exits.
while true; do
    if ! process_alive "$SUPERVISOR_PID"; then
        log "the programs were stopped (one kept dying); see $DATA/logs"
        exit 1
    fi
    if [ -n "$OAUTH_STANDIN_PID" ] && ! process_alive "$OAUTH_STANDIN_PID"; then
        log "the platform stand-in exited; see $DATA/logs/oauth-standin.log"
        exit 1
    fi
    sleep 0.5 &
    SLEEPER=$!
    wait "$SLEEPER" || true
done
