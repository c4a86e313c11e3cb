# Shared shell functions for `make run`, `make test` and `make bench`: installing what is
# missing, a local PostgreSQL cluster, the FastCGI programs and nginx.
# shellcheck shell=bash

HERALD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# nginx, runuser and friends live in sbin, which a non-login shell may not have on PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
HERALD_MANIFEST=$HERALD_ROOT/Sources/programs.manifest
# Kept-alive FastCGI connections per nginx worker and program (HERALD_THREADS must stay well above
# worker_processes × this, or idle kept-alive connections starve new requests).
HERALD_UPSTREAM_KEEPALIVE=8

# The FastCGI programs of the manifest (those with a `paths` line), by area: auth posts calendar …
manifest_fastcgi_programs() {
    awk '$1 == "program" { program = $2 } $1 == "paths" { sub(/^herald-/, "", program); print program }' "$HERALD_MANIFEST"
}
mapfile -t HERALD_PROGRAMS < <(manifest_fastcgi_programs)
# The background programs of the manifest (those marked `daemon`): herald-worker.
mapfile -t HERALD_DAEMONS < <(awk '$1 == "program" { program = $2 } $1 == "daemon" { print program }' "$HERALD_MANIFEST")

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly or through sudo).
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi
}

# Runs a command as the PostgreSQL server user: `postgres` when we are root (initdb refuses root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
}

# Installs the Debian packages Herald needs, only those missing. Extra packages may be named.
ensure_deps() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx-light)
    pkg-config --exists fcgi 2>/dev/null || missing+=(libfcgi-dev)
    pkg-config --exists libsodium 2>/dev/null || missing+=(libsodium-dev)
    pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
    pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    [ -n "$(pg_bindir)" ] || missing+=(postgresql)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    [ -f /etc/nginx/mime.types ] || missing+=(nginx-common)
    local extra
    for extra in "$@"; do command -v "$extra" >/dev/null || missing+=("$extra"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    command -v swift >/dev/null || die "swift is not on PATH (Swift 6 toolchain needed)"
}

