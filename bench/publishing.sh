# The publishing section of `make bench`, sourced by scripts/bench.sh once its other sections ran
# (it uses bench.sh's BIN, TMP, PG_PORT, cpu_ticks and TICKS_PER_SECOND, and lib.sh's and
# oauth-standin.sh's functions; bench.sh's cleanup stops PUBLISH_WORKER_PID and the stand-in).
#
# BENCH_PUBLISH_ACCOUNTS (100) Mastodon accounts × BENCH_PUBLISH_TARGETS (100) due targets each, sent
# by a release herald-worker to the platform stand-in (Tests/HeraldTests/Fixtures/oauth_standin.py),
# once per HERALD_WORKER_CONCURRENCY in BENCH_PUBLISH_CONCURRENCY (default "4", the worker's default;
# "4 8" adds a row, and ~55 s: one run of 10,000 keeps the section near a minute and a half on 2 cores).
# Each run: the stand-in is reset, `heraldctl
# demo-publishing` registers the accounts there and stores them with their tokens sealed, with the
# scheduled posts (10 accounts per workspace, so each post has 10 targets), targets and queued
# publish_post_target jobs, due in a day; the worker starts and, once it logged "worker started", one
# transaction makes every post and job due 3 s later (the same instant for all; the worker, woken by the
# UPDATE's notification, finds nothing due yet and finds them by polling, as it finds jobs that come due
# in production, HERALD_WORKER_POLL_MS's default 2 s). Then, until every target is published or failed
# (or BENCH_PUBLISH_TIMEOUT, 120 s):
#   targets/s   targets ended ÷ seconds from that instant to the last outcome (SQL)
#   first, p50/p99  due-to-sent: post_targets.published_at − the post's scheduled_at (= the job's run_at
#               unless a retry moved it), over the published targets (SQL)
#   CPU         utime + stime of herald-worker (and of the stand-in) from /proc, after − before, ÷ targets
#   PG conns    the worker's connections in pg_stat_activity (its application_name), the most seen while
#               polling every 0.2 s
# Rate limits: the stand-in enforces Mastodon's (standin_mastodon.py): 300 statuses per account in 3
# hours and 300 API requests per token in 5 minutes. A target costs one POST /api/v1/statuses (nothing
# else unless its outcome is unknown), and the reset before each run zeroes the counters, so up to 300
# targets per account stay under both; more would be answered 429 and wait out the reset, so the
# figure would measure the limit, not Herald: refused.
# shellcheck shell=bash

PUBLISH_ACCOUNTS=${BENCH_PUBLISH_ACCOUNTS:-100}
PUBLISH_PER_ACCOUNT=${BENCH_PUBLISH_TARGETS:-100}
PUBLISH_TIMEOUT=${BENCH_PUBLISH_TIMEOUT:-120}
DEFAULT_CONCURRENCY=4   # WorkerSettings: HERALD_WORKER_CONCURRENCY's default
read -r -a PUBLISH_CONCURRENCY <<<"${BENCH_PUBLISH_CONCURRENCY:-$DEFAULT_CONCURRENCY}"
for c in "${PUBLISH_CONCURRENCY[@]}"; do
    [[ $c =~ ^[1-9][0-9]*$ ]] && [ "$c" -le 64 ] || die "BENCH_PUBLISH_CONCURRENCY must list concurrencies from 1 to 64, not '$c'"
