#!/usr/bin/env bash
# Faults under load, two of them:
# 1. wrk loads /login through nginx while herald-auth is killed with SIGKILL a third of the way in; the
#    supervisor (scripts/lib.sh: start_programs, what `make run` and `make test` use) starts it again.
#    Prints wrk's requests, its non-2xx answers and socket errors, when the new herald-auth was running
#    and when /login answered 200 again (a probe every ~10 ms from the kill on), and whether any other
#    program was touched.
# 2. PostgreSQL is stopped (fast: every connection cut) and started again while wrk loads /account and a
#    client logs in again and again. Prints /account's answers by status (bench/status-counts.lua), when
#    it answered 200 again, and whether each login answered 303 has its session and no other one does.
# Figures, not tests (SupervisorTests and PostgresRestartTests assert): it fails only when a page never
# comes back. Its own throwaway stack: PostgreSQL, the programs, nginx; all removed afterwards.
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
LOGINS_PID=
cleanup() {
    local status=$?
    set +e
    trap '' INT TERM
    trap - EXIT
    [ -n "$WRK_PID" ] && kill -INT "$WRK_PID" 2>/dev/null && wait "$WRK_PID"
    [ -n "$LOGINS_PID" ] && kill "$LOGINS_PID" 2>/dev/null && wait "$LOGINS_PID"
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

# PostgreSQL restarted under load: wrk loads /account (a session lookup and a query) while a client
# logs in again and again (each login writes its session and audit rows), and PostgreSQL is stopped
# (fast: every connection cut) and started again a third of the way in. Prints the answers by status
# (503 "Temporarily unavailable" is expected while it is down; a 500 never is), when /account answered
# 200 again after PostgreSQL was back, and whether every login answered 303 has its session and no
# other does.
log "PostgreSQL restart: signing a user up"
SESSION=$(sign_up_by_mail "$BASE" "$TMP/pg-socket" "$PG_PORT" "$TMP" "Fault Tester" faults@example.com "correct horse fault staple")
[ -n "$SESSION" ] || die "could not sign the fault user up (see $TMP/signup-confirm.h)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: __Host-herald_session=$SESSION" "$BASE/account")" = 200 ] \
    || die "GET /account does not answer 200 before the restart"
USER_ID=$(psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c "SELECT id FROM users WHERE email = 'faults@example.com'")
SESSIONS_BEFORE=$(psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c "SELECT count(*) FROM sessions WHERE user_id = $USER_ID")

log "wrk -t2 -c$CONNECTIONS -d${DURATION}s on /account and logins one after another; PostgreSQL restarted after $((DURATION / 3)) s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERALD_ROOT/bench/status-counts.lua" -H "Cookie: __Host-herald_session=$SESSION" \
    "$BASE/account" >"$TMP/wrk-pg.out" 2>&1 &
WRK_PID=$!
(
    end=$(($(date +%s) + DURATION))
    while [ "$(date +%s)" -lt "$end" ]; do
        curl -s -o /dev/null -m 10 -w '%{http_code}\n' -H "Cookie: __Host-herald_csrf=$CSRF" --data-urlencode "csrf=$CSRF" \
            --data-urlencode "email=faults@example.com" --data-urlencode "password=correct horse fault staple" "$BASE/login" || echo 000
    done >"$TMP/logins.status"
) &
LOGINS_PID=$!
sleep $((DURATION / 3))
STOPPED=$(date +%s%N)
stop_pg "$TMP/pg"
DOWN_MS=$(ms_since "$STOPPED")
start_pg "$TMP/pg" "$TMP/pg-socket" "$PG_PORT"
STARTED=$(date +%s%N)
PG_RESTART_MS=$(ms_since "$STOPPED")
ACCOUNT_BACK_MS=
while [ -z "$ACCOUNT_BACK_MS" ]; do
    if [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' -H "Cookie: __Host-herald_session=$SESSION" "$BASE/account")" = 200 ]; then
        ACCOUNT_BACK_MS=$(ms_since "$STARTED")
    else
        [ "$(ms_since "$STARTED")" -lt 15000 ] || die "/account did not answer 200 within 15 s of PostgreSQL's start"
        sleep 0.01
    fi
done
wait "$WRK_PID"
WRK_PID=
wait "$LOGINS_PID" || true
LOGINS_PID=

STATUSES=$(awk '$1 == "status" { printf "%s%s: %s", sep, $2, $3; sep = ", " }' "$TMP/wrk-pg.out")
SERVER_ERRORS=$(awk '$1 == "status" && $2 >= 500 && $2 != 503 { n += $3 } END { print n + 0 }' "$TMP/wrk-pg.out")
LOGINS_OK=$(grep -c '^303$' "$TMP/logins.status" || true)
LOGIN_STATUSES=$(sort "$TMP/logins.status" | uniq -c | awk '{ printf "%s%s: %s", sep, $2, $1; sep = ", " }')
SESSIONS_AFTER=$(psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c "SELECT count(*) FROM sessions WHERE user_id = $USER_ID")
NEW_SESSIONS=$((SESSIONS_AFTER - SESSIONS_BEFORE))
PG_500_LINES=$(cat "$TMP"/logs/herald-*.log | grep -c 'status=500' || true)

echo
echo "Faults — PostgreSQL stopped (fast) and started again under wrk -t2 -c$CONNECTIONS -d${DURATION}s on /account, with logins one after another:"
printf '  %-44s %s\n' "PostgreSQL down (stop and start)" "$PG_RESTART_MS ms (stopped after $DOWN_MS ms)"
printf '  %-44s %s\n' "/account answers by status" "${STATUSES:-?}"
printf '  %-44s %s\n' "5xx other than 503 (/account)" "$SERVER_ERRORS; status=500 lines in the programs' logs: $PG_500_LINES"
printf '  %-44s %s\n' "/account answered 200 again after" "$ACCOUNT_BACK_MS ms of PostgreSQL running"
printf '  %-44s %s\n' "logins by status" "${LOGIN_STATUSES:-none}"
printf '  %-44s %s\n' "sessions written for them" "$NEW_SESSIONS (the logins answered 303: $LOGINS_OK)"