# A free TCP port on 127.0.0.1, from a starting guess.
free_port() {
    local port=$1
    while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# init_pg DATA_DIR: creates a cluster if there is none.
init_pg() {
    local data=$1 bindir
    bindir=$(pg_bindir)
    [ -f "$data/PG_VERSION" ] && return 0
    log "creating PostgreSQL cluster in $data"
    mkdir -p "$data"
    chmod 700 "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

# start_pg DATA_DIR SOCKET_DIR PORT [extra -c options]: starts the cluster on a unix socket only.
start_pg() {
    local data=$1 sock=$2 port=$3; shift 3
    local bindir
    bindir=$(pg_bindir)
    mkdir -p "$sock"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
    chmod 755 "$sock"
    local opts="-c listen_addresses='' -c unix_socket_directories='$sock' -p $port -c max_connections=300"
    for extra in "$@"; do opts="$opts -c $extra"; done
    as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -o "$opts" -w -t 60 start >/dev/null \
        || { tail -20 "$data/server.log" >&2; die "PostgreSQL did not start"; }
}

stop_pg() {
    local data=$1
    [ -f "$data/postmaster.pid" ] || return 0
    as_pg "$(pg_bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# make_replica PRIMARY_DATA PRIMARY_SOCKET PRIMARY_PORT DATA_DIR SOCKET_DIR PORT [name=value settings]: makes DATA_DIR a
# streaming replica (hot standby) of the running primary, replacing whatever was there: a base backup with -R
# (standby.signal, and primary_conninfo in postgresql.auto.conf: it follows the primary and reconnects by itself when
# the primary restarts). Its port, socket and the settings go into its postgresql.conf, so that a plain `pg_ctl start`
# brings it back (the replica tests stop and start it). Start it with start_pg.
make_replica() {
    local primary=$1 psock=$2 pport=$3 data=$4 sock=$5 port=$6; shift 6
    local bindir level setting
    bindir=$(pg_bindir)
    # initdb's pg_hba.conf lets local replication connections in; an edited one may not.
    if ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]' "$primary/pg_hba.conf"; then
        echo 'local replication all trust' >>"$primary/pg_hba.conf"
        as_pg "$bindir/pg_ctl" -D "$primary" reload >/dev/null
    fi
    level=$(psql -X -A -t -h "$psock" -p "$pport" -U postgres -d postgres -c 'SHOW wal_level')
    [ "$level" != minimal ] || die "PostgreSQL in $primary runs with wal_level=minimal; a replica needs wal_level=replica"
    stop_pg "$data"
    rm -rf "$data"
    mkdir -p "$data" "$sock"
    chmod 700 "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data" "$sock"
    chmod 755 "$sock"
    # -c fast: a checkpoint at once rather than spread over minutes; -X stream: the WAL written meanwhile comes along.
    as_pg "$bindir/pg_basebackup" -h "$psock" -p "$pport" -U postgres -D "$data" -R -X stream -c fast \
        || die "pg_basebackup from $primary failed"
    {
        echo "# A streaming replica of $primary (make_replica in scripts/lib.sh)."
        echo "port = $port"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$sock'"
        echo "max_connections = 300"
        echo "hot_standby = on"
        for setting in "$@"; do echo "${setting%%=*} = '${setting#*=}'"; done
    } >>"$data/postgresql.conf"
}

# create_roles SOCKET_DIR PORT: herald_owner owns the database and runs migrations; the programs
# connect as herald_app, which is neither owner nor superuser and cannot bypass row-level security.
create_roles() {
    local sock=$1 port=$2
    psql -X -q -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'CREATE ROLE herald_owner LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'herald_owner') \gexec
SELECT 'CREATE ROLE herald_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'herald_app') \gexec
SELECT 'CREATE DATABASE herald OWNER herald_owner'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'herald') \gexec
SQL
    # Under row-level security the planner uses the posts search index only if @@ is LEAKPROOF,
    # which only a superuser can declare (it is: it reveals nothing but true or false).
    psql -X -q -h "$sock" -p "$port" -U postgres -d herald -v ON_ERROR_STOP=1 \
        -c 'ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF'
}

# nginx_routes UPSTREAMS_FILE: prints one location per FastCGI program of the manifest for its
# `paths` (`=/` an exact match; any other path a prefix that also takes what lies below it; `*` one
# segment), in the manifest's order, which is nginx's order too; writes their upstreams to the file.
nginx_routes() {
    awk -v upstreams="$1" -v keepalive="$HERALD_UPSTREAM_KEEPALIVE" '
        function regex(path) { gsub(/\./, "\\.", path); gsub(/\*/, "[^/]+", path); return path }
        $1 == "program" { program = $2; next }
        $1 == "paths" {
            area = program; sub(/^herald-/, "", area)
            printf "    upstream herald_%s {\n        server unix:@RUN_DIR@/%s.sock;\n        keepalive %d;\n    }\n", area, area, keepalive > upstreams
            alternatives = ""
            print "        # " program
            for (i = 2; i <= NF; i++) {
                if ($i == "=/") {
                    printf "        location = / {\n            include @NGINX_DIR@/herald_fastcgi.conf;\n            fastcgi_pass herald_%s;\n        }\n", area
                } else {
                    alternatives = alternatives (alternatives == "" ? "" : "|") regex($i)
                }
            }
            if (alternatives != "")
                printf "        location ~ ^(%s)(/.*)?$ {\n            include @NGINX_DIR@/herald_fastcgi.conf;\n            fastcgi_pass herald_%s;\n        }\n", alternatives, area
        }' "$HERALD_MANIFEST"
}

# render_nginx DIR PORT RUN_DIR ACCESS_LOG [UPSTREAMS_FILE LOCATIONS_FILE]: writes DIR/nginx.conf
# from the template, with the manifest's upstreams and locations in place of @UPSTREAMS@ and
# @LOCATIONS@. The optional files (used by `make bench`) are pasted verbatim in place of the
# @EXTRA_UPSTREAMS@ / @EXTRA_LOCATIONS@ lines; without them those lines are dropped.
render_nginx() {
    local dir=$1 port=$2 run=$3 access=$4 upstreams=${5:-/dev/null} locations=${6:-/dev/null} user_line=""
    mkdir -p "$dir/tmp"
    if [ "$(id -u)" = 0 ]; then user_line="user root root;"; fi
    cp "$HERALD_ROOT/nginx/herald_fastcgi.conf" "$dir/herald_fastcgi.conf"
    nginx_routes "$dir/routes-upstreams.conf" >"$dir/routes-locations.conf"
    sed -e "/^@UPSTREAMS@\$/{r $dir/routes-upstreams.conf" -e "d;}" -e "/^@LOCATIONS@\$/{r $dir/routes-locations.conf" -e "d;}" \
        -e "/^@EXTRA_UPSTREAMS@\$/{r $upstreams" -e "d;}" -e "/^@EXTRA_LOCATIONS@\$/{r $locations" -e "d;}" \
        "$HERALD_ROOT/nginx/herald.conf.template" \
        | sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$dir|g" -e "s|@PORT@|$port|g" \
            -e "s|@RUN_DIR@|$run|g" -e "s|@ROOT@|$HERALD_ROOT|g" -e "s|@ACCESS_LOG@|$access|g" >"$dir/nginx.conf"
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx configuration is invalid"
}

start_nginx() {
    local dir=$1
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx did not start (see $dir/error.log)"
}

stop_nginx() {
    local dir=$1
    [ -f "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null || true
}

# start_programs BIN_DIR LOG_DIR [--no-daemons]: starts every FastCGI program and (unless told not
# to) every daemon in the background and waits for each FastCGI socket. Their pids go to PROGRAM_PIDS (FastCGI programs first, in
# HERALD_PROGRAMS order, then the daemons).
PROGRAM_PIDS=()
start_programs() {
    local bin=$1 logs=$2 daemons=${3:-} name
    mkdir -p "$HERALD_SOCKET_DIR" "$logs"
    for name in "${HERALD_PROGRAMS[@]}"; do
        "$bin/herald-$name" >>"$logs/herald-$name.log" 2>&1 &
        PROGRAM_PIDS+=($!)
    done
    for name in "${HERALD_PROGRAMS[@]}"; do
        local tries=0
        until [ -S "$HERALD_SOCKET_DIR/$name.sock" ]; do
            tries=$((tries + 1))
            if [ $tries -gt 100 ]; then tail -5 "$logs/herald-$name.log" >&2; die "herald-$name did not start"; fi
            sleep 0.1
        done
    done
    [ "$daemons" = --no-daemons ] && return 0
    for name in "${HERALD_DAEMONS[@]}"; do
        "$bin/$name" >>"$logs/$name.log" 2>&1 &
        PROGRAM_PIDS+=($!)
    done
}

stop_programs() {
    local pid
    for pid in "${PROGRAM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PROGRAM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PROGRAM_PIDS=()
}
