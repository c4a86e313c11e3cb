#!/usr/bin/env bash
# Faults under load: wrk loads /login through nginx while herald-auth is killed with SIGKILL a third of
# the way in; the supervisor (scripts/lib.sh: start_programs, what `make run` and `make test` use) starts
# it again. Prints wrk's requests, its non-2xx answers and socket errors, when the new herald-auth was
# running and when /login answered 200 again (a probe every ~10 ms from the kill on), and whether any
# other program was touched. A figure, not a test (SupervisorTests asserts): it fails only when /login
# never comes back. Its own throwaway stack: PostgreSQL, the programs, nginx; all removed afterwards.
# FAULT_SECONDS (10) is wrk's duration; HERALD_BIN_DIR uses programs built there (`make bench` passes its
# release build) instead of building (CONFIGURATION, debug by default).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$HERALD_ROOT"

DURATION=${FAULT_SECONDS:-10}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] && [ "$DURATION" -ge 3 ] || die "FAULT_SECONDS must be a whole number of seconds, 3 or more, not '$DURATION'"
CONNECTIONS=32
export HERALD_THREADS=${HERALD_THREADS:-64}

ensure_deps wrk
command -v curl >/dev/null || die "curl is needed"
if [ -n "${HERALD_BIN_DIR:-}" ]; then
    BIN=$HERALD_BIN_DIR
else
    CONFIGURATION=${CONFIGURATION:-debug}
    log "building ($CONFIGURATION)"
    swift build -c "$CONFIGURATION" --disable-index-store
    BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)
fi

TMP=$(mktemp -d /tmp/herald-faults.XXXXXX)
chmod 755 "$TMP"
WRK_PID=
cleanup() {
    local status=$?
    set +e
    trap '' INT TERM
    trap - EXIT
    [ -n "$WRK_PID" ] && kill -INT "$WRK_PID" 2>/dev/null && wait "$WRK_PID"
    stop_nginx "$TMP/nginx"
    stop_programs
    stop_pg "$TMP/pg"
    [ $status -ne 0 ] && tail -n 15 "$TMP"/logs/*.log >&2 2>/dev/null
    rm -rf "$TMP"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PG_PORT=$(free_port 57433)
init_pg "$TMP/pg"
start_pg "$TMP/pg" "$TMP/pg-socket" "$PG_PORT"
create_roles "$TMP/pg-socket" "$PG_PORT"
export HERALD_DATABASE_URL="host=$TMP/pg-socket port=$PG_PORT dbname=herald user=herald_app"
export HERALD_OWNER_DATABASE_URL="host=$TMP/pg-socket port=$PG_PORT dbname=herald user=herald_owner"
export HERALD_SOCKET_DIR=$TMP/run
export HERALD_MIGRATIONS_DIR=$HERALD_ROOT/migrations
export HERALD_KEYRING_FILE=$TMP/keyring
"$BIN/heraldctl" migrate up >/dev/null
"$BIN/heraldctl" keys init >/dev/null
HTTP_PORT=$(free_port 18280)
BASE="http://127.0.0.1:$HTTP_PORT"
export HERALD_BASE_URL=$BASE
export HERALD_METRICS_PORT=$(free_port $((HTTP_PORT + 1000)))
start_programs "$BIN" "$TMP/logs" --no-daemons
render_nginx "$TMP/nginx" "$HTTP_PORT" "$TMP/run" off
start_nginx "$TMP/nginx"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/login")" = 200 ] || die "GET /login does not answer 200: not loading an error page"

cp "$TMP/run/programs.pid" "$TMP/pids.before"
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

log "wrk -t2 -c$CONNECTIONS -d${DURATION}s on /login; herald-auth gets SIGKILL after $((DURATION / 3)) s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE/login" >"$TMP/wrk.out" 2>&1 &
WRK_PID=$!
sleep $((DURATION / 3))
OLD=$(program_pid herald-auth)
KILLED=$(date +%s%N)
kill -KILL "$OLD"
RUNNING_MS=
RESUMED_MS=
PROBE_FAILURES=0
while [ -z "$RESUMED_MS" ]; do
    if [ -z "$RUNNING_MS" ] && [ "$(program_pid herald-auth)" != "$OLD" ]; then RUNNING_MS=$(ms_since "$KILLED"); fi
    if [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$BASE/login")" = 200 ]; then
        RESUMED_MS=$(ms_since "$KILLED")
    else
        PROBE_FAILURES=$((PROBE_FAILURES + 1))
        [ "$(ms_since "$KILLED")" -lt 10000 ] || die "/login did not answer 200 within 10 s of the kill"
        sleep 0.01
    fi
done
[ -n "$RUNNING_MS" ] || RUNNING_MS=$(ms_since "$KILLED")
wait "$WRK_PID"
WRK_PID=

REQUESTS=$(awk '/requests in/ { print $1 }' "$TMP/wrk.out")
RATE=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$TMP/wrk.out")
NON_2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$TMP/wrk.out")
SOCKET_ERRORS=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$TMP/wrk.out")
OTHERS_RESTARTED=$(grep -v '^herald-auth ' "$TMP/pids.before" | while read -r name pid; do [ "$(program_pid "$name")" = "$pid" ] || echo "$name"; done | wc -l)
LISTENING=$(grep -c 'msg=listening' "$TMP/logs/herald-auth.log" || true)

echo
echo "Faults — herald-auth killed with SIGKILL under wrk -t2 -c$CONNECTIONS -d${DURATION}s on /login ($(nproc) cores, $HERALD_THREADS threads):"
printf '  %-44s %s\n' "wrk requests" "${REQUESTS:-?} (${RATE:-?} req/s over the whole run)"
printf '  %-44s %s\n' "non-2xx answers (nginx's 502 page)" "${NON_2XX:-0}"
printf '  %-44s %s\n' "socket errors" "${SOCKET_ERRORS:-0}"
printf '  %-44s %s\n' "new herald-auth running after" "$RUNNING_MS ms (the supervisor checks every 0.2 s)"
printf '  %-44s %s\n' "/login answered 200 again after" "$RESUMED_MS ms ($PROBE_FAILURES probe requests failed before)"
printf '  %-44s %s\n' "other programs restarted" "$OTHERS_RESTARTED"
printf '  %-44s %s\n' "herald-auth starts in its log" "$LISTENING (1 + the restart)"
