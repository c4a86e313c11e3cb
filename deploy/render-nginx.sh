#!/usr/bin/env bash
# Renders Herald's production nginx site (deploy/nginx/herald-site.conf.template) into a directory, by
# default /etc/nginx/herald, with the upstreams and locations of Sources/programs.manifest made by
# scripts/lib.sh's nginx_routes, as for `make run`: the routes never drift from the manifest. Link
# OUT/herald-site.conf into /etc/nginx/sites-enabled/, then `nginx -t && systemctl reload nginx`.
# README "Running Herald in production".
#
#   deploy/render-nginx.sh --server-name herald.example.com \
#       --certificate /etc/letsencrypt/live/herald.example.com/fullchain.pem \
#       --certificate-key /etc/letsencrypt/live/herald.example.com/privkey.pem \
#       [--trusted-proxy ADDRESS_OR_CIDR]...     proxies in front of nginx whose X-Forwarded-For is believed
#       [--out /etc/nginx/herald] [--run-dir /run/herald] [--public-dir /opt/herald/public]
#       [--https-listen "443 [::]:443"] [--http-listen "80 [::]:80"] [--metrics-listen 127.0.0.1:9180]
#       [--acme-root /var/www/html] [--access-log /var/log/nginx/herald.access.log | off] [--keepalive 8]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
invocation="deploy/render-nginx.sh$(printf ' %q' "$@")"

server_name="" certificate="" certificate_key="" proxies=()
out=/etc/nginx/herald run_dir=/run/herald public_dir=/opt/herald/public
https_listen="443 [::]:443" http_listen="80 [::]:80" metrics_listen=127.0.0.1:9180
acme_root=/var/www/html access_log=/var/log/nginx/herald.access.log keepalive=$HERALD_UPSTREAM_KEEPALIVE

usage() { grep '^#  ' "$0" | sed 's/^# //' >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
        --server-name) server_name=$2 ;;
        --certificate) certificate=$2 ;;
        --certificate-key) certificate_key=$2 ;;
        --trusted-proxy) proxies+=("$2") ;;
        --out) out=$2 ;;
        --run-dir) run_dir=$2 ;;
        --public-dir) public_dir=$2 ;;
        --https-listen) https_listen=$2 ;;
        --http-listen) http_listen=$2 ;;
        --metrics-listen) metrics_listen=$2 ;;
        --acme-root) acme_root=$2 ;;
        --access-log) access_log=$2 ;;
        --keepalive) keepalive=$2 ;;
        *) usage ;;
    esac
    shift 2
done
[ -n "$server_name" ] && [ -n "$certificate" ] && [ -n "$certificate_key" ] || usage

# Every value lands in nginx's configuration as it is: refuse anything that could end a directive.
safe_characters='^[][A-Za-z0-9_./:@+=, -]+$'
safe() { [[ $2 =~ $safe_characters ]] || die "$1 '$2' has a character nginx's configuration would misread"; }
safe --server-name "$server_name"
[[ $server_name =~ ^[A-Za-z0-9.-]+$ ]] || die "--server-name takes one host name (herald.example.com)"
for value in "$certificate" "$certificate_key" "$out" "$run_dir" "$public_dir" "$acme_root" "$access_log"; do
    safe "a path" "$value"
    [[ $value == /* || $value == off ]] || die "$value: give an absolute path"
done
for value in "$https_listen" "$http_listen" "$metrics_listen" "${proxies[@]}"; do safe "an address" "$value"; done
[[ $keepalive =~ ^[1-9][0-9]*$ ]] || die "--keepalive takes a positive whole number"
[ -f "$public_dir/style.css" ] || log "warning: $public_dir/style.css does not exist (deploy/install.sh puts public/ there)"

mkdir -p "$out/errors"
listen_lines() {  # listen_lines "ADDR ADDR…" SUFFIX
    local address
    for address in $1; do echo "    listen $address$2;"; done
}
listen_lines "$https_listen" " ssl http2" >"$out/https-listen.part"
listen_lines "$http_listen" "" >"$out/http-listen.part"
{
    echo "# Written by deploy/render-nginx.sh. The proxies in front of nginx (--trusted-proxy): from a"
    echo "# connection of theirs, the client's address is the last one in X-Forwarded-For that is not"
    echo "# theirs. Rate limits, logs and Herald's login throttle use it. None: the connecting address."
    if [ ${#proxies[@]} -gt 0 ]; then
        for proxy in "${proxies[@]}"; do echo "set_real_ip_from $proxy;"; done
        echo "real_ip_header X-Forwarded-For;"
        echo "real_ip_recursive on;"
    fi
} >"$out/herald_real_ip.conf"

# The upstream (herald_AREA) of the program that owns a path, by the manifest's rules and order.
upstream_of() {
    awk -v path="$1" '
        function regex(p) { gsub(/\./, "\\.", p); gsub(/\*/, "[^/]+", p); return p }
        $1 == "program" { program = $2; next }
        $1 == "paths" {
            area = program; sub(/^herald-/, "", area)
            for (i = 2; i <= NF; i++)
                if (($i == "=/" && path == "/") || ($i != "=/" && path ~ ("^(" regex($i) ")(/.*)?$"))) { print "herald_" area; exit }
        }' "$HERALD_MANIFEST"
}