done
[ ${#PUBLISH_CONCURRENCY[@]} -ge 1 ] || die "BENCH_PUBLISH_CONCURRENCY is empty"
[[ $PUBLISH_ACCOUNTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_PUBLISH_ACCOUNTS must be a whole number, not '$PUBLISH_ACCOUNTS'"
[[ $PUBLISH_PER_ACCOUNT =~ ^[1-9][0-9]*$ ]] && [ "$PUBLISH_PER_ACCOUNT" -le 300 ] \
    || die "BENCH_PUBLISH_TARGETS must be from 1 to 300 (the stand-in's Mastodon limits), not '$PUBLISH_PER_ACCOUNT'"
[[ $PUBLISH_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "BENCH_PUBLISH_TIMEOUT must be a whole number of seconds, not '$PUBLISH_TIMEOUT'"
PUBLISH_WORKSPACES=$(( (PUBLISH_ACCOUNTS + 9) / 10 ))
PUBLISH_TOTAL=$((PUBLISH_ACCOUNTS * PUBLISH_PER_ACCOUNT))
PUBLISH_WORKER_PID=

publish_sql() { psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald "$@"; }

PUBLISH_STARTED=$SECONDS
log "publishing: starting the platform stand-in"
start_oauth_standin "$TMP/logs"

declare -A PUB_RATE PUB_FIRST PUB_SEED PUB_P50 PUB_P99 PUB_PUBLISHED PUB_FAILED PUB_LEFT PUB_CPU PUB_STANDIN_CPU PUB_CONNS PUB_SECONDS PUB_ERRORS
# publish_run NAME CONCURRENCY (NAME: the run's number, for its workspaces, log and application_name)
publish_run() {
    local name=$1 concurrency=$2 prefix=benchpub$1 app=herald-worker-bench-$1 workspaces tries=0
    curl -fsS -X POST "$OAUTH_STANDIN_URL/_control/reset" >/dev/null || die "the platform stand-in did not reset"
    log "publishing (run $name, concurrency $concurrency): $PUBLISH_ACCOUNTS Mastodon accounts × $PUBLISH_PER_ACCOUNT targets at the stand-in"
    "$BIN/heraldctl" demo-publishing --standin "$OAUTH_STANDIN_URL" --accounts "$PUBLISH_ACCOUNTS" --targets "$PUBLISH_PER_ACCOUNT" \
        --workspaces "$PUBLISH_WORKSPACES" --prefix "$prefix" --due-in 86400 >"$TMP/out/publish-$name.seed" 2>&1 \
        || { cat "$TMP/out/publish-$name.seed" >&2; die "heraldctl demo-publishing failed"; }
    PUB_SEED[$name]=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$TMP/out/publish-$name.seed" | head -1)
    workspaces=$(publish_sql -c "SELECT string_agg(id::text, ',') FROM workspaces WHERE slug LIKE '$prefix-%'")
    [ -n "$workspaces" ] || die "heraldctl demo-publishing made no workspace $prefix-N"
    publish_sql -c "VACUUM ANALYZE jobs" -c "VACUUM ANALYZE post_targets" -c "VACUUM ANALYZE posts"

    PGAPPNAME=$app HERALD_WORKER_CONCURRENCY=$concurrency HERALD_WORKER_ID=$app \
        "$BIN/herald-worker" >>"$TMP/logs/herald-worker-$name.log" 2>&1 &
    PUBLISH_WORKER_PID=$!
    until grep -q 'worker started' "$TMP/logs/herald-worker-$name.log"; do
        tries=$((tries + 1))
        if [ $tries -gt 100 ] || ! kill -0 "$PUBLISH_WORKER_PID" 2>/dev/null; then
            tail -5 "$TMP/logs/herald-worker-$name.log" >&2
            die "herald-worker did not start"
        fi
        sleep 0.1
    done
    local worker0 standin0
    worker0=$(cpu_ticks "$PUBLISH_WORKER_PID")
    standin0=$(cpu_ticks "$OAUTH_STANDIN_PID")
    # Everything due at one instant, a little ahead (the UPDATE commits well before it).
    publish_sql -c "BEGIN" \
        -c "UPDATE posts SET scheduled_at = now() + interval '3 seconds' WHERE workspace_id IN ($workspaces) AND status = 'scheduled'" \
        -c "UPDATE jobs SET run_at = now() + interval '3 seconds'
            WHERE workspace_id IN ($workspaces) AND kind = 'publish_post_target' AND status = 'queued'" \
        -c "COMMIT"
    local started max_conns=0 count conns
    started=$(date +%s)
    while true; do
        read -r count conns < <(publish_sql -c "
            SELECT (SELECT count(*) FROM post_targets WHERE workspace_id IN ($workspaces) AND status IN ('published', 'failed')),
                   (SELECT count(*) FROM pg_stat_activity WHERE application_name = '$app')")
        [ "$conns" -gt "$max_conns" ] && max_conns=$conns
        [ "$count" -ge "$PUBLISH_TOTAL" ] && break
        kill -0 "$PUBLISH_WORKER_PID" 2>/dev/null || die "herald-worker died during the run (see $TMP/logs/herald-worker-$name.log)"
        if [ $(($(date +%s) - started)) -ge "$PUBLISH_TIMEOUT" ]; then
            log "publishing (run $name): $count of $PUBLISH_TOTAL targets ended after ${PUBLISH_TIMEOUT}s; measuring those"
            break
        fi
        sleep 0.2
    done
    local worker1 standin1
    worker1=$(cpu_ticks "$PUBLISH_WORKER_PID")
    standin1=$(cpu_ticks "$OAUTH_STANDIN_PID")
    kill -TERM "$PUBLISH_WORKER_PID" 2>/dev/null || true
    wait "$PUBLISH_WORKER_PID" 2>/dev/null || true
    PUBLISH_WORKER_PID=

    read -r PUB_PUBLISHED[$name] PUB_FAILED[$name] PUB_LEFT[$name] PUB_SECONDS[$name] PUB_FIRST[$name] PUB_P50[$name] PUB_P99[$name] < <(publish_sql -c "
        SELECT count(*) FILTER (WHERE t.status = 'published'), count(*) FILTER (WHERE t.status = 'failed'),
               count(*) FILTER (WHERE t.status NOT IN ('published', 'failed')),
               round(extract(epoch FROM max(coalesce(t.published_at, t.updated_at)) FILTER (WHERE t.status IN ('published', 'failed'))
                                        - min(p.scheduled_at))::numeric, 3),
               round((1000 * extract(epoch FROM min(t.published_at - p.scheduled_at)))::numeric, 1),
               round((1000 * percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM t.published_at - p.scheduled_at))
                             FILTER (WHERE t.status = 'published'))::numeric, 1),
               round((1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM t.published_at - p.scheduled_at))
                             FILTER (WHERE t.status = 'published'))::numeric, 1)
        FROM post_targets t JOIN posts p ON p.workspace_id = t.workspace_id AND p.id = t.post_id
        WHERE t.workspace_id IN ($workspaces)")
    local ended_count=$((${PUB_PUBLISHED[$name]} + ${PUB_FAILED[$name]}))
    PUB_RATE[$name]=$(awk -v n="$ended_count" -v s="${PUB_SECONDS[$name]}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    PUB_CPU[$name]=$(awk -v t=$((worker1 - worker0)) -v hz="$TICKS_PER_SECOND" -v n="$ended_count" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
    PUB_STANDIN_CPU[$name]=$(awk -v t=$((standin1 - standin0)) -v hz="$TICKS_PER_SECOND" -v n="$ended_count" 'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
    PUB_CONNS[$name]=$max_conns
    PUB_ERRORS[$name]=$(grep -c 'level=error' "$TMP/logs/herald-worker-$name.log" || true)
    local arrived
    arrived=$(curl -fsS "$OAUTH_STANDIN_URL/_control/posts?platform=mastodon" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
    [ "$arrived" = "${PUB_PUBLISHED[$name]}" ] \
        || log "publishing (run $name): the stand-in holds $arrived statuses for ${PUB_PUBLISHED[$name]} published targets"
}

for i in "${!PUBLISH_CONCURRENCY[@]}"; do publish_run "$((i + 1))" "${PUBLISH_CONCURRENCY[$i]}"; done
stop_oauth_standin

echo
echo "Publishing — herald-worker (release) sending $PUBLISH_TOTAL targets, all due at one instant: $PUBLISH_ACCOUNTS Mastodon accounts × $PUBLISH_PER_ACCOUNT,"
echo "10 accounts per workspace (each post has a target on each), to the platform stand-in (Python, one process) on 127.0.0.1:"
PUBLISH_FORMAT='  %-28s %10s %9s %9s %9s %10s %7s %5s %14s %11s %9s\n'
# shellcheck disable=SC2059
printf "$PUBLISH_FORMAT" "worker" "targets/s" "first ms" "p50 ms" "p99 ms" "published" "failed" "left" "CPU µs/target" "stand-in µs" "PG conns"
for i in "${!PUBLISH_CONCURRENCY[@]}"; do
    n=$((i + 1)) c=${PUBLISH_CONCURRENCY[$i]}
    label="HERALD_WORKER_CONCURRENCY=$c"
    [ "$c" = "$DEFAULT_CONCURRENCY" ] && label="concurrency $c (the default)"
    # shellcheck disable=SC2059
    printf "$PUBLISH_FORMAT" "$label" "${PUB_RATE[$n]}" "${PUB_FIRST[$n]:--}" "${PUB_P50[$n]:--}" "${PUB_P99[$n]:--}" \
        "${PUB_PUBLISHED[$n]}" "${PUB_FAILED[$n]}" "${PUB_LEFT[$n]}" "${PUB_CPU[$n]}" "${PUB_STANDIN_CPU[$n]}" "${PUB_CONNS[$n]}"
done
echo "  first, p50, p99: from the instant the targets were due to their published_at (the first waits for the worker's next poll);"
echo "  targets/s: targets ended ÷ seconds from that instant to the last outcome; CPU: herald-worker's and the stand-in's user+system per target;"
echo "  PG conns: the most connections herald-worker held at once (its senders, the LISTEN connection, maintenance)."
errors=0 seeding=""
for n in "${!PUB_ERRORS[@]}"; do errors=$((errors + ${PUB_ERRORS[$n]})); done
for i in "${!PUBLISH_CONCURRENCY[@]}"; do seeding="$seeding${seeding:+, }${PUB_SEED[$((i + 1))]:-?} s"; done
echo "  Error lines in the worker's log: $errors. Seeding (heraldctl demo-publishing): $seeding; this section took $((SECONDS - PUBLISH_STARTED)) s."
