#!/usr/bin/env bash
# `make bench`: release build, a throwaway PostgreSQL cluster + nginx + herald-auth + a C libfcgi
# "hello" (bench/hello.c), then the same load on each target, one after the other:
#   nginx serving a static file, the C hello, Herald's login page (no DB), Herald's account page
#   (session lookup, one query), the C reference of the account page (bench/reference.c: the statements
#   the page ran, captured from PostgreSQL's log by bench/plan.py, and its bytes) and pgbench running
#   the session query (bench/account.pgbench). Prints a table and its ratios; then 1,000 logins at once. A benchmark, not a test: it checks each URL answers what it
# should before loading it, but never asserts a figure. BENCH_SECONDS sets the duration (10).
# Then key rotation, credit spends, the calendar and posts pages, and publishing (bench/publishing.sh:
# herald-worker sending 10,000 due targets to the platform stand-in), and analytics (bench/analytics.sh:
# the 90-day overview over 10,000,000 metric snapshots loaded by `heraldctl demo`, BENCH_ANALYTICS_SNAPSHOTS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oauth-standin.sh"
cd "$HERALD_ROOT"

DURATION=${BENCH_SECONDS:-10}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a whole number of seconds, not '$DURATION'"
WARMUP=2
CONNECTIONS=32
LOAD_THREADS=2
export HERALD_THREADS=${HERALD_THREADS:-64}
IDLE_MINUTES=${HERALD_SESSION_IDLE_MINUTES:-1440}

ensure_deps wrk
PGBENCH=$(pg_bindir)/pgbench
[ -x "$PGBENCH" ] || die "pgbench not found in $(pg_bindir)"
command -v curl >/dev/null || die "curl is needed"
command -v cc >/dev/null || die "a C compiler (cc) is needed for bench/hello.c"

# bench/account.pgbench must run exactly the query the account page runs.
query_of_sessions_lookup() {
    awk '/static func lookup\(/ { f = 1 } f && /queryRow\(/ { w = 1 } w && !q && /"""/ { q = 1; next } q && /^ *"""/ { exit } q { print }' \
        Sources/HeraldIdentity/Sessions.swift | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}
query_of_pgbench_script() {
    grep -v '^--' bench/account.pgbench | sed -e 's/:token_hash/$1/g' -e 's/:idle_minutes/$2/g' | tr -s ' \n' ' ' \
        | sed 's/^ //; s/ $//; s/;$//'
}
if [ "$(query_of_sessions_lookup)" != "$(query_of_pgbench_script)" ]; then
    printf 'Sessions.lookup:   %s\nbench/account.pgbench: %s\n' "$(query_of_sessions_lookup)" "$(query_of_pgbench_script)" >&2
    die "bench/account.pgbench no longer runs the query of Sessions.lookup: update it"
fi

log "building (release)"
SCRATCH=()
[ -n "${HERALD_SCRATCH_PATH:-}" ] && SCRATCH=(--scratch-path "$HERALD_SCRATCH_PATH")
swift build -c release --disable-index-store "${SCRATCH[@]}"
BIN=$(swift build -c release --show-bin-path "${SCRATCH[@]}")

