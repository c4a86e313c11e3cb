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

# Installs the Debian packages Herald needs, only those missing. Extra commands may be named, each as
# COMMAND (its package has its name) or COMMAND=PACKAGE.
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
    for extra in "$@"; do command -v "${extra%%=*}" >/dev/null || missing+=("${extra#*=}"); done
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

# init_pg DATA_DIR: creates a cluster if there is none and, new or not, gives it Herald's authentication
# (pg_auth): a cluster that an older `make run` made with `--auth=trust` stops trusting.
init_pg() {
    local data=$1 bindir
    bindir=$(pg_bindir)
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating PostgreSQL cluster in $data"
        mkdir -p "$data"
        chmod 700 "$data"
        if [ "$(id -u)" = 0 ]; then
            chown postgres:postgres "$data"
            runuser -u postgres -- test -w "$data" \
                || die "PostgreSQL runs as postgres, who cannot reach $data: a directory above it is not searchable by others (chmod o+x it, or set HERALD_DATA_DIR to a directory postgres can reach)"
        fi
        as_pg "$bindir/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=reject -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    pg_auth "$data"
}

# pg_auth DATA_DIR: writes the cluster's pg_hba.conf and pg_ident.conf, and reloads it if it runs.
# Peer authentication rather than scram: the cluster listens on its unix socket only, where the kernel
# tells PostgreSQL which OS user is at the other end, so there is no password to generate, keep in a
# file and hand to every program and to heraldctl (the connection strings stay as they are). The map
# `herald` lets in only the OS user running the script (as postgres, herald_owner or herald_app) and,
# when that is root, `postgres`, the server's own user, as postgres (pg_basebackup, a replica's walreceiver).
pg_auth() {
    local data=$1 role
    as_pg tee "$data/pg_hba.conf" >/dev/null <<'HBA'
# Written by scripts/lib.sh (pg_auth) at every start: edits here are replaced.
# Unix socket only (listen_addresses=''); peer authentication through pg_ident.conf's map `herald`.
# TYPE  DATABASE     USER  METHOD
local   all          all   peer map=herald
local   replication  all   peer map=herald
HBA
    {
        echo "# Written by scripts/lib.sh (pg_auth) at every start: edits here are replaced."
        echo "# MAPNAME  SYSTEM-USERNAME  PG-USERNAME"
        for role in postgres herald_owner herald_app; do echo "herald  $(id -un)  $role"; done
        if [ "$(id -u)" = 0 ]; then echo "herald  postgres  postgres"; fi
    } | as_pg tee "$data/pg_ident.conf" >/dev/null
    if as_pg "$(pg_bindir)/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg "$(pg_bindir)/pg_ctl" -D "$data" reload >/dev/null
    fi
}

# pg_socket_dir DIR: the directory of a cluster's unix socket, usable by the server's user only (root,
# which runs the programs when the server runs as postgres, can use it anyway).
pg_socket_dir() {
    mkdir -p "$1"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$1"
    chmod 700 "$1"
}

