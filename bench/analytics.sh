# The analytics section of `make bench`, sourced by scripts/bench.sh once its other sections ran (it
# uses bench.sh's BIN, TMP, BASE, PG_PORT, WARMUP, DURATION, CONNECTIONS, check, run_wrk, row,
# demo_login, running_pid, cpu_ticks and TICKS_PER_SECOND, and lib.sh's functions).
#
# `heraldctl demo` fills one workspace (benchana-1) with BENCH_ANALYTICS_POSTS (200,000) posts, about
# half of them published over the last 60 days (one target each), and BENCH_ANALYTICS_SNAPSHOTS
# (10,000,000) metric snapshots spread evenly over those targets, rolled up as it goes; its wall
# clock is timed and the snapshots are counted afterwards (SQL), not assumed. VACUUM ANALYZE then
# leaves the tables as autovacuum would. Its owner logs in through the pages and wrk loads:
#   the overview /w/benchana-1/analytics?range=90d at one connection (p50, p99: the latency one
#   person sees) and at CONNECTIONS (req/s), and the CSV of the same range at one connection;
#   each for BENCH_SECONDS but at least 10 s, with wrk's timeout at 60 s (not 2: a saturated
#   page's slowest answers stay in its percentiles instead of counting as errors).
# CPU µs/req is herald-analytics' own, as in the other rows; a line below the table gives
# PostgreSQL's (herald_app's backends and the parallel workers, warm-up included, ÷ the requests
# herald-analytics logged over the same time), since the overview's work is mostly in the database.
# EXPLAIN (ANALYZE, BUFFERS) of the overview's five queries (taken from AnalyticsStore.swift), with
# custom and with generic plans, goes to $TMP/out/analytics-explain.txt, and to BENCH_ANALYTICS_EXPLAIN
# (a file) when that is set; their execution times make one line of the summary.
# shellcheck shell=bash