TMP=$(mktemp -d /tmp/herald-bench.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$TMP/run" "$TMP/logs" "$TMP/out"
PG_PORT=$(free_port 56433)
HELLO_PID=
REF_PID=
SAMPLER_PID=
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_nginx "$TMP/nginx"   # returns once nginx is gone, before its directory goes
    local pid
    for pid in "$HELLO_PID" "$REF_PID" "$SAMPLER_PID"; do
        if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    done
    if [ -n "${WRK_PID:-}" ]; then kill -INT "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" 2>/dev/null || true; fi
    if [ -n "${PUBLISH_WORKER_PID:-}" ]; then kill -TERM "$PUBLISH_WORKER_PID" 2>/dev/null || true; wait "$PUBLISH_WORKER_PID" 2>/dev/null || true; fi
    stop_oauth_standin
    stop_programs
    stop_pg "$TMP/pg"
    if [ $status -ne 0 ] && [ -d "$TMP/logs" ]; then
        log "last lines of the logs:"
        tail -n 15 "$TMP"/logs/*.log "$TMP/nginx/error.log" >&2 2>/dev/null || true
    fi
    rm -rf "$TMP"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc -O2 -o "$TMP/hello" bench/hello.c -lfcgi -lpthread
cc -O2 -o "$TMP/reference" bench/reference.c -I/usr/include/postgresql -lfcgi -lpq -lsodium -lpthread
mkdir -p "$TMP/ref"

init_pg "$TMP/pg"
start_pg "$TMP/pg" "$TMP/pg-socket" "$PG_PORT"
create_roles "$TMP/pg-socket" "$PG_PORT"
conn() { echo "host=$TMP/pg-socket port=$PG_PORT dbname=herald user=$1"; }
export HERALD_DATABASE_URL=$(conn herald_app)
export HERALD_OWNER_DATABASE_URL=$(conn herald_owner)
export HERALD_SOCKET_DIR=$TMP/run
export HERALD_MIGRATIONS_DIR=$HERALD_ROOT/migrations
export HERALD_SESSION_IDLE_MINUTES=$IDLE_MINUTES
"$BIN/heraldctl" migrate up >/dev/null

HTTP_PORT=$(free_port 18180)
BASE="http://127.0.0.1:$HTTP_PORT"
export HERALD_BASE_URL=$BASE
# No herald-worker here: the publishing section starts its own (its figures are its alone), and an idle
# one would count among the herald_app connections below.
start_programs "$BIN" "$TMP/logs" --no-daemons
AUTH_PID=$(program_pid herald-auth)
# PostgreSQL connections of Herald's programs (role herald_app; not pgbench's, not the C reference's),
# twice a second for the whole bench: the largest count is printed at the end.
herald_connections() {
    psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d postgres -c "SELECT count(*) FROM pg_stat_activity
        WHERE usename = 'herald_app' AND application_name NOT LIKE 'pgbench%' AND application_name <> 'bench-reference'" 2>/dev/null
}
( while sleep 0.5; do herald_connections; done >"$TMP/out/connections" ) &
SAMPLER_PID=$!
"$TMP/hello" "$TMP/run/hello.sock" "$HERALD_THREADS" >>"$TMP/logs/hello.log" 2>&1 &
HELLO_PID=$!
for _ in $(seq 100); do [ -S "$TMP/run/hello.sock" ] && break; sleep 0.1; done
[ -S "$TMP/run/hello.sock" ] || die "the C hello did not start"

# The C programs get the FastCGI settings and upstream keepalive every Herald program gets.
cat >"$TMP/upstreams.conf" <<EOF
    upstream bench_hello {
        server unix:$TMP/run/hello.sock;
        keepalive $HERALD_UPSTREAM_KEEPALIVE;
    }
    upstream bench_reference {
        server unix:$TMP/run/reference.sock;
        keepalive $HERALD_UPSTREAM_KEEPALIVE;
    }
EOF
cat >"$TMP/locations.conf" <<EOF
        location = /bench/hello {
            include $TMP/nginx/herald_fastcgi.conf;
            fastcgi_pass bench_hello;
        }
        location ^~ /bench/ref/ {
            include $TMP/nginx/herald_fastcgi.conf;
            fastcgi_pass bench_reference;
        }
EOF
export HERALD_METRICS_PORT=$(free_port $((HTTP_PORT + 1000)))
render_nginx "$TMP/nginx" "$HTTP_PORT" "$TMP/run" off "$TMP/upstreams.conf" "$TMP/locations.conf"
start_nginx "$TMP/nginx"

# One user, signed up through the pages; its session cookie is what the account page is loaded with.
header_cookie() { tr -d '\r' <"$1" | sed -n "s/^[Ss]et-[Cc]ookie: $2=\([^;]*\).*/\1/p" | tail -1; }
# demo_login TAG EMAIL: logs a `heraldctl demo` user in through the pages (its headers in $TMP/out/TAG-login*.h)
# and prints the Cookie header of its session.
demo_login() {
    local tag=$1 email=$2 csrf session
    curl -sS -D "$TMP/out/$tag-login-form.h" -o /dev/null "$BASE/login"
    csrf=$(header_cookie "$TMP/out/$tag-login-form.h" __Host-herald_csrf)
    curl -sS -D "$TMP/out/$tag-login.h" -o /dev/null -H "Cookie: __Host-herald_csrf=$csrf" --data-urlencode "csrf=$csrf" \
        --data-urlencode "email=$email" --data-urlencode "password=herald demo password" "$BASE/login"
    session=$(header_cookie "$TMP/out/$tag-login.h" __Host-herald_session)
    [ -n "$session" ] || die "$email could not log in (see $TMP/out/$tag-login.h)"
    echo "Cookie: __Host-herald_session=$session"
}
# running_pid NAME: program_pid, or stop when the program does not run.
running_pid() {
    local pid
    pid=$(program_pid "$1")
    [ -n "$pid" ] || die "$1 is not among the programs started (Sources/programs.manifest)"
    echo "$pid"
}
USER_NAME="Bench Userson"
SESSION=$(sign_up_by_mail "$BASE" "$TMP/pg-socket" "$PG_PORT" "$TMP/out" "$USER_NAME" bench@example.com "correct horse bench staple")
[ -n "$SESSION" ] || die "the sign-up link did not log the bench user in (see $TMP/out/signup-confirm.h)"
SESSION_COOKIE="Cookie: __Host-herald_session=$SESSION"
TOKEN_HASH=$(printf '%s' "$SESSION" | sha256sum | cut -d' ' -f1)

# check NAME URL EXPECTED [curl options]: status 200 and the expected text, or stop here.
declare -A BYTES
check() {
    local name=$1 url=$2 expected=$3; shift 3
    local status
    status=$(curl -sS -o "$TMP/out/$name.body" -w '%{http_code}' "$@" "$url")
    if [ "$status" != 200 ] || ! grep -qF -- "$expected" "$TMP/out/$name.body"; then
        head -c 600 "$TMP/out/$name.body" >&2
        die "$url answered $status without '$expected': not benchmarking an error page"
    fi
    BYTES[$name]=$(wc -c <"$TMP/out/$name.body")
}
check static "$BASE/style.css" "$(head -1 public/style.css)"
check hello "$BASE/bench/hello" "Hello from C"
check login "$BASE/login" "<h1>Log in</h1>"
check account "$BASE/account" "<dd>$USER_NAME</dd>" -H "$SESSION_COOKIE"

# capture_plan NAME URL TOKEN_HASH [curl options]: the statements the page at URL runs, logged by PostgreSQL
# for one request (after a first one, so that nothing done once per session is in it), and its bytes:
# $TMP/ref/NAME.plan and NAME.body for bench/reference.c.
set_statement_log() {
    psql -X -q -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d postgres \
        -c "ALTER SYSTEM SET log_min_duration_statement = $1" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.3
}
capture_plan() {
    local name=$1 url=$2 hash=$3 from; shift 3
    curl -sS -o /dev/null "$@" "$url"
    set_statement_log 0
    from=$(stat -c %s "$TMP/pg/server.log")
    curl -sS -o "$TMP/ref/$name.body" "$@" "$url"
    sleep 0.3
    tail -c +"$((from + 1))" "$TMP/pg/server.log" >"$TMP/ref/$name.log"
    set_statement_log -1
    python3 bench/plan.py "$TMP/ref/$name.log" "$hash" >"$TMP/ref/$name.plan" \
        || die "no plan for $name from PostgreSQL's log (see $TMP/ref/$name.log)"
}
# start_reference NAME…: (re)starts the C reference with these pages' plans and bodies.
start_reference() {
    if [ -n "$REF_PID" ]; then kill -TERM "$REF_PID" 2>/dev/null || true; wait "$REF_PID" 2>/dev/null || true; fi
    rm -f "$TMP/run/reference.sock"
    "$TMP/reference" "$TMP/run/reference.sock" "$HERALD_THREADS" "$HERALD_DATABASE_URL application_name=bench-reference" "$TMP/ref" "$@" \
        >>"$TMP/logs/reference.log" 2>&1 &
    REF_PID=$!
    for _ in $(seq 100); do [ -S "$TMP/run/reference.sock" ] && break; sleep 0.1; done
    [ -S "$TMP/run/reference.sock" ] || die "the C reference did not start (see $TMP/logs/reference.log)"
}
# check_reference NAME EXPECTED [curl options]: the C reference answers NAME with Herald's bytes.
check_reference() {
    local name=$1 expected=$2; shift 2
    check "ref_$name" "$BASE/bench/ref/$name" "$expected" "$@"
    cmp -s "$TMP/out/ref_$name.body" "$TMP/ref/$name.body" || die "the C reference's $name page differs from Herald's"
}
capture_plan account "$BASE/account" "$TOKEN_HASH" -H "$SESSION_COOKIE"
start_reference account
check_reference account "<dd>$USER_NAME</dd>" -H "$SESSION_COOKIE"
ROWS=$(sed -e "s/:token_hash/'\\\\x$TOKEN_HASH'::bytea/" -e "s/:idle_minutes/$IDLE_MINUTES/" bench/account.pgbench \
    | psql -X -q -At -v ON_ERROR_STOP=1 -h "$TMP/pg-socket" -p "$PG_PORT" -U herald_app -d herald | wc -l)
[ "$ROWS" = 1 ] || die "bench/account.pgbench finds $ROWS rows for the bench user's session, not 1"

# CPU time (user + system, in clock ticks) of a process so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

# to_ms VALUE_WITH_UNIT (wrk prints 512.00us, 1.20ms, 1.01s)
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

declare -A RATE P50 P99 ERRORS CPU
# run_wrk NAME URL PID_FOR_CPU [wrk options]
run_wrk() {
    local name=$1 url=$2 pid=$3; shift 3
    log "wrk $name: ${WARMUP}s warm-up, ${DURATION}s measured"
    wrk -t"$LOAD_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$@" "$url" >/dev/null
    local before=0
    [ -n "$pid" ] && before=$(cpu_ticks "$pid")
    wrk -t"$LOAD_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$TMP/out/$name.wrk"
    local out=$TMP/out/$name.wrk
    RATE[$name]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    P50[$name]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    P99[$name]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    ERRORS[$name]=$(awk '/Non-2xx or 3xx responses:/ { e += $NF } /Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$out")
    CPU[$name]=-
    if [ -n "$pid" ]; then
        local ticks=$(( $(cpu_ticks "$pid") - before )) requests
        requests=$(awk '/requests in/ { print $1 }' "$out")
        CPU[$name]=$(awk -v t="$ticks" -v hz="$TICKS_PER_SECOND" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? t / hz * 1e6 / r : 0) }')
    fi
}

run_wrk static "$BASE/style.css" ""
run_wrk hello "$BASE/bench/hello" "$HELLO_PID"
run_wrk login "$BASE/login" "$AUTH_PID"
run_wrk account "$BASE/account" "$AUTH_PID" -H "$SESSION_COOKIE"
run_wrk ref_account "$BASE/bench/ref/account" "$REF_PID" -H "$SESSION_COOKIE"

log "pgbench account query: ${WARMUP}s warm-up, ${DURATION}s measured"
pgbench_run() {
    "$PGBENCH" -n -M prepared -c "$CONNECTIONS" -j "$LOAD_THREADS" -h "$TMP/pg-socket" -p "$PG_PORT" -U herald_app \
        -f "$HERALD_ROOT/bench/account.pgbench" -D token_hash="\\x$TOKEN_HASH" -D idle_minutes="$IDLE_MINUTES" "$@" herald
}
pgbench_run -T "$WARMUP" >/dev/null 2>&1
(cd "$TMP/out" && pgbench_run -T "$DURATION" -l --log-prefix=pgbench_txn) >"$TMP/out/pgbench.out" 2>&1 \
    || { cat "$TMP/out/pgbench.out" >&2; die "pgbench failed"; }
RATE[pgbench]=$(awk '/^tps = / { print $3; exit }' "$TMP/out/pgbench.out")
PG_AVG=$(awk '/^latency average = / { print $4; exit }' "$TMP/out/pgbench.out")
ERRORS[pgbench]=$(awk '/number of failed transactions:/ { print $5 + 0 }' "$TMP/out/pgbench.out")
: "${ERRORS[pgbench]:=0}"
# p50/p99 from pgbench's per-transaction log (third field: latency in µs).
cat "$TMP"/out/pgbench_txn.* | awk '{ print $3 }' | sort -n >"$TMP/out/pgbench.latencies"
pct() { awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.5); if (i < 1) i = 1; printf "%.2f", a[i] / 1000 }' "$TMP/out/pgbench.latencies"; }
P50[pgbench]=$(pct 50)
P99[pgbench]=$(pct 99)
CPU[pgbench]=-
BYTES[pgbench]=-