# start_pg DATA_DIR SOCKET_DIR PORT [extra -c options]: starts the cluster on a unix socket only.
start_pg() {
    local data=$1 sock=$2 port=$3; shift 3
    local bindir
    bindir=$(pg_bindir)
    pg_socket_dir "$sock"
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
    # pg_auth's pg_hba.conf lets local replication connections in; an edited one may not.
    if ! grep -Eq '^[[:space:]]*local[[:space:]]+replication[[:space:]]' "$primary/pg_hba.conf"; then
        echo 'local replication all peer map=herald' | as_pg tee -a "$primary/pg_hba.conf" >/dev/null
        as_pg "$bindir/pg_ctl" -D "$primary" reload >/dev/null
    fi
    level=$(psql -X -A -t -h "$psock" -p "$pport" -U postgres -d postgres -c 'SHOW wal_level')
    [ "$level" != minimal ] || die "PostgreSQL in $primary runs with wal_level=minimal; a replica needs wal_level=replica"
    stop_pg "$data"
    rm -rf "$data"
    mkdir -p "$data"
    chmod 700 "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    pg_socket_dir "$sock"
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
-- No request or job holds a connection for ever: a statement runs at most 30 s, waits at most 10 s
-- for a lock, and a transaction left open and idle ends after 2 minutes (the programs answer 503
-- "Taking too long"; the worker retries the job). Migrations and heraldctl (herald_owner) are not limited.
ALTER ROLE herald_app SET statement_timeout = '30s';
ALTER ROLE herald_app SET lock_timeout = '10s';
ALTER ROLE herald_app SET idle_in_transaction_session_timeout = '2min';
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
    local dir=$1 port=$2 run=$3 access=$4 upstreams=${5:-/dev/null} locations=${6:-/dev/null} user_line="" user
    mkdir -p "$dir/tmp"
    user=$(nginx_worker_user)
    if [ -n "$user" ]; then
        user_line="user $user $(id -gn "$user");"
        fastcgi_socket_dir "$run"
        runuser -u "$user" -- test -r "$HERALD_ROOT/public/style.css" -a -x "$run" \
            || die "nginx's workers run as $user, who cannot reach $HERALD_ROOT/public or $run: a directory above them is not searchable by others (chmod o+x it, or name another user in HERALD_NGINX_USER)"
    fi
    # The access log in the `herald` format (secrets redacted), or off.
    local access_value="$access herald"
    [ "$access" = off ] && access_value=off
    cp "$HERALD_ROOT/nginx/herald_fastcgi.conf" "$dir/herald_fastcgi.conf"
    nginx_routes "$dir/routes-upstreams.conf" >"$dir/routes-locations.conf"
    sed -e "/^@UPSTREAMS@\$/{r $dir/routes-upstreams.conf" -e "d;}" -e "/^@LOCATIONS@\$/{r $dir/routes-locations.conf" -e "d;}" \
        -e "/^@EXTRA_UPSTREAMS@\$/{r $upstreams" -e "d;}" -e "/^@EXTRA_LOCATIONS@\$/{r $locations" -e "d;}" \
        "$HERALD_ROOT/nginx/herald.conf.template" \
        | sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$dir|g" -e "s|@PORT@|$port|g" \
            -e "s|@RUN_DIR@|$run|g" -e "s|@ROOT@|$HERALD_ROOT|g" -e "s|@ACCESS_LOG@|$access_value|g" \
            -e "s|@METRICS_PORT@|${HERALD_METRICS_PORT:-9180}|g" >"$dir/nginx.conf"
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx configuration is invalid"
}

# nginx_worker_user: whom nginx's worker processes run as, when started as root: HERALD_NGINX_USER, by
# default www-data. Nothing for anyone else: nginx ignores `user` then, and its workers run as that user.
nginx_worker_user() {
    [ "$(id -u)" = 0 ] || return 0
    local user=${HERALD_NGINX_USER:-www-data}
    id "$user" >/dev/null 2>&1 || die "nginx's workers are to run as $user (HERALD_NGINX_USER), who does not exist"
    echo "$user"
}

# fastcgi_socket_dir DIR: the directory of the FastCGI programs' sockets, usable by the running user
# only; when that is root, also by the group of nginx's workers: setgid, so that every socket made in
# it gets that group (the programs make their sockets 0660).
fastcgi_socket_dir() {
    local dir=$1 user
    mkdir -p "$dir"
    user=$(nginx_worker_user)
    if [ -n "$user" ]; then
        chown "root:$(id -gn "$user")" "$dir"
        chmod 2750 "$dir"
    else
        chmod 700 "$dir"
    fi
}