HERALD_UPSTREAM_KEEPALIVE=$keepalive
nginx_routes "$out/upstreams.part" >"$out/locations.part"
access_value="$access_log herald"
[ "$access_log" = off ] && access_value=off
sed -e "/^@UPSTREAMS@\$/{r $out/upstreams.part" -e "d;}" -e "/^@LOCATIONS@\$/{r $out/locations.part" -e "d;}" \
    -e "/^@HTTPS_LISTEN@\$/{r $out/https-listen.part" -e "d;}" -e "/^@HTTP_LISTEN@\$/{r $out/http-listen.part" -e "d;}" \
    "$HERALD_ROOT/deploy/nginx/herald-site.conf.template" >"$out/herald-site.conf.new"
for path in $(grep -o '@UPSTREAM_OF:[^@]*@' "$out/herald-site.conf.new" | sort -u); do
    path=${path#@UPSTREAM_OF:}
    path=${path%@}
    upstream=$(upstream_of "$path")
    [ -n "$upstream" ] || die "no program of Sources/programs.manifest owns $path"
    sed -i "s|@UPSTREAM_OF:$path@|$upstream|g" "$out/herald-site.conf.new"
done
substitute() {
    sed -e "s|@NGINX_DIR@|$out|g" -e "s|@RUN_DIR@|$run_dir|g" -e "s|@PUBLIC_DIR@|$public_dir|g" \
        -e "s|@SERVER_NAME@|$server_name|g" -e "s|@CERTIFICATE@|$certificate|g" -e "s|@CERTIFICATE_KEY@|$certificate_key|g" \
        -e "s|@METRICS_LISTEN@|$metrics_listen|g" -e "s|@ACME_ROOT@|$acme_root|g" -e "s|@ACCESS_LOG@|$access_value|g" \
        -e "s|@KEEPALIVE@|$keepalive|g" "$@"
}
{
    echo "# Rendered from Sources/programs.manifest by (run it again after an upgrade):"
    echo "#   $invocation"
    substitute "$out/herald-site.conf.new"
} >"$out/herald-site.conf.tmp"
left=$(grep -v '^ *#' "$out/herald-site.conf.tmp" | grep -o '@[A-Z_]*[:@]' | sort -u | tr '\n' ' ' || true)
[ -z "$left" ] || die "placeholders left unfilled in the site: $left"
for file in herald_headers.conf herald_page_headers.conf; do substitute "$HERALD_ROOT/deploy/nginx/$file" >"$out/$file"; done
cp "$HERALD_ROOT/nginx/herald_fastcgi.conf" "$out/herald_fastcgi.conf"
cp "$HERALD_ROOT/deploy/nginx/errors/429.html" "$out/errors/429.html"
mv -f "$out/herald-site.conf.tmp" "$out/herald-site.conf"
rm -f "$out"/*.part "$out/herald-site.conf.new"
log "wrote $out/herald-site.conf (link it into /etc/nginx/sites-enabled/, then: nginx -t && systemctl reload nginx)"