AUTH_RSS=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$AUTH_PID/status")
HELLO_RSS=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$HELLO_PID/status")
PG_CONNECTIONS=$(psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d postgres \
    -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'herald_app' AND application_name NOT LIKE 'pgbench%' AND application_name <> 'bench-reference'")
LOG_ERRORS=$(grep -c 'level=error' "$TMP/logs/herald-auth.log" || true)
kill -0 "$AUTH_PID" 2>/dev/null || die "herald-auth died during the run"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "-" }'; }
echo
echo "Herald bench — $(nproc) cores; wrk -t$LOAD_THREADS -c$CONNECTIONS -d${DURATION}s --latency through nginx (keepalive $HERALD_UPSTREAM_KEEPALIVE, fastcgi_keep_conn on),"
echo "pgbench -c$CONNECTIONS -j$LOAD_THREADS -T$DURATION -M prepared as herald_app; ${WARMUP}s warm-up before each row; herald-auth with $HERALD_THREADS threads."
echo
printf '%-36s %11s %9s %9s %8s %7s %11s\n' "target" "req/s" "p50 ms" "p99 ms" "bytes" "errors" "CPU µs/req"
row() { printf '%-36s %11.0f %9s %9s %8s %7s %11s\n' "$1" "${RATE[$2]}" "${P50[$2]}" "${P99[$2]}" "${BYTES[$2]}" "${ERRORS[$2]}" "${CPU[$2]}"; }
row "nginx static file (/style.css)" static
row "C libfcgi hello (bench/hello.c)" hello
row "Herald login page (no DB)" login
row "Herald account page (1 query)" account
row "C reference account page" ref_account
row "pgbench account query (TPS)" pgbench
echo
echo "login page ÷ C hello:    $(ratio "${RATE[login]}" "${RATE[hello]}")"
echo "account page ÷ C reference:  $(ratio "${RATE[account]}" "${RATE[ref_account]}") (bench/reference.c runs the page's $(head -1 "$TMP/ref/account.plan") statements and writes its bytes)"
echo "account page ÷ pgbench:  $(ratio "${RATE[account]}" "${RATE[pgbench]}") (pgbench alone keeps both cores on PostgreSQL: no ceiling for a page)"
echo
echo "pgbench's own figure is its latency average: $PG_AVG ms; its p50/p99 above come from its per-transaction log (-l)."
echo "CPU µs/req: user+system time of the FastCGI program alone (C hello or herald-auth) per request, from /proc."
echo "Memory after the run: herald-auth VmRSS $AUTH_RSS; C hello VmRSS $HELLO_RSS."
echo "PostgreSQL connections held by herald-auth: $PG_CONNECTIONS; error lines in its log: $LOG_ERRORS."