# process_alive PID: true while the process exists and has not exited (a zombie, exited but not yet
# reaped by its parent, counts as gone).
process_alive() {
    local stat
    [ -n "$1" ] && read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

start_nginx() {
    local dir=$1
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || die "nginx did not start (see $dir/error.log)"
}

# stop_nginx DIR: a graceful stop (requests in flight finish), a fast one after 3 s; returns when the
# master process is gone (or after 5 s, saying so).
stop_nginx() {
    local dir=$1 pid="" tries=0
    [ -f "$dir/nginx.pid" ] && pid=$(cat "$dir/nginx.pid" 2>/dev/null)
    # Only an nginx of this directory (the file may name a pid reused since).
    [ -n "$pid" ] && grep -qzF -- "$dir/nginx.conf" "/proc/$pid/cmdline" 2>/dev/null || return 0
    kill -QUIT "$pid" 2>/dev/null || return 0
    while process_alive "$pid"; do
        tries=$((tries + 1))
        [ $tries = 30 ] && kill -TERM "$pid" 2>/dev/null
        [ $tries = 50 ] && { log "nginx (pid $pid) is still stopping"; return 0; }
        sleep 0.1
    done
    return 0
}

# start_programs BIN_DIR LOG_DIR [--no-daemons]: starts every FastCGI program and (unless told not to)
# every daemon under a supervisor in the background (supervise_programs; its pid: SUPERVISOR_PID) and
# waits for each FastCGI socket. program_pid NAME gives a program's pid.
SUPERVISOR_PID=
start_programs() {
    local bin=$1 logs=$2 daemons=${3:-} name names=()
    fastcgi_socket_dir "$HERALD_SOCKET_DIR"
    mkdir -p "$logs"
    for name in "${HERALD_PROGRAMS[@]}"; do names+=("herald-$name"); done
    [ "$daemons" = --no-daemons ] || names+=("${HERALD_DAEMONS[@]}")
    for name in "${names[@]}"; do [ -x "$bin/$name" ] || die "$bin/$name is not built"; done
    rm -f "$HERALD_SOCKET_DIR/programs.pid"
    supervise_programs "$bin" "$logs" "${names[@]}" &
    SUPERVISOR_PID=$!
    for name in "${HERALD_PROGRAMS[@]}"; do
        local tries=0
        until [ -S "$HERALD_SOCKET_DIR/$name.sock" ] && [ -f "$HERALD_SOCKET_DIR/programs.pid" ]; do
            tries=$((tries + 1))
            if [ $tries -gt 100 ] || ! kill -0 "$SUPERVISOR_PID" 2>/dev/null; then
                tail -5 "$logs/herald-$name.log" >&2
                die "herald-$name did not start"
            fi
            sleep 0.1
        done
    done
}

# program_pid NAME: the pid of the program NAME (herald-auth, …) that start_programs' supervisor runs now
# (HERALD_SOCKET_DIR/programs.pid; one it restarted has a new pid); nothing if it runs none.
program_pid() {
    awk -v name="$1" '$1 == name { print $2 }' "$HERALD_SOCKET_DIR/programs.pid" 2>/dev/null || true
}

# supervise_programs BIN_DIR LOG_DIR NAME…: start_programs runs it in the background. It starts each
# program and writes "NAME PID" lines to HERALD_SOCKET_DIR/programs.pid. A program that exits (killed,
# crashed) is logged and started again within a second, the others untouched; one that exits a 5th
# time within 30 s is not: then the supervisor stops them all and exits 1. SIGTERM (stop_programs) or
# SIGINT stops them all, SIGTERM to each (a FastCGI program finishes the requests in flight), SIGKILL to any
# left after 5 s, then it exits 0; so does the script that started it going away. It supervises only
# its own children: never a program some test started beside it.
supervise_programs() {
    set +e   # a failed check must not end the supervisor
    # Its own lines go to fd 3; bash's notices of killed children ("line N: PID Killed …") nowhere.
    exec 3>&2 2>/dev/null
    local bin=$1 logs=$2; shift 2
    local parent=$$ stopping="" code=0 name status how now t sleeper="" tries=0
    local -A pid=() deaths=()
    # Ctrl-C reaches the whole process group, the programs too: they stop, and so does the supervisor.
    trap 'stopping=1' INT TERM
    for name; do
        "$bin/$name" >>"$logs/$name.log" 2>&1 3>&- &
        pid[$name]=$!
    done
    supervised_pids_file "$@"
    while [ -z "$stopping" ]; do
        sleep 0.2 &
        sleeper=$!
        wait "$sleeper"   # returns at once on SIGTERM or SIGINT
        [ -n "$stopping" ] && break
        process_alive "$parent" || { log "the script that started the programs is gone: stopping them" 2>&3; break; }
        for name; do
            process_alive "${pid[$name]}" && continue
            wait "${pid[$name]}" 2>/dev/null
            status=$?
            how="exited with status $status"
            [ $status -gt 128 ] && how="was killed by SIG$(kill -l $((status - 128)))"
            # The deaths of the last 30 s (EPOCHREALTIME in µs, whatever the locale's decimal point).
            now=${EPOCHREALTIME//[!0-9]/}
            local recent=()
            for t in ${deaths[$name]:-}; do [ $((now - t)) -lt 30000000 ] && recent+=("$t"); done
            recent+=("$now")
            deaths[$name]=${recent[*]}
            if [ ${#recent[@]} -ge 5 ]; then
                log "$name $how, the 5th time within 30 s: giving up and stopping the programs (see $logs/$name.log)" 2>&3
                code=1
                break 2
            fi
            "$bin/$name" >>"$logs/$name.log" 2>&1 3>&- &
            pid[$name]=$!
            log "$name $how; restarted it (pid ${pid[$name]}, log $logs/$name.log)" 2>&3
            supervised_pids_file "$@"
        done
    done
    kill "$sleeper" 2>/dev/null
    wait "$sleeper" 2>/dev/null
    for name; do kill -TERM "${pid[$name]}" 2>/dev/null; done
    for name; do
        while process_alive "${pid[$name]}"; do
            tries=$((tries + 1))
            if [ $tries -gt 50 ]; then
                log "$name did not stop within 5 s of SIGTERM: SIGKILL" 2>&3
                kill -KILL "${pid[$name]}" 2>/dev/null
                break
            fi
            sleep 0.1
        done
        wait "${pid[$name]}" 2>/dev/null
    done
    rm -f "$HERALD_SOCKET_DIR/programs.pid"
    exit $code
}

# supervised_pids_file NAME…: supervise_programs' current pids (its `pid` array) into programs.pid.
supervised_pids_file() {
    local name
    for name; do echo "$name ${pid[$name]}"; done >"$HERALD_SOCKET_DIR/programs.pid.new"
    mv -f "$HERALD_SOCKET_DIR/programs.pid.new" "$HERALD_SOCKET_DIR/programs.pid"
}

# stop_programs: stops the supervisor of start_programs and with it every program (5 s at most).
stop_programs() {
    [ -n "$SUPERVISOR_PID" ] || return 0
    kill -TERM "$SUPERVISOR_PID" 2>/dev/null || true
    wait "$SUPERVISOR_PID" 2>/dev/null || true
    SUPERVISOR_PID=
}

# sign_up_by_mail BASE_URL PG_SOCKET_DIR PG_PORT OUT_DIR NAME EMAIL PASSWORD: signs a user up as a person
# does (the form; the link mailed to the address, read from the outbox; the password chosen on its
# page) and prints the session cookie's value. For the benches, which need a logged-in user.
sign_up_by_mail() {
    local base=$1 socket=$2 port=$3 out=$4 name=$5 email=$6 password=$7 csrf link="" status tries
    curl -sS -D "$out/signup-form.h" -o /dev/null "$base/signup"
    csrf=$(tr -d '\r' <"$out/signup-form.h" | sed -n 's/^[Ss]et-[Cc]ookie: __Host-herald_csrf=\([^;]*\).*/\1/p' | tail -1)
    [ -n "$csrf" ] || die "GET /signup set no CSRF cookie (see $out/signup-form.h)"
    status=$(curl -sS -o "$out/signup.html" -w '%{http_code}' -H "Cookie: __Host-herald_csrf=$csrf" --data-urlencode "csrf=$csrf" \
        --data-urlencode "name=$name" --data-urlencode "email=$email" --data-urlencode "time_zone=UTC" "$base/signup")
    [ "$status" = 303 ] || die "POST /signup answered $status (see $out/signup.html)"
    # The link is mailed just after the answer.
    for tries in $(seq 1 100); do
        link=$(psql -X -q -At -h "$socket" -p "$port" -U postgres -d herald \
            -c "SELECT body FROM outbox_emails WHERE recipient = '$email' ORDER BY id DESC LIMIT 1" | grep -o '/signup/confirm/[A-Za-z0-9_-]*' | head -1)
        [ -n "$link" ] && break
        sleep 0.1
    done
    [ -n "$link" ] || die "no sign-up link was mailed to $email"
    curl -sS -D "$out/signup-confirm.h" -o /dev/null -H "Cookie: __Host-herald_csrf=$csrf" --data-urlencode "csrf=$csrf" \
        --data-urlencode "password=$password" "$base$link"
    tr -d '\r' <"$out/signup-confirm.h" | sed -n 's/^[Ss]et-[Cc]ookie: __Host-herald_session=\([^;]*\).*/\1/p' | tail -1
}
