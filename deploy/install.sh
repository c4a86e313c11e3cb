#!/usr/bin/env bash
# Installs or upgrades Herald on a Debian machine: run as root from a checkout after
# `swift build -c release`. README "Running Herald in production". Programs that are running keep
# running (each file is replaced by a rename); restarting them is a separate step.
#
#   deploy/install.sh [--bin DIR]     the built programs (default: this checkout's .build/release)
#   deploy/install.sh --root DIR …    into DIR instead of / (a staging tree, as DeployTests does): no
#                                     user, no ownership, no systemctl daemon-reload
#
#   /opt/herald/bin          every program of Sources/programs.manifest
#   /opt/herald/migrations   migrations/ (each program checks the schema against them at start)
#   /opt/herald/public       public/ (nginx serves it)
#   /opt/herald/share/common-passwords.txt
#   /usr/local/sbin/heraldctl            deploy/heraldctl: heraldctl as herald, with the site's settings
#   /etc/systemd/system/     herald@.service, herald@.socket, herald-worker.service, herald.target; enables herald.target,
#                            herald@AREA for each FastCGI program and a unit per daemon (deploy/systemd/NAME.service),
#                            and disables the herald@ instances of programs no longer in the manifest
#   /etc/herald/herald.env, owner.env    from deploy/*.env.example when missing (mode 0600, root's)
#   /var/lib/herald          the herald user's home, where the keyring lives (mode 0700)
#   user and group herald (system); www-data, nginx's user, joins group herald to reach /run/herald
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

root="" bin=$HERALD_ROOT/.build/release
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "usage: deploy/install.sh [--bin DIR] [--root DIR]"
    case $1 in
        --bin) bin=$2 ;;
        --root) root=$2 ;;
        *) die "usage: deploy/install.sh [--bin DIR] [--root DIR]" ;;
    esac
    shift 2
done
[ -n "$root" ] || [ "$(id -u)" = 0 ] || die "run it as root (sudo deploy/install.sh), or with --root DIR to stage"
[ -z "$root" ] || root=$(cd "$root" && pwd)
prefix=$root/opt/herald
units=$root/etc/systemd/system

mapfile -t programs < <(awk '$1 == "program" { print $2 }' "$HERALD_MANIFEST")
for name in "${programs[@]}"; do
    [ -x "$bin/$name" ] || die "$bin/$name is missing: build first (swift build -c release), or name the directory with --bin"
done
for name in "${HERALD_DAEMONS[@]}"; do
    [ -f "$HERALD_ROOT/deploy/systemd/$name.service" ] || die "the daemon $name has no unit: add deploy/systemd/$name.service"
done

if [ -z "$root" ]; then
    getent group herald >/dev/null || groupadd --system herald
    id herald >/dev/null 2>&1 \
        || useradd --system --gid herald --home-dir /var/lib/herald --no-create-home --shell /usr/sbin/nologin herald
    # nginx's workers connect to the sockets in /run/herald (mode 0750, group herald; sockets 0660).
    if id www-data >/dev/null 2>&1 && ! id -nG www-data | grep -qw herald; then
        usermod -aG herald www-data
        log "added www-data to group herald: restart nginx (systemctl restart nginx) for its workers to join it"
    fi
fi
owned() { [ -n "$root" ] || chown "$@"; }

# A file replaced by a rename: a running program keeps its old file, nothing ever sees half a new one.
put() {  # put SOURCE DESTINATION MODE
    install -m "$3" "$1" "$2.new.$$"
    mv -f "$2.new.$$" "$2"
}
# A directory replaced by two renames (a moment without it: a program starting just then fails and is
# started again).
put_tree() {  # put_tree SOURCE DESTINATION
    rm -rf "$2.new" "$2.old"
    cp -R "$1" "$2.new"
    chmod -R u=rwX,go=rX "$2.new"
    [ ! -e "$2" ] || mv "$2" "$2.old"
    mv "$2.new" "$2"
    rm -rf "$2.old"
}

install -d -m 0755 "$prefix" "$prefix/bin" "$prefix/share" "$root/usr/local/sbin" "$units"
for name in "${programs[@]}"; do put "$bin/$name" "$prefix/bin/$name" 0755; done
put_tree "$HERALD_ROOT/migrations" "$prefix/migrations"
put_tree "$HERALD_ROOT/public" "$prefix/public"
put "$HERALD_ROOT/Sources/herald-auth/common-passwords.txt" "$prefix/share/common-passwords.txt" 0644
put "$HERALD_ROOT/deploy/heraldctl" "$root/usr/local/sbin/heraldctl" 0755

install -d -m 0755 "$root/etc/herald"
for file in herald owner; do
    if [ ! -e "$root/etc/herald/$file.env" ]; then
        install -m 0600 "$HERALD_ROOT/deploy/$file.env.example" "$root/etc/herald/$file.env"
        log "wrote /etc/herald/$file.env from deploy/$file.env.example: fill it in"
    fi
done
install -d -m 0700 "$root/var/lib/herald"
owned herald:herald "$root/var/lib/herald"

put "$HERALD_ROOT/deploy/systemd/herald@.service" "$units/herald@.service" 0644
put "$HERALD_ROOT/deploy/systemd/herald@.socket" "$units/herald@.socket" 0644
put "$HERALD_ROOT/deploy/systemd/herald.target" "$units/herald.target" 0644
wanted=(herald.target)
for area in "${HERALD_PROGRAMS[@]}"; do wanted+=("herald@$area.service"); done
for name in "${HERALD_DAEMONS[@]}"; do
    put "$HERALD_ROOT/deploy/systemd/$name.service" "$units/$name.service" 0644
    wanted+=("$name.service")
done
systemctl_() { if [ -n "$root" ]; then systemctl --root="$root" "$@"; else systemctl "$@"; fi; }
# Instances of programs the manifest no longer has.
for link in "$units"/herald.target.wants/herald@*.service; do
    [ -e "$link" ] || [ -L "$link" ] || continue
    unit=$(basename "$link")
    [[ " ${wanted[*]} " == *" $unit "* ]] && continue
    systemctl_ disable --quiet "$unit"
    log "disabled $unit (no longer in Sources/programs.manifest): stop it with systemctl stop $unit"
done
[ -n "$root" ] || systemctl daemon-reload
systemctl_ enable --quiet "${wanted[@]}"
log "installed ${#programs[@]} programs in /opt/herald; herald.target wants: ${wanted[*]:1}"