ANALYTICS_POSTS=${BENCH_ANALYTICS_POSTS:-200000}
ANALYTICS_SNAPSHOTS=${BENCH_ANALYTICS_SNAPSHOTS:-10000000}
[[ $ANALYTICS_POSTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ANALYTICS_POSTS must be a whole number, not '$ANALYTICS_POSTS'"
[[ $ANALYTICS_SNAPSHOTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ANALYTICS_SNAPSHOTS must be a whole number, not '$ANALYTICS_SNAPSHOTS'"
ANALYTICS_PREFIX=benchana
ANALYTICS_SLUG=$ANALYTICS_PREFIX-1
ANALYTICS_RANGE=90d
ANALYTICS_URL="$BASE/w/$ANALYTICS_SLUG/analytics?range=$ANALYTICS_RANGE"
ANALYTICS_CSV_URL="$BASE/w/$ANALYTICS_SLUG/analytics.csv?range=$ANALYTICS_RANGE"
ANALYTICS_STARTED=$SECONDS

analytics_sql() { psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -h "$TMP/pg-socket" -p "$PG_PORT" -U postgres -d herald "$@"; }

log "analytics: heraldctl demo, $ANALYTICS_POSTS posts and $ANALYTICS_SNAPSHOTS metric snapshots in $ANALYTICS_SLUG"
LOAD_START_NS=$(date +%s%N)
"$BIN/heraldctl" demo --workspaces 1 --posts "$ANALYTICS_POSTS" --metrics "$ANALYTICS_SNAPSHOTS" --prefix "$ANALYTICS_PREFIX" \
    >"$TMP/out/analytics-demo.out" 2>&1 || { cat "$TMP/out/analytics-demo.out" >&2; die "heraldctl demo (analytics) failed"; }
LOAD_END_NS=$(date +%s%N)
LOAD_SECONDS=$(awk -v a="$LOAD_START_NS" -v b="$LOAD_END_NS" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
ANALYTICS_WS=$(analytics_sql -c "SELECT id FROM workspaces WHERE slug = '$ANALYTICS_SLUG'")
[ -n "$ANALYTICS_WS" ] || die "heraldctl demo made no workspace $ANALYTICS_SLUG"
# What is there, counted (postgres bypasses row-level security).
read -r ANA_SNAPSHOTS ANA_PUBLISHED ANA_MEASURED ANA_BUCKETS ANA_DAILY < <(analytics_sql -c "
    SELECT (SELECT count(*) FROM post_metrics WHERE workspace_id = $ANALYTICS_WS),
           (SELECT count(*) FROM post_targets WHERE workspace_id = $ANALYTICS_WS AND status = 'published'),
           (SELECT count(*) FROM post_metrics_latest WHERE workspace_id = $ANALYTICS_WS),
           (SELECT count(*) FROM account_engagement WHERE workspace_id = $ANALYTICS_WS),
           (SELECT count(*) FROM post_metrics_daily WHERE workspace_id = $ANALYTICS_WS)")
[ "$ANA_SNAPSHOTS" = "$ANALYTICS_SNAPSHOTS" ] \
    || die "heraldctl demo made $ANA_SNAPSHOTS snapshots in $ANALYTICS_SLUG, not $ANALYTICS_SNAPSHOTS (see $TMP/out/analytics-demo.out)"
LOAD_RATE=$(awk -v n="$ANA_SNAPSHOTS" -v s="$LOAD_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
# Steady state, as autovacuum would leave it: statistics current, visibility map set.
log "analytics: VACUUM ANALYZE"
VACUUM_START_NS=$(date +%s%N)
analytics_sql -c 'VACUUM ANALYZE post_metrics' -c 'VACUUM ANALYZE post_metrics_latest' -c 'VACUUM ANALYZE post_metrics_daily' \
    -c 'VACUUM ANALYZE account_engagement' -c 'VACUUM ANALYZE account_followers_daily' -c 'VACUUM ANALYZE post_targets' \
    -c 'VACUUM ANALYZE posts'
VACUUM_SECONDS=$(awk -v a="$VACUUM_START_NS" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

ANALYTICS_PID=$(running_pid herald-analytics)
ANA_COOKIE=$(demo_login analytics "$ANALYTICS_PREFIX-owner-1@example.com")
check analytics1 "$ANALYTICS_URL" '<h2>Totals per channel</h2>' -H "$ANA_COOKIE"
grep -qF '<h2>Top posts published in this range</h2>' "$TMP/out/analytics1.body" || die "the overview has no top posts section"
grep -qF 'social.example/p/' "$TMP/out/analytics1.body" || die "the overview lists no top post (see $TMP/out/analytics1.body)"
BYTES[analytics32]=${BYTES[analytics1]}
check analyticscsv "$ANALYTICS_CSV_URL" 'top_posts,' -H "$ANA_COOKIE"

# PostgreSQL's CPU so far for the requests: herald_app's backends and parallel workers alive, and the
# children the postmaster reaped (parallel workers that ended; autovacuum workers too, whose runs are
# counted beside, since they would inflate the figure). The checkpointer, writers and launchers are left out.
pg_cpu_ticks() {
    local postmaster child total
    postmaster=$(head -1 "$TMP/pg/postmaster.pid")
    total=$(awk '{ print $16 + $17 }' "/proc/$postmaster/stat")
    for child in $(cat "/proc/$postmaster/task/$postmaster/children" 2>/dev/null); do
        case "$(tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null)" in
            "postgres: herald_app "* | "postgres: parallel worker "*)
                total=$((total + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0))) ;;
        esac
    done
    echo "$total"
}
autovacuum_runs() { analytics_sql -c "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_all_tables"; }
analytics_requests() { grep -c 'msg=request ' "$TMP/logs/herald-analytics.log" || true; }
declare -A PG_CPU AUTOVACUUMS
# analytics_wrk NAME URL [wrk options]: run_wrk, and PostgreSQL's CPU per request over the same time.
analytics_wrk() {
    local name=$1 url=$2; shift 2
    local pg0 n0 av0
    pg0=$(pg_cpu_ticks); n0=$(analytics_requests); av0=$(autovacuum_runs)
    run_wrk "$name" "$url" "$ANALYTICS_PID" "$@"
    PG_CPU[$name]=$(awk -v t=$(($(pg_cpu_ticks) - pg0)) -v hz="$TICKS_PER_SECOND" -v n=$(($(analytics_requests) - n0)) \
        'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
    AUTOVACUUMS[$name]=$(($(autovacuum_runs) - av0))
}
# At least 10 s: a page of a few hundred ms gives few samples a second at one connection. wrk's
# timeout (2 s) would drop the slowest answers from the percentiles at CONNECTIONS; 60 s keeps them.
ANALYTICS_SECONDS=$(( DURATION > 10 ? DURATION : 10 ))
DURATION=$ANALYTICS_SECONDS CONNECTIONS=1 LOAD_THREADS=1 analytics_wrk analytics1 "$ANALYTICS_URL" --timeout 60s -H "$ANA_COOKIE"
DURATION=$ANALYTICS_SECONDS analytics_wrk analytics32 "$ANALYTICS_URL" --timeout 60s -H "$ANA_COOKIE"
DURATION=$ANALYTICS_SECONDS CONNECTIONS=1 LOAD_THREADS=1 analytics_wrk analyticscsv "$ANALYTICS_CSV_URL" --timeout 60s -H "$ANA_COOKIE"
kill -0 "$ANALYTICS_PID" 2>/dev/null || die "herald-analytics died during the run"
ANALYTICS_RSS=$(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$ANALYTICS_PID/status")
ANALYTICS_LOG_ERRORS=$(grep -c 'level=error' "$TMP/logs/herald-analytics.log" || true)

# The overview's queries, as AnalyticsStore.overview sends them (its """ blocks in order), explained
# as herald_app with the workspace and the owner's zone set, parameters as the page binds them.
analytics_explain() {
    local out=$TMP/out/analytics-explain.txt store=Sources/herald-analytics/AnalyticsStore.swift engagement
    engagement=$(sed -n '/static let engagementSQL =/{n;p;}' "$store" | sed 's/^ *"//; s/"$//')
    awk '/static func overview\(/ { f = 1 } f && /^    }$/ { exit }
         f && /"""/ { if (q) { q = 0; print "\x1e" } else q = 1; next } f && q { print }' "$store" \
        | sed -e "s/\\\\(engagementSQL)/$engagement/g" -e 's/\\\\/\\/g' >"$TMP/out/analytics-queries.sql"
    local count
    count=$(grep -c $'\x1e' "$TMP/out/analytics-queries.sql" || true)
    if [ "$count" != 5 ]; then
        log "analytics: AnalyticsStore.overview no longer has the 5 queries this section explains; no EXPLAIN"
        return 0
    fi
    local names=(totals days followers top heat) zone
    zone=$(analytics_sql -c "SELECT u.time_zone FROM users u JOIN workspaces w ON w.owner_id = u.id WHERE w.id = $ANALYTICS_WS")
    # Parameters: $1 the workspace, then what each query binds (AnalyticsStore.bounds).
    local bounds="SELECT to_char(f, 'YYYY-MM-DD') AS f, to_char(t, 'YYYY-MM-DD') AS t, f::timestamptz::text AS s, (t + 1)::timestamptz::text AS e,
                  (f - (t - f + 1))::timestamptz::text AS ps, to_char((t + 1) - 365, 'YYYY-MM-DD') AS hs
                  FROM (SELECT current_date - 90 + 1 AS f, current_date AS t) d"
    local args=(":'b_s', :'b_ps', :'b_e'" ":'b_s', :'b_e', :'b_f', :'b_t'" ":'b_s', :'b_e', :'b_f', :'b_t'" ":'b_s', :'b_e', 10" ":'b_hs', :'b_e'")
    # Twice: as planned for these values (a custom plan: a connection's first five executions of a
    # prepared statement), then with the generic plan PostgreSQL may keep for a connection after that.
    local mode i sql
    for mode in custom generic; do
        echo "BEGIN READ ONLY;"
        [ "$mode" = generic ] && echo "SET LOCAL plan_cache_mode = force_generic_plan;"
        echo "SELECT set_config('app.workspace_id', '$ANALYTICS_WS', true), set_config('app.user_id', (SELECT owner_id::text FROM workspaces WHERE id = $ANALYTICS_WS), true);"
        echo "SELECT set_config('TimeZone', '$zone', true);"
        echo "$bounds \\gset b_"
        i=0
        while IFS= read -r -d $'\x1e' sql; do
            echo "\\echo ==== $mode ${names[$i]}"
            echo "PREPARE q_${mode}_${names[$i]} AS $sql;"
            echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE q_${mode}_${names[$i]}($ANALYTICS_WS, ${args[$i]});"
            i=$((i + 1))
        done <"$TMP/out/analytics-queries.sql"
        echo "ROLLBACK;"
    done >"$TMP/out/analytics-explain.sql"
    if ! psql -X -v ON_ERROR_STOP=1 -h "$TMP/pg-socket" -p "$PG_PORT" -U herald_app -d herald -f "$TMP/out/analytics-explain.sql" >"$out" 2>&1; then
        log "analytics: EXPLAIN of the overview's queries failed (see $out); no EXPLAIN"
        return 0
    fi
    [ -n "${BENCH_ANALYTICS_EXPLAIN:-}" ] && cp "$out" "$BENCH_ANALYTICS_EXPLAIN"
    ANALYTICS_QUERY_TIMES=$(awk '/^==== / { if ($2 != mode) { printf "%s%s plans: ", (mode ? "; " : ""), $2; sep = "" } mode = $2; name = $3 }
                                 /Execution Time:/ { printf "%s%s %.1f ms", sep, name, $3; sep = ", " }' "$out")
}
ANALYTICS_QUERY_TIMES=
analytics_explain

echo
echo "Analytics — /w/$ANALYTICS_SLUG/analytics?range=$ANALYTICS_RANGE (the overview of the last 90 days), $ANA_SNAPSHOTS snapshots over $ANA_MEASURED of"
echo "$ANA_PUBLISHED published targets ($ANALYTICS_POSTS posts; rollups: $ANA_BUCKETS account_engagement, $ANA_MEASURED post_metrics_latest,"
echo "$ANA_DAILY post_metrics_daily rows); wrk -d${ANALYTICS_SECONDS}s --timeout 60s at 1 connection (-t1 -c1) and at $CONNECTIONS; herald-analytics with $HERALD_THREADS threads:"
printf '  %-36s %11s %9s %9s %8s %7s %11s\n' "target" "req/s" "p50 ms" "p99 ms" "bytes" "errors" "CPU µs/req"
printf '  '; row "overview 90d, 1 connection" analytics1
printf '  '; row "overview 90d, $CONNECTIONS connections" analytics32
printf '  '; row "CSV 90d, 1 connection" analyticscsv
echo "  heraldctl demo: $ANA_SNAPSHOTS snapshots (counted) in ${LOAD_SECONDS}s wall clock = $LOAD_RATE snapshots/s; heraldctl's own line:"
echo "    $(grep '^made ' "$TMP/out/analytics-demo.out"); then VACUUM ANALYZE ${VACUUM_SECONDS}s."
echo "  PostgreSQL CPU µs/req (herald_app's backends and parallel workers, warm-up included): overview ${PG_CPU[analytics1]} at 1 connection," \
     "${PG_CPU[analytics32]} at $CONNECTIONS; CSV ${PG_CPU[analyticscsv]} (autovacuum/autoanalyze runs meanwhile:" \
     "${AUTOVACUUMS[analytics1]}, ${AUTOVACUUMS[analytics32]}, ${AUTOVACUUMS[analyticscsv]})."
if [ -n "$ANALYTICS_QUERY_TIMES" ]; then
    echo "  The overview's queries, EXPLAIN ANALYZE after the runs (BENCH_ANALYTICS_EXPLAIN=FILE keeps the plans; generic: the plan"
    echo "  a connection's prepared statement may keep from its sixth execution on): $ANALYTICS_QUERY_TIMES."
fi
echo "  herald-analytics VmRSS after the run: $ANALYTICS_RSS; error lines in its log: $ANALYTICS_LOG_ERRORS; this section took $((SECONDS - ANALYTICS_STARTED)) s."