# BENCH_LOGINS (1,000) logins at once: POST /login with the bench user's password from as many clients
# together (4 curl processes, each with a quarter of them in parallel). Argon2id runs at most cores-many
# at a time and a login waits for its turn without holding a database connection; every login must be
# answered 303 (nginx's fastcgi_read_timeout is 60 s), and herald-auth's peak RSS stays bounded.
LOGINS=${BENCH_LOGINS:-1000}
[[ $LOGINS =~ ^[1-9][0-9]*$ ]] || die "BENCH_LOGINS must be a whole number, not '$LOGINS'"
LOGIN_CSRF=$(header_cookie "$TMP/out/signup-form.h" __Host-herald_csrf)
for k in 1 2 3 4; do
    for ((i = k; i <= LOGINS; i += 4)); do
        printf 'url = "%s/login"\nheader = "Cookie: __Host-herald_csrf=%s"\ndata = "csrf=%s&email=bench%%40example.com&password=correct+horse+bench+staple"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
            "$BASE" "$LOGIN_CSRF" "$LOGIN_CSRF"
    done >"$TMP/out/logins-$k.curl"
done
log "$LOGINS logins at once"
LOGIN_START=$(date +%s%N)
LOGIN_CURLS=()
for k in 1 2 3 4; do
    curl -sS --parallel --parallel-immediate --parallel-max $(((LOGINS + 3) / 4)) --max-time 120 -K "$TMP/out/logins-$k.curl" \
        >"$TMP/out/logins-$k.status" 2>>"$TMP/out/logins.err" &
    LOGIN_CURLS+=($!)
done
for pid in "${LOGIN_CURLS[@]}"; do wait "$pid" || true; done
LOGIN_SECONDS=$(awk -v a="$LOGIN_START" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
LOGIN_OK=$(cat "$TMP"/out/logins-*.status | grep -c '^303$' || true)
LOGIN_5XX=$(cat "$TMP"/out/logins-*.status | grep -c '^5' || true)
LOGIN_OTHER=$(( $(cat "$TMP"/out/logins-*.status | wc -l) - LOGIN_OK - LOGIN_5XX ))
AUTH_HWM=$(awk '/^VmHWM:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$AUTH_PID/status")
AUTH_RSS_AFTER=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$AUTH_PID/status")
echo
echo "$LOGINS logins at once (POST /login, Argon2id $(nproc) at a time): $LOGIN_OK answered 303, $LOGIN_5XX 5xx, $LOGIN_OTHER other" \
     "(no answer counts as 000); the last answered after ${LOGIN_SECONDS}s ($(awk -v n="$LOGINS" -v s="$LOGIN_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') logins/s);"
echo "herald-auth peak RSS (VmHWM, whole bench so far) $AUTH_HWM, RSS after $AUTH_RSS_AFTER."

# The pages that must not tell whether an address has an account answer as fast either way.
echo
log "the same answer whether or not an address has an account (bench/same-answer.py)"
python3 bench/same-answer.py "$BASE" -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald

# Key rotation beside live traffic: ROTATE_ROWS accounts (an access and a refresh token each) sealed
# under key 1 in 10 workspaces, key 2 promoted, then `heraldctl keys rotate` re-seals them all while
# wrk keeps loading the account page. The page's rate is counted from herald-auth's request log
# lines over a DURATION window before the run and over the run itself.
ROTATE_ROWS=${BENCH_ROTATE_ROWS:-100000}
[[ $ROTATE_ROWS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROTATE_ROWS must be a whole number, not '$ROTATE_ROWS'"
ROTATE_BATCH=500
export HERALD_KEYRING_FILE=$TMP/keyring
log "key rotation: sealing $ROTATE_ROWS accounts' tokens under key 1"
"$BIN/heraldctl" keys init >/dev/null
"$BIN/heraldctl" demo --workspaces 10 --posts 0 --metrics 0 --prefix benchkeys >/dev/null
FILL_START=$(date +%s.%N)
"$BIN/heraldctl" keys demo-tokens --count "$ROTATE_ROWS" >/dev/null 2>"$TMP/out/demo-tokens.err" \
    || { cat "$TMP/out/demo-tokens.err" >&2; die "heraldctl keys demo-tokens failed"; }
FILL_SECONDS=$(awk -v a="$FILL_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
"$BIN/heraldctl" keys add >/dev/null
"$BIN/heraldctl" keys promote 2 --no-wait >/dev/null
psql -X -q -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c 'VACUUM ANALYZE social_accounts'

requests_logged() { wc -l <"$TMP/logs/herald-auth.log"; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
log "key rotation: account page under load, ${DURATION}s before and during keys rotate"
wrk -t"$LOAD_THREADS" -c"$CONNECTIONS" -d300s -H "$SESSION_COOKIE" "$BASE/account" >"$TMP/out/rotate.wrk" 2>&1 &
WRK_PID=$!
sleep "$WARMUP"
BEFORE_N0=$(requests_logged); BEFORE_T0=$(now)
sleep "$DURATION"
BEFORE_N1=$(requests_logged); BEFORE_T1=$(now)
ROTATE_T0=$(now)
"$BIN/heraldctl" keys rotate --no-wait --batch "$ROTATE_BATCH" >"$TMP/out/rotate.out" 2>"$TMP/out/rotate.err" \
    || { cat "$TMP/out/rotate.err" >&2; die "heraldctl keys rotate failed"; }
ROTATE_T1=$(now)
DURING_N=$(( $(requests_logged) - BEFORE_N1 ))
kill -INT "$WRK_PID" 2>/dev/null || true
wait "$WRK_PID" 2>/dev/null || true
WRK_PID=
kill -0 "$AUTH_PID" 2>/dev/null || die "herald-auth died during the key rotation"
ROTATED=$(sed -n 's/^re-sealed \([0-9]*\) rows.*/\1/p' "$TMP/out/rotate.out")
[ "$ROTATED" = "$ROTATE_ROWS" ] || { cat "$TMP/out/rotate.out" "$TMP/out/rotate.err" >&2; die "keys rotate re-sealed '$ROTATED' rows, not $ROTATE_ROWS"; }
ROTATE_SECONDS=$(awk -v a="$ROTATE_T0" -v b="$ROTATE_T1" 'BEGIN { printf "%.2f", b - a }')
BEFORE_SECONDS=$(awk -v a="$BEFORE_T0" -v b="$BEFORE_T1" 'BEGIN { print b - a }')
BEFORE_RATE=$(rate $((BEFORE_N1 - BEFORE_N0)) "$BEFORE_SECONDS")
DURING_RATE=$(rate "$DURING_N" "$ROTATE_SECONDS")
ROTATE_ERRORS=$(awk '/Non-2xx or 3xx responses:/ { e += $NF } /Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$TMP/out/rotate.wrk")
LEFT=$("$BIN/heraldctl" keys status | awk '$1 == 1 { print $3 }')

echo
echo "Key rotation — heraldctl keys rotate --batch $ROTATE_BATCH over $ROTATE_ROWS accounts ($((2 * ROTATE_ROWS)) tokens, 10 workspaces; sealed in ${FILL_SECONDS}s),"
echo "while wrk -t$LOAD_THREADS -c$CONNECTIONS loads the account page:"
printf '  %-34s %s\n' "keys rotate" "$ROTATE_ROWS rows in $ROTATE_SECONDS s = $(rate "$ROTATE_ROWS" "$ROTATE_SECONDS") rows/s (wall clock, process start to exit)"
printf '  %-34s %s\n' "account page before (${DURATION}s)" "$BEFORE_RATE req/s"
printf '  %-34s %s\n' "account page during the rotation" "$DURING_RATE req/s ($(ratio "$DURING_RATE" "$BEFORE_RATE") of before); wrk errors over both: $ROTATE_ERRORS"
echo "  rows left under key 1 afterwards: ${LEFT:-?}; heraldctl's own line: $(cat "$TMP/out/rotate.out")"

# Credit spends: the transaction of Credits.spend(action:) (bench/credits-spend.pgbench, checked
# against Sources/HeraldBilling/Credits.swift) as herald_app from SPEND_CONNECTIONS connections,
# all against one workspace (they queue on its account's row lock) and spread over 100 workspaces.
SPEND_CONNECTIONS=16
query_of_spend_by_action() {
    awk '/static let spendByActionSQL = """/ { q = 1; next } q && /^ *"""/ { exit } q { print }' Sources/HeraldBilling/Credits.swift \
        | sed -e 's/\$1/:ws/; s/\$2/:key/; s/\$3/NULL/; s/\$4/NULL/; s/\$5/NULL/; s/\$6/'"'generate_post'"'/' \
        | tr -s ' \n' ' ' | sed 's/ RETURNING .*//; s/^ //; s/ $//'
}
query_of_spend_script() {
    awk '/^INSERT INTO credit_entries/ { q = 1 } q { print } q && /;$/ { exit }' bench/credits-spend.pgbench \
        | tr -s ' \n' ' ' | sed 's/ RETURNING .*//; s/^ //; s/ $//'
}
if [ "$(query_of_spend_by_action)" != "$(query_of_spend_script)" ]; then
    printf 'Credits.spendByActionSQL:     %s\nbench/credits-spend.pgbench: %s\n' "$(query_of_spend_by_action)" "$(query_of_spend_script)" >&2
    die "bench/credits-spend.pgbench no longer runs the INSERT of Credits.spend(action:): update it"
fi
log "credit spends: 100 workspaces with 1,000,000,000 credits each"
"$BIN/heraldctl" demo --workspaces 100 --posts 0 --metrics 0 --prefix benchcredits >/dev/null
for i in $(seq 100); do
    "$BIN/heraldctl" credits grant "benchcredits-$i" 1000000000 --reason "make bench" --key bench >/dev/null
done
read -r SPEND_FIRST SPEND_LAST < <(psql -X -q -At -F ' ' -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald \
    -c "SELECT min(id), max(id) FROM workspaces WHERE slug LIKE 'benchcredits-%'")
[ $((SPEND_LAST - SPEND_FIRST + 1)) = 100 ] || die "the 100 bench workspaces do not have consecutive ids ($SPEND_FIRST..$SPEND_LAST)"
declare -A SPEND_RATE SPEND_P50 SPEND_P99 SPEND_FAILED
# spend_bench NAME WORKSPACES
spend_bench() {
    local name=$1 count=$2
    spend_pgbench() {
        "$PGBENCH" -n -M prepared -c "$SPEND_CONNECTIONS" -j "$LOAD_THREADS" -h "$TMP/pg-socket" -p "$PG_PORT" -U herald_app \
            -f "$HERALD_ROOT/bench/credits-spend.pgbench" -D first="$SPEND_FIRST" -D count="$count" "$@" herald
    }
    log "pgbench credit spends, $name: ${WARMUP}s warm-up, ${DURATION}s measured"
    spend_pgbench -T "$WARMUP" >"$TMP/out/spend-$name-warmup.out" 2>&1 || { cat "$TMP/out/spend-$name-warmup.out" >&2; die "pgbench credit spends ($name) failed"; }
    (cd "$TMP/out" && spend_pgbench -T "$DURATION" -l --log-prefix="spend_$name") >"$TMP/out/spend-$name.out" 2>&1 \
        || { cat "$TMP/out/spend-$name.out" >&2; die "pgbench credit spends ($name) failed"; }
    SPEND_RATE[$name]=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$TMP/out/spend-$name.out")
    SPEND_FAILED[$name]=$(awk '/number of failed transactions:/ { print $5 + 0 }' "$TMP/out/spend-$name.out")
    cat "$TMP"/out/spend_"$name".* | awk '{ print $3 }' | sort -n >"$TMP/out/spend-$name.latencies"
    SPEND_P50[$name]=$(awk '{ a[NR] = $1 } END { i = int(NR * 0.50 + 0.5); if (i < 1) i = 1; printf "%.2f", a[i] / 1000 }' "$TMP/out/spend-$name.latencies")
    SPEND_P99[$name]=$(awk '{ a[NR] = $1 } END { i = int(NR * 0.99 + 0.5); if (i < 1) i = 1; printf "%.2f", a[i] / 1000 }' "$TMP/out/spend-$name.latencies")
}
spend_bench one 1
spend_bench hundred 100
# The ledger after the load: in every bench workspace the entries add up to the balance, none below 0.
LEDGER=$(psql -X -q -At -F ' ' -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c "
    SELECT count(*) FILTER (WHERE a.balance <> e.total OR e.lowest < 0), coalesce(sum(e.spends), 0)
    FROM credit_accounts a JOIN (SELECT workspace_id, sum(amount) AS total, min(balance_after) AS lowest,
                                        count(*) FILTER (WHERE kind = 'spend') AS spends
                                 FROM credit_entries GROUP BY workspace_id) e USING (workspace_id)
    WHERE a.workspace_id BETWEEN $SPEND_FIRST AND $SPEND_LAST")
read -r LEDGER_BAD LEDGER_SPENDS <<<"$LEDGER"

echo
echo "Credit spends — pgbench -c$SPEND_CONNECTIONS -j$LOAD_THREADS -T$DURATION -M prepared as herald_app, the transaction of"
echo "Credits.spend(action:) (BEGIN; tenant; INSERT … SELECT price, trigger debits; COMMIT), 3 credits each:"
printf '  %-36s %11s %9s %9s %7s\n' "target" "spends/s" "p50 ms" "p99 ms" "failed"
printf '  %-36s %11s %9s %9s %7s\n' "one workspace (one account row)" "${SPEND_RATE[one]}" "${SPEND_P50[one]}" "${SPEND_P99[one]}" "${SPEND_FAILED[one]:-0}"
printf '  %-36s %11s %9s %9s %7s\n' "100 workspaces (spread evenly)" "${SPEND_RATE[hundred]}" "${SPEND_P50[hundred]}" "${SPEND_P99[hundred]}" "${SPEND_FAILED[hundred]:-0}"
echo "  ledger afterwards: $LEDGER_SPENDS spends (warm-ups included); workspaces whose entries do not add up to the balance: $LEDGER_BAD"

# Calendar month page with BENCH_CALENDAR_POSTS (100,000) posts in the workspace: `heraldctl demo`
# fills demo-1 (posts spread ±60 days around now, so this month's grid holds a quarter of them), its
# owner logs in through the pages, and wrk loads /w/demo-1/calendar (the viewer's current month).
CALENDAR_POSTS=${BENCH_CALENDAR_POSTS:-100000}
[[ $CALENDAR_POSTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_CALENDAR_POSTS must be a whole number, not '$CALENDAR_POSTS'"
log "calendar: a workspace with $CALENDAR_POSTS posts"
"$BIN/heraldctl" demo --workspaces 1 --posts "$CALENDAR_POSTS" --metrics 0 --prefix demo >/dev/null
# Steady state, as autovacuum would leave it: statistics current, visibility map set (index-only counts).
psql -X -q -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c 'VACUUM ANALYZE posts'
CALENDAR_PID=$(running_pid herald-calendar)
DEMO_COOKIE=$(demo_login demo demo-owner-1@example.com)
check calendar "$BASE/w/demo-1/calendar" 'class="cal-month"' -H "$DEMO_COOKIE"
DEMO_HASH=$(printf '%s' "${DEMO_COOKIE#Cookie: __Host-herald_session=}" | sha256sum | cut -d' ' -f1)
capture_plan calendar "$BASE/w/demo-1/calendar" "$DEMO_HASH" -H "$DEMO_COOKIE"
MONTH_POSTS=$(psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c "
    SELECT count(*) FROM posts p JOIN workspaces w ON w.id = p.workspace_id
    WHERE w.slug = 'demo-1' AND date_trunc('month', p.scheduled_at AT TIME ZONE 'Europe/Berlin') = date_trunc('month', now() AT TIME ZONE 'Europe/Berlin')")
SHOWN=$(grep -o 'class="cal-post ' "$TMP/out/calendar.body" | wc -l)
run_wrk calendar "$BASE/w/demo-1/calendar" "$CALENDAR_PID" -H "$DEMO_COOKIE"
CONNECTIONS=1 LOAD_THREADS=1 run_wrk calendar_one "$BASE/w/demo-1/calendar" "$CALENDAR_PID" -H "$DEMO_COOKIE"
BYTES[calendar_one]=${BYTES[calendar]}
kill -0 "$CALENDAR_PID" 2>/dev/null || die "herald-calendar died during the run"
CALENDAR_RSS=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$CALENDAR_PID/status")

echo
echo "Calendar — wrk -t$LOAD_THREADS -c$CONNECTIONS -d${DURATION}s on /w/demo-1/calendar, $CALENDAR_POSTS posts in the workspace,"
echo "$MONTH_POSTS of them this month (the page lists $SHOWN: 4 a day and \"+ N more\"); herald-calendar with $HERALD_THREADS threads:"
printf '  %-36s %11s %9s %9s %8s %7s %11s\n' "target" "req/s" "p50 ms" "p99 ms" "bytes" "errors" "CPU µs/req"
printf '  '; row "calendar month page ($CALENDAR_POSTS posts)" calendar
printf '  '; row "the same at 1 connection (wrk -t1 -c1)" calendar_one
echo "  herald-calendar VmRSS after the run: $CALENDAR_RSS"

# Posts list with the same workspace (demo-1, CALENDAR_POSTS posts): the first page (newest first,
# with the counts per status) and a ranked full-text search; then BENCH_CREATE_POSTS (10,000) posts
# created over HTTP by POSTing the new-post form (bench/create-posts.lua), timed as a whole.
POSTS_PID=$(running_pid herald-posts)
check posts "$BASE/w/demo-1/posts" 'class="tabs"' -H "$DEMO_COOKIE"
check search "$BASE/w/demo-1/posts?q=publishing" 'class="tabs"' -H "$DEMO_COOKIE"
capture_plan posts "$BASE/w/demo-1/posts" "$DEMO_HASH" -H "$DEMO_COOKIE"
capture_plan search "$BASE/w/demo-1/posts?q=publishing" "$DEMO_HASH" -H "$DEMO_COOKIE"
run_wrk posts "$BASE/w/demo-1/posts" "$POSTS_PID" -H "$DEMO_COOKIE"
run_wrk search "$BASE/w/demo-1/posts?q=publishing" "$POSTS_PID" -H "$DEMO_COOKIE"

# The C reference of the calendar, posts list and search pages: their statements and their bytes.
start_reference account calendar posts search
check_reference calendar 'class="cal-month"' -H "$DEMO_COOKIE"
check_reference posts 'class="tabs"' -H "$DEMO_COOKIE"
check_reference search 'class="tabs"' -H "$DEMO_COOKIE"
run_wrk ref_calendar "$BASE/bench/ref/calendar" "$REF_PID" -H "$DEMO_COOKIE"
run_wrk ref_posts "$BASE/bench/ref/posts" "$REF_PID" -H "$DEMO_COOKIE"
run_wrk ref_search "$BASE/bench/ref/search" "$REF_PID" -H "$DEMO_COOKIE"

CREATE_POSTS=${BENCH_CREATE_POSTS:-10000}
[[ $CREATE_POSTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_CREATE_POSTS must be a whole number, not '$CREATE_POSTS'"
BENCH_CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$TMP/out/posts.body" | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$BENCH_CSRF" ] || die "no CSRF token on the posts page"
count_posts() {
    psql -X -q -At -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald -c \
        "SELECT count(*) FROM posts p JOIN workspaces w ON w.id = p.workspace_id WHERE w.slug = 'demo-1' AND p.title LIKE 'Bench post %'"
}
BEFORE=$(count_posts)
log "creating $CREATE_POSTS posts over HTTP"
START_NS=$(date +%s%N)
BENCH_CSRF=$BENCH_CSRF BENCH_COOKIE="${DEMO_COOKIE#Cookie: }" \
    wrk -t"$LOAD_THREADS" -c"$LOAD_THREADS" -d600s -s "$HERALD_ROOT/bench/create-posts.lua" "$BASE/w/demo-1/posts/new" >"$TMP/out/create.wrk" &
CREATE_WRK=$!
# wrk runs for a duration; stop it as soon as the posts are there (a request or two in flight may add one more).
while [ "$(count_posts)" -lt $((BEFORE + CREATE_POSTS)) ]; do
    kill -0 "$CREATE_WRK" 2>/dev/null || die "wrk stopped before $CREATE_POSTS posts were created (see $TMP/out/create.wrk)"
    sleep 0.1
done
END_NS=$(date +%s%N)
kill -INT "$CREATE_WRK" 2>/dev/null; wait "$CREATE_WRK" 2>/dev/null || true
CREATED=$(( $(count_posts) - BEFORE ))
CREATE_ERRORS=$(awk '/Non-2xx or 3xx responses:/ { e += $NF } END { print e + 0 }' "$TMP/out/create.wrk")
CREATE_SECONDS=$(awk -v a="$START_NS" -v b="$END_NS" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

echo
echo "Posts — wrk -t$LOAD_THREADS -c$CONNECTIONS -d${DURATION}s in demo-1 ($CALENDAR_POSTS posts); herald-posts with $HERALD_THREADS threads:"
printf '  %-36s %11s %9s %9s %8s %7s %11s\n' "target" "req/s" "p50 ms" "p99 ms" "bytes" "errors" "CPU µs/req"
printf '  '; row "posts list, first page" posts
printf '  '; row "posts search \"publishing\"" search
echo "  creating posts over HTTP ($LOAD_THREADS connections, one request at a time each): $CREATED posts in ${CREATE_SECONDS}s" \
     "($(awk -v n="$CREATED" -v s="$CREATE_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') posts/s; $CREATE_ERRORS non-3xx answers)"

echo
echo "Pages against their C reference (bench/reference.c: the statements each page ran, from PostgreSQL's log, and its bytes;"
echo "wrk -t$LOAD_THREADS -c$CONNECTIONS -d${DURATION}s, same cookie, same nginx):"
printf '  %-36s %11s %9s %9s %8s %7s %11s\n' "target" "req/s" "p50 ms" "p99 ms" "bytes" "errors" "CPU µs/req"
for page in calendar posts search; do
    printf '  '; row "C reference $page ($(head -1 "$TMP/ref/$page.plan") statements)" "ref_$page"
done
for page in calendar posts search; do
    echo "  $page page ÷ C reference: $(ratio "${RATE[$page]}" "${RATE[ref_$page]}")"
done

# Publishing: herald-worker sending due targets to the platform stand-in (bench/publishing.sh).
source "$HERALD_ROOT/bench/publishing.sh"

# Analytics: the overview over BENCH_ANALYTICS_SNAPSHOTS metric snapshots (bench/analytics.sh).
source "$HERALD_ROOT/bench/analytics.sh"

# Every program's memory and the database connections of them all, over the whole bench.
echo
echo "Memory of each program at the end (VmRSS now / VmHWM peak):"
for name in "${HERALD_PROGRAMS[@]}"; do
    pid=$(program_pid "herald-$name")
    [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || continue
    printf '  %-18s %s\n' "herald-$name" "$(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { printf "%.1f MB / %.1f MB", r / 1024, h / 1024 }' "/proc/$pid/status")"
done
MAX_CONNECTIONS=$(sort -n "$TMP/out/connections" | tail -1)
echo "PostgreSQL connections held by Herald's programs together (role herald_app, sampled twice a second over the whole bench):" \
     "at most ${MAX_CONNECTIONS:-?} (each FastCGI program's pool: HERALD_DB_POOL_SIZE, default 2 × $(nproc) cores; the worker's own)."

# Faults: herald-auth killed with SIGKILL under wrk, on a throwaway stack of its own (bench/faults.sh).
HERALD_BIN_DIR=$BIN bash "$HERALD_ROOT/bench/faults.sh"
